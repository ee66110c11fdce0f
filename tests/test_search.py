"""Search in a real browser (Debian's Chromium driven by Playwright) over the whole site of every report.

The words below were chosen by reading the reports, before the ranking was tuned. Half come from the
reports the ranking was tuned on (the seed article and anhui…hunan), half from the held-out reports
(jiangsu…xizang), which were only measured.
"""
import pytest

pytest.importorskip("playwright.sync_api")  # browser tests skip where Playwright is not installed


SEED = "000_89c8bcedadaad6b3"
THEMES = ("economy", "urban-renewal", "livelihood", "culture")
# Pages that hold words of every report without being about them: they must never come first.
NOT_FIRST = ("glossary", "data", "compare", "about", "corrections")

# word: (report whose page should come first, or None when several reports use it; theme of that page)
IN_SAMPLE = {
    "老旧小区": (None, "urban-renewal"),  # in 21 reports; the seed mentions it once
    "人工智能": (None, "economy"),  # in every report; guangxi's and the seed's economy pages tie
    "学位": (None, "livelihood"),
    "托育": (None, "livelihood"),
    "郑成功": (None, None),  # the seed article (a commemoration under its economy part) and fujian-2025
    "鼓浪屿": (SEED, "culture"),
}
HELD_OUT = {
    "浦东": ("shanghai", None),
    "大熊猫": ("sichuan", None),
    "棉花": ("xinjiang", None),
    "滨海新区": ("tianjin", None),
    "枸杞": ("ningxia", None),
    "稀土": ("neimenggu", None),  # also in guangxi, guizhou and jiangxi, 16 times in neimenggu
}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def search(page, server, word):
    """Type ``word`` into the search box and wait for the results."""
    page.goto(server, wait_until="networkidle")
    if page.viewport_size["width"] < 960:  # on a phone the box opens from the header's search button
        page.click('label[for="__search"]')
    else:
        page.click(".md-search__input")
    # As a Chinese input method enters a word: one insertText, no key pressed or released.
    page.keyboard.insert_text(word)
    page.wait_for_selector(".md-search-result__item a", timeout=20000)


def ranked_pages(page, server, word, everything=False):
    """The result pages in rank order, as site paths (fujian/economy/); all of them if ``everything``."""
    search(page, server, word)
    script = """els => els.map(e => new URL(e.href).pathname.replace(/^\\//, ''))"""
    selector = ".md-search-result__list > .md-search-result__item > a:first-child"
    pages = page.eval_on_selector_all(selector, script)
    while everything and page.locator(".search-more__button").count():  # ten results at a time
        before = len(pages)
        page.click(".search-more__button")
        page.wait_for_function(f"document.querySelectorAll('{selector}').length > {before}")
        pages = page.eval_on_selector_all(selector, script)
    return pages


def kind(path):
    """What a result page is: a theme id, 'overview', 'report', 'data', 'glossary' …"""
    parts = path.strip("/").split("/")
    if parts[0] in NOT_FIRST:  # compare/2026/ is the compare page of a year
        return parts[0]
    if len(parts) == 1:
        return parts[0] if parts[0] in NOT_FIRST else "overview" if parts[0] else "home"
    return parts[1]


@pytest.mark.parametrize("word", list(IN_SAMPLE) + list(HELD_OUT))
def test_a_word_of_a_report_finds_a_page_of_that_report_first_never_the_glossary_or_data(page, server, word):
    report, theme = {**IN_SAMPLE, **HELD_OUT}[word]
    pages = ranked_pages(page, server, word)
    first = pages[0]
    assert kind(first) not in NOT_FIRST, pages[:5]
    assert kind(first) in (*THEMES, "overview", "report"), pages[:5]
    if report:  # a page of that place's report, of either year (shanghai/ or shanghai-2025/)
        assert first.split("/")[0] in (report, report + "-2025"), pages[:5]
    if theme:
        assert kind(first) == theme, pages[:5]


@pytest.mark.parametrize("word, theme", [("老旧小区", "urban-renewal"), ("人工智能", "economy")])
def test_the_seed_theme_page_ranks_above_every_glossary_and_data_page(page, server, word, theme):
    pages = ranked_pages(page, server, word, everything=True)
    seed_rank = pages.index(f"{SEED}/{theme}/")
    below = [p for p in pages if kind(p) in ("glossary", "data")]
    assert all(pages.index(p) > seed_rank for p in below), (seed_rank, below)
    assert seed_rank < 20, seed_rank


def test_a_two_character_word_is_matched_whole_not_by_its_first_character(page, server):
    ranked_pages(page, server, "学位")
    marks = page.eval_on_selector_all(".md-search-result mark", "els => els.map(e => e.textContent)")
    assert marks and all(m.startswith("学位") for m in marks), sorted(set(marks))[:10]


def test_every_hit_names_its_report(page, server):
    ranked_pages(page, server, "托育")
    titles = page.eval_on_selector_all(".md-search-result__item h1", "els => els.map(e => e.textContent)")
    assert len(titles) >= 5
    assert all("年" in t and any(level in t for level in "省市区") for t in titles), titles


def test_tapping_the_search_button_on_a_phone_puts_the_cursor_in_the_box_at_once(phone, server):
    # Asked in the tap's own task: a focus made later would not open a phone's keyboard, and words
    # typed just after the tap would go to the page (this once failed the phone test under load).
    phone.goto(server, wait_until="networkidle")
    focused = phone.evaluate("""() => {
      document.querySelector('label[for="__search"]').click();
      return document.activeElement === document.querySelector('.md-search__input');
    }""")
    assert focused


# Records, frame by frame, how far the page is wider than the phone's screen at its widest.
WIDEST_OVERFLOW = """window.widestOverflow = 0;
(function measure() {
  const root = document.documentElement;
  if (root) window.widestOverflow = Math.max(window.widestOverflow, root.scrollWidth - window.innerWidth);
  requestAnimationFrame(measure);
})();"""


def test_teasers_on_a_phone_are_three_lines_and_show_the_hit(phone, server):
    phone.add_init_script(WIDEST_OVERFLOW)
    search(phone, server, "托育")
    # the teasers on screen, not those folded under "在该页上还有 … 个符合条件的结果"
    teasers = phone.locator(".md-search-result__item > a > .md-search-result__article > p:not(.md-search-result__terms)")
    assert teasers.count() >= 3
    for i in range(3):
        teaser = teasers.nth(i)
        box = teaser.bounding_box()
        line = float(teaser.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
        assert box["height"] <= 3 * line + 1, teaser.inner_text()
        mark = teaser.locator("mark").first
        if mark.count():  # the highlighted word is inside the three visible lines
            assert mark.bounding_box()["y"] + mark.bounding_box()["height"] <= box["y"] + box["height"] + 1
    # not even while the search opens: the theme's growing circle once stuck out for 0.4 s and the
    # phone zoomed the page out (docs/stylesheets/search.css clips it)
    assert phone.evaluate("window.widestOverflow") <= 0


FIRST_SEARCH_BUDGET = 400 * 1024  # bytes a first search may fetch, gzipped (issue 21)


def test_a_first_search_fetches_only_the_index_parts_its_word_needs_within_the_budget(page, server, built_site):
    import gzip

    fetched = []
    page.on("response", lambda r: fetched.append((r.url, r.body())) if "/search/" in r.url else None)
    ranked_pages(page, server, "托育")
    buckets = [url for url, _ in fetched if "/search/words/" in url]
    assert len(buckets) == 1  # 托育 is one pair of characters: one bucket
    texts = [url for url, _ in fetched if "/search/text/" in url]
    assert 1 <= len(texts) <= 10  # the passages of the ten results shown, no more
    assert sum(len(gzip.compress(body, 6)) for _, body in fetched) <= FIRST_SEARCH_BUDGET


def test_a_keyword_chip_opens_the_search_with_its_word(page, server):
    page.goto(server + f"{SEED}/economy/", wait_until="networkidle")
    chip = page.locator("a.keyword-chip").first
    word = chip.inner_text()
    chip.click()
    page.wait_for_selector(".md-search-result__item a", timeout=20000)
    assert page.input_value(".md-search__input") == word
    assert page.is_checked("#__search")


def test_results_are_text_with_marks_and_nothing_else(page, server):
    ranked_pages(page, server, "老旧小区")
    tags = page.eval_on_selector_all(".md-search-result__item a *", "els => [...new Set(els.map(e => e.tagName))]")
    assert set(tags) <= {"ARTICLE", "H1", "P", "MARK"}, tags
