"""Headline figures: 6–8 figures for the home page, chosen by the editable rule."""
from pathlib import Path

import pytest

from build_scripts.errors import InputError
from build_scripts.headlines import base_value, headline_figures, load_rule, unused_rule_entries
from build_scripts.model import Block, Figure, Report


def fig(text, value, unit, label, period="2024", base=None, base_unit=""):
    kind = "plan" if period == "2025" else "result"  # as in seed 000: 2024 results, 2025 plans
    return Figure(value=value, unit=unit, text=text, label=label, period=period, kind=kind, base_value=base,
                  base_unit=base_unit)


# Small paragraphs modelled on seed 000; figures written by hand, theme from the paragraph.
PARAGRAPHS = {
    "economy": [fig("6145万元", 6145, "万元", "消费补贴", base=61_450_000, base_unit="元"),
                fig("超730亿元", 730, "亿元", "旅游消费", base=73_000_000_000, base_unit="元"),
                fig("超4900万人次", 4900, "万人次", "游客接待量", base=49_000_000, base_unit="人次"),
                fig("万亿", 1, "万亿元", "商贸业规模", base=1e12, base_unit="元"),
                fig("10个", 10, "个", "新增市级以上创新载体", period="2025", base=10, base_unit="个")],
    "urban-renewal": [fig("479个", 479, "个", "老旧小区改造", base=479, base_unit="个"),
                      fig("7.1万户", 7.1, "万户", "老旧小区改造惠及居民", base=71_000, base_unit="户"),
                      fig("近50%", 50, "%", "事件智能派发率", base=50, base_unit="%")],
    "livelihood": [fig("3.5万人", 3.5, "万人", "新增就业", base=35_000, base_unit="人"),
                   fig("1.14亿元", 1.14, "亿元", "5年5折租房补贴", base=114_000_000, base_unit="元"),
                   fig("2413万元", 2413, "万元", "兑现就业补贴", base=24_130_000, base_unit="元")],
    "culture": [fig("2700余场", 2700, "场", "文化惠民活动", base=2700, base_unit="场"),
                fig("超108万人次", 108, "万人次", "文化惠民活动惠及群众", base=1_080_000, base_unit="人次")],
}
INTRO = fig("首位", 1, "位", "全省城市发展十优区排名", base=1, base_unit="位")


def report_with(paragraphs=PARAGRAPHS) -> Report:
    blocks = [Block(0, "paragraph", "", "引言", figures=(INTRO,))]
    for theme, figures in paragraphs.items():
        index = len(blocks)
        blocks.append(Block(index, "paragraph", "", "正文", part="回眸2024", theme=theme,
                            figures=tuple(f.__class__(**{**f.__dict__, "block": index}) for f in figures)))
    return Report(slug="000_89c8bcedadaad6b3", source="x", title="标题", blocks=tuple(blocks))


def write_rule(tmp_path, pin="[]", exclude="[]", kinds='[result]', count="{min: 6, max: 8}") -> Path:
    path = tmp_path / "headlines.yml"
    path.write_text(f"""count: {count}
per_theme: {{max: 2}}
kinds: {kinds}
groups:
  - {{id: money, units: [元], note: 钱}}
  - {{id: people, units: [人, 人次, 户], note: 人}}
  - {{id: things, units: [个, 场], note: 事}}
pin: {pin}
exclude: {exclude}
""", encoding="utf-8")
    return path


def test_the_shipped_rule_yields_six_to_eight_figures_covering_at_least_three_themes():
    chosen = headline_figures(report_with())
    assert 6 <= len(chosen) <= 8
    themes = {f.label: t for t, figures in PARAGRAPHS.items() for f in figures}
    assert len({themes[f.label] for f in chosen}) >= 3


def test_the_shipped_rule_picks_money_then_people_for_each_theme_in_theme_order():
    labels = [f.label for f in headline_figures(report_with())]
    assert labels == ["旅游消费", "游客接待量",            # largest money of economy, then its people count
                      "老旧小区改造", "老旧小区改造惠及居民",  # no money here: people first, then things
                      "新增就业", "5年5折租房补贴",
                      "文化惠民活动", "文化惠民活动惠及群众"]


def test_excluded_figures_plans_and_the_intro_are_left_out():
    labels = {f.label for f in headline_figures(report_with())}
    assert "商贸业规模" not in labels            # excluded for seed 000 in headlines.yml: a multi-year round figure
    assert "新增市级以上创新载体" not in labels  # a 2025 plan
    assert "全省城市发展十优区排名" not in labels  # intro figure, no theme
    assert "事件智能派发率" not in labels        # percentages are in no group


def test_a_pinned_figure_is_shown_even_from_the_intro(tmp_path):
    rule = write_rule(tmp_path, pin="[{label: 全省城市发展十优区排名, note: 编辑选定}]")
    chosen = headline_figures(report_with(), rule)
    assert chosen[-1].label == "全省城市发展十优区排名" and len(chosen) == 8


def test_an_excluded_text_is_never_chosen(tmp_path):
    rule = write_rule(tmp_path, exclude="[{text: 超730亿元, note: 测试}, {text: 万亿, note: 测试}]")
    labels = [f.label for f in headline_figures(report_with(), rule)]
    assert "旅游消费" not in labels and labels[:2] == ["消费补贴", "游客接待量"]


def test_without_enough_results_the_rule_falls_back_to_plans(tmp_path):
    plans_only = {"economy": [fig("10个", 10, "个", "新增市级以上创新载体", period="2025", base=10, base_unit="个")],
                  "culture": [fig("百场", 100, "场", "演唱会音乐节体育赛事等活动", period="2025", base=100,
                                  base_unit="场")]}
    chosen = headline_figures(report_with(plans_only), write_rule(tmp_path))
    assert [f.label for f in chosen] == ["新增市级以上创新载体", "演唱会音乐节体育赛事等活动"]


def test_base_value_is_derived_from_the_unit_when_the_extractor_left_it_out():
    assert base_value(fig("6145万元", 6145, "万元", "消费补贴")) == 61_450_000
    assert base_value(fig("1.14亿元", 1.14, "亿元", "租房补贴")) == pytest.approx(114_000_000)
    assert base_value(fig("22处", 22, "处", "活动场地")) == 22


@pytest.mark.parametrize("change, message", [
    ({"count": "{min: 9, max: 8}"}, "min 9 is larger than max 8"),
    ({"count": "{min: 6}"}, "'max' must be a whole number"),
    ({"kinds": '[target]'}, "'kinds' must be a non-empty list"),
    ({"pin": "[{note: 没写匹配什么}]"}, "give a 'label' or a 'text'"),
    ({"exclude": "[{label: 旅游消费}]"}, "'note' must be a non-empty text"),
])
def test_a_malformed_rule_is_rejected_naming_the_file(tmp_path, change, message):
    path = write_rule(tmp_path, **change)
    with pytest.raises(InputError) as err:
        load_rule(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_shipped_rule_loads():
    rule = load_rule()
    assert (rule.count_min, rule.count_max) == (6, 8) and rule.groups[0].id == "money"


def test_pins_and_exclusions_that_match_nothing_are_reported(tmp_path):
    rule = write_rule(tmp_path, pin="[{label: 新增就业, note: 有}]",
                      exclude="[{text: 万亿, note: 有}, {label: 不存在的指标, note: 没有}]")
    assert unused_rule_entries(report_with(), rule) == ["exclude: 不存在的指标"]


def test_an_exclusion_for_one_report_leaves_other_reports_alone(tmp_path):
    rule = write_rule(tmp_path, exclude="[{report: 000_89c8bcedadaad6b3, text: 万亿, note: 测试}]")
    assert "商贸业规模" not in {f.label for f in headline_figures(report_with(), rule)}
    other = report_with().__class__(**{**report_with().__dict__, "slug": "another"})
    assert "商贸业规模" in {f.label for f in headline_figures(other, rule)}
    assert unused_rule_entries(other, rule) == []  # an entry for another report is not "unused" here


def test_part_year_figures_are_not_headlines():
    partial = {"economy": [fig("超730亿元", 730, "亿元", "旅游消费", base=73_000_000_000, base_unit="元")]}
    figure = partial["economy"][0]
    partial["economy"][0] = figure.__class__(**{**figure.__dict__, "partial": True})
    assert "旅游消费" not in {f.label for f in headline_figures(report_with({**PARAGRAPHS, **partial}))}


def test_when_results_run_short_the_results_stay_and_every_card_names_its_period():
    from build_scripts.pages import figure_cards
    few = {"economy": [fig("6145万元", 6145, "万元", "消费补贴", base=61_450_000, base_unit="元"),
                       fig("10个", 10, "个", "新增市级以上创新载体", period="2025", base=10, base_unit="个"),
                       fig("600个", 600, "个", "新建停车位", period="2025", base=600, base_unit="个")]}
    report = report_with(few)
    picked = headline_figures(report)
    assert picked[0].text == "6145万元"  # the result is not pushed out by plans
    cards = figure_cards(report, picked, f"{report.slug}/")
    assert f'href="report/#f{picked[0].block}-' in cards  # each card links to its sentence
    assert cards.count("figure-card__period") == len(picked) == 2  # two per theme at most
    assert "2024年成绩" in cards and "2025年目标" in cards  # a plan among results carries its marker


def test_the_report_s_growth_and_its_growth_target_open_the_cards():
    from dataclasses import replace

    from test_compare import report as extracted  # figures found by the real extractor

    report = extracted("a", "甲省", 2026,
                       ("初步统计，全省地区生产总值增长5.4%，城镇新增就业64.1万人，发放消费补贴6145万元。", "result", "2025"),
                       ("今年主要预期目标是：地区生产总值增长5%左右。", "plan", "2026"))
    report = replace(report, blocks=tuple(replace(b, theme="economy") for b in report.blocks))
    cards = headline_figures(report)
    assert [f.text for f in cards[:2]] == ["5.4%", "5%左右"]
    assert "6145万元" in [f.text for f in cards]  # the others follow


def test_a_card_must_say_what_it_counts():
    bare = Figure(value=1461.4, unit="万户", text="达1461.4万户", label="总量", period="2024", kind="result",
                  base_value=14_614_000, base_unit="户")
    ceiling = Figure(value=1, unit="万元", text="1万元以下", label="且有劳动能力的脱贫户和监测户基本", period="2024",
                     kind="result", base_value=10_000, base_unit="元", qualifier="以下")
    shown = [f.text for f in headline_figures(report_with({**PARAGRAPHS, "economy": [bare, ceiling, *PARAGRAPHS["economy"]]}))]
    assert "达1461.4万户" not in shown and "1万元以下" not in shown and "超730亿元" in shown


def test_a_lead_that_names_no_indicator_is_rejected(tmp_path):
    path = write_rule(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "lead:\n  - {indicator: no-such-indicator, note: typo}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="no-such-indicator"):
        load_rule(path)
