"""The built site in a real browser (Debian's Chromium driven by Playwright), served on localhost."""
import json
from urllib.parse import urlparse

import pytest

pytest.importorskip("playwright.sync_api")  # browser tests skip where Playwright is not installed



class Watched:
    """A page with every console error, page error and request recorded."""

    def __init__(self, browser, width=1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def foreign_requests(self):
        return [u for u in self.requests if urlparse(u).hostname not in ("127.0.0.1", "localhost")
                and not u.startswith(("data:", "blob:"))]


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.context.close()


SEED = "000_89c8bcedadaad6b3/"  # the spun news article
OFFICIAL = "fujian/"  # an official full text


def test_home_and_a_theme_page_load_with_no_error_and_no_foreign_request(watched, server):
    watched.page.goto(server, wait_until="networkidle")
    # Instant navigation rewrites links to absolute addresses. Provincial reports are listed; the
    # district's report is counted under its province, with a link to the reports browser.
    assert watched.page.locator(f'.md-content a[href$="/{OFFICIAL}"]').count() == 1
    assert watched.page.locator('.md-content a[href$="/reports/#2025-35"]').count() == 1
    watched.page.goto(server + SEED, wait_until="networkidle")
    assert watched.page.inner_text("h1") == "改革破题勇争先、向新图强再启航"
    assert "思明区" in watched.page.inner_text(".subtitle")
    watched.page.goto(server + SEED + "economy/", wait_until="networkidle")
    assert watched.page.inner_text("h1").endswith("经济发展")
    assert watched.errors == []
    assert watched.foreign_requests() == []


def test_a_page_without_charts_loads_no_chart_library(watched, server):
    watched.page.goto(server + "about/", wait_until="networkidle")
    assert not [u for u in watched.requests if "echarts" in u]


COMPARED = "compare/2026/gdp-growth-target/"  # one indicator's page of comparisons: most provinces state it


def wait_for_a_drawn_chart(page):
    page.locator(".report-chart [data-chart-id]").first.scroll_into_view_if_needed()
    page.wait_for_selector(".report-chart [data-chart-id] canvas, .report-chart [data-chart-id] svg", timeout=10000)


def test_charts_render_on_load_and_after_in_site_navigation(watched, server):
    page = watched.page
    page.goto(server + COMPARED, wait_until="networkidle")
    wait_for_a_drawn_chart(page)
    # Instant navigation swaps the page without reloading scripts: charts must still appear.
    page.goto(server + SEED, wait_until="networkidle")
    page.click('.md-content a[href$="/livelihood/"]')
    page.wait_for_url("**/livelihood/")
    wait_for_a_drawn_chart(page)
    assert watched.errors == []


def test_the_comparison_chart_draws_one_bar_per_report(watched, server):
    page = watched.page
    page.goto(server + COMPARED, wait_until="networkidle")
    wait_for_a_drawn_chart(page)
    rows = page.locator(".report-chart").first.locator("tbody tr").count()
    assert rows >= 10
    assert watched.errors == [] and watched.foreign_requests() == []


@pytest.mark.parametrize("path", ["", "reports/", "compare/", "compare/2026/", COMPARED, SEED, SEED + "economy/", SEED + "report/", SEED + "corrections/",
                                  OFFICIAL + "urban-renewal/", OFFICIAL + "data/"])
def test_no_horizontal_scroll_on_a_375_px_phone(browser, server, path):
    phone = Watched(browser, width=375)
    phone.page.goto(server + path, wait_until="networkidle")
    overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.context.close()
    assert overflow <= 0


def test_no_embed_scrolls_sideways_in_a_320_px_frame(browser, server, built_site):
    # The chart embeds of a few reports of both years (each has its hidden data table, whose rows once widened
    # the frame to 431 px), their economy sections, and every chart of the compare page.
    sample = (SEED.strip("/"), OFFICIAL.strip("/"), "fujian-2025", "jilin-2025", "jiangsu", "compare")
    listed = json.loads((built_site / "embed" / "embeds.json").read_text(encoding="utf-8"))
    chosen = [e["url"] for e in listed if e["status"] == "live" and e["report"] in sample
              and (e["kind"] == "chart" or e["id"].endswith("/section/economy"))]
    assert len(chosen) >= 25 and any("/section/" in url for url in chosen)
    frame = Watched(browser, width=320)
    wide = {}
    for url in chosen:
        frame.page.goto(server + url, wait_until="networkidle")
        overflow = frame.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide[url] = overflow
    frame.context.close()
    assert wide == {}


def search(page, server, term):
    page.goto(server, wait_until="networkidle")
    page.click(".md-search__input")
    page.keyboard.insert_text(term)  # as an input method enters it: no key pressed or released
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    return page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")


def test_searching_a_chinese_term_finds_the_right_page(watched, server):
    hrefs = search(watched.page, server, "安商房")  # one report's word: its 城乡建设 page
    assert any(SEED + "urban-renewal/" in h for h in hrefs)


def test_search_covers_every_report_and_names_the_report_of_a_hit(watched, server):
    hrefs = search(watched.page, server, "地区生产总值")
    reports = {h.split("/")[3] for h in hrefs}
    assert len(reports) >= 3
    titles = watched.page.eval_on_selector_all(".md-search-result__item h1", "els => els.map(e => e.textContent)")
    assert any("年" in t and ("省" in t or "市" in t or "区" in t) for t in titles), titles


def test_showing_the_spun_original_marks_restored_words(watched, server):
    page = watched.page
    page.goto(server + SEED + "report/", wait_until="networkidle")
    page.check("[data-toggle-spun]")
    before = page.evaluate("getComputedStyle(document.querySelector('.fix'), '::before').content")
    assert before not in ("none", "normal", "")


def browser_rows(page):
    return page.eval_on_selector_all("tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText))")


def test_the_reports_browser_loads_only_the_year_and_province_chosen(watched, server, built_site):
    page = watched.page
    index = json.loads((built_site / "data" / "reports" / "index.json").read_text(encoding="utf-8"))
    seed_shard = next(e for e in index if e["year"] == 2025 and str(e["code"]) == "35")  # 福建, the seed's province
    page.goto(server + f"reports/#{seed_shard['year']}-{seed_shard['code']}", wait_until="networkidle")
    page.wait_for_selector("tbody tr")
    assert [row[0] for row in browser_rows(page)] == ["福建省", "厦门市思明区"]  # the province first
    assert page.input_value("select[name=year]") == "2025"
    # Another year: its first province, and only its file is fetched.
    page.select_option("select[name=year]", "2026")
    first = next(e for e in index if e["year"] == 2026)
    page.wait_for_function(f"document.querySelector('.report-browser__status').textContent.includes('共{first['reports']}份')")
    fetched = [u.split("/data/reports/")[1] for u in watched.requests if "/data/reports/" in u]
    assert fetched == ["index.json", seed_shard["file"], first["file"]]
    assert "reports.json" not in " ".join(watched.requests)
    assert watched.errors == []


def test_the_reports_browser_filters_by_level_and_sorts_by_date(watched, server):
    page = watched.page
    page.goto(server + "reports/#2025-35", wait_until="networkidle")
    page.wait_for_selector("tbody tr")
    page.uncheck("input[value=county]")  # the district report goes, the provincial one stays
    assert [row[0] for row in browser_rows(page)] == ["福建省"]
    assert "显示1份" in page.inner_text(".report-browser__status")
    page.check("input[value=county]")
    page.select_option("select[name=year]", "2026")
    page.wait_for_function("document.querySelectorAll('tbody tr').length >= 1")
    page.click("button[data-sort=delivered]")
    header = page.locator("th", has=page.locator("button[data-sort=delivered]"))
    assert header.get_attribute("aria-sort") == "ascending"
    page.click("button[data-sort=delivered]")
    assert header.get_attribute("aria-sort") == "descending"
    link = page.locator("tbody a").first
    assert link.get_attribute("href").endswith("/")
    assert watched.errors == []


def test_the_reports_browser_offers_the_figures_of_the_year_and_province_shown(watched, server, built_site):
    import urllib.request

    page = watched.page
    page.goto(server + "reports/#2025-35", wait_until="networkidle")
    page.wait_for_selector("tbody tr")
    csv_link = page.locator(".report-browser__downloads a.report-browser__csv")
    assert csv_link.is_visible() and csv_link.get_attribute("href").endswith("/data/figures/2025-35.csv")
    with urllib.request.urlopen(page.locator(".report-browser__json").get_attribute("href")) as response:
        rows = json.loads(response.read().decode("utf-8"))
    assert {row["report"] for row in rows} == {"fujian-2025", "000_89c8bcedadaad6b3"}
    page.select_option("select[name=year]", "2026")
    page.wait_for_function("document.querySelector('.report-browser__csv').href.includes('/data/figures/2026-')")
    assert watched.errors == []
