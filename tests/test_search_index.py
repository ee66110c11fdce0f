"""The search index (issue 21): Pagefind's, of the finished site, split into words, naming each report."""
import gzip
import re
import json
from pathlib import Path

import pytest

from build_scripts import search_index
from build_scripts.errors import InputError
from test_build import OFFICIAL, SEED, THEMES, reports_of

ZWSP = "\u200b"  # how Pagefind's extended build marks the word boundaries it found in Chinese


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page, by URL path without the leading slash: its title and indexed text."""
    pages = {}
    for path in (site / search_index.OUTPUT / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        pages[fragment["url"].lstrip("/")] = fragment
    return pages


@pytest.fixture(scope="module")
def indexed(built_site) -> dict[str, dict]:
    return fragments(built_site)


def words(fragment: dict) -> set[str]:
    return set(fragment["content"].replace(" ", ZWSP).split(ZWSP))


def test_every_theme_page_of_every_report_is_indexed_and_names_its_report(built_site, indexed):
    for row in reports_of(built_site):
        for theme in THEMES:
            fragment = indexed[f"{row['slug']}/{theme}/"]
            assert row["place"] in fragment["meta"]["title"], fragment["meta"]
    assert "福建省" in indexed[f"{OFFICIAL}/economy/"]["meta"]["title"]


def test_the_index_holds_chinese_words_not_single_characters(indexed):
    for url in (f"{SEED}/urban-renewal/", f"{OFFICIAL}/economy/"):
        tokens = indexed[url]["content"].replace(" ", ZWSP).split(ZWSP)
        chinese = [t for t in tokens if t and all("\u4e00" <= c <= "\u9fff" for c in t)]
        # Split into characters, none would be longer than one; report prose split into words has
        # about half its words of two characters or more (的, 年 and 市 stay single).
        assert sum(len(t) >= 2 for t in chinese) > 0.4 * len(chinese), url
    assert {"老旧", "小区"} <= words(indexed[f"{SEED}/urban-renewal/"]) or "老旧小区" in words(indexed[f"{SEED}/urban-renewal/"])
    hits = {url.split("/")[0] for url, fragment in indexed.items() if "生产" in words(fragment)}
    assert len(hits) >= 10


def test_the_page_title_is_the_results_title_not_indexed_text(indexed):
    fragment = indexed[f"{OFFICIAL}/economy/"]
    assert fragment["meta"]["title"].endswith("福建省（2026年）")
    assert not fragment["content"].replace(ZWSP, "").startswith(fragment["meta"]["title"])


def test_pages_left_out_of_search_and_parts_marked_to_skip_are_not_indexed(built_site, indexed):
    # corrections pages say `search: exclude` (they repeat the spun words); chart data tables are skipped.
    assert not [url for url in indexed if url.endswith("/corrections/")]
    theme_html = (built_site / OFFICIAL / "economy" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-ignore" in theme_html
    # Pagefind reads only no value, "all" or "index"; any other value is a warning and a guess
    values = set(re.findall(r'data-pagefind-ignore(?:="([^"]*)")?', theme_html))
    assert values <= {"", "all", "index"}, values
    assert "图表." not in indexed[f"{OFFICIAL}/economy/"]["content"]
    assert not [url for url in indexed if url.startswith("embed/")]


def test_the_site_carries_only_the_parts_of_pagefind_it_uses(built_site):
    names = {p.name for p in (built_site / search_index.OUTPUT).iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment"} <= names
    assert not [n for n in names if "-ui." in n or "highlight" in n]


def test_a_folder_without_pages_is_one_error_naming_it(tmp_path):
    with pytest.raises(InputError) as caught:
        search_index.index_site(tmp_path)
    assert caught.value.path == str(tmp_path) and "search index failed" in caught.value.problem
