"""Data downloads: every figure of every report as CSV (for Excel) and JSON, with its source sentence."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Iterable

from .charts import period_text
from .markup import figure_anchor
from .model import Report
from .places import tier

COLUMNS = ("report", "block", "anchor", "label", "value", "upper", "unit", "base_value", "base_upper", "base_unit",
           "period", "kind", "partial", "period_name", "qualifier", "theme", "text", "sentence")
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with the byte order mark


def _number(value):
    """A whole number as an int (61450000, not 61450000.0); other numbers unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def figures_rows(reports: Iterable[Report]) -> list[dict]:
    """One row per figure, reports by slug, figures in reading order."""
    rows = []
    for report in sorted(reports, key=lambda r: r.slug):
        for block in report.blocks:
            for figure in sorted(block.figures, key=lambda f: f.start):
                rows.append({
                    "report": report.slug, "block": figure.block, "anchor": figure_anchor(figure),
                    "label": figure.label, "value": _number(figure.value), "upper": _number(figure.upper),
                    "unit": figure.unit, "base_value": _number(figure.base_value),
                    "base_upper": _number(figure.base_upper), "base_unit": figure.base_unit,
                    "period": figure.period, "kind": figure.kind, "partial": figure.partial,
                    # what a reader reads: 2024年成绩, 2025年目标, 2024年前三季度, 时间未注明
                    "period_name": period_text(figure),
                    "qualifier": figure.qualifier, "theme": figure.theme or "",
                    "text": figure.text, "sentence": figure.sentence,
                })
    return rows


# OWASP "CSV Injection": Excel, LibreOffice and Google Sheets run a cell that starts with one of
# these as a formula (=HYPERLINK(…) leaks data, @SUM and +/- start formulas too; tab and carriage
# return because some importers strip them and then read the next character).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel in many European locales splits a .csv on ";" and ignores the quotes of a field that does not
# start with one, so a ";" (or tab, or line break) inside a text cell can start a new cell there.
_FORMULA_AFTER_SPLIT = re.compile(r"([;\t\r\n][ ]*)(?=[=+\-@])")
_SPLITS = re.compile(r"[;\t\r\n]")


def csv_safe(value):
    """A CSV cell no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a leading '.

    Only text is neutralised; numbers (int, float) stay numbers, so -3.3 is still the number -3.3.
    Text is neutralised even when it looks like a number ("-3.3%" becomes "'-3.3%"): the value
    columns carry the numbers. Leading spaces do not hide a formula, since some importers trim them;
    a formula character right after a ";", tab or line break inside the text gets a ' as well.
    """
    if not isinstance(value, str):
        return value
    lead = "'" if value.lstrip(" ").startswith(FORMULA_START) else ""
    if not _SPLITS.search(value):  # the usual cell: no mark after which a formula could start
        return lead + value
    return lead + _FORMULA_AFTER_SPLIT.sub(r"\1'", value)


def figures_csv(reports: Iterable[Report]) -> bytes:
    """All figures as CSV: UTF-8 with BOM, CRLF line ends, a header row, deterministic, no formula cells.

    Every text cell passes through ``csv_safe``. Text cells are quoted and numbers are not
    (QUOTE_NONNUMERIC), so a spreadsheet reads numbers as numbers and a comma never splits text.
    """
    out = io.StringIO()
    # A plain writer given the cells in COLUMNS order writes what a DictWriter would, without checking
    # every row's keys against the header.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(COLUMNS)
    writer.writerows(["" if row[key] is None else csv_safe(row[key]) for key in COLUMNS]
                     for row in figures_rows(reports))
    return (BOM + out.getvalue()).encode("utf-8")


def figures_json(reports: Iterable[Report]) -> bytes:
    """All figures as a JSON array of rows: UTF-8, Chinese as is, keys sorted, deterministic."""
    text = json.dumps(figures_rows(reports), ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


def joined_csv(tables: Iterable[bytes]) -> bytes:
    """Several ``figures_csv`` tables as one: the first's BOM and header, then every table's rows in turn.

    ``figures_csv`` of several reports is exactly this join of theirs (taken in slug order), so the
    site's table is made from the reports' tables without writing every row again.
    """
    tables = list(tables)
    if not tables:
        return figures_csv([])
    header_end = tables[0].index(b"\r\n") + 2
    return tables[0][:header_end] + b"".join(table[table.index(b"\r\n") + 2:] for table in tables)


def joined_json(arrays: Iterable[bytes]) -> bytes:
    """Several ``figures_json`` arrays as one, the same bytes as ``figures_json`` of all their rows."""
    items = [array[2:-3] for array in arrays if array != b"[]\n"]  # each array without "[\n" and "\n]\n"
    return b"[\n" + b",\n".join(items) + b"\n]\n" if items else b"[]\n"


REPORT_FIELDS = ("slug", "title", "place", "level", "year", "shape", "presenter", "delivered", "published",
                 "outlet", "source", "source_url", "official_url")


def reports_rows(reports: Iterable[Report]) -> list[dict]:
    """One row per report (the public contract of data/reports/<year>-<code>.json), with the address of its pages."""
    rows = []
    for report in reports:
        row = {key: getattr(report, key) for key in REPORT_FIELDS}
        row["url"] = f"{report.slug}/"
        row["figures"] = sum(len(b.figures) for b in report.blocks)
        rows.append(row)
    return rows


# The reports browser's files: a small index of (year, province) shards, and one shard each, so the
# browser loads the list it shows and never the whole site's (thousands of reports). The figures of
# the reports of each shard are one download (CSV and JSON) of their own: no download holds the
# whole site's, which would grow with every report added (125 MB of JSON at 1,000 reports).
REPORTS_SHARDS = "data/reports/"
FIGURE_SHARDS = "data/figures/"


def shard_stem(year, code: str) -> str:
    """The name of the browser's file of one year and province, without .json: 2026-35 (also its address's #)."""
    return f"{year or 'unknown'}-{code}"


def report_shards(reports: Iterable[Report], province_of, provinces: list[tuple[str, str]],
                  tables) -> list[tuple[str, bytes]]:
    """The browser's index and shards as (site path, bytes): a shard per year and province, reports in site order,
    and the figures of each shard's reports (``FIGURE_SHARDS``), their tables joined in slug order.

    ``province_of(report)`` gives a report's province as (code, name); ``provinces`` lists every
    (code, name) in the order the browser offers them (the official order, unknown places last);
    ``tables(slug)`` gives a report's own figures.csv and figures.json (made by ``figures_csv`` and
    ``figures_json``, once per report in the workers), asked for one shard at a time.
    """
    reports = list(reports)
    shards: dict[tuple, list[dict]] = {}
    for report, row in zip(reports, reports_rows(reports)):
        code, _ = province_of(report)
        row["tier"] = tier(report.level or "")  # the browser filters by it: the levels are named in Python only
        shards.setdefault((report.year or 0, code), []).append(row)
    order = {code: n for n, (code, _) in enumerate(provinces)}
    names = dict(provinces)
    keys = sorted(shards, key=lambda key: (-key[0], order.get(key[1], len(order))))
    stems = [shard_stem(year, code) for year, code in keys]
    index = [{"year": year or None, "province": names.get(code, ""), "code": code, "reports": len(shards[(year, code)]),
              "file": f"{stem}.json", "figures_csv": f"../figures/{stem}.csv", "figures_json": f"../figures/{stem}.json"}
             for (year, code), stem in zip(keys, stems)]
    files = [(REPORTS_SHARDS + "index.json", _json_bytes(index))]
    files += [(REPORTS_SHARDS + entry["file"], _json_bytes(shards[key])) for entry, key in zip(index, keys)]
    for key, stem in zip(keys, stems):
        slugs = sorted(row["slug"] for row in shards[key])
        own = [tables(slug) for slug in slugs]
        files.append((f"{FIGURE_SHARDS}{stem}.csv", joined_csv(csv for csv, _ in own)))
        files.append((f"{FIGURE_SHARDS}{stem}.json", joined_json(table for _, table in own)))
    return files


def _json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
