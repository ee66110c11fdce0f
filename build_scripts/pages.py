"""Pages stage: processed reports → the site's Markdown pages, rendered from Jinja2 templates.

The templates in ``templates/`` hold the layout; this module prepares what they show
(pure functions, nothing touches the disk). Report text reaches a template either
pre-rendered by ``markup.render_text`` or through the ``text`` filter, which makes
it inert in Markdown and HTML alike; everything else is HTML-escaped by Jinja.
"""
from __future__ import annotations

import hashlib
import html
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Optional

import jinja2
from markupsafe import Markup

from . import charts as chart_stage
from . import embed, export, places, settings
from .classify import load_themes
from .compare import Comparison, Indicator, load_indicators
from .flips import load_flips, word_change
from .glossary import abbreviations, load_glossary, terms_of
from .glossary import anchors as glossary_anchors, sort_key as glossary_order
from .headlines import headline_figures
from .keywords import cut as cut_words, theme_keywords
from .markup import (block_url, correction_spans, escape_attribute, escape_markdown, figure_path,
                     figure_url, front_matter_value, full_width_punctuation, render_text, text_page_path, text_page_url, text_pages_of)
from .model import Block, Figure, Report
from .promises import VERDICT_NAMES, Promise, open_targets, year_pairs

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHARS_PER_MINUTE = 400  # a common reading speed for Chinese prose
SUMMARY_SEARCH = 8  # paragraphs at the start of an official report searched for its summary
SHAPE_NAMES = {"article": "新闻报道", "official": "报告全文", "plain": "文本"}
# Where a correction's decision came from, as readers read it (the rule ids are for editors).
RULE_SOURCES = {"lexicon": "词库", "override": "编辑指定", "model": "语言模型判断"}
PREVIEW_CHARS = 18  # characters of a paragraph shown on its folded line of the corrections page
LEVEL_ORDER = ("省", "自治区", "直辖市", "市", "州", "盟", "区", "县", "旗")


@dataclass(frozen=True)
class Page:
    """One generated page: where it lives, its title in the navigation, its Markdown (or where it waits on disk)."""

    path: str
    title: str
    markdown: str
    spooled: str = ""  # the file of a build's spool (cache.Spool) holding the Markdown; then ``markdown`` is ""

    def read(self) -> str:
        """The page's Markdown."""
        return Path(self.spooled).read_text(encoding="utf-8") if self.spooled else self.markdown

    def digest(self) -> str:
        """The SHA-256 of the Markdown's UTF-8 bytes (a spooled page is named by it)."""
        return Path(self.spooled).name if self.spooled else hashlib.sha256(self.markdown.encode("utf-8")).hexdigest()

    def size(self) -> int:
        """The Markdown's length in bytes."""
        return Path(self.spooled).stat().st_size if self.spooled else len(self.markdown.encode("utf-8"))

    def spool(self, spool) -> "Page":
        """The same page with its Markdown on disk (``spool``: a cache.Spool), or as it is without one."""
        if spool is None or self.spooled:
            return self
        return Page(self.path, self.title, "", spool.keep(self.markdown.encode("utf-8")))


# ---------------------------------------------------------------- templates


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the page templates: HTML autoescaping, strict about missing names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["text"] = lambda value: Markup(escape_markdown(str(value)))
    return env


def render(template: str, **context) -> str:
    """One template rendered with ``context``."""
    return environment().get_template(template).render(**context)


# ---------------------------------------------------------------- names and small parts


def report_name(report: Report) -> str:
    """How the site names a report in lists and headings: 2026年福建省, or its title when place or year is unknown."""
    if report.place and report.year:
        return f"{report.year}年{report.place}"
    return report.title


def nav_name(report: Report) -> str:
    """The report's entry in the navigation: 福建省（2026年）."""
    if report.place and report.year:
        return f"{report.place}（{report.year}年）"
    return report.title[:20]


def full_title(report: Report) -> str:
    """The title as shown: a bare 政府工作报告 gets its year and place (2026年贵州省政府工作报告)."""
    if report.place and report.year and report.place not in report.title and report.title.endswith("工作报告"):
        return f"{report.year}年{report.place}{report.title}"
    return report.title


def split_title(title: str) -> tuple[str, str]:
    """News titles put the headline and its subject on one line, split by a space: (headline, subject)."""
    head, _, subject = title.partition(" ")
    return head, subject.strip()


def reading_minutes(blocks) -> int:
    """Minutes a reader needs for these blocks, at least one."""
    return max(1, round(sum(len(b.text) for b in blocks) / CHARS_PER_MINUTE))


def corrections_by_block(report: Report) -> dict[int, list]:
    """The report's corrections grouped by block index."""
    grouped: dict[int, list] = {}
    for fix in report.corrections:
        grouped.setdefault(fix.block, []).append(fix)
    return grouped


def paragraph_numbers(report: Report) -> dict[int, int]:
    """Block index → 1-based position among the body paragraphs, as readers count them."""
    return {block.index: number for number, block in enumerate(report.paragraphs, 1)}


def report_meta(report: Report) -> str:
    """One line of provenance: presenter, dates, outlet, reporters, editors."""
    parts = [f"报告人：{report.presenter}"] if report.presenter else []
    if report.delivered:
        parts.append(f"报告日期：{report.delivered}")
    if report.published:
        parts.append(f"{'发稿' if report.shape == 'article' else '发布'}时间：{report.published.replace('T', ' ')}")
    if report.outlet:
        parts.append(f"来源：{report.outlet}")
    if report.reporter:
        parts.append("记者：" + "、".join(report.reporter))
    if report.correspondent:
        parts.append("通讯员：" + "、".join(report.correspondent))
    if report.editors:
        parts.append("责任编辑：" + "、".join(report.editors))
    return "　".join(parts)


def text_name(report: Report) -> str:
    """What the full-text page holds: a news article is 报道全文, never the report itself."""
    return "报道全文" if report.shape == "article" else "报告全文"


def report_label(report: Report) -> str:
    """The report a page is about, with place and year: 2025年某区政府工作报告 (its title when they are unknown)."""
    if report.place and report.year:
        return f"{report.year}年{report.place}政府工作报告"
    return full_title(report)


def meta_value(text: str) -> Markup:
    """Text for a page's front matter (title, description): one line, HTML-escaped, as a YAML string.

    The theme prints front matter into <title> and <meta> without escaping, so it is escaped here.
    """
    return Markup(front_matter_value(html.escape(" ".join(str(text).split()), quote=True)))


def chinese_date(iso: str) -> str:
    """2026-01-27 (or 2026-01-27T09:00) as 2026年1月27日; anything else unchanged."""
    try:
        year, month, day = (int(part) for part in iso[:10].split("-"))
    except ValueError:
        return iso
    return f"{year}年{month}月{day}日"


def link_host(url: str) -> str:
    """The host name a link is shown by (www.example.gov.cn), so no long address makes a phone scroll sideways."""
    return url.split("//", 1)[-1].split("/", 1)[0].split("?", 1)[0]


def citation(report: Report) -> str:
    """How to cite the text this report's pages come from, in plain Chinese."""
    date = chinese_date(report.published) if report.published else ""
    if report.shape == "article":
        head, subject = split_title(full_title(report))
        authors = "、".join(report.reporter + report.correspondent)
        title = f"《{head}——{subject}》" if subject else f"《{head}》"
        parts = [f"{authors}：{title}" if authors else title, report.outlet or "原发媒体不明", date]
        cited = "，".join(p for p in parts if p) + "。"
        if not report.outlet:
            cited += "本站所据为转载稿，文字经本站校正。"
    else:
        presenter = report.presenter
        if presenter and report.place and not presenter.startswith(report.place):
            presenter = report.place + presenter
        parts = [f"{presenter}：《{full_title(report)}》" if presenter else f"《{full_title(report)}》",
                 chinese_date(report.delivered) if report.delivered else ""]
        cited = "，".join(p for p in parts if p) + "。"
        if report.outlet:
            cited += f"来源：{report.outlet}" + (f"，{date}" if date else "") + "。"
    link = report.official_url or report.source_url
    return cited + (f"网址：{link}" if link else "")


def provenance_items(report: Report) -> list[dict]:
    """The lines of a report's 来源 section: what the text is, who published it, the links, the editor's note."""
    items = []
    if report.shape == "article":
        about = f"，讲的是{report.presenter}" if report.presenter else ""
        about += f"{chinese_date(report.delivered)}所作的政府工作报告" if report.delivered else ("的政府工作报告" if about else "")
        items.append({"label": "文本", "text": f"一篇新闻报道{about}，不是报告原文。"})
        byline = "、".join(report.reporter)
        if report.correspondent:
            byline += "（通讯员" + "、".join(report.correspondent) + "）"
        published = f"，{chinese_date(report.published)}发稿" if report.published else ""
        items.append({"label": "报道", "text": (report.outlet or "原发媒体未注明") + published
                      + (f"；记者{byline}" if byline else "") + "。"})
    else:
        published = f"，{chinese_date(report.published)}发布" if report.published else ""
        shown = "官方发布的报告全文" if report.shape == "official" else "报告文本"
        items.append({"label": "文本", "text": f"{shown}" + (f"，来源：{report.outlet}{published}" if report.outlet
                                                              else published) + "。"})
    if report.source_url:
        items.append({"label": "本站所据网页", "url": report.source_url, "host": link_host(report.source_url)})
    if report.official_url:
        items.append({"label": "官方原文", "url": report.official_url, "host": link_host(report.official_url)})
    elif report.shape != "official" or not report.source_url:
        items.append({"label": "官方原文", "text": "本站没有找到官方发布的原文链接，引用时请以当地政府发布的文本为准。"
                      if report.shape != "official" else "本站没有收录原文链接，引用时请以当地政府发布的文本为准。"})
    if report.source_note:
        items.append({"label": "编者说明", "text": report.source_note})
    return [{"text": "", "url": "", "host": "", **item} for item in items]


def figure_cards(report: Report, figures, folder: str, base_url: str = "") -> str:
    """A grid of figure cards, each linking to its sentence in the report, from a page of site folder ``folder``."""
    if not figures:
        return ""
    cards = []
    for f in figures:
        # Every card says when: 2024年成绩, 2025年目标, 2024年前三季度, or 时间未注明, never nothing.
        note = f'<span class="figure-card__period">{escape_attribute(chart_stage.period_text(f))}</span>'
        cards.append(
            f'<a class="figure-card" href="{escape_attribute(embed.link(figure_url(report, f), folder, base_url))}" '
            f'title="{escape_attribute(f.sentence)}">'
            f'<span class="figure-card__value">{escape_attribute(f.text)}</span>'
            f'<span class="figure-card__label">{escape_attribute(f.label or f.text)}</span>{note}</a>'
        )
    return '<div class="figure-cards">\n' + "\n".join(cards) + "\n</div>"


def key_figures(figures, count: int = 4) -> list[Figure]:
    """The largest chartable results, one per base unit first so the cards do not repeat a kind."""
    chartable = [f for f in figures if chart_stage.is_chartable(f)]
    results = [f for f in chartable if f.kind == "result" and not f.partial]
    ranked = sorted(results or chartable, key=lambda f: -(f.base_value or 0))
    first = {}
    for figure in ranked:
        first.setdefault(figure.base_unit, figure)
    picked = list(first.values())[:count]
    return picked + [f for f in ranked if f not in picked][: count - len(picked)]


@lru_cache(maxsize=16)
def icon_svg(icon: str) -> Markup:
    """The inline SVG of a bundled mkdocs-material icon (no emoji extension, nothing fetched)."""
    import material

    path = Path(material.__file__).parent / "templates" / ".icons" / f"{icon}.svg"
    return Markup(path.read_text(encoding="utf-8").strip())


def summary_block(report: Report) -> Block | None:
    """The paragraph that sums the report up: a news article's lead, or an official report's first figures."""
    paragraphs = [b for b in report.paragraphs if b.text]
    if not paragraphs:
        return None
    if report.shape == "article":
        return paragraphs[0]
    first = paragraphs[:SUMMARY_SEARCH]
    best = max(first, key=lambda b: (len(b.figures), -b.index))
    return best if best.figures else next((b for b in first if len(b.text) >= 40), paragraphs[0])


def theme_lead(theme, blocks, figures, keywords) -> str:
    """A theme's lead for one report, from a neutral template and the report's own words."""
    return theme.lead + report_lead(theme, blocks, figures, keywords)


def report_lead(theme, blocks, figures, keywords) -> str:
    """The part of a theme's lead that comes from the report: how much it says and its most frequent words."""
    if not blocks:
        return "这份报告没有专门讲这方面的段落。"
    lead = f"这份报告有 {len(blocks)} 段讲{theme.name}，提到 {len(figures)} 个数字"
    if keywords:
        lead += "，说得最多的是" + "、".join(keywords[:3])
    return lead + "。"


# ---------------------------------------------------------------- one report's pages


def report_page_titles(report: Report, targets: bool = False) -> list[tuple[str, str]]:
    """The path and title of every page of one report, in navigation order: known from the parsed report alone.

    ``targets``: with its targets page (made with the site-wide pages), after the themes.
    """
    base = report.slug
    return ([(f"{base}/index.md", "概览")] + [(f"{base}/{theme.id}.md", theme.name) for theme in load_themes()]
            + ([(report_targets_path(base), TARGETS_TITLE)] if targets else [])
            + [(f"{base}/report.md", text_name(report)), (f"{base}/corrections.md", "勘误记录"),
               (f"{base}/data.md", "数据下载")])


def report_page_paths(report: Report, targets: bool = False) -> list[str]:
    """The path of every page of one report: those of the navigation, then the full text's further pages."""
    further = [text_page_path(report.slug, page) for page in range(1, len(text_pages_of(report).ranges))]
    return [path for path, _ in report_page_titles(report, targets)] + further


def report_pages(report: Report) -> list[Page]:
    """Every page of one report, under its slug: in navigation order, then the full text's further pages."""
    themes = load_themes()
    charts = chart_stage.build_charts(report)
    texts = report_text_pages(report)
    contents = [report_home(report, themes)]
    contents += [theme_page(report, theme, [c for c in charts if c.theme == theme.id]) for theme in themes]
    contents += [texts[0], corrections_page(report), data_page(report)]
    pages = [Page(path, title, markdown) for (path, title), markdown in zip(report_page_titles(report), contents)]
    pages += [Page(text_page_path(report.slug, page), f"{text_name(report)}（第{page + 1}页）", texts[page])
              for page in range(1, len(texts))]
    tooltips = abbreviations(terms_of(report, load_glossary()))
    return [Page(p.path, p.title, p.markdown.rstrip() + "\n\n" + tooltips + "\n") for p in pages]


def report_home(report: Report, themes) -> str:
    """The report in one minute: what, when, who, headline figures, the four themes."""
    head, subject = split_title(full_title(report))
    counts = Counter(b.theme for b in report.paragraphs)
    figures = Counter(f.theme for b in report.blocks for f in b.figures)
    summary = summary_block(report)
    cards = []
    for theme in themes:
        blocks = [b for b in report.paragraphs if b.theme == theme.id]
        theme_figures = [f for b in blocks for f in b.figures]
        cards.append({
            "icon": icon_svg(theme.icon), "name": theme.name, "path": f"{theme.id}.md",
            "lead": theme_lead(theme, blocks, theme_figures, theme_keywords(report, theme.id)),
            "paragraphs": counts.get(theme.id, 0), "figures": figures.get(theme.id, 0),
        })
    lead = full_width_punctuation(summary.text).lstrip("—－-·　 ") if summary else ""  # a list item's dash is no lead
    description = f"{report_label(report)}解读" + (f"：{lead[:80]}" + ("…" if len(lead) > 80 else "") if lead else "。")
    return render(
        "report_home.md.j2", report=report, title=head, subtitle=subject,
        page_title=meta_value(report_label(report)), description=meta_value(description),
        meta=report_meta(report), summary=Markup(render_text(summary, [], mark_figures=False)) if summary else "",
        headlines=Markup(figure_cards(report, headline_figures(report), f"{report.slug}/")), theme_cards=cards,
        figure_count=sum(len(b.figures) for b in report.blocks), text_name=text_name(report),
        provenance=provenance_items(report), citation=citation(report),
        flip_total=flip_count(report) if report.corrections else 0,
    )


def theme_page(report: Report, theme, charts) -> str:
    """One theme of one report: lead, key figures, keywords, charts, then its paragraphs by part.

    The paragraphs are those mainly about the theme and those that also treat it at length (the
    classifier's tags): a paragraph on jobs and on 托育 is on the livelihood page whichever theme it
    went to. The lead, key figures and charts come from the theme's own paragraphs, so a figure is
    counted on one page only; a paragraph shown here for its second theme links to its main one.
    """
    blocks = [b for b in report.paragraphs if b.theme == theme.id]
    shown = [b for b in report.paragraphs if b.theme == theme.id or (b.theme and theme.id in b.tags)]
    names = {t.id: t.name for t in load_themes()}
    figures = [f for b in blocks for f in b.figures]
    fixes = corrections_by_block(report)
    numbers = paragraph_numbers(report)
    keywords = theme_keywords(report, theme.id)
    folder = f"{report.slug}/{theme.id}/"  # the page's folder in the site, for the embed addresses
    columns = []
    # One column per part of the report (past-year results, coming-year plans …), in the report's order.
    for part in dict.fromkeys(b.part for b in shown):
        items = [{"text": Markup(render_text(b, fixes.get(b.index, []), mark_figures=False)),
                  "link": embed.link(block_url(report, b), folder), "number": numbers[b.index], "section": _short(b.section),
                  "main": {"id": b.theme, "name": names[b.theme]} if b.theme != theme.id else None}
                 for b in shown if b.part == part]
        columns.append({"name": full_width_punctuation(part or "导语"), "items": items})
    return render(
        "theme.md.j2", heading=f"{report_name(report)}：{theme.name}", theme=theme,
        lead=report_lead(theme, blocks, figures, keywords), paragraph_count=len(blocks),
        also_count=len(shown) - len(blocks),
        minutes=reading_minutes(shown), keywords=keywords,
        key_figures=Markup(figure_cards(report, key_figures(figures), folder)),
        charts=[Markup(chart_stage.chart_html(c, embed.link(text_page_url(report.slug, 0), folder),
                                              source_url=lambda f: embed.link(figure_url(report, f), folder),
                                              credit=chart_credit(full_title(report)),
                                              cite=chart_citation(c, full_title(report), f"{folder}#chart-{c.id}"))
                       + "\n" + embed.chart_actions(report, c, folder)) for c in charts],
        columns=columns, section_actions=Markup(embed.section_actions(report, theme, folder)),
        oembed=Markup(embed.discovery(report, theme, charts, folder)),
        share_image=_share_image([e for e, _ in embed.chart_embeds(report, charts)]),
    )


def _share_image(embeds: list) -> str:
    """The front matter value naming a page's share image (overrides/main.html makes it its og:image), or ""."""
    path = embed.share_image_path(embeds)
    return Markup(front_matter_value(path)) if path else ""


def _short(section: str | None, limit: int = 24) -> str:
    """A section heading short enough for a source link."""
    if not section:
        return ""
    section = full_width_punctuation(section)
    return section if len(section) <= limit else section[:limit] + "…"


def report_text_pages(report: Report) -> list[str]:
    """The full cleaned report, every block anchored, restored words and figures marked: one page, or several
    for a long text (``markup.text_pages``), each listing them all by their first heading."""
    fixes = corrections_by_block(report)
    ranges = text_pages_of(report).ranges
    name = text_name(report)
    what = "新闻报道全文（经本站校正）" if report.shape == "article" else "全文"
    described = (f"关于{report_label(report)}的{what}" if report.shape == "article" else f"{report_label(report)}{what}")
    contents = []
    for page, (start, end) in enumerate(ranges):
        shown = report.blocks[start:end]
        blocks = [{"kind": b.kind, "level": b.level, "anchor": b.anchor,
                   "html": Markup(render_text(b, fixes.get(b.index, [])))} for b in shown]
        suffix = f"（第{page + 1}页）" if len(ranges) > 1 else ""
        contents.append(render(
            "report_text.md.j2", report=report, title=full_title(report), meta=report_meta(report), blocks=blocks,
            page_title=meta_value(f"{name}{suffix} · {report_label(report)}"),
            description=meta_value(f"{described}{suffix}，按段落编号，每个数字都有位置标记。"),
            is_article=report.shape == "article", official_url=report.official_url,
            official_host=link_host(report.official_url), first=page == 0,
            pager=text_pager(report, ranges, page) if len(ranges) > 1 else ("", "")))
    return contents


def text_pager(report: Report, ranges: tuple[tuple[int, int], ...], current: int) -> tuple[str, str]:
    """The list of a full text's pages as links from page ``current``, each named by its first heading (or
    paragraph), for the page's top; and the link to the next page for its end ("" on the last)."""
    here = text_page_url(report.slug, current)
    items, following = [], ""
    for page, (start, end) in enumerate(ranges):
        first = next((b for b in report.blocks[start:end] if b.kind == "heading"), report.blocks[start])
        name = escape_attribute(f"第{page + 1}页 · {_short(full_width_punctuation(first.text), 20)}")
        link = escape_attribute(embed.link(text_page_url(report.slug, page), here))
        items.append(f'<li><span aria-current="page">{name}</span></li>' if page == current
                     else f'<li><a href="{link}">{name}</a></li>')
        if page == current + 1:
            following = f'<p class="text-pager__next"><a href="{link}">下一页：{name}</a></p>'
    listing = (f'<nav class="text-pager" aria-label="全文分页"><p>全文较长，分{len(ranges)}页：</p>\n<ol>\n'
               + "\n".join(items) + "\n</ol>\n</nav>")
    return Markup(listing), Markup(following)


def block_name(numbers: dict[int, int], block: Block) -> str:
    """How a reader refers to a block: 第N段, 小标题 or 图片说明 (``numbers`` from paragraph_numbers)."""
    if block.kind == "paragraph":
        return f"第 {numbers[block.index]} 段"
    return "图片说明" if block.kind == "caption" else "小标题"


def rule_source(rule: str) -> str:
    """Where a correction's decision came from, as readers read it: 词库, 编辑指定, 语言模型判断."""
    return RULE_SOURCES.get(rule.partition(":")[0], "其他")


def diff_html(block: Block, fixes, flipped: set[int]) -> str:
    """A block's restored text with each change as <del>spun</del><ins>restored</ins>; meaning flips marked.

    ``flipped`` holds the offsets of the corrections that reversed the meaning. Text is escaped.
    """
    text = full_width_punctuation(block.text)
    spans = correction_spans(block, fixes)
    if not spans and fixes:  # inconsistent records: the text unmarked beats a wrong mark
        return escape_markdown(text)
    out, cursor = [], 0
    for span in spans:
        fix = span.correction
        mark = ' class="flip"' if fix.offset in flipped else ""
        out.append(escape_markdown(text[cursor:span.start]))
        out.append(f"<del{mark}>{escape_markdown(full_width_punctuation(fix.spun))}</del>"
                   f"<ins{mark}>{escape_markdown(text[span.start:span.end])}</ins>")
        cursor = span.end
    out.append(escape_markdown(text[cursor:]))
    return "".join(out)


def count_words(counts: dict[str, int]) -> str:
    """Counts by source as a reader reads them: 词库 693 处、编辑指定 12 处."""
    return "、".join(f"{name} {count} 处" for name, count in sorted(counts.items(), key=lambda item: -item[1]))


def flip_count(report: Report) -> int:
    """How many of the report's corrections undid a meaning the spun text had reversed."""
    raws = {b.index: b.raw for b in report.blocks} | {-1: report.original_title_raw}
    flips, segment = load_flips(), cut_words
    return sum(1 for fix in report.corrections if word_change(raws.get(fix.block, ""), fix, flips, segment).flip)


def corrections_page(report: Report) -> str:
    """A summary (how many, the meaning flips), then every changed paragraph folded, its changes marked."""
    blocks = {b.index: b for b in report.blocks}
    if report.corrections:
        blocks[-1] = Block(-1, "heading", report.original_title_raw, report.original_title)
    numbers = paragraph_numbers(report)
    flips, segment = load_flips(), cut_words
    groups: dict[tuple, dict] = {}
    paragraphs = []
    for index, fixes in sorted(corrections_by_block(report).items()):
        block = blocks[index]
        changes = [(fix, word_change(block.raw, fix, flips, segment)) for fix in fixes]
        flipped = {fix.offset for fix, change in changes if change.flip}
        for fix, change in changes:
            if change.flip:
                group = groups.setdefault((change.flip.spun, change.flip.original),
                                          {"spun": change.flip.spun, "original": change.flip.original, "words": {}})
                group["words"][change.restored] = group["words"].get(change.restored, 0) + 1
        text = full_width_punctuation(block.text)
        paragraphs.append({
            "id": f"c{block.anchor}" if index >= 0 else "c-title",
            "where": "原标题" if index < 0 else block_name(numbers, block), "count": len(fixes), "flips": len(flipped),
            "preview": text[:PREVIEW_CHARS] + ("…" if len(text) > PREVIEW_CHARS else ""),
            "html": Markup(diff_html(block, fixes, flipped)),
            "sources": count_words(Counter(rule_source(f.rule) for f in fixes)),
            "link": embed.link(block_url(report, block) if index >= 0 else text_page_url(report.slug, 0),
                               f"{report.slug}/corrections/"),
        })
    flip_groups = sorted(({**g, "count": sum(g["words"].values()),
                           "words": sorted(g["words"].items(), key=lambda w: (-w[1], w[0]))} for g in groups.values()),
                         key=lambda g: (-g["count"], g["spun"], g["original"]))
    suspects = [{"where": block_name(numbers, blocks[s["block"]]) if s.get("block", -1) in blocks
                 and s.get("block", -1) >= 0 else "原标题",
                 "word": str(s.get("word", "")), "reason": str(s.get("reason", ""))} for s in report.suspects]
    total, flip_total = len(report.corrections), sum(g["count"] for g in flip_groups)
    description = (f"本站从转载稿中恢复了 {total} 处文字，其中 {flip_total} 处原意被改反。" if total
                   else "本站没有改动这份报告的任何文字。")
    return render("corrections.md.j2", heading=f"{report_name(report)}：勘误记录", report=report,
                  page_title=meta_value(f"勘误记录 · {report_label(report)}"),
                  description=meta_value(f"{report_label(report)}：{description}"),
                  total=total, flip_total=flip_total, flip_groups=flip_groups, paragraphs=paragraphs,
                  paragraph_count=sum(1 for p in paragraphs if p["id"] != "c-title"),
                  title_fixed=any(p["id"] == "c-title" for p in paragraphs),
                  sources=count_words(Counter(rule_source(f.rule) for f in report.corrections)),
                  suspects=suspects, text_name=text_name(report))


def period_label(figure: Figure, names: dict[str, str] | None = None) -> str:
    """A figure's period as readers read it: 2025年成绩, 2026年目标, 2025年前三季度, 时间未注明 (``names`` unused)."""
    return chart_stage.period_text(figure)


def own_figure_path(report: Report, figure: Figure) -> str:
    """The Markdown link to a figure's sentence from a page of its own report's folder: report.md#f1-18, report/2.md#f90-4."""
    return figure_path(report, figure).removeprefix(f"{report.slug}/")


def data_page(report: Report) -> str:
    """Downloads and a table of every figure with its source."""
    rows = [{"text": f.text, "label": f.label, "period": period_label(f),
             "link": own_figure_path(report, f),
             "excerpt": f.sentence[:40]} for b in report.blocks for f in b.figures]
    return render("data.md.j2", heading=f"{report_name(report)}：数据下载", rows=rows)


# ---------------------------------------------------------------- site-wide pages


# The site-wide pages and their titles, in navigation order (the nav is made before their content).
SITE_PAGE_TITLES = {"index.md": "首页", "reports.md": "报告一览", "compare.md": "各地对比", "targets.md": "目标与完成",
                    "glossary.md": "名词解释"}


def site_pages(reports: list[Report], comparisons: list[Comparison], found: list[Promise] = ()) -> list[Page]:
    """The pages about all reports: the home page listing them, the comparisons, targets against results, the
    glossary; then each paired report's targets page."""
    glossary = load_glossary()
    used = {t.term for r in reports for t in terms_of(r, glossary)}
    used_terms = [t for t in glossary if t.term in used]
    contents = {"index.md": home_page(reports, comparisons), "reports.md": render("reports.md.j2"),
                "compare.md": compare_page(comparisons, compare_years(reports)),
                "targets.md": targets_page(reports, list(found)), "glossary.md": glossary_page(used_terms, reports)}
    pages = [Page(path, title, contents[path]) for path, title in SITE_PAGE_TITLES.items()]
    pages += [Page(compare_year_path(year), f"{year}年", compare_year_page(year, comparisons))
              for year in compare_years(reports)]
    compared = {(c.period, c.indicator.id): c for c in comparisons}
    pages += [Page(compare_indicator_path(year, indicator.id), f"{year}年{indicator.name}",
                   compare_indicator_page(year, indicator, compared.get((year, indicator.id))))
              for year, indicator in compare_indicators(reports)]
    pages += report_target_pages(reports, list(found))
    # Site-wide pages carry only the tooltips that hold in every report.
    tooltips = abbreviations([t for t in used_terms if not t.report])
    return [Page(p.path, p.title, p.markdown.rstrip() + "\n\n" + tooltips + "\n") for p in pages]


def report_order(report: Report) -> tuple:
    """Newest year first; within a year provinces before cities before districts; then by place."""
    level = LEVEL_ORDER.index(report.level) if report.level in LEVEL_ORDER else len(LEVEL_ORDER)
    # File names are usually pinyin (fujian.txt), which orders places as readers expect; code points do not.
    return (-(report.year or 0), level, report.slug)


def home_page(reports: list[Report], comparisons: list[Comparison]) -> str:
    """The reports by year: the provincial-level ones as cards, the others counted by province with a link to the browser.

    Its size does not grow with the number of city and county reports: those are listed by the
    reports browser (reports.md), one year and province at a time.
    """
    groups: dict[str, dict] = {}
    for report in sorted(reports, key=report_order):
        year = f"{report.year}年的报告" if report.year else "年份不明的报告"
        group = groups.setdefault(year, {"name": year, "items": [], "others": {}, "count": 0})
        group["count"] += 1
        if report.level in places.PROVINCIAL_LEVELS:
            meta = [report.presenter, report.delivered or report.published[:10], SHAPE_NAMES.get(report.shape, "")]
            group["items"].append({"name": report_name(report), "path": f"{report.slug}/index.md",
                                   "title": full_title(report), "meta": " · ".join(m for m in meta if m)})
        else:
            code, name = places.filed_under(report.place)
            anchor = export.shard_stem(report.year, code)
            group["others"].setdefault(name, {"province": name, "anchor": anchor, "count": 0})["count"] += 1
    order = [name for _, name in places.filing_order()]
    for group in groups.values():
        group["others"] = sorted(group["others"].values(), key=lambda other: order.index(other["province"]))
        group["other_count"] = sum(other["count"] for other in group["others"])
    return render("home.md.j2", groups=list(groups.values()), comparisons=comparisons)


def compare_years(reports: list[Report]) -> list[str]:
    """The years the compare pages are for, newest first: a provincial report's own and the year before (its
    targets and the results it states). Known from the reports' headers, so the navigation is made first."""
    years = {str(year) for r in reports if r.level in places.PROVINCIAL_LEVELS and r.year for year in (r.year, r.year - 1)}
    return sorted(years, reverse=True)


def compare_year_path(year: str) -> str:
    """The compare page of one year (compare/2026.md → compare/2026/)."""
    return f"{embed.COMPARE_PAGE}{year}.md"


def compare_paths(reports: list[Report]) -> list[str]:
    """Every compare page of the years the reports are compared for: each year's, then each of its indicators'."""
    return [compare_year_path(year) for year in compare_years(reports)] + [
        compare_indicator_path(year, indicator.id) for year, indicator in compare_indicators(reports)]


def compare_indicators(reports: list[Report]) -> list[tuple[str, Indicator]]:
    """Each compare year with each indicator of data/indicators.yml: the indicators' pages, stated or not."""
    return [(year, indicator) for year in compare_years(reports) for indicator in load_indicators()]


def compare_indicator_path(year: str, indicator_id: str) -> str:
    """The page of one compared indicator in one year (compare/2026/gdp-growth-target.md → compare/2026/gdp-growth-target/).

    There is one for every indicator of every compare year, known from the reports' headers (the
    navigation and the hook list pages before the reports are processed); the year's page links
    those that two reports or more state.
    """
    return embed.compare_indicator_folder(year, indicator_id).rstrip("/") + ".md"


def compare_page(comparisons: list[Comparison], years: list[str]) -> str:
    """The index of the comparisons: for each year, what it sets side by side. Small whatever the site holds."""
    listed = [{"year": year, "path": compare_year_path(year),
               "items": [{"path": compare_indicator_path(year, c.indicator.id), "title": c.title,
                          "count": len(c.statements)} for c in comparisons if c.period == year]} for year in years]
    return render("compare.md.j2", years=listed)


def compare_year_page(year: str, comparisons: list[Comparison]) -> str:
    """One year's compared indicators as a table: how many reports state each, the highest and the lowest, a link to its page.

    Each indicator's chart has a page of its own (``compare_indicator_page``): with every province
    stating a dozen indicators, one page holding all their charts and tables outgrew a phone's page.
    """
    rows = []
    for comparison in (c for c in comparisons if c.period == year):
        top, *_, bottom = sorted(comparison.statements, key=lambda s: (-s.value, s.report.slug))
        rows.append({"title": comparison.title, "count": len(comparison.statements),
                     # beside compare/<year>.md
                     "path": compare_indicator_path(year, comparison.indicator.id).removeprefix(embed.COMPARE_PAGE),
                     "top": f"{bar_name(top.report)} {top.text}", "bottom": f"{bar_name(bottom.report)} {bottom.text}"})
    return render("compare_year.md.j2", year=year, rows=rows)


def compare_indicator_page(year: str, indicator: Indicator, comparison: Optional[Comparison]) -> str:
    """One indicator of one year: its chart and table, each value linked to its sentence, with 嵌入; or that too few reports state it."""
    folder = embed.compare_indicator_folder(year, indicator.id)
    charts = embed.comparison_embeds([comparison] if comparison else [])
    items = [{"id": item.item, "chart": Markup(comparison_chart_html(chart, bars, folder, page=folder) + "\n"
                                               + embed.actions_html(item, folder, downloads=True))}
             for item, chart, bars in charts]
    return render("compare_indicator.md.j2", year=year, title=f"{year}年{indicator.name}", comparisons=items,
                  oembed=Markup(embed.discovery_links([item for item, _, _ in charts], folder)),
                  share_image=_share_image([item for item, _, _ in charts]))


def comparison_chart(comparison: Comparison):
    """One comparison drawn as a bar per report (a range to its lower bound, its span lighter), and its bars."""
    statements = sorted(comparison.statements, key=lambda s: (-s.value, s.report.slug))
    # The figures as the reports write them (ranges whole), valued as drawn.
    figures = [replace(s.figure, text=s.text, base_value=s.value) for s in statements]
    unit, scale = chart_stage.display_scale(figures)
    names = [bar_name(s.report) for s in statements]
    series = f"{comparison.period}年" + ("目标" if comparison.indicator.kind == "plan" else "")
    chart = chart_stage.series_chart(comparison.id, None, comparison.title, unit, scale, names, figures, series,
                                     note="数字摘自各报告原文。", items="份报告")
    return chart, [ComparedBar(f, s.report, n, s.figure) for f, s, n in zip(figures, statements, names)]


def bar_name(report: Report) -> str:
    """How a comparison names a report: by its place (河北省).

    The comparison's title says the year of the figures, and the report's own year (a 2026 report
    states 2025's results) would read as another year.
    """
    return report_name(report).removeprefix(f"{report.year}年")


@dataclass(frozen=True)
class ComparedBar:
    """One bar of a comparison chart: the figure as drawn, its report, its name and the figure as extracted."""

    figure: Figure
    report: Report
    name: str
    source: Figure  # the figure of the report's text, whose anchor the bar links to


def comparison_source(bars: list[ComparedBar]) -> str:
    """Where a comparison chart's figures come from, as its credit names it: 22份政府工作报告."""
    return f"{len(bars)}份政府工作报告"


def comparison_chart_html(chart, bars: list[ComparedBar], folder: str, base_url: str = "", page: str = "") -> str:
    """A comparison chart with its data table, each value linked to its sentence from site folder ``folder``;
    ``page`` is the compare page that shows it, which its citation names."""
    urls = {id(b.figure): embed.link(figure_url(b.report, b.source), folder, base_url) for b in bars}
    rows = {id(b.figure): b.name for b in bars}
    source = comparison_source(bars)
    return chart_stage.chart_html(chart, "", source_url=lambda f: urls[id(f)], row_names=lambda f: rows[id(f)],
                                  credit=chart_credit(source),
                                  cite=chart_citation(chart, source, f"{page or embed.COMPARE_PAGE}#chart-{chart.id}"))


def chart_credit(source: str) -> str:
    """The line under a saved chart image: where the figures come from and who drew it."""
    return f"数据来源：{source}。制图：{embed.PROVIDER}"


def chart_citation(chart, source: str, page: str) -> str:
    """How to cite one chart: who drew it, its headline, where its figures come from, and its address.

    The address is absolute under the site's public URL; without one the citation names no address.
    """
    base = embed.public_base(settings.get("EXPLAINER_SITE_URL"))
    address = f"，{base}{page}" if base else ""
    headline = chart.finding or chart.title
    return f"{embed.PROVIDER}：《{headline}》（图表），数据摘自{source}{address}。"


def glossary_page(terms, reports: list[Report]) -> str:
    """The policy terms the reports use, each explained once, in a fixed order; local usages name their report."""
    names = {r.slug: report_name(r) for r in reports}
    ids = glossary_anchors(terms)
    rows = [{"term": t.term, "explanation": t.explanation, "report": names.get(t.report, ""), "anchor": ids[t.term]}
            for t in sorted(terms, key=glossary_order)]
    return render("glossary.md.j2", terms=rows)


# ---------------------------------------------------------------- targets against results

TARGETS_TITLE = "目标与完成"  # the title of the site page and of each report's page that holds its promises


def report_targets_path(slug: str) -> str:
    """Where the targets and results of the report with ``slug`` are: a page of its folder, made site-wide."""
    return f"{slug}/targets.md"


def promise_rows(found: list[Promise], folder: str) -> list[dict]:
    """The promises as table rows, each figure linked to its sentence from a page in site folder ``folder``."""
    return [{"place": p.place, "indicator": p.indicator, "target": p.target.text,
             "target_link": folder + p.target_path(), "result": p.result.text if p.result else "",
             "result_link": folder + p.result_path() if p.result else "", "verdict": p.verdict_name}
            for p in found]


GDP_TARGET = "gdp-growth-target"  # the indicator the site page counts verdicts of


def targets_page(reports: list[Report], found: list[Promise]) -> str:
    """The site page: for each year, the provincial reports' main targets against the next year's results."""
    names = {r.slug: report_name(r) for r in reports}
    provincial = {r.slug for r in reports if r.level in places.PROVINCIAL_LEVELS}
    years = []
    for year in sorted({p.year for p in found}, reverse=True):
        of_year = [p for p in found if p.year == year and p.target_report in provincial]
        main = [p for p in of_year if p.indicator_id]
        pairs = sorted({(p.target_report, p.result_report) for p in of_year}, key=lambda pair: pair[0])
        gdp = [p for p in main if p.indicator_id == GDP_TARGET]
        years.append({"year": year, "rows": promise_rows(main, ""), "places": len(pairs),
                      "gdp": Counter(p.verdict_name for p in gdp),
                      "pages": [{"name": names[slug].removeprefix(f"{year}年"), "path": report_targets_path(slug)}
                                for slug, _ in pairs]})
    return render("targets.md.j2", years=years, verdicts=list(VERDICT_NAMES.values()))


def report_targets_page(report: Report, earlier: Report | None, later: Report | None,
                        set_by: dict[str, list[Promise]]) -> str:
    """One report's page of targets: last year's against what this report says came of them; this year's against
    the next report's results, or, while there is none, the main targets still open. ``set_by``: the promises
    by the slug of the report that set their targets (each judged by the next year's report)."""
    sections = []
    if earlier is not None:
        rows = set_by.get(earlier.slug, [])
        sections.append({"heading": f"{earlier.year}年目标完成情况", "rows": promise_rows(rows, "../"),
                         "intro": f"{report_name(earlier)}提出的{earlier.year}年目标，对照本报告所说的{earlier.year}年结果。"})
    if later is not None:
        rows = set_by.get(report.slug, [])
        sections.append({"heading": f"{report.year}年目标后来完成了吗", "rows": promise_rows(rows, "../"),
                         "intro": f"本报告提出的{report.year}年目标，对照{report_name(later)}所说的{report.year}年结果。"})
    opened = []
    if later is None:
        opened = [{"indicator": name, "target": figure.text, "link": own_figure_path(report, figure)}
                  for name, figure in open_targets(report)]
    return render("report_targets.md.j2", heading=f"{report_name(report)}：{TARGETS_TITLE}", sections=sections,
                  opened=opened, year=report.year)


def report_target_pages(reports: list[Report], found: list[Promise]) -> list[Page]:
    """The targets page of every report that has a report of its place the year before or after, in site order."""
    earlier, later = {}, {}
    for one, next_one in year_pairs(reports):
        later[one.slug], earlier[next_one.slug] = next_one, one
    set_by: dict[str, list[Promise]] = {}
    for promise in found:  # once, not once a page: a site of thousands of reports has as many pages
        set_by.setdefault(promise.target_report, []).append(promise)
    return [Page(report_targets_path(r.slug), TARGETS_TITLE,
                 report_targets_page(r, earlier.get(r.slug), later.get(r.slug), set_by))
            for r in sorted(reports, key=report_order) if r.slug in earlier or r.slug in later]
