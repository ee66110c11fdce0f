"""Charts stage: default charts from the data, curation, and the embedded HTML fragment."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from build_scripts import charts
from build_scripts.charts import Chart, build_charts, chart_html, comparable_pairs, same_measure
from build_scripts.errors import InputError
from build_scripts.model import Block, Figure, Report
from build_scripts.parse import parse, read_seed
from build_scripts.pipeline import run_stages

NO_CURATION = Path("/nonexistent/charts.yml")


@pytest.fixture(scope="module")
def seed_report(seed_path) -> Report:
    return run_stages(parse(read_seed(seed_path), str(seed_path)))


@pytest.fixture(scope="module")
def seed_charts(seed_report) -> tuple[Chart, ...]:
    return build_charts(seed_report, NO_CURATION)


def small_report(*paragraphs: tuple[str, str], theme: str = "livelihood") -> Report:
    """A report of (part heading, paragraph) pairs, already through the figures stage."""
    from build_scripts.figures import extract_figures
    blocks = []
    for part, text in paragraphs:
        blocks.append(Block(len(blocks), "heading", part, part, level=1, part=part))
        blocks.append(Block(len(blocks), "paragraph", text, text, part=part, theme=theme))
    return extract_figures(Report(slug="small", source="small.txt", title="t", blocks=tuple(blocks)))


RESULTS = "回眸2024:实干"
PLANS = "展望2025:奋进"


# ---------------------------------------------------------------- defaults on the seed

# What a reader found on the seed's site: unrelated things on one axis because they share a unit.
MIXED = [
    {730, 497, 167, 10.4, 4},  # 旅游消费, 注册资本, 授信额度, 国债, 大宗消费: all 亿元, nothing alike
    {2570, 83, 17, 5},  # 学位, 助餐点, 托育点, 社区: all 个
    {479, 2},  # 老旧小区 beside 城中村 and 口袋公园
    {600, 210},  # 停车位 beside 建筑小区
]


@pytest.mark.parametrize("values", MIXED)
def test_figures_that_only_share_a_unit_never_share_a_chart(seed_charts, values):
    for chart in seed_charts:
        assert len({f.value for f in chart.figures} & values) <= 1, chart.title


def test_a_plans_capacity_is_never_set_beside_a_years_result(seed_charts):
    # 2570 school places added in 2024 against 13680 that 19 projects "can add" once finished
    assert not [c for c in seed_charts if {f.value for f in c.figures} >= {2570, 13680}]
    report = small_report((RESULTS, "增加学位2570个。"), (PLANS, "确保19个项目顺利竣工，可增加学位13680个。"))
    assert build_charts(report, NO_CURATION) == ()


def test_the_same_measure_as_a_result_and_a_plan_is_one_comparison_chart():
    report = small_report((RESULTS, "新增学位2570个。"), (PLANS, "新增学位3000个。"))
    [chart] = build_charts(report, NO_CURATION)
    assert [s["name"] for s in chart.options["series"]] == ["2024年成绩", "2025年目标"]
    assert [s["data"][0]["value"] for s in chart.options["series"]] == [2570, 3000]
    assert chart.title == "新增学位：2024年成绩与2025年目标（个）"


def test_a_chart_states_its_finding_and_keeps_what_it_shows_as_its_subtitle():
    report = small_report((RESULTS, "新增学位2570个。"), (PLANS, "新增学位3000个。"))
    [chart] = build_charts(report, NO_CURATION)
    assert chart.finding == "新增学位：2024年成绩2570个，2025年目标3000个"
    fragment = chart_html(chart, "../report/", credit="数据来源：某报告。制图：本站", cite="本站：《…》（图表）。")
    caption = fragment.split("<figcaption", 1)[1].split("</figcaption>", 1)[0]
    assert caption.index(chart.finding) < caption.index(chart.title)
    # Headline above the chart as a published chart has it; unit, source and citation under it.
    assert fragment.index("</figcaption>") < fragment.index("report-chart__canvas") < fragment.index("单位：个")
    source = fragment.split('<p class="report-chart__source">', 1)[1].split("</p>", 1)[0]
    assert source.index("单位：个") < source.index("来源：") < source.index("引用：")
    assert 'data-credit="数据来源：某报告。制图：本站"' in fragment


def test_a_ranked_chart_names_its_largest_and_smallest_bar_and_a_value_most_share():
    report = small_report((RESULTS, "兑现就业补贴2413万元，兑现生活补贴7456万元，发放租房补贴1.14亿元。"))
    [chart] = build_charts(report, NO_CURATION)
    assert chart.finding == "租房补贴最多，为1.14亿元；兑现就业补贴最少，为2413万元"  # the bars as named
    from build_scripts.figures import find_figures

    rates = [f for text in ("甲增长5%左右", "乙增长5%左右", "丙增长7%以上", "丁增长5%左右", "戊增长4.5%")
             for f in find_figures(text)]
    assert len(rates) == 5
    found = charts.ranked_finding(["甲", "乙", "丙", "丁", "戊"], rates, items="份报告")
    assert found == "丙最高，为7%以上；戊最低，为4.5%；3份报告为5%左右"


def test_a_finding_reads_as_a_sentence_whatever_the_figures_say():
    from build_scripts.figures import find_figures

    amounts = [f for text in ("甲地区生产总值达14.2万亿元", "乙地区生产总值5696亿元") for f in find_figures(text)]
    assert charts.ranked_finding(["甲", "乙"], amounts) == "甲最多，达14.2万亿元；乙最少，为5696亿元"
    results = [f for text in ("增长5.5%", "增长6%") for f in find_figures(text)]
    plans = [f for text in ("增长5%左右", "增长5.5%左右") for f in find_figures(text)]
    assert charts.comparison_finding(["甲", "乙"], list(zip(results, plans)), "2024年成绩", "2025年目标") == \
        "2项指标的2025年目标都不高于2024年成绩"


def test_a_target_stated_in_the_summary_and_again_in_its_section_is_one_bar():
    report = small_report((PLANS, "年度目标：全省农村劳动力转移就业1500万人以上，城镇新增就业50万人以上，带动就业12万人。"),
                          (PLANS, "农村劳动力转移就业1500万人以上。"))
    groups = [c for c in build_charts(report, NO_CURATION) if not c.id.endswith("compare")]
    assert groups, "the three kinds of jobs make one chart"
    values = [f.base_value for c in groups for f in c.figures]
    assert sorted(values) == sorted(set(values)) and len(values) == 3


@pytest.mark.parametrize("stock, flow", [("专精特新中小企业", "培育专精特新中小企业"), ("省级共享农庄", "认定省级共享农庄"),
                                         ("一老一小幸福院", "建设一老一小幸福院")])
def test_what_a_year_adds_is_not_what_there_is(stock, flow):
    assert not same_measure(stock, flow)
    assert same_measure(flow, "新建" + stock)  # the verbs of adding are one word


def test_a_verb_of_adding_written_with_新_is_one_verb_of_adding():
    # anhui 2025 (in-sample): 新增高技能人才41.7万人 last year, 新培育高技能人才12万人 this year; 新培育 was read as
    # 新 + 培育 (新新增…), one character more than 新增…, so the pair was lost
    assert same_measure("新增高技能人才", "新培育高技能人才")
    assert same_measure("新培育百亿企业", "新增百亿企业")
    assert same_measure("新认定省级概念验证中心", "新增省级概念验证中心")
    assert not same_measure("新培育高技能人才", "高技能人才")


def test_a_generic_noun_alone_is_not_one_measure():
    # 18 financial clusters built are not 7 large industrial clusters planned
    assert not same_measure("集聚区", "大型产业集聚区")


def test_five_years_of_results_are_not_set_beside_one_years_plan():
    report = small_report((RESULTS, "这五年，新增学位25000个。"), (PLANS, "新增学位3000个。"))
    assert build_charts(report, NO_CURATION) == ()


def test_names_written_in_chinese_numerals_are_not_compared():
    report = small_report((RESULTS, "深入贯彻中央八项规定精神学习教育。"), (PLANS, "巩固中央八项规定精神学习教育成果。"))
    assert build_charts(report, NO_CURATION) == ()


def test_items_of_one_family_in_one_period_make_a_chart_titled_by_what_it_counts():
    report = small_report((RESULTS, "兑现就业补贴2413万元，兑现生活补贴7456万元，发放租房补贴1.14亿元。"))
    [chart] = build_charts(report, NO_CURATION)
    assert chart.title == "2024年成绩：发放的各项补贴（万元）"
    assert chart.id == "livelihood-yuan-2024-subsidy"
    assert [d["value"] for d in chart.options["series"][0]["data"]] == [11400, 7456, 2413]


def test_two_items_of_a_family_stay_cards():
    report = small_report((RESULTS, "兑现就业补贴2413万元，发放租房补贴1.14亿元。"))
    assert build_charts(report, NO_CURATION) == ()


def test_part_year_figures_are_charted_apart_and_named_by_their_months():
    report = small_report((RESULTS, "前三季度发放消费补贴100万元、就业补贴200万元、租房补贴300万元。"
                                    "全年发放养老补贴400万元。"))
    [chart] = build_charts(report, NO_CURATION)
    assert {f.value for f in chart.figures} == {100, 200, 300}
    assert chart.options["series"][0]["name"] == "2024年前三季度"
    assert chart.title.startswith("2024年前三季度：") and chart.id.endswith("-part")


def test_every_bar_names_the_period_of_its_own_figure(seed_charts):
    for chart in seed_charts:
        for series, figures in zip(chart.options["series"], charts._figures_by_series(chart)):
            assert {charts.period_text(f) for f in figures} == {series["name"]}


def test_every_chart_has_a_unit_a_description_and_a_source_for_each_bar(seed_charts):
    assert seed_charts
    for chart in seed_charts:
        assert chart.unit and chart.unit in chart.title
        assert chart.description.startswith("条形图") and len(chart.description) > 20
        assert all(f.sentence and f.text in f.sentence for f in chart.figures)
        bars = sum(len(s["data"]) for s in chart.options["series"])
        assert bars == len(chart.figures)


def test_a_chart_puts_only_one_base_unit_and_one_period_on_its_axis(seed_charts):
    assert seed_charts
    for chart in seed_charts:
        assert len({f.base_unit for f in chart.figures}) == 1
        if len(chart.options["series"]) == 1:
            assert len({f.period for f in chart.figures}) == 1


def test_bars_are_ordered_by_value_and_capped(seed_charts):
    for chart in seed_charts:
        if len(chart.options["series"]) == 1:
            values = [item["value"] for item in chart.options["series"][0]["data"]]
            assert values == sorted(values, reverse=True)
            assert charts.MIN_ITEMS <= len(values) <= charts.MAX_BARS


def test_money_is_shown_in_a_readable_magnitude(seed_charts):
    money = next(c for c in seed_charts if c.id == "livelihood-yuan-2024-subsidy")
    assert money.unit == "万元"
    assert money.options["series"][0]["data"][0]["value"] == 11400  # 1.14亿元 among 7456万元 and 2413万元


def test_bare_magnitudes_are_never_bars(seed_report, seed_charts):
    never = {(f.block, f.start) for b in seed_report.blocks for f in b.figures if f.text in ("万亿", "超亿元")}
    assert len(never) >= 2  # 万亿, 超亿元
    charted = {(f.block, f.start) for c in seed_charts for f in c.figures}
    assert not charted & never


def test_ranks_and_runs_of_years_are_not_even_figures_of_the_seed(seed_report):
    figures = [f for b in seed_report.blocks for f in b.figures]
    assert not [f.text for f in figures if f.base_unit in ("名次", "年") or f.text in ("首位", "四年", "第三位")]


@pytest.mark.parametrize("one, other", [
    ("民间投资增长", "工业投资增长"),  # they end alike, but invest in other things
    ("居民人均可支配收入增长", "农村居民人均可支配收入增长"),  # rural residents are part of the residents
    ("城镇居民人均可支配收入增长", "农村居民人均可支配收入增长"),
    ("地区生产总值", "人均地区生产总值"),
    ("高新技术企业", "全县拥有高新技术企业"),  # what there is, not what a year fosters
    ("农业龙头企业", "省级农业龙头企业"),  # the province's recognised ones only
    ("一般性支出压减", "省级一般性支出压减"),  # the provincial government's own spending only
    # issue 22: a word of scope before the same words names a part (of the firms, projects or schools)
    ("工业增加值增长", "规模工业增加值增长"),  # Hunan's spelling of 规模以上
    ("项目投资增长", "工业项目投资增长"),
    ("幼儿园", "公办幼儿园"),
    ("投资增长", "民间投资增长"),
    ("产业投资", "新能源产业投资突破"),
])
def test_labels_of_other_measures_or_scopes_are_not_one_measure(one, other):
    assert not same_measure(one, other)


@pytest.mark.parametrize("one, other", [
    ("地区生产总值增长", "全省地区生产总值增长"),
    ("新增普惠性托位", "增设普惠性托位"),
    ("城镇新增就业", "城镇新增就业"),
])
def test_labels_that_differ_only_in_who_and_when_are_one_measure(one, other):
    assert same_measure(one, other)


def test_one_industrys_investment_is_no_result_of_a_target_for_all_industrial_investment():
    # 吉林 2025: the result names the new-energy industry only, the target all industrial investment
    report = small_report((RESULTS, "新增风光装机超过600万千瓦，新能源产业投资突破1100亿元。"),
                          (PLANS, "产业投资超过1300亿元，新能源装机600万千瓦以上。"))
    assert comparable_pairs(charts.report_figures(report)) == []


def test_labels_that_name_the_measure_in_full_stay_one_measure():
    assert same_measure("研发投入强度", "全社会研发投入强度")  # the whole society's, as 研发投入强度 means
    assert same_measure("进出口总额", "外贸进出口总额")


def test_chart_ids_are_stable_ascii_slugs(seed_charts):
    ids = [c.id for c in seed_charts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


def test_two_builds_give_the_same_charts_and_html(seed_report):
    first, second = build_charts(seed_report, NO_CURATION), build_charts(seed_report, NO_CURATION)
    assert first == second
    assert [chart_html(c, "../report/") for c in first] == [chart_html(c, "../report/") for c in second]


def test_options_hold_no_random_chart_id(seed_charts):
    text = json.dumps([c.options for c in seed_charts])
    assert not re.search(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-", text)


def test_a_new_report_without_curation_gets_sensible_charts():
    report = small_report(
        (RESULTS, "新建学校3所、幼儿园5所,新增托位300个、新增学位1200个,发放补贴2000万元。"),
        (PLANS, "新增学位1500个,新增托位400个。"),
    )
    built = build_charts(report, NO_CURATION)
    titles = [c.title for c in built]
    assert any("2024年成绩与2025年目标" in t for t in titles), titles
    compare = next(c for c in built if len(c.options["series"]) == 2)
    assert len(compare.figures) == 4  # 学位 and 托位, each in both years
    assert all(len(c.figures) >= 2 for c in built)


def test_a_lone_figure_of_its_unit_gets_no_chart():
    report = small_report((RESULTS, "发放补贴2000万元,新增学位1200个。"))
    assert build_charts(report, NO_CURATION) == ()


@pytest.mark.parametrize("one, other, same", [
    ("增加学位", "增加学位", True),
    ("新增学位", "增加学位", False),
    ("老年助餐点服务人数", "老年助餐服务点", False),
    ("新增普惠性托位", "增设普惠性托位", True),
    ("改造", "改造", False),  # too bare to be one measure
    ("总投资", "总投资", False),  # of which projects?
    ("地区生产总值增长", "全省地区生产总值增长", True),
    ("人均地区生产总值", "全省地区生产总值突破", False),  # per head is not the total
    ("国家区域医疗中心", "国家区域医疗中心二期项目全部开工", False),  # a phase of the centres is not the centres
])
def test_labels_name_the_same_measure_only_when_they_end_alike(one, other, same):
    assert same_measure(one, other) is same


# ---------------------------------------------------------------- curation

def write(tmp_path, text: str) -> Path:
    path = tmp_path / "charts.yml"
    path.write_text(text, encoding="utf-8")
    return path


def seed_curation(tmp_path, slug, entries: str) -> Path:
    return write(tmp_path, f"reports:\n  {slug}:\n{entries}")


SUBSIDY = "livelihood-yuan-2024-subsidy"


def events_2024(seed_report) -> str:
    """The anchors of the seed's events of 2024 (场), for a chart an editor makes."""
    figures = [f for b in seed_report.blocks for f in b.figures if f.unit == "场" and f.period == "2024"]
    return ", ".join(f"f{f.block}-{f.start}" for f in figures)


def test_curation_retitles_orders_and_excludes(tmp_path, seed_report, seed_charts):
    path = seed_curation(tmp_path, seed_report.slug,
                         f"    - {{chart: events, title: 举办的活动（场）, figures: [{events_2024(seed_report)}], note: new}}\n"
                         f"    - {{chart: events, order: 1, title: 编辑定的标题（场）, note: lead}}\n")
    curated = build_charts(seed_report, path)
    assert [c.id for c in curated] == ["events", SUBSIDY]
    assert curated[0].title == "编辑定的标题（场）" and "编辑定的标题" in curated[0].description
    path = seed_curation(tmp_path, seed_report.slug, f"    - {{chart: {SUBSIDY}, exclude: true, note: cards}}\n")
    assert build_charts(seed_report, path) == ()


def test_curation_picks_the_figures_of_a_chart(tmp_path, seed_report, seed_charts):
    chart = next(c for c in seed_charts if c.id == SUBSIDY)
    picked = [f"f{f.block}-{f.start}" for f in chart.figures[:2]][::-1]
    path = seed_curation(tmp_path, seed_report.slug,
                         f"    - {{chart: {SUBSIDY}, figures: [{', '.join(picked)}], note: two}}\n")
    curated = next(c for c in build_charts(seed_report, path) if c.id == SUBSIDY)
    assert [f"f{f.block}-{f.start}" for f in curated.figures] == picked


def test_curation_can_make_a_new_chart_from_picked_figures(tmp_path, seed_report):
    anchors = events_2024(seed_report)
    path = seed_curation(tmp_path, seed_report.slug,
                         f"    - {{chart: culture-events, title: 各类活动场次（场）, figures: [{anchors}], note: new}}\n")
    new = next(c for c in build_charts(seed_report, path) if c.id == "culture-events")
    assert new.title == "各类活动场次（场）" and len(new.figures) == len(anchors.split(", ")) >= 3
    assert new.options["series"][0]["name"] == "2024年成绩"


def test_curation_cannot_put_figures_of_two_periods_in_one_series(tmp_path, seed_report):
    figures = [f for b in seed_report.blocks for f in b.figures if f.unit == "场"]  # 2024 results and 百场 of 2025
    anchors = ", ".join(f"f{f.block}-{f.start}" for f in figures)
    path = seed_curation(tmp_path, seed_report.slug, f"    - {{chart: x, title: t, figures: [{anchors}], note: n}}\n")
    with pytest.raises(InputError, match=r"line 3: .*one period \(2024年成绩, 2025年目标\)"):
        build_charts(seed_report, path)


def test_a_curation_entry_matching_no_chart_is_an_error_naming_the_file(tmp_path, seed_report):
    path = seed_curation(tmp_path, seed_report.slug, "    - {chart: no-such-chart, title: x, note: typo}\n")
    with pytest.raises(InputError, match=r"charts\.yml: line 3: chart 'no-such-chart' matches no chart"):
        build_charts(seed_report, path)


def test_a_curation_entry_picking_an_unknown_figure_is_an_error(tmp_path, seed_report):
    path = seed_curation(tmp_path, seed_report.slug, f"    - {{chart: {SUBSIDY}, figures: [f999-1], note: x}}\n")
    with pytest.raises(InputError, match=r"charts\.yml: line 3: figures f999-1 match no figure"):
        build_charts(seed_report, path)


def test_a_curation_entry_without_a_note_is_rejected(tmp_path, seed_report):
    path = seed_curation(tmp_path, seed_report.slug, f"    - {{chart: {SUBSIDY}, exclude: true}}\n")
    with pytest.raises(InputError, match=r"charts\.yml: line 3: .*note"):
        build_charts(seed_report, path)


def test_curation_for_another_report_is_left_alone(tmp_path, seed_report, seed_charts):
    path = seed_curation(tmp_path, "some_other_report", "    - {chart: x, exclude: true, note: other}\n")
    assert build_charts(seed_report, path) == seed_charts


def test_the_shipped_curation_file_loads(seed_report):
    assert build_charts(seed_report)  # data/charts.yml as committed


# ---------------------------------------------------------------- HTML

class Collector(HTMLParser):
    """Tags with their attributes, in order, and the text of script elements."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parsed(fragment: str) -> Collector:
    collector = Collector()
    collector.feed(fragment)
    return collector


def test_the_fragment_has_an_accessible_canvas_json_option_caption_and_table(seed_charts):
    chart = seed_charts[0]
    fragment = chart_html(chart, "../report/")
    html = parsed(fragment)
    tags = [t for t, _ in html.tags]
    assert tags[0] == "figure" and "figcaption" in tags and "table" in tags
    canvas = next(a for t, a in html.tags if "data-chart-id" in a)
    assert canvas["data-chart-id"] == chart.id and canvas["role"] == "img"
    assert canvas["aria-label"] == chart.description
    script = next(a for t, a in html.tags if t == "script")
    assert script["type"] == "application/json" and "src" not in script
    option = json.loads(html.scripts[0])
    item, figure = option["series"][0]["data"][0], chart.figures[0]
    assert item["sentence"] == charts.sentence_excerpt(figure) and figure.text in item["sentence"]
    assert chart.unit in fragment and "来源" in fragment


def test_every_bar_and_row_links_to_its_sentence_in_the_report(seed_charts):
    chart = seed_charts[0]
    html = parsed(chart_html(chart, "../report/"))
    option = json.loads(html.scripts[0])
    anchors = [f"../report/#f{f.block}-{f.start}" for f in chart.figures]
    assert [item["url"] for item in option["series"][0]["data"]] == anchors
    rows = [a["href"] for t, a in html.tags if t == "a" and "#" in a.get("href", "")]
    assert rows == anchors


def test_the_fragment_has_no_blank_line_and_passes_through_markdown_untouched(seed_charts):
    fragment = chart_html(seed_charts[0], "../report/")
    assert "\n\n" not in fragment
    rendered = markdown.markdown("前文。\n\n" + fragment + "\n\n后文。", extensions=["md_in_html", "attr_list", "tables"])
    assert fragment in rendered


def test_json_in_the_page_cannot_close_its_script_element():
    report = small_report((RESULTS, "</script>就业补贴2000万元,</script>租房补贴3000万元,生活补贴100万元。"))
    chart = build_charts(report, NO_CURATION)[0]
    html = chart_html(chart, "../report/")
    script = html[html.index('<script type="application/json"'):]
    assert script.count("</script>") == 1


def test_canvas_height_grows_with_the_number_of_bars():
    three = small_report((RESULTS, "发放就业补贴2000万元,租房补贴3000万元,生活补贴100万元。"))
    four = small_report((RESULTS, "发放就业补贴2000万元,租房补贴3000万元,生活补贴100万元,养老补贴50万元。"))
    [small], [large] = build_charts(three, NO_CURATION), build_charts(four, NO_CURATION)
    assert charts.chart_height(small) < charts.chart_height(large)


# ---------------------------------------------------------------- charts.js in a real browser

ROOT = Path(__file__).resolve().parent.parent
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

DRAWN = "document.querySelectorAll('.report-chart__canvas svg, .report-chart__canvas canvas').length"


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory, seed_report):
    """A three-page MkDocs site with instant navigation: home (no chart), a chart page, the report."""
    import shutil
    import subprocess
    import sys
    echarts = ROOT / "build" / "echarts.min.js"  # the site's own ECharts build, made by make
    if not echarts.is_file():
        pytest.skip("build/echarts.min.js missing; run `make site`")
    top = tmp_path_factory.mktemp("chartsite")
    docs = top / "docs"
    for folder in ("javascripts", "stylesheets", "assets/javascripts", "themes"):
        (docs / folder).mkdir(parents=True)
    for script in ("chart-style.js", "charts.js"):
        shutil.copy(ROOT / "docs/javascripts" / script, docs / "javascripts")
    shutil.copy(ROOT / "docs/stylesheets/charts.css", docs / "stylesheets")
    shutil.copy(echarts, docs / "assets/javascripts")
    (docs / "index.md").write_text("# 首页\n\n[图表](themes/)\n", encoding="utf-8")
    # The seed's one default chart and one an editor makes (events of 2024): two charts on the page.
    curation = top / "charts.yml"
    curation.write_text(f"reports:\n  {seed_report.slug}:\n    - {{chart: events, title: 活动（场）, "
                        f"figures: [{events_2024(seed_report)}], note: test}}\n", encoding="utf-8")
    page = "\n\n".join(chart_html(c, "../report/") for c in build_charts(seed_report, curation))
    (docs / "themes/index.md").write_text("# 民生\n\n" + page + "\n", encoding="utf-8")
    spans = []
    for block in seed_report.blocks:
        text, cursor, out = block.text, 0, []
        for f in block.figures:
            out += [text[cursor:f.start], f'<span id="f{f.block}-{f.start}">{f.text}</span>']
            cursor = f.end
        spans.append("".join(out) + text[cursor:])
    (docs / "report.md").write_text("# 全文\n\n" + "\n\n".join(spans) + "\n", encoding="utf-8")
    (top / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\n  features: [navigation.instant]\n"
        "nav: [index.md, themes/index.md, report.md]\nmarkdown_extensions: [md_in_html, attr_list, tables]\n"
        "extra_css: [stylesheets/charts.css]\nextra_javascript: [javascripts/chart-style.js, javascripts/charts.js]\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(top / "mkdocs.yml"), "-d", str(top / "site")],
                   check=True, capture_output=True)
    return top / "site"


@pytest.fixture(scope="module")
def chart_page(chart_site):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed")
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(chart_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.requests, page.errors = [], []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        yield page
        browser.close()
    httpd.shutdown()


def test_charts_load_nothing_on_a_page_without_charts_then_draw_after_instant_navigation(chart_page):
    page = chart_page
    page.goto(page.base)
    page.wait_for_load_state("networkidle")
    assert not any("echarts" in url for url in page.requests)
    page.click("article >> text=图表")
    page.wait_for_url("**/themes/")
    page.wait_for_function(DRAWN + " > 0", timeout=10_000)
    assert sum("echarts.min.js" in url for url in page.requests) == 1
    assert all(url.startswith(page.base) for url in page.requests if not url.startswith(("data:", "blob:")))
    assert page.errors == []


def test_a_bar_shows_its_sentence_and_a_click_opens_it_in_the_report(chart_page):
    page = chart_page
    page.goto(page.base + "themes/")
    page.wait_for_function(DRAWN + " > 1", timeout=10_000)
    page.wait_for_timeout(1500)  # let the bars finish growing
    # The second chart has one series, so the middle of its first bar is on the bar.
    x, y, sentence, url = page.evaluate("""() => {
        const el = document.querySelectorAll('.report-chart__canvas')[1];
        const chart = echarts.getInstanceByDom(el);
        const item = chart.getOption().series[0].data[0];
        const at = chart.convertToPixel({seriesIndex: 0}, [item.value / 2, 0]);
        const box = el.getBoundingClientRect();
        return [box.left + at[0], box.top + at[1], item.sentence, item.url]; }""")
    page.mouse.move(x, y)
    page.wait_for_timeout(600)
    tooltip = page.evaluate("document.querySelectorAll('.report-chart__canvas')[1].textContent")
    assert sentence in tooltip
    page.mouse.click(x, y)
    page.wait_for_url("**/report/#" + url.split("#")[1], timeout=10_000)
    assert page.evaluate("!!document.getElementById(location.hash.slice(1))")
    assert page.errors == []


# ---------------------------------------------------------------- a period on every number

def figure_of(sentence: str, text: str, period: str, kind: str, partial: bool = False):
    from build_scripts.model import Figure
    return Figure(1, "个", text, label="x", period=period, kind=kind, partial=partial, sentence=sentence)


@pytest.mark.parametrize("figure, name", [
    (figure_of("增加学位2570个。", "2570个", "2024", "result"), "2024年成绩"),
    (figure_of("新建停车位600个。", "600个", "2025", "plan"), "2025年目标"),
    (figure_of("前三季度接待游客超4900万人次。", "超4900万人次", "2024", "result", True), "2024年前三季度"),
    (figure_of("1月—11月新增项目75个。", "75个", "2024", "result", True), "2024年1—11月"),
    (figure_of("累计建成5G基站12万个。", "12万个", "2021-2025", "result"), "2021—2025年累计"),
    (figure_of("年均增长5.7%。", "5.7%", "2021-2025", "result"), "2021—2025年年均"),
    (figure_of("建成高速公路800公里。", "800公里", "2021-2025", "result"), "2021—2025年成绩"),
    (figure_of("连续四年蝉联首位。", "四年", "other", "other"), "时间未注明"),  # borrows no period
])
def test_every_figure_names_its_period_as_a_result_or_a_plan(figure, name):
    assert charts.period_text(figure) == name


# ---------------------------------------------------------------- data/measures.yml

def measures_file(tmp_path, text: str) -> Path:
    path = tmp_path / "measures.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, problem", [
    ("families: []\n", "needs the sections"),
    ("families: []\ncapacity_marks: []\nscope_words:\n  - {word: 城镇}\n", r"line 4: .*word and note"),
    ("families:\n  - {id: x, name: n, units: [元], words: [补贴]}\ncapacity_marks: []\n", r"line 2: .*note"),
    ("families:\n  - {id: 补贴, name: n, units: [元], words: [补贴], note: n}\ncapacity_marks: []\n", r"line 2: .*ASCII"),
    ("families:\n  - {id: x, name: n, units: [], words: [补贴], note: n}\ncapacity_marks: []\n", r"line 2: .*units"),
    ("families: []\ncapacity_marks:\n  - {word: 可增加}\n", r"line 3: .*word and note"),
])
def test_the_measures_loader_rejects_malformed_entries_naming_the_line(tmp_path, text, problem):
    with pytest.raises(InputError, match=r"measures\.yml: " + problem):
        charts.load_measures(measures_file(tmp_path, text))


def test_the_shipped_measures_load_and_unused_entries_are_reported(tmp_path, seed_report):
    assert charts.load_measures().families
    path = measures_file(tmp_path, "families:\n  - {id: beds, name: 床位, units: [张], words: [火箭], note: n}\n"
                                   "capacity_marks:\n  - {word: 可增加, note: n}\n  - {word: 达产后, note: n}\n")
    unused = charts.unused_measures([seed_report], charts.load_measures(path))
    assert unused == ["family beds", "capacity mark 达产后"]  # 可增加学位13680个 fires


def test_a_result_and_a_target_narrowed_differently_in_their_clauses_make_no_pair():
    # The inner districts' parking spaces are not the whole city's, whatever the labels say.
    report = small_report((RESULTS, "中心城区新增机动车停车位5万个。"), (PLANS, "新增机动车停车位3.5万个。"))
    assert not comparable_pairs([f for b in report.blocks for f in b.figures])
    report = small_report((RESULTS, "扣除房地产开发投资后，固定资产投资增长2.7%。"), (PLANS, "固定资产投资增长4.5%左右。"))
    assert not comparable_pairs([f for b in report.blocks for f in b.figures])
    # The lead of a list narrows each of its items.
    report = small_report((RESULTS, "省管企业净资产增长8.9%、研发投入增长34.4%。"), (PLANS, "研发投入增长15%以上。"))
    assert not comparable_pairs([f for b in report.blocks for f in b.figures])
    # Another item of a list does not narrow this one.
    report = small_report((RESULTS, "完成13.6万平方米中心城区旧里改造、31.1万平方米旧住房改造。"),
                          (PLANS, "完成31万平方米旧住房改造。"))
    assert len(comparable_pairs([f for b in report.blocks for f in b.figures])) == 1
    # The same figure may stand twice in a list of targets: the scope is read before the figure's own place.
    report = small_report((RESULTS, "固定资产投资增长2.7%。"),
                          (PLANS, "规上工业增加值增长4.5%左右，固定资产投资增长4.5%左右。"))
    [(result, plan)] = comparable_pairs([f for b in report.blocks for f in b.figures])
    assert plan.label == "固定资产投资增长"


def test_a_figure_is_found_in_its_sentence_as_itself_not_as_the_end_of_another_number():
    # 7% of the rural income, whose label is not written as such, is not the end of 规上工业 7.7%.
    report = small_report((RESULTS, "规上工业增加值增长7.7%，城乡居民人均可支配收入分别增长5.3%、7%。"))
    rural = next(f for b in report.blocks for f in b.figures if f.text == "7%")
    assert rural.label == "农村居民人均可支配收入增长" and charts.clause_scope(rural) == frozenset()


def test_a_result_pairs_with_the_target_of_its_own_label_before_a_shorter_one():
    report = small_report((RESULTS, "能源工业增加值增长8.1%。"),
                          (PLANS, "工业增加值增长6.5%，能源工业增加值增长7%。"))
    [(result, plan)] = comparable_pairs([f for b in report.blocks for f in b.figures])
    assert (result.text, plan.text) == ("8.1%", "7%")


def test_the_verb_of_a_threshold_is_no_part_of_a_measure():
    assert charts.same_measure("生态渔业产值突破", "生态渔业产值")
    assert not charts.same_measure("生态渔业产值突破", "产值突破")  # 产值 of what: another industry's


def test_a_label_saying_only_that_something_grew_names_no_measure():
    from build_scripts.charts import same_measure
    # …8.6亿元，同比增长66.5% whose subject was not found: not the 营业收入 of a target
    assert not same_measure("同比增长", "营业收入同比增长")
    assert same_measure("营业收入同比增长", "全区营业收入同比增长")


def _figure_in(sentence: str, text: str, label: str = "") -> Figure:
    return Figure(value=0.0, unit="%", text=text, label=label, sentence=sentence, block=0)


def test_a_short_sentence_is_shown_whole_beside_its_bar():
    sentence = "全年地区生产总值增长5.5%，居全国前列。"
    assert charts.sentence_excerpt(_figure_in(sentence, "5.5%")) == sentence


def test_a_long_sentence_is_cut_to_the_clauses_around_its_figure():
    sentence = ("坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，"
                "全省地区生产总值增长5.4%，一般公共预算收入增长3.1%，"
                "城乡居民收入稳步增长，就业物价总体稳定，生态环境持续改善，社会大局和谐稳定，各项事业取得新进展。")
    excerpt = charts.sentence_excerpt(_figure_in(sentence, "5.4%", "地区生产总值"))
    # gold, by reading: the clause of the figure opens the excerpt; cut clauses are marked
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert "全省地区生产总值增长5.4%，" in excerpt and "坚持稳中求进" not in excerpt and "各项事业" not in excerpt
    assert len(excerpt) <= 2 * charts.EXCERPT_REACH + len("5.4%") + 2


def _pairs(result: str, plan: str) -> list[tuple[str, str]]:
    report = small_report((RESULTS, result), (PLANS, plan), theme="economy")
    return [(r.text, p.text) for r, p in comparable_pairs([f for b in report.blocks for f in b.figures])]


def test_a_stock_and_an_addition_are_not_one_measure():
    # gold, by reading (保定市 2018, held-out): 6545 firms the city has (现有 leads the list), 500 more to add in the
    # year (新增 leads the list): the bare item label 科技型中小企业 is the same, the measures are not
    assert _pairs("全市现有高新技术企业433家、科技型中小企业6545家、院士工作站27家，居全省前列。",
                  "全年新增高新技术企业60家以上、科技型中小企业500家以上。") == []
    assert _pairs("全县拥有高新技术企业21家、科技型中小企业497家。", "新增科技型中小企业38家。") == []
    # 累计培育 sums all fostered so far: not the 30 new ones a year plans
    assert _pairs("累计培育家庭农场312家、农民专业合作社981家。", "新增农民专业合作社30家。") == []


def test_additions_in_both_years_stay_one_measure_whether_the_verb_is_in_the_label_or_leads_the_list():
    # 保定市 2023 (held-out): the year's new firms against the year's target of new firms
    assert _pairs("新增科技型中小企业1235家。", "新增科技型中小企业300家。") == [("1235家", "300家")]
    assert _pairs("新增高新技术企业210家、科技型中小企业1235家。", "新增科技型中小企业300家。") == [("1235家", "300家")]
    assert _pairs("新培育高新技术企业1599家。", "新认定高新技术企业1300家以上。") == [("1599家", "1300家以上")]


def test_a_count_reached_after_the_year_s_additions_is_a_stock():
    # 保定市 2019 (held-out): 300 added, 739 there are; the item of the figure decides before the list's lead
    report = small_report((RESULTS, "高新技术企业新增300家、达到739家，科技型中小企业新增1000家、达到7517家。"))
    kinds = {f.text: charts.count_kind(f) for b in report.blocks for f in b.figures}
    assert kinds == {"300家": "addition", "739家": "stock", "1000家": "addition", "7517家": "stock"}
    # a verb of reaching after the measure's own verb of adding: still what was added
    [jobs] = small_report((RESULTS, "城镇新增就业达到12万人。")).blocks[1].figures
    assert charts.count_kind(jobs) == "addition"


def test_a_bare_measure_alone_is_not_one_measure():
    # 参保率95% whose insurance no clause names is not 医保参保率 nor any other insurance's
    assert not same_measure("参保率", "医保参保率")
    assert same_measure("城乡居民基本养老保险参保率", "全县城乡居民基本养老保险参保率")


def options_echarts_ends_with(options: list[dict]) -> list[dict]:
    """What ECharts makes of each option (its getOption), drawn by the site's own ECharts build in Node."""
    import subprocess

    from conftest import ROOT

    lines = "".join(json.dumps(option, ensure_ascii=False) + "\n" for option in options)
    result = subprocess.run(["node", str(ROOT / "tests" / "echarts_option.js")], input=lines, capture_output=True,
                            text=True, check=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_echarts_ends_with_the_same_option_whether_its_own_defaults_are_written_or_left_out(monkeypatch):
    from build_scripts.pipeline import load_published
    from conftest import ROOT

    reports = [load_published(ROOT / "seeds" / f"{name}.txt") for name in ("guizhou-2025", "000_89c8bcedadaad6b3")]
    lean = [chart.options for report in reports for chart in build_charts(report)]
    defaults = charts.load_echarts_defaults()
    monkeypatch.setattr(charts, "load_echarts_defaults", lambda: ())
    full = [chart.options for report in reports for chart in build_charts(report)]
    assert len(lean) == len(full) >= 8 and lean != full
    assert options_echarts_ends_with(lean) == options_echarts_ends_with(full)
    assert len(json.dumps(lean)) < 0.8 * len(json.dumps(full))
    # every value of the file is one pyecharts writes: each is left out of some chart
    unused = [(part, keys) for part, keys, value in defaults
              if all(charts.without_defaults(json.loads(json.dumps(option)), [(part, keys, value)]) == option
                     for option in full)]
    assert unused == []


def test_a_default_of_another_value_or_kind_stays_in_the_option():
    option = {"series": [{"z": 3, "clip": 1}, {"z": 2}], "tooltip": {"textStyle": {"fontSize": 14.0}}}
    defaults = [("series", ("z",), 2), ("series", ("clip",), True), ("tooltip", ("textStyle", "fontSize"), 14)]
    assert charts.without_defaults(option, defaults) == {"series": [{"z": 3, "clip": 1}, {}],
                                                         "tooltip": {"textStyle": {}}}


def test_the_defaults_file_refuses_a_parts_type_and_an_unknown_part(tmp_path):
    for group, problem in (("{component: xAxis, note: n, values: {type: value}}", "type"),
                           ("{component: grid, note: n, values: {left: 0}}", "component")):
        path = tmp_path / "defaults.yml"
        path.write_text(f"groups:\n  - {group}\n", encoding="utf-8")
        with pytest.raises(InputError, match=problem):
            charts.load_echarts_defaults(path)

