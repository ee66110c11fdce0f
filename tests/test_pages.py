"""Pages: each report's pages from templates, with copy from the report's own text or neutral templates."""
import pytest

from build_scripts.classify import load_themes
from build_scripts.model import Block, Figure, Report
from build_scripts.pages import (key_figures, nav_name, report_name, report_pages, site_pages, summary_block,
                                 theme_lead)


def paragraph(index, text, theme=None, figures=(), part=None):
    return Block(index, "paragraph", text, text, theme=theme, figures=figures, part=part)


def county(**fields) -> Report:
    growth = Figure(5.2, "%", "5.2%", label="地区生产总值增长", base_value=5.2, base_unit="%", period="2025",
                    kind="result", block=1, start=13, end=17, sentence="全县地区生产总值增长5.2%。")
    blocks = (paragraph(0, "各位代表，现在我代表县人民政府向大会报告工作。"),
              paragraph(1, "过去一年，全县地区生产总值增长5.2%，新建学校3所。", "economy", (growth,), "一、2025年工作回顾"),
              paragraph(2, "今年将新建幼儿园2所，改善群众就医条件。", "livelihood", (), "二、2026年工作安排"))
    values = dict(slug="county", source="seeds/county.txt", title="2026年某县政府工作报告", shape="official",
                  place="某县", level="县", year=2026, blocks=blocks)
    values.update(fields)
    return Report(**values)


def test_a_report_is_named_by_year_and_place_or_else_by_its_title():
    assert report_name(county()) == "2026年某县"
    assert nav_name(county()) == "某县（2026年）"
    assert report_name(county(place="")) == "2026年某县政府工作报告"


def test_every_page_of_a_report_lives_under_its_slug():
    paths = [p.path for p in report_pages(county())]
    assert paths == ["county/index.md", "county/economy.md", "county/urban-renewal.md", "county/livelihood.md",
                     "county/culture.md", "county/report.md", "county/corrections.md", "county/data.md"]


def test_theme_leads_say_only_what_the_report_says():
    theme = next(t for t in load_themes() if t.id == "economy")
    lead = theme_lead(theme, [1, 2], [object()] * 3, ["消费", "投资"])
    assert "2 段讲经济发展" in lead and "3 个数字" in lead and "消费、投资" in lead
    empty = theme_lead(theme, [], [], [])
    assert "没有专门讲这方面的段落" in empty


def test_the_neutral_theme_descriptions_name_no_place():
    for theme in load_themes():
        assert not any(place in theme.lead for place in ("思明", "厦门", "福建", "省", "区委"))


def test_an_empty_theme_page_says_so_instead_of_showing_nothing():
    culture = next(p for p in report_pages(county()) if p.path == "county/culture.md")
    assert "没有专门讲文化" in culture.markdown


def test_the_summary_of_an_official_report_is_its_paragraph_with_the_most_figures():
    assert summary_block(county()).index == 1
    assert summary_block(county(shape="article")).index == 0  # a news article's lead sums it up


def test_headline_cards_prefer_whole_year_results_to_plans_and_part_years():
    plan = Figure(9, "亿元", "9亿元", base_value=9e8, base_unit="元", period="2026", kind="plan")
    partial = Figure(8, "亿元", "8亿元", base_value=8e8, base_unit="元", period="2025", kind="result", partial=True)
    result = Figure(1, "亿元", "1亿元", base_value=1e8, base_unit="元", period="2025", kind="result")
    assert key_figures([plan, partial, result]) == [result]


def test_report_text_in_a_title_is_shown_as_text_not_markup():
    page = report_pages(county(title="2026年**某县**<script>x</script>政府工作报告"))[0].markdown
    assert "<script>" not in page and "**某县**" not in page


def test_the_site_pages_list_every_report_newest_year_first():
    older = county(slug="county-2025", year=2025, title="2025年某县政府工作报告")
    home = site_pages([older, county()], [])[0]
    assert home.path == "index.md"
    assert home.markdown.index("county/index.md") < home.markdown.index("county-2025/index.md")


@pytest.mark.parametrize("theme_id", ["economy", "urban-renewal", "livelihood", "culture"])
def test_every_theme_page_heading_names_the_report(theme_id):
    page = next(p for p in report_pages(county()) if p.path == f"county/{theme_id}.md")
    assert page.markdown.startswith("# 2026年某县：")


def test_a_bare_title_gets_the_year_and_place_of_its_report():
    page = report_pages(county(title="政府工作报告"))[0].markdown
    assert "# 2026年某县政府工作报告" in page
    assert "# 2026年某县政府工作报告" in report_pages(county())[0].markdown  # a full title is left as it is
