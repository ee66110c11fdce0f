"""Headline figures: the 6–8 numbers on the home page, chosen by the editable rule in ``data/headlines.yml``."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from .classify import load_themes
from .compare import load_indicators, statement_of
from .figures import load_rules as load_figure_rules
from .rules_yaml import load_yaml, require_keys, require_text, where
from .errors import InputError
from .model import Figure, Report

DATA = Path(__file__).resolve().parent / "data"
RULE_PATH = DATA / "headlines.yml"
KINDS = ("result", "plan", "other")  # Figure.kind
MAGNITUDES = (("万亿", 1e12), ("亿", 1e8), ("千万", 1e7), ("百万", 1e6), ("万", 1e4), ("千", 1e3), ("百", 1e2))


@dataclass(frozen=True)
class Group:
    """A kind of figure (money, people …) by its base units; earlier groups are preferred."""

    id: str
    units: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Match:
    """A pin or exclusion: a figure whose label or text is exactly this, in one report or in all."""

    label: str = ""
    text: str = ""
    note: str = ""
    report: str = ""  # a report slug; empty for every report

    def matches(self, figure: Figure) -> bool:
        """Whether this entry names ``figure``."""
        return (bool(self.label) and figure.label == self.label) or (bool(self.text) and figure.text == self.text)

    def applies_to(self, report: Report) -> bool:
        """Whether this entry is about ``report`` (entries without a report apply to all)."""
        return not self.report or self.report == report.slug


@dataclass(frozen=True)
class Rule:
    """The whole headline rule."""

    count_min: int
    count_max: int
    per_theme_max: int
    kinds: tuple[str, ...]
    groups: tuple[Group, ...]
    pin: tuple[Match, ...] = ()
    exclude: tuple[Match, ...] = ()
    lead: tuple[str, ...] = ()  # indicators of data/indicators.yml whose figure comes first, when the report states it
    # A card must say what it counts: no bare label (总量, 新台阶), no label of two characters, no ceiling (1万元以下).
    min_label: int = 3
    ceilings: tuple[str, ...] = ("以下", "以内")


def load_rule(path: Optional[Path] = None) -> Rule:
    """The headline rule from ``data/headlines.yml`` (or ``path``); malformed entries raise ``InputError``."""
    path = Path(path or RULE_PATH)
    data = require_keys(path, load_yaml(path), {"count", "per_theme", "kinds", "groups", "pin", "exclude", "lead"},
                        "top level")
    count = require_keys(path, data.get("count"), {"min", "max"}, "count")
    count_min, count_max = _whole(path, count, "min", "count"), _whole(path, count, "max", "count")
    if count_min > count_max:
        raise InputError(path, f"{where(count, 'count')}: min {count_min} is larger than max {count_max}")
    per_theme = require_keys(path, data.get("per_theme"), {"max"}, "per_theme")
    kinds = data.get("kinds")
    if not isinstance(kinds, list) or not kinds or not all(k in KINDS for k in kinds):
        raise InputError(path, f"'kinds' must be a non-empty list of {', '.join(KINDS)}; found {kinds!r}")
    groups = data.get("groups")
    if not isinstance(groups, list) or not groups:
        raise InputError(path, "'groups' must be a non-empty list")
    return Rule(
        count_min=count_min,
        count_max=count_max,
        per_theme_max=_whole(path, per_theme, "max", "per_theme"),
        kinds=tuple(kinds),
        groups=tuple(_group(path, g, n) for n, g in enumerate(groups, 1)),
        pin=tuple(_match(path, m, f"pin #{n}") for n, m in enumerate(data.get("pin") or [], 1)),
        exclude=tuple(_match(path, m, f"exclude #{n}") for n, m in enumerate(data.get("exclude") or [], 1)),
        lead=_lead(path, data.get("lead") or []),
    )


def _lead(path: Path, entries: list) -> tuple[str, ...]:
    """The lead indicators' ids, each one of data/indicators.yml, each with a note."""
    known = {indicator.id for indicator in load_indicators()}
    ids = []
    for n, entry in enumerate(entries, 1):
        entry = require_keys(path, entry, {"indicator", "note"}, f"lead #{n}")
        require_text(path, entry, "note", f"lead #{n}")
        if entry.get("indicator") not in known:
            raise InputError(path, f"{where(entry, f'lead #{n}')}: {entry.get('indicator')!r} is no indicator of "
                                   "data/indicators.yml")
        ids.append(entry["indicator"])
    return tuple(ids)


def _whole(path: Path, entry: dict, key: str, label: str) -> int:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(path, f"{where(entry, label)}: '{key}' must be a whole number of at least 1, found {value!r}")
    return value


def _group(path: Path, entry: object, number: int) -> Group:
    label = f"group #{number}"
    entry = require_keys(path, entry, {"id", "units", "note"}, label)
    units = entry.get("units")
    if not isinstance(units, list) or not units or not all(isinstance(u, str) and u for u in units):
        raise InputError(path, f"{where(entry, label)}: 'units' must be a non-empty list of base units like 元")
    return Group(require_text(path, entry, "id", label), tuple(units), require_text(path, entry, "note", label))


def _match(path: Path, entry: object, label: str) -> Match:
    entry = require_keys(path, entry, {"label", "text", "note", "report"}, label)
    if not entry.get("label") and not entry.get("text"):
        raise InputError(path, f"{where(entry, label)}: give a 'label' or a 'text' to match")
    for key in ("label", "text", "report"):
        if key in entry and not isinstance(entry[key], str):
            raise InputError(path, f"{where(entry, label)}: '{key}' must be a text")
    return Match(entry.get("label", ""), entry.get("text", ""), require_text(path, entry, "note", label),
                 entry.get("report", ""))


# ---------------------------------------------------------------- choosing


def base_unit(figure: Figure) -> str:
    """The figure's unit without its magnitude (万人次 → 人次), as the extractor gives it or derived."""
    if figure.base_unit:
        return figure.base_unit
    for prefix, _ in MAGNITUDES:
        if figure.unit.startswith(prefix) and len(figure.unit) > len(prefix):
            return figure.unit[len(prefix):]
    return figure.unit


def base_value(figure: Figure) -> float:
    """The figure's value in base units (6145万元 → 61450000), as given or derived from the unit."""
    if figure.base_value is not None:
        return figure.base_value
    for prefix, factor in MAGNITUDES:
        if figure.unit.startswith(prefix) and len(figure.unit) > len(prefix):
            return figure.value * factor
    return figure.value


def figures_with_themes(report: Report) -> list[tuple[Figure, Optional[str]]]:
    """Every figure of the report in reading order, with its theme (its own, else its paragraph's)."""
    return [(f, f.theme or block.theme) for block in report.blocks for f in block.figures]


def headline_figures(report: Report, rule_path: Optional[Path] = None) -> list[Figure]:
    """The home page's headline figures, in theme display order, chosen by the rule."""
    rule = load_rule(rule_path)
    order = [t.id for t in load_themes()]
    candidates = figures_with_themes(report)
    pins = [m for m in rule.pin if m.applies_to(report)]
    exclusions = [m for m in rule.exclude if m.applies_to(report)]
    pinned = [(f, t) for f, t in candidates if any(m.matches(f) for m in pins)]
    # The lead indicators open the cards without taking their theme's turns: the rest is chosen as before.
    leads = [c for c in _lead_figures(report, rule, candidates) if c not in pinned][: rule.count_max]
    rule = replace(rule, count_min=max(0, rule.count_min - len(leads)), count_max=rule.count_max - len(leads))
    chosen = list(pinned[: rule.count_max])
    free = [(f, t) for f, t in candidates
            if t in order and (f, t) not in chosen and (f, t) not in leads
            and not any(m.matches(f) for m in exclusions)
            and _group_rank(f, rule) is not None and _telling(f, rule)]
    picked = _round_robin([c for c in free if c[0].kind in rule.kinds and not c[0].partial], chosen, order, rule)
    if len(picked) < rule.count_min:
        # Too few whole-year results: the results stay and others join them; each card names its period
        # (2025年目标, 2024年前三季度), so a plan never passes for a result.
        picked = _round_robin(free, picked, order, rule)
    position = {id(f): n for n, (f, _) in enumerate(candidates)}
    theme_rank = {t: n for n, t in enumerate(order)}
    return [f for f, _ in leads] + [f for f, t in sorted(picked, key=lambda c: (theme_rank.get(c[1], len(order)),
                                                                              position[id(c[0])]))]


def _lead_figures(report: Report, rule: Rule, candidates: list) -> list:
    """The figures of the rule's lead indicators the report states for the place as a whole, with their themes."""
    if not rule.lead:
        return []
    indicators = load_indicators()
    # statement_of gives a copy dated with the indicator's period: the report's own figure is found by its place.
    by_place = {(f.block, f.start): (f, t) for f, t in candidates}
    found = []
    for indicator_id in rule.lead:
        statement = statement_of(indicators.by_id(indicator_id), report, indicators.whole)
        if statement is not None and (statement.figure.block, statement.figure.start) in by_place:
            found.append(by_place[(statement.figure.block, statement.figure.start)])
    return found


def _telling(figure: Figure, rule: Rule) -> bool:
    """Whether a card of this figure says what it counts: a label of its own, not a ceiling."""
    label = figure.label or ""
    return (len(label) >= rule.min_label and label not in load_figure_rules().bare_nouns
            and figure.qualifier not in rule.ceilings)


def unused_rule_entries(report: Report, rule_path: Optional[Path] = None) -> list[str]:
    """Pins and exclusions of the rule that match no figure of this report, for editors."""
    rule = load_rule(rule_path)
    figures = [f for f, _ in figures_with_themes(report)]
    return [f"{kind}: {m.label or m.text}" for kind, entries in (("pin", rule.pin), ("exclude", rule.exclude))
            for m in entries if m.applies_to(report) and not any(m.matches(f) for f in figures)]


def _group_rank(figure: Figure, rule: Rule) -> Optional[int]:
    unit = base_unit(figure)
    for rank, group in enumerate(rule.groups):
        if unit in group.units:
            return rank
    return None


def _round_robin(free: list, chosen: list, order: list[str], rule: Rule) -> list:
    picked = list(chosen)
    for _ in range(rule.per_theme_max):
        for theme in order:
            if len(picked) >= rule.count_max:
                return picked
            mine = [c for c in picked if c[1] == theme]
            if len(mine) >= rule.per_theme_max:
                continue
            shown = {_group_rank(f, rule) for f, _ in mine}
            options = [c for c in free if c[1] == theme and c not in picked]
            if options:
                # An unshown group first, then the preferred group, then the largest amount.
                picked.append(min(options, key=lambda c: (_group_rank(c[0], rule) in shown,
                                                          _group_rank(c[0], rule), -base_value(c[0]))))
    return picked
