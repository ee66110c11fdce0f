"""Targets against results: what a report set out for its year, and what the next year's report of the same
place says came of it.

A year-Y report sets targets for Y (地区生产总值增长5%左右); the year-Y+1 report of the same place states the
outcome (地区生产总值增长5.4%). Two kinds of target are matched:

- the indicators of data/indicators.yml that name an ``outcome`` (GDP growth, unemployment, prices …): the
  target and the outcome are found as the compare page finds them, and a target whose outcome the next
  report does not state is "not reported";
- any other target of the year whose measure the next report states as a result of that year in the same
  words, once who and when are stripped (charts.same_measure, exact: same unit, same measure, same scope).
  The looser chart rule (a few words more before the measure) would take a part for the whole here: 投资增长
  of one development zone for 固定资产投资增长, 对非洲出口增长 for 出口增长. A target without a matching result
  is left out: two labels that do not match prove nothing.

A verdict is "met", "missed" or "not-reported"; a ceiling (失业率、物价涨幅, or a target 以内/以下) is met when the
result stays at or under it, any other target when the result reaches its lower bound.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from . import charts
from .compare import Indicators, load_indicators, statement_of
from .markup import figure_anchor, text_page_path, text_page_url, text_pages_of
from .model import Figure, Report

VERDICT_NAMES = {"met": "完成", "missed": "未完成", "not-reported": "未报告"}
CEILING_QUALIFIERS = ("以内", "以下", "不超过")
BELOW_QUALIFIERS = ("近",)  # 近5% is a little under 5%


@dataclass(frozen=True)
class Promise:
    """One target of a year and what became of it, with the reports that say so."""

    place: str
    indicator: str  # what is measured, as readers read it (地区生产总值增长目标, 城镇新增就业)
    year: int  # the year the target was set for
    target: Figure
    target_report: str  # slug of the year-Y report
    result: Optional[Figure]
    result_report: str  # slug of the year-Y+1 report
    verdict: str  # met | missed | not-reported
    indicator_id: str = ""  # the indicator of data/indicators.yml, "" for a target matched by its label
    target_page: int = 0  # the page of its report's full text holding each figure (markup.text_pages)
    result_page: int = 0

    def target_path(self) -> str:
        """The Markdown path of the target's sentence: fujian-2025/report.md#f12-3."""
        return f"{text_page_path(self.target_report, self.target_page)}#{figure_anchor(self.target)}"

    def result_path(self) -> str:
        """The Markdown path of the result's sentence, or "" when the next report states none."""
        return f"{text_page_path(self.result_report, self.result_page)}#{figure_anchor(self.result)}" if self.result else ""

    @property
    def verdict_name(self) -> str:
        """The verdict in Chinese: 完成, 未完成, 未报告."""
        return VERDICT_NAMES[self.verdict]


def year_pairs(reports: Iterable[Report]) -> list[tuple[Report, Report]]:
    """Each report with the next year's report of the same place, by place and year.

    Only the parsed header is read (place and year), so the pairs are known from the reports' outlines.
    Two reports of one place and year: the first by slug speaks for it.
    """
    by_place: dict[tuple[str, int], Report] = {}
    for report in sorted(reports, key=lambda r: r.slug):
        if report.place and report.year:
            by_place.setdefault((report.place, report.year), report)
    return [(report, by_place[(place, year + 1)]) for (place, year), report in sorted(by_place.items())
            if (place, year + 1) in by_place]


def paired_slugs(reports: Iterable[Report]) -> set[str]:
    """The slugs of the reports that have a report of the same place the year before or after."""
    return {report.slug for pair in year_pairs(reports) for report in pair}


def promises(reports: Iterable[Report], indicators: Optional[Indicators] = None) -> list[Promise]:
    """Every target of every report that the next year's report of its place speaks to, by year, place, indicator."""
    indicators = indicators if indicators is not None else load_indicators()
    found = []
    for report, later in year_pairs(reports):
        found += pair_promises(report, later, indicators)
    return sorted(found, key=lambda p: (p.year, p.place))  # stable: each pair's targets keep their order


def open_targets(report: Report, indicators: Optional[Indicators] = None) -> list[tuple[str, Figure]]:
    """The main targets ``report`` sets for its year (the indicators with an outcome): (name, figure) in order."""
    indicators = indicators if indicators is not None else load_indicators()
    found = []
    for indicator in indicators:
        if indicator.outcome:
            target = statement_of(indicator, report, indicators.whole)
            if target is not None:
                found.append((indicator.name, target.figure))
    return found


def pair_promises(report: Report, later: Report, indicators: Optional[Indicators] = None) -> list[Promise]:
    """The targets ``report`` sets for its year, each with the outcome ``later`` (the next year's) states."""
    indicators = indicators if indicators is not None else load_indicators()
    found, used = [], set()
    for indicator in indicators:
        if not indicator.outcome:
            continue
        target = statement_of(indicator, report, indicators.whole)
        if target is None:
            continue
        used.add(_key(target.figure))
        outcome = statement_of(indicators.by_id(indicator.outcome), later, indicators.whole)
        result = outcome.figure if outcome else None
        if result is not None:
            used.add(("result", _key(result)))
        ceiling = indicator.direction == "at-most"
        found.append(Promise(report.place, indicator.name, report.year, target.figure, report.slug, result,
                             later.slug, verdict(target.figure, result, ceiling), indicator.id))
    # Tested once each, not once per target: a report states thousands of figures, few of them measurable.
    results = [f for f in _figures(later) if f.kind == "result" and f.period == str(report.year)
               and ("result", _key(f)) not in used and not f.partial and _measurable(f)]
    for target in _figures(report):
        if target.kind != "plan" or target.period != str(report.year) or _key(target) in used:
            continue
        if not _measurable(target):
            continue
        result = next((r for r in results if ("result", _key(r)) not in used
                       and charts.same_figure_measure(target, r, exact=True)), None)
        if result is None:
            continue
        used.add(("result", _key(result)))
        found.append(Promise(report.place, target.label, report.year, target, report.slug, result, later.slug,
                             verdict(target, result, target.qualifier in CEILING_QUALIFIERS)))
    mine, theirs = text_pages_of(report), text_pages_of(later)
    return [replace(p, target_page=mine.page(p.target.block), result_page=theirs.page(p.result.block) if p.result else 0)
            for p in found]


def verdict(target: Figure, result: Optional[Figure], ceiling: bool = False) -> str:
    """met, missed or not-reported: a floor is met when the result reaches its lower bound, a ceiling when the
    result stays at or under its upper bound (失业率5.5%左右: 5.2% is met)."""
    if result is None or result.base_value is None or target.base_value is None:
        return "not-reported"
    value = result.base_value
    below = result.qualifier in BELOW_QUALIFIERS  # 近5% has not reached 5%
    if ceiling:
        limit = target.base_upper if target.base_upper is not None else target.base_value
        return "met" if value <= limit else "missed"
    return "met" if value >= target.base_value and not (below and value == target.base_value) else "missed"


def _figures(report: Report) -> list[Figure]:
    return [f for block in report.paragraphs for f in block.figures]


def _key(figure: Figure) -> tuple:
    return (figure.block, figure.start)


def _measurable(figure: Figure) -> bool:
    """A target a result can be held against: a stated amount of a unit drawn as bars, a whole year, no capacity."""
    return (charts.is_chartable(figure) and not figure.partial and not charts.is_capacity(figure)
            and any(char.isdigit() for char in figure.text))


def promise_row(promise: Promise, base: str = "") -> dict:
    """One promise as a row of data/promises.json; addresses under ``base`` (the public URL, or site-relative)."""
    def url(slug: str, page: int, figure: Optional[Figure]) -> str:
        return f"{base}{text_page_url(slug, page)}#{figure_anchor(figure)}" if figure is not None else ""

    return {"place": promise.place, "indicator": promise.indicator, "year": promise.year,
            "target": promise.target.text, "result": promise.result.text if promise.result else "",
            "verdict": promise.verdict, "target_url": url(promise.target_report, promise.target_page, promise.target),
            "result_url": url(promise.result_report, promise.result_page, promise.result)}


def promises_json(found: Iterable[Promise], base: str = "") -> bytes:
    """data/promises.json: every promise as a row, in year, place and indicator order."""
    rows = [promise_row(p, base) for p in found]
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
