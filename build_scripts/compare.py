"""Cross-report view: the same indicator, stated by several reports, side by side.

Which figures count as the same indicator is decided by the reviewed rules in
``data/indicators.yml`` (the words just before the number, its unit, and whether
it is a result or a plan of the year), never by one report's wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Optional

from .rules_yaml import load_yaml, require_keys, require_text, where
from .errors import InputError
from .model import Figure, Report
from .places import PROVINCIAL_LEVELS, load_provinces

DATA = Path(__file__).resolve().parent / "data"
INDICATORS_PATH = DATA / "indicators.yml"
# Where the words of a figure's clause begin: after these marks. 、 is one too, so 稳中有进、地区生产总值增长
# reads 地区生产总值增长, while 连续迈上4个万亿元台阶、达 is read whole by the indicator's own pattern.
CLAUSE_END = re.compile(r"[，。；：,;:！？!?（(]")
PERIODS = ("report", "previous")
KINDS = ("result", "plan")
REQUIRED = ("id", "name", "unit", "kind", "period", "before", "note")
OPTIONAL = ("levels", "thresholds", "outcome", "direction")
DIRECTIONS = ("at-least", "at-most")
LEADING_YEAR = re.compile(r"(?:19|20)\d\d年")  # 2025年全省地区生产总值…: when, not what
BARE_CLAUSE = 4  # a clause this short (增长, 增长了) is a verb whose subject is the clause before


@dataclass(frozen=True)
class Indicator:
    """One measure that reports state in the same way, and how to recognise it."""

    id: str
    name: str
    unit: str  # base unit of the figure (元, %)
    kind: str  # result | plan
    period: str  # report | previous
    before: re.Pattern  # the whole clause before the figure, once the place's own words are off its start
    note: str
    levels: bool = False  # a level reached at the end of a several-year review counts for its last year
    thresholds: Optional[re.Pattern] = None  # 突破…: a threshold passed, taken only without an exact value
    outcome: str = ""  # a target's result indicator (its id), for targets against results
    direction: str = "at-least"  # at-most: a ceiling (失业率, 物价涨幅)


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
        return self.figure.upper is not None


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


@dataclass(frozen=True)
class Indicators:
    """The indicators of data/indicators.yml and the words that name a place as a whole (全省, 我市)."""

    indicators: tuple[Indicator, ...]
    whole: tuple[str, ...]

    def __iter__(self):
        return iter(self.indicators)

    def by_id(self, indicator_id: str) -> Indicator:
        """The indicator of this id."""
        return next(i for i in self.indicators if i.id == indicator_id)


def load_indicators(path: Path = INDICATORS_PATH) -> Indicators:
    """The indicators of ``data/indicators.yml``; malformed entries raise ``InputError`` with the line."""
    path = Path(path)
    data = require_keys(path, load_yaml(path), {"indicators", "whole"}, "top level")
    entries = data.get("indicators")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "'indicators' must be a non-empty list")
    whole = data.get("whole") or []
    if not isinstance(whole, list) or not all(isinstance(w, str) and w for w in whole):
        raise InputError(path, "'whole' must be a list of words")
    indicators, seen = [], set()
    for number, entry in enumerate(entries, 1):
        label = f"indicator #{number}"
        entry = require_keys(path, entry, set(REQUIRED) | set(OPTIONAL), label)
        values = {key: require_text(path, entry, key, label) for key in REQUIRED}
        if values["kind"] not in KINDS or values["period"] not in PERIODS:
            raise InputError(path, f"{where(entry, label)}: kind must be one of {', '.join(KINDS)} "
                                   f"and period one of {', '.join(PERIODS)}")
        if values["id"] in seen:
            raise InputError(path, f"{where(entry, label)}: id {values['id']} is used twice")
        if not isinstance(entry.get("levels", False), bool):
            raise InputError(path, f"{where(entry, label)}: 'levels' must be true or false")
        if entry.get("direction", "at-least") not in DIRECTIONS:
            raise InputError(path, f"{where(entry, label)}: 'direction' must be one of {', '.join(DIRECTIONS)}")
        seen.add(values["id"])
        pattern = _compiled(path, entry, label, "before", f"^(?:{values['before']})\\s*$")
        thresholds = (_compiled(path, entry, label, "thresholds", require_text(path, entry, "thresholds", label))
                      if "thresholds" in entry else None)
        indicators.append(Indicator(values["id"], values["name"], values["unit"], values["kind"],
                                    values["period"], pattern, values["note"], bool(entry.get("levels", False)),
                                    thresholds, str(entry.get("outcome", "")), entry.get("direction", "at-least")))
    ids = {i.id: i for i in indicators}
    for indicator in indicators:
        outcome = ids.get(indicator.outcome)
        if indicator.outcome and (outcome is None or outcome.kind != "result" or indicator.kind != "plan"
                                  or outcome.unit != indicator.unit):
            raise InputError(path, f"indicator {indicator.id}: 'outcome' must name a result indicator of the same "
                                   f"unit, and only a plan has one")
    return Indicators(tuple(indicators), tuple(sorted(whole, key=len, reverse=True)))


def _compiled(path: Path, entry: dict, label: str, key: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as err:
        raise InputError(path, f"{where(entry, label)}: '{key}' is not a valid regular expression: {err}") from None


def clause_before(text: str, start: int) -> str:
    """The words of a clause up to ``start``: from the last clause mark (，。；：) before it."""
    cut = 0
    for match in CLAUSE_END.finditer(text, 0, start):
        cut = match.end()
    return text[cut:start]


def measure_words(before: str, report: Report, whole: tuple[str, ...]) -> list[str]:
    """The ways the words before a figure may name its measure for the place as a whole: the clause with the
    report's own place name and the words of the whole place (全省, 我市, 今年) taken off its start, and each
    part of it after a 、 (稳中有进、地区生产总值增长)."""
    names = tuple(n for n in (report.place, *_short_names(report.place)) if n)
    readings = [before] + [before[i + 1:] for i, char in enumerate(before) if char == "、"]
    stripped = []
    for words in readings:
        changed = True
        while changed:
            changed = False
            year = LEADING_YEAR.match(words)
            if year and len(words) > year.end():
                words, changed = words[year.end():], True
            for prefix in names + whole:
                if words.startswith(prefix) and len(words) > len(prefix):
                    words, changed = words[len(prefix):], True
        stripped.append(words)
    return stripped


def _short_names(place: str) -> tuple[str, ...]:
    """A provincial place's name without its level (河南省 → 河南; 广西壮族自治区 → 广西), for clauses that name it so."""
    return tuple(p.short for p in load_provinces() if p.name == place and p.short != place)


def expected_period(indicator: Indicator, report: Report) -> Optional[str]:
    """The period an indicator's figure must have in this report, or None when the report's year is unknown."""
    if report.year is None:
        return None
    return str(report.year if indicator.period == "report" else report.year - 1)


def _in_period(indicator: Indicator, figure: Figure, period: str) -> bool:
    """True when the figure speaks of the period: that year, or for a level, a review of years ending in it."""
    if figure.period == period:
        return True
    return indicator.levels and figure.period.endswith(f"-{period}")


def statement_of(indicator: Indicator, report: Report, whole: Optional[tuple[str, ...]] = None) -> Optional[Statement]:
    """The first figure of ``report`` that states ``indicator`` for the place as a whole, if any.

    A threshold passed (突破2万亿元) is taken only when no exact value is stated. ``whole``: the words of
    the whole place, by default those of data/indicators.yml.
    """
    period = expected_period(indicator, report)
    if period is None:
        return None
    whole = load_indicators().whole if whole is None else whole
    passed = None
    for block in report.paragraphs:
        for figure in block.figures:
            if (figure.base_unit != indicator.unit or figure.kind != indicator.kind or figure.partial
                    or not _in_period(indicator, figure, period)):
                continue
            if block.text.startswith("的", figure.end):
                continue  # 经济总量超500亿元的县域: the figure sorts other things, it states no level
            before = clause_before(block.text, figure.start)
            readings = measure_words(before, report, whole)
            if len(before) <= BARE_CLAUSE:  # ，增长5.5%: the clause before names what grew
                earlier = clause_before(block.text, max(0, figure.start - len(before) - 1))
                readings += measure_words(f"{earlier}、{before}", report, whole)
            if not any(indicator.before.search(words) for words in readings):
                continue
            statement = Statement(report, replace(figure, period=period), figure.text, figure.base_value)
            if indicator.thresholds is not None and indicator.thresholds.search(before):
                passed = passed or statement
                continue
            return statement
    return passed


# Reports are set beside their peers: a district's growth target next to a province's is not like
# with like, and a page of every report would grow with the site. The compare page sets the
# provincial-level reports side by side (at most 34 bars a chart, however many reports the site holds);
# which levels are provincial is said once, in places.PROVINCIAL_LEVELS.


def provincial(reports: Iterable[Report]) -> list[Report]:
    """The reports of provincial-level governments (省, 自治区, 直辖市): the compare page's peers."""
    return [report for report in reports if report.level in PROVINCIAL_LEVELS]


def compare(reports: Iterable[Report], indicators: Optional[Indicators] = None) -> list[Comparison]:
    """Every indicator and year that at least two reports state, newest year first, reports by place."""
    indicators = indicators if indicators is not None else load_indicators()
    reports = sorted(reports, key=lambda r: (r.place, r.slug))
    comparisons = []
    for indicator in indicators:
        by_period: dict[str, list[Statement]] = {}
        for statement in filter(None, (statement_of(indicator, r, indicators.whole) for r in reports)):
            by_period.setdefault(statement.figure.period, []).append(statement)
        for period in sorted(by_period, reverse=True):
            if len(by_period[period]) >= 2:
                comparisons.append(Comparison(indicator, period, tuple(by_period[period])))
    return comparisons


def unused_indicators(reports: Iterable[Report], indicators: Optional[Indicators] = None) -> list[str]:
    """Indicators that no report states, for editors to review."""
    indicators = indicators if indicators is not None else load_indicators()
    reports = list(reports)
    return [i.id for i in indicators if not any(statement_of(i, r, indicators.whole) for r in reports)]
