"""The cache of processed reports: reuse when nothing changed, never a stale record."""
import pickle

import pytest

from build_scripts import cache as cache_module
from build_scripts.cache import Cache, input_key


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


def test_the_key_changes_with_the_input_bytes_and_with_the_code(monkeypatch):
    assert input_key(b"seed") == input_key(b"seed")
    assert input_key(b"seed") != input_key(b"seed!")
    assert input_key(b"ab", b"c") != input_key(b"a", b"bc")  # parts are delimited
    before = input_key(b"seed")
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version of the code")
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
