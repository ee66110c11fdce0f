"""Figures stage: every quantity stated in the cleaned body becomes a ``Figure``.

A figure is a number with a counter (6145万元, 12.6%, 十条, 第三位), with the
qualifiers around it (超, 近, 余, 以上). Which counters exist and how they
normalise lives in data/units.yml; which numeral phrases are not quantities
(二十大, 两位数, 三年行动) and how labels are trimmed lives in
data/figure_rules.yml. This module holds only the reading logic.
"""
from __future__ import annotations

import copy
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

from .errors import InputError
from .model import Block, Figure, Report

DATA = Path(__file__).resolve().parent / "data"
UNITS_PATH = DATA / "units.yml"
RULES_PATH = DATA / "figure_rules.yml"
PERIODS_PATH = DATA / "periods.yml"

SENTENCE_ENDS = "。!?！？;；…"
CLAUSE_ENDS = SENTENCE_ENDS + ",，、:：—"
# The same marks as patterns: a block's marks are found by one regex scan, not a Python loop over its characters.
_SENTENCE_END = re.compile("[" + re.escape(SENTENCE_ENDS) + "]")
_CLAUSE_END = re.compile("[" + re.escape(CLAUSE_ENDS) + "]")
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                  "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE = "[" + "".join(CHINESE_DIGITS) + "".join(CHINESE_UNITS) + "]+"
MINUS_SIGNS = "-−－"  # hyphen-minus, the minus sign and its full-width form: a negative number (增速为-3.3%)
RANK_BASE = "名次"  # base unit of ordinal figures; ranks are never added or compared as bars
MAX_LABEL_CHARS = 24  # longer labels are shortened at a word boundary (、的和与及), never mid-word
# A figure's sentence is kept whole up to this many characters on either side of the figure (what
# one side leaves unused goes to the other); a longer one is cut and marked with …. Pages, CSV and
# JSON copy the sentence once per figure, so an unbounded sentence (10,000 figures in one
# 50,000-character sentence) made a site of gigabytes. On the 23 seeds the median sentence has 60
# characters and 73 of 4,984 figures (1.5%) get a cut one, all in sentences of 240 to 500 characters.
SENTENCE_REACH = 120
CUT = "…"
SLOGAN_REACH = 12  # a quoted slogan (“三个新的更大进展”, “四下基层”) is short; a longer quotation holds sentences
# Marks between the two numbers of a range (5%—5.5%, 4.5-5%, 500亿元至600亿元).
RANGE_MARKS = "—–-－～~至到"


# ---------------------------------------------------------------- data files

# libyaml's parser when PyYAML has it (about ten times faster than the pure-Python one, the same documents).
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
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
        version = path.stat().st_mtime_ns
    except OSError as err:
        raise InputError(path, f"cannot read data file ({err.strerror})") from None
    # Parsed once per file version: every report reads the same rules (charts.yml once per report and
    # page); each caller gets its own copy, free to change.
    return copy.deepcopy(_parsed_yaml(path, version))


@lru_cache(maxsize=32)
def _parsed_yaml(path: Path, version: int):
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
    quantity: bool = True  # False: read so its words are not taken for another figure, but never a figure


@dataclass(frozen=True)
class UnitTable:
    """The unit table of data/units.yml."""

    magnitudes: dict
    units: dict
    kinds: dict
    display_magnitudes: dict = field(default_factory=dict)  # the magnitudes a chart axis may show (万, 亿)

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
    magnitudes, shown = {}, {}
    for word, entry in data["magnitudes"].items():
        _require(path, entry, ("multiplier", "note"), f"magnitude {word}")
        magnitudes[str(word)] = float(entry["multiplier"])
        if entry.get("display", True):
            shown[str(word)] = float(entry["multiplier"])
    kinds = {}
    for name, entry in data["kinds"].items():
        _require(path, entry, ("measure", "note"), f"kind {name}")
        kinds[name] = Kind(name, bool(entry.get("chart", True)), entry["measure"], entry["note"],
                           bool(entry.get("display_magnitudes", False)), bool(entry.get("quantity", True)))
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
    return UnitTable(magnitudes, units, kinds, shown)


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
    bare_nouns: tuple[str, ...]
    prepositions: tuple[str, ...]
    result_headings: tuple[str, ...]
    plan_headings: tuple[str, ...]
    list_verbs: tuple[str, ...] = ()
    exclusion_patterns: tuple[re.Pattern, ...] = ()
    bare_hundreds_after: tuple[str, ...] = ()
    bare_measures: tuple[str, ...] = ()
    predicate_starts: tuple[str, ...] = ()
    counted_sets: Optional[re.Pattern] = None  # 三项机制, 五张清单: a slogan's counted set, never a figure
    counted_set_nouns: tuple[str, ...] = ()
    respectively_adverbs: tuple[str, ...] = ()
    not_after: dict = field(default_factory=dict)  # qualifier before → characters that make it part of a word (签约)  # 同比, 年均 before 分别: the verb's, not the last item's


def _words(path: Path, entries, key: str, what: str) -> tuple[str, ...]:
    """The ``key`` of each entry of a list of noted entries, checked."""
    if not isinstance(entries, list):
        raise InputError(path, f"{what} must be a list")
    for entry in entries:
        _require(path, entry, (key, "note"), f"{what} entry")
    return tuple(str(e[key]) for e in entries)


# The numerals of a small counted set (两 to 十), not part of a longer numeral (二十项, 三十个).
_SMALL_CHINESE = "(?<![零〇一二两三四五六七八九十百千万])[两二三四五六七八九十]"


def _counted_sets(path: Path, section) -> tuple[Optional[re.Pattern], tuple[str, ...]]:
    """The counted_sets section as one pattern matching the numeral and counter of a slogan's set, and its nouns."""
    if not section:
        return None, ()
    if not isinstance(section, dict) or not isinstance(section.get("reach"), int):
        raise InputError(path, "counted_sets needs reach (a number of characters), counters and nouns")
    counters = _words(path, section.get("counters"), "word", "counted set counter")
    nouns = _words(path, section.get("nouns"), "word", "counted set noun")
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    # Only the numeral and counter are matched, so the words after them stay free for the labels around.
    pattern = re.compile(f"{_SMALL_CHINESE}(?:{alt(counters)})(?=[^，,。；;、：:！？0-9]{{0,{section['reach']}}}?"
                         f"(?:{alt(nouns)}))")
    return pattern, nouns


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
    return _pattern(path, entry, "label pattern", "^(?:{})")


def _pattern(path: Path, entry, what: str, frame: str = "{}") -> re.Pattern:
    """One noted regular expression of the rules, compiled (inside ``frame``), or an error naming its line."""
    _require(path, entry, ("pattern", "note"), what)
    try:
        return re.compile(frame.format(entry["pattern"]))
    except re.error as err:
        raise InputError(path, f"line {entry.line}: pattern {entry['pattern']!r} is not a valid regex ({err})") from None


@lru_cache(maxsize=8)
def load_rules(path: Path = RULES_PATH) -> Rules:
    """Load and check the extraction rules; malformed entries raise ``InputError`` naming the line."""
    path = Path(path)
    data = load_yaml(path)
    needed = ("exclusions", "phrases", "qualifiers", "ordinals", "smallest_chinese_numeral", "code_marks",
              "label_drop_prefixes", "label_drop_suffixes", "label_drop_patterns", "label_tail_stops",
              "label_bare_nouns", "label_prepositions", "periods")
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
        exclusion_patterns=tuple(_pattern(path, e, "exclusion pattern") for e in data.get("exclusion_patterns", [])),
        phrases=tuple(data["phrases"]),
        before=longest_first(_words(path, quals.get("before", []), "word", "qualifier")),
        not_after={str(e["word"]): str(e["not_after"]) for e in quals.get("before", []) if e.get("not_after")},
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
        bare_nouns=_words(path, data["label_bare_nouns"], "word", "bare noun"),
        prepositions=_words(path, data["label_prepositions"], "word", "label preposition"),
        result_headings=tuple(data["periods"].get("result_headings", [])),
        plan_headings=tuple(data["periods"].get("plan_headings", [])),
        list_verbs=longest_first(_words(path, data.get("label_list_verbs") or [], "word", "list verb")),
        bare_hundreds_after=_words(path, data.get("bare_hundreds_kept_after") or [], "word", "bare hundreds verb"),
        bare_measures=_words(path, data.get("label_bare_measures") or [], "word", "bare measure"),
        predicate_starts=_words(path, data.get("label_predicate_starts") or [], "word", "predicate start"),
        **dict(zip(("counted_sets", "counted_set_nouns"), _counted_sets(path, data.get("counted_sets")))),
        respectively_adverbs=longest_first(_words(path, data.get("respectively_adverbs") or [], "word",
                                                  "respectively adverb")),
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
    # 约 after 签, 节, 制 … ends a word (签约项目35个, 节约资金): no qualifier there, the number is read without it.
    guarded = "|".join(f"(?<![{re.escape(rules.not_after[w])}]){re.escape(w)}" if w in rules.not_after else re.escape(w)
                       for w in rules.before)
    before = f"(?P<before>{guarded})?" if rules.before else "(?P<before>)"
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
    chinese: bool = False  # written in Chinese numerals (两个, 十条), as slogans are
    upper: Optional[float] = None  # the upper bound of a range (5%—5.5%), as written


def find_figures(text: str, units_path: Path = UNITS_PATH, rules_path: Path = RULES_PATH) -> list[Figure]:
    """Every figure stated in one string, in reading order, with label, qualifier and sentence."""
    # The default paths are passed on as they are: a new Path per paragraph costs more to make and to hash
    # (for the loaders' caches) than finding its figures does.
    units_path, rules_path = _as_path(units_path), _as_path(rules_path)
    table, rules = load_units(units_path), load_rules(rules_path)
    patterns = _patterns(units_path, rules_path)
    candidates = _number_candidates(text, patterns["number"], table, rules)
    candidates += _bare_magnitude_candidates(text, patterns["bare"], table)
    candidates += _phrase_candidates(text, table, rules)
    # Most phrases are in no given text: the substring test is cheaper than a regex search for each.
    excluded = _union([(m.start(), m.end()) for phrase in rules.exclusions if phrase in text
                       for m in re.finditer(re.escape(phrase), text)]
                      + [(m.start(), m.end()) for pattern in rules.exclusion_patterns for m in pattern.finditer(text)]
                      + ([(m.start(), m.end()) for m in rules.counted_sets.finditer(text)] if rules.counted_sets else []))
    excluded_ends = [end for _, end in excluded]
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if _overlaps(excluded, excluded_ends, cand.start, cand.end):
            continue
        if kept and cand.start < kept[-1].end:
            continue
        kept.append(cand)
    # What is read but states no amount (连续四年, 第3位) has shadowed the figures it overlaps; it leaves now,
    # and its words stay in the labels of the figures around it.
    kept = [cand for cand in kept if is_quantity(text, cand, table)]
    # A label never reaches into a neighbouring figure (补贴7456万元 after 3077名人才).
    limits = [(kept[i - 1].end if i else 0, kept[i + 1].start if i + 1 < len(kept) else len(text))
              for i in range(len(kept))]
    clauses = Clauses(text)  # indexed once: every figure finds its clause in log time, not by scanning
    clauses.spans = [(c.start, c.end) for c in kept]
    figures = [_figure(text, cand, rules, limit, clauses) for cand, limit in zip(kept, limits)]
    return _list_labels(text, distribute_respectively(text, figures, rules), rules)


def _list_labels(text: str, figures: list[Figure], rules: Rules) -> list[Figure]:
    """Labels of the later items of a list: a figure with no words of its own (6%、5.2%、4.1%) takes the label of
    the figure before it, and an item after 、 takes the verb that opened the list (新增养老床位3852张、认知障碍
    照护床位3326张 → 新增认知障碍照护床位)."""
    verbs = rules.list_verbs
    verb = ""
    for i, figure in enumerate(figures):
        gap = text[figures[i - 1].end:figure.start] if i else ""
        in_list = i > 0 and _LIST_GAP.match(gap) is not None
        if in_list and not figure.label:
            figures[i] = replace(figure, label=figures[i - 1].label)
            continue
        item = i > 0 and gap.startswith("、") and not re.search(r"[，,。；;：:]", gap)
        opener = next((v for v in verbs if figure.label.startswith(v)), "")
        if item and verb and not opener and figure.label and len(verb + figure.label) <= MAX_LABEL_CHARS:
            figures[i] = replace(figure, label=verb + figure.label)
        elif not item:
            verb = opener
    return figures


def is_quantity(text: str, cand: "_Candidate", table: UnitTable) -> bool:
    """False for what reads like a figure but states no amount: a rank (第3位), a run of years (连续四年), the
    N of a named set (三大集群), or a count in Chinese numerals inside a quoted slogan (“两个确立”, “四下基层”)."""
    kind = table.kinds.get("rank") if cand.rank else table.kinds.get(cand.counter.kind)
    if kind is not None and not kind.quantity:
        return False
    return not (cand.chinese and _inside_quotes(text, cand.start, cand.end))


def _inside_quotes(text: str, start: int, end: int) -> bool:
    """True when text[start:end] stands inside a short quotation “…” (a slogan, never a sentence of figures)."""
    opened = text.rfind("“", max(0, start - SLOGAN_REACH), start)
    if opened == -1 or "”" in text[opened:start]:
        return False
    closed = text.find("”", end, end + SLOGAN_REACH)
    return closed != -1 and "“" not in text[end:closed]


RESPECTIVELY = "分别"
_LIST_GAP = re.compile(r"^[、和及与]?$")


def distribute_respectively(text: str, figures: list[Figure], rules: Optional[Rules] = None) -> list[Figure]:
    """Give each figure of a 分别 list its own measure: 民间投资、工业投资分别增长3.2%、8.5% labels the first
    民间投资增长 and the second 工业投资增长, not both 分别增长.

    The items before 分别 are split at 、; when the first are short and the last is long (食品、药品抽检合格率;
    城镇、农村居民收入), the short ones share the long one's measure. A list whose items and figures do not
    pair one to one keeps its labels: guessing which figure is which would mislead.
    """
    if RESPECTIVELY not in text:
        return figures
    rules = rules or load_rules()
    figures = list(figures)
    names: dict[int, str] = {}  # figure index → the item of a 分别 list it was given (法规 of 法规、管理措施分别新增…)
    index = 0
    while index < len(figures):
        run = _respectively_run(text, figures, index)
        if not run:
            index += 1
            continue
        first = figures[run[0]]
        clause_start, at = _respectively_at(text, first.start)
        lead, adverb = _respectively_lead(_strip_quotes(text[clause_start:at]), rules)
        items = lead.split("、")
        if len(items) == 1 and len(run) == 2:
            items = _pair_items(items[0])
        if not _trim(lead, rules):
            # 接待游客3.23亿人次、游客花费3700亿元，分别增长8%、8.4%: the names are those of the figures listed before
            items = _names_before(text, figures, run, clause_start, names)
        verb = adverb + text[at + len(RESPECTIVELY):first.start]
        if len(items) == len(run) and all(items) and len(items) > 1:
            items = _shared_measure(items)
            for item, position in zip(items, run):
                label = _shorten(_trim(item + verb, rules)) or figures[position].label
                figures[position] = replace(figures[position], label=label)
                names[position] = _trim(item, rules)
        index = run[-1] + 1
    return figures


def _respectively_lead(lead: str, rules: Rules) -> tuple[str, str]:
    """The items before 分别 and the adverb that ends them (社会消费品零售总额、固定资产投资同比 → the items, 同比):
    the adverb qualifies every figure's verb, not the last item."""
    for word in rules.respectively_adverbs:
        # 销售面积环比、同比分别增长: there 同比 is an item of the list, not an adverb of the verb
        if lead.endswith(word) and not lead[:-len(word)].endswith(("、", "和", "与", "及")):
            return lead[:-len(word)], word
    return lead, ""


def _names_before(text: str, figures: list[Figure], run: list[int], clause_start: int,
                  names: dict[int, str]) -> list[str]:
    """The names of the figures listed just before a 分别 clause with no items of its own, one per figure of
    its run, or [] when they are not a list of as many figures of distinct names in the same sentence."""
    count = len(run)
    before = [i for i in range(run[0]) if figures[i].end <= clause_start]
    if len(before) < count:
        return []
    listed = before[-count:]
    sentence_start = max(text.rfind(mark, 0, clause_start) for mark in SENTENCE_ENDS) + 1
    if figures[listed[0]].start < sentence_start:
        return []
    gaps = [text[figures[a].end:figures[b].start] for a, b in zip(listed, listed[1:])]
    gaps.append(text[figures[listed[-1]].end:clause_start])
    if any(len(gap) > NAMED_LIST_GAP for gap in gaps):
        return []  # the figures before are not one list the 分别 clause goes back to
    found = [names.get(i) or THRESHOLD_WORDS.sub("", figures[i].label) for i in listed]
    return found if all(found) and len(set(found)) == count else []


NAMED_LIST_GAP = 16  # characters between the figures of a list a later 分别 clause goes back to (…亿人次、游客花费…)
THRESHOLD_WORDS = re.compile(r"(?:突破|达到|超过|超|达)$")  # 接待游客突破3亿人次: the verb is no part of the name


def _respectively_run(text: str, figures: list[Figure], index: int) -> list[int]:
    """The figures from ``index`` on that follow one 分别 in one list (3.2%、8.5%), or [] when it opens none."""
    _, at = _respectively_at(text, figures[index].start)
    if at == -1 or (index and figures[index - 1].start > at):
        return []
    run = [index]
    while run[-1] + 1 < len(figures):
        gap = text[figures[run[-1]].end:figures[run[-1] + 1].start]
        if not _LIST_GAP.match(gap):
            break
        run.append(run[-1] + 1)
    return run if len(run) > 1 else []


def _respectively_at(text: str, start: int) -> tuple[int, int]:
    """Where the clause before ``start`` begins (after ，。；：) and where its 分别 is in it (-1 when it has none)."""
    clause_start = max(text.rfind(mark, 0, start) for mark in "，,。；;：:") + 1
    return clause_start, text.rfind(RESPECTIVELY, clause_start, start)


# 城镇和农村居民收入, 生产安全事故起数和死亡人数: the first of the two items is at most a short noun phrase
_PAIR_JOIN = re.compile(r"^(.{1,12}?)[和与及](.+)$")
URBAN_RURAL = "城乡"


def _pair_items(item: str) -> list[str]:
    """The two items of one list item before 分别 with two figures: 城镇和农村居民收入 → 城镇, 农村居民收入;
    城乡居民收入 (urban and rural apart) → 城镇居民收入, 农村居民收入; else the item alone (no pair)."""
    if match := _PAIR_JOIN.match(item):
        return [match.group(1), match.group(2)]
    if item.startswith(URBAN_RURAL) and len(item) > len(URBAN_RURAL):
        rest = item[len(URBAN_RURAL):]
        return ["城镇" + rest, "农村" + rest]
    return [item]


def _shared_measure(items: list[str]) -> list[str]:
    """食品、药品抽检合格率 → 食品抽检合格率, 药品抽检合格率: short items take the long last item's measure."""
    last = items[-1]
    heads = items[:-1]
    size = max(len(h) for h in heads)
    if size <= 3 and len(last) >= size + 3:
        tail = last[len(heads[-1]):] if len(heads[-1]) <= len(last) - 3 else ""
        if tail:
            return [h + tail for h in heads] + [last]
    return items


def _as_path(path) -> Path:
    return path if isinstance(path, Path) else Path(path)


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged, in order: what the exclusions cover."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlaps(spans: list[tuple[int, int]], ends: list[int], start: int, end: int) -> bool:
    """True when [start, end) overlaps one of the merged ``spans`` (``ends`` their ends, for bisecting)."""
    index = bisect_right(ends, start)  # the first span ending after start
    return index < len(spans) and spans[index][0] < end


def _number_candidates(text: str, pattern: re.Pattern, table: UnitTable, rules: Rules) -> list[_Candidate]:
    found = []
    for m in pattern.finditer(text):
        number_start = m.start("ordinal") if m.group("ordinal") else m.start("arabic" if m.group("arabic") else "chinese")
        negative = bool(m.group("arabic")) and not m.group("before") and _minus_before(text, number_start, rules)
        counter = table.units[m.group("counter")]
        if m.group("mag") and not counter.scalable:
            continue
        if m.group("arabic"):
            value = float(m.group("arabic").replace(",", ""))
            if counter.kind == "duration" and value.is_integer() and 1900 <= value <= 2100:
                continue  # 2024年 is a date
            if negative:
                value, number_start = -value, number_start - 1  # the sign is part of the figure as written
        else:
            parsed = chinese_number(m.group("chinese"))
            if parsed is None or parsed < rules.smallest_chinese_numeral:
                continue
            bare = not any(char in CHINESE_DIGITS for char in m.group("chinese"))
            if bare and counter.kind == "money" and _names_a_class(text, m.end()):
                continue  # 亿元以上项目, 百亿元级集群: a magnitude of money alone before a noun is a size class
            if set(m.group("chinese")) <= {"百", "千"} and counter.kind != "money" \
                    and not (m.group("before") or m.group("inside") or m.group("inside2") or m.group("after")) \
                    and not text[max(0, m.start() - 3):m.start()].endswith(rules.bare_hundreds_after):
                continue  # 百度, 千万吨炼化基地, 千户苗寨, 知千家情: a bare 百 or 千 is a name, a class or a figure of speech
            value = float(parsed)
        rank = bool(m.group("ordinal"))
        if rank and counter.name not in rules.ordinal_counters:
            continue  # 第十八届, 第四次, 第二轮
        rank = rank or (counter.name in rules.ordinal_counters and text[number_start - 1:number_start] == "前")
        low = None if rank or negative else _range_start(text, number_start, m, rules)
        if low is not None:  # 4.5-5%, 5%—5.5%: one figure from the first number to the last
            found.append(_range_candidate(m, low, value, counter, table))
            continue
        if not negative and _inside_code(text, number_start, m, rules):
            continue
        start = m.start("before") if m.group("before") else number_start
        qualifier = m.group("before") or m.group("inside") or m.group("inside2") or m.group("after") or ""
        mag_word = m.group("mag") or ""
        magnitude = table.magnitudes.get(mag_word, 1.0)
        written = mag_word + (counter.alias or counter.name)
        found.append(_Candidate(start, m.end(), value, written, counter, magnitude, qualifier, rank,
                                chinese=bool(m.group("chinese"))))
        at = number_start if m.group("arabic") and not (m.group("before") or rank or negative) \
            and counter.kind != "duration" else -1
        # 分别突破70和50亿元, 高于全省22.7和28.8个百分点, 分别提高20.9、36.2、54个百分点: the unit written once after
        # the last number is the unit of each number joined to it before
        while at > 0 and (shared := _SHARED_UNIT.search(text, max(0, at - 16), at)) \
                and not (shared.start() and rules.code_marks.fullmatch(text[shared.start() - 1])) \
                and text[shared.start() - 1:shared.start()] != "第":
            found.append(_Candidate(shared.start(), shared.end("first"), float(shared.group("first").replace(",", "")),
                                    written, counter, magnitude, "", False))
            at = shared.start()
    for word, counter_name in rules.first_words.items():
        if word not in text:
            continue
        for m in re.finditer(re.escape(word), text):
            counter = table.units[counter_name]
            found.append(_Candidate(m.start(), m.end(), 1.0, counter.name, counter, 1.0, "", True))
    return found


# A number without a unit joined to the next one, which has it (70和50亿元, 22.7和28.8个百分点): ends at that number.
_SHARED_UNIT = re.compile(rf"(?P<first>{ARABIC})(?:和|与|及|、)$")


# The first number of a range: digits, the same counter or none (5%—, 4.5-, 500亿元至), then a range mark.
_RANGE_START = re.compile(rf"(?P<low>{ARABIC})(?P<unit>[^\d\s，,。；;、：:]{{0,3}}?)"
                          rf"[{re.escape(RANGE_MARKS)}]$")


@dataclass(frozen=True)
class _RangeStart:
    start: int
    value: float


def _range_start(text: str, number_start: int, match: re.Match, rules: Rules) -> Optional[_RangeStart]:
    """The first number of a range that this figure closes (4.5-5%, 5%—5.5%), if it is one.

    Only Arabic numbers of the same counter and magnitude, or with none; a date (2021—2025年) or a
    code (2-1地块, 1+N) is no range.
    """
    if not match.group("arabic") or match.group("before"):
        return None
    window = text[max(0, number_start - 16):number_start]
    found = _RANGE_START.search(window)
    if not found:
        return None
    written = (match.group("mag") or "") + match.group("counter")
    if found.group("unit") not in ("", written):
        return None
    begin = number_start - len(window) + found.start("low")
    if begin > 0 and rules.code_marks.fullmatch(text[begin - 1]):
        return None
    low = float(found.group("low"))
    value = float(match.group("arabic").replace(",", ""))
    if not low < value:
        return None  # 2-1地块 or a falling count: not a range from low to high
    return _RangeStart(begin, low)


def _range_candidate(m: re.Match, low: "_RangeStart", value: float, counter: Unit, table: UnitTable) -> "_Candidate":
    """One figure for a whole range: its value the lower bound, its upper bound kept, the text as written."""
    mag_word = m.group("mag") or ""
    qualifier = m.group("after") or ""
    return _Candidate(low.start, m.end(), low.value, mag_word + (counter.alias or counter.name), counter,
                      table.magnitudes.get(mag_word, 1.0), qualifier, False, upper=value)


def _minus_before(text: str, number_start: int, rules: Rules) -> bool:
    """True when a minus sign stands right before the number and after no code character (增速为-3.3%, not 2-1地块).

    A number just before the dash makes it a range (增长5%-5.5%, 5亿元-6亿元), not a sign.
    """
    if number_start == 0 or text[number_start - 1] not in MINUS_SIGNS:
        return False
    before = text[number_start - 2] if number_start > 1 else ""
    if before and rules.code_marks.fullmatch(before):
        return False
    return not re.search(r"[0-9０-９]", text[max(0, number_start - 5):number_start - 1])


def _inside_code(text: str, number_start: int, match: re.Match, rules: Rules) -> bool:
    """True when the number touches code characters (1+N+10, 2-1地块, B08)."""
    before = text[number_start - 1] if number_start > 0 else ""
    return bool(before and rules.code_marks.fullmatch(before) and not match.group("before"))


def _bare_magnitude_candidates(text: str, pattern: re.Pattern, table: UnitTable) -> list[_Candidate]:
    """超亿元: a magnitude without a number means one of it, but only for money, and not before a noun (亿元项目)."""
    found = []
    for m in pattern.finditer(text):
        before = text[m.start("mag") - 1] if m.start("mag") > 0 else ""
        if before.isdigit() or before in CHINESE_DIGITS or before in CHINESE_UNITS:
            continue
        if _names_a_class(text, m.end()):
            continue  # 新落地亿元项目: a size class, not an amount
        counter = table.units[m.group("counter")]
        start = m.start("before") if m.group("before") else m.start("mag")
        found.append(_Candidate(start, m.end(), 1.0, m.group("mag") + counter.name, counter,
                                table.magnitudes[m.group("mag")], m.group("before") or "", False))
    return found


def _names_a_class(text: str, end: int) -> bool:
    """True when the money ending at ``end`` qualifies the noun after it (亿元项目, 亿元以上项目, 百亿元级集群):
    a size class. An amount ends its clause (营收突破万亿元，) or is said to be one (近万亿元的重大项目投资,
    重回万亿元规模)."""
    after = text[end:end + 1]
    if after == "的" or text.startswith("规模", end):
        return False
    return after == "级" or (after != "" and _is_cjk(after))


def _phrase_candidates(text: str, table: UnitTable, rules: Rules) -> list[_Candidate]:
    """Quantities written as set phrases (万亿规模), recorded as the rules file says."""
    found = []
    for entry in rules.phrases:
        if entry["phrase"] not in text:  # the usual case, and the test is cheap
            continue
        unit_written = str(entry["unit"])
        mag_word = next((w for w in sorted(table.magnitudes, key=len, reverse=True) if unit_written.startswith(w)), "")
        counter = table.units[unit_written[len(mag_word):]]
        for m in re.finditer(re.escape(entry["phrase"]), text):
            found.append(_Candidate(m.start(), m.start() + len(entry["text"]), float(entry["value"]), unit_written,
                                    counter, table.magnitudes.get(mag_word, 1.0), "", False))
    return found


def _figure(text: str, cand: _Candidate, rules: Rules, limits: tuple[int, int], clauses: "Clauses") -> Figure:
    base_unit = RANK_BASE if cand.rank else cand.counter.base
    scale = 1.0 if cand.rank else cand.magnitude * cand.counter.multiplier
    return Figure(
        value=cand.value, unit=cand.unit, text=text[cand.start:cand.end],
        upper=cand.upper, base_upper=None if cand.upper is None else _tidy(cand.upper * scale),
        label=figure_label(text, cand.start, cand.end, rules, limits, clauses),
        base_value=_tidy(cand.value * scale), base_unit=base_unit, qualifier=cand.qualifier,
        start=cand.start, end=cand.end, sentence=sentence_around(text, cand.start, cand.end),
    )


def _tidy(number: float) -> float:
    """Round away binary noise (1.14 × 10⁸ = 114000000.00000001)."""
    return float(round(number, 6))


# ---------------------------------------------------------------- sentence and label

def sentence_around(text: str, start: int, end: Optional[int] = None) -> str:
    """The sentence of ``text`` holding ``text[start:end]``, with its end mark; past the reach, cut and marked with ….

    At most ``2 * SENTENCE_REACH`` characters of context are kept: ``SENTENCE_REACH`` on either
    side, and what one side leaves unused goes to the other. Only that far is searched, so the
    cost per figure does not grow with the text.
    """
    end = start if end is None else end
    budget = 2 * SENTENCE_REACH
    low, high = max(0, start - budget), min(len(text), end + budget)
    # A mark at low - 1 ends the previous sentence: the sentence then starts at low, uncut.
    mark = max(text.rfind(p, max(0, low - 1), start) for p in SENTENCE_ENDS)
    left = mark + 1 if mark >= 0 else low
    rights = [i for i in (text.find(p, start, high) for p in SENTENCE_ENDS) if i != -1]
    right = min(rights) + 1 if rights else high
    before, after = start - left, right - end
    if before + after > budget:
        keep_before = min(before, max(SENTENCE_REACH, budget - after))
        left, right = start - keep_before, end + min(after, budget - keep_before)
    head = CUT if left > 0 and text[left - 1] not in SENTENCE_ENDS else ""
    tail = CUT if right < len(text) and text[right - 1] not in SENTENCE_ENDS else ""
    return head + text[left:right].strip() + tail


class Clauses:
    """The clause marks of one text, sorted, so a figure's clause is found by bisecting."""

    def __init__(self, text: str):
        self.ends = [m.start() for m in _CLAUSE_END.finditer(text)]
        self.length = len(text)
        self.previous_labels: dict[int, str] = {}  # clause start → label words of the clause before it
        self.spans: list[tuple[int, int]] = []  # every figure of the text, in order: labels leave them out

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The clause around text[start:end]: after the last mark before ``start``, up to the first mark from ``end``."""
        before = bisect_left(self.ends, start)
        after = bisect_left(self.ends, end)
        return (self.ends[before - 1] + 1 if before else 0), (self.ends[after] if after < len(self.ends) else self.length)


def figure_label(text: str, start: int, end: int, rules: Rules, limits: tuple[int, int] = (0, 10**9),
                 clauses: Optional[Clauses] = None) -> str:
    """What the figure at text[start:end] counts or measures: the words of its clause around it, in order.

    A counted noun after the figure (479个老旧小区改造) names it best, up to the first word of
    what is said about it; otherwise the words before it (消费补贴6145万元), with any other
    figure of the clause left out (向3077名新引进人才兑现生活补贴7456万元 → 向新引进人才兑现生活补贴).
    Short verbs before a counted noun are kept (新改扩建8个学校项目 → 新改扩建学校项目); example
    lists (松柏路等9条) are dropped; a listed noun runs to the end of its list (百场演唱会、音乐节、
    体育赛事等活动). A bare noun (5个社区) keeps what the clause says of it, a preposition before it
    its verb (为800余家企业提供融资支持); a label of one verb (惠及2.9万人次) or a bare noun (，总投资91.8亿元)
    borrows the clause before it.
    """
    clauses = clauses or Clauses(text)
    left, right = clauses.bounds(start, end)
    before = _without_figures(text, left, start, clauses.spans)
    head = _trim(before, rules)
    right = _list_end(text, end, right, limits[1])
    after = _strip_quotes(text[end:min(right, limits[1])])
    after = after[1:] if after.startswith("的") else after
    tail = _cut_tail(after, rules)
    if limits[1] < right:
        tail = tail.rstrip("和及与、")  # 14项引领性改革和314项…: the connective belongs to the next figure
    if after in rules.drop_suffixes and limits[1] < right and len(head) >= 3:
        tail = ""  # 经营主体从800万户增至951万户: the verb leads to the change's end, whose figure it is not
    elif tail and len(after) <= 2 and limits[1] < right:
        # 连续四年保持万亿规模: a bare verb before the next figure runs on through it
        after = _strip_quotes(text[end:right])
        tail = _cut_tail(after, rules)
    opener = _strip_quotes(before[before.rindex("等") + 1:] if "等" in before else before)
    if tail and _is_cjk(tail[0]):
        if tail in rules.bare_nouns:
            # 为800余家企业提供融资支持, 5个社区入选…: the noun with what the clause says of it
            prefix = opener if opener in rules.prepositions else head if len(head + after) <= MAX_LABEL_CHARS else ""
            label = prefix + after
        elif opener in rules.prepositions and tail != after:
            label = tail  # 向3077名新引进人才兑现…: the persons are counted, the verb goes with the money
        elif limits[1] < right and len(tail) <= 3 and len(head) >= 3:
            label = head  # 全市生产总值从4.16万亿元增加到5.67万亿元: 增加到 only leads to the next figure
        elif len(tail) <= 2 and len(head) >= 3:
            # 各类健身活动年均吸引4000余万人次参与: a bare verb after the figure, the subject before it
            label = head + tail if len(head + tail) <= MAX_LABEL_CHARS else head
        else:
            label = head + tail if len(head) <= 4 else tail
    else:
        label = head
    measure = not tail and label in rules.bare_measures  # 参保率95%: a share of what the clause before names
    bare = not tail and (len(label) <= 2 or label in rules.bare_nouns)
    if (bare or measure) and left > 0 and text[left - 1] not in SENTENCE_ENDS:
        before_left, _ = clauses.bounds(left - 1, left - 1)
        if measure:
            label = _subject(_trim(_without_figures(text, before_left, left - 1, clauses.spans), rules), rules) + label
        else:
            if left not in clauses.previous_labels:  # figures of one clause borrow the same words: trim them once
                words = _trim(_without_figures(text, before_left, left - 1, clauses.spans), rules)
                clauses.previous_labels[left] = words if len(words) <= 16 else _without_numbers(words)[-8:]
            label = clauses.previous_labels[left] + label
    return _balanced_quotes(_shorten(label))


def _subject(words: str, rules: Rules) -> str:
    """The subject of a clause: its words before the first that opens what is said of it (城乡居民基本养老保险实现应保尽保
    → 城乡居民基本养老保险); "" when the clause has no subject of a few characters (稳步推进)."""
    ends = [at for at in (words.find(w) for w in rules.predicate_starts) if at >= 0]
    subject = words[:min(ends)] if ends else words
    return subject if 2 <= len(subject) <= MAX_LABEL_CHARS - 4 and not re.search(r"\d", subject) else ""


def _without_figures(text: str, left: int, start: int, spans: list[tuple[int, int]]) -> str:
    """text[left:start] with the other figures in it taken out (向3077名新引进人才 → 向新引进人才)."""
    low = bisect_left(spans, (left, -1))
    pieces, at = [], left
    for span_start, span_end in spans[low:]:
        if span_start >= start:
            break
        if span_end <= at:
            continue
        pieces.append(text[at:max(at, span_start)])
        at = span_end
    pieces.append(text[at:start])
    return "".join(pieces)


def _list_end(text: str, end: int, right: int, limit: int) -> int:
    """Where the words after a figure end: its clause, or the end of a list it opens (演唱会、音乐节…等活动)."""
    if right >= len(text) or text[right] != "、":
        return right
    stop = min([i for i in (text.find(mark, right) for mark in "，,。；;：:") if i != -1] + [len(text), limit])
    listed = text.rfind("等", right, stop)
    if listed == -1 or re.search(r"\d", text[right:stop]) or stop - end > MAX_LABEL_CHARS - 4:
        return right  # no list, a list of figures, or one too long to be a label: the first item
    return stop


def _shorten(label: str) -> str:
    """A label of at most ``MAX_LABEL_CHARS``, cut only after a word boundary (、的和与及), keeping its end."""
    if len(label) <= MAX_LABEL_CHARS:
        return label
    cuts = [i + 1 for i, char in enumerate(label) if char in "、的和与及，" and len(label) - i - 1 <= MAX_LABEL_CHARS]
    if cuts and len(label) - cuts[0] >= 4:
        return label[cuts[0]:]
    return label[-MAX_LABEL_CHARS:]


def _balanced_quotes(label: str) -> str:
    """Drop the quote marks of a label cut inside a quotation (5年5折”租房补贴); end it before an unclosed （ (县（市)."""
    if label.count("（") > label.count("）") and label.rindex("（") > 0:
        label = label[:label.rindex("（")]
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
            # 签约 ends in the 约 of "about" but is a word of its own (签约项目): it stays in the label
            if words.endswith(suffix) and not _ends_a_word(words[:-len(suffix)], suffix, rules):
                words, changed = _strip_quotes(words[: -len(suffix)]), True
    return words


def _ends_a_word(before: str, qualifier: str, rules: Rules) -> bool:
    """True when ``qualifier`` after ``before`` is the end of another word (签 + 约 is 签约), not a qualifier."""
    return bool(before) and before[-1] in rules.not_after.get(qualifier, "")


def _cut_tail(words: str, rules: Rules) -> str:
    """The counted noun after a figure, up to the first word that starts a predicate."""
    stops = [i for i in (words.find(w) for w in rules.tail_stops) if i > 0]
    return _strip_quotes(words[: min(stops)] if stops else words)


def _without_numbers(words: str) -> str:
    return re.sub(r"[\d.]+[^\s，,、。；;]{0,3}", "", words)


def _strip_quotes(words: str) -> str:
    return words.strip(" \u3000“”\"'‘’《》()（）")


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


# ---------------------------------------------------------------- periods

# A five-year plan by its short name (“十四五”) or its full name (第十四个五年规划).
PLAN_NAME = re.compile(r"十([一二三四五六七八九])五|第十([一二三四五六七八九])个五年")
# How far before and after a plan name a first-year word (开局之年) still speaks of it:
# 开局“十五五” and “十五五”规划的开局之年.
FIRST_YEAR_REACH = (4, 8)


@dataclass(frozen=True)
class Span:
    """The years a figure refers to and whether it reports a result or a plan."""

    start: int
    end: int
    kind: str  # "result" | "plan"

    @property
    def period(self) -> str:
        """"2025" for one year, "2021-2025" for a range, "other" for no time."""
        if self.kind == "other":
            return "other"
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


NO_TIME = Span(0, 0, "other")  # notes and glossaries after the report: definitions, not results or plans


@dataclass(frozen=True)
class PeriodRules:
    """The knowledge of data/periods.yml."""

    anchor_number: int
    anchor_start: int
    plan_length: int
    review_words: tuple[str, ...]
    plan_words_heading: tuple[str, ...]
    notes_words: tuple[str, ...]
    first_year_words: tuple[str, ...]
    time_words: dict  # word → meaning
    comparison_marks: tuple[str, ...]
    since_words: tuple[str, ...]
    partial: re.Pattern
    plan_words: tuple[str, ...]
    plan_qualifiers: tuple[str, ...]
    opening_window: int
    opening_prefix: re.Pattern
    tense_result: tuple[str, ...]
    tense_plan: tuple[str, ...]
    from_marks: tuple[str, ...]
    to_marks: tuple[str, ...]
    cues: re.Pattern  # every time cue of the text, one alternation
    last_year_words: tuple[str, ...] = ()  # 收官之年: the plan's last year, not its five years


TIME_MEANINGS = ("past-year", "past-five-years", "next-five-years", "whole-year", "span")


def _patterns_of(path: Path, entries, what: str) -> tuple[str, ...]:
    """The ``pattern`` of each noted entry, each checked to compile."""
    patterns = _words(path, entries, "pattern", what)
    for entry, pattern in zip(entries, patterns):
        try:
            re.compile(pattern)
        except re.error as err:
            raise InputError(path, f"line {entry.line}: pattern {pattern!r} is not a valid regex ({err})") from None
    return patterns


@lru_cache(maxsize=8)
def load_periods(path: Path = PERIODS_PATH) -> PeriodRules:
    """Load and check the period cues; malformed entries raise ``InputError`` naming the line."""
    path = Path(path)
    data = load_yaml(path)
    needed = ("five_year_plans", "part_headings", "time_words", "comparison_marks", "since_words",
              "partial_patterns", "plan_words", "plan_qualifiers", "openings", "tense", "from_marks", "to_marks")
    if not isinstance(data, dict) or any(k not in data for k in needed):
        raise InputError(path, f"needs the sections {', '.join(needed)}")
    plans = data["five_year_plans"]
    _require(path, plans, ("anchor_number", "anchor_start", "length", "note"), "five_year_plans")
    headings, openings, tense = data["part_headings"], data["openings"], data["tense"]
    for entry in data["time_words"]:
        _require(path, entry, ("word", "means", "note"), "time word")
        if entry["means"] not in TIME_MEANINGS:
            raise InputError(path, f"line {entry.line}: time word {entry['word']} means {entry['means']!r}, "
                                   f"not one of {', '.join(TIME_MEANINGS)}")
    time_words = {str(e["word"]): str(e["means"]) for e in data["time_words"]}
    partial = _patterns_of(path, data["partial_patterns"], "partial pattern")
    prefixes = _patterns_of(path, openings.get("prefixes", []), "opening prefix")
    words = sorted(time_words, key=len, reverse=True)
    # One alternation, longest forms first: a year range, a year (with 以来), a plan name
    # (with 以来), a part-year span, a time word. Scanned once per block.
    since = "|".join(re.escape(w) for w in _words(path, data["since_words"], "word", "since word"))
    first_year_words = _words(path, headings.get("first_year", []), "word", "first-year heading word")
    cues = re.compile(
        r"(?P<from>(?:19|20)\d\d)年?\s*[—–\-－~至到]\s*(?P<to>(?:19|20)\d\d)年"
        rf"|(?P<year>(?:19|20)\d\d)年(?P<since>{since})?"
        rf"|(?P<plan>{PLAN_NAME.pattern})(?:规划)?”?(?:时期|期间)?(?P<plan_since>{since})?"
        "|(?P<partial>" + "|".join(partial) + ")"
        "|(?P<word>" + "|".join(re.escape(w) for w in words) + ")")
    return PeriodRules(
        anchor_number=int(plans["anchor_number"]), anchor_start=int(plans["anchor_start"]),
        plan_length=int(plans["length"]),
        review_words=_words(path, headings.get("review", []), "word", "review heading word"),
        plan_words_heading=_words(path, headings.get("plan", []), "word", "plan heading word"),
        notes_words=_words(path, headings.get("notes", []), "word", "notes heading word"),
        first_year_words=first_year_words,
        last_year_words=_words(path, headings.get("last_year", []), "word", "last-year word"),
        time_words=time_words,
        comparison_marks=_words(path, data["comparison_marks"], "word", "comparison mark"),
        since_words=_words(path, data["since_words"], "word", "since word"),
        partial=re.compile("|".join(partial)),
        plan_words=_words(path, data["plan_words"], "word", "plan word"),
        plan_qualifiers=_words(path, data["plan_qualifiers"], "word", "plan qualifier"),
        opening_window=int(openings.get("window", 10)),
        opening_prefix=re.compile("(?:" + "|".join(prefixes) + ")") if prefixes else re.compile("(?!)"),
        tense_result=_words(path, tense.get("result", []), "word", "result tense word"),
        tense_plan=_words(path, tense.get("plan", []), "word", "plan tense word"),
        from_marks=_words(path, data["from_marks"], "word", "from mark"),
        to_marks=tuple(sorted(_words(path, data["to_marks"], "word", "to mark"), key=len, reverse=True)),
        cues=cues,
    )


def plan_years(number: int, periods: PeriodRules) -> tuple[int, int]:
    """The years of the five-year plan 十N五 (14 → 2021-2025), computed, not listed."""
    start = periods.anchor_start + periods.plan_length * (number - periods.anchor_number)
    return start, start + periods.plan_length - 1


def plan_containing(year: int, periods: PeriodRules) -> tuple[int, int]:
    """The years of the five-year plan a year falls in (2024 → 2021-2025)."""
    number = periods.anchor_number + (year - periods.anchor_start) // periods.plan_length
    return plan_years(number, periods)


def _plan_number(match_text: str) -> int:
    named = PLAN_NAME.search(match_text)
    return 10 + CHINESE_DIGITS[named.group(1) or named.group(2)]


def _span(start: int, end: int, year: int) -> Span:
    """A span of years, a result when it ends before the planned year, else a plan."""
    return Span(start, end, "result" if end < year else "plan")


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    what: str  # "span" (a time fixed by the text), "partial", "whole-year", "mode-span"
    span: Optional[Span] = None


def time_cues(text: str, year: int, periods: PeriodRules) -> list[_Cue]:
    """The time cues of a text in order, each with the span it names for a report planning ``year``."""
    found = []
    for m in periods.cues.finditer(text):
        cue = _cue(text, m, year, periods)
        if cue:
            found.append(cue)
    return found


def _cue(text: str, m: re.Match, year: int, periods: PeriodRules) -> Optional[_Cue]:
    start, end = m.start(), m.end()
    if m.group("from"):
        return _Cue(start, end, "span", _span(int(m.group("from")), int(m.group("to")), year))
    if _compared(text, start, periods):
        return None  # 比2020年增长, 较“十三五”时期增长: the base of a comparison
    if m.group("year"):
        named = int(m.group("year"))
        if m.group("since"):
            return _Cue(start, end, "span", Span(named, max(named, year - 1), "result"))
        return _Cue(start, end, "span", _span(named, named, year))
    if m.group("plan"):
        first, last = plan_years(_plan_number(m.group("plan")), periods)
        if m.group("plan_since"):
            return _Cue(start, end, "span", Span(first, max(first, year - 1), "result"))
        near = text[max(0, start - FIRST_YEAR_REACH[0]):end + FIRST_YEAR_REACH[1]]
        if any(word in near for word in periods.first_year_words):
            return _Cue(start, end, "span", _span(first, first, year))  # “十五五”规划的开局之年, 开局“十五五”
        if any(word in near for word in periods.last_year_words):
            return _Cue(start, end, "span", _span(last, last, year))  # 今年是“十四五”规划收官之年
        return _Cue(start, end, "span", _span(first, last, year))
    if m.group("partial"):
        return _Cue(start, end, "partial")
    means = periods.time_words[m.group("word")]
    if means == "past-year":
        return _Cue(start, end, "span", Span(year - 1, year - 1, "result"))
    if means == "past-five-years":
        return _Cue(start, end, "span", Span(year - 5, year - 1, "result"))
    if means == "next-five-years":
        return _Cue(start, end, "span", Span(year, year + 4, "plan"))
    return _Cue(start, end, "mode-span" if means == "span" else means)


def _compared(text: str, start: int, periods: PeriodRules) -> bool:
    """True when a time named at ``start`` follows a comparison mark (比, 较“…)."""
    before = text[max(0, start - 4):start].rstrip("“\"")
    return any(before.endswith(mark) for mark in periods.comparison_marks)


def heading_mode(heading: str, year: int, periods: PeriodRules) -> Optional[Span]:
    """What a part heading announces (一、2025年工作回顾 → results of 2025), or None without cues."""
    if any(heading.startswith(w) for w in periods.notes_words):
        return NO_TIME
    review = any(w in heading for w in periods.review_words)
    plan = not review and any(w in heading for w in periods.plan_words_heading)
    named = re.search(r"((?:19|20)\d\d)|" + PLAN_NAME.pattern, heading)
    if named and named.group(1):
        return _span(int(named.group(1)), int(named.group(1)), year)
    if named:
        first, last = plan_years(_plan_number(named.group(0)), periods)
        if any(w in heading for w in periods.first_year_words):
            return Span(first, first, "plan")
        return _span(first, last, year)
    if review:
        return Span(year - 1, year - 1, "result")
    if plan:
        return Span(year, year, "plan")
    return None


@dataclass(frozen=True)
class Timeline:
    """The time cues, sentence starts and clause starts of one block's text, sorted for bisecting."""

    text: str
    cues: list[_Cue]
    cue_starts: list[int]
    cue_ends: list[int]
    sentences: list[int]  # start of every sentence, 0 first
    clauses: list[int]  # start of every clause, 0 first
    # cue number → the last cue at or before it that is not a part-year span (-1: none), so a
    # figure skips a run of 前三季度 cues in one step instead of walking it
    deciding: list[int] = field(default_factory=list)
    # sentence number → whether it speaks of plans: read once per sentence, not once per figure
    plan_sentences: dict = field(default_factory=dict, compare=False)


def timeline(text: str, year: int, periods: PeriodRules) -> Timeline:
    """Index one block's text once, so every figure finds its cues and sentence in log time."""
    cues = time_cues(text, year, periods)
    sentences = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    clauses = [0] + [m.end() for m in _CLAUSE_END.finditer(text) if m.end() < len(text)]
    deciding, last = [], -1
    for number, cue in enumerate(cues):
        last = last if cue.what == "partial" else number
        deciding.append(last)
    return Timeline(text, cues, [c.start for c in cues], [c.end for c in cues], sentences, clauses, deciding)


def _start_before(starts: list[int], position: int) -> int:
    """The last of ``starts`` at or before ``position``."""
    return starts[max(bisect_right(starts, position) - 1, 0)]


def opening_mode(line: Timeline, start: int, year: int, periods: PeriodRules) -> Optional[Span]:
    """The span a sentence starting at ``start`` opens with (——这五年，… → the five years reviewed), or None."""
    offset = start
    while (m := periods.opening_prefix.match(line.text, offset)) and m.end() > offset:
        offset = m.end()
    index = bisect_left(line.cue_starts, start)
    while index < len(line.cues) and line.cues[index].what == "mode-span":
        index += 1  # 年均 does not open a stretch; look at the time word after it
    if index == len(line.cues):
        return None
    first = line.cues[index]
    if first.what != "span" or first.start >= offset + periods.opening_window:
        return None
    span = first.span
    if span.start == span.end and span.start not in (year - 1, year):
        return None  # 到2030年… opens one sentence, not a new stretch of the report
    return span


def report_year(report: Report, periods: PeriodRules) -> Optional[int]:
    """The year the report plans for: Report.year, else read from its part headings or its text."""
    if report.year:
        return report.year
    votes: Counter = Counter()
    for block in report.blocks:
        if block.kind == "heading" and block.level == 1:
            found = re.search(r"(?:19|20)\d\d", block.text)
            if found:
                review = any(w in block.text for w in periods.review_words)
                votes[int(found.group(0)) + (1 if review else 0)] += 1
    if not votes:
        # The review is the longest stretch of a report: its year is the most written one.
        years = Counter(int(y) for b in report.blocks for y in re.findall(r"((?:19|20)\d\d)年", b.text))
        if not years:
            return None
        return years.most_common(1)[0][0] + 1
    return votes.most_common(1)[0][0]


def _part_tense(blocks: list[Block], periods: PeriodRules) -> str:
    """"result" or "plan" by the words of a part's paragraphs, for a heading without cues."""
    text = "".join(b.text for b in blocks)
    results = sum(text.count(w) for w in periods.tense_result)
    plans = sum(text.count(w) for w in periods.tense_plan)
    return "result" if results > plans else "plan"


def block_modes(report: Report, year: int, lines: dict[int, Timeline],
                periods: PeriodRules) -> dict[int, list[Optional[Span]]]:
    """The span each sentence speaks of by the report's structure: per block, one per sentence start.

    A part starts with what its heading announces; a sentence opening with a time word (这五年，…)
    changes it for the rest of the part. Before any part (the intro) the span is None.
    """
    parts: list[list[Block]] = []
    for block in report.blocks:
        if block.kind == "heading" and block.level == 1:
            parts.append([block])
        elif parts and block.part is not None:
            parts[-1].append(block)
    modes: dict[int, list[Optional[Span]]] = {}
    for number, (heading, *body) in enumerate(parts):
        mode = heading_mode(heading.text, year, periods)
        if mode is None:
            tense = _part_tense(body, periods) if number else "result"
            mode = Span(year - 1, year - 1, "result") if tense == "result" else Span(year, year, "plan")
        for block in body:
            line, spans = lines[block.index], []
            for start in line.sentences:
                if mode is not NO_TIME:
                    mode = opening_mode(line, start, year, periods) or mode
                spans.append(mode)
            modes[block.index] = spans
    return modes


def figure_span(figure: Figure, line: Timeline, modes: list[Optional[Span]], year: int,
                periods: PeriodRules, floor: Optional[int] = None) -> tuple[Span, bool]:
    """The span and partial flag of one figure: the nearest time cue before it in its sentence, else the mode."""
    sentence = bisect_right(line.sentences, figure.start) - 1
    mode = modes[sentence] if modes else None
    if mode is NO_TIME:
        return mode, False
    floor = line.sentences[sentence] if floor is None else floor
    partial = False
    index = bisect_right(line.cue_ends, figure.start) - 1
    while index >= 0 and line.cues[index].start >= floor:
        cue = line.cues[index]
        if cue.what == "partial":
            partial = True
            index = line.deciding[index]  # the run of part-year cues is read: on to the cue that decides
            continue
        index -= 1
        if cue.what == "span":
            return cue.span, partial
        elif cue.what == "whole-year":
            break
        elif cue.what == "mode-span":
            return _mode_span(mode, year, periods), partial
    if mode is None:
        return _intro_span(figure, line, sentence, year, periods), partial
    return mode, partial


def _mode_span(mode: Optional[Span], year: int, periods: PeriodRules) -> Span:
    """年均 in a review of the year that closes a five-year plan: the plan's years; otherwise the context."""
    if mode is None or (mode.kind == "result" and mode.start == mode.end == year - 1):
        first, last = plan_containing(year - 1, periods)
        if last == year - 1:
            return Span(first, last, "result")
    return mode or Span(year - 1, year - 1, "result")


def _intro_span(figure: Figure, line: Timeline, sentence: int, year: int, periods: PeriodRules) -> Span:
    """Before any part: the year reviewed, unless the figure's sentence speaks of plans."""
    if sentence not in line.plan_sentences:
        start = line.sentences[sentence]
        end = line.sentences[sentence + 1] if sentence + 1 < len(line.sentences) else len(line.text)
        words = line.text[start:end]
        line.plan_sentences[sentence] = any(w in words for w in periods.plan_words)
    if figure.qualifier in periods.plan_qualifiers or line.plan_sentences[sentence]:
        return Span(year, year, "plan")
    return Span(year - 1, year - 1, "result")


def change_pairs(text: str, found: list[Figure], periods: PeriodRules) -> dict[int, str]:
    """Figures that start or end a change (从3826.5亿元增长到4398.6亿元): index → "from" or "to"."""
    roles: dict[int, str] = {}
    for i, (first, second) in enumerate(zip(found, found[1:])):
        before = text[max(0, first.start - 4):first.start]
        between = text[first.end:second.start]
        if (any(mark in before for mark in periods.from_marks) and len(between) <= 12
                and any(between.startswith(mark) for mark in periods.to_marks)):
            roles[i], roles[i + 1] = "from", "to"
    return roles


def _changed_span(role: str, figure: Figure, line: Timeline, modes: list[Optional[Span]], year: int,
                  periods: PeriodRules) -> Optional[Span]:
    """The span of the start or end of a change, by its own clause's context; None if a time cue names it."""
    clause = _start_before(line.clauses, figure.start)
    first, last = bisect_left(line.cue_starts, clause), bisect_left(line.cue_starts, figure.start)
    if any(line.cues[i].what == "span" for i in range(first, last)):
        return None
    context, _ = figure_span(figure, line, modes, year, periods, floor=clause)
    if role == "from":
        return Span(context.start - 1, context.start - 1, "result")
    return Span(context.end, context.end, context.kind)


# ---------------------------------------------------------------- the stage

def extract_figures(report: Report) -> Report:
    """Attach the figures found in each block's cleaned text, each with its period, kind and partial flag."""
    table, periods = load_units(), load_periods()
    year = report_year(report, periods)
    lines = {b.index: timeline(b.text, year, periods) for b in report.blocks} if year else {}
    modes = block_modes(report, year, lines, periods) if year else {}
    blocks = []
    for block in report.blocks:
        if block.kind == "heading":
            blocks.append(replace(block, figures=()))
            continue
        found = [replace(f, block=block.index, theme=block.theme) for f in find_figures(block.text)]
        if year:
            found = _with_periods(found, lines[block.index], modes.get(block.index, []), year, table, periods)
        blocks.append(replace(block, figures=tuple(found)))
    return replace(report, blocks=tuple(blocks))


def _with_periods(found: list[Figure], line: Timeline, modes: list[Optional[Span]], year: int,
                  table: UnitTable, periods: PeriodRules) -> list[Figure]:
    """The figures of one block with period, kind and partial set; durations (3年) stay "other"."""
    roles = change_pairs(line.text, found, periods)
    result = []
    for i, figure in enumerate(found):
        kind = table.kind_of(figure.base_unit)
        if kind is not None and kind.name == "duration":
            result.append(figure)
            continue
        span, partial = figure_span(figure, line, modes, year, periods)
        if i in roles:
            span = _changed_span(roles[i], figure, line, modes, year, periods) or span
        result.append(replace(figure, period=span.period, kind=span.kind, partial=partial))
    return result


def unused_rules(reports: Iterable[Report], rules: Optional[Rules] = None) -> list[str]:
    """Exclusions, exclusion patterns and phrases of data/figure_rules.yml that match no block of these reports, for review."""
    rules = rules or load_rules()
    text = "\n".join(block.text for report in reports for block in report.blocks)
    unused = [f"exclusion {phrase}" for phrase in rules.exclusions if phrase not in text]
    unused += [f"phrase {entry['phrase']}" for entry in rules.phrases if entry["phrase"] not in text]
    unused += [f"exclusion pattern {pattern.pattern}" for pattern in rules.exclusion_patterns if not pattern.search(text)]
    if rules.counted_sets:
        sets = {m.group(0) for m in re.finditer(rules.counted_sets.pattern.replace("(?=", "(", 1), text)}
        unused += [f"counted set noun {noun}" for noun in rules.counted_set_nouns if not any(s.endswith(noun) for s in sets)]
    unused += [f"bare hundreds verb {word}" for word in rules.bare_hundreds_after
               if word + "百" not in text and word + "千" not in text]
    return unused


def unused_period_cues(reports: Iterable[Report], periods: Optional[PeriodRules] = None) -> list[str]:
    """Words of data/periods.yml that occur in no block of these reports, for review."""
    periods = periods or load_periods()
    text = "\n".join(block.text for report in reports for block in report.blocks)
    words = {"time word": periods.time_words, "comparison mark": periods.comparison_marks,
             "from mark": periods.from_marks, "to mark": periods.to_marks, "plan word": periods.plan_words,
             "review heading word": periods.review_words, "plan heading word": periods.plan_words_heading,
             "first-year word": periods.first_year_words, "notes heading word": periods.notes_words}
    return [f"{what} {word}" for what, listed in words.items() for word in listed if word not in text]
