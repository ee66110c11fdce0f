"""Rendering cleaned text as Markdown: escaping, marks and Chinese punctuation."""
import markdown

from build_scripts.markup import correction_spans, escape_markdown, full_width_punctuation, render_text
from build_scripts.model import Block, Correction, Figure


def html(text: str) -> str:
    return markdown.markdown(text)


def test_ascii_punctuation_between_chinese_becomes_full_width_without_changing_length():
    text = "12月25日,厦门市思明区(文/记者):好!1,000元,12.6%"
    result = full_width_punctuation(text)
    assert result == "12月25日，厦门市思明区（文/记者）：好！1,000元，12.6%"
    assert len(result) == len(text)


def test_markdown_syntax_in_the_text_stays_literal():
    assert html(escape_markdown("*重点*_项目_ [链接](x) <b>")) == "<p>*重点*_项目_ [链接](x) &lt;b&gt;</p>"
    assert html(escape_markdown("1. 不是列表")) == "<p>1. 不是列表</p>"


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
