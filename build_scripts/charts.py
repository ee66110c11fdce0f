"""Charts stage: honest charts from the figures, curated by editors, and their HTML.

A chart shows one measure across periods (the same indicator as a result and as a plan,
over spans of equal length), or items of one kind counted the same way in one period (a
family of data/measures.yml: subsidies paid, school places, events held). Sharing a unit
is not enough: figures that fit neither are shown as cards and in the data table. A plan's
capacity (可增加学位13680个) is never set beside a year's result. Every bar's series names
its period (2024年成绩, 2025年目标, 2024年前三季度), so no number loses its time.
Editors can retitle, reorder, exclude or pick the figures of charts in data/charts.yml.

Every chart carries its text alternative and the source sentence of each bar; the
HTML embeds the option as JSON (no inline code) for docs/javascripts/charts.js.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from .errors import InputError
from .rules_yaml import require_keys, require_text, where
from .figures import CUT, RANK_BASE, load_periods, load_rules, load_units, load_yaml
from .markup import figure_anchor
from .model import Figure, Report

if TYPE_CHECKING:  # for the annotations only: pyecharts is imported when charts are built (_pyecharts_options)
    from pyecharts import options as opts
    from pyecharts.charts import Bar

DATA = Path(__file__).resolve().parent / "data"
CURATION_PATH = DATA / "charts.yml"
MEASURES_PATH = DATA / "measures.yml"
ECHARTS_DEFAULTS_PATH = DATA / "echarts_defaults.yml"
MAX_BARS = 8  # more bars than this and a reader cannot compare them; the largest are kept
MIN_BARS = 2  # a comparison: one measure in two periods
MIN_ITEMS = 3  # items of one kind: two bars of two things say less than two cards
MIN_LABEL = 3  # labels shorter than this (增长, 学位) are too bare to say two figures measure one thing
SEVERAL = "分别"  # "respectively": a label holding it names several measures at once
THRESHOLD_VERB = re.compile(r"(?:突破|达到|超过)$")
MAX_PREFIX = 4  # words a label may add before the same measure (全省, 新增, 全年); more names another thing
BAR_PIXELS = 36  # one bar compares nothing
KIND_ORDER = ("money", "people", "households", "count", "events", "percent")
NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十百千]")
CURATION_KEYS = {"chart", "note", "title", "order", "exclude", "figures"}


@dataclass(frozen=True)
class Chart:
    """One bar chart: what it compares, its text alternative, its ECharts option and its figures."""

    id: str  # stable slug: <theme>-<unit>-<period> or <theme>-<unit>-compare
    theme: Optional[str]
    title: str
    unit: str  # the display unit of the value axis (亿元, 个, %)
    description: str  # text alternative, Chinese
    options: dict  # ECharts option built with pyecharts; data items carry sentence and anchor
    figures: tuple[Figure, ...]
    finding: str = ""  # what the bars show, as a sentence (甲最高，为7%以上；乙最低，为4.5%): the chart's headline


# ---------------------------------------------------------------- periods and units

def period_names(report: Report) -> dict[str, str]:
    """Reader names of the report's periods, from what its figures are: {"2024": "2024年成绩", "2025": "2025年目标"}.

    A period named by a year range reads 2021—2025年成绩; a period whose figures are
    mostly neither results nor plans is named by its years alone. Used where a period
    stands for many figures; one figure is named by ``period_text``.
    """
    kinds: dict[str, Counter] = defaultdict(Counter)
    for figure in report_figures(report):
        if figure.period != "other":
            kinds[figure.period][figure.kind] += 1
    names = {"other": UNDATED}
    for period, counted in sorted(kinds.items()):
        years = period.replace("-", "—")
        kind = counted.most_common(1)[0][0]
        names[period] = f"{years}年" + KIND_WORDS.get(kind, "")
    return names


def period_name(period: str, names: dict[str, str]) -> str:
    """The reader name of one period, falling back to the year itself."""
    return names.get(period) or (f"{period.replace('-', '—')}年" if period[:1].isdigit() else UNDATED)


UNDATED = "时间未注明"  # a figure of period "other": the report states no time for it, and we borrow none
KIND_WORDS = {"result": "成绩", "plan": "目标"}
SPAN_WORDS = (("年均", "年均"), ("累计", "累计"))  # a range result that says how it is summed


def period_text(figure: Figure) -> str:
    """What time one figure speaks of, as readers read it: 2024年成绩, 2025年目标, 2024年前三季度, 2021—2025年累计.

    Read from the figure's period, kind and partial flag; the months of a part-year span
    (前三季度, 1—11月) and the 累计/年均 of a range come from the words before the figure in its
    sentence. A figure without a period says so (时间未注明) rather than borrow one.
    """
    if figure.period == "other":
        return UNDATED
    years = figure.period.replace("-", "—") + "年"
    if figure.kind not in KIND_WORDS:
        return years  # a time but neither result nor plan: the years alone
    before = _words_before(figure)
    clause = re.split(r"[，,；;。：:]", before)[-1]  # 年均 of another figure earlier in the sentence is not this one's
    if figure.partial:
        found = list(load_periods().partial.finditer(before))
        span = _tidy_months(found[-1].group(0)) if found else "部分月份"
        return years + span + ("" if figure.kind == "result" else "目标")
    if "-" in figure.period and figure.kind == "result":
        for word, name in SPAN_WORDS:
            if word in clause:
                return years + name
    return years + KIND_WORDS[figure.kind]


def _words_before(figure: Figure) -> str:
    """The words of the figure's sentence before the figure itself."""
    at = figure.sentence.find(figure.text)
    return figure.sentence[:at] if at >= 0 else figure.sentence


def _tidy_months(span: str) -> str:
    """1月—11月 and 1-11月 read 1—11月; quarters and halves stay as written."""
    return re.sub(r"^(\d{1,2})月?[—–\-－~至到](\d{1,2})月$", r"\1—\2月", span)


# ---------------------------------------------------------------- what may share a chart

@dataclass(frozen=True)
class Family:
    """Things of one kind, counted the same way: they may be bars of one chart."""

    id: str
    name: str
    units: tuple[str, ...]
    words: tuple[str, ...]
    note: str
    line: int = 0


@dataclass(frozen=True)
class Measures:
    """The knowledge of data/measures.yml."""

    families: tuple[Family, ...]
    capacity_marks: tuple[str, ...]
    label_prefixes: tuple[str, ...] = ()
    scope_words: tuple[str, ...] = ()
    additive_words: tuple[str, ...] = ()
    clause_scope_words: tuple[str, ...] = ()
    stock_words: tuple[str, ...] = ()


@lru_cache(maxsize=8)
def load_measures(path: Path = MEASURES_PATH) -> Measures:
    """The measure families and capacity marks, checked; a malformed entry raises ``InputError`` naming its line."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict) or not {"families", "capacity_marks"} <= set(data) <= set(MEASURE_SECTIONS):
        raise InputError(path, "needs the sections families and capacity_marks, and may have label_prefixes, "
                               "scope_words, additive_words, clause_scope_words and stock_words")
    if not isinstance(data["families"], list) or not isinstance(data["capacity_marks"], list):
        raise InputError(path, "families and capacity_marks must be lists")
    families, seen = [], set()
    for entry in data["families"]:
        line = getattr(entry, "line", "?")
        if not isinstance(entry, dict) or set(entry) != {"id", "name", "units", "words", "note"}:
            raise InputError(path, f"line {line}: a family needs exactly id, name, units, words and note")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", str(entry["id"])) or entry["id"] in seen:
            raise InputError(path, f"line {line}: family id {entry['id']!r} must be a new ASCII slug (a-z, 0-9, -)")
        for key in ("units", "words"):
            if not isinstance(entry[key], list) or not entry[key] or not all(isinstance(w, str) and w for w in entry[key]):
                raise InputError(path, f"line {line}: family {entry['id']}: {key} must be a non-empty list of words")
        if not str(entry["name"]).strip() or not str(entry["note"]).strip():
            raise InputError(path, f"line {line}: family {entry['id']}: name and note must not be empty")
        seen.add(entry["id"])
        families.append(Family(str(entry["id"]), str(entry["name"]), tuple(entry["units"]),
                               tuple(sorted(entry["words"], key=len, reverse=True)), str(entry["note"]), line))
    marks = []
    for entry in data["capacity_marks"]:
        line = getattr(entry, "line", "?")
        if not isinstance(entry, dict) or set(entry) != {"word", "note"} or not entry["word"] or not entry["note"]:
            raise InputError(path, f"line {line}: a capacity mark needs exactly word and note")
        marks.append(str(entry["word"]))
    return Measures(tuple(families), tuple(marks), _noted_words(path, data, "label_prefixes"),
                    _noted_words(path, data, "scope_words"), _noted_words(path, data, "additive_words"),
                    _noted_words(path, data, "clause_scope_words"), _noted_words(path, data, "stock_words"))


MEASURE_SECTIONS = ("families", "capacity_marks", "label_prefixes", "scope_words", "additive_words",
                    "clause_scope_words", "stock_words")


def _noted_words(path: Path, data: dict, section: str) -> tuple[str, ...]:
    """The words of an optional section of noted words, longest first; a malformed entry raises ``InputError``."""
    entries = data.get(section) or []
    if not isinstance(entries, list):
        raise InputError(path, f"{section} must be a list")
    for entry in entries:
        line = getattr(entry, "line", "?")
        if not isinstance(entry, dict) or set(entry) != {"word", "note"} or not entry["word"] or not entry["note"]:
            raise InputError(path, f"line {line}: an entry of {section} needs exactly word and note")
    return tuple(sorted((str(e["word"]) for e in entries), key=len, reverse=True))


def family_of(figure: Figure, measures: Optional[Measures] = None) -> Optional[Family]:
    """The family a figure's counted thing belongs to (its label ends with a family word), or None."""
    measures = measures or load_measures()
    for family in measures.families:
        if figure.base_unit in family.units and figure.label.endswith(family.words):
            return family
    return None


def is_capacity(figure: Figure, measures: Optional[Measures] = None) -> bool:
    """True when the words just before a figure make it a capacity (可增加学位13680个), not a count."""
    measures = measures or load_measures()
    near = _words_before(figure)[-(len(figure.label) + 6):]
    return any(mark in near for mark in measures.capacity_marks)


def unused_measures(reports: Iterable[Report], measures: Optional[Measures] = None) -> list[str]:
    """Families and capacity marks of data/measures.yml that fire on no figure of these reports, for review."""
    measures = measures or load_measures()
    figures = [f for report in reports for f in report_figures(report)]
    unused = [f"family {family.id}" for family in measures.families
              if not any(family_of(f, Measures((family,), ())) for f in figures)]
    unused += [f"capacity mark {mark}" for mark in measures.capacity_marks
               if not any(is_capacity(f, Measures((), (mark,))) for f in figures if f.kind == "plan")]
    unused += [f"clause scope word {word}" for word in measures.clause_scope_words
               if not any(word in f.sentence for f in figures)]
    return unused


def display_scale(figures: Iterable[Figure]) -> tuple[str, float]:
    """The unit the value axis shows and the divisor from base units (亿元, 1e8).

    A magnitude (万, 亿) is used when at least half of the values reach it, so
    bars read as 730 and 497 rather than 73000000000.
    """
    figures = list(figures)
    table = load_units()
    base = figures[0].base_unit
    kind = table.kind_of(base)
    if kind is None or not kind.display_magnitudes:
        return base, 1.0
    for word, size in sorted(table.display_magnitudes.items(), key=lambda item: -item[1]):
        if sum(1 for f in figures if (f.base_value or 0) >= size) * 2 >= len(figures):
            return word + base, size
    return base, 1.0


def is_chartable(figure: Figure) -> bool:
    """True when a figure can be a bar: a known unit of a kind drawn as bars, and a stated amount.

    A bare magnitude (万亿规模, 超亿元) names an order of size, not an amount; as a
    bar it would dwarf the measured figures beside it, so it is left to the table.
    """
    kind = load_units().kind_of(figure.base_unit)
    stated = bool(NUMERAL.search(figure.text))
    return (figure.base_value is not None and figure.base_unit != RANK_BASE and kind is not None
            and kind.chart and stated)


# ---------------------------------------------------------------- grouping

def report_figures(report: Report) -> list[Figure]:
    """Every figure of the report in reading order."""
    return [f for block in report.blocks for f in block.figures]


def bar_groups(figures: Iterable[Figure], measures: Optional[Measures] = None) -> dict[tuple, list[Figure]]:
    """Items of one kind: chartable figures grouped by theme × family × base unit × period as named (2024年成绩).

    Only figures of a family of data/measures.yml are grouped; a group needs ``MIN_ITEMS``
    figures, is sorted biggest first and capped at ``MAX_BARS``.
    """
    measures = measures or load_measures()
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in figures:
        family = family_of(figure, measures) if is_chartable(figure) else None
        if family and figure.kind in KIND_WORDS and not is_capacity(figure, measures):
            groups[(figure.theme, family.id, figure.base_unit, figure.period, period_text(figure))].append(figure)
    groups = {key: _once_each(members, measures) for key, members in groups.items()}
    return {key: _biggest(members)[:MAX_BARS] for key, members in groups.items() if len(members) >= MIN_ITEMS}


def _once_each(figures: list[Figure], measures: Measures) -> list[Figure]:
    """The figures without repeats: a report states a target in its summary and again in its section
    (全省农村劳动力转移就业1500万人以上 … 农村劳动力转移就业1500万人以上), which is one bar, not two."""
    kept: list[Figure] = []
    for figure in figures:
        if not any(f.base_value == figure.base_value and f.base_upper == figure.base_upper
                   and same_measure(f.label, figure.label, measures) for f in kept):
            kept.append(figure)
    return kept


def _biggest(figures: list[Figure]) -> list[Figure]:
    return sorted(figures, key=lambda f: (-(f.base_value or 0), f.block, f.start))


def comparable_pairs(figures: Iterable[Figure], measures: Optional[Measures] = None) -> list[tuple[Figure, Figure]]:
    """Pairs (result, plan) of one measure, like for like: same unit and label, whole spans of equal length.

    A part-year result, a capacity (可增加…) or a span of another length (five years'
    results beside one year's plan) is not like for like, so it makes no pair.
    """
    measures = measures or load_measures()
    usable = [f for f in figures if is_chartable(f) and not f.partial and f.period != "other" and _in_digits(f)]
    results = [f for f in usable if f.kind == "result"]
    plans = [f for f in usable if f.kind == "plan" and not is_capacity(f, measures)]
    pairs, used = [], set()
    for result in results:
        candidates = [plan for plan in plans if id(plan) not in used and plan.theme == result.theme
                      and _span_length(plan.period) == _span_length(result.period) and plan.period > result.period]
        # The same label first: 能源工业增加值增长 pairs with its own target, not with 工业增加值增长's.
        plan = next((p for p in candidates if same_figure_measure(result, p, measures, exact=True)), None) or \
            next((p for p in candidates if same_figure_measure(result, p, measures)), None)
        if plan is not None:
            pairs.append((result, plan))
            used.add(id(plan))
    return pairs


def same_figure_measure(one: Figure, other: Figure, measures: Optional[Measures] = None, exact: bool = False) -> bool:
    """True when two figures state one measure: the same base unit, labels of one measure (``same_measure``),
    the same family, the same narrowing words in their clauses (``clause_scope``) and not a stock beside an
    addition (``count_kind``: 全县拥有…497家 is not 新增…38家). Chart pairs and
    targets against results (promises.py) both ask this."""
    measures = measures or load_measures()
    return (one.base_unit == other.base_unit and same_measure(one.label, other.label, measures, exact=exact)
            and family_of(one, measures) == family_of(other, measures)
            and clause_scope(one, measures) == clause_scope(other, measures)
            and {count_kind(one, measures), count_kind(other, measures)} != {"stock", "addition"})


CLAUSE_END = re.compile(r"[，,；;：:。！？]")
_NUMBER_BEFORE = re.compile(r"[0-9.．]$")
_FIRST_NUMBER = re.compile(r"[0-9]")


def _place_in_sentence(figure: Figure) -> int:
    """Where the figure stands in its sentence, or -1: an occurrence of its text not inside another number
    (7% is not the end of 7.7%), the first after its label when the label is written there (5.5%左右 may stand
    twice in a list of targets)."""
    sentence = figure.sentence
    places = [m.start() for m in re.finditer(re.escape(figure.text), sentence)
              if not _NUMBER_BEFORE.search(sentence[:m.start()])] if figure.text else []
    labelled = sentence.find(figure.label) if figure.label else -1
    return next((at for at in places if at >= labelled >= 0), places[0] if places else -1)


EXCERPT_REACH = 40  # characters of a bar's sentence kept on either side of its figure in tooltips


def sentence_excerpt(figure: Figure) -> str:
    """The part of the figure's sentence a bar's tooltip shows: whole clauses within ``EXCERPT_REACH`` of
    the figure, marked … where cut; a whole sentence when it is short.

    A chart of thirty places would otherwise carry thirty sentences of up to 240 characters twice
    (tooltip and table); the bar's link leads to the whole sentence.
    """
    sentence, at = figure.sentence, _place_in_sentence(figure)
    end = at + len(figure.text)
    if at < 0 or len(sentence) <= 2 * EXCERPT_REACH + len(figure.text):
        return sentence
    low, high = max(0, at - EXCERPT_REACH), min(len(sentence), end + EXCERPT_REACH)
    if low > 0:  # start after the first clause mark within reach, so the excerpt opens on a clause
        low = next((m.end() for m in CLAUSE_END.finditer(sentence, low, at)), low)
    if high < len(sentence):  # and end on the last one
        high = ([m.end() for m in CLAUSE_END.finditer(sentence, end, high)] or [high])[-1]
    head = CUT if low > 0 else ""
    tail = CUT if high < len(sentence) else ""
    return head + sentence[low:high] + tail


def clause_scope(figure: Figure, measures: Optional[Measures] = None) -> frozenset:
    """The words narrowing a figure's scope in its sentence before it (中心城区, 园区, 规模以上, 扣除…后), as a set.

    Its own clause counts (in a list, its own item and the list's lead), and so does a clause before it that ends in 后 (扣除房地产开发投资后，固定资产投资
    增长2.7%): a result and a target whose sets differ measure two things even when their labels agree.
    """
    measures = measures or load_measures()
    at = _place_in_sentence(figure)
    before = figure.sentence[:at] if at >= 0 else ""
    clauses = CLAUSE_END.split(before)
    # In a list, its own item and the lead before the list's first number: 省管企业 of 省管企业净资产增长8.9%、
    # 研发投入增长34.4% narrows both, 中心城区 of 13.6万平方米中心城区…改造、31.1万平方米… only the first.
    items = clauses[-1].split("、")
    scope = items[0] if len(items) == 1 else _FIRST_NUMBER.split(items[0], 1)[0] + items[-1]
    if len(clauses) > 1 and clauses[-2].endswith("后"):
        scope = clauses[-2] + scope
    return frozenset(word for word in measures.clause_scope_words if word in scope)


def count_kind(figure: Figure, measures: Optional[Measures] = None) -> str:
    """"stock" when a figure counts what there is (全县拥有…科技型中小企业497家, 累计培育…981家, 新增300家、达到739家),
    "addition" when it counts what was added (新增科技型中小企业38家), "" when its words say neither or it is a rate.

    Read from the figure's own item of a list, then the word that opens the list (全年新增高新技术企业60家以上、科技型
    中小企业500家以上: both are additions; 全市现有…、科技型中小企业6545家: both are stocks; 城镇新增就业50万人、失业人员
    再就业10万人: 新增 names the first item only), then its label; the first of these holding a stock word
    (data/measures.yml ``stock_words``) or a verb of adding (``additive_words``) decides, a stock word first (累计培育
    sums all fostered so far). A verb of reaching that ends an item is no stock word (城镇新增就业达到12万人 is added);
    an item that is nothing else is the level its subject reached (新增300家、达到739家).
    """
    if figure.base_unit in RATE_UNITS:
        return ""
    measures = measures or load_measures()
    at = _place_in_sentence(figure)
    items = CLAUSE_END.split(figure.sentence[:at] if at >= 0 else "")[-1].split("、")
    own = THRESHOLD_VERB.sub("", items[-1]) or items[-1]
    lead = _FIRST_NUMBER.split(items[0], 1)[0] if len(items) > 1 else ""
    for words in (own, _opening(lead, measures), figure.label):
        if any(word in words for word in measures.stock_words):
            return "stock"
        if any(word in words for word in measures.additive_words):
            return "addition"
    return ""


def _opening(lead: str, measures: Measures) -> str:
    """The stock word or verb of adding a list's lead opens with, once who and when are stripped (全年新增… → 新增), or ""."""
    prefixes = measures.label_prefixes + load_rules().drop_prefixes
    while True:
        opener = next((w for w in measures.stock_words + measures.additive_words if lead.startswith(w)), "")
        prefix = next((p for p in prefixes if lead.startswith(p) and len(lead) > len(p)), "")
        if opener or not prefix:
            return opener
        lead = lead[len(prefix):]


def _in_digits(figure: Figure) -> bool:
    """True for a figure written in digits: 八项规定, 两个维护 and 7大要素 are names the report repeats, not statistics."""
    return bool(re.search(r"[0-9]", figure.text)) and not figure.text.endswith("大")


def _span_length(period: str) -> int:
    """Years a period covers: 1 for "2025", 5 for "2021-2025"."""
    first, _, last = period.partition("-")
    return int(last or first) - int(first) + 1


def same_measure(one: str, other: str, measures: Optional[Measures] = None, exact: bool = False) -> bool:
    """True when two labels name the same measure: the same once who and when are stripped from their start
    (地区生产总值增长, 全省地区生产总值增长; 新增普惠性托位, 增设普惠性托位), or the shorter ends the longer, which adds
    at most a few words before it and no word of scope.

    Bare labels (增长, 总投资, 项目) never match: they say too little to be one measure. Ending alike is not
    enough: 民间投资增长 is not 工业投资增长, and 农村居民人均可支配收入 is not 居民人均可支配收入 (a scope word,
    data/measures.yml), nor 人均地区生产总值 地区生产总值. ``exact``: only the first way (no words added).
    """
    # 突破1300亿元, 达到…: the verb of a threshold is no part of the measure (产值突破 is 产值, of what?).
    one, other = THRESHOLD_VERB.sub("", one or ""), THRESHOLD_VERB.sub("", other or "")
    if min(len(one), len(other)) < MIN_LABEL:
        return False
    if SEVERAL in one or SEVERAL in other:
        return False  # 一二三产增加值分别增长6%、5.2%…: the label does not say which figure is which
    rules = load_rules()
    bare = rules.bare_nouns + rules.bare_measures  # 参保率 alone: of which insurance?
    if one in bare or other in bare:
        return False
    if one == other:
        return True
    measures = measures or load_measures()
    one, other = _measure_words(one, measures), _measure_words(other, measures)
    if one == other:
        return True
    if exact:
        return False
    shorter, longer = sorted((one, other), key=len)
    if len(shorter) < MIN_LABEL or not longer.endswith(shorter):
        return False
    extra = longer[:-len(shorter)]
    if len(extra) < 2 or len(extra) > MAX_PREFIX:
        return False  # 更新项目 is not 新项目: one character more is part of another word
    return not any(word in extra for word in measures.scope_words + measures.additive_words + measures.stock_words)


@lru_cache(maxsize=8)
def _additive_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _measure_words(label: str, measures: Measures) -> str:
    """A label without the words of who and when at its start, its additive verb read as one (全省增设托位 → 新增托位)."""
    if measures.additive_words:  # in one pass, longest first: 新培育 is one verb, not 新 + 培育
        label = _additive_pattern(measures.additive_words).sub(measures.additive_words[-1], label)
    changed = True
    while changed:
        changed = False
        for prefix in measures.label_prefixes:
            if label.startswith(prefix) and len(label) > len(prefix):
                label, changed = label[len(prefix):], True
    return label


# ---------------------------------------------------------------- building

# The last report asked about, with its curation file's bytes and its charts: a report's pages, its embed files
# and its list of embeds each ask for the same charts in turn (pairing figures is the costly part).
_LAST_CHARTS: list = []


def build_charts(report: Report, curation_path: Optional[Path] = None) -> tuple[Chart, ...]:
    """The report's charts: the honest default set, then the editors' curation applied."""
    path = CURATION_PATH if curation_path is None else Path(curation_path)
    curation = path.read_bytes() if path.is_file() else None
    if _LAST_CHARTS and _LAST_CHARTS[0][0] is report and _LAST_CHARTS[0][1:3] == (path, curation):
        return _LAST_CHARTS[0][3]
    charts = _build_charts(report, path)
    _LAST_CHARTS[:] = [(report, path, curation, charts)]
    return charts


def _build_charts(report: Report, path: Path) -> tuple[Chart, ...]:
    # Imported now even when this report has no chart: the build's warm-up (whose small report has none)
    # then loads pyecharts once, before the workers fork, instead of once in each worker.
    _pyecharts_options()
    names = period_names(report)
    figures = report_figures(report)
    measures = load_measures()
    charts, seen = [], set()
    for (theme, unit, first, second), pairs in _pairs_by_theme_unit(figures, measures).items():
        suffix = "compare" if (theme, unit) not in seen else f"compare-{pairs[0][0].period}-{pairs[0][1].period}"
        seen.add((theme, unit))
        charts.append(_comparison_chart(theme, unit, pairs, suffix))
    for (theme, family_id, base_unit, period, _), members in bar_groups(figures, measures).items():
        family = next(f for f in measures.families if f.id == family_id)
        charts.append(_group_chart(theme, family, base_unit, members))
    charts.sort(key=_default_order)
    return tuple(apply_curation(report, charts, path, names))


def _pairs_by_theme_unit(figures, measures) -> dict[tuple, list[tuple[Figure, Figure]]]:
    """Like-for-like pairs by theme, unit and the two periods as named (one chart each)."""
    grouped: dict[tuple, list] = defaultdict(list)
    for result, plan in comparable_pairs(figures, measures):
        grouped[(result.theme, result.base_unit, period_text(result), period_text(plan))].append((result, plan))
    return {key: pairs[:MAX_BARS] for key, pairs in grouped.items()}


def _default_order(chart: Chart) -> tuple:
    kind = load_units().kind_of(chart.figures[0].base_unit)
    kind_rank = KIND_ORDER.index(kind.name) if kind and kind.name in KIND_ORDER else len(KIND_ORDER)
    compare = 0 if _is_comparison(chart) else 1
    periods = sorted({f.period for f in chart.figures})
    return (chart.theme or "", compare, periods, kind_rank, chart.id)


def _chart_id(theme: Optional[str], base_unit: str, suffix: str) -> str:
    return f"{theme or 'report'}-{load_units().slug_of(base_unit)}-{suffix}"


def _group_chart(theme, family: Family, base_unit, members) -> Chart:
    """Items of one family in one period: id <theme>-<unit>-<period>-<family>[-part]."""
    unit, scale = display_scale(members)
    when = period_text(members[0])
    title = f"{when}：{family.name}（{unit}）"
    suffix = f"{members[0].period}-{family.id}" + ("-part" if members[0].partial else "")
    return _bar_chart(_chart_id(theme, base_unit, suffix), theme, title, unit, scale, members)


def _comparison_chart(theme, base_unit, pairs, suffix) -> Chart:
    """One measure (or a few, a row each) as a result and as a plan of a span of equal length."""
    members = [f for pair in pairs for f in pair]
    unit, scale = display_scale(members)
    result, plan = pairs[0]
    first, second = period_text(result), period_text(plan)
    labels = _unique_labels([r for r, _ in pairs])
    subject = "、".join(labels) if len(labels) <= 2 else f"{labels[0]}等{len(labels)}项指标"
    title = f"{subject}：{first}与{second}（{unit}）"
    opts = _pyecharts_options()
    bar = _new_bar()
    bar.add_xaxis(labels)
    for index, period_label in ((0, first), (1, second)):
        bar.add_yaxis(period_label, [_item(label, pair[index], scale) for label, pair in zip(labels, pairs)],
                      label_opts=opts.LabelOpts(is_show=True, position="right"))
    options = _finish(bar, unit, legend=True)
    description = (f"条形图：{title}。" + "；".join(
        f"{label}：{first}{r.text}，{second}{p.text}" for label, (r, p) in zip(labels, pairs)) + "。数字摘自报告原文。")
    return Chart(_chart_id(theme, base_unit, suffix), theme, title, unit, description, options, tuple(members),
                 comparison_finding(labels, pairs, first, second))


def comparison_finding(labels: list[str], pairs: list[tuple[Figure, Figure]], first: str, second: str) -> str:
    """What a result-and-plan chart shows: one measure's two figures, or how many plans are above their results."""
    if len(pairs) == 1:
        result, plan = pairs[0]
        return f"{labels[0]}：{first}{result.text}，{second}{plan.text}"
    higher = sum(1 for result, plan in pairs if (plan.base_value or 0) > (result.base_value or 0))
    if higher == 0:
        return f"{len(pairs)}项指标的{second}都不高于{first}"
    if higher == len(pairs):
        return f"{len(pairs)}项指标的{second}都高于{first}"
    return f"{len(pairs)}项指标中，{higher}项{second}高于{first}"


def ranked_finding(labels: list[str], members: list[Figure], items: str = "项") -> str:
    """What a ranked chart shows: the largest and the smallest bar, and a value most bars share (5%左右).

    Rates are 最高/最低, amounts 最多/最少. Two bars of equal value are said to be equal, not ranked.
    """
    if len(members) < 2:
        return ""
    ranked = sorted(zip(labels, members), key=lambda pair: -(pair[1].base_value or 0))
    (top, most), (bottom, least) = ranked[0], ranked[-1]
    if most.base_value == least.base_value and most.base_upper == least.base_upper:
        return f"{len(members)}{items}都是{most.text}"
    high, low = ("最高", "最低") if most.base_unit in RATE_UNITS else ("最多", "最少")
    finding = f"{top}{high}，{_stated(most)}；{bottom}{low}，{_stated(least)}"
    shared, count = Counter(f.text for f in members).most_common(1)[0]
    if count >= 3 and count * 2 >= len(members):
        finding += f"；{count}{items}为{shared}"
    return finding


def _stated(figure: Figure) -> str:
    """为7%以上, but 达14.2万亿元 and 超6.1万家 as written: their own verb says it."""
    return f"为{figure.text}" if figure.text[:1].isdigit() else figure.text


RATE_UNITS = ("%", "倍", "个百分点")  # units whose bars are rates: the largest is 最高, not 最多


def _bar_chart(chart_id, theme, title, unit, scale, members) -> Chart:
    return series_chart(chart_id, theme, title, unit, scale, _unique_labels(members), members,
                        period_text(members[0]))


def series_chart(chart_id: str, theme: Optional[str], title: str, unit: str, scale: float, labels: list[str],
                 members: list[Figure], series: str, note: str = "数字摘自报告原文。", items: str = "项") -> Chart:
    """A one-series bar chart: a bar per figure, named by ``labels``, values divided by ``scale``."""
    opts = _pyecharts_options()
    bar = _new_bar()
    bar.add_xaxis(labels)
    bar.add_yaxis(series, [_item(l, f, scale) for l, f in zip(labels, members)],
                  label_opts=opts.LabelOpts(is_show=True, position="right"))
    options = _with_ranges(_finish(bar, unit, legend=False), members, scale)
    if any(f.upper is not None for f in members) and RANGE_NOTE not in note:
        note = RANGE_NOTE + note
    description = (f"条形图：{title}，共{len(members)}{items}，从大到小：" +
                   "；".join(f"{label}{f.text}" for label, f in zip(labels, members)) + f"。{note}")
    return Chart(chart_id, theme, title, unit, description, options, tuple(members),
                 ranked_finding(labels, members, items))


RANGE_SERIES = "range"  # the id of the series that draws a range's span above its lower bound
RANGE_NOTE = "区间（如5%—5.5%）画到下限，浅色部分是到上限的区间。"


def _with_ranges(options: dict, members: list[Figure], scale: float) -> dict:
    """The option with the ranges of ``members`` drawn: the bar to the lower bound, a light span on to the upper one.

    A chart with no range is left as it is. The span is a second, stacked series (id ``range``) that
    the data table, downloads and bar count leave out: it is the same figure, not another.
    """
    if not any(f.upper is not None for f in members):
        return options
    data = options["series"][0]
    data["stack"] = "value"
    spans = [{"name": item["name"], "value": _round(((f.base_upper or f.base_value) - f.base_value) / scale)}
             for item, f in zip(data["data"], members)]
    options["series"].append({"type": "bar", "id": RANGE_SERIES, "name": "区间", "stack": "value", "data": spans,
                              "label": {"show": False}, "itemStyle": {"opacity": 0.35}})
    return options


def data_series(options: dict) -> list[dict]:
    """The series of a chart's option that hold its figures, without the drawn span of ranges."""
    return [series for series in options["series"] if series.get("id") != RANGE_SERIES]


def _unique_labels(figures: list[Figure]) -> list[str]:
    """Bar names, each distinct: a repeated label gets the figure as written after it."""
    labels = [f.label or f.sentence[:12] for f in figures]
    counts = defaultdict(int)
    for label in labels:
        counts[label] += 1
    return [f"{label}（{f.text}）" if counts[label] > 1 else label for label, f in zip(labels, figures)]


# pyecharts is imported when charts are built, not with this module: a rebuild whose reports all come from
# the cache builds none, and the import costs about 0.1 s.
def _pyecharts_options():
    from pyecharts import options

    return options


def _new_bar():
    from pyecharts.charts import Bar

    return Bar(init_opts=_pyecharts_options().InitOpts(chart_id="c"))


def _item(label: str, figure: Figure, scale: float) -> opts.BarItem:
    return _pyecharts_options().BarItem(name=label, value=_round(figure.base_value / scale))


def _round(number: float) -> float | int:
    rounded = round(number, 4)
    return int(rounded) if float(rounded).is_integer() else rounded


def _finish(bar: Bar, unit: str, legend: bool) -> dict:
    """Horizontal bars, biggest on top, value axis named with the unit; the option as a dict."""
    opts = _pyecharts_options()
    bar.reversal_axis()
    bar.set_global_opts(
        legend_opts=opts.LegendOpts(is_show=legend, pos_top="0"),
        tooltip_opts=opts.TooltipOpts(trigger="item", is_confine=True),
        xaxis_opts=opts.AxisOpts(type_="value", name=unit, name_location="end"),
        yaxis_opts=opts.AxisOpts(type_="category", is_inverse=True,
                                 axislabel_opts=opts.LabelOpts(interval=0)),
    )
    options = json.loads(bar.dump_options_with_quotes())
    options["grid"] = {"left": 8, "right": 80, "top": 32 if legend else 16, "bottom": 8, "containLabel": True}
    options["yAxis"][0]["axisLabel"].update({"width": 150, "overflow": "break"})
    options.pop("title", None)  # the figcaption is the title; one title, readable by everyone
    return without_defaults(options, load_echarts_defaults())


OPTION_PARTS = ("option", "series", "legend", "tooltip", "xAxis", "yAxis")  # the parts echarts_defaults.yml names


@lru_cache(maxsize=4)
def load_echarts_defaults(path: Path = ECHARTS_DEFAULTS_PATH) -> tuple[tuple[str, tuple[str, ...], object], ...]:
    """The values of data/echarts_defaults.yml as (part, key path, value); a malformed group raises ``InputError``."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise InputError(path, "needs a list named groups")
    found = []
    for group in data["groups"]:
        group = require_keys(path, group, {"component", "note", "values"}, "a group")
        require_text(path, group, "note", "a group")
        if group.get("component") not in OPTION_PARTS or not isinstance(group.get("values"), dict):
            raise InputError(path, f"{where(group, 'a group')}: component must be one of {', '.join(OPTION_PARTS)}, "
                                   "values a mapping of key to value")
        for key, value in group["values"].items():
            if key == "__line__":
                continue
            if key == "type":
                raise InputError(path, f"{where(group, 'a group')}: the site's scripts read a part's type; list no type")
            found.append((group["component"], tuple(key.split("/")), _plain(value)))
    return tuple(found)


def without_defaults(options: dict, defaults) -> dict:
    """The option without the values ECharts takes anyway (``load_echarts_defaults``); others are kept."""
    for part, keys, value in defaults:
        found = options if part == "option" else options.get(part)
        for holder in (found if isinstance(found, list) else [found] if isinstance(found, dict) else []):
            for key in keys[:-1]:
                holder = holder.get(key) if isinstance(holder, dict) else None
            if isinstance(holder, dict) and keys[-1] in holder and _same_value(holder[keys[-1]], value):
                del holder[keys[-1]]
    return options


def _same_value(found, default) -> bool:
    """Equal and of one kind: YAML's 2000 is JSON's 2000.0, but true is not 1."""
    return found == default and isinstance(found, bool) == isinstance(default, bool)


def _plain(value):
    """A YAML value without the line numbers the loader adds to mappings."""
    return {k: _plain(v) for k, v in value.items() if k != "__line__"} if isinstance(value, dict) else value


def sourced_options(chart: Chart) -> dict:
    """The chart's option with each bar's sentence (its clauses near the figure), as-written figure and period, for the tooltip."""
    options = json.loads(json.dumps(chart.options))
    for series, figures in _series_figures(chart, options):
        for item, figure in zip(series["data"], figures):
            item.update({"text": figure.text, "sentence": sentence_excerpt(figure), "period": period_text(figure)})
    return options


def _series_figures(chart: Chart, options: dict) -> list[tuple[dict, list[Figure]]]:
    """Each series of ``options`` (a copy of the chart's) with the figures of its bars; a range's span has its bar's."""
    by_series = iter(_figures_by_series(chart))
    pairs = [(series, next(by_series)) for series in data_series(options)]
    first = pairs[0][1] if pairs else []
    return pairs + [(series, first) for series in options["series"] if series.get("id") == RANGE_SERIES]


def _is_comparison(chart: Chart) -> bool:
    return len(data_series(chart.options)) == 2


def _figures_by_series(chart: Chart) -> list[list[Figure]]:
    if _is_comparison(chart):
        return [list(chart.figures[0::2]), list(chart.figures[1::2])]
    return [list(chart.figures)]


# ---------------------------------------------------------------- curation

def load_curation(path: Path, slug: str) -> list[dict]:
    """The curation entries of one report from data/charts.yml, checked; errors name the file and line."""
    path = Path(path)
    if not path.exists():
        return []
    data = load_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("reports", {}) or {}, dict):
        raise InputError(path, "needs a mapping `reports:` of report slug → list of chart entries")
    entries = (data.get("reports") or {}).get(slug) or []
    if not isinstance(entries, list):
        raise InputError(path, f"reports.{slug} must be a list of chart entries")
    for entry in entries:
        line = getattr(entry, "line", "?")
        if not isinstance(entry, dict) or not entry.get("chart") or not entry.get("note"):
            raise InputError(path, f"line {line}: a chart entry needs `chart` (the chart id) and `note` (why)")
        unknown = set(entry) - CURATION_KEYS
        if unknown:
            raise InputError(path, f"line {line}: unknown keys {', '.join(sorted(unknown))}; "
                                   f"allowed: {', '.join(sorted(CURATION_KEYS))}")
    return entries


def apply_curation(report: Report, charts: list[Chart], path: Path, names: dict[str, str]) -> list[Chart]:
    """Apply the editors' entries: pick figures, retitle, exclude, order. An entry matching nothing is an error."""
    entries = load_curation(path, report.slug)
    by_id = {chart.id: chart for chart in charts}
    figures = {figure_anchor(f): f for f in report_figures(report)}
    orders: dict[str, float] = {}
    for entry in entries:
        line, chart_id = getattr(entry, "line", "?"), str(entry["chart"])
        chart = by_id.get(chart_id)
        if entry.get("figures"):
            chart = _picked_chart(report, path, line, chart_id, chart, entry, figures, names)
        elif chart is None:
            raise InputError(path, f"line {line}: chart {chart_id!r} matches no chart of report {report.slug} "
                                   f"(charts: {', '.join(sorted(by_id))}); give `figures` to make a new one")
        if entry.get("title"):
            chart = _retitled(chart, str(entry["title"]))
        if entry.get("exclude"):
            by_id.pop(chart_id, None)
            continue
        by_id[chart_id] = chart
        if entry.get("order") is not None:
            orders[chart_id] = float(entry["order"])
    default = [c.id for c in charts]
    position = {cid: (0, orders[cid], 0) if cid in orders else (1, 0, default.index(cid) if cid in default else len(default))
                for cid in by_id}
    return sorted(by_id.values(), key=lambda c: position[c.id])


def _picked_chart(report, path, line, chart_id, chart, entry, figures, names) -> Chart:
    missing = [a for a in entry["figures"] if a not in figures]
    if missing:
        raise InputError(path, f"line {line}: figures {', '.join(missing)} match no figure of report {report.slug}")
    picked = [figures[a] for a in entry["figures"]]
    if len({f.base_unit for f in picked}) != 1 or not all(is_chartable(f) for f in picked):
        raise InputError(path, f"line {line}: the figures of chart {chart_id!r} must share one chartable unit")
    if len({period_text(f) for f in picked}) != 1:
        raise InputError(path, f"line {line}: the figures of chart {chart_id!r} must share one period "
                               f"({', '.join(sorted({period_text(f) for f in picked}))})")
    if chart is None and not entry.get("title"):
        raise InputError(path, f"line {line}: new chart {chart_id!r} needs a `title`")
    unit, scale = display_scale(picked)
    title = chart.title if chart else str(entry["title"])
    theme = chart.theme if chart else picked[0].theme
    return _bar_chart(chart_id, theme, title, unit, scale, picked)


def _retitled(chart: Chart, title: str) -> Chart:
    description = chart.description.replace(chart.title, title, 1)
    return Chart(chart.id, chart.theme, title, chart.unit, description, chart.options, chart.figures, chart.finding)


# ---------------------------------------------------------------- HTML

def chart_html(chart: Chart, report_url: str, source_url: Optional[Callable[[Figure], str]] = None,
               row_names: Optional[Callable[[Figure], str]] = None, credit: str = "", cite: str = "") -> str:
    """The HTML fragment a Markdown page embeds: canvas, option JSON, caption and data table, no blank lines.

    The caption above the canvas states the finding, then what is shown (measure, period, unit); the
    line under it gives unit, source, notes and how to cite it; ``credit`` (the report, and who drew the
    chart) goes into the saved PNG and SVG.
    ``source_url`` gives the address of a figure's sentence (default: its anchor in ``report_url``),
    for charts whose figures come from several reports; ``row_names`` names the table's rows.
    """
    source_url = source_url or (lambda figure: f"{report_url}#{figure_anchor(figure)}")
    options = sourced_options(chart)
    for series, figures in _series_figures(chart, options):
        for item, figure in zip(series["data"], figures):
            item["url"] = source_url(figure)
    payload = json.dumps(options, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")  # the JSON cannot close its script element
    esc = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    caption_id = f"chart-{chart.id}-caption"
    source = f'<a href="{esc(report_url)}">报告全文</a>' if report_url else "各报告原文"
    headline = chart.finding or chart.title
    subtitle = f'<span class="report-chart__subtitle">{esc(chart.title)}</span>' if chart.finding else ""
    noted = chart_note(chart)
    note = f'<span class="report-chart__note">{esc(noted)}</span>' if noted else ""
    cited = f'<span class="report-chart__cite">引用：{esc(cite)}</span>' if cite else ""
    lines = [
        f'<figure class="report-chart" id="chart-{esc(chart.id)}" aria-labelledby="{esc(caption_id)}"'
        f' data-credit="{esc(credit)}">',
        f'<figcaption id="{esc(caption_id)}"><span class="report-chart__title">{esc(headline)}</span>{subtitle}'
        '</figcaption>',
        f'<div class="report-chart__canvas" data-chart-id="{esc(chart.id)}" role="img" '
        f'aria-label="{esc(chart.description)}" style="height:{chart_height(chart)}px"></div>',
        f'<script type="application/json" class="report-chart__option">{payload}</script>',
        f'<p class="report-chart__source"><span class="report-chart__meta">单位：{esc(chart.unit)}。'
        f'来源：{source}，点击条形可跳到原句。</span>{note}{cited}</p>',
        '<table class="report-chart__data">',
        f'<caption>数据表：{esc(chart.title)}</caption>',
        '<thead><tr><th scope="col">项目</th><th scope="col">数值</th><th scope="col">时期</th><th scope="col">出处</th></tr></thead>',
        "<tbody>",
    ]
    for series_figures in _figures_by_series(chart):
        labels = _unique_labels(list(chart.figures[0::2]) if _is_comparison(chart) else series_figures)
        if row_names:
            labels = [row_names(figure) for figure in series_figures]
        for label, figure in zip(labels, series_figures):
            lines.append(
                f'<tr><th scope="row">{esc(label)}</th><td>{esc(figure.text)}</td>'
                f'<td>{esc(period_text(figure))}</td>'
                f'<td><a href="{esc(source_url(figure))}">原句</a></td></tr>')
    lines += ["</tbody>", "</table>", "</figure>"]
    return "\n".join(lines)


def chart_note(chart: Chart) -> str:
    """The note a chart carries under it ("注：…"), or "" when it needs none."""
    return f"注：{RANGE_NOTE}" if RANGE_NOTE in chart.description else ""


def chart_height(chart: Chart) -> int:
    """Pixels the canvas needs: room for each bar and the axis, so two bars are not stretched."""
    bars = sum(len(series["data"]) for series in data_series(chart.options))
    return 72 + BAR_PIXELS * bars + (24 if _is_comparison(chart) else 0)
