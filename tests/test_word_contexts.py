"""The wider context of a word: which of two words the character pairs around a place favour."""
import gzip

import pytest

from build_scripts import word_contexts
from build_scripts.errors import InputError
from build_scripts.lexicon import load_lexicon
from build_scripts.train_language_model import ambiguous_words

TRAINING = "\n".join([
    "持续增强产业综合竞争能力",
    "不断增强城市综合承载能力",
    "增强发展内生动力和能力",
    "切实加强食品药品安全监管",
    "全面加强社保基金监督管理",
    "加强基层安全监管执法",
])


def test_a_word_is_favoured_where_the_pairs_it_keeps_company_with_occur():
    contexts = word_contexts.train([TRAINING], ["增强", "加强"])
    assert contexts.occurrences == {"增强": 3, "加强": 3}
    assert contexts.log_odds("持续", "园区综合承载能力", "增强", "加强") > 0
    assert contexts.log_odds("持续", "药品安全监管", "增强", "加强") < 0


def test_pairs_beyond_the_window_count_for_nothing():
    contexts = word_contexts.train([TRAINING], ["增强", "加强"])
    far = "一" * word_contexts.WINDOW
    assert contexts.log_odds(far, far + "综合承载能力", "增强", "加强") == 0.0


def test_a_word_the_table_never_saw_gives_no_evidence():
    contexts = word_contexts.train([TRAINING], ["增强", "加强", "提升"])
    assert contexts.occurrences["提升"] == 0
    assert contexts.log_odds("持续", "综合承载能力", "提升", "加强") == 0.0
    assert contexts.log_odds("持续", "综合承载能力", "推进", "加强") == 0.0


def test_the_table_reads_back_as_written_without_the_pairs_seen_once(tmp_path):
    contexts = word_contexts.train([TRAINING], ["增强", "加强"])
    path = tmp_path / "contexts.tsv.gz"
    word_contexts.save(contexts, path, "test")
    again = word_contexts.load(path)
    assert again.occurrences == contexts.occurrences
    assert again.nearby("增强") == contexts.nearby("增强")
    assert all(count >= word_contexts.MIN_COUNT for count in again.nearby("加强").values())
    assert "监管" in again.nearby("加强") and "食品" not in again.nearby("加强")  # 食品 once only
    word_contexts.save(again, tmp_path / "again.tsv.gz", "test")
    assert (tmp_path / "again.tsv.gz").read_bytes() == path.read_bytes()


def test_a_file_of_another_format_stops_with_a_message_naming_it(tmp_path):
    path = tmp_path / "contexts.tsv.gz"
    path.write_bytes(gzip.compress("something else\n".encode("utf-8")))
    with pytest.raises(InputError, match="word-context table"):
        word_contexts.load(path)
    path.write_bytes(gzip.compress(f"{word_contexts.FORMAT}\tWINDOW=99\tMIN_COUNT=2\t\n".encode("utf-8")))
    with pytest.raises(InputError, match="another window"):
        word_contexts.load(path)
    path.write_bytes(b"not gzip")
    with pytest.raises(InputError, match="train_language_model"):
        word_contexts.load(path)


def test_the_shipped_table_was_trained_for_every_ambiguous_word_of_the_lexicon():
    # an entry added to the lexicon without retraining would get no wider context
    missing = set(ambiguous_words(load_lexicon())) - set(word_contexts.shipped_contexts().occurrences)
    assert not missing, f"retrain: python -m build_scripts.train_language_model (missing {sorted(missing)[:5]})"


def test_the_shipped_table_knows_reports_collocations():
    contexts = word_contexts.shipped_contexts()
    assert contexts.log_odds("持续", "县城综合承载能力", "增强", "加强") > 3
    assert contexts.log_odds("切实", "社保基金监管", "增强", "加强") < -1
