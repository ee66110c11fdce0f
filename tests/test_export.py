"""Data downloads: figures as CSV (Excel-ready) and JSON, each with its source sentence."""
from __future__ import annotations

import csv
import io
import json

import pytest

from build_scripts.errors import InputError
from build_scripts.export import COLUMNS, csv_safe, figures_csv, figures_json, figures_rows
from build_scripts.model import Block, Figure, Report
from build_scripts.parse import parse, read_seed
from build_scripts.pipeline import run_stages
from conftest import FIXTURES


@pytest.fixture(scope="module")
def seed_report(seed_path) -> Report:
    return run_stages(parse(read_seed(seed_path), str(seed_path)))


def tiny_report(slug: str = "tiny") -> Report:
    sentence = "发放消费补贴6145万元,带动消费超4亿元。"
    figures = (
        Figure(6145, "万元", "6145万元", label="消费补贴", base_value=61_450_000, base_unit="元", period="2024",
               theme="economy", block=1, start=6, end=12, sentence=sentence),
        Figure(4, "亿元", "超4亿元", label="带动消费", base_value=400_000_000, base_unit="元", period="2024",
               qualifier="超", theme="economy", block=1, start=17, end=21, sentence=sentence),
    )
    block = Block(1, "paragraph", sentence, sentence, theme="economy", figures=figures)
    return Report(slug=slug, source=f"{slug}.txt", title="t", blocks=(block,))


def test_the_csv_starts_with_the_utf8_byte_order_mark_for_excel():
    assert figures_csv([tiny_report()]).startswith(b"\xef\xbb\xbf")


def test_the_csv_parses_back_with_the_csv_module(seed_report):
    text = figures_csv([seed_report]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == sum(len(b.figures) for b in seed_report.blocks)
    subsidy = next(r for r in rows if r["text"] == "6145万元")
    assert (subsidy["value"], subsidy["unit"], subsidy["base_value"], subsidy["base_unit"]) == ("6145", "万元", "61450000", "元")
    assert "6145万元" in subsidy["sentence"] and subsidy["anchor"].startswith("f")


def test_sentences_with_commas_and_quotes_survive_the_csv():
    report = tiny_report()
    block = report.blocks[0]
    quoted = tuple(Figure(f.value, f.unit, f.text, label=f.label, base_value=f.base_value, base_unit=f.base_unit,
                          block=f.block, start=f.start, end=f.end, sentence='他说,"补贴"6145万元。') for f in block.figures)
    report = Report(slug="q", source="q", title="t", blocks=(Block(1, "paragraph", "x", "x", figures=quoted),))
    rows = list(csv.DictReader(io.StringIO(figures_csv([report]).decode("utf-8-sig"), newline="")))
    assert rows[0]["sentence"] == '他说,"补贴"6145万元。'


def test_rows_name_the_report_anchor_and_every_field():
    rows = figures_rows([tiny_report()])
    assert rows[0] == {
        "report": "tiny", "block": 1, "anchor": "f1-6", "label": "消费补贴", "value": 6145, "upper": None, "unit": "万元",
        "base_value": 61450000, "base_upper": None, "base_unit": "元", "period": "2024", "kind": "other", "partial": False,
        "period_name": "2024年", "qualifier": "", "theme": "economy",
        "text": "6145万元", "sentence": "发放消费补贴6145万元,带动消费超4亿元。",
    }
    assert rows[1]["qualifier"] == "超"


def test_the_json_is_utf8_with_chinese_as_is_and_the_same_rows():
    data = figures_json([tiny_report()])
    assert "消费补贴".encode("utf-8") in data
    assert json.loads(data.decode("utf-8")) == figures_rows([tiny_report()])


def test_downloads_are_deterministic_whatever_the_order_of_reports():
    one, two = tiny_report("a"), tiny_report("b")
    assert figures_csv([one, two]) == figures_csv([two, one])
    assert figures_json([one, two]) == figures_json([two, one])
    assert [r["report"] for r in figures_rows([two, one])] == ["a", "a", "b", "b"]


def test_the_seed_downloads_hold_every_figure_with_its_sentence(seed_report):
    rows = json.loads(figures_json([seed_report]))
    assert len(rows) >= 65
    assert all(r["sentence"] and r["text"] in r["sentence"] for r in rows)


# ---- No formula cells (issue 9, OWASP "CSV Injection") ----------------------------------------------

HOSTILE = FIXTURES / "hostile"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("value, safe", [
    ("=HYPERLINK(\"http://evil.example\",\"总投资\")", "'=HYPERLINK(\"http://evil.example\",\"总投资\")"),
    ("@SUM(A1)", "'@SUM(A1)"), ("+cmd", "'+cmd"), ("-1+1", "'-1+1"), ("\t=1", "'\t'=1"), ("\r=1", "'\r'=1"),
    ("  =1+1", "'  =1+1"), ("-3.3%", "'-3.3%"),
    ("总投资9999亿元", "总投资9999亿元"), ("5=5", "5=5"), ("", ""), (-3.3, -3.3), (0, 0), (61450000, 61450000),
    ("重点项目;=HYPERLINK(1);总投资", "重点项目;'=HYPERLINK(1);总投资"), ("a; @b", "a; '@b"), ("增长5%,-3%", "增长5%,-3%"),
])
def test_csv_safe_neutralises_text_that_starts_a_formula_and_leaves_numbers_alone(value, safe):
    assert csv_safe(value) == safe
    assert type(csv_safe(value)) is type(value)


def with_figures(*figures: Figure) -> Report:
    block = Block(1, "paragraph", "x", "x", figures=figures)
    return Report(slug="h", source="h.txt", title="t", blocks=(block,))


def cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]


def semicolon_cells(data: bytes) -> list[str]:
    """The cells Excel sees in a locale that splits on ';': a field is quoted only if it starts with a quote."""
    lines = data.decode("utf-8-sig").split("\r\n")
    return [piece.lstrip(' "') for line in lines for piece in line.split(";")]


def test_formula_text_in_label_text_and_sentence_is_written_as_text():
    formula = '=HYPERLINK("http://evil.example/leak","总投资9999亿元")'
    report = with_figures(Figure(9999, "亿元", "@9999亿元", label="+cmd|' /C calc'!A0", block=1, start=0, end=8,
                                 sentence=formula + "项目全面开工。", qualifier="-1+1"))
    row = next(r for r in csv.DictReader(io.StringIO(figures_csv([report]).decode("utf-8-sig"), newline="")))
    assert row["label"] == "'+cmd|' /C calc'!A0"
    assert row["text"] == "'@9999亿元"
    assert row["qualifier"] == "'-1+1"
    assert row["sentence"] == "'" + formula + "项目全面开工。"


def test_a_negative_number_stays_a_number():
    data = figures_csv([with_figures(Figure(-3.3, "%", "下降3.3%", base_value=-3.3, base_unit="%", block=1,
                                            start=0, end=5, sentence="增速为-3.3%。"))])
    line = data.decode("utf-8-sig").split("\r\n")[1]
    # Numbers are written bare, text is quoted: a spreadsheet reads -3.3 as a number, not as text or a formula.
    assert ",-3.3," in line
    assert '"增速为-3.3%。"' in line


def test_text_cells_are_quoted_so_a_semicolon_locale_cannot_split_out_a_formula():
    sentence = '重点项目;=HYPERLINK("http://evil.example");总投资9999亿元。'
    data = figures_csv([with_figures(Figure(9999, "亿元", "9999亿元", label="总投资", block=1, start=0, end=7,
                                            sentence=sentence))])
    # Excel in many European locales splits CSV on ';'.
    assert not [c for c in semicolon_cells(data) if c.startswith(FORMULA_START)]
    assert not [c for c in cells(data) if c.lstrip().startswith(FORMULA_START)]


def hostile_reports() -> list[Report]:
    reports = []
    for seed in sorted(HOSTILE.glob("*.txt")):
        try:
            reports.append(run_stages(parse(read_seed(seed), seed.name)))
        except InputError:
            pass  # refused input is checked in test_cli
    return reports


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_the_figures_of_every_hostile_seed_make_a_csv_without_a_formula_cell():
    reports = hostile_reports()
    assert len(reports) >= 20
    data = figures_csv(reports)
    found = cells(data)
    # A negative number (-3.3) is a number to a spreadsheet, not a formula; text never starts one.
    assert not [c for c in found if c.lstrip().startswith(FORMULA_START) and not is_number(c)]
    assert not [c for c in semicolon_cells(data) if c.startswith(FORMULA_START) and not is_number(c)]
    # The payloads are there, as text: the test would notice them arriving unneutralised.
    assert any(c.startswith("'=HYPERLINK(") for c in found)
    assert any(c.startswith("'@") for c in found) and any(c.startswith("'+") for c in found)
    assert any(c.startswith("'-") for c in found)


def test_a_range_is_one_row_with_its_upper_bound():
    from build_scripts.figures import find_figures
    sentence = "地区生产总值增长5%—5.5%。"
    block = Block(1, "paragraph", sentence, sentence, figures=tuple(find_figures(sentence)))
    [row] = figures_rows([Report(slug="r", source="r.txt", title="t", blocks=(block,))])
    assert (row["text"], row["value"], row["upper"], row["base_upper"]) == ("5%—5.5%", 5, 5.5, 5.5)
