"""Theme classification: agreement with the hand annotation, readable reasons, strict rules file."""
import csv
from dataclasses import replace
from pathlib import Path

import pytest

from build_scripts import pipeline
from build_scripts.classify import (FRESH_HELD_OUT_FILES, HELD_OUT_FILES, TUNED_FILES, Keyword, NullRules,
                                    SectionPrior, Settings, Theme, classify, cleaned_sections, confusion, decide,
                                    gold_block, gold_outcomes, keyword_hits, lead_sentence, load_gold, load_null_rules,
                                    load_themes, unused_keywords)
from build_scripts.errors import InputError
from build_scripts.model import THEMES, Block, Report
from build_scripts.parse import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RESTORED = FIXTURES / "seed_000_restored.txt"
GOLD = FIXTURES / "seed_000_themes.tsv"
THEMES_YML = Path(__file__).resolve().parent.parent / "build_scripts" / "data" / "themes.yml"
OFFICIAL_GOLD = FIXTURES / "themes" / "gold.tsv"
# The corpus beside the project when present; seeds/ holds the same 22 reports for a clone without it.
_SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "official-2026"
CORPUS = _SHARED if _SHARED.is_dir() else Path(__file__).resolve().parent.parent / "seeds"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus of official reports not at {CORPUS}")


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


def official(files) -> dict:
    """File stem → (report through the whole pipeline, source text)."""
    return {name: (pipeline.load_report(CORPUS / f"{name}.txt"), (CORPUS / f"{name}.txt").read_text(encoding="utf-8"))
            for name in files}


@pytest.fixture(scope="module")
def tuned_reports() -> dict:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus of official reports not at {CORPUS}")
    return official(TUNED_FILES)


@pytest.fixture(scope="module")
def official_gold():
    return load_gold(OFFICIAL_GOLD)


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


def test_headings_and_the_caption_get_no_theme_and_no_reason(classified):
    for block in classified.blocks:
        if block.kind != "paragraph":
            assert (block.theme, block.tags, block.theme_reason) == (None, (), ""), block.raw[:20]


def test_the_news_lead_before_the_first_part_heading_gets_no_theme_and_says_why(classified):
    preamble = [b for b in classified.paragraphs if b.part is None]
    assert len(preamble) == 3
    assert all(b.theme is None and b.theme_reason.startswith("不归主题：") for b in preamble)


def test_every_body_paragraph_gets_one_of_the_four_themes(classified):
    body = [b for b in classified.paragraphs if b.part is not None]
    assert body and all(b.theme in THEMES and b.theme not in b.tags for b in body)


def test_classify_is_deterministic_and_does_not_touch_the_text(restored_text):
    report = parse(restored_text, "seed_000_restored")
    first, second = classify(report), classify(report)
    assert first == second
    assert [b.text for b in first.blocks] == [b.text for b in report.blocks]


# Every corpus file the rules may be tuned on (common.md); the held-out files are never used here.
TUNABLE = ("anhui", "chongqing", "fujian", "guangxi", "guizhou", "hainan", "hebei", "heilongjiang", "henan",
           "hubei", "hunan")


@needs_corpus
def test_every_rule_in_themes_yml_fires_on_the_seed_or_a_tunable_official_report(classified):
    reports = [report for report, _ in official(TUNABLE).values()]
    assert unused_keywords([classified] + reports) == []


def test_unused_keywords_reports_a_keyword_and_a_section_that_never_fire(classified):
    themes = tuple(replace(t, keywords=t.keywords + (Keyword("火星基地", 1, "test"),),
                           section_priors=t.section_priors + (SectionPrior("不存在的章节", 1, "test"),))
                   if t.id == "economy" else t for t in load_themes())
    unused = unused_keywords(classified, themes)
    assert ("economy", "火星基地") in unused and ("economy", "章节：不存在的章节") in unused


# ---------------------------------------------------------------- scoring, on small hand-made rules

SMALL = (
    Theme("economy", "经济发展", "lead", "material/factory",
          keywords=(Keyword("招商", 2, "n"), Keyword("项目", 1, "n")),
          section_priors=(SectionPrior("扩内需", 3, "n"),)),
    Theme("urban-renewal", "城市更新", "lead", "material/city-variant-outline",
          keywords=(Keyword("城中村", 1, "n"), Keyword("城中村改造", 2, "n"), Keyword("片区", 2, "n")),
          section_priors=(SectionPrior("城区", 3, "n"),)),
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


def test_a_heading_alone_gives_no_theme_when_the_words_are_silent():
    decision = decide(paragraph("今年来成绩喜人。", "兴产业扩内需 经济平稳健康运行"), SMALL, Settings())
    assert decision.theme is None and decision.scores["economy"] == 3


def test_the_heading_breaks_a_tie_between_two_themes():
    text = "招商成效明显，片区面貌一新。"  # economy 2, urban-renewal 2
    assert decide(paragraph(text, "兴产业扩内需"), SMALL, Settings()).theme == "economy"
    assert decide(paragraph(text, "城区品质提升"), SMALL, Settings()).theme == "urban-renewal"


def test_words_outweigh_a_section_prior():
    decision = decide(paragraph("前埔片区启动拆除，湖滨片区返迁。", "兴产业扩内需"), SMALL, Settings())
    assert decision.theme == "urban-renewal" and decision.scores == {"economy": 3, "urban-renewal": 4}


def test_a_second_theme_is_a_tag_when_it_leads_a_sentence_of_its_own_with_enough_points():
    text = "片区改造，片区返迁，片区提升。招商提速，项目落地，招商见效。"  # urban-renewal 6, then economy 5
    decision = decide(paragraph(text), SMALL, Settings(sentence_min=4))
    assert (decision.theme, decision.tags) == ("urban-renewal", ("economy",))
    assert decide(paragraph(text), SMALL, Settings(sentence_min=6)).tags == ()  # 5 points are not enough


def test_words_of_a_second_theme_spread_over_sentences_it_does_not_lead_are_no_tag():
    # economy has 6 points in all, but each sentence is led by urban-renewal: a passing word each time.
    text = "片区改造，片区返迁，招商。片区提升，片区返迁，招商。片区改造，片区提升，招商。"
    decision = decide(paragraph(text), SMALL, Settings(sentence_min=2))
    assert decision.theme == "urban-renewal" and decision.scores["economy"] >= 6 and decision.tags == ()


def test_a_paragraph_without_any_evidence_gets_no_theme():
    decision = decide(paragraph("征程万里，重任在肩。"), SMALL, Settings())
    assert decision.theme is None


def test_a_single_weak_keyword_is_below_the_threshold():
    assert decide(paragraph("项目进展顺利。"), SMALL, Settings()).theme is None
    assert decide(paragraph("项目进展顺利。"), SMALL, Settings(min_score=0.5)).theme == "economy"


THANKS = NullRules(cues=(Keyword("感谢", 3, "致谢"), Keyword("各位代表", 3, "称呼")))


def test_thanks_outweigh_the_theme_words_they_mention():
    text = "各位代表！招商成果的取得离不开全市人民，我代表市政府表示衷心感谢！"
    decision = decide(paragraph(text), SMALL, Settings(), null=THANKS)
    assert decision.theme is None and decision.why_null == "cues"
    assert decision.null_score > decision.scores["economy"] == 2


def test_null_cues_lose_to_a_paragraph_full_of_theme_words():
    text = "感谢企业。招商、招商、招商，片区项目接连落地。"
    assert decide(paragraph(text), SMALL, Settings(), null=THANKS).theme == "economy"


def test_a_short_lead_sentence_is_found_and_a_long_first_sentence_is_not():
    assert lead_sentence("消费有力提振。全年社会消费品零售总额增长5%。") == "消费有力提振"
    assert lead_sentence("面对国内外形势深刻复杂变化，深入落实中央一揽子政策措施，全面落实各项部署。其后…") == ""
    assert lead_sentence("征程万里，重任在肩。") == ""  # one sentence only: no lead


def test_the_lead_sentence_decides_a_paragraph_that_mentions_two_themes():
    text = "片区焕新。片区招商，招商项目。"  # body: urban 4, economy 5; the lead adds 2 to urban
    assert decide(paragraph(text), SMALL, Settings(lead_bonus=1)).theme == "urban-renewal"
    assert decide(paragraph(text), SMALL, Settings(lead_bonus=0)).theme == "economy"


def test_a_paragraph_of_an_official_report_gets_a_theme_without_any_part_or_section():
    block = Block(0, "paragraph", "消费有力提振。以旧换新带动消费品销售，服务消费增长。",
                  "消费有力提振。以旧换新带动消费品销售，服务消费增长。")
    report = classify(Report(slug="x", source="x", title="标题", blocks=(block,)))
    assert report.blocks[0].theme == "economy"
    assert report.blocks[0].theme_reason.startswith("关键词：") and "首句：" in report.blocks[0].theme_reason


def test_opening_thanks_and_government_self_building_stay_null_with_the_shipped_rules():
    texts = ["现在，我代表省人民政府，向大会报告政府工作，请予审议，并请省政协委员提出意见。",
             "这些成绩的取得，离不开全省人民的团结奋斗。在此，我代表省人民政府，向全省各族人民表示衷心感谢！",
             "我们要深刻领悟“两个确立”的决定性意义，坚决做到“两个维护”，深化政府系统党风廉政建设和反腐败斗争，"
             "锲而不舍落实中央八项规定精神，持续整治形式主义、官僚主义，为基层减负、为企业服务。"]
    blocks = tuple(Block(i, "paragraph", t, t) for i, t in enumerate(texts))
    report = classify(Report(slug="x", source="x", title="标题", blocks=blocks))
    assert [b.theme for b in report.blocks] == [None, None, None]
    assert all(b.theme_reason.startswith("不归主题：") for b in report.blocks)


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


def test_a_malformed_null_cue_is_rejected_naming_the_entry(tmp_path):
    path = write_rules(tmp_path, VALID_THEME.format(id="economy"))
    path.write_text(path.read_text(encoding="utf-8") + "no_theme:\n  cues:\n    - {word: 感谢, weight: 3}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="null cue #1.*'note' must be a non-empty text"):
        load_themes(path)


def test_a_word_that_is_both_a_null_cue_and_a_theme_keyword_is_rejected(tmp_path):
    path = write_rules(tmp_path, VALID_THEME.format(id="economy"))
    path.write_text(path.read_text(encoding="utf-8") + "no_theme:\n  cues:\n    - {word: 词economy, weight: 3, note: 重复}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="listed under both economy and null cues"):
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
    assert [t.name for t in themes] == ["经济发展", "城乡建设", "民生保障", "文化繁荣"]
    assert all(t.lead.endswith("。") and t.icon.startswith("material/") for t in themes)


def test_theme_leads_are_neutral_descriptions_without_places_or_one_reports_topics():
    for theme in load_themes(THEMES_YML):
        assert len(theme.lead) <= 60, theme.id
        assert not any(word in theme.lead for word in ("人工智能", "软件", "思明", "厦门", "城区", "去年", "今年")), theme.id


def test_the_section_prior_reads_the_cleaned_heading_not_the_spun_section_field():
    spun, cleaned = "劣氛围强治理 某区品量片面提升", "优环境强治理 城区品质全面提升"
    text = "老旧小区和民营企业都有了新变化。"  # urban-renewal 2, economy 2: the heading decides
    report = Report(slug="x", source="x", title="标题", blocks=(
        Block(0, "heading", "回眸2024:真干担任", "回眸2024:实干担当", level=1, part="回眸2024:真干担任"),
        Block(1, "heading", spun, cleaned, level=2, part="回眸2024:真干担任", section=spun),
        Block(2, "paragraph", text, text, part="回眸2024:真干担任", section=spun),
    ))
    block = classify(report).blocks[2]
    assert block.theme == "urban-renewal"
    assert block.theme_reason == "关键词：老旧小区；所在章节：优环境强治理；兼及经济发展：民营企业" or \
        block.theme_reason == "关键词：老旧小区；所在章节：优环境强治理"


# ---------------------------------------------------------------- official reports: the hand annotation


def test_the_official_gold_has_enough_rows_on_tuned_and_held_out_files(official_gold):
    tuned = [r for r in official_gold if r.file in TUNED_FILES]
    held = [r for r in official_gold if r.file in HELD_OUT_FILES]
    fresh = [r for r in official_gold if r.file in FRESH_HELD_OUT_FILES]
    assert len(tuned) >= 300 and len(held) >= 300 and len(fresh) >= 150
    assert not set(TUNED_FILES) & set(HELD_OUT_FILES)
    assert len({r.file for r in fresh}) == 3 and len(tuned) + len(held) == len(official_gold)
    assert {r.theme for r in held} == {r.theme for r in fresh} == set(THEMES) | {None}


def test_a_malformed_gold_row_is_rejected_with_its_line(tmp_path):
    path = tmp_path / "gold.tsv"
    path.write_text("file\tkey\ttheme\tnote\nhebei\t现在，我代表\tsports\t错\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        load_gold(path)


@needs_corpus
def test_every_gold_key_finds_its_paragraph_in_the_pipeline_output(official_gold, tuned_reports):
    outcomes = gold_outcomes([r for r in official_gold if r.file in TUNED_FILES], tuned_reports)
    assert all(block is not None for _, block in outcomes)


@needs_corpus
def test_tuned_official_reports_agree_with_the_annotation_on_at_least_90_percent(official_gold, tuned_reports):
    counts = confusion(gold_outcomes([r for r in official_gold if r.file in TUNED_FILES], tuned_reports))
    agree = sum(n for (gold, got), n in counts.items() if gold == got)
    assert agree / sum(counts.values()) >= 0.90, counts


@needs_corpus
def test_held_out_official_reports_agree_with_the_annotation_on_at_least_90_percent(official_gold):
    # Union of both held-out sets (first: jiangsu, neimenggu, xinjiang, xizang; fresh: ningxia, sichuan, shanghai),
    # annotated by reading before the classifier ran on them and never adjusted to its output. Measured once after
    # the second round: 346/384 = 90.1% (first set 89.8%, fresh set 90.5%).
    counts = confusion(gold_outcomes([r for r in official_gold if r.file in HELD_OUT_FILES], official(HELD_OUT_FILES)))
    agree = sum(n for (gold, got), n in counts.items() if gold == got)
    assert agree / sum(counts.values()) >= 0.90, counts


def test_an_item_heading_does_not_replace_the_section_heading_above_it():
    report = Report(slug="x", source="x", title="标题", blocks=(
        Block(0, "heading", "三、2026年工作安排", "三、2026年工作安排", level=1),
        Block(1, "heading", "（一）大力提振消费", "（一）大力提振消费", level=2),
        Block(2, "heading", "1．加快城市更新", "1．加快城市更新", level=3),
        Block(3, "paragraph", "以旧换新。", "以旧换新。"),
        Block(4, "heading", "（二）扩大有效投资", "（二）扩大有效投资", level=2),
        Block(5, "paragraph", "政府投资。", "政府投资。"),
        Block(6, "heading", "四、政府自身建设", "四、政府自身建设", level=1),
        Block(7, "heading", "1．依法行政", "1．依法行政", level=3),
        Block(8, "paragraph", "接受监督。", "接受监督。"),
    ))
    sections = cleaned_sections(report)
    assert sections[3] == "（一）大力提振消费"  # not the item 1．加快城市更新
    assert sections[5] == "（二）扩大有效投资"  # a new section forgets the old item
    assert sections[8] == "1．依法行政"  # with no section above, the item is the closest heading


# ---------------------------------------------------------------- secondary themes against reading

SECONDARY_TUNED = FIXTURES / "themes" / "secondary_gold_tuned.tsv"  # sentence_min was chosen on these
SECONDARY_HELD_OUT = FIXTURES / "themes" / "secondary_gold.tsv"  # never tuned on (GUIDE.md)


def tag_agreement(path: Path) -> tuple[int, int, int]:
    """(tags the reader also gave, tags the reader did not give, the reader's secondary themes) over a gold file.

    A tag naming the reader's main theme counts as right (the paragraph reaches that page all the same),
    and so does a reader's secondary theme the classifier chose as main.
    """
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    reports = official(sorted({row["file"] for row in rows}))
    right = wrong = wanted = 0
    for row in rows:
        report, text = reports[row["file"]]
        block = gold_block(report, text, row["key"])
        gold = set(filter(None, row["secondary"].split(",")))
        pages = gold | ({row["theme"]} if row["theme"] != "null" else set())
        tags = set(block.tags) if block is not None and block.theme else set()
        right += len(tags & pages)
        wrong += len(tags - pages)
        wanted += len(gold)
    return right, wrong, wanted


@needs_corpus
@pytest.mark.parametrize("path, precision, found", [(SECONDARY_TUNED, 0.9, 0.45), (SECONDARY_HELD_OUT, 0.65, 0.35)])
def test_secondary_tags_agree_with_the_readers_secondary_themes(path, precision, found):
    # Measured: tuned 28 right, 0 wrong, of 62 wanted (precision 100%, recall 45%); held out 15 right, 6 wrong,
    # of 40 (71%, 38%). The rule it replaced (a share of the main score) had 25/8 of 62 and 15/15 of 40.
    right, wrong, wanted = tag_agreement(path)
    assert right / (right + wrong) >= precision, (right, wrong)
    assert right / wanted >= found, (right, wanted)
