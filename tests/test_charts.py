"""Charts stage: default charts from the data, curation, and the embedded HTML fragment."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from build_scripts import charts
from build_scripts.charts import Chart, build_charts, chart_html, same_measure
from build_scripts.errors import InputError
from build_scripts.model import Block, Report
from build_scripts.parse import parse, read_seed
from build_scripts.pipeline import run_stages

NO_CURATION = Path("/nonexistent/charts.yml")


@pytest.fixture(scope="module")
def seed_report(seed_path) -> Report:
    return run_stages(parse(read_seed(seed_path), str(seed_path)))


@pytest.fixture(scope="module")
def seed_charts(seed_report) -> tuple[Chart, ...]:
    return build_charts(seed_report, NO_CURATION)


def small_report(*paragraphs: tuple[str, str], theme: str = "livelihood") -> Report:
    """A report of (part heading, paragraph) pairs, already through the figures stage."""
    from build_scripts.figures import extract_figures
    blocks = []
    for part, text in paragraphs:
        blocks.append(Block(len(blocks), "heading", part, part, level=1, part=part))
        blocks.append(Block(len(blocks), "paragraph", text, text, part=part, theme=theme))
    return extract_figures(Report(slug="small", source="small.txt", title="t", blocks=tuple(blocks)))


RESULTS = "回眸2024:实干"
PLANS = "展望2025:奋进"


# ---------------------------------------------------------------- defaults on the seed

def test_the_seed_has_a_chart_comparing_2024_learning_places_with_the_2025_plan(seed_charts):
    comparisons = [c for c in seed_charts if len(c.options["series"]) == 2]
    learning = [c for c in comparisons if {f.value for f in c.figures} >= {2570, 13680}]
    assert learning, [c.title for c in comparisons]
    chart = learning[0]
    assert "2024" in chart.title and "2025" in chart.title and "个" in chart.title
    assert [s["name"] for s in chart.options["series"]] == ["2024年成绩", "2025年计划"]
    assert [s["data"][0]["value"] for s in chart.options["series"]] == [2570, 13680]


def test_every_chart_has_a_unit_a_description_and_a_source_for_each_bar(seed_charts):
    assert seed_charts
    for chart in seed_charts:
        assert chart.unit and chart.unit in chart.title
        assert chart.description.startswith("条形图") and len(chart.description) > 20
        assert all(f.sentence and f.text in f.sentence for f in chart.figures)
        bars = sum(len(s["data"]) for s in chart.options["series"])
        assert bars == len(chart.figures)


def test_a_chart_puts_only_one_base_unit_and_one_period_on_its_axis(seed_charts):
    for chart in seed_charts:
        assert len({f.base_unit for f in chart.figures}) == 1
        if len(chart.options["series"]) == 1:
            assert len({f.period for f in chart.figures}) == 1


def test_bars_are_ordered_by_value_and_capped(seed_charts):
    for chart in seed_charts:
        if len(chart.options["series"]) == 1:
            values = [item["value"] for item in chart.options["series"][0]["data"]]
            assert values == sorted(values, reverse=True)
            assert 2 <= len(values) <= charts.MAX_BARS


def test_money_is_shown_in_a_readable_magnitude(seed_charts):
    money = next(c for c in seed_charts if c.id == "economy-yuan-2024")
    assert money.unit == "亿元"
    assert money.options["series"][0]["data"][0]["value"] == 730


def test_ranks_durations_and_bare_magnitudes_are_never_bars(seed_report, seed_charts):
    never = {(f.block, f.start) for b in seed_report.blocks for f in b.figures
             if f.base_unit in ("名次", "年") or f.text in ("万亿", "超亿元")}
    assert len(never) >= 8  # 首位 ×2, 第31名, 第三位, 四年 ×3, 两年, 万亿, 超亿元
    charted = {(f.block, f.start) for c in seed_charts for f in c.figures}
    assert not charted & never


def test_chart_ids_are_stable_ascii_slugs(seed_charts):
    ids = [c.id for c in seed_charts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


def test_two_builds_give_the_same_charts_and_html(seed_report):
    first, second = build_charts(seed_report, NO_CURATION), build_charts(seed_report, NO_CURATION)
    assert first == second
    assert [chart_html(c, "../report/") for c in first] == [chart_html(c, "../report/") for c in second]


def test_options_hold_no_random_chart_id(seed_charts):
    text = json.dumps([c.options for c in seed_charts])
    assert not re.search(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-", text)


def test_a_new_report_without_curation_gets_sensible_charts():
    report = small_report(
        (RESULTS, "新建学校3所、幼儿园5所,新增托位300个、新增学位1200个,发放补贴2000万元。"),
        (PLANS, "新增学位1500个,新增托位400个。"),
    )
    built = build_charts(report, NO_CURATION)
    titles = [c.title for c in built]
    assert any("2024年成绩与2025年计划" in t for t in titles), titles
    compare = next(c for c in built if len(c.options["series"]) == 2)
    assert len(compare.figures) == 4  # 学位 and 托位, each in both years
    assert all(len(c.figures) >= 2 for c in built)


def test_a_lone_figure_of_its_unit_gets_no_chart():
    report = small_report((RESULTS, "发放补贴2000万元,新增学位1200个。"))
    assert build_charts(report, NO_CURATION) == ()


@pytest.mark.parametrize("one, other, same", [
    ("增加学位", "增加学位", True),
    ("新增学位", "增加学位", False),
    ("老年助餐点服务人数", "老年助餐服务点", False),
    ("新增普惠性托位", "增设普惠性托位", True),
    ("改造", "改造", True),
])
def test_labels_name_the_same_measure_only_when_most_of_them_is_shared(one, other, same):
    assert same_measure(one, other) is same


# ---------------------------------------------------------------- curation

def write(tmp_path, text: str) -> Path:
    path = tmp_path / "charts.yml"
    path.write_text(text, encoding="utf-8")
    return path


def seed_curation(tmp_path, slug, entries: str) -> Path:
    return write(tmp_path, f"reports:\n  {slug}:\n{entries}")


def test_curation_retitles_orders_and_excludes(tmp_path, seed_report, seed_charts):
    last, first, dropped = seed_charts[-1].id, seed_charts[0].id, seed_charts[1].id
    path = seed_curation(tmp_path, seed_report.slug,
                         f"    - {{chart: {last}, order: 1, title: 编辑定的标题（个）, note: lead}}\n"
                         f"    - {{chart: {dropped}, exclude: true, note: duplicate}}\n")
    curated = build_charts(seed_report, path)
    assert curated[0].id == last and curated[0].title == "编辑定的标题（个）"
    assert "编辑定的标题" in curated[0].description
    assert dropped not in [c.id for c in curated]
    assert curated[1].id == first
    assert len(curated) == len(seed_charts) - 1


def test_curation_picks_the_figures_of_a_chart(tmp_path, seed_report, seed_charts):
    chart = next(c for c in seed_charts if c.id == "economy-yuan-2024")
    picked = [f"f{f.block}-{f.start}" for f in chart.figures[:3]][::-1]
    path = seed_curation(tmp_path, seed_report.slug,
                         f"    - {{chart: economy-yuan-2024, figures: [{', '.join(picked)}], note: three}}\n")
    curated = next(c for c in build_charts(seed_report, path) if c.id == "economy-yuan-2024")
    assert [f"f{f.block}-{f.start}" for f in curated.figures] == picked


def test_curation_can_make_a_new_chart_from_picked_figures(tmp_path, seed_report):
    figures = [f for b in seed_report.blocks for f in b.figures if f.unit == "场"]
    anchors = ", ".join(f"f{f.block}-{f.start}" for f in figures)
    path = seed_curation(tmp_path, seed_report.slug,
                         f"    - {{chart: culture-events, title: 各类活动场次（场）, figures: [{anchors}], note: new}}\n")
    new = next(c for c in build_charts(seed_report, path) if c.id == "culture-events")
    assert new.title == "各类活动场次（场）" and len(new.figures) == len(figures)


def test_a_curation_entry_matching_no_chart_is_an_error_naming_the_file(tmp_path, seed_report):
    path = seed_curation(tmp_path, seed_report.slug, "    - {chart: no-such-chart, title: x, note: typo}\n")
    with pytest.raises(InputError, match=r"charts\.yml: line 3: chart 'no-such-chart' matches no chart"):
        build_charts(seed_report, path)


def test_a_curation_entry_picking_an_unknown_figure_is_an_error(tmp_path, seed_report):
    path = seed_curation(tmp_path, seed_report.slug, "    - {chart: economy-yuan-2024, figures: [f999-1], note: x}\n")
    with pytest.raises(InputError, match=r"charts\.yml: line 3: figures f999-1 match no figure"):
        build_charts(seed_report, path)


def test_a_curation_entry_without_a_note_is_rejected(tmp_path, seed_report):
    path = seed_curation(tmp_path, seed_report.slug, "    - {chart: economy-yuan-2024, exclude: true}\n")
    with pytest.raises(InputError, match=r"charts\.yml: line 3: .*note"):
        build_charts(seed_report, path)


def test_curation_for_another_report_is_left_alone(tmp_path, seed_report, seed_charts):
    path = seed_curation(tmp_path, "some_other_report", "    - {chart: x, exclude: true, note: other}\n")
    assert build_charts(seed_report, path) == seed_charts


def test_the_shipped_curation_file_loads(seed_report):
    assert build_charts(seed_report)  # data/charts.yml as committed


# ---------------------------------------------------------------- HTML

class Collector(HTMLParser):
    """Tags with their attributes, in order, and the text of script elements."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parsed(fragment: str) -> Collector:
    collector = Collector()
    collector.feed(fragment)
    return collector


def test_the_fragment_has_an_accessible_canvas_json_option_caption_and_table(seed_charts):
    chart = seed_charts[0]
    fragment = chart_html(chart, "../report/")
    html = parsed(fragment)
    tags = [t for t, _ in html.tags]
    assert tags[0] == "figure" and "figcaption" in tags and "table" in tags
    canvas = next(a for t, a in html.tags if "data-chart-id" in a)
    assert canvas["data-chart-id"] == chart.id and canvas["role"] == "img"
    assert canvas["aria-label"] == chart.description
    script = next(a for t, a in html.tags if t == "script")
    assert script["type"] == "application/json" and "src" not in script
    option = json.loads(html.scripts[0])
    assert option["series"][0]["data"][0]["sentence"] == chart.figures[0].sentence
    assert chart.unit in fragment and "来源" in fragment


def test_every_bar_and_row_links_to_its_sentence_in_the_report(seed_charts):
    chart = seed_charts[0]
    html = parsed(chart_html(chart, "../report/"))
    option = json.loads(html.scripts[0])
    anchors = [f"../report/#f{f.block}-{f.start}" for f in chart.figures]
    assert [item["url"] for item in option["series"][0]["data"]] == anchors
    rows = [a["href"] for t, a in html.tags if t == "a" and "#" in a.get("href", "")]
    assert rows == anchors


def test_the_fragment_has_no_blank_line_and_passes_through_markdown_untouched(seed_charts):
    fragment = chart_html(seed_charts[0], "../report/")
    assert "\n\n" not in fragment
    rendered = markdown.markdown("前文。\n\n" + fragment + "\n\n后文。", extensions=["md_in_html", "attr_list", "tables"])
    assert fragment in rendered


def test_json_in_the_page_cannot_close_its_script_element():
    report = small_report((RESULTS, "</script>补贴2000万元,</script>奖励3000万元。"))
    chart = build_charts(report, NO_CURATION)[0]
    html = chart_html(chart, "../report/")
    script = html[html.index('<script type="application/json"'):]
    assert script.count("</script>") == 1


def test_canvas_height_grows_with_the_number_of_bars(seed_charts):
    small = min(seed_charts, key=lambda c: len(c.figures))
    large = max(seed_charts, key=lambda c: len(c.figures))
    assert charts.chart_height(small) < charts.chart_height(large)


# ---------------------------------------------------------------- charts.js in a real browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
DRAWN = "document.querySelectorAll('.report-chart__canvas canvas').length"


@pytest.fixture(scope="module")
def chart_site(tmp_path_factory, seed_report, seed_charts):
    """A three-page MkDocs site with instant navigation: home (no chart), a chart page, the report."""
    import shutil
    import subprocess
    import sys
    echarts = ROOT / "node_modules" / "echarts" / "dist" / "echarts.min.js"
    if not echarts.is_file():
        pytest.skip("node_modules missing; run `npm ci`")
    top = tmp_path_factory.mktemp("chartsite")
    docs = top / "docs"
    for folder in ("javascripts", "stylesheets", "assets/javascripts", "themes"):
        (docs / folder).mkdir(parents=True)
    shutil.copy(ROOT / "docs/javascripts/charts.js", docs / "javascripts")
    shutil.copy(ROOT / "docs/stylesheets/charts.css", docs / "stylesheets")
    shutil.copy(echarts, docs / "assets/javascripts")
    (docs / "index.md").write_text("# 首页\n\n[图表](themes/)\n", encoding="utf-8")
    page = "\n\n".join(chart_html(c, "../report/") for c in seed_charts if c.theme == "livelihood")
    (docs / "themes/index.md").write_text("# 民生\n\n" + page + "\n", encoding="utf-8")
    spans = []
    for block in seed_report.blocks:
        text, cursor, out = block.text, 0, []
        for f in block.figures:
            out += [text[cursor:f.start], f'<span id="f{f.block}-{f.start}">{f.text}</span>']
            cursor = f.end
        spans.append("".join(out) + text[cursor:])
    (docs / "report.md").write_text("# 全文\n\n" + "\n\n".join(spans) + "\n", encoding="utf-8")
    (top / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  font: false\n  features: [navigation.instant]\n"
        "nav: [index.md, themes/index.md, report.md]\nmarkdown_extensions: [md_in_html, attr_list, tables]\n"
        "extra_css: [stylesheets/charts.css]\nextra_javascript: [javascripts/charts.js]\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(top / "mkdocs.yml"), "-d", str(top / "site")],
                   check=True, capture_output=True)
    return top / "site"


@pytest.fixture(scope="module")
def chart_page(chart_site):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed")
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(chart_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.requests, page.errors = [], []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        yield page
        browser.close()
    httpd.shutdown()


def test_charts_load_nothing_on_a_page_without_charts_then_draw_after_instant_navigation(chart_page):
    page = chart_page
    page.goto(page.base)
    page.wait_for_load_state("networkidle")
    assert not any("echarts" in url for url in page.requests)
    page.click("article >> text=图表")
    page.wait_for_url("**/themes/")
    page.wait_for_function(DRAWN + " > 0", timeout=10_000)
    assert sum("echarts.min.js" in url for url in page.requests) == 1
    assert all(url.startswith(page.base) for url in page.requests if not url.startswith(("data:", "blob:")))
    assert page.errors == []


def test_a_bar_shows_its_sentence_and_a_click_opens_it_in_the_report(chart_page):
    page = chart_page
    page.goto(page.base + "themes/")
    page.wait_for_function(DRAWN + " > 1", timeout=10_000)
    page.wait_for_timeout(1500)  # let the bars finish growing
    # The second chart has one series, so the middle of its first bar is on the bar.
    x, y, sentence, url = page.evaluate("""() => {
        const el = document.querySelectorAll('.report-chart__canvas')[1];
        const chart = echarts.getInstanceByDom(el);
        const item = chart.getOption().series[0].data[0];
        const at = chart.convertToPixel({seriesIndex: 0}, [item.value / 2, 0]);
        const box = el.getBoundingClientRect();
        return [box.left + at[0], box.top + at[1], item.sentence, item.url]; }""")
    page.mouse.move(x, y)
    page.wait_for_timeout(600)
    tooltip = page.evaluate("document.querySelectorAll('.report-chart__canvas')[1].textContent")
    assert sentence in tooltip
    page.mouse.click(x, y)
    page.wait_for_url("**/report/#" + url.split("#")[1], timeout=10_000)
    assert page.evaluate("!!document.getElementById(location.hash.slice(1))")
    assert page.errors == []
