"""Figures stage: every quantity stated in the cleaned body becomes a ``Figure``.

A figure is a number with a counter (6145万元, 12.6%, 十条, 第三位), with the
qualifiers around it (超, 近, 余, 以上). Which counters exist and how they
normalise lives in data/units.yml; which numeral phrases are not quantities
(二十大, 两位数, 三年行动) and how labels are trimmed lives in
data/figure_rules.yml. This module holds only the reading logic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

from .errors import InputError
from .model import Block, Figure, Report

DATA = Path(__file__).resolve().parent / "data"
UNITS_PATH = DATA / "units.yml"
RULES_PATH = DATA / "figure_rules.yml"

SENTENCE_ENDS = "。!?！？;；…"
CLAUSE_ENDS = SENTENCE_ENDS + ",，、:：—"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                  "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE = "[" + "".join(CHINESE_DIGITS) + "".join(CHINESE_UNITS) + "]+"
RANK_BASE = "名次"  # base unit of ordinal figures; ranks are never added or compared as bars
MAX_LABEL_CHARS = 16


# ---------------------------------------------------------------- data files

class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader, node):
    mapping = LocatedDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


class LocatedDict(dict):
    """A YAML mapping that knows the line it started on."""

    line = 0


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path):
    """Read a YAML data file whose mappings carry their line numbers; errors name the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(path, f"cannot read data file ({err.strerror})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise InputError(path, f"{where}not valid YAML ({getattr(err, 'problem', err)})") from None


def _require(path: Path, entry, keys: tuple[str, ...], what: str) -> None:
    """Reject an entry that is not a mapping or lacks one of ``keys``."""
    line = getattr(entry, "line", "?")
    if not isinstance(entry, dict):
        raise InputError(path, f"line {line}: {what} must be a mapping, found {entry!r}")
    missing = [k for k in keys if entry.get(k) in (None, "")]
    if missing:
        raise InputError(path, f"line {line}: {what} lacks {', '.join(missing)}")


@dataclass(frozen=True)
class Unit:
    """A counter as written, what it normalises to and what it measures."""

    name: str
    base: str
    slug: str
    multiplier: float
    kind: str
    scalable: bool
    alias: str
    note: str
    measure: str = ""


@dataclass(frozen=True)
class Kind:
    """What a family of units measures and whether it is drawn as bars."""

    name: str
    chart: bool
    measure: str
    note: str
    display_magnitudes: bool = False


@dataclass(frozen=True)
class UnitTable:
    """The unit table of data/units.yml."""

    magnitudes: dict
    units: dict
    kinds: dict

    def kind_of(self, base_unit: str) -> Optional[Kind]:
        """The kind of a base unit (元 → money), or None for an unknown unit."""
        if base_unit == RANK_BASE:
            return self.kinds.get("rank")
        unit = next((u for u in self.units.values() if u.base == base_unit), None)
        return self.kinds.get(unit.kind) if unit else None

    def measure_of(self, base_unit: str) -> str:
        """What a chart of this base unit compares (金额, 人次, 数量)."""
        unit = next((u for u in self.units.values() if u.base == base_unit and u.measure), None)
        kind = self.kind_of(base_unit)
        return unit.measure if unit else (kind.measure if kind else "数值")

    def slug_of(self, base_unit: str) -> str:
        """The ASCII name of a base unit, for stable chart ids."""
        if base_unit == RANK_BASE:
            return "rank"
        unit = next((u for u in self.units.values() if u.base == base_unit), None)
        return unit.slug if unit else "other"


@lru_cache(maxsize=8)
def load_units(path: Path = UNITS_PATH) -> UnitTable:
    """Load and check the unit table; malformed entries raise ``InputError`` naming the line."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict) or not all(k in data for k in ("magnitudes", "kinds", "units")):
        raise InputError(path, "needs the sections magnitudes, kinds and units")
    magnitudes = {}
    for word, entry in data["magnitudes"].items():
        _require(path, entry, ("multiplier", "note"), f"magnitude {word}")
        magnitudes[str(word)] = float(entry["multiplier"])
    kinds = {}
    for name, entry in data["kinds"].items():
        _require(path, entry, ("measure", "note"), f"kind {name}")
        kinds[name] = Kind(name, bool(entry.get("chart", True)), entry["measure"], entry["note"],
                           bool(entry.get("display_magnitudes", False)))
    units: dict[str, Unit] = {}
    by_base: dict[str, Unit] = {}
    for name, entry in data["units"].items():
        name = str(name)
        _require(path, entry, ("base", "slug", "multiplier", "kind", "note"), f"unit {name}")
        if entry["kind"] not in kinds:
            raise InputError(path, f"line {entry.line}: unit {name} has unknown kind {entry['kind']!r}")
        unit = Unit(name, str(entry["base"]), str(entry["slug"]), float(entry["multiplier"]), entry["kind"],
                    bool(entry.get("scalable", True)), str(entry.get("alias", "")), entry["note"],
                    str(entry.get("measure", "")))
        other = by_base.setdefault(unit.base, unit)
        if (other.kind, other.slug) != (unit.kind, unit.slug):
            raise InputError(path, f"line {entry.line}: unit {name} has base {unit.base} like unit {other.name} "
                                   "but another kind or slug; one base unit has one kind and one slug")
        units[name] = unit
    return UnitTable(magnitudes, units, kinds)


@dataclass(frozen=True)
class Rules:
    """The non-unit knowledge of data/figure_rules.yml."""

    exclusions: tuple[str, ...]
    phrases: tuple[dict, ...]
    before: tuple[str, ...]
    inside: tuple[str, ...]
    after: tuple[str, ...]
    ordinal_counters: tuple[str, ...]
    first_words: dict
    smallest_chinese_numeral: int
    code_marks: re.Pattern
    drop_prefixes: tuple[str, ...]
    drop_suffixes: tuple[str, ...]
    drop_patterns: tuple[re.Pattern, ...]
    tail_stops: tuple[str, ...]
    result_headings: tuple[str, ...]
    plan_headings: tuple[str, ...]


def _words(path: Path, entries, key: str, what: str) -> tuple[str, ...]:
    """The ``key`` of each entry of a list of noted entries, checked."""
    if not isinstance(entries, list):
        raise InputError(path, f"{what} must be a list")
    for entry in entries:
        _require(path, entry, (key, "note"), f"{what} entry")
    return tuple(str(e[key]) for e in entries)


def _char_class(path: Path, pattern) -> re.Pattern:
    """Compile the code_marks character class, or say what is wrong with it."""
    try:
        compiled = re.compile(str(pattern))
    except re.error as err:
        raise InputError(path, f"code_marks is not a valid character class ({err})") from None
    if not str(pattern).startswith("["):
        raise InputError(path, "code_marks must be one character class, like [-+A-Za-z0-9]")
    return compiled


def _label_pattern(path: Path, entry) -> re.Pattern:
    """One label_drop_patterns entry, compiled and anchored at the start of the label."""
    _require(path, entry, ("pattern", "note"), "label pattern")
    try:
        return re.compile("^(?:" + str(entry["pattern"]) + ")")
    except re.error as err:
        raise InputError(path, f"line {entry.line}: pattern {entry['pattern']!r} is not a valid regex ({err})") from None


@lru_cache(maxsize=8)
def load_rules(path: Path = RULES_PATH) -> Rules:
    """Load and check the extraction rules; malformed entries raise ``InputError`` naming the line."""
    path = Path(path)
    data = load_yaml(path)
    needed = ("exclusions", "phrases", "qualifiers", "ordinals", "smallest_chinese_numeral", "code_marks",
              "label_drop_prefixes", "label_drop_suffixes", "label_drop_patterns", "label_tail_stops", "periods")
    if not isinstance(data, dict) or any(k not in data for k in needed):
        raise InputError(path, f"needs the sections {', '.join(needed)}")
    for entry in data["phrases"]:
        _require(path, entry, ("phrase", "text", "value", "unit", "note"), "phrase")
        if not entry["phrase"].startswith(entry["text"]):
            raise InputError(path, f"line {entry.line}: text {entry['text']!r} must begin the phrase {entry['phrase']!r}")
    quals = data["qualifiers"]
    firsts = data["ordinals"].get("first_words", [])
    for entry in firsts:
        _require(path, entry, ("word", "counter", "note"), "ordinal first word")
    longest_first = lambda words: tuple(sorted(words, key=len, reverse=True))  # noqa: E731
    return Rules(
        exclusions=_words(path, data["exclusions"], "phrase", "exclusion"),
        phrases=tuple(data["phrases"]),
        before=longest_first(_words(path, quals.get("before", []), "word", "qualifier")),
        inside=longest_first(_words(path, quals.get("inside", []), "word", "qualifier")),
        after=longest_first(_words(path, quals.get("after", []), "word", "qualifier")),
        ordinal_counters=tuple(str(c) for c in data["ordinals"].get("counters", [])),
        first_words={str(e["word"]): str(e["counter"]) for e in firsts},
        smallest_chinese_numeral=int(data["smallest_chinese_numeral"]),
        code_marks=_char_class(path, data["code_marks"]),
        drop_prefixes=longest_first(_words(path, data["label_drop_prefixes"], "word", "label prefix")),
        drop_suffixes=longest_first(_words(path, data["label_drop_suffixes"], "word", "label suffix")),
        drop_patterns=tuple(_label_pattern(path, e) for e in data["label_drop_patterns"]),
        tail_stops=longest_first(_words(path, data["label_tail_stops"], "word", "label tail stop")),
        result_headings=tuple(data["periods"].get("result_headings", [])),
        plan_headings=tuple(data["periods"].get("plan_headings", [])),
    )


# ---------------------------------------------------------------- numbers

def chinese_number(text: str) -> Optional[int]:
    """The value of a Chinese numeral (十 → 10, 二十三 → 23, 百 → 100), or None if it is not one.

    Runs of bare digits (四三九九, 九八) are names, not numbers, so they give None.
    """
    total, digit = 0, None
    for char in text:
        if char in CHINESE_DIGITS:
            if digit:  # a non-zero digit right before another: a name, not a number
                return None
            digit = CHINESE_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * CHINESE_UNITS[char]
            digit = None
    return total + (digit or 0)


@lru_cache(maxsize=8)
def _patterns(units_path: Path, rules_path: Path) -> dict:
    """The compiled regular expressions for one unit table and rule set."""
    table, rules = load_units(units_path), load_rules(rules_path)
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    counters = alt(table.units)
    mags = alt(table.magnitudes)
    before = f"(?P<before>{alt(rules.before)})?" if rules.before else "(?P<before>)"
    inside = f"(?P<inside>{alt(rules.inside)})?" if rules.inside else "(?P<inside>)"
    after = f"(?P<after>{alt(rules.after)})?" if rules.after else "(?P<after>)"
    number = (f"{before}(?P<ordinal>第)?(?:(?P<arabic>{ARABIC})|(?P<chinese>{CHINESE}))"
              f"{inside}(?P<mag>{mags})?(?P<inside2>{alt(rules.inside) or 'x^'})?(?P<counter>{counters}){after}")
    money = [u for u in table.units.values() if u.kind == "money"]
    bare = f"{before}(?P<mag>{mags})(?P<counter>{alt(u.name for u in money)})"
    return {"number": re.compile(number), "bare": re.compile(bare)}


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: float
    unit: str  # as written, with its magnitude (万元)
    counter: Unit
    magnitude: float
    qualifier: str
    rank: bool


def find_figures(text: str, units_path: Path = UNITS_PATH, rules_path: Path = RULES_PATH) -> list[Figure]:
    """Every figure stated in one string, in reading order, with label, qualifier and sentence."""
    table, rules = load_units(Path(units_path)), load_rules(Path(rules_path))
    patterns = _patterns(Path(units_path), Path(rules_path))
    candidates = _number_candidates(text, patterns["number"], table, rules)
    candidates += _bare_magnitude_candidates(text, patterns["bare"], table)
    candidates += _phrase_candidates(text, table, rules)
    excluded = [(m.start(), m.end()) for phrase in rules.exclusions for m in re.finditer(re.escape(phrase), text)]
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if any(cand.start < end and start < cand.end for start, end in excluded):
            continue
        if kept and cand.start < kept[-1].end:
            continue
        kept.append(cand)
    # A label never reaches into a neighbouring figure (补贴7456万元 after 3077名人才).
    limits = [(kept[i - 1].end if i else 0, kept[i + 1].start if i + 1 < len(kept) else len(text))
              for i in range(len(kept))]
    return [_figure(text, cand, rules, limit) for cand, limit in zip(kept, limits)]


def _number_candidates(text: str, pattern: re.Pattern, table: UnitTable, rules: Rules) -> list[_Candidate]:
    found = []
    for m in pattern.finditer(text):
        number_start = m.start("ordinal") if m.group("ordinal") else m.start("arabic" if m.group("arabic") else "chinese")
        if _inside_code(text, number_start, m, rules):
            continue
        counter = table.units[m.group("counter")]
        if m.group("mag") and not counter.scalable:
            continue
        if m.group("arabic"):
            value = float(m.group("arabic").replace(",", ""))
            if counter.kind == "duration" and value.is_integer() and 1900 <= value <= 2100:
                continue  # 2024年 is a date
        else:
            parsed = chinese_number(m.group("chinese"))
            if parsed is None or parsed < rules.smallest_chinese_numeral:
                continue
            value = float(parsed)
        rank = bool(m.group("ordinal"))
        if rank and counter.name not in rules.ordinal_counters:
            continue  # 第十八届, 第四次, 第二轮
        start = m.start("before") if m.group("before") else number_start
        qualifier = m.group("before") or m.group("inside") or m.group("inside2") or m.group("after") or ""
        mag_word = m.group("mag") or ""
        magnitude = table.magnitudes.get(mag_word, 1.0)
        written = mag_word + (counter.alias or counter.name)
        found.append(_Candidate(start, m.end(), value, written, counter, magnitude, qualifier, rank))
    for word, counter_name in rules.first_words.items():
        for m in re.finditer(re.escape(word), text):
            counter = table.units[counter_name]
            found.append(_Candidate(m.start(), m.end(), 1.0, counter.name, counter, 1.0, "", True))
    return found


def _inside_code(text: str, number_start: int, match: re.Match, rules: Rules) -> bool:
    """True when the number touches code characters (1+N+10, 2-1地块, B08)."""
    before = text[number_start - 1] if number_start > 0 else ""
    return bool(before and rules.code_marks.fullmatch(before) and not match.group("before"))


def _bare_magnitude_candidates(text: str, pattern: re.Pattern, table: UnitTable) -> list[_Candidate]:
    """超亿元: a magnitude without a number means one of it, but only for money."""
    found = []
    for m in pattern.finditer(text):
        before = text[m.start("mag") - 1] if m.start("mag") > 0 else ""
        if before.isdigit() or before in CHINESE_DIGITS or before in CHINESE_UNITS:
            continue
        counter = table.units[m.group("counter")]
        start = m.start("before") if m.group("before") else m.start("mag")
        found.append(_Candidate(start, m.end(), 1.0, m.group("mag") + counter.name, counter,
                                table.magnitudes[m.group("mag")], m.group("before") or "", False))
    return found


def _phrase_candidates(text: str, table: UnitTable, rules: Rules) -> list[_Candidate]:
    """Quantities written as set phrases (万亿规模), recorded as the rules file says."""
    found = []
    for entry in rules.phrases:
        unit_written = str(entry["unit"])
        mag_word = next((w for w in sorted(table.magnitudes, key=len, reverse=True) if unit_written.startswith(w)), "")
        counter = table.units[unit_written[len(mag_word):]]
        for m in re.finditer(re.escape(entry["phrase"]), text):
            found.append(_Candidate(m.start(), m.start() + len(entry["text"]), float(entry["value"]), unit_written,
                                    counter, table.magnitudes.get(mag_word, 1.0), "", False))
    return found


def _figure(text: str, cand: _Candidate, rules: Rules, limits: tuple[int, int]) -> Figure:
    base_unit = RANK_BASE if cand.rank else cand.counter.base
    base_value = cand.value if cand.rank else cand.value * cand.magnitude * cand.counter.multiplier
    return Figure(
        value=cand.value, unit=cand.unit, text=text[cand.start:cand.end],
        label=figure_label(text, cand.start, cand.end, rules, limits),
        base_value=_tidy(base_value), base_unit=base_unit, qualifier=cand.qualifier,
        start=cand.start, end=cand.end, sentence=sentence_around(text, cand.start),
    )


def _tidy(number: float) -> float:
    """Round away binary noise (1.14 × 10⁸ = 114000000.00000001)."""
    return float(round(number, 6))


# ---------------------------------------------------------------- sentence and label

def sentence_around(text: str, position: int) -> str:
    """The sentence of ``text`` that holds ``position``, with its end mark."""
    start = max((text.rfind(p, 0, position) for p in SENTENCE_ENDS), default=-1) + 1
    ends = [i for i in (text.find(p, position) for p in SENTENCE_ENDS) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((text.rfind(p, 0, start) for p in CLAUSE_ENDS), default=-1) + 1
    rights = [i for i in (text.find(p, end) for p in CLAUSE_ENDS) if i != -1]
    return left, min(rights) if rights else len(text)


def figure_label(text: str, start: int, end: int, rules: Rules, limits: tuple[int, int] = (0, 10**9)) -> str:
    """What the figure at text[start:end] measures: the words of its clause around it.

    A counted noun after the figure (479个老旧小区改造) names it best; otherwise the
    words before it (消费补贴6145万元). Short verbs before a counted noun are kept
    (新改扩建8个学校项目 → 新改扩建学校项目); example lists (松柏路等9条) are dropped.
    A label of one verb (惠及2.9万人次) borrows the clause before it.
    """
    left, right = _clause_bounds(text, start, end)
    head = _trim(text[max(left, limits[0]):start], rules)
    tail = _cut_tail(text[end:min(right, limits[1])], rules)
    if tail and _is_cjk(tail[0]):
        label = head + tail if len(head) <= 4 else tail
    else:
        label = head
    if not tail and len(label) <= 2 and left > 0:
        before_left, _ = _clause_bounds(text, left - 1, left - 1)
        previous = _trim(_without_numbers(text[before_left:left - 1]), rules)
        if previous and not any(text[left - 1] == p for p in SENTENCE_ENDS):
            label = previous[-8:] + label
    return _balanced_quotes(label[:MAX_LABEL_CHARS])


def _balanced_quotes(label: str) -> str:
    """Drop the quote marks of a label cut inside a quotation (5年5折”租房补贴)."""
    if label.count("“") != label.count("”") or label.count("《") != label.count("》"):
        return re.sub("[“”《》]", "", label)
    return label


def _trim(words: str, rules: Rules) -> str:
    """Drop who, when and empty verbs from the start of a label, and list examples before 等."""
    words = _strip_quotes(words)
    if "等" in words:
        words = _strip_quotes(words[words.rindex("等") + 1:])
    changed = True
    while changed and words:
        changed = False
        for pattern in rules.drop_patterns:
            trimmed = _strip_quotes(pattern.sub("", words, count=1))
            if trimmed != words:
                words, changed = trimmed, True
        for prefix in rules.drop_prefixes:
            if words.startswith(prefix):
                words, changed = _strip_quotes(words[len(prefix):]), True
        for suffix in rules.drop_suffixes:
            if words.endswith(suffix):
                words, changed = _strip_quotes(words[: -len(suffix)]), True
    return words


def _cut_tail(words: str, rules: Rules) -> str:
    """The counted noun after a figure, up to the first word that starts a predicate."""
    words = _strip_quotes(words)
    if words.startswith("的"):
        words = words[1:]
    stops = [i for i in (words.find(w) for w in rules.tail_stops) if i > 0]
    return _strip_quotes(words[: min(stops)] if stops else words)


def _without_numbers(words: str) -> str:
    return re.sub(r"[\d.]+[^\s，,、。；;]{0,3}", "", words)


def _strip_quotes(words: str) -> str:
    return words.strip(" \u3000“”\"'‘’《》()（）")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


# ---------------------------------------------------------------- the stage

def part_period(part: Optional[str], rules: Rules) -> Optional[str]:
    """The period a part heading announces (回眸2024 → "2024"), or None for other headings."""
    if not part:
        return None
    year = re.search(r"(19|20)\d\d", part)
    if any(part.startswith(word) for word in rules.result_headings + rules.plan_headings):
        return year.group(0) if year else "other"
    return None


def block_period(block: Block, intro_period: str, rules: Rules) -> str:
    """The period of the figures of one block: its part's year; before any part, the year reviewed."""
    if block.part is None:
        return intro_period
    return part_period(block.part, rules) or "other"


def extract_figures(report: Report) -> Report:
    """Attach the figures found in each block's cleaned text."""
    table, rules = load_units(), load_rules()
    results = [b for b in report.blocks if b.kind == "heading" and b.level == 1
               and any(b.text.startswith(w) for w in rules.result_headings)]
    intro_period = (part_period(results[0].text, rules) or "other") if results else "other"
    blocks = []
    for block in report.blocks:
        if block.kind == "heading":
            blocks.append(replace(block, figures=()))
            continue
        period = block_period(block, intro_period, rules)
        figures = []
        for figure in find_figures(block.text):
            kind = table.kind_of(figure.base_unit)
            figure_period = "other" if kind is not None and kind.name == "duration" else period
            figures.append(replace(figure, block=block.index, theme=block.theme, period=figure_period))
        blocks.append(replace(block, figures=tuple(figures)))
    return replace(report, blocks=tuple(blocks))


def unused_rules(reports: Iterable[Report], rules: Optional[Rules] = None) -> list[str]:
    """Exclusions and phrases of data/figure_rules.yml that match no block of these reports, for review."""
    rules = rules or load_rules()
    text = "\n".join(block.text for report in reports for block in report.blocks)
    unused = [f"exclusion {phrase}" for phrase in rules.exclusions if phrase not in text]
    unused += [f"phrase {entry['phrase']}" for entry in rules.phrases if entry["phrase"] not in text]
    return unused
