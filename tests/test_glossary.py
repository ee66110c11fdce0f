"""Glossary: terms explained once, tooltips through Python-Markdown's abbreviation syntax."""
from pathlib import Path

import markdown
import pytest

from build_scripts.errors import InputError
from build_scripts.glossary import (CjkAbbrExtension, Term, abbreviations, load_glossary, report_text, terms_in,
                                    unused_terms)
from build_scripts.model import Block, Report
from build_scripts.parse import parse

RESTORED = Path(__file__).resolve().parent / "fixtures" / "seed_000_restored.txt"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ISSUE_TERMS = ["新质生产力", "“十优”区", "智改数转", "免申即享", "一网统管", "城中村改造", "房票", "正本清源",
               "一老一小", "金鸡效应", "九八投洽会", "数实融合", "城中村现代化治理", "大思政课", "“三合一”场所",
               "污水“两高”"]


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


@pytest.fixture(scope="module")
def restored():
    return parse(RESTORED.read_text(encoding="utf-8"), "seed_000_restored")


def test_the_glossary_covers_the_terms_the_issue_names(glossary):
    assert set(ISSUE_TERMS) <= {t.term for t in glossary}


def test_every_glossary_term_occurs_in_some_report_and_a_local_one_in_its_own(glossary, restored):
    # The seed as restored by hand (its spun text hides some terms), the other seeds as they are.
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    texts[restored.slug if restored.slug in texts else "000_89c8bcedadaad6b3"] = RESTORED.read_text(encoding="utf-8")
    for term in glossary:
        spellings = (term.term, *term.aliases)
        where = [slug for slug, text in texts.items() if any(s in text for s in spellings)]
        assert where, f"{term.term}: no report uses it"
        if term.report:
            assert term.report in where, term.term


def test_most_glossary_terms_are_the_genre_s_not_one_report_s(glossary):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")]
    shared = [t for t in glossary if not t.report
              and sum(1 for text in texts if any(s in text for s in (t.term, *t.aliases))) >= 10]
    assert len(shared) >= 20, [t.term for t in shared]


def test_explanations_are_short_single_line_and_full_width(glossary):
    for term in glossary:
        assert 0 < len(term.explanation) <= 80, term.term
        assert term.explanation.endswith("。"), term.term
        assert not set(",;:?!()") & set(term.explanation), term.term
        assert term.note, term.term


def test_fang_piao_is_explained_as_the_issue_words_it(glossary):
    fang_piao = next(t for t in glossary if t.term == "房票")
    assert fang_piao.explanation == "征收安置时以房票代替实物安置房，被征收人可凭票购买商品房。"


def test_abbreviations_render_as_abbr_through_python_markdown(glossary):
    zhi_gai = [t for t in glossary if t.term == "智改数转"]
    source = "推进企业“智改数转”。\n\n" + abbreviations(zhi_gai)
    html = markdown.markdown(source, extensions=["abbr"])
    assert html == ('<p>推进企业“<abbr title="智能化改造、数字化转型的简称，指企业用工业互联网、人工智能等技术改造生产和管理。">'
                    '智改数转</abbr>”。</p>')


def test_every_spelling_of_a_term_gets_a_definition_line(glossary):
    shi_you = [t for t in glossary if t.term == "“十优”区"]
    lines = abbreviations(shi_you).splitlines()
    assert [line.split("]:")[0] for line in lines] == ["*[“十优”区", "*[十优区"]
    assert abbreviations([]) == ""


def test_stock_abbr_misses_a_term_inside_chinese_text_but_the_cjk_extension_finds_it(glossary):
    source = "加速发展新质生产力，连续四年蝉联全省城市发展“十优”区首位。\n\n" + abbreviations(glossary)
    stock = markdown.markdown(source, extensions=["abbr"])
    cjk = markdown.markdown(source, extensions=[CjkAbbrExtension()])
    assert "<abbr" not in stock  # \b finds no boundary between 展 and 新
    assert cjk.count("<abbr") == 2
    assert ">新质生产力</abbr>" in cjk and ">“十优”区</abbr>" in cjk


def test_cjk_extension_replaces_the_stock_one_when_both_are_loaded_and_by_module_name(glossary):
    source = "发展新质生产力\n\n" + abbreviations(glossary)
    assert "<abbr" in markdown.markdown(source, extensions=["abbr", CjkAbbrExtension()])
    assert "<abbr" in markdown.markdown(source, extensions=["build_scripts.glossary"])


def test_cjk_extension_still_refuses_a_term_glued_to_latin_letters():
    terms = [Term("AI", "人工智能。")]
    html = markdown.markdown("AIGC 与 AI赋能\n\n" + abbreviations(terms), extensions=[CjkAbbrExtension()])
    assert html.count("<abbr") == 1 and "AIGC" in html


def test_terms_in_finds_aliases_in_order_of_first_occurrence(glossary):
    found = terms_in("思明区入选十优区，推进房票制度和城中村改造。", glossary)
    assert [t.term for t in found] == ["“十优”区", "房票", "城中村改造"]


def test_unused_terms_lists_the_terms_a_report_never_mentions(glossary):
    report = Report(slug="x", source="x", title="标题",
                    blocks=(Block(0, "paragraph", "", "推进城中村改造，发放房票。", part="回眸2024"),))
    unused = {t.term for t in unused_terms(report, glossary)}
    assert "房票" not in unused and "城中村改造" not in unused and "新质生产力" in unused
    assert "推进城中村改造" in report_text(report)


@pytest.mark.parametrize("entry, message", [
    ("  - {term: 房票, note: 为什么}\n", "'explanation' must be a non-empty text"),
    ("  - {term: 房票, explanation: 一句话。}\n", "'note' must be a non-empty text"),
    ("  - {term: 房票, explanation: '以房票代替实物安置房, 可买商品房。', note: 为什么}\n", "full-width punctuation"),
    ("  - {term: 房票, explanation: " + "很长" * 41 + "。, note: 为什么}\n", "keep it to 80"),
    ("  - {term: 房票, explanation: 一句话。, note: 为什么, alias: [票]}\n", "unknown key(s) alias"),
    ("  - {term: 房票, explanation: 一句话。, note: 为什么}\n  - {term: 票, aliases: [房票], explanation: 一句话。, note: 重复}\n",
     "'房票' is already a spelling of 房票"),
])
def test_a_malformed_glossary_entry_is_rejected_naming_the_file_and_the_term(tmp_path, entry, message):
    path = tmp_path / "glossary.yml"
    path.write_text("terms:\n" + entry, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_glossary(path)
    assert str(path) in str(err.value) and message in str(err.value) and "(line " in str(err.value)


def test_a_local_explanation_is_shown_only_in_its_own_report():
    from build_scripts.glossary import Term, terms_of
    from build_scripts.model import Block, Report

    local = Term("正本清源", "某区的排水改造工程。", note="地方用语", report="district")
    general = Term("新质生产力", "先进生产力。", note="通用")
    text = "坚持正本清源，发展新质生产力。"
    block = Block(0, "paragraph", text, text)
    district = Report(slug="district", source="d.txt", title="t", blocks=(block,))
    province = Report(slug="province", source="p.txt", title="t", blocks=(block,))
    assert [t.term for t in terms_of(district, [local, general])] == ["正本清源", "新质生产力"]
    assert [t.term for t in terms_of(province, [local, general])] == ["新质生产力"]


# ---------------------------------------------------------------- order, anchors, keyboard stops


def test_the_glossary_is_ordered_by_pinyin_like_a_chinese_dictionary():
    from build_scripts.glossary import sort_key

    terms = [Term(t, "解释。") for t in ("一老一小", "房票", "“十优”区", "安商房", "城中村改造", "智改数转")]
    # an shang fang, cheng zhong cun, fang piao, shi you qu, yi lao, zhi gai: read off the terms, not the code
    assert [t.term for t in sorted(terms, key=sort_key)] == ["安商房", "城中村改造", "房票", "“十优”区", "一老一小",
                                                            "智改数转"]


def test_each_term_gets_a_stable_ascii_anchor_and_homophones_do_not_collide():
    from build_scripts.glossary import anchors

    terms = [Term("房票", "解释。"), Term("“十优”区", "解释。"), Term("仿票", "同音。")]
    assert anchors(terms) == {"房票": "fang-piao", "仿票": "fang-piao-2", "“十优”区": "shi-you-qu"}


def test_the_first_use_of_a_term_on_a_page_is_a_keyboard_stop_and_later_uses_are_not():
    terms = [Term("房票", "以房票代替实物安置房。"), Term("智改数转", "智能化改造。")]
    source = "[房票说明](x)，发放房票，推进智改数转；再发房票。\n\n" + abbreviations(terms)
    html = markdown.markdown(source, extensions=[CjkAbbrExtension()])
    assert html.count("<abbr") == 4 and html.count('tabindex="0"') == 2
    # inside the link the term is reached through the link, so the stop goes to the next use
    assert '<a href="x"><abbr title="以房票代替实物安置房。">房票</abbr>说明</a>' in html
    assert '发放<abbr tabindex="0" title="以房票代替实物安置房。">房票</abbr>' in html


def test_the_glossary_page_says_how_to_see_an_explanation_and_lists_terms_under_their_anchors(glossary):
    from build_scripts.pages import glossary_page

    text = glossary_page([t for t in glossary if t.term in ("房票", "安商房")], [])
    assert "点按或悬停" in text and "鼠标" not in text
    assert text.index("## 安商房 { #an-shang-fang }") < text.index("## 房票 { #fang-piao }")
    assert "boost: 0.1" in text.split("---")[1]  # the glossary comes after report pages in search


# ---------------------------------------------------------------- tooltips in a real browser


TERM = '.md-content abbr[tabindex="0"]'
TOOLTIP = '.md-tooltip2[role="tooltip"]'


@pytest.fixture(scope="module")
def theme_page_url(built_site):
    from conftest import serve

    with serve(built_site) as url:
        yield url + "000_89c8bcedadaad6b3/economy/"


def shown_tooltip(page):
    """The text of the tooltip on screen, or None."""
    page.wait_for_timeout(400)  # the theme fades a tooltip in on the next animation frame
    node = page.locator(f"{TOOLTIP}.md-tooltip2--active")
    return node.inner_text() if node.count() and node.is_visible() else None


def test_tapping_a_term_on_a_phone_shows_its_explanation(browser, theme_page_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(theme_page_url, wait_until="networkidle")
    term = page.locator(TERM).first
    explanation = term.get_attribute("title")
    term.scroll_into_view_if_needed()
    term.tap()
    assert shown_tooltip(page) == explanation
    tooltip_id = page.locator(TOOLTIP).first.get_attribute("id")
    assert term.get_attribute("aria-describedby") == tooltip_id
    box = page.locator(TOOLTIP).first.locator(".md-tooltip2__inner").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # the explanation fits on the phone's screen
    page.locator("h1").tap()
    assert shown_tooltip(page) is None
    context.close()


def test_keyboard_focus_shows_the_explanation_and_escape_closes_it(browser, theme_page_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(theme_page_url, wait_until="networkidle")
    terms = page.locator(TERM)
    first, second = terms.nth(0), terms.nth(1)
    explanation = first.get_attribute("title")
    first.focus()
    assert shown_tooltip(page) == explanation
    page.keyboard.press("Escape")
    assert shown_tooltip(page) is None
    second_explanation = second.get_attribute("title")
    second.focus()  # moving on to another term shows its explanation again
    assert shown_tooltip(page) == second_explanation
    context.close()
