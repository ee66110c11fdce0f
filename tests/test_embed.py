"""Embeds (issue 11): every chart and theme section as a light, safe, self-sizing page for other sites."""
import csv
import gzip
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from build_scripts import embed, settings, share_image
from build_scripts.errors import InputError
from conftest import ROOT, serve

BUDGET = 200 * 1024  # a chart embed page with everything it loads, gzipped
FULL_ECHARTS = ROOT / "node_modules" / "echarts" / "dist" / "echarts.min.js"


class Tags(HTMLParser):
    """The tags of a page with their attributes, in order."""

    def __init__(self, text: str):
        super().__init__()
        self.tags = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag, **wanted):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


@pytest.fixture(scope="module")
def listing(built_site) -> list[dict]:
    return json.loads((built_site / "embed" / "embeds.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def live(listing) -> list[dict]:
    return [row for row in listing if row["status"] == "live"]


def theme_pages(site: Path) -> list[Path]:
    themes = ("economy", "urban-renewal", "livelihood", "culture")
    return sorted(p for theme in themes for p in site.glob(f"*/{theme}/index.html"))


# ---------------------------------------------------------------- addresses and files


def test_a_link_is_relative_to_its_folder_without_a_public_url_and_absolute_with_one():
    folder = "embed/fujian/chart/economy-money-2025/"
    assert embed.link("fujian/report/", folder) == "../../../../fujian/report/"
    assert embed.link("", folder) == "../../../../"
    assert embed.link(folder, folder) == "./"
    assert embed.link(folder + "oembed.json", folder) == "oembed.json"
    assert embed.link("fujian/report/", folder, "https://example.org/r") == "https://example.org/r/fujian/report/"


def test_the_public_url_setting_takes_http_addresses_only():
    url = next(s for s in settings.SETTINGS if s.name == "EXPLAINER_SITE_URL")
    assert url.default == "" and url.help
    assert url.type("https://example.org/reports") == "https://example.org/reports/"
    for bad in ("javascript:alert(1)", "example.org", "https:///x", 'https://x.org/"><script>'):
        with pytest.raises(ValueError):
            url.type(bad)


def test_oembed_json_gives_absolute_addresses_under_the_public_url_and_relative_ones_without():
    item = embed.Embed("fujian", "chart", "economy-money-2025", "标题<b>", 400)
    absolute = json.loads(embed.oembed_json(item, "https://example.org/r"))
    assert absolute["provider_url"] == "https://example.org/r/"
    assert 'src="https://example.org/r/embed/fujian/chart/economy-money-2025/"' in absolute["html"]
    assert 'src="https://example.org/r/javascripts/embed-host.js"' in absolute["html"]
    relative = json.loads(embed.oembed_json(item))
    assert relative["provider_url"] == "../../../../" and 'src="./"' in relative["html"]
    assert "<b>" not in relative["html"] and "标题&lt;b&gt;" in relative["html"]  # titles are escaped
    assert "thumbnail_url" not in relative  # a section has no share image
    pictured = json.loads(embed.oembed_json(item, "https://example.org/r", thumbnail=(1200, 630)))
    assert pictured["thumbnail_url"] == "https://example.org/r/embed/fujian/chart/economy-money-2025/share.png"
    assert (pictured["thumbnail_width"], pictured["thumbnail_height"]) == (1200, 630)
    assert json.loads(embed.oembed_json(item, thumbnail=(1200, 630)))["thumbnail_url"] == "share.png"


def test_every_chart_and_every_theme_section_of_every_report_has_an_embed(built_site, live):
    ids = {row["id"] for row in live}
    pages = theme_pages(built_site)
    assert pages
    for page in pages:
        slug, theme = page.parent.parent.name, page.parent.name
        assert f"{slug}/section/{theme}" in ids
        html = page.read_text(encoding="utf-8")
        for chart_id in re.findall(r'data-chart-id="([^"]+)"', html):
            # The address is the chart's identity (the measure it shows), not its place on the page.
            assert f"{slug}/chart/{chart_id}" in ids
    for row in live:
        assert (built_site / row["url"] / "index.html").is_file()
    assert {row["kind"] for row in live} == {"chart", "section"}


def test_every_embed_page_has_valid_oembed_json_and_a_discovery_tag(built_site, listing):
    for row in listing:
        folder = built_site / row["url"]
        tags = Tags((folder / "index.html").read_text(encoding="utf-8"))
        links = tags.all("link", rel="alternate", type="application/json+oembed")
        assert len(links) == 1 and links[0]["title"], row["id"]
        data = json.loads((folder / links[0]["href"]).read_text(encoding="utf-8"))
        assert data["version"] == "1.0" and data["type"] == "rich"
        assert isinstance(data["width"], int) and isinstance(data["height"], int) and data["height"] > 100
        assert data["title"] and data["provider_name"] and "provider_url" in data
        iframe = Tags(data["html"]).all("iframe")[0]
        assert iframe["title"] == data["title"] and iframe["loading"] == "lazy"
        assert iframe["data-explainer-embed"] == row["id"] and iframe["height"] == str(data["height"])
        assert urljoin(f"https://host.test/{row['url']}oembed.json", iframe["src"]) == f"https://host.test/{row['url']}"


def test_every_chart_embed_has_a_share_image_that_its_page_and_its_oembed_name(built_site, live):
    charts = [row for row in live if row["kind"] == "chart"]
    assert any(row["id"].startswith("compare/") for row in charts) and len(charts) > 100
    for row in charts:
        folder = built_site / row["url"]
        width, height = share_image.png_size((folder / "share.png").read_bytes())
        assert width == 1200 and height >= 630, row["id"]  # a link card's 1.91:1 at least
        tags = Tags((folder / "index.html").read_text(encoding="utf-8"))
        meta = {a["property"]: a["content"] for a in tags.all("meta") if "property" in a}
        picture = f"https://host.test/{row['url']}share.png"
        assert urljoin(f"https://host.test/{row['url']}", meta["og:image"]) == picture
        assert (meta["og:image:width"], meta["og:image:height"]) == (str(width), str(height))
        assert meta["og:title"] and meta["og:image:alt"] and "单位：" in meta["og:description"]
        assert tags.all("meta", name="twitter:card")[0]["content"] == "summary_large_image"
        data = json.loads((folder / "oembed.json").read_text(encoding="utf-8"))
        assert urljoin(f"https://host.test/{row['url']}oembed.json", data["thumbnail_url"]) == picture
        assert (data["thumbnail_width"], data["thumbnail_height"]) == (width, height)


def test_a_theme_or_compare_page_with_charts_shares_its_first_charts_image_and_one_without_none(built_site):
    pages = theme_pages(built_site) + sorted(built_site.glob("compare/*/index.html"))
    with_charts = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        tags = Tags(text)
        images = [a["content"] for a in tags.all("meta") if a.get("property") == "og:image"]
        charts = re.findall(r'data-chart-id="([^"]+)"', text)
        if not charts:
            assert images == [], page
            continue
        with_charts += 1
        folder = page.parent.relative_to(built_site).as_posix() + "/"
        first = urljoin(f"https://host.test/{folder}", images[0])
        assert len(images) == 1 and first.endswith(f"/chart/{charts[0]}/share.png"), page
        assert (built_site / urlparse(first).path.lstrip("/")).is_file()
    assert with_charts > 50


def test_explainer_pages_carry_the_discovery_tags_of_their_embeds(built_site):
    for page in theme_pages(built_site):
        tags = Tags(page.read_text(encoding="utf-8"))
        hrefs = {urljoin(f"https://host.test/{page.parent.relative_to(built_site).as_posix()}/", a["href"])
                 for a in tags.all("link", rel="alternate", type="application/json+oembed")}
        slug, theme = page.parent.parent.name, page.parent.name
        assert f"https://host.test/embed/{slug}/section/{theme}/oembed.json" in hrefs
        charts = re.findall(r'data-chart-id="([^"]+)"', page.read_text(encoding="utf-8"))
        assert {f"https://host.test/embed/{slug}/chart/{c}/oembed.json" for c in charts} <= hrefs


def test_every_chart_of_the_compare_pages_has_an_embed_its_button_and_its_discovery_tag(built_site, live):
    ids = {row["id"] for row in live}
    years = sorted((built_site / "compare").glob("*/index.html"))  # one page a year, linking its indicators' pages
    assert len(years) >= 2
    pages = [page for year in years for page in sorted(year.parent.glob("*/index.html"))]
    with_charts = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        chart_ids = re.findall(r'data-chart-id="([^"]+)"', html)
        year, indicator = page.parent.parent.name, page.parent.name
        assert chart_ids in ([], [f"{indicator}-{year}"])  # an indicator's page holds its chart of that year, or none
        linked = f'href="{indicator}/"' in (page.parent.parent / "index.html").read_text(encoding="utf-8")
        assert linked == bool(chart_ids)  # the year's page links the indicators two reports state, and only those
        with_charts += bool(chart_ids)
        tags = Tags(html)
        hrefs = {urljoin(f"https://host.test/compare/{year}/{indicator}/", a["href"])
                 for a in tags.all("link", rel="alternate", type="application/json+oembed")}
        for chart_id in chart_ids:
            assert f"compare/chart/{chart_id}" in ids
            assert tags.all("div", **{"data-embed-id": f"compare/chart/{chart_id}"})
            assert f"https://host.test/embed/compare/chart/{chart_id}/oembed.json" in hrefs
    assert with_charts >= 4  # the seeds state several indicators in several reports, for both years


def test_a_comparison_embed_credits_the_compare_page_and_links_each_bar_to_its_reports_sentence(built_site, live):
    rows = [row for row in live if row["report"] == embed.COMPARE]
    assert rows
    for row in rows:
        indicator, year = row["id"].split("/")[-1].rsplit("-", 1)
        assert row["page"] == f"compare/{year}/{indicator}/"  # the indicator's page of its year
        folder = built_site / row["url"]
        tags = Tags((folder / "index.html").read_text(encoding="utf-8"))
        credit = [a["href"] for a in tags.all("a") if a.get("href", "").endswith(row["page"])]
        assert credit and (folder / credit[0].split("#")[0] / "index.html").resolve().is_file()
        data = list(csv.DictReader(io.StringIO((folder / "data.csv").read_bytes().decode("utf-8-sig"))))
        assert len({cells["report"] for cells in data}) == len(data) >= 2  # one bar per report
        for cells in data:
            path, anchor = cells["source"].split("#")
            report_page = (built_site / path / "index.html").read_text(encoding="utf-8")
            assert f'id="{anchor}"' in report_page


def test_no_embed_page_loads_anything_from_another_host(built_site, listing):
    for row in listing:
        tags = Tags((built_site / row["url"] / "index.html").read_text(encoding="utf-8"))
        for tag, attrs in tags.tags:
            for name in ("src", "href"):
                if tag in ("script", "link", "img", "iframe") and name in attrs:
                    assert not urlparse(attrs[name]).netloc and not attrs[name].startswith("//"), (row["id"], attrs)
        csp = tags.all("meta", **{"http-equiv": "Content-Security-Policy"})[0]["content"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp


def test_chart_data_downloads_are_utf8_csv_with_bom_period_unit_and_sentence_and_no_formula(built_site, live):
    charts = [row for row in live if row["kind"] == "chart"]
    assert charts
    for row in charts:
        raw = (built_site / row["url"] / "data.csv").read_bytes()
        assert raw.startswith("\ufeff".encode("utf-8"))
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        assert {"period", "unit", "sentence", "value"} <= set(header) and body
        for cells in body:
            for cell in cells:
                assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")) or re.fullmatch(r"-?[\d.]+", cell)


def test_the_custom_echarts_build_is_much_smaller_than_the_full_one(built_site):
    ours = gz((built_site / embed.ECHARTS_PATH).read_bytes())
    assert ours < 0.6 * gz(FULL_ECHARTS.read_bytes())


def test_every_series_type_the_site_draws_is_in_the_custom_echarts_build(built_site):
    entry = (ROOT / "build_scripts" / "echarts" / "entry.js").read_text(encoding="utf-8")
    registered = {name.lower() for name in re.findall(r"\b(\w+)Chart\b", entry.split("use([")[1].split("]")[0])}
    drawn = set()
    for page in built_site.rglob("*.html"):
        for option in re.findall(r'class="report-chart__option">(.*?)</script>', page.read_text(encoding="utf-8")):
            drawn |= {series["type"] for series in json.loads(option)["series"]}
    assert drawn and drawn <= registered


def test_a_chart_embed_page_with_everything_it_loads_stays_under_200_kb_gzipped(built_site, live):
    biggest = 0
    for row in (r for r in live if r["kind"] == "chart"):
        page = built_site / row["url"] / "index.html"
        tags = Tags(page.read_text(encoding="utf-8"))
        assets = [a["src"] for a in tags.all("script") if "src" in a] + [
            a["href"] for a in tags.all("link") if a.get("rel") in ("stylesheet", "icon")]
        assets = [a for a in assets if not a.startswith("data:")]
        total = gz(page.read_bytes()) + sum(gz((page.parent / a).resolve().read_bytes()) for a in assets)
        assert any("echarts" in a for a in assets)
        biggest = max(biggest, total)
    assert 0 < biggest < BUDGET


# ---------------------------------------------------------------- retired embeds


def test_the_retired_list_rejects_a_malformed_entry_with_file_and_line(tmp_path):
    path = tmp_path / "retired.yml"
    path.write_text("retired:\n  - embed: fujian/chart/economy-money-2025\n    note: merged\n"
                    "  - embed: fujian/table/x\n    note: no such kind\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 4"):
        embed.load_retired(path)
    path.write_text("retired:\n  - embed: fujian/chart/economy-money-2025\n", encoding="utf-8")
    with pytest.raises(InputError, match="note"):
        embed.load_retired(path)


def test_a_retired_id_that_is_published_again_stops_the_build(tmp_path):
    entry = embed.Retired("fujian/chart/a", "dropped")
    with pytest.raises(InputError, match="published again"):
        embed.check_retired([entry], {"fujian/chart/a"}, tmp_path / "r.yml")
    embed.check_retired([entry], {"fujian/chart/b"}, tmp_path / "r.yml")


def test_a_retired_embed_becomes_a_page_that_says_so_and_links_to_its_report():
    page = embed.retired_page(embed.Retired("fujian/chart/gone", "merged into another chart"), {})
    assert "已不再提供" in page and 'href="../../../../"' in page
    assert 'type="application/json+oembed"' in page


def test_the_reviewed_list_of_retired_embeds_loads():
    assert isinstance(embed.load_retired(), list)


# ---------------------------------------------------------------- in the browser, across origins


def chromium(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless"])


def watch(page, errors: list, requests: list):
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))


DRAWN = "document.querySelectorAll('.report-chart__canvas svg path').length > 2"  # bars, not only the axes
HOST_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
             '<title>host</title></head><body><h1>A news site</h1>{body}<p>end</p></body></html>')


def wait_sized(page, frame_element, frame):
    """The iframe reaches the height its content needs, told by the embed's message, within one second."""
    frame.wait_for_selector("main.embed")
    page.wait_for_function(
        """([iframe, wanted]) => Math.abs(iframe.getBoundingClientRect().height - wanted) <= 1""",
        arg=[frame_element, frame.evaluate("Math.ceil(document.querySelector('main.embed').getBoundingClientRect().height)")],
        timeout=1000)


@pytest.fixture(scope="module")
def servers(built_site, tmp_path_factory):
    host = tmp_path_factory.mktemp("host")
    with serve(built_site) as site_url, serve(host) as host_url:
        yield site_url, host_url, host


def test_embed_code_from_the_dialog_renders_sizes_and_switches_to_dark_on_another_origin(servers, live):
    from playwright.sync_api import sync_playwright

    site_url, host_url, host = servers
    chart = next(r for r in live if r["kind"] == "chart")
    slug = chart["report"]
    theme = next(r for r in live if r["kind"] == "section" and r["report"] == slug)
    errors, requests = [], []
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page()
        watch(page, errors, requests)
        page.goto(site_url + theme["page"])
        codes = []
        for embed_id in (theme["id"],):
            page.locator(f'.embed-actions[data-embed-id="{embed_id}"] [data-embed-open]').click()
            codes.append(page.locator(".embed-dialog textarea").input_value())
            page.keyboard.press("Escape")
        page.goto(site_url + chart["page"])
        page.locator(f'.embed-actions[data-embed-id="{chart["id"]}"] [data-embed-open]').click()
        code = page.locator(".embed-dialog textarea").input_value()
        page.keyboard.press("Escape")
        codes.append(code)
        # A strict host sandboxes the frame with scripts only: the page works there too.
        codes.append(code.replace(f'sandbox="{embed.SANDBOX}"', 'sandbox="allow-scripts"'))
        assert all(site_url in c and 'loading="lazy"' in c and "embed-host.js" in c for c in codes)
        (host / "index.html").write_text(HOST_PAGE.format(body="\n<p>text</p>\n".join(codes)), encoding="utf-8")

        hosted = browser.new_page(viewport={"width": 720, "height": 800})
        watch(hosted, errors, requests)
        hosted.goto(host_url + "index.html")
        frames = hosted.locator("iframe").all()
        assert len(frames) == 3
        for element in frames:
            element.scroll_into_view_if_needed()
            handle = element.element_handle()
            frame = handle.content_frame()
            wait_sized(hosted, handle, frame)
            assert frame.evaluate("document.documentElement.getAttribute('data-scheme')") in ("light", "dark")
        for element in frames[1:]:
            frame = element.element_handle().content_frame()
            frame.wait_for_function(DRAWN)
        hosted.evaluate("window.explainerEmbeds.setTheme('dark')")
        for element in frames:
            frame = element.element_handle().content_frame()
            frame.wait_for_function("document.documentElement.getAttribute('data-scheme') === 'dark'", timeout=2000)
        browser.close()
    assert errors == []
    assert all(urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")) for url in requests)


def test_keyboard_focus_reaches_the_embed_and_download_buttons_and_png_svg_downloads_work(servers, live):
    from playwright.sync_api import sync_playwright

    site_url, _, _ = servers
    chart = next(r for r in live if r["kind"] == "chart")
    errors, requests = [], []
    with sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(accept_downloads=True)
        watch(page, errors, requests)
        page.goto(site_url + chart["page"])
        figure_id = f"chart-{chart['id'].split('/')[-1]}"
        figure = page.locator(f"#{figure_id}")
        figure.scroll_into_view_if_needed()
        page.wait_for_function(f"document.querySelectorAll('#{figure_id} svg path').length > 2")
        figure.locator("a").last.focus()
        reached = []
        for _ in range(4):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.textContent"))
        assert reached == ["嵌入", "下载 PNG", "下载 SVG", "下载 CSV"]
        actions = page.locator(f'.embed-actions[data-embed-id="{chart["id"]}"]')
        with page.expect_download() as png:
            actions.locator('[data-download="png"]').click()
        png_bytes = Path(png.value.path()).read_bytes()
        assert png_bytes[:8] == b"\x89PNG\r\n\x1a\n"
        with page.expect_download() as svg:
            actions.locator('[data-download="svg"]').click()
        saved = Path(svg.value.path()).read_text(encoding="utf-8")
        assert saved.startswith("<svg")
        # A published chart carries its headline, what it shows, and its source: in the image, not only the page.
        import html as html_module
        import re as re_module

        drawn_text = "".join(html_module.unescape(t) for t in re_module.findall(r"<text[^>]*>([^<]*)</text>", saved))
        for part in (".report-chart__title", ".report-chart__subtitle"):
            if figure.locator(part).count():
                assert figure.locator(part).text_content() in drawn_text
        assert "数据来源：" in drawn_text and "制图：政府工作报告解读" in drawn_text
        canvas_height = figure.locator("[data-chart-id]").bounding_box()["height"]
        png_height = int.from_bytes(png_bytes[20:24], "big") / 2  # drawn at twice the size
        assert png_height > canvas_height + 40  # room for the headline above and the source below
        browser.close()
    assert errors == []


def test_embeds_render_and_size_themselves_inside_another_sites_page(servers, listing, built_site):
    """Every embed of every fifth report (in slug order), of the compare pages and every retired one.

    Every report's embeds come from the same templates and scripts; a fifth of them (over 12 reports of
    both years, articles and official texts) keeps the test's time from growing with every seed added.
    """
    from playwright.sync_api import sync_playwright

    site_url, host_url, host = servers
    reports = sorted({row["report"] for row in listing})
    chosen = set(reports[::5]) | {embed.COMPARE, "000_89c8bcedadaad6b3"}
    by_report: dict[str, list[dict]] = {}
    for row in listing:
        if row["report"] in chosen or row["status"] != "live":
            by_report.setdefault(row["report"], []).append(row)
    assert len(by_report) >= 12 and {row["kind"] for rows in by_report.values() for row in rows} == {"chart", "section"}
    errors, requests = [], []
    with sync_playwright() as p:
        browser = chromium(p)
        hosted = browser.new_page(viewport={"width": 640, "height": 800})
        watch(hosted, errors, requests)
        for slug, rows in sorted(by_report.items()):
            codes = []
            for row in rows:
                # The code an oEmbed consumer publishes: the JSON's html, its addresses resolved against the JSON.
                data = json.loads((built_site / row["url"] / "oembed.json").read_text(encoding="utf-8"))
                base = site_url + row["url"] + "oembed.json"
                codes.append(re.sub(r'(src)="([^"]+)"', lambda m: f'{m.group(1)}="{urljoin(base, m.group(2))}"',
                                    data["html"]))
            (host / f"{slug}.html").write_text(HOST_PAGE.format(body="\n".join(codes)), encoding="utf-8")
            hosted.goto(host_url + f"{slug}.html")
            for element, row in zip(hosted.locator("iframe").all(), rows):
                element.scroll_into_view_if_needed()
                handle = element.element_handle()
                frame = handle.content_frame()
                wait_sized(hosted, handle, frame)
                if row["kind"] == "chart" and row["status"] == "live":
                    frame.wait_for_function(DRAWN, timeout=2000)
                else:
                    assert frame.locator("main.embed h1").inner_text().strip()
        browser.close()
    assert errors == []
    assert all(urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")) for url in requests)
