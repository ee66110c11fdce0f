"""Embeds: each chart and each theme section of a report as a small standalone page for other sites.

Addresses come from the report's slug and the chart's or theme's identity (``Chart.id``, the
measure it shows; the theme ids of data/themes.yml), never from positions in a list, so a
rebuild after a content update keeps embeds on other sites working:

    embed/<slug>/chart/<chart id>/index.html      the chart with title, period, unit, credit, downloads
    embed/<slug>/chart/<chart id>/oembed.json     oEmbed 1.0, type "rich"
    embed/<slug>/chart/<chart id>/data.csv        its figures (UTF-8 with BOM, formula-safe cells)
    embed/<slug>/chart/<chart id>/share.png       its share image: og:image of the page, oEmbed thumbnail
    embed/<slug>/section/<theme id>/index.html    the theme section: lead, key figures, first paragraphs
    embed/<slug>/section/<theme id>/oembed.json
    embed/compare/chart/<comparison id>/…         a chart of the compare page (各地对比): one bar per report
    embed/<slug>/<kind>/<id>/sitemap.xml          answers mkdocs-material's request for it (see ``sitemap``)
    embed/embeds.json                             every address, live or retired

An embed that is no longer made (its chart was dropped) keeps its address when an editor lists
it in data/retired_embeds.yml: a page that says so and links to the report, not a 404 (a static
host cannot route unknown addresses to a script; a reviewed list works on any host).

Embed pages are standalone HTML (not MkDocs pages): no site header, navigation or search, one
stylesheet and one script of this site (docs/stylesheets/embed.css, docs/javascripts/embed.js)
and, for charts, the site's ECharts build. Their Content-Security-Policy loads nothing from
another host; report text is escaped by the templates' autoescaping. Pure functions: site.py
gathers the files; only the reviewed list is read from disk, and the share images are drawn by Node
(``share_image``).
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from markupsafe import Markup

from . import charts as chart_stage
from . import export
from . import pages
from . import share_image
from .classify import load_themes
from .errors import InputError
from .keywords import theme_keywords
from .markup import (block_url, figure_url, front_matter_value, full_width_punctuation, render_text,
                     text_page_url)
from .model import Report
from .rules_yaml import load_yaml, require_keys, require_text, where

ROOT = Path(__file__).resolve().parent.parent
# The site's own ECharts (build_scripts/echarts/entry.js), built by `make` (rule in the Makefile).
ECHARTS = ROOT / "build" / "echarts.min.js"
ECHARTS_PATH = "assets/javascripts/echarts.min.js"  # where the site serves it
RETIRED_PATH = Path(__file__).resolve().parent / "data" / "retired_embeds.yml"
FOLDER = "embed"
KINDS = ("chart", "section")
COMPARE = "compare"  # the address part of the compare page's charts, where a report's slug would stand
COMPARE_TITLE = "各地指标对比"  # how a comparison embed credits its source, the compare page
COMPARE_PAGE = "compare/"  # the compare page's folder in the site: the years' index; each year, and each indicator of a year, its own page
PROVIDER = "政府工作报告解读"  # the site_name of mkdocs.yml, as oEmbed's provider_name
MESSAGE = "explainer-embed"  # prefix of the postMessage types (README: the message protocol)
WIDTH = 640  # oEmbed needs a width; the iframe itself is 100% wide
SECTION_PARAGRAPHS = 3  # paragraphs of each part a section embed shows; the rest is a link away
SECTION_HEIGHT = 560  # a section scrolls inside its iframe until the host script sizes it
CHART_CHROME = 190  # pixels around the chart canvas: title, period and unit, downloads, credit
SHARE_IMAGE = "share.png"  # each chart embed's picture for link cards (og:image) and oEmbed thumbnails
SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Embed:
    """One embeddable thing: its address id (<slug>/<kind>/<id>), title and default iframe height."""

    report: str
    kind: str
    item: str
    title: str
    height: int
    page: str = ""  # the explainer page it comes from: fujian/economy/

    @property
    def id(self) -> str:
        """The embed's identity, also its address below embed/: fujian/chart/economy-money-2025."""
        return f"{self.report}/{self.kind}/{self.item}"

    @property
    def folder(self) -> str:
        """Its folder in the site: embed/fujian/chart/economy-money-2025/."""
        return f"{FOLDER}/{self.id}/"


# ---------------------------------------------------------------- addresses


def public_base(base_url: str) -> str:
    """The public base URL with one trailing slash, or "" when unset (then addresses are relative)."""
    return base_url.rstrip("/") + "/" if base_url else ""


def link(target: str, folder: str, base_url: str = "") -> str:
    """The address of site path ``target`` ("" is the site root) written in a file of site folder ``folder``:
    absolute under ``base_url`` when it is set, else relative to that folder."""
    if base_url:
        return public_base(base_url) + target
    relative = posixpath.relpath(target or ".", folder.rstrip("/") or ".")
    if relative == ".":
        return "./"
    return relative + "/" if target.endswith("/") or not target else relative


def embed_code(embed: Embed, folder: str, base_url: str = "", script: bool = True) -> str:
    """The code a site pastes: a lazy, titled, sandboxed iframe of sensible height, and the optional host script."""
    esc = lambda text: str(Markup.escape(text))  # noqa: E731
    code = (f'<iframe src="{esc(link(embed.folder, folder, base_url))}" title="{esc(embed.title)}" '
            f'data-explainer-embed="{esc(embed.id)}" width="100%" height="{embed.height}" loading="lazy" '
            f'sandbox="{SANDBOX}" style="width:100%;max-width:100%;border:0"></iframe>')
    if script:
        code += f'\n<script async src="{esc(link("javascripts/embed-host.js", folder, base_url))}"></script>'
    return code


def oembed_json(embed: Embed, base_url: str = "", thumbnail: Optional[tuple[int, int]] = None) -> bytes:
    """The oEmbed 1.0 response of one embed (type "rich"); addresses relative to this file when no base URL is set.

    ``thumbnail`` is the size of the embed's share image (a chart's ``SHARE_IMAGE``), offered as its thumbnail.
    """
    folder = embed.folder
    data = {
        "version": "1.0", "type": "rich", "title": embed.title,
        "provider_name": PROVIDER, "provider_url": link("", folder, base_url),
        "html": embed_code(embed, folder, base_url), "width": WIDTH, "height": embed.height,
    }
    if thumbnail:
        data.update({"thumbnail_url": link(folder + SHARE_IMAGE, folder, base_url),
                     "thumbnail_width": thumbnail[0], "thumbnail_height": thumbnail[1]})
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# ---------------------------------------------------------------- what a report offers


def report_title(report: Report) -> str:
    """How an embed credits its report: 2026年福建省政府工作报告."""
    return pages.full_title(report)


def compare_indicator_folder(period: str, indicator_id: str) -> str:
    """The site folder of the page of one compared indicator in one year (compare/2026/gdp-growth-target/), where its chart is."""
    return f"{COMPARE_PAGE}{period}/{indicator_id}/"


def chart_embeds(report: Report, charts) -> list[tuple[Embed, object]]:
    """The embeds of the charts shown on the report's theme pages, with their charts."""
    themes = {theme.id for theme in load_themes()}
    return [(Embed(report.slug, "chart", chart.id, chart.title, chart_stage.chart_height(chart) + CHART_CHROME,
                   f"{report.slug}/{chart.theme}/"), chart) for chart in charts if chart.theme in themes]


def section_embeds(report: Report) -> list[tuple[Embed, object]]:
    """The embeds of the report's theme sections, with their themes."""
    return [(Embed(report.slug, "section", theme.id, f"{pages.report_name(report)}：{theme.name}", SECTION_HEIGHT,
                   f"{report.slug}/{theme.id}/"), theme) for theme in load_themes()]


def actions_html(embed: Embed, page_folder: str, base_url: str = "", downloads: bool = False) -> str:
    """The 嵌入 button (and a chart's PNG, SVG and CSV downloads) the explainer page shows beside it.

    The buttons need docs/javascripts/embed.js and are hidden without script; the CSV link works anyway.
    """
    esc = lambda text: str(Markup.escape(text))  # noqa: E731
    url = link(embed.folder, page_folder, base_url)
    host = link("javascripts/embed-host.js", page_folder, base_url)
    chart = f' data-chart="chart-{esc(embed.item)}"' if downloads else ""
    # A group named by the title, so each of the page's 嵌入 buttons says what it embeds.
    parts = [f'<div class="embed-actions" role="group" aria-label="{esc(embed.title)}"{chart} '
             f'data-embed-id="{esc(embed.id)}" data-embed-url="{esc(url)}" '
             f'data-embed-host="{esc(host)}" data-embed-title="{esc(embed.title)}" data-embed-height="{embed.height}">',
             f'<button type="button" class="embed-actions__button" data-embed-open>嵌入</button>']
    if downloads:
        name = f"{embed.report}-{embed.item}"
        parts += [f'<button type="button" class="embed-actions__button" data-download="{kind}" '
                  f'data-name="{esc(name)}">下载 {kind.upper()}</button>' for kind in ("png", "svg")]
        parts.append(f'<a class="embed-actions__button" href="{esc(url)}data.csv" download="{esc(name)}.csv">下载 CSV</a>')
    return "".join(parts) + "</div>"


def chart_actions(report: Report, chart, page_folder: str, base_url: str = "") -> str:
    """The actions row under one chart of a theme page in site folder ``page_folder``."""
    embed, _ = chart_embeds(report, [chart])[0]
    return actions_html(embed, page_folder, base_url, downloads=True)


def section_actions(report: Report, theme, page_folder: str, base_url: str = "") -> str:
    """The 嵌入 button of one theme section, for its page in site folder ``page_folder``."""
    embed = next(e for e, t in section_embeds(report) if t.id == theme.id)
    return actions_html(embed, page_folder, base_url)


def discovery(report: Report, theme, charts, page_folder: str) -> str:
    """The front matter value that lists a theme page's oEmbed files (its section's, then its charts'), as JSON.

    overrides/partials/oembed-links.html turns each into a <link rel="alternate" type="application/json+oembed">.
    """
    embeds = [e for e, t in section_embeds(report) if t.id == theme.id]
    embeds += [e for e, _ in chart_embeds(report, charts)]
    return discovery_links(embeds, page_folder)


def share_image_path(embeds: list[Embed]) -> str:
    """The share image a page with these embeds offers as its own (its first chart's), as a site path, or ""."""
    charts = [e for e in embeds if e.kind == "chart"]
    return charts[0].folder + SHARE_IMAGE if charts else ""


def discovery_links(embeds: list[Embed], page_folder: str) -> str:
    """The oEmbed files of ``embeds`` as a page in ``page_folder`` lists them in its front matter, as JSON."""
    links = [{"href": link(e.folder + "oembed.json", page_folder), "title": e.title} for e in embeds]
    return front_matter_value(links)


# ---------------------------------------------------------------- the files


def report_embeds(report: Report, base_url: str = "") -> list[tuple[str, bytes]]:
    """Every embed file of one report as (site path, bytes): its charts' and its sections' pages, oEmbed and CSV."""
    charts = chart_stage.build_charts(report)
    files = []
    for embed, chart in chart_embeds(report, charts):
        png, size = chart_share_image(chart, report_title(report))
        files += [(embed.folder + "index.html", chart_page(report, embed, chart, base_url, size).encode("utf-8")),
                  (embed.folder + "oembed.json", oembed_json(embed, base_url, size)),
                  (embed.folder + "data.csv", chart_csv(report, chart, base_url)),
                  (embed.folder + SHARE_IMAGE, png)]
    for embed, theme in section_embeds(report):
        files += [(embed.folder + "index.html", section_page(report, embed, theme, base_url).encode("utf-8")),
                  (embed.folder + "oembed.json", oembed_json(embed, base_url))]
    return files + [(e.folder + "sitemap.xml", sitemap(e, base_url)) for e in report_embed_list(report)]


def sitemap(embed: Embed, base_url: str = "") -> bytes:
    """A sitemap beside each oEmbed file, listing its embed page (empty without a public URL, as MkDocs's is).

    mkdocs-material's instant navigation reads every <link rel="alternate"> of a page as a
    translation and fetches sitemap.xml beside it; the oEmbed discovery links are alternates,
    so each of their folders answers that request instead of a 404.
    """
    entry = f"<url><loc>{Markup.escape(public_base(base_url) + embed.folder)}</loc></url>\n" if base_url else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entry}</urlset>\n").encode("utf-8")


def report_embed_list(report: Report) -> list[Embed]:
    """The embeds one report offers, charts first."""
    charts = chart_stage.build_charts(report)
    return [e for e, _ in chart_embeds(report, charts)] + [e for e, _ in section_embeds(report)]


def _common(embed: Embed, credit: str, page: str, base_url: str) -> dict:
    """What every embed page shows and links to: its oEmbed file, its credit and the site page ``page`` it comes from."""
    folder = embed.folder
    return {
        "embed": embed, "root": link("", folder, base_url),
        "oembed": link(folder + "oembed.json", folder, base_url), "provider": PROVIDER,
        "report_title": credit, "page_url": link(page, folder, base_url), "message": MESSAGE,
        "echarts": link(ECHARTS_PATH, folder, base_url),
    }


def chart_page(report: Report, embed: Embed, chart, base_url: str = "", share: Optional[tuple[int, int]] = None) -> str:
    """The embed page of one chart: title, period and unit, the chart with its data table, downloads, credit.

    ``share`` is the size of its share image, which the page names as its og:image.
    """
    context = _common(embed, report_title(report), f"{report.slug}/{chart.theme}/", base_url)
    context["page_url"] += f"#chart-{chart.id}"
    report_url = link(text_page_url(report.slug, 0), embed.folder, base_url)
    return pages.render(
        "embed_chart.html.j2", **context, **_share_context(embed, chart, share, base_url), chart=chart,
        figure=Markup(chart_stage.chart_html(
            chart, report_url, source_url=lambda figure: link(figure_url(report, figure), embed.folder, base_url),
            credit=pages.chart_credit(report_title(report)),
            cite=pages.chart_citation(chart, report_title(report), f"{report.slug}/{chart.theme}/#chart-{chart.id}"))),
    )


def meta_line(chart) -> str:
    """What a chart shows, under its headline: its title when a finding heads it, its periods and its unit."""
    shown = f"{chart.title}　" if chart.finding else ""
    return f"{shown}时期：{'、'.join(_periods(chart))}　单位：{chart.unit}"


def chart_share_image(chart, source: str, draw=share_image.share_png) -> tuple[bytes, tuple[int, int]]:
    """A chart's share image and its size: its finding, what it shows, its note and its source (``source``) around it."""
    texts = share_image.ShareTexts(title=chart.finding or chart.title, subtitle=meta_line(chart),
                                   note=chart_stage.chart_note(chart), credit=pages.chart_credit(source))
    png = draw(chart_stage.sourced_options(chart), chart_stage.chart_height(chart), texts)
    return png, share_image.png_size(png)


def _share_context(embed: Embed, chart, share: Optional[tuple[int, int]], base_url: str) -> dict:
    """What the chart embed template needs for its headline and link card: meta line, share image and its size."""
    image = link(embed.folder + SHARE_IMAGE, embed.folder, base_url) if share else ""
    return {"meta": meta_line(chart), "share_image": image, "share_size": share or (0, 0)}


def _periods(chart) -> list[str]:
    """The periods a chart shows, as its series name them (2025年成绩, 2026年计划)."""
    return list(dict.fromkeys(str(series.get("name", "")) for series in chart_stage.data_series(chart.options)))


def section_page(report: Report, embed: Embed, theme, base_url: str = "") -> str:
    """The embed page of one theme section: lead, key figures, the first paragraphs of each part with their sources."""
    context = _common(embed, report_title(report), f"{report.slug}/{theme.id}/", base_url)
    blocks = [b for b in report.paragraphs if b.theme == theme.id]
    figures = [f for b in blocks for f in b.figures]
    lead = pages.theme_lead(theme, blocks, figures, theme_keywords(report, theme.id))
    numbers = pages.paragraph_numbers(report)
    fixes = pages.corrections_by_block(report)
    columns = []
    for part in dict.fromkeys(b.part for b in blocks):
        members = [b for b in blocks if b.part == part]
        items = [{"html": Markup(render_text(b, fixes.get(b.index, []), mark_figures=False)),
                  "url": link(block_url(report, b), embed.folder, base_url), "number": numbers[b.index]}
                 for b in members[:SECTION_PARAGRAPHS]]
        columns.append({"name": full_width_punctuation(part or "导语"), "items": items,
                        "more": max(0, len(members) - SECTION_PARAGRAPHS)})
    return pages.render(
        "embed_section.html.j2", **context, theme=theme, lead=lead, year=report.year, paragraphs=len(blocks),
        figure_count=len(figures), columns=columns,
        cards=Markup(pages.figure_cards(report, pages.key_figures(figures), embed.folder, base_url)),
    )


CSV_COLUMNS = ("chart", "label", "text", "value", "unit", "period", "kind", "report", "sentence", "source")


def chart_csv(report: Report, chart, base_url: str = "") -> bytes:
    """A chart's figures as CSV: one row per bar with its period, unit and source sentence; UTF-8 with BOM, no formulas.

    Every text cell passes through ``export.csv_safe``; ``value`` is the bar's value in ``unit``; ``source`` is the
    sentence's address, under the public URL when it is set, else from the site root (a downloaded file has no base).
    """
    return _csv(chart, lambda figure: (report, figure), base_url)


def _csv(chart, source_of, base_url: str) -> bytes:
    """The CSV of ``chart``; ``source_of(figure)`` gives a bar's report and the figure its sentence anchor is made from."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writeheader()
    every = chart_stage.data_series(chart.options)
    # A chart keeps its figures series by series interleaved (result, plan, result, plan …).
    for index, series in enumerate(every):
        members = chart.figures[index::len(every)]
        for item, figure in zip(series["data"], members):
            report, source = source_of(figure)
            row = {"chart": chart.title, "label": item.get("name", ""),
                   "text": figure.text, "value": item.get("value"), "unit": chart.unit,
                   "period": series.get("name", ""), "kind": figure.kind, "report": report_title(report),
                   "sentence": figure.sentence,
                   "source": f"{public_base(base_url)}{figure_url(report, source)}"}
            writer.writerow({k: "" if v is None else export.csv_safe(v) for k, v in row.items()})
    return (export.BOM + out.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- the compare page's charts


def comparison_embeds(comparisons) -> list[tuple[Embed, object, list]]:
    """The embeds of the compare page's charts, each with its chart and its bars (``pages.comparison_chart``)."""
    found = []
    for comparison in comparisons:
        chart, bars = pages.comparison_chart(comparison)
        found.append((Embed(COMPARE, "chart", comparison.id, comparison.title,
                            chart_stage.chart_height(chart) + CHART_CHROME,
                            compare_indicator_folder(comparison.period, comparison.indicator.id)),
                      chart, bars))
    return found


def comparison_files(comparisons, base_url: str = "", draw=share_image.share_png) -> tuple[list[tuple[str, bytes]], list[Embed]]:
    """Every embed file of the compare page's charts as (site path, bytes), and the embeds; ``draw`` makes the share images."""
    files, embeds = [], []
    for item, chart, bars in comparison_embeds(comparisons):
        sources = {id(bar.figure): (bar.report, bar.source) for bar in bars}
        png, size = chart_share_image(chart, pages.comparison_source(bars), draw)
        files += [(item.folder + "index.html", comparison_page(item, chart, bars, base_url, size).encode("utf-8")),
                  (item.folder + "oembed.json", oembed_json(item, base_url, size)),
                  (item.folder + "data.csv", _csv(chart, lambda figure: sources[id(figure)], base_url)),
                  (item.folder + SHARE_IMAGE, png),
                  (item.folder + "sitemap.xml", sitemap(item, base_url))]
        embeds.append(item)
    return files, embeds


def comparison_page(item: Embed, chart, bars: list, base_url: str = "", share: Optional[tuple[int, int]] = None) -> str:
    """The embed page of one comparison chart, crediting the compare page; each bar's sentence a link away."""
    context = _common(item, COMPARE_TITLE, item.page, base_url)  # the indicator's own page
    return pages.render("embed_chart.html.j2", **context, **_share_context(item, chart, share, base_url), chart=chart,
                        figure=Markup(pages.comparison_chart_html(chart, bars, item.folder, base_url, page=item.page)))


# ---------------------------------------------------------------- retired embeds and the list


@dataclass(frozen=True)
class Retired:
    """An embed address kept alive after its chart or section went away: why, and what replaced it."""

    id: str
    note: str
    replaced_by: str = ""

    @property
    def report(self) -> str:
        """The slug of the report the embed came from."""
        return self.id.split("/")[0]


def load_retired(path: Path = RETIRED_PATH) -> list[Retired]:
    """The reviewed list of retired embeds; malformed entries stop the build with file and line."""
    path = Path(path)
    if not path.is_file():
        return []
    data = load_yaml(path) or {}
    entries = data.get("retired") if isinstance(data, dict) else None
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise InputError(path, "needs a list `retired:` of entries {embed, note, replaced_by}")
    retired, seen = [], set()
    for entry in entries:
        require_keys(path, entry, {"embed", "note", "replaced_by"}, "retired embed")
        label = where(entry, "retired embed")
        embed_id = require_text(path, entry, "embed", "retired embed")
        note = require_text(path, entry, "note", "retired embed")
        replaced = str(entry.get("replaced_by") or "").strip()
        for value in filter(None, (embed_id, replaced)):
            if not valid_id(value):
                raise InputError(path, f"{label}: {value!r} is not an embed id "
                                       "(<report>/chart/<id> or <report>/section/<id>)")
        if embed_id in seen:
            raise InputError(path, f"{label}: {embed_id} is listed twice")
        seen.add(embed_id)
        retired.append(Retired(embed_id, note, replaced))
    return retired


def valid_id(value: str) -> bool:
    """True for an embed id: <report slug>/<chart|section>/<chart or theme id>."""
    parts = value.split("/")
    return len(parts) == 3 and parts[1] in KINDS and bool(_ID.match(parts[2])) and bool(parts[0]) \
        and "." not in parts[0] and "\\" not in parts[0]


def check_retired(retired: list[Retired], live: set[str], path: Path = RETIRED_PATH) -> None:
    """A retired id must not be live (it would hide the embed) and what replaced it must be live."""
    for entry in retired:
        if entry.id in live:
            raise InputError(path, f"{entry.id} is published again; remove it from the retired list")
        if entry.replaced_by and entry.replaced_by not in live:
            raise InputError(path, f"{entry.id}: replaced_by {entry.replaced_by} is not a published embed")


RETIRED_HEIGHT = 200


def retired_title(entry: Retired) -> str:
    """The title of a retired embed: 图表已不再提供 or 章节已不再提供."""
    return ("图表" if entry.id.split("/")[1] == "chart" else "章节") + "已不再提供"


def retired_page(entry: Retired, reports: dict[str, Report], base_url: str = "") -> str:
    """The page at a retired address: it says the chart or section is gone and links to its report."""
    folder = f"{FOLDER}/{entry.id}/"
    report = reports.get(entry.report)
    kind = entry.id.split("/")[1]
    return pages.render(
        "embed_retired.html.j2", root=link("", folder, base_url),
        provider=PROVIDER, message=MESSAGE, embed_id=entry.id, what="图表" if kind == "chart" else "章节",
        oembed="oembed.json" if not base_url else link(folder + "oembed.json", folder, base_url),
        report_title=report_title(report) if report else "",
        report_url=link(f"{entry.report}/" if report else "", folder, base_url),
        replacement=link(f"{FOLDER}/{entry.replaced_by}/", folder, base_url) if entry.replaced_by else "",
    )


def site_embeds(reports: list[Report], base_url: str = "", retired_path: Path = RETIRED_PATH,
                embeds: Optional[list[Embed]] = None) -> list[tuple[str, bytes]]:
    """The site-wide embed files: a page at every retired address and embed/embeds.json listing every address.

    ``embeds`` are the reports' embeds when the caller has them already (each report's worker lists its own).
    """
    if embeds is None:
        embeds = [e for report in reports for e in report_embed_list(report)]
    live = {e.id for e in embeds}
    retired = load_retired(retired_path)
    check_retired(retired, live, retired_path)
    by_slug = {r.slug: r for r in reports}
    files = []
    for entry in retired:
        gone = Embed(entry.report, *entry.id.split("/")[1:], title=retired_title(entry), height=RETIRED_HEIGHT)
        files += [(gone.folder + "index.html", retired_page(entry, by_slug, base_url).encode("utf-8")),
                  (gone.folder + "oembed.json", oembed_json(gone, base_url))]
    rows = [{"id": e.id, "kind": e.kind, "report": e.report, "title": e.title, "status": "live",
             "url": e.folder, "oembed": f"{e.folder}oembed.json", "height": e.height, "page": e.page} for e in embeds]
    rows += [{"id": r.id, "kind": r.id.split("/")[1], "report": r.report, "status": "retired",
              "url": f"{FOLDER}/{r.id}/", "replaced_by": r.replaced_by, "note": r.note} for r in retired]
    listing = json.dumps(sorted(rows, key=lambda row: row["id"]), ensure_ascii=False, indent=2, sort_keys=True)
    return files + [(f"{FOLDER}/embeds.json", (listing + "\n").encode("utf-8"))]
