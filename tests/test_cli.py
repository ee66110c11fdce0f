"""The command line as users call it: `python -m build_scripts parse|clean`."""
import json
import subprocess
import sys

import pytest

from build_scripts.__main__ import EXIT_BROKEN_PIPE, main
from build_scripts.errors import InputError
from conftest import FIXTURES, ROOT, SEED


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


# ---- Errors and streams (issue 9) ------------------------------------------------------------------

HOSTILE = FIXTURES / "hostile"


def run_main(capsys, *args):
    """The command line in this process (fast enough to sweep every hostile seed): status, stdout, stderr."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("seed", sorted(HOSTILE.glob("*.txt")), ids=lambda p: p.name)
def test_every_hostile_seed_gives_a_record_or_one_error_line_naming_it(capsys, seed):
    status, out, err = run_main(capsys, "parse", str(seed), "--json")
    if status == 0:
        assert json.loads(out)["blocks"]
        assert err == ""
    else:
        assert status == 1 and out == ""
        assert err.count("\n") == 1 and err.startswith(f"error: {seed}: "), err


@pytest.mark.parametrize("name, problem", [
    ("empty.txt", "file is empty"),
    ("gb18030.txt", "GB18030"),
    ("utf16_no_bom.txt", "UTF-16-LE without a byte order mark"),
])
def test_unusable_hostile_seeds_are_refused_saying_why(capsys, name, problem):
    status, _, err = run_main(capsys, "clean", str(HOSTILE / name))
    assert status == 1
    assert err.startswith(f"error: {HOSTILE / name}: ") and problem in err


def test_a_utf16_seed_with_its_byte_order_mark_reads_like_the_utf8_one(capsys, tmp_path):
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text((HOSTILE / "utf16_bom.txt").read_bytes()[2:].decode("utf-16-le"), encoding="utf-8")
    status, from_utf16, _ = run_main(capsys, "clean", str(HOSTILE / "utf16_bom.txt"))
    assert status == 0 and "全年投资68亿元" in from_utf16
    assert run_main(capsys, "clean", str(utf8))[1] == from_utf16


def test_a_seed_with_an_impossible_date_is_refused_in_one_line_or_published_without_it(capsys):
    # parse.py refuses a stated date that cannot exist, quoting the line; publishing without it would also do.
    import datetime as dt

    seed = HOSTILE / "impossible_date.txt"
    status, out, err = run_main(capsys, "parse", str(seed), "--json")
    if status == 0:
        published = json.loads(out)["published"]
        assert published == "" or dt.datetime.fromisoformat(published), published
    else:
        assert err.count("\n") == 1 and err.startswith(f"error: {seed}: ") and "2024-13-45" in err


def test_a_200_character_title_is_not_called_unrecognisable(capsys):
    # parse.py refuses a title-shaped first line over the limit of data/parse_rules.yml as too long.
    seed = HOSTILE / "long_title_200.txt"
    status, _, err = run_main(capsys, "parse", str(seed), "--json")
    assert status == 0 or ("no recognisable title" not in err and "200" in err), err


def test_clean_dash_reads_standard_input():
    result = subprocess.run([sys.executable, "-m", "build_scripts", "clean", "-"], cwd=ROOT, capture_output=True,
                            input="第一行\n思明区展开财产\nplain ascii line".encode("utf-8"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").split("\n")[::2] == ["第一行", "plain ascii line"]


def test_empty_standard_input_is_one_error_line():
    result = subprocess.run([sys.executable, "-m", "build_scripts", "clean", "-"], cwd=ROOT, capture_output=True,
                            input=b"")
    assert result.returncode == 1
    assert result.stderr.decode() == "error: <stdin>: file is empty\n"


def test_a_reader_that_stops_early_ends_the_output_quietly():
    # `parse --json | head`: close the read end before anything is written, so the write must fail.
    process = subprocess.Popen([sys.executable, "-m", "build_scripts", "parse", str(SEED), "--json"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert stderr == ""


def test_an_error_that_quotes_several_lines_is_still_printed_on_one(capsys, monkeypatch):
    def read_seed(path):
        raise InputError("seeds/x.txt", "first line\nsecond line")

    monkeypatch.setattr("build_scripts.__main__.read_seed", read_seed)
    status, _, err = run_main(capsys, "clean", "seeds/x.txt")
    assert (status, err) == (1, "error: seeds/x.txt: first line second line\n")
