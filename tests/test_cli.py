"""The command line as users call it: `python -m build_scripts parse|clean`."""
import json
import subprocess
import sys

from conftest import ROOT, SEED


def cli(*args):
    return subprocess.run([sys.executable, "-m", "build_scripts", *args], cwd=ROOT, capture_output=True, text=True)


def test_parse_json_prints_the_report_record_with_the_documented_keys():
    result = cli("parse", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert {"title", "published", "blocks", "corrections"} <= record.keys()
    block = record["blocks"][6]
    assert {"index", "kind", "section", "raw", "text", "theme", "figures"} <= block.keys()
    assert {b["kind"] for b in record["blocks"]} == {"heading", "paragraph", "caption"}
    themes = {b["theme"] for b in record["blocks"] if b["kind"] == "paragraph" and b["part"]}
    assert themes == {"economy", "urban-renewal", "livelihood", "culture"}
    assert all(b["theme"] is None for b in record["blocks"] if b["kind"] == "heading")


def test_clean_prints_any_text_file_line_for_line(tmp_path):
    source = tmp_path / "any.txt"
    source.write_text("第一行\n\n  思明区展开财产\nplain ascii line\n", encoding="utf-8")
    result = cli("clean", str(source))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split("\n")) == len(source.read_text(encoding="utf-8").split("\n"))
    assert result.stdout.split("\n")[3] == "plain ascii line"


def test_a_bad_file_gives_one_error_line_and_a_non_zero_exit(tmp_path):
    bad = tmp_path / "report.txt"
    bad.write_bytes("思明区政府工作报告".encode("gb18030"))
    result = cli("parse", str(bad), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert str(bad) in result.stderr and "GB18030" in result.stderr
