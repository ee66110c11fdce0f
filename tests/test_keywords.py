"""Keyword chips: TF-IDF over the theme's paragraphs, stop words of official prose removed, stable order."""
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from build_scripts.classify import classify
from build_scripts.errors import InputError
from build_scripts.keywords import (load_stopwords, load_user_dictionary, read_user_dictionary,
                                    theme_keywords)
from build_scripts.model import THEMES
from build_scripts.parse import parse

ROOT = Path(__file__).resolve().parent.parent
RESTORED = ROOT / "tests" / "fixtures" / "seed_000_restored.txt"


@pytest.fixture(scope="module")
def report():
    return classify(parse(RESTORED.read_text(encoding="utf-8"), "seed_000_restored"))


def test_keywords_exclude_the_stop_words_of_government_prose(report):
    stop = load_stopwords()
    assert {"推进", "打造", "建设", "提升", "思明区", "全区"} <= stop
    for theme in THEMES:
        chips = theme_keywords(report, theme, top=20)
        assert chips and not set(chips) & stop, theme


def test_keywords_are_eight_by_default_and_distinct(report):
    for theme in THEMES:
        chips = theme_keywords(report, theme)
        assert len(chips) == 8 and len(set(chips)) == 8


def test_keywords_name_what_each_theme_is_about(report):
    # Read from the report: AI leads the economy part, 城中村/片区 the renewal part,
    # schools and jobs the livelihood part, culture and 文旅 the culture part.
    assert "人工智能" in theme_keywords(report, "economy")
    assert "片区" in theme_keywords(report, "urban-renewal")
    assert {"教育", "就业"} & set(theme_keywords(report, "livelihood"))
    assert {"文化", "文旅"} <= set(theme_keywords(report, "culture"))


def test_keywords_leave_out_place_names_and_numbers(report):
    chips = {c for t in THEMES for c in theme_keywords(report, t, top=30)}
    assert not chips & {"前埔", "湖滨", "鼓浪屿", "中山路", "泥窟石村"}
    assert not any(c.replace(".", "").isdigit() for c in chips)


def test_keywords_are_deterministic_within_and_across_processes(report):
    first = theme_keywords(report, "urban-renewal")
    assert theme_keywords(report, "urban-renewal") == first
    script = ("from build_scripts.parse import parse; from build_scripts.classify import classify; "
              "from build_scripts.keywords import theme_keywords; import pathlib; "
              f"r = classify(parse(pathlib.Path({str(RESTORED)!r}).read_text(encoding='utf-8'), 'x')); "
              "print(','.join(theme_keywords(r, 'urban-renewal')))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert out.stdout.strip().split(",") == first


def test_a_theme_without_paragraphs_has_no_keywords(report):
    assert theme_keywords(report, "no-such-theme") == []


def test_user_dictionary_keeps_domain_words_whole():
    tokenizer = load_user_dictionary()
    assert "老旧小区" in tokenizer.lcut("推进479个老旧小区改造")
    assert "城中村改造" in tokenizer.lcut("稳步开展城中村改造提升")
    assert "新质生产力" in tokenizer.lcut("加速发展新质生产力")
    assert "智改数转" in tokenizer.lcut("推进企业智改数转")
    assert load_user_dictionary() is tokenizer  # built once per process


def test_the_domain_words_do_not_leak_into_the_cleaners_private_dictionary():
    from build_scripts.clean import jieba_dictionary

    load_user_dictionary()
    assert "智改数转" not in jieba_dictionary().FREQ


def test_keywords_share_the_one_jieba_dictionary_the_search_plugin_loads():
    # One load per build: the search plugin segments with jieba.dt and the same user dictionary.
    assert load_user_dictionary() is jieba.dt
    assert "智改数转" in jieba.lcut("推进企业智改数转")


def test_user_dictionary_holds_the_issue_words_once_each():
    words = [w for w, _, _ in read_user_dictionary()]
    assert {"老旧小区", "城中村改造", "新质生产力", "智改数转"} <= set(words)
    assert len(words) == len(set(words))


def test_a_malformed_user_dictionary_line_is_rejected_with_file_and_line(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text("老旧小区 n\n城中村 改造 n\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2") as err:
        read_user_dictionary(path)
    assert str(path) in str(err.value)


def test_a_stop_word_listed_twice_is_rejected(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("# 说明\n推进\n打造\n推进\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 4: 推进 is listed twice"):
        load_stopwords(path)


# Text a report can hold: digits with units and percent, latin words, dashes, spaces, full-width marks.
TRICKY = ["推进479个老旧小区改造，增长5.5%左右。", "1-11月，5G+工业互联网项目ABC达到30个", "a b\r\nc\t d",
          "Ｗi-Fi 6与x86_64 & C++ #1", "", "　", "ＧＤＰ增长", "中华人民共和国万岁的的的"]


def test_the_shared_cut_is_jiebas_cut_word_for_word(report):
    # Themes and chips share one path through the dictionary; each must still be what jieba itself gives.
    import jieba.posseg

    from build_scripts.keywords import cut, tagged_words

    tagger = jieba.posseg.POSTokenizer(load_user_dictionary())
    texts = TRICKY + [b.text for b in report.blocks if b.text]
    for text in texts:
        assert cut(text) == list(load_user_dictionary().cut(text)), text
        assert list(tagged_words(text)) == [(p.word, p.flag) for p in tagger.cut(text, HMM=False)], text


def test_the_general_idf_is_jiebas_table_and_median():
    import jieba.analyse

    from build_scripts.keywords import general_idf

    table, median = general_idf()
    assert table == jieba.analyse.default_tfidf.idf_freq
    assert median == jieba.analyse.default_tfidf.median_idf
