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

from .rules_yaml import load_yaml, require_keys, require_text, where
from .errors import InputError
from .model import Figure, Report

DATA = Path(__file__).resolve().parent / "data"
INDICATORS_PATH = DATA / "indicators.yml"
CLAUSE_END = re.compile(r"[，。；：,;:！？!?（(]")
RANGE_MARK = "—–-～~至到"
# The lower bound of a range whose first number has no unit of its own: 增长4.5-5%.
RANGE_START = re.compile(rf"(\d+(?:\.\d+)?)\s*%?\s*[{re.escape(RANGE_MARK)}]\s*$")
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
    """One report's figure for one indicator; a range (4.5%—5%) is drawn at its lower bound."""

    report: Report
    figure: Figure
    text: str  # as the report writes it, the whole range when it is one
    value: float  # in the figure's base unit; the lower bound of a range

    @property
    def is_range(self) -> bool:
        """Whether the report states a range rather than one number."""
        return self.value != self.figure.base_value or self.text != self.figure.text


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
    """The first figure of ``report`` that states ``indicator``, if any, with the range it opens or closes."""
    period = expected_period(indicator, report)
    if period is None:
        return None
    for block in report.paragraphs:
        for number, figure in enumerate(block.figures):
            if (figure.base_unit != indicator.unit or figure.kind != indicator.kind or figure.period != period
                    or figure.partial):
                continue
            before = clause_before(block.text, figure.start)
            if indicator.before.search(before):
                return _with_range_end(report, block, figure, block.figures[number + 1:])
            start = RANGE_START.search(before)
            if start and indicator.before.search(before[:start.start()]):
                # 增长4.5-5%: the figure closes a range whose first number the extractor could not see alone.
                text = block.text[figure.start - len(start.group(0)):figure.end]
                return Statement(report, figure, text, float(start.group(1)))
    return None


def _with_range_end(report: Report, block, figure: Figure, following) -> Statement:
    """The statement of ``figure``, widened to 4.5%—5% when the next figure closes a range it opens."""
    gap = block.text[figure.end:figure.end + 2].strip()
    end = next(iter(following), None)
    if (gap[:1] and gap[:1] in RANGE_MARK and end is not None and end.base_unit == figure.base_unit
            and end.start <= figure.end + 2):
        return Statement(report, figure, block.text[figure.start:end.end], figure.base_value)
    return Statement(report, figure, figure.text, figure.base_value)


# Reports are set beside their peers: a district's growth target next to a province's is not like
# with like, and a page of every report would grow with the site. The compare page sets the
# provincial-level reports side by side (at most 34 bars a chart, however many reports the site holds).
PROVINCIAL_LEVELS = ("省", "自治区", "直辖市")


def provincial(reports: Iterable[Report]) -> list[Report]:
    """The reports of provincial-level governments (省, 自治区, 直辖市): the compare page's peers."""
    return [report for report in reports if report.level in PROVINCIAL_LEVELS]


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
