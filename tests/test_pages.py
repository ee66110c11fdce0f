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


def test_a_paragraph_tagged_with_a_second_theme_is_on_that_themes_page_too_marked_and_linked_to_its_main_one():
    from dataclasses import replace

    report = county()
    tagged = replace(report.blocks[1], tags=("livelihood",))  # growth, and 新建学校3所
    report = replace(report, blocks=(report.blocks[0], tagged, report.blocks[2]))
    livelihood = next(p for p in report_pages(report) if p.path == "county/livelihood.md").markdown
    assert "新建学校3所" in livelihood and "新建幼儿园2所" in livelihood
    shown = livelihood[livelihood.index('<div class="also-theme" data-search-ignore markdown>'):]
    assert shown.index("新建学校3所") < shown.index('主要讲<a href="../economy/">经济发展</a>') < shown.index("</div>")
    assert "1 段原文 · 另有 1 段兼及民生保障" in livelihood
    # Its figure stays on its main theme's page: no key figure here, as the livelihood paragraph has none.
    assert "## 关键数字" not in livelihood
    economy = next(p for p in report_pages(report) if p.path == "county/economy.md").markdown
    assert "also-theme" not in economy and "另有" not in economy


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


def test_the_home_page_shows_provincial_reports_newest_year_first_and_counts_the_others_by_province():
    older = county(slug="fujian-2025", place="福建省", level="省", year=2025, title="2025年福建省政府工作报告")
    newer = county(slug="fujian", place="福建省", level="省", title="2026年福建省政府工作报告")
    cities = [county(slug=f"city{n}", place=place, level="市", title=f"2026年{place}政府工作报告")
              for n, place in enumerate(("厦门市", "泉州市", "石家庄市"))]
    home = site_pages([older, newer, *cities, county()], [])[0]
    assert home.path == "index.md"
    assert home.markdown.index("fujian/index.md") < home.markdown.index("fujian-2025/index.md")
    # City and county reports are counted, not listed: the page does not grow with them.
    assert not [c.slug for c in cities if f"{c.slug}/index.md" in home.markdown]
    assert "另有 **4** 份市、县、区的报告" in home.markdown
    assert "[河北省（1份）](reports.md#2026-13)、[福建省（2份）](reports.md#2026-35)、[其他地方（1份）](reports.md#2026-00)" in home.markdown


@pytest.mark.parametrize("theme_id", ["economy", "urban-renewal", "livelihood", "culture"])
def test_every_theme_page_heading_names_the_report(theme_id):
    page = next(p for p in report_pages(county()) if p.path == f"county/{theme_id}.md")
    first_heading = next(line for line in page.markdown.splitlines() if line.startswith("# "))
    assert first_heading.startswith("# 2026年某县：")


def test_a_bare_title_gets_the_year_and_place_of_its_report():
    page = report_pages(county(title="政府工作报告"))[0].markdown
    assert "# 2026年某县政府工作报告" in page
    assert "# 2026年某县政府工作报告" in report_pages(county())[0].markdown  # a full title is left as it is


# ---------------------------------------------------------------- provenance and corrections (issue 10)

from build_scripts.flips import load_flips, parse_flips, word_change  # noqa: E402
from build_scripts.errors import InputError  # noqa: E402
from build_scripts.model import Correction  # noqa: E402
from build_scripts.pages import citation, corrections_page, meta_value, rule_source  # noqa: E402


def spun_county(**fields) -> Report:
    """A spun news article: an antonym (优势 → 劣势) in one paragraph, a synonym (发展 → 展开) in another."""
    blocks = (Block(0, "paragraph", "培育新动能新劣势。", "培育新动能新优势。"),
              Block(1, "paragraph", "推动经济展开。", "推动经济发展。"))
    fixes = (Correction(0, 6, "劣", "优", "lexicon:74"), Correction(1, 4, "展开", "发展", "override:3"))
    values = dict(shape="article", title="某县召开人代会 县长作政府工作报告", blocks=blocks, corrections=fixes,
                  reporter=("张三",), published="2026-01-20T09:00", presenter="县长李四", delivered="2026-01-18")
    return county(**{**values, **fields})


def page_of(report, name):
    return next(p for p in report_pages(report) if p.path.endswith(name))


def test_the_full_text_of_a_news_article_is_called_an_article_and_an_official_text_a_report():
    assert page_of(spun_county(), "report.md").title == "报道全文"
    assert "这是一篇新闻报道，不是政府工作报告原文" in page_of(spun_county(), "report.md").markdown
    assert page_of(county(), "report.md").title == "报告全文"


def test_an_antonym_restored_is_a_meaning_flip_and_a_synonym_is_not():
    segment = lambda text: list(text)  # noqa: E731  one character a word: the flip's own pair is the word
    flip = word_change("培育新动能新劣势。", Correction(0, 6, "劣", "优", "lexicon:74"), load_flips(), segment)
    assert (flip.spun, flip.restored, flip.flip.original) == ("劣", "优", "优")
    plain = word_change("推动经济展开。", Correction(1, 4, "展开", "发展", "lexicon:38"), load_flips(), segment)
    assert (plain.spun, plain.restored, plain.flip) == ("展开", "发展", None)


def test_a_two_character_antonym_is_found_when_only_one_character_changed():
    change = word_change("将片面贯彻落实", Correction(0, 1, "片", "全", "lexicon:170"), load_flips(), lambda t: list(t))
    assert (change.spun, change.restored) == ("片面", "全面") and change.flip


def test_the_flips_file_refuses_pairs_it_cannot_align():
    with pytest.raises(InputError, match="line 2: .*same length"):
        parse_flips("劣\t优\tgood written as bad\n地方\t央\tshort\n", "flips.tsv")


def test_the_corrections_page_sums_up_first_then_folds_each_changed_paragraph():
    page = corrections_page(spun_county())
    summary, _, folded = page.partition("## 逐段勘误")
    assert "恢复了 **2** 处文字" in summary and "**1** 处把原意改反了" in summary
    assert '<del class="flip">劣</del> → <ins class="flip">优</ins></span> 1 处' in summary
    assert folded.count("<details") == 2 and "<del>展开</del><ins>发展</ins>" in folded
    assert "新动能新<del class=\"flip\">劣</del><ins class=\"flip\">优</ins>势" in folded
    assert '<a href="../report/#p1">在报道全文中查看</a>' in folded


def test_the_corrections_page_names_sources_for_readers_and_no_rule_ids():
    page = corrections_page(spun_county())
    assert "词库 1 处、编辑指定 1 处" in page
    assert "lexicon" not in page and "override" not in page and "|---|" not in page  # no table to scroll sideways
    assert [rule_source(r) for r in ("lexicon:34", "override:3", "model:swap", "?")] == ["词库", "编辑指定", "语言模型判断", "其他"]


def test_a_report_without_corrections_says_plainly_that_nothing_was_changed():
    page = corrections_page(county())
    assert "本站没有改动其中任何一个字" in page and "<details" not in page


def test_suspect_reasons_are_shown_as_text():
    page = corrections_page(spun_county(suspects=({"word": "餐点", "block": 1, "offset": 0,
                                                   "reason": "<b>罕见词</b>"},)))
    assert "第 2 段：“餐点”" in page and "<b>" not in page


def test_page_titles_and_descriptions_name_place_and_year_and_are_escaped():
    home = page_of(county(), "index.md").markdown
    assert 'title: "2026年某县政府工作报告"' in home
    assert meta_value('某县"<script>') == '"某县&quot;&lt;script&gt;"'
    assert 'title: "勘误记录 · 2026年某县政府工作报告"' in page_of(county(), "corrections.md").markdown


def test_the_home_page_names_its_source_links_the_official_report_and_says_how_to_cite():
    report = county(outlet="某县日报", published="2026-01-20", delivered="2026-01-18", presenter="县长李四",
                    official_url="https://www.example.gov.cn/r.html?a=1&b=2")
    home = page_of(report, "index.md").markdown
    assert '<a href="https://www.example.gov.cn/r.html?a=1&amp;b=2" rel="external noopener noreferrer">www.example.gov.cn</a>' in home
    assert "如何引用" in home and "来源：某县日报，2026年1月20日" in home
    assert citation(report).startswith("某县县长李四：《2026年某县政府工作报告》，2026年1月18日。")


def test_a_news_article_is_cited_as_an_article_by_its_reporters():
    cited = citation(spun_county())
    assert cited.startswith("张三：《某县召开人代会——县长作政府工作报告》，原发媒体不明，2026年1月20日。")
    home = page_of(spun_county(), "index.md").markdown
    assert "一篇新闻报道，讲的是县长李四2026年1月18日所作的政府工作报告，不是报告原文" in home
    assert "本站没有找到官方发布的原文链接" in home


def test_the_overview_says_how_many_corrections_reversed_a_meaning():
    home = page_of(spun_county(), "index.md").markdown
    assert "恢复的 2 处文字，其中 1 处原意被改反。" in home


def test_search_skips_a_theme_pages_lead_keywords_and_key_figures_but_not_its_paragraphs():
    page = next(p for p in report_pages(county()) if p.path == "county/livelihood.md").markdown
    lead = next(line for line in page.splitlines() if line.startswith('<p class="lead"'))
    description = next(t for t in load_themes() if t.id == "livelihood").lead
    assert lead.startswith('<p class="lead" data-search-ignore>') and description in lead
    assert '<p class="keywords" aria-label="关键词" data-search-ignore>' in page
    if "## 关键数字" in page:
        assert page.split("## 关键数字", 1)[1].lstrip().startswith("<div data-search-ignore>")


# ---------------------------------------------------------------- issue 23: a hostile title on every page

HOSTILE_TITLE = "2026年**某县**<script>alert(1)</script>&amp;政府工作报告"


def front_matter(markdown_text: str) -> dict:
    """The YAML front matter of a page, parsed as MkDocs parses it (an empty dict when it has none)."""
    import yaml

    if not markdown_text.startswith("---\n"):
        return {}
    return yaml.safe_load(markdown_text[4:markdown_text.index("\n---\n", 4)])


def test_no_page_of_a_report_shows_its_title_as_markup():
    # The full-text page's heading once printed the title unescaped while the overview's test passed.
    from test_markup import site_markdown, visible

    def rendered(title):
        pages = report_pages(county(title=title, place="", year=None))
        # front matter is no Markdown (tested below)
        return [(page.path, visible(site_markdown().convert(page.markdown.split("\n---\n", 1)[-1]))) for page in pages]

    plain = rendered("2026年某县政府工作报告")
    for (path, (text, tags)), (_, (_, plain_tags)) in zip(rendered(HOSTILE_TITLE), plain):
        # The same tags as under a plain title: the title's ** and <script> made none.
        assert [tag for tag, _ in tags] == [tag for tag, _ in plain_tags], path
        if path.endswith(("index.md", "report.md")):  # the two pages headed by the title itself
            assert HOSTILE_TITLE in text, path


def test_every_front_matter_parses_even_with_characters_yaml_refuses_and_holds_no_markup():
    # A C1 control or U+FFFE in a title broke the front matter; MkDocs then showed it as Markdown, HTML and all.
    title = "2026年某县\x85政府\ufffe工作\u2028报告<img src=x onerror=alert(1)>𠀀"
    for page in report_pages(county(title=title, place="", year=None)):
        meta = front_matter(page.markdown)
        header = page.markdown.split("\n---\n", 1)[0]
        assert "<" not in header and "\x85" not in header and "\ufffe" not in header, page.path
        assert isinstance(meta, dict), page.path
        # The theme prints title and description unescaped, so they hold the text HTML-escaped; the oEmbed
        # titles hold the text itself (overrides/partials/oembed-links.html escapes them).
        assert "<img" not in meta.get("title", "") + meta.get("description", ""), page.path
        assert all("onerror=alert(1)>𠀀" in link["title"] for link in meta.get("oembed", [])), page.path
