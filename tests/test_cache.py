"""The cache of processed reports: reuse when nothing changed, never a stale record."""
import pickle

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
    assert pickle.loads((tmp_path / "reports" / "k1.pickle").read_bytes()) == "new"


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
