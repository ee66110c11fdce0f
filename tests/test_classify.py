"""Theme classification: agreement with the hand annotation, readable reasons, strict rules file."""
import csv
from dataclasses import replace
from pathlib import Path

import pytest

from build_scripts.classify import (Keyword, SectionPrior, Settings, Theme, classify, decide, keyword_hits,
                                    load_themes, unused_keywords)
from build_scripts.errors import InputError
from build_scripts.model import THEMES, Block, Report
from build_scripts.parse import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RESTORED = FIXTURES / "seed_000_restored.txt"
GOLD = FIXTURES / "seed_000_themes.tsv"
THEMES_YML = Path(__file__).resolve().parent.parent / "build_scripts" / "data" / "themes.yml"


def block_lines(text: str, report: Report) -> dict[int, Block]:
    """Each block by its 1-based seed line, found by walking the lines in order."""
    lines = text.split("\n")
    found, cursor = {}, 0
    for block in report.blocks:
        while not lines[cursor].strip(" \t\u3000").startswith(block.raw):
            cursor += 1
        found[cursor + 1] = block
        cursor += 1
    return found


@pytest.fixture(scope="module")
def restored_text() -> str:
    return RESTORED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def classified(restored_text) -> Report:
    return classify(parse(restored_text, "seed_000_restored"))


@pytest.fixture(scope="module")
def by_line(restored_text, classified) -> dict[int, Block]:
    return block_lines(restored_text, classified)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    with GOLD.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_primary_theme_agrees_with_the_independent_annotation_on_at_least_95_percent(by_line, gold):
    assert len(gold) == 48
    agree = sum(1 for row in gold
                if by_line[int(row["line"])].theme == (None if row["theme"] == "none" else row["theme"]))
    assert agree / len(gold) >= 0.95, f"{agree}/{len(gold)}"


def test_demolition_paragraph_in_the_reform_section_is_urban_renewal_by_its_words(by_line):
    block = by_line[41]  # 前埔片区正式启动拆除工作 … 湖滨片区迎来返迁
    assert block.section.startswith("促改革添动能")
    assert block.theme == "urban-renewal"
    assert "拆除" in block.theme_reason and "返迁" in block.theme_reason
    assert "所在章节：促改革添动能（属经济发展" in block.theme_reason


def test_reason_names_the_deciding_words_with_counts_and_the_section(by_line):
    reason = by_line[95].theme_reason  # 深入推进城市更新，稳步开展城中村改造提升，衔接房票制度…
    assert reason.startswith("关键词：")
    assert "片区×4" in reason and "城市更新" in reason and "房票" in reason
    assert "所在章节：扩容挖潜" in reason


def test_tourism_paragraph_is_economy_tagged_culture(by_line):
    block = by_line[29]
    assert (block.theme, block.tags) == ("economy", ("culture",))
    assert "兼及文化繁荣：" in block.theme_reason and "演唱会" in block.theme_reason


def test_intro_caption_and_headings_get_no_theme(classified):
    for block in classified.blocks:
        if block.kind != "paragraph" or block.part is None:
            assert (block.theme, block.tags, block.theme_reason) == (None, (), ""), block.raw[:20]
    assert sum(1 for b in classified.blocks if b.kind == "paragraph" and b.part is None) == 3


def test_every_body_paragraph_gets_one_of_the_four_themes(classified):
    body = [b for b in classified.paragraphs if b.part is not None]
    assert body and all(b.theme in THEMES and b.theme not in b.tags for b in body)


def test_classify_is_deterministic_and_does_not_touch_the_text(restored_text):
    report = parse(restored_text, "seed_000_restored")
    first, second = classify(report), classify(report)
    assert first == second
    assert [b.text for b in first.blocks] == [b.text for b in report.blocks]


def test_every_rule_in_themes_yml_fires_on_the_restored_report(classified):
    assert unused_keywords(classified) == []


def test_unused_keywords_reports_a_keyword_and_a_section_that_never_fire(classified):
    themes = tuple(replace(t, keywords=t.keywords + (Keyword("火星基地", 1, "test"),),
                           section_priors=t.section_priors + (SectionPrior("不存在的章节", 1, "test"),))
                   if t.id == "economy" else t for t in load_themes())
    assert unused_keywords(classified, themes) == [("economy", "火星基地"), ("economy", "章节：不存在的章节")]


# ---------------------------------------------------------------- scoring, on small hand-made rules

SMALL = (
    Theme("economy", "经济发展", "lead", "material/factory",
          keywords=(Keyword("招商", 2, "n"), Keyword("项目", 1, "n")),
          section_priors=(SectionPrior("扩内需", 3, "n"),)),
    Theme("urban-renewal", "城市更新", "lead", "material/city-variant-outline",
          keywords=(Keyword("城中村", 1, "n"), Keyword("城中村改造", 2, "n"), Keyword("片区", 2, "n"))),
)


def paragraph(text: str, section: str = "") -> Block:
    return Block(0, "paragraph", text, text, part="回眸2024", section=section or None)


def test_a_longer_keyword_counts_once_not_also_as_the_shorter_one():
    hits = keyword_hits("稳步开展城中村改造提升，两个城中村焕然一新", SMALL)
    assert hits["urban-renewal"] == {"城中村改造": 1, "城中村": 1}


def test_keywords_match_whole_words_only():
    # 立项目标 is 立项 + 目标 and 招商银行 is a bank: neither holds the word 项目 or 招商.
    assert "项目" in "立项目标" and "招商" in "招商银行"
    assert keyword_hits("立项目标明确，招商银行放贷", SMALL)["economy"] == {}


def test_section_prior_decides_when_the_words_are_silent():
    decision = decide(paragraph("今年来成绩喜人。", "兴产业扩内需 经济平稳健康运行"), SMALL, Settings())
    assert decision.theme == "economy" and decision.scores["economy"] == 3


def test_words_outweigh_a_section_prior():
    decision = decide(paragraph("前埔片区启动拆除，湖滨片区返迁。", "兴产业扩内需"), SMALL, Settings())
    assert decision.theme == "urban-renewal" and decision.scores == {"economy": 3, "urban-renewal": 4}


def test_a_secondary_tag_needs_its_own_keyword_and_enough_points():
    text = "片区招商，片区项目。"
    assert decide(paragraph(text), SMALL, Settings(0.5, 3)).tags == ("economy",)
    assert decide(paragraph(text), SMALL, Settings(0.5, 4)).tags == ()


def test_a_paragraph_without_any_evidence_gets_no_theme():
    decision = decide(paragraph("征程万里，重任在肩。"), SMALL, Settings())
    assert decision.theme is None


# ---------------------------------------------------------------- the rules file is checked

VALID_THEME = """
  - id: {id}
    name: 名字
    icon: material/factory
    lead: 一句话。
    keywords:
      - {{word: 词{id}, weight: 1, note: 为什么}}
"""


def write_rules(tmp_path, first_theme: str) -> Path:
    others = "".join(VALID_THEME.format(id=t) for t in THEMES[1:])
    path = tmp_path / "themes.yml"
    path.write_text("themes:\n" + first_theme + others, encoding="utf-8")
    return path


def test_a_valid_rules_file_loads_in_file_order(tmp_path):
    path = write_rules(tmp_path, VALID_THEME.format(id="economy"))
    assert [t.id for t in load_themes(path)] == list(THEMES)


@pytest.mark.parametrize("broken, message", [
    ("{{word: 人工智能, note: 缺权重}}", "'weight' must be a positive number"),
    ("{{word: 人工智能, weight: -2, note: 负数}}", "'weight' must be a positive number"),
    ("{{word: 人工智能, weight: 2}}", "'note' must be a non-empty text"),
    ("{{word: 人工智能, weigth: 2, note: 拼错}}", "unknown key(s) weigth"),
    ("{{word: '', weight: 2, note: 空词}}", "'word' must be a non-empty text"),
    ("人工智能", "expected a mapping"),
])
def test_a_malformed_keyword_is_rejected_naming_the_file_and_the_entry(tmp_path, broken, message):
    theme = VALID_THEME.format(id="economy") + f"      - {broken.format()}\n"
    path = write_rules(tmp_path, theme)
    with pytest.raises(InputError) as err:
        load_themes(path)
    assert str(path) in str(err.value) and message in str(err.value)
    assert "theme economy keyword #2" in str(err.value)


def test_error_names_the_line_of_the_bad_entry(tmp_path):
    path = write_rules(tmp_path, VALID_THEME.format(id="economy") + "      - {word: 人工智能, weight: 0, note: 零}\n")
    bad_line = path.read_text(encoding="utf-8").split("\n").index("      - {word: 人工智能, weight: 0, note: 零}") + 1
    with pytest.raises(InputError, match=f"line {bad_line}"):
        load_themes(path)


def test_an_unknown_icon_is_rejected(tmp_path):
    path = write_rules(tmp_path, VALID_THEME.format(id="economy").replace("material/factory", "material/no-such-icon"))
    with pytest.raises(InputError, match="no-such-icon is not one of mkdocs-material's bundled icons"):
        load_themes(path)


def test_a_keyword_listed_under_two_themes_is_rejected(tmp_path):
    path = write_rules(tmp_path, VALID_THEME.format(id="economy") + "      - {word: 词culture, weight: 1, note: 重复}\n")
    with pytest.raises(InputError, match="listed under both economy and culture"):
        load_themes(path)


def test_a_missing_or_unknown_theme_is_rejected(tmp_path):
    path = write_rules(tmp_path, VALID_THEME.format(id="sports"))
    with pytest.raises(InputError, match="unknown id"):
        load_themes(path)


def test_broken_yaml_is_reported_with_the_file_name(tmp_path):
    path = tmp_path / "themes.yml"
    path.write_text("themes: [\n  - id: economy\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML") as err:
        load_themes(path)
    assert str(path) in str(err.value)


def test_the_shipped_rules_have_names_leads_and_icons_for_all_four_themes():
    themes = load_themes(THEMES_YML)
    assert [t.name for t in themes] == ["经济发展", "城市更新", "民生保障", "文化繁荣"]
    assert all(t.lead.endswith("。") and t.icon.startswith("material/") for t in themes)


def test_the_section_prior_reads_the_cleaned_heading_not_the_spun_section_field():
    spun, cleaned = "劣环境强治理 城区品量片面提升", "优环境强治理 城区品质全面提升"
    report = Report(slug="x", source="x", title="标题", blocks=(
        Block(0, "heading", "回眸2024:真干担任", "回眸2024:实干担当", level=1, part="回眸2024:真干担任"),
        Block(1, "heading", spun, cleaned, level=2, part="回眸2024:真干担任", section=spun),
        Block(2, "paragraph", "今年成绩喜人。", "今年成绩喜人。", part="回眸2024:真干担任", section=spun),
    ))
    block = classify(report).blocks[2]
    assert block.theme == "urban-renewal"
    assert block.theme_reason == "关键词：无；所在章节：优环境强治理"
