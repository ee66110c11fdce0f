"""Targets against results: a year's targets held against what the next year's report of the place says."""
import json

from build_scripts.figures import find_figures
from build_scripts.promises import pair_promises, promises, promises_json, verdict
from test_compare import report  # a report of (text, kind, period) paragraphs, figures found by the extractor


PLAN_2025 = ("今年主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%左右，居民消费价格涨幅2%左右，"
             "城镇新增就业60万人以上。", "plan", "2025")
RESULTS_2025 = ("初步统计，全省地区生产总值增长4.8%，城镇调查失业率5.2%，城镇新增就业64.1万人。", "result", "2025")
PLAN_2026 = ("今年主要预期目标是：地区生产总值增长5%左右。", "plan", "2026")


def by_indicator(found):
    return {p.indicator: p for p in found}


def test_the_next_year_s_report_gives_each_main_target_its_verdict():
    found = by_indicator(pair_promises(report("a-2025", "甲省", 2025, PLAN_2025),
                                       report("a", "甲省", 2026, RESULTS_2025, PLAN_2026)))
    gdp = found["地区生产总值增长目标"]
    assert (gdp.target.text, gdp.result.text, gdp.verdict, gdp.year) == ("5%左右", "4.8%", "missed", 2025)
    assert found["城镇调查失业率目标"].verdict == "met"  # a ceiling: 5.2% stays under 5.5%
    assert found["居民消费价格涨幅目标"].verdict == "not-reported"  # the 2026 report states no price rise


def test_a_target_the_indicators_do_not_name_is_matched_by_its_measure():
    found = by_indicator(pair_promises(report("a-2025", "甲省", 2025, PLAN_2025),
                                       report("a", "甲省", 2026, RESULTS_2025)))
    jobs = found["城镇新增就业"]
    assert (jobs.target.text, jobs.result.text, jobs.verdict) == ("60万人以上", "64.1万人", "met")


def test_only_reports_of_the_same_place_and_the_next_year_are_paired():
    reports = [report("a-2025", "甲省", 2025, PLAN_2025), report("b", "乙省", 2026, RESULTS_2025),
               report("a-2027", "甲省", 2027, RESULTS_2025)]
    assert promises(reports) == []


def test_verdicts_read_ranges_floors_ceilings_and_nearly():
    [low_high] = find_figures("增长5%—5.5%")
    assert verdict(low_high, find_figures("增长5.1%")[0]) == "met"  # a range is reached at its lower bound
    assert verdict(low_high, find_figures("增长4.9%")[0]) == "missed"
    assert verdict(find_figures("涨幅3%以内")[0], find_figures("上涨0.2%")[0], ceiling=True) == "met"
    assert verdict(find_figures("增长5%")[0], find_figures("增长近5%")[0]) == "missed"
    assert verdict(find_figures("增长5%")[0], None) == "not-reported"


def test_promises_json_has_the_documented_fields_and_links_both_sentences():
    found = promises([report("a-2025", "甲省", 2025, PLAN_2025), report("a", "甲省", 2026, RESULTS_2025)])
    rows = json.loads(promises_json(found))
    assert set(rows[0]) == {"place", "indicator", "year", "target", "result", "verdict", "target_url", "result_url"}
    first = rows[0]
    assert first["target_url"].startswith("a-2025/report/#f0-") and first["result_url"].startswith("a/report/#f0-")
