"""Restorations the cleaner may propose beyond the lexicon; the language model decides.

Two general sources, neither written for one document:

* the spinner's character swaps (``data/char_swaps.tsv``, reviewed): it writes 劣 for
  优, 真 for 实 … inside words, so each such character may stand for its original
  (扎真 → 扎实); the language model alone decides, in context;
* synonyms from 同义词词林 (``data/lm/thesaurus.tsv.gz``, built by
  ``train_language_model``): a word may stand for an equally long synonym of it
  that report prose uses clearly more often (``data/lm/vocabulary.tsv.gz``: runs of
  Chinese characters that recur in the training reports).
"""
from __future__ import annotations

import functools
import gzip
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

DATA_DIR = Path(__file__).parent / "data"
LM_DIR = DATA_DIR / "lm"
VOCABULARY_PATH = LM_DIR / "vocabulary.tsv.gz"
THESAURUS_PATH = LM_DIR / "thesaurus.tsv.gz"
CHAR_SWAPS_PATH = DATA_DIR / "char_swaps.tsv"
MAX_WORD = 4  # longest word (in characters) a general source proposes to replace
MAX_SYNONYMS = 6  # most frequent report synonyms tried per word
# A restoration must be this many times as frequent in report prose as the word it replaces
# (the spinner turns report words into words reports rarely use).
FREQUENCY_RATIO = 3


@dataclass(frozen=True)
class Candidate:
    """A proposed restoration of ``spun`` at ``start`` and where the proposal came from."""

    start: int
    spun: str
    restored: str
    source: str  # "swap" or "thesaurus"
    note: str


# ---- data -----------------------------------------------------------------------------

def _read_gz_tsv(path: Path) -> list[list[str]]:
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError) as err:
        raise InputError(path, f"cannot be read ({err}); rebuild with python -m build_scripts.train_language_model") from None
    return [line.split("\t") for line in text.split("\n") if line and not line.startswith("#")]


def _write_gz_tsv(path: Path, header: str, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# {header}\n" + "".join("\t".join(row) + "\n" for row in rows)
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def save_vocabulary(counts: Counter, sources: str, path: Path) -> None:
    """Write the report vocabulary (word, count), most frequent first."""
    rows = sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))
    _write_gz_tsv(path, f"report vocabulary from {sources}", ((w, str(c)) for w, c in rows))


def save_thesaurus(table: dict[str, list[str]], path: Path, sources: str) -> None:
    """Write the thesaurus table (spun word, restorations separated by spaces)."""
    _write_gz_tsv(path, sources, ((s, " ".join(r)) for s, r in table.items()))


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, int]:
    """Report vocabulary: word → count in the training reports."""
    return {w: int(c) for w, c in _read_gz_tsv(VOCABULARY_PATH)}


@functools.lru_cache(maxsize=1)
def thesaurus() -> dict[str, tuple[str, ...]]:
    """spun word → report synonyms it may stand for, most frequent first."""
    return {s: tuple(r.split(" ")[:MAX_SYNONYMS]) for s, r in _read_gz_tsv(THESAURUS_PATH)}


def parse_char_swaps(text: str, path: str | Path = "<char swaps>") -> dict[str, tuple[tuple[str, str], ...]]:
    """Parse ``spun<TAB>original<TAB>note`` rows; errors name the line."""
    swaps: dict[str, list[tuple[str, str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        if len(fields) != 3:
            raise InputError(path, f"line {number}: expected 3 tab-separated columns (spun, original, note), "
                                   f"found {len(fields)}")
        spun, original, note = fields
        if len(spun) != 1 or len(original) != 1 or spun == original:
            raise InputError(path, f"line {number}: spun and original must be two different single characters")
        if not note:
            raise InputError(path, f"line {number}: the note column is empty")
        if (spun, original) in seen:
            raise InputError(path, f"line {number}: duplicate swap {spun}→{original} (first on line {seen[spun, original]})")
        seen[spun, original] = number
        swaps.setdefault(spun, []).append((original, note))
    return {s: tuple(o) for s, o in swaps.items()}


@functools.lru_cache(maxsize=1)
def char_swaps() -> dict[str, tuple[tuple[str, str], ...]]:
    """The reviewed character swaps of the spinner: spun character → (original, note) pairs."""
    if not CHAR_SWAPS_PATH.is_file():
        raise InputError(CHAR_SWAPS_PATH, "character swap file not found")
    return parse_char_swaps(CHAR_SWAPS_PATH.read_text(encoding="utf-8"), CHAR_SWAPS_PATH)


def load() -> None:
    """Load every data file the candidate sources need and index them (once per process)."""
    _first_characters()


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """word in a text → (restored, source, note) for every general restoration it allows.

    Built once from the report vocabulary, so that proposing costs a few look-ups per character.
    """
    vocab = vocabulary()
    found: dict[str, list[tuple[str, str, str]]] = {}
    for spun, restorations in thesaurus().items():
        for restored in restorations:
            # the spinner turns report words into words reports use much less
            if vocab.get(restored, 0) >= FREQUENCY_RATIO * max(vocab.get(spun, 0), 1):
                found.setdefault(spun, []).append((restored, "thesaurus", "同义词词林 synonym"))
    for spun, pairs in char_swaps().items():
        # one candidate per swapped character: the model's margin for 扎真→扎实 is the margin
        # for 真→实 in that place, so longer windows around it would only repeat the question
        for original, note in pairs:
            found.setdefault(spun, []).append((original, "swap", f"{spun}→{original}: {note}"))
    return {w: tuple(c) for w, c in found.items()}


@functools.lru_cache(maxsize=1)
def _first_characters() -> dict[str, tuple[int, ...]]:
    """First character of an indexed word → the lengths of such words: one look-up skips a position."""
    lengths: dict[str, set[int]] = {}
    for word in _index():
        lengths.setdefault(word[0], set()).add(len(word))
    return {ch: tuple(sorted(ls)) for ch, ls in lengths.items()}


# ---- proposing ------------------------------------------------------------------------

def propose(text: str, sources: frozenset = frozenset({"swap", "thesaurus"})) -> dict[int, list[Candidate]]:
    """Every general restoration of ``text`` from ``sources``, grouped by start offset."""
    index = _index()
    firsts = _first_characters()
    found: dict[int, list[Candidate]] = {}
    n = len(text)
    for i in range(n):
        sizes = firsts.get(text[i])
        if sizes is None:
            continue
        for size in sizes:
            if i + size > n:
                break
            word = text[i:i + size]
            options = index.get(word)
            if options:
                chosen = [Candidate(i, word, r, source, note) for r, source, note in options if source in sources]
                if chosen:
                    found.setdefault(i, []).extend(chosen)
    return found

