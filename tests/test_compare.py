"""Cross-report comparisons: only the same indicator, of the same year and kind, side by side."""
import pytest

from build_scripts.compare import clause_before, compare, load_indicators, statement_of, unused_indicators
from build_scripts.errors import InputError
from build_scripts.figures import find_figures
from build_scripts.model import Block, Figure, Report


def report(slug, place, year, *paragraphs):
    """A report whose paragraphs are (text, kind, period) with figures found by the real extractor."""
    blocks = []
    for index, (text, kind, period) in enumerate(paragraphs):
        figures = tuple(f.__class__(**{**f.__dict__, "kind": kind, "period": period, "block": index})
                        for f in find_figures(text))
        blocks.append(Block(index, "paragraph", text, text, figures=figures))
    return Report(slug=slug, source=f"{slug}.txt", title=f"{year}年{place}政府工作报告", place=place, year=year,
                  blocks=tuple(blocks))


TARGETS = "今年发展主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%左右，居民消费价格涨幅2%左右。"
RESULTS = "初步统计，2025年全省地区生产总值60199.45亿元、增长5%，一般公共预算收入3723.35亿元、增长3%。"


def test_the_clause_before_a_number_starts_after_the_last_clause_mark():
    text = "初步统计，2025年全省地区生产总值60199.45亿元、增长5%"
    assert clause_before(text, text.index("5%")) == "2025年全省地区生产总值60199.45亿元、增长"


def test_a_growth_target_is_found_in_the_plan_and_not_taken_from_the_results():
    one = report("a", "甲省", 2026, (RESULTS, "result", "2025"), (TARGETS, "plan", "2026"))
    indicators = {i.id: i for i in load_indicators()}
    target = statement_of(indicators["gdp-growth-target"], one)
    assert target.figure.text == "5%左右"
    growth = statement_of(indicators["gdp-growth"], one)
    assert growth.figure.text == "5%" and growth.figure.period == "2025"
    assert statement_of(indicators["gdp"], one).figure.text == "60199.45亿元"
    assert statement_of(indicators["unemployment-target"], one).figure.text == "5.5%左右"


def test_a_target_of_another_year_is_not_compared_with_this_years_targets():
    reports = [report("a", "甲省", 2026, (TARGETS, "plan", "2026")),
               report("b", "乙省", 2026, (TARGETS.replace("5%左右", "5.5%左右", 1), "plan", "2026")),
               report("c", "丙区", 2025, (TARGETS, "plan", "2025"))]
    comparisons = {c.id: c for c in compare(reports)}
    growth = comparisons["gdp-growth-target-2026"]
    assert sorted(s.report.slug for s in growth.statements) == ["a", "b"]
    assert growth.title == "2026年地区生产总值增长目标"
    assert "gdp-growth-target-2025" not in comparisons  # one report alone is not a comparison


def test_a_figure_marked_as_a_result_is_never_a_target():
    one = report("a", "甲省", 2026, (TARGETS, "result", "2026"))
    indicators = {i.id: i for i in load_indicators()}
    assert statement_of(indicators["gdp-growth-target"], one) is None


def test_a_report_without_a_year_states_no_indicator():
    one = report("a", "甲省", None, (TARGETS, "plan", "2026"))
    assert unused_indicators([one]) == [i.id for i in load_indicators()]


@pytest.mark.parametrize("entry, problem", [
    ("- {id: x, name: 名, unit: '%', kind: maybe, period: report, before: 增长, note: 说明}", "kind must be one of"),
    ("- {id: x, name: 名, unit: '%', kind: plan, period: report, before: '增长(', note: 说明}", "not a valid regular"),
    ("- {id: x, name: 名, unit: '%', kind: plan, period: report, before: 增长}", "'note' must be a non-empty text"),
    ("- {id: x, name: 名, unit: '%', kind: plan, period: report, before: 增长, note: 说明, colour: red}", "unknown key"),
])
def test_malformed_indicators_are_rejected_with_the_line(tmp_path, entry, problem):
    path = tmp_path / "indicators.yml"
    path.write_text("indicators:\n  " + entry + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=problem) as error:
        load_indicators(path)
    assert "line 2" in str(error.value) or "indicators.yml" in str(error.value)


def test_a_range_target_is_stated_whole_and_drawn_at_its_lower_bound():
    indicators = {i.id: i for i in load_indicators()}
    dash = report("a", "甲省", 2026, ("主要预期目标是：地区生产总值增长4.5%—5%，城镇新增就业50万人。", "plan", "2026"))
    statement = statement_of(indicators["gdp-growth-target"], dash)
    assert (statement.text, statement.value, statement.is_range) == ("4.5%—5%", 4.5, True)
    bare = report("b", "乙省", 2026, ("主要预期目标是：地区生产总值增长4.5-5%，在实际工作中争取更好结果。", "plan", "2026"))
    statement = statement_of(indicators["gdp-growth-target"], bare)
    assert (statement.text, statement.value, statement.is_range) == ("4.5-5%", 4.5, True)
    single = statement_of(indicators["gdp-growth-target"], report("c", "丙省", 2026, (TARGETS, "plan", "2026")))
    assert (single.text, single.value, single.is_range) == ("5%左右", 5, False)


def test_bars_are_named_by_place_not_by_the_year_of_the_report_that_states_them():
    from build_scripts.pages import comparison_chart

    reports = [report("a", "甲省", 2026, (RESULTS, "result", "2025")),
               report("b", "乙省", 2026, (RESULTS.replace("增长5%", "增长6%", 1), "result", "2025"))]
    growth = {c.id: c for c in compare(reports)}["gdp-growth-2025"]
    _, bars = comparison_chart(growth)
    assert [bar.name for bar in bars] == ["乙省", "甲省"]  # the title says 2025; "2026年乙省" would read as 2026


@pytest.mark.parametrize("text", [
    "今年主要预期目标是：经济增长5%左右，城镇调查失业率5.5%左右。",
    "今年主要预期目标是：地区生产总值按增长5%安排，在实际工作中努力争取更好结果。",
    "今年主要预期目标是：甲省地区生产总值增长5%左右。",
])
def test_growth_targets_are_found_in_the_ways_reports_write_them(text):
    indicators = {i.id: i for i in load_indicators()}
    found = statement_of(indicators["gdp-growth-target"], report("a", "甲省", 2026, (text, "plan", "2026")))
    assert found is not None and found.value == 5


@pytest.mark.parametrize("text", [
    "武汉都市圈经济总量达到3.8万亿元。",  # a part of the province
    "乙县地区生产总值超千亿元。",  # a county in it
    "经济总量超500亿元的县域增至12个。",  # a threshold that sorts counties
    "数字经济增长15%。",
])
def test_a_part_of_the_place_or_a_class_of_places_is_never_the_place_s_indicator(text):
    one = report("a", "甲省", 2026, (text, "result", "2025"))
    indicators = {i.id: i for i in load_indicators()}
    assert statement_of(indicators["gdp"], one) is None and statement_of(indicators["gdp-growth"], one) is None


def test_a_growth_after_the_level_in_its_own_clause_is_the_place_s_growth():
    one = report("a", "甲省", 2026, ("实现地区生产总值67665亿元，增长5.5%，总量和增速均居前列。", "result", "2025"))
    indicators = {i.id: i for i in load_indicators()}
    assert statement_of(indicators["gdp-growth"], one).text == "5.5%"
    assert statement_of(indicators["gdp"], one).text == "67665亿元"


def test_an_exact_level_is_taken_before_a_threshold_passed():
    one = report("a", "甲省", 2026, ("全省地区生产总值突破2万亿元、达到23562亿元。", "result", "2025"))
    indicators = {i.id: i for i in load_indicators()}
    assert statement_of(indicators["gdp"], one).text == "23562亿元"


def test_a_level_reached_at_the_end_of_a_five_year_review_is_the_last_year_s_level():
    one = report("a", "甲省", 2026, ("这五年，地区生产总值连续迈上4个万亿元台阶、达14.2万亿元。", "result", "2021-2025"))
    indicators = {i.id: i for i in load_indicators()}
    found = statement_of(indicators["gdp"], one)
    assert (found.text, found.figure.period) == ("达14.2万亿元", "2025")
    assert statement_of(indicators["gdp-growth"], one) is None  # growth over five years is no year's growth


def test_urban_and_rural_incomes_are_their_own_indicators_never_all_residents():
    text = "今年主要预期目标是：城镇居民人均可支配收入增长7%左右、农村居民人均可支配收入增长8%左右。"
    one = report("a", "甲省", 2026, (text, "plan", "2026"))
    indicators = {i.id: i for i in load_indicators()}
    assert statement_of(indicators["income-growth-target"], one) is None
    assert statement_of(indicators["urban-income-growth-target"], one).value == 7
    assert statement_of(indicators["rural-income-growth-target"], one).value == 8
