"""The cache of processed reports: reuse when nothing changed, never a stale record."""
import pickle
from pathlib import Path

import pytest

from build_scripts import cache as cache_module
from build_scripts.cache import Cache, input_key
from conftest import ROOT
from test_pipeline import PLAIN


def test_a_second_request_for_the_same_key_is_served_from_the_cache(tmp_path):
    cache, made = Cache(tmp_path), []
    make = lambda: made.append(1) or {"value": 42}  # noqa: E731
    assert cache.get_or_make("reports", "k1", make) == {"value": 42}
    assert cache.get_or_make("reports", "k1", make) == {"value": 42}
    assert (len(made), cache.hits, cache.misses) == (1, 1, 1)


def test_without_a_folder_nothing_is_cached(tmp_path):
    cache, made = Cache(None), []
    for _ in range(2):
        cache.get_or_make("reports", "k1", lambda: made.append(1))
    assert len(made) == 2 and cache.hits == 0


def test_an_unreadable_entry_is_made_again_and_replaced(tmp_path):
    cache = Cache(tmp_path)
    cache.get_or_make("reports", "k1", lambda: "old")
    (tmp_path / "reports" / "k1.pickle").write_bytes(b"truncated by a killed build")
    assert cache.get_or_make("reports", "k1", lambda: "new") == "new"
    assert cache_module.unpack((tmp_path / "reports" / "k1.pickle").read_bytes()) == "new"


# Issue 23: one cache file holding `garbage` (pickle reads 'g' as a memo look-up and raises
# ValueError) made every later build fail, and --no-cache, which neither reads nor writes, did not repair it.
BAD_ENTRIES = {
    "garbage": b"garbage\n",
    "empty": b"",
    "a valid pickle without the entry's mark": pickle.dumps({"value": 1}),
    "the mark and a wrong checksum": cache_module.FORMAT + bytes(32) + pickle.dumps("x"),
    "an intact entry cut short": cache_module.pack("a value of some length")[:-3],
    "an intact entry of a class this code does not have": cache_module.FORMAT
    + __import__("hashlib").sha256(b"cnope\nGone\n.").digest() + b"cnope\nGone\n.",
}


@pytest.mark.parametrize("name", sorted(BAD_ENTRIES))
def test_a_bad_entry_is_a_miss_that_is_made_again_and_replaced(tmp_path, name):
    cache = Cache(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "k1.pickle").write_bytes(BAD_ENTRIES[name])
    assert cache.get_or_make("reports", "k1", lambda: "made") == "made"
    assert (cache.hits, cache.misses) == (0, 1)
    assert Cache(tmp_path).get_or_make("reports", "k1", lambda: "made twice") == "made"


def test_an_intact_entry_of_another_type_than_its_kind_stores_is_made_again(tmp_path):
    cache = Cache(tmp_path)
    cache.get_or_make("reports", "k1", lambda: ["a list, where a dict is stored"])
    assert cache.get_or_make("reports", "k1", lambda: {"value": 1}, expected=dict) == {"value": 1}
    assert Cache(tmp_path).get_or_make("reports", "k1", lambda: {}, expected=dict) == {"value": 1}


def test_a_batch_takes_only_entries_of_the_expected_type(tmp_path):
    Cache(tmp_path).get_or_make("n", "a", lambda: "text")
    Cache(tmp_path).get_or_make("n", "b", lambda: 4)
    batch = Cache(tmp_path).batch("n", ["a", "b"], expected=int)
    assert batch.values == {1: 4}


def test_a_batch_holds_what_held_makes_of_a_value_and_the_cache_keeps_that_light_form(tmp_path):
    cache = Cache(tmp_path)
    cache.put("parts", "found", "found whole")
    batch = cache.batch("parts", ["found", "made"], held=lambda value: value.upper())
    batch.start(lambda arg: f"{arg} whole", ["unused", "made"])
    assert batch.all() == ["FOUND WHOLE", "MADE WHOLE"]
    assert cache_module.unpack((tmp_path / "parts" / "made.pickle").read_bytes()) == "MADE WHOLE"


def test_a_cached_share_whose_spooled_files_are_gone_is_made_again(tmp_path):
    from build_scripts.model import Report
    from build_scripts.pages import Page
    from build_scripts.site import DataFile, ReportSite

    spool = cache_module.Spool(tmp_path / "spool", kept=True)
    report = Report(source="seeds/a.txt", slug="a", title="a")
    share = ReportSite(report, (Page("a/index.md", "a", "# a\n"),), (DataFile("a/figures.csv", b"x"),))
    cache = Cache(tmp_path)
    made = cache.batch("parts", ["a"], held=lambda part: part.spool(spool), intact=ReportSite.intact)
    made.start(lambda arg: share, [None])
    assert made.all()[0].pages[0].spooled  # the cache holds the page's place in the spool, not its text
    found = cache.batch("parts", ["a"], held=lambda part: part.spool(spool), intact=ReportSite.intact)
    assert found.values[0].pages[0].read() == "# a\n"
    Path(found.values[0].files[0].spooled).unlink()  # deleted as unused, say
    again = cache.batch("parts", ["a"], held=lambda part: part.spool(spool), intact=ReportSite.intact)
    assert again.values == {}


def test_prune_deletes_the_entries_of_a_kind_unused_for_two_weeks_and_a_hit_counts_as_use(tmp_path):
    import os
    import time

    cache = Cache(tmp_path)
    for key in ("old", "used", "new"):
        cache.put("site", key, key)
    weeks_ago = time.time() - 15 * 86400
    for key in ("old", "used"):
        os.utime(tmp_path / "site" / f"{key}.pickle", (weeks_ago, weeks_ago))
    assert Cache(tmp_path).get_or_make("site", "used", lambda: "made") == "used"
    Cache(tmp_path).prune("site")
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["new.pickle", "used.pickle"]


def test_a_spool_keeps_identical_bytes_once_under_their_digest_and_close_deletes_them(tmp_path):
    import hashlib

    spool = cache_module.Spool(tmp_path)
    first, again, other = spool.keep(b"figures"), spool.keep(b"figures"), spool.keep(b"other")
    assert first == again != other and Path(first).name == hashlib.sha256(b"figures").hexdigest()
    assert Path(first).read_bytes() == b"figures" and len(list(spool.folder.iterdir())) == 2
    spool.close()
    assert list(tmp_path.iterdir()) == []


def test_the_caches_spool_keeps_its_files_for_the_next_build_and_deletes_those_unused_for_two_weeks(tmp_path):
    import os
    import time

    spool = cache_module.Spool(tmp_path / "spool", kept=True)
    old, used = Path(spool.keep(b"a report gone")), Path(spool.keep(b"a report kept"))
    weeks_ago = time.time() - 15 * 86400
    for path in (old, used):
        os.utime(path, (weeks_ago, weeks_ago))
    again = cache_module.Spool(tmp_path / "spool", kept=True)  # the next build
    assert again.keep(b"a report kept") == str(used) and used.stat().st_mtime > weeks_ago  # found, not written
    again.close()
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == [used.name]


def test_the_key_changes_with_the_input_bytes_and_with_the_code(monkeypatch):
    assert input_key(b"seed") == input_key(b"seed")
    assert input_key(b"seed") != input_key(b"seed!")
    assert input_key(b"ab", b"c") != input_key(b"a", b"bc")  # parts are delimited
    before = input_key(b"seed")
    monkeypatch.setattr(cache_module, "code_version", lambda stage="all": "another version of the code")
    assert input_key(b"seed") != before


def test_the_code_version_covers_data_files_and_templates():
    version = cache_module.code_version()
    assert len(version) == 64
    names = {p.relative_to(cache_module.PACKAGE).as_posix() for p in cache_module.PACKAGE.rglob("*") if p.is_file()}
    assert {"data/lexicon.tsv", "data/themes.yml", "templates/theme.md.j2", "pages.py"} <= names


def square_or_fail(n):
    """A unit of work for the worker processes (module level, so it can be sent by name)."""
    from build_scripts.errors import InputError

    if n < 0:
        raise InputError(f"seed{n}.txt", "negative")
    return n * n


def test_many_misses_are_made_in_workers_and_come_back_in_input_order(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    cache = Cache(tmp_path)
    assert cache.get_or_make_all("n", ["a", "b", "c", "d"], square_or_fail, [3, 1, 4, 2]) == [9, 1, 16, 4]
    again = Cache(tmp_path)
    assert again.get_or_make_all("n", ["a", "b", "c", "d"], square_or_fail, [0, 0, 0, 0]) == [9, 1, 16, 4]
    assert (again.hits, again.misses) == (4, 0)


def test_an_input_error_in_a_worker_reaches_the_build_naming_its_seed(tmp_path, monkeypatch):
    import pytest

    from build_scripts.errors import InputError

    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    with pytest.raises(InputError) as error:
        Cache(tmp_path).get_or_make_all("n", ["a", "b"], square_or_fail, [1, -1])
    assert (error.value.path, error.value.problem) == ("seed-1.txt", "negative")


def test_the_preparation_runs_once_before_the_workers_and_only_when_there_is_work_for_them(tmp_path, monkeypatch):
    prepared = []
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    cache = Cache(tmp_path)
    assert cache.get_or_make_all("n", ["a", "b"], square_or_fail, [2, 3], prepare=lambda: prepared.append(1)) == [4, 9]
    assert Cache(tmp_path).get_or_make_all("n", ["a", "b"], square_or_fail, [2, 3], prepare=lambda: prepared.append(1)) == [4, 9]
    assert prepared == [1]  # the second call found everything in the cache


MADE: list = []


def square_and_remember(n):
    """A unit of work that remembers when it ran (in this process, with one worker)."""
    MADE.append(n)
    return n * n


def test_a_batch_gives_cached_values_at_once_and_makes_each_other_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_WORKERS", "1")
    Cache(tmp_path).get_or_make_all("n", ["a"], square_and_remember, [5])
    MADE.clear()
    with Cache(tmp_path).batch("n", ["a", "b", "c"]) as batch:
        assert batch.values == {0: 25}  # found in the cache before anything is made
        batch.start(square_and_remember, [0, 2, 3], order=[2, 1, 0])
        assert MADE == []
        assert batch.get(2) == 9 and MADE == [3]
        assert batch.all() == [25, 4, 9] and MADE == [3, 2]


def test_workers_take_the_values_in_the_order_asked_and_give_each_in_its_place(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    with Cache(tmp_path).batch("n", ["a", "b", "c", "d"]) as batch:
        batch.start(square_or_fail, [1, 2, 3, 4], order=[3, 2, 1, 0])
        assert batch.get(3) == 16
        assert batch.all() == [1, 4, 9, 16]
    assert Cache(tmp_path).get_or_make_all("n", ["a", "b", "c", "d"], square_or_fail, [0, 0, 0, 0]) == [1, 4, 9, 16]


# ---------------------------------------------------------------- caching by stage (issue 21)

def test_no_record_stage_module_imports_a_page_stage_module_or_names_its_data():
    """The record's key leaves the page stage's files out: sound only if the record never uses them."""
    import ast
    import re

    package = cache_module.PACKAGE
    page_modules = {Path(entry).stem for entry in cache_module.PAGE_STAGE if entry.endswith(".py")}
    page_data = [Path(entry).name for entry in cache_module.PAGE_STAGE if entry.startswith("data/")]
    problems = []
    # cache.py declares the lists and hands work to the cluster module; neither shapes a record.
    for path in sorted(p for p in package.glob("*.py") if p.name != "cache.py"):
        if cache_module.in_page_stage(path.name):
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                problems += [(path.name, name) for name in page_data if name in node.value]
            names = []
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("build_scripts"):
                names = [(node.module.split(".") + [""])[1]] if "." in node.module else [a.name for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".")[1] for a in node.names if a.name.startswith("build_scripts.")]
            problems += [(path.name, name) for name in names if name and name.split(".")[0] in page_modules]
        if re.search(r'Path\(__file__\)[^\n]*/ "templates"', source):  # this package's templates, not the theme's
            problems.append((path.name, "templates"))
    assert problems == []


def test_the_record_version_ignores_page_files_and_the_whole_version_does_not():
    assert cache_module.in_page_stage("templates/theme.md.j2") and cache_module.in_page_stage("charts.py")
    assert not cache_module.in_page_stage("clean.py") and not cache_module.in_page_stage("data/lexicon.tsv")
    assert cache_module.code_version("record") != cache_module.code_version("all")
    with pytest.raises(ValueError, match="unknown stage"):
        cache_module.code_version("pages")


@pytest.fixture
def two_seeds(tmp_path, seed_path):
    import shutil

    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "county.txt").write_text(PLAIN, encoding="utf-8")
    shutil.copy(ROOT / "seeds" / "xizang.txt", folder / "xizang.txt")
    return folder


@pytest.fixture
def processed(monkeypatch):
    """The seeds processed (parsed, cleaned …) in this process, by name; one worker, so none is hidden."""
    from build_scripts import pipeline

    monkeypatch.setenv("EXPLAINER_WORKERS", "1")
    seen = []
    real = pipeline.load_published
    monkeypatch.setattr(pipeline, "load_published", lambda path: seen.append(Path(path).name) or real(path))
    return seen


def pages_of(site) -> dict:
    return {page.path: page.markdown for page in site.all_pages()}


def test_a_page_code_change_renders_pages_again_from_the_cached_records(two_seeds, tmp_path, processed, monkeypatch):
    from build_scripts.site import gather_seeds

    first = gather_seeds(two_seeds, Cache(tmp_path / "cache"))
    assert sorted(processed) == ["county.txt", "xizang.txt"]
    real = cache_module.code_version
    # As an edited template would: the whole code's version changes, the record code's does not.
    monkeypatch.setattr(cache_module, "code_version", lambda stage="all": real(stage) if stage == "record" else "edited")
    processed.clear()
    again = Cache(tmp_path / "cache")
    assert pages_of(gather_seeds(two_seeds, again)) == pages_of(first)
    assert processed == []
    assert again.misses >= 2  # the pages were made again, from the records


def test_a_record_code_change_processes_every_report_again(two_seeds, tmp_path, processed, monkeypatch):
    from build_scripts.site import gather_seeds

    gather_seeds(two_seeds, Cache(tmp_path / "cache"))
    real = cache_module.code_version
    monkeypatch.setattr(cache_module, "code_version", lambda stage="all": "edited " + real(stage))
    processed.clear()
    gather_seeds(two_seeds, Cache(tmp_path / "cache"))
    assert sorted(processed) == ["county.txt", "xizang.txt"]


def test_the_same_text_under_another_name_is_not_processed_again_and_gets_its_own_name(two_seeds, tmp_path, processed):
    from build_scripts.site import gather_seeds

    gather_seeds(two_seeds, Cache(tmp_path / "cache"))
    (two_seeds / "xizang-copy.txt").write_bytes((two_seeds / "xizang.txt").read_bytes())
    processed.clear()
    site = gather_seeds(two_seeds, Cache(tmp_path / "cache"))
    assert processed == []
    copy = next(part for part in site.reports if part.report.slug == "xizang-copy")
    assert copy.report.source.endswith("xizang-copy.txt")
    assert all(page.path.startswith("xizang-copy/") for page in copy.pages)
