"""Tests of the character language model of report prose and of the general candidate sources."""
from __future__ import annotations

import gzip
import math
import re
from pathlib import Path

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
    model = language_model.train(TINY, order=3)
    vocabulary = list(model.unigrams)
    for context in ["质量", "高", "没见过"]:
        total = sum(math.exp(model.char_logprob(context, c)) for c in vocabulary) + math.exp(model.unknown / language_model.SCALE)
        assert 0.95 < total < 1.05


def test_a_saved_model_loads_with_exactly_the_same_scores(tmp_path):
    model = language_model.train(TINY, order=3)
    path = tmp_path / "m.lm.gz"
    language_model.save(model, path, "tiny")
    loaded = language_model.load(path)
    assert loaded.order == 3
    for left, span, right in [("推动", "高质量", "发展"), ("", "没见过", ""), ("加快", "发展", "新质")]:
        assert loaded.span_logprob(left, span, right) == model.span_logprob(left, span, right)
    assert loaded.size == model.size


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


# ---- the document's own synonym swaps ----------------------------------------------------

REPORT_DIR = Path(__file__).resolve().parent.parent / "seeds"
REPORT = (REPORT_DIR / "anhui.txt").read_text(encoding="utf-8")  # a tuned report


def test_a_report_word_written_as_a_synonym_all_through_a_document_is_a_document_pair():
    spun = REPORT.replace("创新", "翻新")  # the spinner's 创新 → 翻新, in every place
    assert REPORT.count("创新") >= 20
    assert "创新" in candidates.DocumentCounts(spun.split("\n")).pairs.get("翻新", ())


def test_clean_report_prose_shows_no_document_pair():
    assert candidates.DocumentCounts(REPORT.split("\n")).pairs == {}


def test_a_frequent_rare_word_is_no_pair_while_its_synonym_is_still_there():
    # 翻新 forty times, as a report on renovating old housing might say it, but 创新 is not missing
    topical = REPORT + "\n" + "推进老旧厂房翻新改造。" * 40
    assert "翻新" not in candidates.DocumentCounts(topical.split("\n")).pairs


def test_a_synonym_no_thesaurus_links_is_ranked_by_the_model_when_its_report_word_goes_missing():
    spun = REPORT.replace("服务", "效劳")  # the spinner's 服务 → 效劳, which 同义词词林 does not pair
    assert REPORT.count("服务") >= 20 and "服务" not in candidates.thesaurus_all().get("效劳", ())
    document = candidates.DocumentCounts(spun.split("\n"), language_model.shipped_model())
    assert document.ranked_pairs.get("效劳") == ("服务",)
    assert document.pairs["效劳"] == ("服务",)
    assert "效劳" not in candidates.DocumentCounts(spun.split("\n")).pairs  # counts alone cannot say which word


def test_a_name_standing_where_a_report_word_went_missing_is_never_ranked():
    # 鼓浪 is part of a place name (jieba frequency 9): the counts fit 服务, but a name is no synonym
    spun = REPORT.replace("服务", "鼓浪")
    assert "鼓浪" not in candidates.DocumentCounts(spun.split("\n"), language_model.shipped_model()).pairs


def test_a_provinces_name_in_its_own_report_is_never_taken_for_a_spun_word():
    # 宁夏 stands 67 times in Ningxia's report, far more than report prose has it; with 建设 gone
    # (the spinner's 建设 → 建立) the counts fit 建设 for it, and the model reads 建设 better in
    # places such as 美丽宁夏建设. jieba tags it a place name (ns), and a name is no synonym.
    text = (REPORT_DIR / "ningxia.txt").read_text(encoding="utf-8").replace("建设", "建立")
    document = candidates.DocumentCounts(text.split("\n"), language_model.shipped_model())
    assert "建设" in document.missing and document.is_surplus("宁夏")
    assert "宁夏" not in document.pairs


def test_clean_report_prose_shows_no_ranked_swap():
    model = language_model.shipped_model()
    for name in ("anhui", "hunan", "chongqing"):
        text = (REPORT_DIR / f"{name}.txt").read_text(encoding="utf-8")
        assert candidates.DocumentCounts(text.split("\n"), model).pairs == {}, name


def test_document_pairs_are_proposed_wherever_the_spun_word_stands():
    found = candidates.propose_document("科技翻新和制度翻新", {"翻新": ("创新",)})
    assert sorted((c.start, c.spun, c.restored, c.source) for group in found.values() for c in group) == [
        (2, "翻新", "创新", "document"), (7, "翻新", "创新", "document")]


# ---- the training texts --------------------------------------------------------------------

def test_every_further_training_text_has_its_source_and_none_is_a_held_out_report():
    from build_scripts import train_language_model as training

    further = training.further_texts()
    assert len(further) >= 40
    names = {name for name, _, _ in further}
    assert not names & set(training.HELD_OUT) and not names & set(training.TUNING)
    if training.DEFAULT_CORPUS.is_dir():
        training.check_not_held_out(further, training.DEFAULT_CORPUS)


def test_a_training_text_that_copies_a_held_out_report_stops_the_training(tmp_path):
    from build_scripts import train_language_model as training

    held_out = tmp_path / f"{training.HELD_OUT[0]}.txt"
    held_out.write_text("我们要坚定不移推进高水平对外开放，稳步扩大制度型开放，积极参与全球经济治理体系改革。" * 3, encoding="utf-8")
    copy = ("copied", "各位代表：" + held_out.read_text(encoding="utf-8"), True)
    own = ("own", "各位代表：过去一年，全市经济运行稳中向好，城乡居民收入持续增长，民生保障更加有力。" * 3, True)
    training.check_not_held_out([own], tmp_path)
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'copied.txt'}: shares")):
        training.check_not_held_out([own, copy], tmp_path, tmp_path)


def test_a_sources_table_without_its_columns_or_with_a_short_row_is_an_error_naming_it(tmp_path):
    from build_scripts import train_language_model as training

    sources = tmp_path / "SOURCES.tsv"
    sources.write_text("file\ttitle\na.txt\tA\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'vocabulary' column") as caught:
        training.further_texts(tmp_path)
    assert caught.value.path == str(sources)
    sources.write_text("file\ttitle\tvocabulary\na.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 'a.txt': expected 3 columns"):
        training.further_texts(tmp_path)


def test_a_training_text_without_a_source_row_is_refused(tmp_path):
    from build_scripts import train_language_model as training

    (tmp_path / "SOURCES.tsv").write_text("file\ttitle\tvocabulary\na.txt\tA\tyes\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("各位代表", encoding="utf-8")
    assert [(n, v) for n, _, v in training.further_texts(tmp_path)] == [("a", True)]
    (tmp_path / "b.txt").write_text("各位代表", encoding="utf-8")
    with pytest.raises(InputError, match="files without a row: \\['b.txt'\\]"):
        training.further_texts(tmp_path)
