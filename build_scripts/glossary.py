"""Glossary: policy terms explained once, shown as tooltips wherever they occur and as a page.

Tooltips use Python-Markdown's abbreviation syntax (``*[term]: explanation``).
The stock ``abbr`` extension only matches at ``\\b`` word boundaries, and in
Chinese running text there are none (展 and 新 are both word characters), so
新质生产力 inside 发展新质生产力 would never get its tooltip. ``CjkAbbrExtension``
replaces the stock one and only refuses matches glued to Latin letters or digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from markdown.extensions.abbr import AbbrBlockprocessor, AbbrExtension, AbbrTreeprocessor

from .rules_yaml import load_yaml, require_keys, require_text, where
from .errors import InputError
from .model import Report

DATA = Path(__file__).resolve().parent / "data"
GLOSSARY_PATH = DATA / "glossary.yml"
MAX_EXPLANATION = 80
# Site text uses full-width punctuation; a half-width comma in an explanation is a typo.
HALF_WIDTH_PUNCTUATION = re.compile(r"[,;:?!()]|\.(?!\d)")


@dataclass(frozen=True)
class Term:
    """A term a reader may not know, its plain explanation, other spellings and why it is here."""

    term: str
    explanation: str
    aliases: tuple[str, ...] = ()
    note: str = ""
    report: str = ""  # a report slug when the explanation holds for that report only (a local usage)

    def applies_to(self, report: Report) -> bool:
        """Whether this explanation holds in ``report`` (terms without a report hold everywhere)."""
        return not self.report or self.report == report.slug

    @property
    def spellings(self) -> tuple[str, ...]:
        """The term and its aliases, longest first (the longest spelling wins where they overlap)."""
        return tuple(sorted({self.term, *self.aliases}, key=lambda s: (-len(s), s)))


def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Term, ...]:
    """Every glossary term from ``data/glossary.yml``, in file order; malformed entries raise ``InputError``."""
    path = Path(path)
    # Read once per file version: every report's pages ask for the terms.
    stat = path.stat() if path.is_file() else None
    return _load_glossary(path, (stat.st_mtime_ns, stat.st_size) if stat else None)


@lru_cache(maxsize=8)
def _load_glossary(path: Path, version: Optional[tuple[int, int]]) -> tuple[Term, ...]:
    data = require_keys(path, load_yaml(path), {"terms"}, "top level")
    entries = data.get("terms")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "'terms' must be a non-empty list")
    terms = [_term(path, entry, number) for number, entry in enumerate(entries, 1)]
    seen: dict[str, str] = {}
    for term, entry in zip(terms, entries):
        for spelling in term.spellings:
            if spelling in seen:
                raise InputError(path, f"{where(entry, 'term ' + term.term)}: {spelling!r} is already "
                                       f"a spelling of {seen[spelling]}")
            seen[spelling] = term.term
    return tuple(terms)


def _term(path: Path, entry: object, number: int) -> Term:
    entry = require_keys(path, entry, {"term", "explanation", "aliases", "note", "report"}, f"term #{number}")
    label = f"term #{number}"
    term = require_text(path, entry, "term", label)
    label = f"term {term}"
    explanation = require_text(path, entry, "explanation", label)
    if len(explanation) > MAX_EXPLANATION:
        raise InputError(path, f"{where(entry, label)}: explanation has {len(explanation)} characters; "
                               f"keep it to {MAX_EXPLANATION}")
    if "\n" in explanation or (bad := HALF_WIDTH_PUNCTUATION.search(explanation)):
        found = "a line break" if "\n" in explanation else repr(bad.group(0))
        raise InputError(path, f"{where(entry, label)}: explanation contains {found}; "
                               "use one line and full-width punctuation (，。；：（）)")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(path, f"{where(entry, label)}: 'aliases' must be a list of non-empty texts")
    for spelling in (term, *aliases):
        if "]" in spelling or any(ch.isspace() for ch in spelling):
            raise InputError(path, f"{where(entry, label)}: {spelling!r} may not contain ']' or white space")
    report = entry.get("report", "")
    if not isinstance(report, str):
        raise InputError(path, f"{where(entry, label)}: 'report' must be a report slug (the seed file name)")
    return Term(term, explanation, tuple(a.strip() for a in aliases), require_text(path, entry, "note", label),
                report.strip())


def terms_in(text: str, terms: Iterable[Term]) -> list[Term]:
    """The terms (by any spelling) that occur in ``text``, in order of first occurrence."""
    found = []
    for term in terms:
        positions = [text.find(s) for s in term.spellings if s in text]
        if positions:
            found.append((min(positions), term.term, term))
    return [term for _, _, term in sorted(found, key=lambda item: item[:2])]


def terms_of(report: Report, terms: Iterable[Term]) -> list[Term]:
    """The terms whose explanation holds in ``report`` and that occur in it, in order of first occurrence."""
    return terms_in(report_text(report), [t for t in terms if t.applies_to(report)])


def report_text(report: Report) -> str:
    """Everything a reader sees of the report: title, original title and every block's cleaned text."""
    return "\n".join([report.title, report.original_title, *(b.text for b in report.blocks)])


def unused_terms(report: Report, terms: Optional[Iterable[Term]] = None) -> list[Term]:
    """Glossary terms that occur nowhere in this report, for editors to prune or fix."""
    terms = tuple(terms) if terms is not None else load_glossary()
    used = {t.term for t in terms_of(report, terms)}
    return [t for t in terms if t.term not in used and t.applies_to(report)]


@lru_cache(maxsize=1)
def pinyin_reader():
    """pypinyin's ``lazy_pinyin``, imported on first use.

    Not with the module: only the glossary page needs pinyin, and pypinyin's phrase tables take
    0.2 s to import, which a rebuild from the cache (and the Markdown extension) never needs.
    """
    from pypinyin import lazy_pinyin

    return lazy_pinyin


def pinyin(term: str) -> tuple[str, ...]:
    """The term's syllables in pinyin without tones; digits and Latin letters kept, punctuation dropped."""
    lazy_pinyin = pinyin_reader()
    # lazy_pinyin reads whole words, so polyphones follow the word (单项冠军 → guan, not guan4 of 冠).
    syllables = (re.sub(r"[^0-9a-z]", "", s.lower()) for s in lazy_pinyin(term))
    return tuple(s for s in syllables if s)


def sort_key(term: Term) -> tuple:
    """Order of the glossary page: by pinyin as a Chinese dictionary orders, then by the term itself."""
    return pinyin(term.term), term.term


def anchors(terms: Iterable[Term]) -> dict[str, str]:
    """An ASCII anchor per term: its pinyin joined by hyphens (fang-piao).

    Terms are taken in the order given, the glossary file's, so a homophone added later gets -2 and
    the anchors already linked from elsewhere stay as they were.
    """
    found: dict[str, str] = {}
    used: set[str] = set()
    for term in terms:
        base = "-".join(pinyin(term.term)) or "term"
        name, number = base, 1
        while name in used:
            number += 1
            name = f"{base}-{number}"
        used.add(name)
        found[term.term] = name
    return found


def abbreviations(terms: Iterable[Term]) -> str:
    """Markdown abbreviation definitions (``*[term]: explanation``) for every spelling of ``terms``."""
    lines = []
    for term in terms:
        for spelling in term.spellings:
            lines.append(f"*[{spelling}]: {term.explanation}")
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------- Markdown tooltips for Chinese text


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    """Like the stock abbreviation processor, but terms may sit between Chinese characters."""

    def run(self, root):
        """Wrap every known term in ``<abbr>``, longest term first."""
        if not self.abbrs:
            return None
        keys = sorted(self.abbrs, key=lambda key: (-len(key), key))
        # Only Latin letters and digits glued to a term make it part of another word (AI in AIGC).
        self.RE = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![A-Za-z0-9_])")
        self.iter_element(root)
        focusable_first_terms(root)
        return None


def focusable_first_terms(root, inside_link: bool = False, seen: Optional[set] = None) -> set:
    """Make the first ``<abbr>`` of each explanation a keyboard stop (tabindex 0), in document order.

    The theme shows a term's tooltip on hover, tap and keyboard focus; an ``abbr`` takes focus only
    with a tabindex. One stop per term and page keeps the Tab key usable on the full text, where a term
    recurs dozens of times; a term inside a link is reached through the link, never as a second stop.
    """
    seen = set() if seen is None else seen
    for child in root:
        if child.tag == "abbr" and not inside_link and child.get("title") not in seen:
            seen.add(child.get("title"))
            child.set("tabindex", "0")
        focusable_first_terms(child, inside_link or child.tag == "a", seen)
    return seen


class CjkAbbrExtension(AbbrExtension):
    """Drop-in replacement for the ``abbr`` extension that also works inside Chinese text."""

    def extendMarkdown(self, md):
        """Register the processors under the stock names, so they replace ``abbr`` when both are loaded."""
        if self.config["glossary"][0]:
            self.load_glossary(self.config["glossary"][0])
        self.abbrs.update(self.glossary)
        md.registerExtension(self)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)
        md.parser.blockprocessors.register(AbbrBlockprocessor(md.parser, self.abbrs), "abbr", 16)


def makeExtension(**kwargs):  # noqa: N802 - the name Python-Markdown looks for
    """Let ``markdown_extensions: [build_scripts.glossary]`` load ``CjkAbbrExtension`` by module name."""
    return CjkAbbrExtension(**kwargs)
