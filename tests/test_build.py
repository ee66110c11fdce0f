"""End to end: the real MkDocs build from seeds/ to site/, its pages, determinism and bad input."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, run_build

PAGES = ["index.html", "economy/index.html", "urban-renewal/index.html", "livelihood/index.html",
         "culture/index.html", "report/index.html", "corrections/index.html", "data/index.html",
         "glossary/index.html", "about/index.html"]


class Links(HTMLParser):
    """Collects ids, hrefs and srcs of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.srcs = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("src"):
            self.srcs.append(attrs["src"])


def links_of(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def all_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_the_site_is_built(built_site, page):
    assert (built_site / page).is_file()


def test_home_page_names_the_report_and_links_every_theme(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "思明区" in html
    for theme in ("economy", "urban-renewal", "livelihood", "culture"):
        assert f'href="{theme}/"' in html


def test_every_theme_paragraph_links_to_an_anchor_that_exists_in_the_report(built_site):
    report_ids = links_of(built_site / "report/index.html").ids
    checked = 0
    for theme in ("economy", "urban-renewal", "livelihood", "culture"):
        for href in links_of(built_site / theme / "index.html").hrefs:
            if href.startswith("../report/#"):
                assert href.split("#", 1)[1] in report_ids, (theme, href)
                checked += 1
    assert checked >= 40  # every body paragraph after the intro belongs to one theme page


def test_report_page_anchors_every_block(built_site):
    record = json.loads((built_site / "data/report.json").read_text(encoding="utf-8"))
    ids = links_of(built_site / "report/index.html").ids
    assert {f"p{b['index']}" for b in record["blocks"]} <= ids


def test_no_page_refers_to_another_host(built_site):
    for page in built_site.rglob("*.html"):
        links = links_of(page)
        for url in links.srcs + [h for h in links.hrefs if not h.startswith(("#", "mailto:"))]:
            assert not re.match(r"^(https?:)?//", url), (page, url)
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
    assert not list(built_site.rglob("*.woff*")), "no web fonts: the site uses the reader's system fonts"


def test_search_index_is_segmented_by_jieba(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    pages_with = lambda term: {d["location"].split("#")[0] for d in index["docs"]
                               if term in separator.split(d["text"]) or term in separator.split(d["title"])}
    assert "urban-renewal/" in pages_with("老旧小区")
    assert "economy/" in pages_with("人工智能")


def test_data_downloads_are_published(built_site):
    csv_bytes = (built_site / "data/figures.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    figures = json.loads((built_site / "data/figures.json").read_text(encoding="utf-8"))
    assert len(figures) >= 60


def test_building_twice_gives_byte_identical_sites(built_site, tmp_path):
    again = tmp_path / "site"
    result = run_build(again)
    assert result.returncode == 0, result.stderr
    first, second = all_files(built_site), all_files(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.parametrize("content, problem", [
    ("厦门市思明区政府工作报告\n\n  全区经济平稳运行。".encode("gb18030"), "not UTF-8"),
    (b"", "empty"),
    ("标题\n\n发布时间:2024-12-31 00:34\n".encode("utf-8"), "no body"),
])
def test_bad_seed_stops_the_build_and_leaves_the_previous_site(tmp_path, content, problem):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.txt").write_bytes(content)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    result = run_build(site, {"EXPLAINER_SEEDS": str(seeds)})
    assert result.returncode != 0
    assert str(seeds / "bad.txt") in result.stderr and problem in result.stderr
    assert all_files(site) == {"index.html": b"previous site"}
    assert not (tmp_path / ".site.staging").exists()


def test_readme_documents_every_setting_and_command():
    from build_scripts.settings import SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[3:5] == ["make site   # on a fresh machine: creates .venv, installs pinned dependencies, builds the site into site/",
                                        "make test   # installs what the tests need (Python test packages, Debian's chromium) and runs every test"]
    for setting in SETTINGS:
        assert f"`{setting.name}`" in readme and setting.help in readme
    for command in ("parse FILE --json", "clean FILE", "build"):
        assert f"python -m build_scripts {command}" in readme
