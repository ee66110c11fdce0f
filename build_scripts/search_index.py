"""Search index: the site's own, made from the finished pages, in parts a query loads on demand.

Words. A page's words are the characters and the pairs of neighbouring characters of its Chinese
text, and its Latin words and numbers. A two-character query (学位) finds the pages holding that
pair, never those holding 学 and 位 apart; a longer one (老旧小区) the pages holding all its pairs.
Pairs need no dictionary, so a name no dictionary knows (鼓浪屿) is found like any other word, and the
browser splits a query exactly as the index did (docs/javascripts/search.js, ``words``).

Postings. For each word of a page the index keeps the page, an impact (BM25's term-frequency part,
with the page's length, times the page's weight from its front matter: ``data-search-weight``) and
the passage where the word first occurs (for the excerpt). The browser adds each word's idf, which
it counts from the postings it fetched, so no posting depends on any other page.

Files (in ``search/``): ``index.json`` (the bucket count, the number of pages, the parts), one
``words/<n>.bin`` per bucket (the words whose CRC-32 falls in it), and per part ``pages/<part>.json``
(each page's address and title, which names its report) and ``text/<part>/<page>-<k>.json`` (its
passages, PASSAGES_PER_FILE at a time). A first search fetches ``index.json``, one bucket per word,
then only the page lists and passages of the results it shows: nothing grows with the site but the
number of buckets (``bucket_count``).

Parts. A part is the index of one shard's pages (build_scripts/shards.py): it depends on those pages
and the bucket count only, so it is kept in the cache beside the shard, and a build that adds a
report makes the parts of the shards it renders; the buckets are the parts' sections put together.
"""
from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError

OUTPUT = "search"  # the index's folder in the site (a reserved top-level name)
# The pages search offers sit at most two folders deep (compare/, fujian/economy/); the embed pages,
# four deep (embed/fujian/chart/<id>/), are never offered.
PAGES_GLOBS = ("index.html", "*/index.html", "*/*/index.html")
PASSAGE_CHARS = 120  # a passage: a paragraph, or a sentence-cut piece of one; the excerpt shows one
PASSAGES_PER_FILE = 32  # passages fetched at once for an excerpt (about 4 KB of text)
BUCKET_BYTES = 24_000  # the size a bucket aims at: a query fetches one per word
BYTES_PER_PAGE = 6_000  # about what a page adds to the buckets (measured on the seeds: 5–7 KB)
TITLE_COUNT = 3  # a word of the page's title counts as often as this many occurrences in its text
# BM25's term-frequency part (Robertson's k1 and b), with the length of a typical page in words
# (its characters and pairs: a theme page of a provincial report has 6,000–10,000).
K1, B, TYPICAL_LENGTH = 1.2, 0.75, 8_000
IMPACT_SCALE = 1_000  # impacts are stored as integers: BM25's part times the weight times this

_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "div", "section", "table", "ul",
           "ol", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "pre", "br", "details", "summary", "article"}
_VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}
_SKIPPED = {"script", "style", "svg", "noscript", "template", "button"}
_UNSEEN = re.compile(r"<(script|style|svg)\b.*?</\1\s*>", re.S | re.I)


@dataclass(frozen=True)
class Page:
    """One page as search sees it: its address, its title, its weight and its passages."""

    url: str  # site-relative, as MkDocs links it: "fujian-2025/economy/", "" for the home page
    title: str
    weight: float
    passages: tuple[str, ...]


def words(text: str) -> list[str]:
    """The words of a text as the index counts them: Chinese characters and pairs, Latin words, numbers."""
    found = []
    for run in _WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        if run[0] <= "z" or len(run) == 1:
            found.append(run)
        else:
            found += list(run)
            found += [run[n:n + 2] for n in range(len(run) - 1)]
    return found


def bucket_of(word: str, buckets: int) -> int:
    """The bucket a word's postings go to (the browser computes the same CRC-32)."""
    return zlib.crc32(word.encode("utf-8")) % buckets


def bucket_count(pages: int) -> int:
    """How many buckets an index of about ``pages`` pages needs: a power of two, so that each aims at BUCKET_BYTES."""
    count = 16
    while count * BUCKET_BYTES < pages * BYTES_PER_PAGE:
        count *= 2
    return count


# ---------------------------------------------------------------- pages: the text search sees


class _PageText(HTMLParser):
    """The searchable part of a page (inside ``data-search-body``): its attributes and its blocks of text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: dict = {}
        self.blocks: list[str] = []
        self._open: list[tuple[str, bool]] = []  # each open element inside the body: its tag, whether it is skipped
        self._skipping = 0
        self._text: list[str] = []
        self.done = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done or tag in _VOID:
            if tag == "br":
                self._flush()
            return
        if not self._open and "data-search-body" not in attrs:
            return
        if not self._open:
            self.attributes = attrs
        skipped = tag in _SKIPPED or "data-search-ignore" in attrs or "hidden" in attrs
        self._open.append((tag, skipped))
        self._skipping += skipped
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if self.done or tag in _VOID or tag not in (name for name, _ in self._open):
            return
        while True:  # an element left open inside this one (<li> without </li>) ends with it
            name, skipped = self._open.pop()
            self._skipping -= skipped
            if name == tag:
                break
        if tag in _BLOCKS:
            self._flush()
        if not self._open:
            self.done = True

    def handle_data(self, data):
        if self._open and not self._skipping and not self.done:
            self._text.append(data)

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []


def read_page(source: str, url: str) -> Page | None:
    """A built page's searchable text, or None for a page that search leaves out (no ``data-search-body``)."""
    start = source.find("data-search-body")
    if start < 0:
        return None
    parser = _PageText()
    parser.feed(_UNSEEN.sub("", source[source.rfind("<", 0, start):]))
    parser.close()
    title = parser.attributes.get("data-search-title") or url
    try:
        weight = float(parser.attributes.get("data-search-weight") or 1)
    except ValueError:
        raise InputError(url, f"data-search-weight is not a number: {parser.attributes.get('data-search-weight')!r}")
    return Page(url, title, weight, tuple(passages(parser.blocks)))  # the parser has unescaped the attribute


def passages(blocks: Iterable[str]) -> Iterator[str]:
    """Blocks of text cut into passages of at most PASSAGE_CHARS: at sentence ends, else anywhere."""
    for block in blocks:
        piece = ""
        for sentence in _SENTENCE_END.split(block):
            if piece and len(piece) + len(sentence) > PASSAGE_CHARS:
                yield piece
                piece = ""
            piece += sentence
            while len(piece) > PASSAGE_CHARS:
                yield piece[:PASSAGE_CHARS]
                piece = piece[PASSAGE_CHARS:]
        if piece.strip():
            yield piece


def url_of(relative: str) -> str:
    """The address MkDocs links a page file by: fujian/economy/index.html → fujian/economy/."""
    return relative[: -len("index.html")]


def site_pages(folder: Path) -> list[tuple[str, Path]]:
    """The pages of a built folder that search may offer, as (url, file), in address order."""
    files = {path for glob in PAGES_GLOBS for path in Path(folder).glob(glob) if path.is_file()}
    return sorted((url_of(path.relative_to(folder).as_posix()), path) for path in files)


# ---------------------------------------------------------------- postings


def postings(page: Page) -> dict[str, tuple[int, int]]:
    """A page's words with their impact and the passage they first occur in."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for number, passage in enumerate(page.passages):
        found = words(passage)
        counts.update(found)
        for word in found:
            first.setdefault(word, number)
    for word in words(page.title):
        counts[word] += TITLE_COUNT
        first.setdefault(word, 0)
    length = sum(counts.values())
    norm = K1 * (1 - B + B * length / TYPICAL_LENGTH)
    return {word: (max(1, round(IMPACT_SCALE * page.weight * count * (K1 + 1) / (count + norm))), first[word])
            for word, count in counts.items()}


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def encode_bucket(entries: dict[str, list[tuple[int, int, int]]]) -> bytes:
    """A part's section of one bucket, without its part number: its words, each with its postings.

    Layout (all numbers LEB128 varints): word count, then per word its UTF-8 length and bytes, its
    posting count and per posting the page's number minus the previous one's, the impact, the passage.
    """
    out = bytearray()
    _varint(len(entries), out)
    for word in sorted(entries):
        raw = word.encode("utf-8")
        _varint(len(raw), out)
        out += raw
        _varint(len(entries[word]), out)
        previous = 0
        for page, impact, passage in entries[word]:
            _varint(page - previous, out)
            _varint(impact, out)
            _varint(passage, out)
            previous = page
    return bytes(out)


def part_id(name: str) -> str:
    """A part's name in file paths (a shard's name holds a year, a slash and a province)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def make_part(folder: Path, name: str, buckets: int, out: Path) -> None:
    """Index the pages of a built folder as the part ``name``, into ``out``.

    ``out`` gets ``site/`` (the part's files as the site holds them: page list and passages) and the
    part's sections of the buckets, ``sections.bin`` with ``offsets.bin`` (where each bucket's starts).
    """
    ident = part_id(name)
    out = Path(out)
    listed, by_bucket = [], [dict() for _ in range(buckets)]
    for url, path in site_pages(folder):
        page = read_page(path.read_text(encoding="utf-8"), url)
        if page is None:
            continue
        number = len(listed)
        listed.append([page.url, page.title])
        for start in range(0, max(len(page.passages), 1), PASSAGES_PER_FILE):
            _write_json(out / "site" / OUTPUT / "text" / ident / f"{number}-{start // PASSAGES_PER_FILE}.json",
                        list(page.passages[start:start + PASSAGES_PER_FILE]))
        for word, (impact, passage) in postings(page).items():
            by_bucket[bucket_of(word, buckets)].setdefault(word, []).append((number, impact, passage))
    _write_json(out / "site" / OUTPUT / "pages" / f"{ident}.json", listed)
    offsets, sections = array("I", [0]), bytearray()
    for entries in by_bucket:
        sections += encode_bucket(entries) if entries else b""
        offsets.append(len(sections))
    (out / "sections.bin").write_bytes(bytes(sections))
    (out / "offsets.bin").write_bytes(offsets.tobytes())
    (out / "part.json").write_text(json.dumps({"name": name, "id": ident, "pages": len(listed), "buckets": buckets},
                                              ensure_ascii=False), encoding="utf-8")


def make_part_job(job: tuple) -> str:
    """``make_part`` as a worker's task: (folder, name, buckets, out) → out."""
    folder, name, buckets, out = job
    make_part(Path(folder), name, buckets, Path(out))
    return out


def write_index(parts: list[Path], site_dir: Path) -> Path:
    """Put the parts' sections together into the site's buckets and write ``index.json``; the parts' own
    files (``site/``) must be in the site already. Returns the index folder."""
    described = [json.loads((Path(part) / "part.json").read_text(encoding="utf-8")) for part in parts]
    buckets = {d["buckets"] for d in described}
    if len(buckets) != 1:
        raise InputError(site_dir, f"the search parts were made for different bucket counts: {sorted(buckets)}")
    count = buckets.pop()
    loaded = []
    for number, part in enumerate(parts):
        offsets = array("I")
        offsets.frombytes((Path(part) / "offsets.bin").read_bytes())
        prefix = bytearray()
        _varint(number, prefix)
        loaded.append((bytes(prefix), offsets, (Path(part) / "sections.bin").read_bytes()))
    folder = Path(site_dir) / OUTPUT
    (folder / "words").mkdir(parents=True, exist_ok=True)
    for bucket in range(count):
        data = b"".join(prefix + sections[offsets[bucket]:offsets[bucket + 1]]
                        for prefix, offsets, sections in loaded if offsets[bucket + 1] > offsets[bucket])
        (folder / "words" / f"{bucket}.bin").write_bytes(data)
    _write_json(folder / "index.json", {"format": 1, "buckets": count, "pages": sum(d["pages"] for d in described),
                                        "parts": [d["id"] for d in described], "passagesPerFile": PASSAGES_PER_FILE})
    return folder


def index_site(site_dir: Path) -> Path:
    """Index a whole built folder as one part (a site built by one MkDocs run); on failure one ``InputError``.

    A site whose pages offer nothing to search (no ``data-search-body``: hand-written pages in another
    theme) gets an index of no pages, so its search box finds nothing rather than failing.
    """
    site_dir = Path(site_dir)
    pages = len(site_pages(site_dir))
    if not pages:
        raise InputError(site_dir, "the search index found no page to index (no index.html)")
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site_dir) as work:
        make_part(site_dir, "site", bucket_count(pages), Path(work))
        for path in sorted((Path(work) / "site").rglob("*")):
            if path.is_file():
                target = site_dir / path.relative_to(Path(work) / "site")
                target.parent.mkdir(parents=True, exist_ok=True)
                path.replace(target)
        return write_index([Path(work)], site_dir)


def _write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
