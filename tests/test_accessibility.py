"""Accessibility and phone typography of the built site, in Chromium with axe-core (pinned in package.json).

axe must find no serious or critical violation, in the light (`default`) and the dark (`slate`)
palette. `make test` checks every page type (report home, each theme page, full text,
corrections, data; home, compare, glossary, about, 404 and any other kind of page) of the seed and
two other reports; `make a11y` (A11Y_PAGES=all) checks every page of the site in both palettes.
"""
import os
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("playwright.sync_api")  # browser tests skip where Playwright is not installed

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SEED = "000_89c8bcedadaad6b3"
# Besides the seed (a news article): one official report of the tuning split, one held out.
SAMPLE_REPORTS = (SEED, "fujian", "jiangsu")
# mkdocs-material 9.8.2 picks the first palette whose media query matches when the reader has not
# chosen one (localStorage "<scope>.__palette" is empty), so emulating the system setting selects it.
PALETTES = {"light": "default", "dark": "slate"}
REPORT_PAGES = ("", "economy/", "urban-renewal/", "livelihood/", "culture/", "report/", "corrections/", "data/",
                "targets/")  # targets/: the reports with a report of their place the year before or after
SITE_PAGES = ("", "reports/", "compare/", "compare/2026/", "compare/2026/gdp-growth-target/", "targets/", "glossary/", "about/", "404.html")
BLOCKING = ("serious", "critical")
EVERY_PAGE = os.environ.get("A11Y_PAGES") == "all"

# The site's chrome (header, tabs, navigation, footer) comes from one template and one stylesheet on
# every page of a type; it is checked on the first page of each type and left out on the others,
# which halves the time (colour contrast, axe's slowest rule, is computed for every link of it).
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"]
AXE_RUN = """async (exclude) => {
  const result = await axe.run({exclude}, {resultTypes: ["violations"]});
  return result.violations.filter(v => %s.includes(v.impact)).map(v => ({
    rule: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " "))}));
}""" % list(BLOCKING)


def site_pages(site: Path) -> list[str]:
    """Every page of a built site as a path relative to its root ('' is the home page)."""
    pages = sorted(str(p.parent.relative_to(site)) for p in site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in pages] + sorted(p.name for p in site.glob("*.html")
                                                                 if p.name != "index.html")


def report_slugs(site: Path) -> set[str]:
    """The address of every report: the folders that hold a report's own data files."""
    return {p.parent.parent.name for p in site.glob("*/data/report.json")}


def page_type(path: str, slugs: set[str]) -> str:
    """The template a page comes from: 'report:economy/', 'site:compare/', or its path with ids starred."""
    parts = path.split("/")
    if parts[0] in slugs:
        return "report:" + path[len(parts[0]) + 1:]
    if path in SITE_PAGES:
        return "site:" + path
    # Other pages (embeds …): the first folder names the kind; report slugs and the last part (an id) are starred.
    parts = [part for part in parts if part]
    return "other:" + "/".join("*" if i and (part in slugs or i == len(parts) - 1) else part
                               for i, part in enumerate(parts))


def pages_to_check(site: Path) -> dict[str, list[str]]:
    """Pages by type: every page with A11Y_PAGES=all, else those of the sample reports and one of each other type."""
    slugs, by_type = report_slugs(site), {}
    for path in site_pages(site):
        by_type.setdefault(page_type(path, slugs), []).append(path)
    if EVERY_PAGE:
        return by_type
    sample = {}
    for kind, paths in by_type.items():
        mine = [p for p in paths if any(f"/{slug}/" in f"/{p}" for slug in SAMPLE_REPORTS)]
        sample[kind] = mine[:len(SAMPLE_REPORTS)] or paths[:1]
    return sample


def test_every_report_page_and_site_page_has_a_type_with_pages_to_check(built_site):
    kinds = pages_to_check(built_site)
    assert {"report:" + p for p in REPORT_PAGES} | {"site:" + p for p in SITE_PAGES} <= set(kinds)
    assert all(kinds.values())
    assert len(kinds["report:economy/"]) == (len(report_slugs(built_site)) if EVERY_PAGE else 3)


def axe_violations(page, url: str, exclude: list[str]) -> list[dict]:
    """Serious and critical axe violations of one page, after its scripts ran, outside ``exclude``."""
    page.goto(url, wait_until="load")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, exclude)


@pytest.mark.parametrize("palette", PALETTES)
def test_axe_finds_no_serious_or_critical_violation_on_any_page_type(browser, server, built_site, palette):
    if not AXE.is_file():
        pytest.skip("node_modules missing; run `npm ci`")
    # Embed pages forbid inline scripts (Content-Security-Policy); axe is injected as one.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=palette, bypass_csp=True)
    page = context.new_page()
    found, checked = [], 0
    try:
        for kind, paths in pages_to_check(built_site).items():
            # The dark scheme changes colours only, from one stylesheet for every page of a type: its
            # first page is checked in both schemes, the other sampled pages in the light one.
            for i, path in enumerate(paths if palette == "light" or EVERY_PAGE else paths[:1]):
                for v in axe_violations(page, server + path, CHROME if i else []):
                    found.append(f"{palette} /{path} {v['rule']} ({v['impact']}): " + " | ".join(v["nodes"]))
                checked += 1
            if kind.startswith(("report:", "site:")):
                assert page.evaluate("document.body.dataset.mdColorScheme") == PALETTES[palette], path
    finally:
        context.close()
    assert checked >= len(REPORT_PAGES) + len(SITE_PAGES)
    assert found == [], "\n".join(found)


# ---------------------------------------------------------------- phone typography (375 px)

@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


def draw_every_chart(page):
    """Scroll each chart into view and wait until it is drawn (charts draw when they are seen)."""
    containers = page.locator(".report-chart [data-chart-id]")
    for i in range(containers.count()):
        containers.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("el => el.querySelector('canvas, svg')", arg=containers.nth(i).element_handle(),
                               timeout=10000)
    return containers.count()


# The value-axis labels as ECharts placed them: texts that are only a number (compact or not).
AXIS_LABEL_BOXES = r"""(container) => {
  const chart = echarts.getInstanceByDom(container);
  const boxes = [];
  chart.getZr().storage.getDisplayList(true).forEach(el => {
    const text = el.style && el.style.text;
    if (typeof text !== "string" || !/^-?[\d.,]+[万亿]?$/.test(text) || el.invisible || el.ignore) return;
    const box = el.getBoundingRect().clone();
    const transform = el.getComputedTransform();
    if (transform) box.applyTransform(transform);
    boxes.push([text, box.x, box.y, box.width, box.height]);
  });
  return boxes;
}"""


def overlaps(a, b) -> bool:
    """Whether two [text, x, y, width, height] boxes share more than a pixel."""
    return a[1] + a[3] - 1 > b[1] and b[1] + b[3] - 1 > a[1] and a[2] + a[4] - 1 > b[2] and b[2] + b[4] - 1 > a[2]


def chart_pages(site: Path) -> list[str]:
    """An indicator's comparison page, and the pages and chart embeds of the sample reports that draw charts."""
    pages = [p for p in site_pages(site) if p.split("/")[0] in SAMPLE_REPORTS
             and "data-chart-id" in (site / p / "index.html").read_text(encoding="utf-8")]
    # Embeds are drawn by embed.js, which must fit its axes the same way on a phone-wide host column.
    embeds = sorted(f"{p.parent.relative_to(site).as_posix()}/" for p in site.glob("embed/*/chart/*/index.html")
                    if p.parts[-4] in SAMPLE_REPORTS)
    return ["compare/2026/gdp-growth-target/"] + pages + embeds


def test_axis_numbers_of_every_chart_stand_apart_on_a_375_px_phone(phone, server, built_site):
    touching, charts = [], 0
    for path in chart_pages(built_site):
        phone.goto(server + path, wait_until="networkidle")
        drawn = draw_every_chart(phone)
        containers = phone.locator(".report-chart [data-chart-id]")
        for i in range(drawn):
            boxes = phone.evaluate(AXIS_LABEL_BOXES, containers.nth(i).element_handle())
            assert len(boxes) >= 2, (path, i, boxes)  # the axis still shows a scale
            touching += [(path, i, a[0], b[0]) for j, a in enumerate(boxes) for b in boxes[j + 1:] if overlaps(a, b)]
        charts += drawn
    assert charts >= 3
    assert touching == []


# Lines of each cell of a chart's data table, from the boxes of its text (one box per line).
CELL_LINES = """() => [...document.querySelectorAll("table.report-chart__data td")].map(td => {
  const range = document.createRange();
  range.selectNodeContents(td);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [td.textContent, tops.size];
})"""


def test_figures_in_chart_tables_keep_number_and_unit_on_one_line_on_a_phone(phone, server, built_site):
    cells = []
    for path in chart_pages(built_site):
        phone.goto(server + path, wait_until="load")
        cells += phone.evaluate(CELL_LINES)
    assert any(text.endswith(("元", "%")) for text, _ in cells)
    assert [text for text, lines in cells if lines > 1] == []


def test_a_figure_in_running_text_and_in_the_data_table_never_splits(phone, server):
    phone.goto(server + SEED + "/data/", wait_until="networkidle")
    assert phone.evaluate("getComputedStyle(document.querySelector('.md-typeset table td')).whiteSpace") == "nowrap"
    phone.goto(server + SEED + "/report/", wait_until="networkidle")
    assert phone.evaluate("getComputedStyle(document.querySelector('.md-typeset .fig')).whiteSpace") == "nowrap"


@pytest.mark.parametrize("path", ["", SEED + "/", SEED + "/report/", "fujian/economy/"])
def test_no_paragraph_is_justified_so_lines_full_of_digits_do_not_stretch(phone, server, path):
    phone.goto(server + path, wait_until="load")
    aligns = phone.evaluate("[...document.querySelectorAll('.md-typeset p')].map(p => getComputedStyle(p).textAlign)")
    assert aligns and "justify" not in aligns


def test_the_page_type_of_an_address_names_its_template():
    slugs = {"fujian", SEED}
    assert page_type("fujian/economy/", slugs) == "report:economy/"
    assert page_type(SEED + "/", slugs) == "report:"
    assert page_type("compare/", slugs) == "site:compare/"
    assert page_type("embed/fujian/chart/economy-yuan-2025/", slugs) == "other:embed/*/chart/*"
    assert page_type("embed/fujian/section/culture/", slugs) == "other:embed/*/section/*"
    assert page_type("new/", slugs) == "other:new"
