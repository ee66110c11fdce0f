"""Provenance files beside the seeds (seeds/<name>.yml): what they may say, and what they refuse."""
import pytest

from build_scripts.errors import InputError
from build_scripts.model import Report
from build_scripts.pipeline import load_report, report_key, seed_files
from build_scripts.provenance import Provenance, apply_provenance, load_provenance, parse_provenance, url_problem

ARTICLE = "某县召开人代会\n\n发布时间:2025-01-10 09:00\n\n  1月8日，某县第一届人民代表大会第三次会议开幕。县长张三作政府工作报告。\n"


def test_a_full_provenance_file_gives_outlet_links_and_note():
    found = parse_provenance("outlet: 某县日报\nsource_url: https://news.example.cn/a.html\n"
                             "official_url: http://www.example.gov.cn/b.html?id=1&p=2\nnote: 转载稿，原发媒体不明。\n")
    assert (found.outlet, found.source_url, found.official_url, found.note) == (
        "某县日报", "https://news.example.cn/a.html", "http://www.example.gov.cn/b.html?id=1&p=2", "转载稿，原发媒体不明。")


def test_an_empty_file_states_nothing():
    assert parse_provenance("# nothing known yet\n") == Provenance("<provenance>")


@pytest.mark.parametrize("text, problem", [
    ("outlet: 日报\nsorce_url: https://a.example.cn/\n", "line 2: unknown key 'sorce_url'"),
    ("official_url: javascript:alert(1)\n", "line 1: official_url 'javascript:alert(1)' must start with http"),
    ("source_url: ftp://a.example.cn/x\n", "must start with http:// or https://"),
    ("source_url: https://a.example.cn/x\"onmouseover=alert(1)\n", "quote"),
    ("source_url: https:///nohost\n", "has no host name"),
    ("outlet: 日报\nnote: \n", "line 2: note is empty"),
    ("outlet: 2025\n", "line 1: outlet must be text"),
    ("note: [一, 二]\n", "line 1: note must be text"),
    ("outlet: 甲\noutlet: 乙\n", "line 2: outlet is given twice"),
    ("- outlet: 日报\n", "line 1: expected a mapping"),
    ("outlet: [unclosed\n", "not valid YAML"),
])
def test_a_bad_provenance_file_is_refused_with_its_line(text, problem):
    with pytest.raises(InputError) as err:
        parse_provenance(text, "seeds/x.yml")
    assert err.value.path == "seeds/x.yml" and problem in err.value.problem


def test_only_web_addresses_with_a_host_can_be_published():
    assert url_problem("https://www.gov.cn/zhengce/2025.htm") == ""
    assert url_problem("//evil.example/x") and url_problem("data:text/html,hi") and url_problem("https://a b.cn/")


def test_the_editors_outlet_wins_and_the_links_are_added():
    report = apply_provenance(Report("x", "seeds/x.txt", "标题", outlet="转载网"),
                              Provenance(outlet="某县日报", official_url="https://www.example.gov.cn/r.html"))
    assert (report.outlet, report.official_url, report.source_url) == ("某县日报", "https://www.example.gov.cn/r.html", "")


def test_a_seed_without_a_provenance_file_keeps_what_it_says(tmp_path):
    (tmp_path / "county.txt").write_text(ARTICLE, encoding="utf-8")
    assert load_provenance(tmp_path / "county.txt") == Provenance()
    report = load_report(tmp_path / "county.txt")
    assert (report.source_url, report.official_url, report.source_note) == ("", "", "")


def test_the_provenance_file_reaches_the_record_and_is_not_a_seed(tmp_path):
    (tmp_path / "county.txt").write_text(ARTICLE, encoding="utf-8")
    before = report_key(tmp_path / "county.txt")
    (tmp_path / "county.yml").write_text("outlet: 某县日报\nofficial_url: https://www.example.gov.cn/r.html\n",
                                         encoding="utf-8")
    assert seed_files(tmp_path) == [tmp_path / "county.txt"]
    assert report_key(tmp_path / "county.txt") != before  # editing the file rebuilds the report
    report = load_report(tmp_path / "county.txt")
    assert (report.outlet, report.official_url) == ("某县日报", "https://www.example.gov.cn/r.html")


def test_a_bad_provenance_file_stops_the_report_naming_the_file(tmp_path):
    (tmp_path / "county.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "county.yml").write_text("outlet: 某县日报\nurl: https://www.example.gov.cn/\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_report(tmp_path / "county.txt")
    assert err.value.path == str(tmp_path / "county.yml") and "line 2: unknown key 'url'" in err.value.problem


def test_a_provenance_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    # Issue 23: a 71 MB provenance file was accepted (and read into every build's cache key).
    from build_scripts.provenance import MAX_FILE_BYTES

    (tmp_path / "county.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "county.yml").write_text("# " + "注" * MAX_FILE_BYTES + "\noutlet: 某县日报\n", encoding="utf-8")
    for read in (report_key, load_provenance):
        with pytest.raises(InputError, match="takes at most 64,000") as error:
            read(tmp_path / "county.txt")
        assert error.value.path == str(tmp_path / "county.yml")


def test_a_provenance_file_that_is_a_symbolic_link_is_refused(tmp_path):
    (tmp_path / "county.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "county.yml").symlink_to("/etc/hostname")
    with pytest.raises(InputError, match="is a symbolic link"):
        load_provenance(tmp_path / "county.txt")


def test_bidi_overrides_and_controls_are_dropped_from_what_the_editor_states():
    found = parse_provenance('outlet: "某县\\u202e日报\\u2066"\nnote: "转载稿\\u200f，原发\\x9b媒体不明。"\n')
    assert (found.outlet, found.note) == ("某县日报", "转载稿，原发媒体不明。")
