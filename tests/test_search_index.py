"""The search index (issue 21): the site's own, of the finished pages, in buckets a query loads one by one."""
import json
import zlib
from pathlib import Path

import pytest

from build_scripts import search_index
from build_scripts.errors import InputError
from test_build import OFFICIAL, SEED, THEMES, reports_of


# ---------------------------------------------------------------- a reader of the files, written from the format


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def read_bucket(data: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """A bucket file as {word: [(part, page, impact, passage)]}, read as the browser reads it."""
    found: dict[str, list] = {}
    at = 0
    while at < len(data):
        part, at = read_varint(data, at)
        words, at = read_varint(data, at)
        for _ in range(words):
            length, at = read_varint(data, at)
            word = data[at:at + length].decode("utf-8")
            at += length
            count, at = read_varint(data, at)
            page = 0
            for _ in range(count):
                step, at = read_varint(data, at)
                impact, at = read_varint(data, at)
                passage, at = read_varint(data, at)
                page += step
                found.setdefault(word, []).append((part, page, impact, passage))
    return found


class Index:
    """A built site's index, read from its files: what a browser could fetch."""

    def __init__(self, site: Path):
        self.folder = site / search_index.OUTPUT
        self.info = json.loads((self.folder / "index.json").read_text(encoding="utf-8"))
        self.lists = [json.loads((self.folder / "pages" / f"{part}.json").read_text(encoding="utf-8"))
                      for part in self.info["parts"]]

    def pages(self) -> dict[str, dict]:
        """Every indexed page by URL path: its title, part, number and text (its passages joined)."""
        pages = {}
        for part, listed in enumerate(self.lists):
            ident = self.info["parts"][part]
            for number, (url, title) in enumerate(listed):
                files = sorted((self.folder / "text" / ident).glob(f"{number}-*.json"),
                               key=lambda p: int(p.stem.split("-")[1]))
                passages = [p for path in files for p in json.loads(path.read_text(encoding="utf-8"))]
                pages[url] = {"title": title, "part": part, "page": number, "passages": passages}
        return pages

    def postings(self, word: str) -> list[tuple[str, int, int]]:
        """The pages holding ``word``: (url, impact, passage)."""
        bucket = zlib.crc32(word.encode("utf-8")) % self.info["buckets"]
        data = (self.folder / "words" / f"{bucket}.bin").read_bytes()
        return [(self.lists[part][page][0], impact, passage)
                for part, page, impact, passage in read_bucket(data).get(word, [])]


@pytest.fixture(scope="module")
def index(built_site) -> Index:
    return Index(built_site)


@pytest.fixture(scope="module")
def indexed(index) -> dict[str, dict]:
    return index.pages()


# ---------------------------------------------------------------- the built site's index


def test_every_theme_page_of_every_report_is_indexed_and_names_its_report(built_site, indexed):
    for row in reports_of(built_site):
        for theme in THEMES:
            assert row["place"] in indexed[f"{row['slug']}/{theme}/"]["title"]
    assert indexed[f"{OFFICIAL}/economy/"]["title"].endswith("福建省（2026年）")


def test_a_word_lists_the_pages_holding_it_and_the_passage_where_it_first_occurs(index, indexed):
    hits = index.postings("老旧")
    urls = {url for url, _, _ in hits}
    assert f"{SEED}/urban-renewal/" in urls and len({u.split("/")[0] for u in urls}) >= 10
    for url, impact, passage in hits:
        assert impact >= 1
        shown = indexed[url]["passages"][passage] + indexed[url]["title"]
        assert "老旧" in shown, (url, passage)
    # every page holding the word, and none that does not
    holding = {url for url, page in indexed.items() if any("老旧" in p for p in page["passages"]) or "老旧" in page["title"]}
    assert urls == holding


def test_a_pair_is_found_only_where_its_characters_stand_together(index, indexed):
    apart = {url for url, page in indexed.items()
             if any("学" in p for p in page["passages"]) and any("位" in p for p in page["passages"])}
    together = {url for url, _, _ in index.postings("学位")}
    assert together < apart
    assert all(any("学位" in p for p in indexed[url]["passages"]) for url in together)


def test_the_title_is_the_results_title_not_the_pages_first_passage(indexed):
    page = indexed[f"{OFFICIAL}/economy/"]
    assert page["passages"] and not page["passages"][0].startswith(page["title"])


def test_pages_left_out_of_search_and_parts_marked_to_skip_are_not_indexed(built_site, indexed):
    # corrections pages say `search: exclude` (they repeat the spun words); chart data tables are skipped.
    assert not [url for url in indexed if url.endswith("/corrections/")]
    theme_html = (built_site / OFFICIAL / "economy" / "index.html").read_text(encoding="utf-8")
    assert "data-search-ignore" in theme_html
    text = "".join(indexed[f"{OFFICIAL}/economy/"]["passages"])
    assert "图表." not in text  # the chart's data table
    assert "报告怎样总结发展成绩" not in text  # the theme's description, the same on every report's page
    # the lead's counts and the key figures repeat the paragraphs, which are indexed
    assert not [p for p in indexed[f"{OFFICIAL}/economy/"]["passages"] if p.startswith("这份报告有")]
    assert sum(len(p) > 60 for p in indexed[f"{OFFICIAL}/economy/"]["passages"]) >= 10
    assert not [url for url in indexed if url.startswith("embed/")]
    assert all(len(p) <= search_index.PASSAGE_CHARS for page in indexed.values() for p in page["passages"])


def test_the_index_folder_holds_only_its_four_kinds_of_file(built_site, index):
    assert {p.name for p in index.folder.iterdir()} == {"index.json", "words", "pages", "text"}
    assert len(list((index.folder / "words").iterdir())) == index.info["buckets"]
    assert index.info["pages"] == sum(len(listed) for listed in index.lists)


# ---------------------------------------------------------------- pages and words, one by one


PAGE = """<html><body><nav>导航里的字</nav>
<div data-search-body data-search-title="经济 · 某县（2025年）" data-search-weight="0.5">
<h1>经济发展</h1><p>全年地区生产总值增长5.5%。<span data-search-ignore>每页一样的说明</span>新建学校3所！</p>
<script>var x = "脚本里的字";</script><p hidden>藏起来的字</p><svg><text>图里的字</text></svg>
<ul><li>第一条</li><li>第二条</li></ul>
</div><footer>页脚里的字</footer></body></html>"""


def test_a_page_is_read_from_its_search_body_without_ignored_hidden_or_script_text():
    page = search_index.read_page(PAGE, "county/economy/")
    assert page.title == "经济 · 某县（2025年）" and page.weight == 0.5 and page.url == "county/economy/"
    assert page.passages == ("经济发展", "全年地区生产总值增长5.5%。新建学校3所！", "第一条", "第二条")


def test_a_page_without_a_search_body_is_left_out():
    assert search_index.read_page("<html><body><p>更正说明</p></body></html>", "county/corrections/") is None


def test_a_long_paragraph_is_cut_into_passages_at_sentence_ends():
    sentence = "推进城市更新行动，改造老旧小区一百个。"  # 19 characters
    cut = list(search_index.passages([sentence * 15]))
    assert all(len(p) <= search_index.PASSAGE_CHARS for p in cut) and "".join(cut) == sentence * 15
    assert all(p.endswith("。") for p in cut)
    assert list(search_index.passages(["字" * 250])) == ["字" * 120, "字" * 120, "字" * 10]


def test_words_are_chinese_characters_and_their_pairs_latin_words_and_numbers():
    assert search_index.words("学位") == ["学", "位", "学位"]
    assert search_index.words("ＧＤＰ增长5G") == ["gdp", "增", "长", "增长", "5g"]
    assert search_index.words("鼓浪屿，") == ["鼓", "浪", "屿", "鼓浪", "浪屿"]


def test_a_words_impact_grows_with_its_count_and_the_pages_weight():
    def impact(text, weight=1.0, word="托育"):
        page = search_index.Page("p/", "标题", weight, (text,))
        return search_index.postings(page)[word][0]

    assert impact("托育" * 3 + "其他" * 20) > impact("托育" + "其他" * 20)
    assert impact("托育" + "其他" * 20, weight=0.1) < impact("托育" + "其他" * 20)
    page = search_index.Page("p/", "托育服务", 1.0, ("第一段", "还有托育"))
    assert search_index.postings(page)["托育"][1] == 1  # the passage where it first occurs, not the title


def test_the_bucket_count_grows_with_the_site_in_powers_of_two():
    counts = [search_index.bucket_count(n) for n in (10, 500, 9_000, 40_000)]
    assert counts == sorted(counts) and counts[0] >= 16 and all(c & (c - 1) == 0 for c in counts)
    assert counts[2] * search_index.BUCKET_BYTES >= 9_000 * search_index.BYTES_PER_PAGE


def test_a_folder_indexed_on_its_own_is_read_back_the_same(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(PAGE.replace("新建学校3所", "新建公园2个"), encoding="utf-8")
    search_index.index_site(tmp_path)
    index = Index(tmp_path)
    assert [url for url, _, _ in index.postings("学校")] == [""]
    assert sorted(url for url, _, _ in index.postings("增长")) == ["", "a/"]
    assert [url for url, _, _ in index.postings("页脚")] == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no work folder left behind


def test_a_folder_without_pages_is_one_error_naming_it(tmp_path):
    with pytest.raises(InputError) as caught:
        search_index.index_site(tmp_path)
    assert caught.value.path == str(tmp_path) and "found no page" in caught.value.problem


def test_an_element_left_open_ends_with_its_parent_and_the_page_after_the_body_is_not_read():
    source = ('<div data-search-body data-search-title="标题"><ul><li>第一条<li>第二条</ul><p>正文</p></div>'
              '<footer>页脚里的字</footer>')
    assert search_index.read_page(source, "p/").passages == ("第一条", "第二条", "正文")


def test_a_title_is_unescaped_once_so_a_report_writing_an_entity_keeps_it():
    # A title that says &lt;b&gt; is written &amp;lt;b&amp;gt; in the page: the result shows &lt;b&gt;.
    source = '<div data-search-body data-search-title="A &amp;lt;b&amp;gt; 标题"><p>正文</p></div>'
    assert search_index.read_page(source, "p/").title == "A &lt;b&gt; 标题"
