"""Properties of parse, clean and figures over generated text (hypothesis): no crash, nothing lost, spans true.

Examples are small and few (a few seconds in all); each property names what it guards against.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from build_scripts.clean import clean_text
from build_scripts.errors import InputError
from build_scripts.figures import (CLAUSE_ENDS, CUT, MAX_LABEL_CHARS, SENTENCE_ENDS, SENTENCE_REACH, Clauses,
                                   find_figures, sentence_around)
from build_scripts.lexicon import load_lexicon
from build_scripts.parse import BLANKS, load_rules, parse, read_seed

FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- text that looks like the genre

# Pieces report text is made of: words, numbers and units, punctuation, numbered heading marks,
# metadata labels, bylines. Drawn at random they make lines of every shape the parser tells apart.
PIECES = ["全市", "经济", "增长", "投资", "项目", "新增", "就业", "改造", "老旧小区", "政府工作报告", "人民代表大会",
          "第五次会议", "开幕", "回眸2024", "展望2025", "一、", "二、", "（一）", "(二)", "1.", "2、", "。", "，", ",",
          "：", ":", "；", "、", "！", "…", "“", "”", "（", "）", "(", ")", "发布时间:", "时间：", "来源：", "原标题:",
          "责编:", "(文/记者 王丽 通讯员 刘强)", "记者 王火炎 摄", "区长", "张明", "各位代表：", "12", "5.6", "%",
          "亿元", "万人", "个", "超", "近", "余", "以上", "2024", "-", "年", "月", "日", " ", "\u3000", "\t", "a", "<b>"]
line_strategy = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)
EOLS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\n \n"])
document_strategy = st.lists(st.tuples(line_strategy, EOLS), min_size=1, max_size=12).map(
    lambda pairs: "".join(line + eol for line, eol in pairs))


def input_lines(text: str) -> list[str]:
    """The non-empty lines as the parser sees them (the same line breaks, the same blanks stripped)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip(BLANKS) for line in lines if line.strip(BLANKS)]


def dropped_by_a_reviewed_rule(line: str, rules) -> bool:
    """Chrome, a salutation, a bare label or a header line of the official text: data/parse_rules.yml drops it."""
    return (line in rules.chrome_lines or line in rules.salutations
            or any(p.match(line) for p in (*rules.chrome_patterns, *rules.page_end, *rules.meta["label_only"]))
            or bool(rules.presenter_line.match(line) or rules.bare_name.match(line)))


def is_metadata(line: str, rules) -> bool:
    """A short line a metadata pattern reads (发布时间:…, 来源：…, 责编:…, (文/记者 …))."""
    return len(line) <= rules.meta_max_chars and any(p.match(line) for patterns in rules.meta.values()
                                                     for p in patterns)


def in_a_metadata_field(line: str, report) -> bool:
    """The line holds what a text field of the record holds (来源： / 福建日报 split over two lines: the outlet)."""
    values = (report.outlet, report.original_title_raw, report.photo_credit, report.presenter, *report.editors,
              *report.reporter, *report.correspondent)
    return any(value and value in line for value in values)


def held_by_blocks(line: str, raws: list[str], report) -> bool:
    """The line is one block, a numbered heading and its run-in paragraph, or a paragraph and the byline cut off it."""
    for i, raw in enumerate(raws):
        if line == raw or (i + 1 < len(raws) and line == raw + raws[i + 1]):
            return True
        if line.startswith(raw) and (report.reporter or report.correspondent) and "文" in line[len(raw):]:
            return True
    return bool(report.reporter or report.correspondent) and line.startswith(("(文", "（文"))


# ---------------------------------------------------------------- parse


@FEW
@given(st.one_of(st.text(max_size=300), document_strategy))
def test_parse_ends_in_a_report_or_an_input_error_whatever_the_text(text):
    try:
        report = parse(text, "seeds/x.txt")
    except InputError as err:
        assert str(err).startswith("seeds/x.txt: ") and "\n" not in err.problem.strip()
        return
    assert report.title and any(b.kind == "paragraph" for b in report.blocks)
    assert all(date == "" or dt.datetime.fromisoformat(date) for date in (report.published, report.delivered))


@FEW
@given(document_strategy)
def test_every_non_empty_line_ends_up_in_a_block_or_a_metadata_field(text):
    rules = load_rules()
    lines = input_lines(text)
    # A page-end marker turns the short lines after it into a footer, a breadcrumb start the next
    # items into a trail: dropped on purpose, and tested on real pages in test_parse.py.
    assume(not any(p.match(line) for line in lines for p in (*rules.page_end, *rules.breadcrumb_starts)))
    try:
        report = parse(text, "x.txt")
    except InputError:
        return
    raws = [b.raw for b in report.blocks]
    for previous, line in zip(["", *lines], lines):
        # 来源： / 福建日报 over two lines is one metadata line (a repeated one is read and not kept twice)
        label = previous if any(p.match(previous) for p in rules.meta["label_only"]) else ""
        assert (line == report.title or line in report.title or held_by_blocks(line, raws, report)
                or is_metadata(label + line, rules) or in_a_metadata_field(line, report)
                or dropped_by_a_reviewed_rule(line, rules)), (line, raws)


@FEW
@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))
def test_a_stated_date_is_a_valid_iso_date_or_the_seed_is_refused_naming_it(year, month, day, hour, minute):
    line = f"发布时间:{year:04d}-{month}-{day} {hour}:{minute:02d}"
    text = f"临江市政府工作报告解读\n{line}\n1月14日，临江市人民代表大会开幕。\n全市经济平稳运行。\n"
    try:
        report = parse(text, "x.txt")
    except InputError as err:
        assert "impossible date" in str(err) and line in str(err)
        return
    assert report.published == f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"
    for date in (report.published, report.delivered):
        assert date == "" or dt.datetime.fromisoformat(date)


@FEW
@given(st.binary(max_size=200))
def test_reading_any_bytes_gives_text_or_an_input_error_naming_the_file(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.txt"
        path.write_bytes(data)
        try:
            text = read_seed(path)
        except InputError as err:
            assert str(err).startswith(f"{path}: ")
            return
    assert isinstance(text, str) and text.strip() and "\x00" not in text


# ---------------------------------------------------------------- clean


@FEW
@given(st.text(max_size=200))
def test_clean_never_crashes_and_each_correction_names_what_the_raw_text_holds(text):
    cleaned = clean_text(text)
    for correction in cleaned.corrections:
        assert text[correction.offset:correction.offset + len(correction.spun)] == correction.spun


def spinner_forms() -> tuple[set, set]:
    """What the cleaner reads as the spinner's hand: characters of the lexicon's spun forms and of the
    character swaps, and the words of the synonym table (when the cleaner has those general sources)."""
    chars = {char for entry in load_lexicon().entries for char in entry.spun}
    words: set = set()
    try:
        from build_scripts import candidates
    except ImportError:  # a cleaner without general sources proposes from the lexicon alone
        return chars, words
    chars |= set(candidates.char_swaps())
    words |= set(candidates.thesaurus())
    return chars, words


@pytest.fixture(scope="module")
def unspun():
    """Characters of report prose (anhui.txt, a tuned report) in no spun form, and the synonym-table words."""
    chars, words = spinner_forms()
    corpus = ROOT / "seeds" / "anhui.txt"  # a tuned report, also in ../shared/corpus
    prose = corpus.read_text(encoding="utf-8") if corpus.is_file() else "全市经济平稳运行人民生活持续改善"
    return "".join(sorted(set(prose) - chars - set("\n\r"))), words


def holds_a_word_of(text: str, words: set, longest: int = 4) -> bool:
    return any(text[i:i + n] in words for i in range(len(text)) for n in range(1, longest + 1))


@FEW
@given(data=st.data())
def test_clean_changes_nothing_in_text_without_spinner_forms(unspun, data):
    alphabet, words = unspun
    text = data.draw(st.text(alphabet=alphabet + "0123456789 ,.%", max_size=120))
    assume(not holds_a_word_of(text, words))
    for spun in (None, False):
        cleaned = clean_text(text, spun=spun)
        assert cleaned.text == text and cleaned.corrections == ()


# ---------------------------------------------------------------- figures

FIGURE_PIECES = ["12", "5.6", "1,200", "3", "十", "二十三", "两", "第一", "第", "亿元", "万元", "元", "%", "个",
                 "人次", "万人", "位", "超", "近", "余", "以上", "左右", "投资", "新增", "增长", "年", "2024", "前三季度",
                 "“十四五”", "年均", "从", "到", "。", "，", "、", "：", "；", "…", "—", "-", "+", "=", " ", "等"]
figure_text = st.one_of(st.lists(st.sampled_from(FIGURE_PIECES), max_size=40).map("".join), st.text(max_size=120))


@FEW
@given(figure_text)
def test_every_figure_lies_within_its_text_and_its_span_gives_its_text(text):
    previous_end = 0
    for figure in find_figures(text):
        assert 0 <= figure.start < figure.end <= len(text)
        assert text[figure.start:figure.end] == figure.text
        assert figure.start >= previous_end  # in reading order, never overlapping
        previous_end = figure.end
        assert figure.text in figure.sentence and figure.sentence.removeprefix(CUT).removesuffix(CUT) in text
        assert len(figure.label) <= MAX_LABEL_CHARS


@FEW
@given(st.text(alphabet="甲乙。，、：…ab ", max_size=600), st.data())
def test_a_sentence_is_a_bounded_piece_of_the_text_around_the_figure(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 6)))
    assume(not any(mark in text[start:end] for mark in SENTENCE_ENDS))  # a figure holds no sentence end
    sentence = sentence_around(text, start, end)
    core = sentence.removeprefix(CUT).removesuffix(CUT) if sentence != CUT else ""
    assert core.strip() in text
    assert text[start:end].strip(" ") in sentence or not text[start:end].strip()
    assert len(sentence) <= 2 * SENTENCE_REACH + (end - start) + 2


@FEW
@given(st.text(alphabet="甲。，、：;；—…1", max_size=80), st.data())
def test_the_clause_index_gives_the_clause_a_scan_gives(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    left = max((text.rfind(p, 0, start) for p in CLAUSE_ENDS), default=-1) + 1
    rights = [i for i in (text.find(p, end) for p in CLAUSE_ENDS) if i != -1]
    assert Clauses(text).bounds(start, end) == (left, min(rights) if rights else len(text))
