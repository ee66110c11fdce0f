"""Which corrections turned a spun text's meaning back (劣势 → 优势), and the words readers see them as.

The reviewed pairs live in ``data/meaning_flips.tsv``; a correction is a meaning flip when a
listed spun form stands in the spun text exactly where its original stands in the restored text.
Corrections are stored trimmed to the characters that differ (劣 → 优), so the words shown to
readers are found again in the text around them with jieba.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .errors import InputError
from .model import Correction

FLIPS_PATH = Path(__file__).parent / "data" / "meaning_flips.tsv"
COLUMNS = ("spun", "original", "note")
CONTEXT = 6  # characters either side of a correction searched for its word
MAX_WORD = 6  # a longer "word" is a segmentation accident: show the changed characters instead


@dataclass(frozen=True)
class Flip:
    """One antonym pair of the spinner: it writes ``spun`` where the report said ``original``."""

    spun: str
    original: str
    note: str
    line: int


@dataclass(frozen=True)
class WordChange:
    """A correction as readers read it: the word in the spun text, the restored word, the flip if any."""

    spun: str
    restored: str
    flip: Optional[Flip] = None


def parse_flips(text: str, path: str | Path = "<flips>") -> tuple[Flip, ...]:
    """Parse the pairs TSV; raise ``InputError`` naming the line of the first bad row."""
    flips, seen = [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        if len(fields) != len(COLUMNS) or not all(fields):
            raise InputError(path, f"line {number}: expected {len(COLUMNS)} non-empty tab-separated columns "
                                   f"({', '.join(COLUMNS)})")
        spun, original, note = fields
        if len(spun) != len(original) or spun == original:
            raise InputError(path, f"line {number}: {spun!r} and {original!r} must differ and have the same length")
        if (spun, original) in seen:
            raise InputError(path, f"line {number}: duplicate pair (first on line {seen[spun, original]})")
        seen[spun, original] = number
        flips.append(Flip(spun, original, note, number))
    return tuple(flips)


@functools.lru_cache(maxsize=4)
def load_flips(path: Path = FLIPS_PATH) -> tuple[Flip, ...]:
    """The reviewed antonym pairs (read once per process)."""
    return parse_flips(Path(path).read_text(encoding="utf-8"), path)


def _windows(raw: str, fix: Correction) -> tuple[str, str, int]:
    """The spun and restored text around a correction, and where the correction starts in both."""
    lead = min(fix.offset, CONTEXT)
    end = fix.offset + len(fix.spun)
    before, after = raw[fix.offset - lead:fix.offset], raw[end:end + CONTEXT]
    return before + fix.spun + after, before + fix.restored + after, lead


def flip_at(spun: str, restored: str, start: int, length: int, flips) -> Optional[tuple[Flip, int]]:
    """The first listed pair standing in ``spun`` where its original stands in ``restored``, overlapping the change."""
    for flip in flips:
        size = len(flip.spun)
        for at in range(max(0, start - size + 1), start + length):
            if spun[at:at + size] == flip.spun and restored[at:at + size] == flip.original:
                return flip, at
    return None


def word_change(raw: str, fix: Correction, flips, segment) -> WordChange:
    """How readers see one correction: whole words (劣势 → 优势), flagged when the meaning was reversed.

    ``segment`` splits text into words (``keywords.cut``); ``raw`` is the spun text the offset points into.
    """
    spun, restored, lead = _windows(raw, fix)
    length = min(len(fix.spun), len(fix.restored))
    found = flip_at(spun, restored, lead, max(length, 1), flips)
    # The whole change, and the whole antonym when only part of it changed (片 → 全 in 片面 → 全面).
    start, end = lead, lead + len(fix.restored)
    if found:
        start, end = min(start, found[1]), max(end, found[1] + len(found[0].spun))
    word_start, word_end, cursor = start, end, 0
    for token in segment(restored):
        token_end = cursor + len(token)
        if cursor < end and start < token_end:
            word_start, word_end = min(word_start, cursor), max(word_end, token_end)
        cursor = token_end
    if word_end - word_start > MAX_WORD or not restored[word_start:word_end].isalnum():
        # A segmentation accident or a change across punctuation: the antonym alone, else the change.
        word_start, word_end = (found[1], found[1] + len(found[0].spun)) if found else (start, end)
    shift = len(fix.spun) - len(fix.restored)  # the spun window is longer or shorter after the change
    spun_end = word_end + shift if word_end >= lead + len(fix.restored) else word_end
    return WordChange(spun[word_start:spun_end], restored[word_start:word_end], found[0] if found else None)
