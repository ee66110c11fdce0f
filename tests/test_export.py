"""Data downloads: figures as CSV (Excel-ready) and JSON, each with its source sentence."""
from __future__ import annotations

import csv
import io
import json

import pytest

from build_scripts.export import COLUMNS, figures_csv, figures_json, figures_rows
from build_scripts.model import Block, Figure, Report
from build_scripts.parse import parse, read_seed
from build_scripts.pipeline import run_stages


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
        "report": "tiny", "block": 1, "anchor": "f1-6", "label": "消费补贴", "value": 6145, "unit": "万元",
        "base_value": 61450000, "base_unit": "元", "period": "2024", "qualifier": "", "theme": "economy",
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
