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


# ---------------------------------------------------------------- the pages (pages.py) that show them

def test_a_part_of_a_place_is_not_taken_for_the_whole_place():
    # 投资增长 of one development zone, 对非洲出口增长: a few words more before the measure name a part of it
    plan = ("今年主要预期目标是：固定资产投资增长3%左右，出口增长3%左右。", "plan", "2025")
    results = ("开发区利用外资、投资分别增长45%、20%，对非洲出口增长20%。", "result", "2025")
    found = pair_promises(report("a-2025", "甲省", 2025, plan), report("a", "甲省", 2026, results))
    assert [p.indicator for p in found if p.result is not None] == []


def test_a_result_narrowed_in_its_clause_is_not_held_against_the_whole_measures_target():
    # 扣除房地产开发投资后: investment without real estate is not the investment the target was set for.
    plan = ("今年主要预期目标是：固定资产投资增长5%左右。", "plan", "2025")
    narrowed = ("扣除房地产开发投资后，固定资产投资增长2.7%。", "result", "2025")
    found = pair_promises(report("a-2025", "甲省", 2025, plan), report("a", "甲省", 2026, narrowed))
    assert [p.indicator for p in found if p.result is not None] == []
    whole = ("固定资产投资增长2.7%。", "result", "2025")
    found = pair_promises(report("a-2025", "甲省", 2025, plan), report("a", "甲省", 2026, whole))
    assert [(p.target.text, p.result.text) for p in found if p.result is not None] == [("5%左右", "2.7%")]


def link(text, target):
    """A Markdown link as the pages write it: the figure as text (escaped), its sentence's address."""
    from build_scripts.markup import escape_markdown

    return f"[{escape_markdown(text)}]({target}"


def paired_site():
    from build_scripts.pages import site_pages

    from dataclasses import replace

    reports = [report("a-2025", "甲省", 2025, PLAN_2025), report("a", "甲省", 2026, RESULTS_2025, PLAN_2026),
               report("b", "乙省", 2026, PLAN_2026), report("c-2025", "丙县", 2025, PLAN_2025),
               report("c", "丙县", 2026, RESULTS_2025)]
    reports = [replace(r, level="县" if r.place.endswith("县") else "省") for r in reports]
    return {page.path: page.markdown for page in site_pages(reports, [], promises(reports))}


def test_the_site_page_lists_each_target_with_its_result_verdict_and_both_sentences():
    page = paired_site()["targets.md"]
    row = next(line for line in page.splitlines() if line.startswith("| 甲省 | 地区生产总值增长目标"))
    assert row.endswith("| 未完成 |")
    assert link("5%左右", "a-2025/report.md#f0-") in row and link("4.8%", "a/report.md#f0-") in row
    assert "地区生产总值增长目标：未完成1个。" in page
    assert "丙县" not in page.split("各地全部目标")[0]  # the site page's tables are the provincial reports'


def test_each_paired_report_gets_a_targets_page_and_a_report_without_a_neighbour_none():
    pages = paired_site()
    assert {"a-2025/targets.md", "a/targets.md"} <= set(pages) and "b/targets.md" not in pages
    earlier, later = pages["a-2025/targets.md"], pages["a/targets.md"]
    assert "## 2025年目标后来完成了吗" in earlier and "## 2025年目标完成情况" in later
    assert link("4.8%", "../a/report.md#f0-") in earlier and link("5%左右", "../a-2025/report.md#f0-") in later
    # the newest report's own targets wait for the next year's report
    assert "## 2026年的主要目标" in later and link("5%左右", "report.md#f1-") in later
    assert "## 2026年的主要目标" not in earlier


def test_report_text_in_a_target_row_cannot_become_markup():
    plan = ("今年主要预期目标是：地区生产总值增长5%左右。", "plan", "2025")
    from dataclasses import replace

    reports = [replace(report(slug, "甲<b>|省*", year, paragraph), level="省")
               for slug, year, paragraph in (("a-2025", 2025, plan), ("a", 2026, RESULTS_2025))]
    from build_scripts.pages import site_pages

    page = {p.path: p.markdown for p in site_pages(reports, [], promises(reports))}["targets.md"]
    assert "<b>" not in page and "|省*" not in page
