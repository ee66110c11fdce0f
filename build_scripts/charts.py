"""Charts stage: comparable figures → ECharts bar charts built with pyecharts, and their HTML.

Without curation every theme gets charts that group figures of one base unit
(元, 人次, 个 …) and one period, biggest first, at most ``MAX_BARS`` bars, plus a
chart that sets a 2024 result beside the 2025 plan for the same measure. Editors
can retitle, reorder, exclude or pick the figures of charts in data/charts.yml.

Every chart carries its text alternative and the source sentence of each bar; the
HTML embeds the option as JSON (no inline code) for docs/javascripts/charts.js.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from pyecharts import options as opts
from pyecharts.charts import Bar

from .errors import InputError
from .figures import RANK_BASE, load_units, load_yaml
from .markup import figure_anchor
from .model import Figure, Report

DATA = Path(__file__).resolve().parent / "data"
CURATION_PATH = DATA / "charts.yml"
MAX_BARS = 8  # more bars than this and a reader cannot compare them; the largest are kept
MIN_BARS = 2
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


# ---------------------------------------------------------------- periods and units

def period_names(report: Report) -> dict[str, str]:
    """Reader names of the report's periods, from what its figures are: {"2024": "2024年成绩", "2025": "2025年计划"}.

    A period named by a year range reads 2021—2025年成绩; a period whose figures are
    mostly neither results nor plans is named by its years alone.
    """
    kinds: dict[str, Counter] = defaultdict(Counter)
    for figure in report_figures(report):
        if figure.period != "other":
            kinds[figure.period][figure.kind] += 1
    names = {"other": "其他"}
    for period, counted in sorted(kinds.items()):
        years = period.replace("-", "—")
        kind = counted.most_common(1)[0][0]
        names[period] = f"{years}年" + {"result": "成绩", "plan": "计划"}.get(kind, "")
    return names


def period_name(period: str, names: dict[str, str]) -> str:
    """The reader name of one period, falling back to the year itself."""
    return names.get(period) or (f"{period.replace('-', '—')}年" if period[:1].isdigit() else "其他")


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
    for word, size in sorted(table.magnitudes.items(), key=lambda item: -item[1]):
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


def bar_groups(figures: Iterable[Figure]) -> dict[tuple, list[Figure]]:
    """Chartable figures grouped by theme × base unit × period, each biggest first, capped."""
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in figures:
        if is_chartable(figure):
            groups[(figure.theme, figure.base_unit, figure.period)].append(figure)
    return {key: _biggest(members)[:MAX_BARS] for key, members in groups.items() if len(members) >= MIN_BARS}


def _biggest(figures: list[Figure]) -> list[Figure]:
    return sorted(figures, key=lambda f: (-(f.base_value or 0), f.block, f.start))


def comparable_pairs(figures: Iterable[Figure], names: dict[str, str]) -> list[tuple[Figure, Figure]]:
    """Pairs (result, plan) that measure the same thing: same base unit and a shared label."""
    results = [f for f in figures if is_chartable(f) and names.get(f.period, "").endswith("成绩")]
    plans = [f for f in figures if is_chartable(f) and names.get(f.period, "").endswith("计划")]
    pairs, used = [], set()
    for result in results:
        for plan in plans:
            if id(plan) in used or plan.base_unit != result.base_unit:
                continue
            if same_measure(result.label, plan.label):
                pairs.append((result, plan))
                used.add(id(plan))
                break
    return pairs


def same_measure(one: str, other: str) -> bool:
    """True when two labels name the same measure: equal, or sharing most of the shorter one."""
    if not one or not other:
        return False
    if one == other:
        return True
    shorter = min(len(one), len(other))
    return shorter >= 3 and _longest_common(one, other) >= max(3, round(0.75 * shorter))


def _longest_common(one: str, other: str) -> int:
    best = 0
    for i in range(len(one)):
        for j in range(i + best + 1, len(one) + 1):
            if one[i:j] in other:
                best = j - i
            else:
                break
    return best


# ---------------------------------------------------------------- building

def build_charts(report: Report, curation_path: Optional[Path] = None) -> tuple[Chart, ...]:
    """The report's charts: the default set, then the editors' curation applied."""
    names = period_names(report)
    figures = report_figures(report)
    charts = [_comparison_chart(report, theme, unit, pairs, names)
              for (theme, unit), pairs in _pairs_by_theme_unit(figures, names).items()]
    for (theme, base_unit, period), members in bar_groups(figures).items():
        charts.append(_group_chart(report, theme, base_unit, period, members, names))
    charts.sort(key=_default_order)
    path = CURATION_PATH if curation_path is None else Path(curation_path)
    return tuple(apply_curation(report, charts, path, names))


def _pairs_by_theme_unit(figures, names) -> dict[tuple, list[tuple[Figure, Figure]]]:
    grouped: dict[tuple, list] = defaultdict(list)
    for result, plan in comparable_pairs(figures, names):
        grouped[(result.theme, result.base_unit)].append((result, plan))
    return {key: pairs[:MAX_BARS] for key, pairs in grouped.items()}


def _default_order(chart: Chart) -> tuple:
    kind = load_units().kind_of(chart.figures[0].base_unit)
    kind_rank = KIND_ORDER.index(kind.name) if kind and kind.name in KIND_ORDER else len(KIND_ORDER)
    compare = 0 if _is_comparison(chart) else 1
    periods = sorted({f.period for f in chart.figures})
    return (chart.theme or "", compare, periods, kind_rank, chart.id)


def _chart_id(theme: Optional[str], base_unit: str, suffix: str) -> str:
    return f"{theme or 'report'}-{load_units().slug_of(base_unit)}-{suffix}"


def _measure(base_unit: str) -> str:
    return load_units().measure_of(base_unit)


def _group_chart(report, theme, base_unit, period, members, names) -> Chart:
    unit, scale = display_scale(members)
    title = f"{period_name(period, names)}：{_measure(base_unit)}比较（{unit}）"
    return _bar_chart(report, _chart_id(theme, base_unit, period), theme, title, unit, scale, members, names)


def _comparison_chart(report, theme, base_unit, pairs, names) -> Chart:
    members = [f for pair in pairs for f in pair]
    unit, scale = display_scale(members)
    result, plan = pairs[0]
    first, second = period_name(result.period, names), period_name(plan.period, names)
    subject = result.label if len(pairs) == 1 else _measure(base_unit)
    title = f"{first}与{second}：{subject}（{unit}）"
    labels = _unique_labels([r for r, _ in pairs])
    bar = Bar(init_opts=opts.InitOpts(chart_id="c"))
    bar.add_xaxis(labels)
    for index, period_label in ((0, first), (1, second)):
        bar.add_yaxis(period_label, [_item(label, pair[index], scale) for label, pair in zip(labels, pairs)],
                      label_opts=opts.LabelOpts(is_show=True, position="right"))
    options = _finish(bar, unit, legend=True)
    description = (f"条形图：{title}。" + "；".join(
        f"{label}：{first}{r.text}，{second}{p.text}" for label, (r, p) in zip(labels, pairs)) + "。数字摘自报告原文。")
    return Chart(_chart_id(theme, base_unit, "compare"), theme, title, unit, description, options, tuple(members))


def _bar_chart(report, chart_id, theme, title, unit, scale, members, names) -> Chart:
    return series_chart(chart_id, theme, title, unit, scale, _unique_labels(members), members,
                        period_name(members[0].period, names))


def series_chart(chart_id: str, theme: Optional[str], title: str, unit: str, scale: float, labels: list[str],
                 members: list[Figure], series: str, note: str = "数字摘自报告原文。", items: str = "项") -> Chart:
    """A one-series bar chart: a bar per figure, named by ``labels``, values divided by ``scale``."""
    bar = Bar(init_opts=opts.InitOpts(chart_id="c"))
    bar.add_xaxis(labels)
    bar.add_yaxis(series, [_item(l, f, scale) for l, f in zip(labels, members)],
                  label_opts=opts.LabelOpts(is_show=True, position="right"))
    options = _finish(bar, unit, legend=False)
    description = (f"条形图：{title}，共{len(members)}{items}，从大到小：" +
                   "；".join(f"{label}{f.text}" for label, f in zip(labels, members)) + f"。{note}")
    return Chart(chart_id, theme, title, unit, description, options, tuple(members))


def _unique_labels(figures: list[Figure]) -> list[str]:
    """Bar names, each distinct: a repeated label gets the figure as written after it."""
    labels = [f.label or f.sentence[:12] for f in figures]
    counts = defaultdict(int)
    for label in labels:
        counts[label] += 1
    return [f"{label}（{f.text}）" if counts[label] > 1 else label for label, f in zip(labels, figures)]


def _item(label: str, figure: Figure, scale: float) -> opts.BarItem:
    return opts.BarItem(name=label, value=_round(figure.base_value / scale))


def _round(number: float) -> float | int:
    rounded = round(number, 4)
    return int(rounded) if float(rounded).is_integer() else rounded


def _finish(bar: Bar, unit: str, legend: bool) -> dict:
    """Horizontal bars, biggest on top, value axis named with the unit; the option as a dict."""
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
    return options


def _with_sources(chart: Chart) -> dict:
    """The chart's option with each bar's sentence, as-written figure and anchor, for the tooltip and click."""
    options = json.loads(json.dumps(chart.options))
    by_series = _figures_by_series(chart)
    for series, figures in zip(options["series"], by_series):
        for item, figure in zip(series["data"], figures):
            item.update({"text": figure.text, "sentence": figure.sentence, "anchor": figure_anchor(figure)})
    return options


def _is_comparison(chart: Chart) -> bool:
    return len(chart.options["series"]) == 2


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
    if chart is None and not entry.get("title"):
        raise InputError(path, f"line {line}: new chart {chart_id!r} needs a `title`")
    unit, scale = display_scale(picked)
    title = chart.title if chart else str(entry["title"])
    theme = chart.theme if chart else picked[0].theme
    return _bar_chart(report, chart_id, theme, title, unit, scale, picked, names)


def _retitled(chart: Chart, title: str) -> Chart:
    description = chart.description.replace(chart.title, title, 1)
    return Chart(chart.id, chart.theme, title, chart.unit, description, chart.options, chart.figures)


# ---------------------------------------------------------------- HTML

def chart_html(chart: Chart, report_url: str, source_url: Optional[Callable[[Figure], str]] = None,
               row_names: Optional[Callable[[Figure], str]] = None) -> str:
    """The HTML fragment a Markdown page embeds: canvas, option JSON, caption and data table, no blank lines.

    ``source_url`` gives the address of a figure's sentence (default: its anchor in ``report_url``),
    for charts whose figures come from several reports; ``row_names`` names the table's rows.
    """
    source_url = source_url or (lambda figure: f"{report_url}#{figure_anchor(figure)}")
    options = _with_sources(chart)
    for series, figures in zip(options["series"], _figures_by_series(chart)):
        for item, figure in zip(series["data"], figures):
            item["url"] = source_url(figure)
    payload = json.dumps(options, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")  # the JSON cannot close its script element
    esc = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    caption_id = f"chart-{chart.id}-caption"
    source = f'<a href="{esc(report_url)}">报告全文</a>' if report_url else "各报告原文"
    lines = [
        f'<figure class="report-chart" id="chart-{esc(chart.id)}" aria-labelledby="{esc(caption_id)}">',
        f'<div class="report-chart__canvas" data-chart-id="{esc(chart.id)}" role="img" '
        f'aria-label="{esc(chart.description)}" style="height:{chart_height(chart)}px"></div>',
        f'<script type="application/json" class="report-chart__option">{payload}</script>',
        f'<figcaption id="{esc(caption_id)}"><span class="report-chart__title">{esc(chart.title)}</span>'
        f'<span class="report-chart__meta">单位：{esc(chart.unit)}。来源：{source}，点击条形可跳到原句。</span></figcaption>',
        '<table class="report-chart__data">',
        f'<caption>数据表：{esc(chart.title)}</caption>',
        '<thead><tr><th scope="col">项目</th><th scope="col">数值</th><th scope="col">时期</th><th scope="col">出处</th></tr></thead>',
        "<tbody>",
    ]
    names = _period_names_of(chart)
    for series_figures in _figures_by_series(chart):
        labels = _unique_labels(list(chart.figures[0::2]) if _is_comparison(chart) else series_figures)
        if row_names:
            labels = [row_names(figure) for figure in series_figures]
        for label, figure in zip(labels, series_figures):
            lines.append(
                f'<tr><th scope="row">{esc(label)}</th><td>{esc(figure.text)}</td>'
                f'<td>{esc(names.get(figure.period, figure.period))}</td>'
                f'<td><a href="{esc(source_url(figure))}" title="{esc(figure.sentence)}">原句</a></td></tr>')
    lines += ["</tbody>", "</table>", "</figure>"]
    return "\n".join(lines)


def chart_height(chart: Chart) -> int:
    """Pixels the canvas needs: room for each bar and the axis, so two bars are not stretched."""
    bars = sum(len(series["data"]) for series in chart.options["series"])
    return 72 + BAR_PIXELS * bars + (24 if _is_comparison(chart) else 0)


def _period_names_of(chart: Chart) -> dict[str, str]:
    """Period names as the chart's series call them (the option knows them; no report needed)."""
    names: dict[str, str] = {}
    for series, figures in zip(chart.options["series"], _figures_by_series(chart)):
        for figure in figures:
            names.setdefault(figure.period, series["name"])
    return names
