"""Pages stage: the whole report model → the site's Markdown pages, as a dict of path → text.

Nothing here touches the disk; the MkDocs hook adds these pages to the build.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import charts as chart_stage
from .classify import load_themes
from .glossary import abbreviations, load_glossary, report_text, terms_in
from .headlines import headline_figures
from .keywords import theme_keywords
from .markup import escape_attribute, escape_markdown, figure_anchor, full_width_punctuation, render_text
from .model import Block, Figure, Report

CHARS_PER_MINUTE = 400  # a common reading speed for Chinese prose


@dataclass(frozen=True)
class Page:
    """One generated page: where it lives, its title in the navigation, its Markdown."""

    path: str
    title: str
    markdown: str


def build_pages(report: Report) -> list[Page]:
    """Every generated page of the site, in navigation order."""
    themes = load_themes()
    charts = chart_stage.build_charts(report)
    used_terms = terms_in(report_text(report), load_glossary())
    pages = [Page("index.md", "首页", home_page(report, themes))]
    for theme in themes:
        theme_charts = [c for c in charts if c.theme == theme.id]
        pages.append(Page(f"{theme.id}.md", theme.name, theme_page(report, theme, theme_charts)))
    pages += [
        Page("report.md", "报告全文", report_page(report)),
        Page("corrections.md", "勘误记录", corrections_page(report)),
        Page("data.md", "数据下载", data_page(report)),
        Page("glossary.md", "名词解释", glossary_page(used_terms)),
    ]
    tooltips = abbreviations(used_terms)
    return [Page(p.path, p.title, p.markdown.rstrip() + "\n\n" + tooltips + "\n") for p in pages]


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


def figure_cards(figures, report_url: str) -> str:
    """A grid of figure cards, each linking to its sentence in the report."""
    if not figures:
        return ""
    cards = []
    for f in figures:
        cards.append(
            f'<a class="figure-card" href="{report_url}#{figure_anchor(f)}" title="{escape_attribute(f.sentence)}">'
            f'<span class="figure-card__value">{escape_attribute(f.text)}</span>'
            f'<span class="figure-card__label">{escape_attribute(f.label or f.text)}</span></a>'
        )
    return '<div class="figure-cards">\n' + "\n".join(cards) + "\n</div>\n"


def home_page(report: Report, themes) -> str:
    """The report in one minute: what, when, who, headline figures, the four themes."""
    intro = [b for b in report.paragraphs if b.part is None]
    counts = Counter(b.theme for b in report.paragraphs)
    figures = Counter(f.theme for b in report.blocks for f in b.figures)
    lines = [
        "---", "hide:", "  - navigation", "---", "",
        *_headline(report.title), "",
        f'<p class="report-meta">{escape_attribute(report_meta(report))}</p>', "",
    ]
    if intro:
        lines += [render_text(intro[0], []), ""]
    lines += ["## 一分钟读懂", "", figure_cards(headline_figures(report), "report/"), ""]
    lines += ["## 四个主题", "", '<div class="grid cards" markdown>', ""]
    for theme in themes:
        lines += [
            f"-   :{theme.icon.replace('/', '-')}: **[{theme.name}]({theme.id}.md)**", "",
            "    ---", "",
            f"    {escape_markdown(theme.lead)}", "",
            f"    {counts.get(theme.id, 0)} 段原文 · {figures.get(theme.id, 0)} 个数字", "",
        ]
    lines += ["</div>", "", "## 继续阅读", ""]
    lines += [
        "- [报告全文](report.md)：清理后的全文，可对照原文查看每一处改动。",
        f"- [勘误记录](corrections.md)：我们从转载稿中恢复的 {len(report.corrections)} 处文字。",
        "- [数据下载](data.md)：报告中的全部数字，CSV 与 JSON 格式。",
        "- [名词解释](glossary.md)：报告里的政策术语。",
        "- [关于本站](about.md)：数据来源与处理方法。",
    ]
    return "\n".join(lines) + "\n"


def _headline(title: str) -> list[str]:
    """News titles put the headline and its subject on one line, split by a space: show them as two."""
    head, _, subject = title.partition(" ")
    lines = [f"# {escape_markdown(head)}"]
    if subject:
        lines += ["", f'<p class="subtitle">{escape_attribute(subject)}</p>']
    return lines


def report_meta(report: Report) -> str:
    """One line of provenance: presenter, date, reporters, editors."""
    parts = [f"报告人：{report.presenter}"] if report.presenter else []
    if report.published:
        parts.append(f"发布时间：{report.published.replace('T', ' ')}")
    if report.reporter:
        parts.append("记者：" + "、".join(report.reporter))
    if report.correspondent:
        parts.append("通讯员：" + "、".join(report.correspondent))
    if report.editors:
        parts.append("责任编辑：" + "、".join(report.editors))
    return "　".join(parts)


def key_figures(figures, count: int = 4) -> list[Figure]:
    """The largest chartable figures, one per base unit first so the cards do not repeat a kind."""
    ranked = sorted((f for f in figures if chart_stage.is_chartable(f)), key=lambda f: -(f.base_value or 0))
    first = {}
    for figure in ranked:
        first.setdefault(figure.base_unit, figure)
    picked = list(first.values())[:count]
    return picked + [f for f in ranked if f not in picked][: count - len(picked)]


def theme_page(report: Report, theme, charts) -> str:
    """One theme: lead, key figures, keywords, charts, then 2024 results beside 2025 plans."""
    blocks = [b for b in report.paragraphs if b.theme == theme.id]
    figures = [f for b in blocks for f in b.figures]
    fixes = corrections_by_block(report)
    lines = [f"# {theme.name}", "", f'<p class="lead">{escape_attribute(theme.lead)}</p>', ""]
    lines += [f'<p class="reading-time">{len(blocks)} 段原文 · 约 {reading_minutes(blocks)} 分钟读完</p>', ""]
    keywords = theme_keywords(report, theme.id)
    if keywords:
        chips = " ".join(f'<a class="keyword-chip" href="?q={escape_attribute(k)}">{escape_attribute(k)}</a>'
                         for k in keywords)
        lines += [f'<p class="keywords" aria-label="关键词">{chips}</p>', ""]
    key = key_figures(figures)
    if key:
        lines += ["## 关键数字", "", figure_cards(key, "../report/"), ""]
    if charts:
        lines += ["## 图表", ""]
        for chart in charts:
            lines += [chart_stage.chart_html(chart, "../report/"), ""]
    numbers = paragraph_numbers(report)
    columns = []
    # One column per part of the report (回眸2024 results, 展望2025 plans), in the report's order.
    for part in dict.fromkeys(b.part for b in blocks):
        column = ['<section class="period" markdown>', "", f"## {escape_markdown(full_width_punctuation(part or ''))}", ""]
        for block in (b for b in blocks if b.part == part):
            number = numbers[block.index]
            column += [render_text(block, fixes.get(block.index, []), mark_figures=False), "",
                       f'<p class="source-link"><a href="../report/#{block.anchor}">原文第 {number} 段 · '
                       f'{escape_attribute(block.section or "")}</a></p>', ""]
        columns += column + ["</section>", ""]
    if columns:
        # Side by side on a desk, one after the other on a phone (see extra.css).
        lines += ['<div class="periods" markdown>', ""] + columns + ["</div>", ""]
    return "\n".join(lines) + "\n"


def report_page(report: Report) -> str:
    """The full cleaned report, every block anchored, restored words and figures marked."""
    fixes = corrections_by_block(report)
    lines = [*_headline(report.title), "",
             f'<p class="report-meta">{escape_attribute(report_meta(report))}</p>', "",
             '<p class="fix-toggle"><label><input type="checkbox" data-toggle-spun> 对照转载稿'
             '（删除线为转载稿的写法）</label></p>', ""]
    if report.original_title:
        lines += [f"原标题：{escape_markdown(report.original_title)}", ""]
    for block in report.blocks:
        text = render_text(block, fixes.get(block.index, []))
        if block.kind == "heading":
            lines += [f"{'#' * (block.level + 1)} {text} {{ #{block.anchor} }}", ""]
        elif block.kind == "caption":
            lines += [f'<p class="caption" id="{block.anchor}" markdown>{text}</p>', ""]
        else:
            lines += [f"{text}", f"{{: #{block.anchor} }}", ""]
    return "\n".join(lines) + "\n"


def block_name(numbers: dict[int, int], block: Block) -> str:
    """How a reader refers to a block: 第N段, 小标题 or 图片说明 (``numbers`` from paragraph_numbers)."""
    if block.kind == "paragraph":
        return f"第 {numbers[block.index]} 段"
    return "图片说明" if block.kind == "caption" else "小标题"


def rule_name(rule: str) -> str:
    """A correction's rule as a reader reads it: 词库第 34 行, 编辑指定第 3 行."""
    source, _, line = rule.partition(":")
    names = {"lexicon": "词库", "override": "编辑指定"}
    return f"{names[source]}第 {line} 行" if source in names and line.isdigit() else rule


def corrections_page(report: Report) -> str:
    """Every restored word with its context, grouped by paragraph, linked to the report."""
    blocks = {b.index: b for b in report.blocks}
    numbers = paragraph_numbers(report)
    lines = ["---", "search:", "  exclude: true", "---", "", "# 勘误记录", "",
             f"转载稿经过“伪原创”改写，许多词被换成了近义词甚至反义词。本站据此恢复了 "
             f"**{len(report.corrections)}** 处文字。每一处改动都列在下面，点击位置可回到全文对照。", ""]
    if report.suspects:
        lines += [f"另有 {len(report.suspects)} 处可疑文字尚未确认，列在页尾，供编辑核对。", ""]
    lines += ["| 位置 | 转载稿 | 恢复为 | 转载稿上下文 | 依据 |", "|---|---|---|---|---|"]
    for fix in report.corrections:
        where = "原标题" if fix.block < 0 else f"[{block_name(numbers, blocks[fix.block])}](report.md#p{fix.block})"
        raw = report.original_title_raw if fix.block < 0 else blocks[fix.block].raw
        context = raw[max(0, fix.offset - 8):fix.offset] + "【" + fix.spun + "】" + raw[fix.offset + len(fix.spun):fix.offset + len(fix.spun) + 8]
        lines.append(f"| {where} | {escape_markdown(fix.spun)} | {escape_markdown(fix.restored)} | "
                     f"{escape_markdown(context)} | {escape_markdown(rule_name(fix.rule))} |")
    if report.suspects:
        lines += ["", "## 可疑文字", "", "| 位置 | 文字 | 原因 |", "|---|---|---|"]
        for s in report.suspects:
            lines.append(f"| {block_name(numbers, blocks[s['block']]) if s.get('block', -1) >= 0 else '原标题'} | {escape_markdown(str(s.get('word', '')))} | "
                         f"{escape_markdown(str(s.get('reason', '')))} |")
    return "\n".join(lines) + "\n"


def data_page(report: Report) -> str:
    """Downloads and a table of every figure with its source."""
    figures = [f for b in report.blocks for f in b.figures]
    periods = chart_stage.period_names(report)
    lines = ["# 数据下载", "",
             f"报告中共提取 **{len(figures)}** 个数字。每个数字都标明了单位、所属时期和出处句子。", "",
             "- [下载 CSV](data/figures.csv){ .md-button download }（UTF-8 带 BOM，可直接用 Excel 打开）",
             "- [下载 JSON](data/figures.json){ .md-button download }",
             "- [下载整份报告的结构化数据（JSON）](data/report.json){ download }", "",
             "| 数字 | 指标 | 时期 | 出处 |", "|---|---|---|---|"]
    for f in figures:
        lines.append(f"| {escape_markdown(f.text)} | {escape_markdown(f.label)} | "
                     f"{chart_stage.period_name(f.period, periods)} | [{escape_markdown(f.sentence[:40])}…](report.md#{figure_anchor(f)}) |")
    return "\n".join(lines) + "\n"


def glossary_page(terms) -> str:
    """The policy terms the report uses, each explained once, in a fixed order."""
    lines = ["# 名词解释", "", "报告里有不少政策术语。下面逐一说明；在其他页面上，把鼠标移到带下划虚线的词上也能看到解释。", ""]
    for term in sorted(terms, key=lambda t: t.term):
        lines += [f"**{escape_markdown(term.term)}**", f": {escape_markdown(term.explanation)}", ""]
    return "\n".join(lines) + "\n"
