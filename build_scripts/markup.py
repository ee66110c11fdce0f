"""Render a block's cleaned text as Markdown, marking corrections and figures in place.

Text from a report is data: whatever Markdown, HTML, emoji shortcodes or Jinja it contains is
shown to the reader character for character and has no effect (see ``escape_markdown``).

Pure functions: the pages stage calls them; nothing here reads files.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Optional

from .model import Block, Correction, Figure

# Report text is shown as text, never read as markup. Instead of backslash escapes (which
# readers see wherever the parser does not consume them: 3\~5年) every character that Markdown,
# one of the site's extensions or a template could act on is written as a numeric character
# reference: the browser shows the character, no parser sees syntax. Anywhere in a line:
# HTML (< > &), escapes, code, emphasis, links and [TOC] (` * _ [ ]), attribute lists and
# Jinja ({ }), tables (|), emoji and icon shortcodes and definition lists (:), headings and the
# closing hashes a heading would lose (#), the marks of pymdownx tilde/caret/mark/keys (~ ^ = +),
# and tabs, which Python-Markdown would expand to spaces.
_ANYWHERE = re.compile(r"[\\`*_{}\[\]<>&|~^=:+#\t]")
# At the start of a line only: indentation (code block), lists, admonitions (!!!), rules;
# and the dot or bracket after the number in "1. 条".
_LINE_START = re.compile(r"^([ \t]+|[\-.!])|^(\d+)([.)])", re.MULTILINE)
# What no field of a report may hold, dropped as the text is read (``drop_unshowable``) and again
# by ``escape_markdown`` for any other text: controls but tab and line breaks (invisible or invalid
# in HTML; Python-Markdown uses STX/ETX as its own placeholders), C1 controls (YAML refuses them: a
# title holding one broke a page's front matter), noncharacters (U+FFFE, U+FFFF and their kin, which
# XML and YAML refuse too), lone surrogates, and the bidi marks, embeddings, overrides and isolates,
# which reorder what readers see (a figure can be made to read backwards).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                           for plane in range(17))
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff" + _NONCHARACTERS + "]")
# Unicode's own line and paragraph separators are line breaks to a reader (and to YAML and old JavaScript).
_SEPARATORS = re.compile("[\u2028\u2029\x85]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def drop_unshowable(text: str) -> str:
    """The text without what no report field may hold (controls, noncharacters, bidi controls); line separators as line breaks."""
    if _NOT_TEXT.search(text) or _SEPARATORS.search(text):
        text = _NOT_TEXT.sub("", _SEPARATORS.sub("\n", text))
    return text


# In front matter: what would end the YAML block's validity or could become markup if it were ever
# shown as Markdown (a page whose front matter fails to parse is rendered as text, HTML and all).
_FRONT_MATTER_UNSAFE = re.compile("[<>\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def front_matter_value(value) -> str:
    """A value for a page's YAML front matter, as JSON (which YAML reads) with no character YAML refuses or HTML acts on.

    Those are written as \\uXXXX escapes, which YAML decodes; astral characters (𠀀, emoji) stay as
    they are, since YAML's parser does not join escaped surrogate pairs.
    """
    return _FRONT_MATTER_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _reference(char: str) -> str:
    return _ENTITIES.get(char) or f"&#{ord(char)};"


def escape_markdown(text: str) -> str:
    """Plain text written so that Markdown shows exactly these characters: no markup, no visible escaping."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not (_NOT_TEXT.search(text) or _ANYWHERE.search(text) or _LINE_START.search(text)):
        return text  # most report text: nothing to write otherwise, and a search costs less than a substitution
    text = _NOT_TEXT.sub("", text)  # line breaks are \n by now, so the carriage return _NOT_TEXT keeps is gone
    text = _ANYWHERE.sub(lambda m: _reference(m.group(0)), text)

    def line_start(match: re.Match) -> str:
        if match.group(1):
            return "".join(_reference(ch) for ch in match.group(1))
        return match.group(2) + _reference(match.group(3))

    return _LINE_START.sub(line_start, text)


_HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})
_HALF_WIDTH = re.compile(r"[,:;?!()]")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]")


def full_width_punctuation(text: str) -> str:
    """Write ASCII , : ; ? ! ( ) as full-width where they touch Chinese text; one character for one.

    The content farm converted the article's punctuation to ASCII; Chinese typography wants it
    full-width. The length never changes, so offsets into the text stay valid.
    """
    chars = list(text)
    # Only the ASCII marks are visited (most paragraphs have none): a scan of every character cost more.
    for match in _HALF_WIDTH.finditer(text):
        i = match.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if _CJK.match(before or " ") or _CJK.match(after or " "):
            chars[i] = match.group().translate(_HALF_TO_FULL)
    return "".join(chars)


def escape_attribute(text: str) -> str:
    """Escape text for an HTML attribute value."""
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Span:
    """A marked stretch of cleaned text: a restored word or a figure."""

    start: int
    end: int
    correction: Optional[Correction] = None
    figure: Optional[Figure] = None


def figure_anchor(figure: Figure) -> str:
    """The id of a figure's place in the full report, shared by charts, tables and the data."""
    return f"f{figure.block}-{figure.start}"


# A full text longer than this (characters of the seed) is cut into pages of at most this many, so that no page
# outgrows a phone's (150 KB of HTML): the longest provincial reports hold 32,000 characters (a 157 KB page).
TEXT_PAGE_CHARS = 25_000


def text_pages(blocks: tuple[Block, ...] | list[Block]) -> list[tuple[int, int]]:
    """The full text's pages as ranges [start, end) of block positions, in reading order.

    A page holds at most ``TEXT_PAGE_CHARS`` characters of the seed's text (a longer block alone
    fills one), and is cut before its last heading when that leaves it at least half full. It reads
    only the blocks' kinds and seed text, so the parsed report gives the same pages as the processed one.
    """
    pages, start, size = [], 0, 0
    for n, block in enumerate(blocks):
        if n > start and size + len(block.raw) > TEXT_PAGE_CHARS:
            headings = [m for m in range(start + 1, n) if blocks[m].kind == "heading"]
            cut = headings[-1] if headings and _length(blocks[start:headings[-1]]) >= TEXT_PAGE_CHARS // 2 else n
            pages.append((start, cut))
            start, size = cut, _length(blocks[cut:n])
        size += len(block.raw)
    return pages + [(start, len(blocks))]


def _length(blocks) -> int:
    return sum(len(block.raw) for block in blocks)


def text_page_path(slug: str, page: int) -> str:
    """The Markdown path of a full-text page (0 is the first): fujian/report.md, fujian/report/2.md."""
    return f"{slug}/report.md" if page == 0 else f"{slug}/report/{page + 1}.md"


def text_page_url(slug: str, page: int) -> str:
    """The site address of a full-text page (0 is the first): fujian/report/, fujian/report/2/."""
    return f"{slug}/report/" if page == 0 else f"{slug}/report/{page + 1}/"


@dataclass(frozen=True)
class TextPages:
    """A report's full text as pages (``text_pages``): which page holds each block."""

    slug: str
    ranges: tuple[tuple[int, int], ...]
    page_of: dict  # block index → page

    def page(self, block_index: int) -> int:
        """The page holding a block (the first for a block it does not hold: the title)."""
        return self.page_of.get(block_index, 0)

    def url(self, block_index: int = 0) -> str:
        """The site address of the page holding a block."""
        return text_page_url(self.slug, self.page(block_index))

    def path(self, block_index: int = 0) -> str:
        """The Markdown path of the page holding a block."""
        return text_page_path(self.slug, self.page(block_index))


_last_text_pages: list = []  # (blocks, TextPages) of the report asked last: pages ask for one report's many times


def text_pages_of(report) -> TextPages:
    """Where each block of a report's full text is."""
    if _last_text_pages and _last_text_pages[0][0] is report.blocks and _last_text_pages[0][1].slug == report.slug:
        return _last_text_pages[0][1]
    ranges = tuple(text_pages(report.blocks))
    found = TextPages(report.slug, ranges, {report.blocks[n].index: k for k, (start, end) in enumerate(ranges)
                                            for n in range(start, end)})
    _last_text_pages[:] = [(report.blocks, found)]
    return found


def figure_url(report, figure: Figure) -> str:
    """The site address of a figure's place in its report's full text: fujian/report/2/#f31-12."""
    return f"{text_pages_of(report).url(figure.block)}#{figure_anchor(figure)}"


def figure_path(report, figure: Figure) -> str:
    """The Markdown path of a figure's place in its report's full text, for links between pages: fujian/report/2.md#f31-12."""
    return f"{text_pages_of(report).path(figure.block)}#{figure_anchor(figure)}"


def block_url(report, block: Block) -> str:
    """The site address of a block in its report's full text: fujian/report/#p31."""
    return f"{text_pages_of(report).url(block.index)}#{block.anchor}"


def correction_spans(block: Block, corrections: list[Correction]) -> list[Span]:
    """Map each correction's raw offset to its span in the cleaned text.

    Returns no spans if replaying the corrections on the raw text does not give
    the cleaned text: a mismatch means the records are inconsistent, and an
    unmarked paragraph is better than a wrongly marked one.
    """
    spans, pieces, cursor, shift = [], [], 0, 0
    for fix in sorted(corrections, key=lambda c: c.offset):
        if fix.offset < cursor or block.raw[fix.offset:fix.offset + len(fix.spun)] != fix.spun:
            return []
        pieces.append(block.raw[cursor:fix.offset])
        pieces.append(fix.restored)
        start = fix.offset + shift
        spans.append(Span(start, start + len(fix.restored), correction=fix))
        shift += len(fix.restored) - len(fix.spun)
        cursor = fix.offset + len(fix.spun)
    pieces.append(block.raw[cursor:])
    return spans if "".join(pieces) == block.text else []


def render_text(block: Block, corrections: list[Correction], mark_figures: bool = True) -> str:
    """The block's cleaned text as Markdown with restored words and figures wrapped in spans."""
    figure_spans = [Span(f.start, f.end, figure=f) for f in block.figures] if mark_figures else []
    spans = sorted(figure_spans, key=lambda s: s.start)
    for fix in correction_spans(block, corrections):
        if not any(fix.start < s.end and s.start < fix.end for s in spans):
            spans.append(fix)
    spans.sort(key=lambda s: s.start)
    text = full_width_punctuation(block.text)
    out, cursor = [], 0
    for span in spans:
        if span.start < cursor:
            continue
        out.append(escape_markdown(text[cursor:span.start]))
        inner = escape_markdown(text[span.start:span.end])
        if span.figure is not None:
            out.append(f'<span class="fig" id="{figure_anchor(span.figure)}">{inner}</span>')
        else:
            spun = escape_attribute(span.correction.spun)
            out.append(f'<span class="fix" data-spun="{spun}" title="转载稿作“{spun}”">{inner}</span>')
        cursor = span.end
    out.append(escape_markdown(text[cursor:]))
    return "".join(out)
