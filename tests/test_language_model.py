"""Tests of the character language model of report prose and of the general candidate sources."""
from __future__ import annotations

import gzip
import math

import pytest

from build_scripts import candidates, language_model
from build_scripts.errors import InputError

TINY = ["推动高质量发展。\n推进高质量发展，加快发展新质生产力。", "发展是第一要务。"]


def test_shipped_model_prefers_report_wording_over_the_spinners():
    model = language_model.shipped_model()
    assert model.margin("推动高质量", "展开", "发展", "，加快") > 5
    assert model.margin("扎", "真", "实", "推进全区") > 5
    assert model.margin("全力", "发展", "展开", "新质生") < 0


def test_probabilities_after_any_context_sum_to_about_one():
    model = language_model.train(TINY, order=3, min_count=1)
    vocabulary = [g for g in model.logp if len(g) == 1]
    for context in ["质量", "高", "没见过"]:
        total = sum(math.exp(model.char_logprob(context, c)) for c in vocabulary) + math.exp(model.unknown)
        assert 0.95 < total < 1.05


def test_a_saved_model_loads_with_the_same_scores(tmp_path):
    model = language_model.train(TINY, order=3, min_count=1)
    path = tmp_path / "m.lm.gz"
    language_model.save(model, path, "tiny")
    loaded = language_model.load(path)
    assert loaded.order == 3
    assert loaded.span_logprob("推动", "高质量", "发展") == pytest.approx(model.span_logprob("推动", "高质量", "发展"), abs=0.01)


def test_an_unreadable_model_file_is_an_input_error_naming_it(tmp_path):
    path = tmp_path / "broken.lm.gz"
    path.write_bytes(gzip.compress(b"\x05\x00\x00\x00\x00\x00\x00\x00other" + b"\x00" * 16))
    with pytest.raises(InputError) as caught:
        language_model.load(path)
    assert caught.value.path == str(path)
    with pytest.raises(InputError):
        language_model.load(tmp_path / "missing.lm.gz")


def test_folding_keeps_offsets_and_merges_digits_letters_and_half_width_punctuation():
    text = "增长5.4%,GDP(2025)"
    folded = language_model.fold(text)
    assert len(folded) == len(text)
    assert folded == "增长0.0%，aaa（0000）"


def test_a_swapped_character_is_proposed_once_where_it_stands():
    proposed = candidates.propose("扎真推进", frozenset({"swap"}))
    assert [(c.start, c.spun, c.restored, c.source) for group in proposed.values() for c in group] == [
        (1, "真", "实", "swap")]


def test_the_thesaurus_proposes_only_commoner_report_words():
    vocabulary = candidates.vocabulary()
    for group in candidates.propose("开展大规模设备更新", frozenset({"thesaurus"})).values():
        for c in group:
            assert vocabulary[c.restored] >= candidates.FREQUENCY_RATIO * max(vocabulary.get(c.spun, 0), 1)
