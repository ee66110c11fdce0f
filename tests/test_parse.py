"""The parse stage on the seed and on bad inputs. Expected values were read off the seed by hand."""
import pytest

from build_scripts.errors import InputError
from build_scripts.parse import parse, read_seed

PARTS = ["回眸2024:真干担任 奋发做为", "展望2025:守正翻新 敢做善为"]
SECTIONS_2024 = ["兴财产扩内需 经济颠簸安康运止", "促变化添动能 展开后劲显著加强",
                 "劣环境强治理 城区品量片面提升", "守初心暖民意 民生福祉成涩更足"]
SECTIONS_2025 = ["变化引领 加快展开新量消费劲", "扩容挖潜 有力加强展开动能", "精密治理 连续劣化城区品量",
                 "以民为原 全力办好民生真事", "暂暂为罪 不停提升文化映响力"]
BOILERPLATE = ["文章正文", "发布时间", "本题目", "责编", "(文/记者"]


@pytest.fixture(scope="module")
def report(seed_text, seed_path):
    return parse(seed_text, str(seed_path))


def test_title_is_the_first_line(report):
    assert report.title == "改革破题勇争先、向新图强再启航 厦门市思明区第十八届人民代表大会第四次会议开幕"


def test_metadata_is_lifted_out_of_the_boilerplate(report):
    assert report.published == "2024-12-31T00:34"
    assert report.original_title_raw == "变化破题怯争先 向新图强再启航"
    assert report.reporter == ("吴燕如",)
    assert report.correspondent == ("夏思萱",)
    assert report.editors == ("陈楚楚", "刘卿")
    assert report.photo_credit == "记者 王火炎"
    assert report.presenter == "区长陈通汕"


def test_both_parts_and_all_nine_sections_are_headings_in_order(report):
    parts = [b.raw for b in report.blocks if b.kind == "heading" and b.level == 1]
    sections = [b.raw for b in report.blocks if b.kind == "heading" and b.level == 2]
    assert parts == PARTS
    assert sections == SECTIONS_2024 + SECTIONS_2025


def test_every_body_line_becomes_exactly_one_block(report, seed_text):
    lines = [l.strip(" \u3000") for l in seed_text.splitlines() if l.strip()]
    body = lines[lines.index("思明区间断四年留任全省都市展开“十劣”区首位,以真干真效书写高量质展开答卷。图为斑斓的筼筜湖景色。记者 王火炎 航拍器摄"):-1]
    body[-1] = body[-1].removesuffix("(文/记者 吴燕如 通讯员 夏思萱)")
    assert [b.raw for b in report.blocks] == body
    assert len(report.paragraphs) == 47


def test_no_boilerplate_reaches_the_body(report):
    for block in report.blocks:
        assert not any(block.raw.startswith(b) or b in block.raw for b in BOILERPLATE), block.raw


def test_photo_caption_is_its_own_block(report):
    assert report.blocks[0].kind == "caption"
    assert report.blocks[0].raw.endswith("航拍器摄")


def test_paragraphs_know_their_part_and_section(report):
    tourism = next(b for b in report.paragraphs if b.raw.startswith("文体旅融合"))
    assert tourism.part == PARTS[0] and tourism.section == SECTIONS_2024[0]
    last = report.paragraphs[-1]
    assert last.part == PARTS[1] and last.section == SECTIONS_2025[-1]
    intro = report.paragraphs[0]
    assert intro.part is None and intro.section is None


def test_blocks_are_numbered_in_reading_order(report):
    assert [b.index for b in report.blocks] == list(range(len(report.blocks)))


def test_windows_line_endings_and_a_bom_parse_the_same(seed_text, report):
    again = parse("\ufeff" + seed_text.replace("\n", "\r\n"), "x.txt")
    assert [b.raw for b in again.blocks] == [b.raw for b in report.blocks]


@pytest.mark.parametrize("content, problem", [
    (b"", "empty"),
    (b"   \n\n\t", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("厦门市思明区政府工作报告开幕\n\n全区经济平稳运行。".encode("gb18030"), "GB18030"),
    (b"\xff\xfe\xfa broken", "not UTF-8"),
])
def test_unusable_files_are_refused_naming_the_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_seed(path)
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_seed(tmp_path / "absent.txt")


def test_a_title_without_body_is_refused():
    with pytest.raises(InputError, match="no body"):
        parse("厦门市思明区政府工作报告\n\n文章正文\n\n发布时间:2024-12-31 00:34\n", "t.txt")


def test_a_file_starting_with_boilerplate_has_no_title():
    with pytest.raises(InputError, match="no recognisable title"):
        parse("发布时间:2024-12-31 00:34\n\n  全区经济平稳运行,人民生活持续改善。\n", "t.txt")
