"""End to end: the real MkDocs build from seeds/ to site/, its pages, determinism and bad input."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, run_build

SEED = "000_89c8bcedadaad6b3"  # the spun news article: the one report with corrections
OFFICIAL = "fujian"  # an official full text from the corpus
REPORT_PAGES = ["index.html", "economy/index.html", "urban-renewal/index.html", "livelihood/index.html",
                "culture/index.html", "report/index.html", "corrections/index.html", "data/index.html"]
PAGES = ["index.html", "reports/index.html", "compare/index.html", "compare/2026/index.html", "compare/2025/index.html",
         "targets/index.html", "glossary/index.html",
         "about/index.html"]
THEMES = ("economy", "urban-renewal", "livelihood", "culture")
# Words of the first release's site copy that belong to one district's report, not to the genre.
ONE_DISTRICT_WORDS = ("思明", "厦门", "筼筜", "陈通汕", "人工智能", "软件信息", "九八投洽会", "鼓浪屿")


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


def reports_of(site: Path) -> list[dict]:
    """Every report's row, from the lists of each year and province."""
    folder = site / "data/reports"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return [row for shard in index for row in json.loads((folder / shard["file"]).read_text(encoding="utf-8"))]


def seed_slugs() -> list[str]:
    return sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))


@pytest.mark.parametrize("page", PAGES)
def test_every_site_wide_page_is_built(built_site, page):
    assert (built_site / page).is_file()


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_every_report_has_every_page_under_its_slug(built_site, page):
    missing = [slug for slug in seed_slugs() if not (built_site / slug / page).is_file()]
    assert missing == []


def test_every_seed_is_one_report_in_the_lists_of_reports(built_site):
    rows = reports_of(built_site)
    assert sorted(r["slug"] for r in rows) == seed_slugs()
    for row in rows:
        assert row["url"] == row["slug"] + "/"
        assert set(row) >= {"slug", "title", "place", "level", "year", "url"}
        assert not row["source"].startswith("/"), "published paths are relative to the project"


def test_home_page_links_every_provincial_report_and_the_browser_lists_the_others(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    shards = [json.loads(p.read_text(encoding="utf-8")) for p in (built_site / "data" / "reports").glob("*-*.json")]
    listed = {row["slug"]: row for shard in shards for row in shard}
    assert sorted(listed) == seed_slugs()  # every report is in exactly one of the browser's files
    for slug, row in listed.items():
        provincial = row["level"] in ("省", "自治区", "直辖市")
        assert (f'href="{slug}/"' in html) == provincial, slug


def test_report_home_links_every_theme_of_that_report(built_site):
    html = (built_site / SEED / "index.html").read_text(encoding="utf-8")
    assert "思明区" in html
    for theme in THEMES:
        assert f'href="{theme}/"' in html


def test_no_report_page_carries_another_reports_site_copy(built_site):
    """Site copy comes from each report's own text or neutral templates, never from one district's report."""
    for row in reports_of(built_site):
        record = json.loads((built_site / row["slug"] / "data/report.json").read_text(encoding="utf-8"))
        own_text = record["title"] + "".join(b["text"] for b in record["blocks"])
        foreign = [w for w in ONE_DISTRICT_WORDS if w not in own_text]
        for page in (built_site / row["slug"]).rglob("index.html"):
            main = page.read_text(encoding="utf-8").split('<article', 1)[-1].split('</article>', 1)[0]
            found = [w for w in foreign if w in main]
            assert found == [], (page, found)


def test_a_report_page_links_only_its_own_reports_pages_and_one_entry_per_other_report(built_site):
    """Pruned navigation: the weight of a page does not grow with the other reports' pages (issue 21)."""
    slugs = {row["slug"] for row in reports_of(built_site)}
    for slug in (SEED, OFFICIAL):
        for page in REPORT_PAGES:
            path = built_site / slug / page
            html = path.read_text(encoding="utf-8")
            navigation = html[html.index("md-nav--primary"):html.index("md-sidebar--secondary")]
            targets = [Path(path.parent, href).resolve().relative_to(built_site.resolve()).as_posix()
                       for href in re.findall(r'href="([^"#]+)"', navigation)]
            others = [t for t in targets if t.split("/")[0] in slugs - {slug}]
            # Other reports stay reachable (by their year's or province's entries), by their first page only.
            assert others and all(t.count("/") == 0 for t in others), (path, others)


def test_official_reports_get_themed_paragraphs_on_every_theme_page(built_site):
    for theme in THEMES:
        html = (built_site / OFFICIAL / theme / "index.html").read_text(encoding="utf-8")
        assert html.count('href="../report/#p') >= 3, theme


def test_every_theme_paragraph_links_to_an_anchor_that_exists_in_its_report(built_site):
    checked = 0
    for slug in (SEED, OFFICIAL):
        report_ids = links_of(built_site / slug / "report/index.html").ids
        for theme in THEMES:
            for href in links_of(built_site / slug / theme / "index.html").hrefs:
                if href.startswith("../report/#"):
                    assert href.split("#", 1)[1] in report_ids, (slug, theme, href)
                    checked += 1
    assert checked >= 80


def test_report_page_anchors_every_block(built_site):
    for slug in (SEED, OFFICIAL):
        record = json.loads((built_site / slug / "data/report.json").read_text(encoding="utf-8"))
        ids = links_of(built_site / slug / "report/index.html").ids
        assert {f"p{b['index']}" for b in record["blocks"]} <= ids


def test_a_long_full_text_is_cut_into_pages_and_every_link_to_a_sentence_reaches_the_page_holding_it(built_site):
    import posixpath

    split = sorted({p.parts[-4] for p in built_site.glob("*/report/*/index.html")})
    assert "guangdong" in split and SEED not in split  # the longest provincial report; the short article is one page
    ids = {}  # site folder of a full-text page → its ids
    for slug in split:
        record = json.loads((built_site / slug / "data/report.json").read_text(encoding="utf-8"))
        pages = [built_site / slug / "report/index.html"] + sorted((built_site / slug / "report").glob("*/index.html"))
        for page in pages:
            ids[page.parent.relative_to(built_site).as_posix() + "/"] = links_of(page).ids
            pager = page.read_text(encoding="utf-8").split('<nav class="text-pager"', 1)[1].split("</nav>", 1)[0]
            assert pager.count("<li>") == len(pages) and pager.count('aria-current="page"') == 1
        held = set().union(*(ids[f"{slug}/report/"], *(links_of(p).ids for p in pages[1:])))
        assert {f"p{b['index']}" for b in record["blocks"]} <= held  # every block on one of the pages
    checked = 0
    sources = [p for slug in split for p in (built_site / slug).rglob("index.html")]
    sources += list((built_site / "compare").rglob("index.html")) + [built_site / "targets/index.html"]
    sources += [p for slug in split for p in (built_site / "embed" / slug).rglob("index.html")]
    for page in sources:
        folder = page.parent.relative_to(built_site).as_posix() + "/"
        for href in links_of(page).hrefs:
            address, _, anchor = href.partition("#")
            path = posixpath.normpath(posixpath.join(folder, address)) + "/"
            if address and anchor and path in ids:
                assert anchor in ids[path], (page, href)
                checked += 1
    assert checked >= 200


def test_the_comparison_page_sets_one_indicator_of_several_reports_side_by_side(built_site):
    index = (built_site / "compare/index.html").read_text(encoding="utf-8")
    assert 'href="2026/gdp-growth-target/"' in index and 'href="2025/gdp-growth-target/"' in index
    year = (built_site / "compare/2026/index.html").read_text(encoding="utf-8")
    row = year.split('href="gdp-growth-target/"', 1)[1].split("</tr>", 1)[0]
    assert "地区生产总值增长目标" in row and "%" in row  # the year's table: its count, highest and lowest
    assert "data-chart-id" not in index + year  # the index and the year's page list; each indicator's page draws
    html = (built_site / "compare/2026/gdp-growth-target/index.html").read_text(encoding="utf-8")
    assert html.count("data-chart-id=") == 1 and "2026年地区生产总值增长目标" in html
    table = html.split("<table", 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row">') >= 10  # most provinces state their growth target
    assert table.count("/report/#f") >= 10  # each value links to its sentence in its own report
    assert not (built_site / "compare/2026/gdp/index.html").read_text(encoding="utf-8").count("data-chart-id=")


def test_targets_pages_link_each_target_and_result_to_its_sentence_in_both_years_reports(built_site):
    # fujian-2025 sets the 2025 targets, fujian (the 2026 report) states the 2025 results
    checked = 0
    for slug in ("fujian", "fujian-2025"):
        page = built_site / slug / "targets/index.html"
        for href in links_of(page).hrefs:
            if match := re.match(r"^\.\./\.\./(fujian(?:-2025)?)/report/#(f[\w-]+)$", href):
                other, anchor = match.groups()
                assert anchor in links_of(built_site / other / "report/index.html").ids, (slug, href)
                checked += 1
    assert checked >= 10
    html = (built_site / "fujian/targets/index.html").read_text(encoding="utf-8")
    assert "2025年目标完成情况" in html and "地区生产总值增长目标" in html
    site_page = (built_site / "targets/index.html").read_text(encoding="utf-8")
    assert site_page.count("地区生产总值增长目标") >= 17  # the provinces whose two years' reports both state it
    assert not (built_site / SEED / "targets").exists()  # no report of its district the year before or after
    rows = json.loads((built_site / "data/promises.json").read_text(encoding="utf-8"))
    assert any(r["place"] == "福建省" and r["year"] == 2025 and r["verdict"] == "met" for r in rows)


def test_no_page_outgrows_a_phones_page(built_site):
    # issue 21's bar for every page (150 KB of HTML): long full texts are cut into pages, each compared
    # indicator has its own page, and charts carry only the options ECharts does not take anyway.
    sizes = {p.relative_to(built_site).as_posix(): p.stat().st_size for p in built_site.rglob("*.html")}
    assert len(sizes) > 500
    assert [path for path, size in sizes.items() if size > 150_000] == []


def test_no_page_refers_to_another_host(built_site):
    from build_scripts.provenance import load_provenance
    # The one exception: links (never loads) to a report's source or official text, as an editor stated them.
    stated = {url for seed in (ROOT / "seeds").glob("*.txt") for url in
              (load_provenance(seed).source_url, load_provenance(seed).official_url) if url}
    for page in built_site.rglob("*.html"):
        links = links_of(page)
        for url in links.srcs + [h for h in links.hrefs if not h.startswith(("#", "mailto:")) and h not in stated]:
            assert not re.match(r"^(https?:)?//", url), (page, url)
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
    assert not list(built_site.rglob("*.woff*")), "no web fonts: the site uses the reader's system fonts"


def test_data_downloads_are_published_per_report_and_per_year_and_province(built_site):
    index = json.loads((built_site / "data/reports/index.json").read_text(encoding="utf-8"))
    seen = set()
    for entry in index:
        csv_bytes = (built_site / "data/reports" / entry["figures_csv"]).resolve().read_bytes()
        assert csv_bytes.startswith(b"\xef\xbb\xbf")
        figures = json.loads((built_site / "data/reports" / entry["figures_json"]).resolve().read_text(encoding="utf-8"))
        listed = {row["slug"] for row in json.loads((built_site / "data/reports" / entry["file"]).read_text(encoding="utf-8"))}
        assert {row["report"] for row in figures} <= listed
        seen |= {row["report"] for row in figures}
    assert seen == set(seed_slugs())
    assert not (built_site / "data/figures.csv").exists()  # no download holds the whole site's figures
    own = json.loads((built_site / SEED / "data/figures.json").read_text(encoding="utf-8"))
    assert len(own) >= 60 and {row["report"] for row in own} == {SEED}


def test_a_rebuild_from_the_cache_is_byte_identical_to_the_cold_build(built_site, build_cache, tmp_path):
    again = tmp_path / "site"
    result = run_build(again, {"EXPLAINER_CACHE": str(build_cache)})
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
    # One line, naming the seed first: the thing the editor must fix.
    assert (result.stdout + result.stderr).strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"error: {seeds / 'bad.txt'}: ")
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
    from build_scripts.__main__ import make_parser
    commands = next(a for a in make_parser()._actions if a.dest == "command").choices
    assert [name for name in commands if f"python -m build_scripts {name}" not in readme] == []


def test_glossary_terms_carry_their_explanation_as_a_tooltip_where_they_occur(built_site):
    from build_scripts.glossary import load_glossary

    explanations = {t.term: t.explanation for t in load_glossary()}
    html = (built_site / SEED / "report/index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<abbr (?:tabindex="0" )?title="([^"]*)">', html)  # the first use is a Tab stop
    assert len(titles) >= 20
    assert explanations["单项冠军"] in titles
    official = (built_site / OFFICIAL / "report/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<abbr (?:tabindex=\"0\" )?title=", official)) >= 5


def test_builds_under_different_string_hash_seeds_are_byte_identical(tmp_path):
    # Issue 23: charts ordered by a set's iteration order passed every test: each build draws its own
    # hash seed, so two builds agreed by chance. Here each build gets a different one, on purpose.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("guizhou.txt", "jiangsu.txt"):  # reports of several charts each, to be put in order
        (seeds / name).write_bytes((ROOT / "seeds" / name).read_bytes())
    sites = []
    for hash_seed in ("0", "1", "2"):
        site = tmp_path / f"site-{hash_seed}"
        result = run_build(site, {"EXPLAINER_SEEDS": str(seeds), "EXPLAINER_NO_CACHE": "1", "PYTHONHASHSEED": hash_seed})
        assert result.returncode == 0, result.stderr
        sites.append(all_files(site))
    assert sites[0].keys() == sites[1].keys() == sites[2].keys()
    assert [name for name in sites[0] if not sites[0][name] == sites[1][name] == sites[2][name]] == []
