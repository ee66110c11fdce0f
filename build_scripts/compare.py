"""Cross-report view: the same indicator, stated by several reports, side by side.

Which figures count as the same indicator is decided by the reviewed rules in
``data/indicators.yml`` (the words just before the number, its unit, and whether
it is a result or a plan of the year), never by one report's wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .classify import load_yaml, require_keys, require_text, where
from .errors import InputError
from .model import Figure, Report

DATA = Path(__file__).resolve().parent / "data"
INDICATORS_PATH = DATA / "indicators.yml"
CLAUSE_END = re.compile(r"[，。；：,;:！？!?（(]")
PERIODS = ("report", "previous")
KINDS = ("result", "plan")


@dataclass(frozen=True)
class Indicator:
    """One measure that reports state in the same way, and how to recognise it."""

    id: str
    name: str
    unit: str  # base unit of the figure (元, %)
    kind: str  # result | plan
    period: str  # report | previous
    before: re.Pattern
    note: str


@dataclass(frozen=True)
class Statement:
    """One report's figure for one indicator."""

    report: Report
    figure: Figure


@dataclass(frozen=True)
class Comparison:
    """An indicator for one period and the reports that state it, in a stable order."""

    indicator: Indicator
    period: str  # "2026": only figures of the same year are set side by side
    statements: tuple[Statement, ...]

    @property
    def id(self) -> str:
        """A stable address for this comparison: the indicator and its year."""
        return f"{self.indicator.id}-{self.period}"

    @property
    def title(self) -> str:
        """What the comparison shows, as a reader reads it: 2026年地区生产总值增长目标."""
        return f"{self.period}年{self.indicator.name}"


def load_indicators(path: Path = INDICATORS_PATH) -> tuple[Indicator, ...]:
    """The indicators of ``data/indicators.yml``; malformed entries raise ``InputError`` with the line."""
    path = Path(path)
    data = require_keys(path, load_yaml(path), {"indicators"}, "top level")
    entries = data.get("indicators")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "'indicators' must be a non-empty list")
    indicators, seen = [], set()
    for number, entry in enumerate(entries, 1):
        label = f"indicator #{number}"
        entry = require_keys(path, entry, {"id", "name", "unit", "kind", "period", "before", "note"}, label)
        values = {key: require_text(path, entry, key, label)
                  for key in ("id", "name", "unit", "kind", "period", "before", "note")}
        if values["kind"] not in KINDS or values["period"] not in PERIODS:
            raise InputError(path, f"{where(entry, label)}: kind must be one of {', '.join(KINDS)} "
                                   f"and period one of {', '.join(PERIODS)}")
        if values["id"] in seen:
            raise InputError(path, f"{where(entry, label)}: id {values['id']} is used twice")
        seen.add(values["id"])
        try:
            pattern = re.compile(f"(?:{values['before']})\\s*$")
        except re.error as err:
            raise InputError(path, f"{where(entry, label)}: 'before' is not a valid regular expression: {err}") from None
        indicators.append(Indicator(values["id"], values["name"], values["unit"], values["kind"],
                                    values["period"], pattern, values["note"]))
    return tuple(indicators)


def clause_before(text: str, start: int) -> str:
    """The words of a clause up to ``start``: from the last clause mark (，。；：) before it."""
    cut = 0
    for match in CLAUSE_END.finditer(text, 0, start):
        cut = match.end()
    return text[cut:start]


def expected_period(indicator: Indicator, report: Report) -> Optional[str]:
    """The period an indicator's figure must have in this report, or None when the report's year is unknown."""
    if report.year is None:
        return None
    return str(report.year if indicator.period == "report" else report.year - 1)


def statement_of(indicator: Indicator, report: Report) -> Optional[Statement]:
    """The first figure of ``report`` that states ``indicator``, if any."""
    period = expected_period(indicator, report)
    if period is None:
        return None
    for block in report.paragraphs:
        for figure in block.figures:
            if (figure.base_unit == indicator.unit and figure.kind == indicator.kind and figure.period == period
                    and not figure.partial and indicator.before.search(clause_before(block.text, figure.start))):
                return Statement(report, figure)
    return None


def compare(reports: Iterable[Report], indicators: Optional[tuple[Indicator, ...]] = None) -> list[Comparison]:
    """Every indicator and year that at least two reports state, newest year first, reports by place."""
    indicators = indicators if indicators is not None else load_indicators()
    reports = sorted(reports, key=lambda r: (r.place, r.slug))
    comparisons = []
    for indicator in indicators:
        by_period: dict[str, list[Statement]] = {}
        for statement in filter(None, (statement_of(indicator, r) for r in reports)):
            by_period.setdefault(statement.figure.period, []).append(statement)
        for period in sorted(by_period, reverse=True):
            if len(by_period[period]) >= 2:
                comparisons.append(Comparison(indicator, period, tuple(by_period[period])))
    return comparisons


def unused_indicators(reports: Iterable[Report], indicators: Optional[tuple[Indicator, ...]] = None) -> list[str]:
    """Indicators that no report states, for editors to review."""
    indicators = indicators if indicators is not None else load_indicators()
    reports = list(reports)
    return [i.id for i in indicators if not any(statement_of(i, r) for r in reports)]
