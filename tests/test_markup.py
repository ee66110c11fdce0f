"""Rendering cleaned text as Markdown: escaping, marks and Chinese punctuation.

Checked with real Python-Markdown and the extensions of mkdocs.yml: report text must reach the
reader as exactly that text, whatever Markdown, HTML, shortcodes or Jinja it contains.
"""
import re
from html.parser import HTMLParser

import markdown
import pytest

from build_scripts.errors import InputError
from build_scripts.markup import (TEXT_PAGE_CHARS, correction_spans, escape_markdown, full_width_punctuation, render_text,
                                  text_pages)
from build_scripts.model import Block, Correction, Figure
from build_scripts.parse import parse, read_seed
from build_scripts.pipeline import run_stages
from conftest import FIXTURES, ROOT

HOSTILE = FIXTURES / "hostile"
# Invisible controls the renderer drops on purpose (bidi overrides and isolates, C0 controls).
_UNSHOWN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def html(text: str) -> str:
    return markdown.markdown(text)


def test_ascii_punctuation_between_chinese_becomes_full_width_without_changing_length():
    text = "12月25日,厦门市思明区(文/记者):好!1,000元,12.6%"
    result = full_width_punctuation(text)
    assert result == "12月25日，厦门市思明区（文/记者）：好！1,000元，12.6%"
    assert len(result) == len(text)


def test_markdown_syntax_in_the_text_stays_literal():
    assert visible(html(escape_markdown("*重点*_项目_ [链接](x) <b>"))) == ("*重点*_项目_ [链接](x) <b>", [("p", [])])
    assert visible(html(escape_markdown("1. 不是列表"))) == ("1. 不是列表", [("p", [])])


def test_restored_words_carry_the_spun_form_and_figures_their_anchor():
    block = Block(3, "paragraph", raw="财产展开共6145万元", text="产业发展共6145万元",
                  figures=(Figure(6145, "万元", "6145万元", block=3, start=5, end=11),))
    fixes = [Correction(3, 0, "财产", "产业", "lexicon:1"), Correction(3, 2, "展开", "发展", "lexicon:2")]
    out = render_text(block, fixes)
    assert '<span class="fix" data-spun="财产" title="转载稿作“财产”">产业</span>' in out
    assert '<span class="fig" id="f3-5">6145万元</span>' in out


def test_corrections_that_do_not_replay_to_the_cleaned_text_mark_nothing():
    block = Block(1, "paragraph", raw="财产展开", text="产业展开")
    assert correction_spans(block, [Correction(1, 0, "财产", "资产", "x")]) == []


# ---- Report text never turns into markup (issue 9) -------------------------------------------------

PAYLOADS = [
    "按1:100:5的比例", "3~5年", "src=x", "**粗**", "[链接](http://x)", "<script>alert(1)</script>", "{{ x }}",
    "{% raw %}", "| a | b |", "1. 条", "# 标题", "`code`", ":material-factory:", "==mark==", "^^上^^", "~~删~~",
    "*[粗]: 提示", "[TOC]", "!!! note", "    缩进四格", "- 条目", "+ 条目", "> 引用", "---", "a\\*b", "&amp; &lt;",
    "<img src=x onerror=alert(1)>", "<iframe src=http://evil.example></iframe>", "=HYPERLINK(\"http://evil.example\")",
    "++ctrl+alt++", "标题 {: #id .cls }", "https://evil.example/x.png", "总投资9999亿元 #1 #", "1) 条", "_斜_",
]
# The extensions someone might plausibly add to mkdocs.yml later; the text must stay text with them too.
EXTRA_EXTENSIONS = ["pymdownx.mark", "pymdownx.tilde", "pymdownx.caret", "pymdownx.keys", "pymdownx.magiclink",
                    "pymdownx.emoji", "pymdownx.details", "pymdownx.inlinehilite"]


def site_markdown(extra=()) -> markdown.Markdown:
    """Python-Markdown with exactly the site's extensions (as mkdocs.yml and the hook configure them)."""
    from mkdocs.utils.yaml import yaml_load

    from build_scripts.glossary import CjkAbbrExtension

    config = yaml_load((ROOT / "mkdocs.yml").read_bytes())
    names, configs = [], {}
    for entry in [*config["markdown_extensions"], *extra]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(CjkAbbrExtension() if name == "abbr" else name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


class Visible(HTMLParser):
    """The text a reader sees and every tag and attribute the browser would act on."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def visible(rendered: str) -> tuple[str, list]:
    parser = Visible()
    parser.feed(rendered)
    return "".join(parser.text), parser.tags


@pytest.mark.parametrize("payload", PAYLOADS)
def test_report_text_renders_as_exactly_that_visible_text_with_the_site_extensions(payload):
    text, tags = visible(site_markdown().convert(escape_markdown(payload)))
    assert text == payload
    assert tags == [("p", [])]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_report_text_stays_text_with_extensions_the_site_might_add_later(payload):
    text, tags = visible(site_markdown(EXTRA_EXTENSIONS).convert(escape_markdown(payload)))
    assert text == payload
    assert tags == [("p", [])]


def test_an_emoji_shortcode_in_a_ratio_keeps_its_number_and_loads_nothing():
    out = site_markdown(["pymdownx.emoji"]).convert(escape_markdown("按1:100:5的比例"))
    assert "<img" not in out and "<svg" not in out and "http" not in out
    assert visible(out)[0] == "按1:100:5的比例"


def test_no_backslash_reaches_the_reader():
    for payload in ["3~5年", "src=x", "2^10", "a_b", "1. 条"]:
        assert "\\" not in escape_markdown(payload)
        assert "\\" not in site_markdown().convert(escape_markdown(payload))


def test_text_spread_over_lines_stays_text_on_every_line():
    payload = "第一行\n# 标题\n1. 条\n    代码\n=====\n| a | b |\n|---|---|"
    text, tags = visible(site_markdown().convert(escape_markdown(payload)))
    assert text == payload
    assert tags == [("p", [])]


def test_bidi_controls_and_markdown_placeholders_are_dropped_and_nothing_else():
    payload = "总投资\u202e9999\u202c亿元\x02wzxhzdk:0\x03\u200b。"
    assert escape_markdown(payload) == "总投资9999亿元wzxhzdk&#58;0\u200b。"


def test_a_paragraph_with_marks_shows_the_text_and_only_the_marks_act():
    text = "**粗**[链接](http://evil.example):100:修补6145万元"
    start = text.index("6145")
    block = Block(2, "paragraph", raw="**粗**[链接](http://evil.example):100:修补6145万元", text=text,
                  figures=(Figure(6145, "万元", "6145万元", block=2, start=start, end=start + 6),))
    shown, tags = visible(site_markdown(["pymdownx.emoji"]).convert(render_text(block, [])))
    assert shown == full_width_punctuation(text)
    assert [t for t, _ in tags] == ["p", "span"]
    assert all("evil" not in value for _, attrs in tags for _, value in attrs)


@pytest.mark.parametrize("seed", sorted(HOSTILE.glob("*.txt")), ids=lambda p: p.name)
def test_every_paragraph_of_the_hostile_seeds_renders_as_its_own_text(seed):
    try:
        report = run_stages(parse(read_seed(seed), seed.name))
    except InputError:
        pytest.skip("refused as input (checked in test_cli)")
    md = site_markdown(["pymdownx.emoji"])
    for block in report.blocks:
        md.reset()
        if block.kind == "heading":   # as the pages write headings and titles
            text, tags = visible(md.convert(f"## {escape_markdown(block.text)}"))
            assert text == _UNSHOWN.sub("", block.text) and [t for t, _ in tags] == ["h2"]
            continue
        text, tags = visible(md.convert(render_text(block, [])))
        assert text == _UNSHOWN.sub("", full_width_punctuation(block.text)), block.index
        assert {t for t, _ in tags} <= {"p", "span", "abbr"}
        for _, attrs in tags:
            assert not any(v and ("http" in v or "evil" in v) for _, v in attrs)


# ---------------------------------------------------------------- issue 23: what no field may hold


def test_front_matter_values_read_back_exactly_and_hold_nothing_yaml_refuses_or_html_acts_on():
    import yaml

    from build_scripts.markup import front_matter_value

    value = "标题<img src=x onerror=alert(1)>&amp;\x85\ufffe\u2028\x07 𠀀 😀 \\<"
    written = front_matter_value(value)
    assert yaml.safe_load(f"title: {written}\n") == {"title": value}
    assert not re.search("[<>\x00-\x1f\x7f-\x9f\u2028\ufffe]", written)
    assert "𠀀" in written  # astral characters as they are: YAML would not join an escaped surrogate pair
    links = [{"href": "../embed/a/oembed.json", "title": "</script><b>x</b>"}]
    assert yaml.safe_load(front_matter_value(links)) == links


def test_controls_noncharacters_and_bidi_overrides_are_dropped_and_line_separators_break_lines():
    from build_scripts.markup import drop_unshowable

    assert drop_unshowable("投资\x85\x9b\x07\ufffe\uffff\U0001fffe\u202e\u2066\u200f90亿元") == "投资\n90亿元"
    assert drop_unshowable("第一句。\u2028第二句。\u2029") == "第一句。\n第二句。\n"
    kept = "总投资\u200b\u200d9999亿元\t，𠀀😀"  # zero-width characters and tabs are text (see zero_width.txt)
    assert drop_unshowable(kept) == kept


def blocks_of(*kinds_and_lengths):
    """Blocks of these kinds ("h" a heading, "p" a paragraph) and seed-text lengths."""
    return [Block(n, "heading" if kind == "h" else "paragraph", "字" * length, "字" * length)
            for n, (kind, length) in enumerate(kinds_and_lengths)]


def test_a_text_within_the_budget_is_one_page():
    assert text_pages(blocks_of(("h", 10), ("p", TEXT_PAGE_CHARS - 10))) == [(0, 2)]
    assert text_pages([]) == [(0, 0)]


def test_a_long_text_is_cut_before_its_last_heading_when_that_leaves_the_page_half_full():
    third = (TEXT_PAGE_CHARS - 5) // 3
    # 一 (heading, three paragraphs), 二 (heading, three paragraphs): a page holds three paragraphs at most
    blocks = blocks_of(("h", 5), ("p", third), ("p", third), ("h", 5), ("p", third), ("p", third), ("p", third))
    assert text_pages(blocks) == [(0, 3), (3, 7)]  # cut before 二, not in its middle
    for start, end in text_pages(blocks):
        assert sum(len(b.raw) for b in blocks[start:end]) <= TEXT_PAGE_CHARS


def test_a_heading_too_early_to_cut_at_leaves_the_cut_where_the_page_is_full():
    half = TEXT_PAGE_CHARS // 2
    blocks = blocks_of(("p", 100), ("h", 5), ("p", half), ("p", half), ("p", half))
    # cutting before the heading would leave a page of 100 characters: the page is cut when full instead
    assert text_pages(blocks) == [(0, 3), (3, 5)]


def test_a_block_longer_than_the_budget_fills_a_page_of_its_own():
    blocks = blocks_of(("p", 10), ("p", TEXT_PAGE_CHARS * 2), ("p", 10))
    assert text_pages(blocks) == [(0, 1), (1, 2), (2, 3)]

