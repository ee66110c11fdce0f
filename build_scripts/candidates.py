"""Restorations the cleaner may propose beyond the lexicon; the language model decides.

Three general sources, none written for one document:

* the spinner's character swaps (``data/char_swaps.tsv``, reviewed): it writes 劣 for
  优, 真 for 实 … inside words, so each such character may stand for its original
  (扎真 → 扎实); the language model alone decides, in context;
* synonyms from 同义词词林 (``data/lm/thesaurus.tsv.gz``, built by
  ``train_language_model``): a word may stand for an equally long synonym of it
  that report prose uses clearly more often (``data/lm/vocabulary.tsv.gz``: runs of
  Chinese characters that recur in the training reports).
* the document's own synonym swaps (``DocumentCounts.pairs``): thesaurus pairs whose report word is
  missing from the document while its synonym is far more frequent than in report prose.
"""
from __future__ import annotations

import functools
import gzip
import math
import re
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
def thesaurus_all() -> dict[str, tuple[str, ...]]:
    """spun word → every report synonym it may stand for, most frequent first."""
    return {s: tuple(r.split(" ")) for s, r in _read_gz_tsv(THESAURUS_PATH)}


@functools.lru_cache(maxsize=1)
def thesaurus() -> dict[str, tuple[str, ...]]:
    """spun word → the report synonyms tried everywhere: the MAX_SYNONYMS most frequent."""
    return {s: r[:MAX_SYNONYMS] for s, r in thesaurus_all().items()}


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
    vocabulary_bigrams()


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


# ---- the document's own spinner table ---------------------------------------------------
# A spinner that writes 翻新 for 创新 does so all through a document: the report word goes missing
# and a word reports seldom use turns up again and again. Counting two-character words against
# report prose shows which of the thesaurus's many synonym pairs this document's spinner used, so
# they can be asked about even where the thesaurus as a whole is not trusted (see clean.active_sources).

HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# A report word must be expected this many times in the document before its absence means anything,
# and occur at most this many times less often than expected to count as missing.
DOCUMENT_MIN_EXPECTED = 3.0
DOCUMENT_MISSING_RATIO = 4.0
# A word counts as surplus when it occurs this many times at least, and this many times as often as expected.
DOCUMENT_MIN_SURPLUS = 3
DOCUMENT_SURPLUS_RATIO = 4.0
# Share of a word's occurrences the spinner is assumed to replace, in the likelihood ratio below.
DOCUMENT_SPIN_RATE = 0.9
# Log-likelihood ratio (nats) the counts must give "the spinner wrote spun for restored" over "no spinner".
DOCUMENT_MIN_LLR = 20.0
# Report words tried per surplus word, most likely first: one, as the spinner writes one synonym for
# one word (cross-fitted TUNING split: 1, 2 and 3 all repair 95.7% of the seed spinner's damage,
# cnsyn 49.4%, 49.3%, 49.2%; 1 asks the model least).
DOCUMENT_MAX_RESTORATIONS = 1
# A share of 0 or 1 is never certain from counts: the log-odds are smoothed and kept within ±MAX_LOG_ODDS.
ODDS_SMOOTHING = 0.05
MAX_LOG_ODDS = 3.0


class DocumentCounts:
    """The word counts of one document against report prose, which show how its spinner worked."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self._odds: dict[str, float] = {}

    @functools.cached_property
    def text(self) -> str:
        """The document as one string (counted only in a document that is cleaned at all)."""
        return "\n".join(self.texts)

    @functools.cached_property
    def counts(self) -> Counter:
        """How often each two-character run occurs in the document."""
        return _pair_counts(self.texts)

    @functools.cached_property
    def scale(self) -> float:
        """The document's size in units of the training reports' size."""
        return sum(self.counts.values()) / vocabulary_bigrams()

    @functools.cached_property
    def pairs(self) -> dict[str, tuple[str, ...]]:
        """Synonym swaps the counts show: spun word → report words it may stand for.

        A pair (spun, restored) of thesaurus synonyms is kept when restored, a word report prose
        uses often, is (nearly) missing from the document while spun occurs far more often than
        report prose would have it, and the Poisson log-likelihood ratio of "the spinner wrote
        spun for restored" against "the words are as frequent as in any report" reaches
        DOCUMENT_MIN_LLR. The language model still decides each occurrence.
        """
        counts, scale, vocab = self.counts, self.scale, vocabulary()
        if not counts:
            return {}
        missing = {}
        for word, count in _frequent_pairs():
            expected = count * scale
            if expected < DOCUMENT_MIN_EXPECTED:
                break
            if counts.get(word, 0) * DOCUMENT_MISSING_RATIO <= expected:
                missing[word] = (expected, counts.get(word, 0))
        if not missing:
            return {}
        synonyms_of = thesaurus_all()
        found = {}
        for spun, seen in counts.items():
            synonyms = synonyms_of.get(spun)
            if not synonyms or seen < DOCUMENT_MIN_SURPLUS:
                continue
            expected_spun = max(vocab.get(spun, 0), 0.5) * scale
            if seen < DOCUMENT_SURPLUS_RATIO * expected_spun:
                continue
            scored = []
            for restored in missing.keys() & synonyms:
                expected, left = missing[restored]
                llr = (seen * math.log1p(DOCUMENT_SPIN_RATE * expected / expected_spun)
                       + left * math.log1p(-DOCUMENT_SPIN_RATE))
                if llr >= DOCUMENT_MIN_LLR:
                    scored.append((-llr, restored))
            if scored:
                found[spun] = tuple(r for _, r in sorted(scored)[:DOCUMENT_MAX_RESTORATIONS])
        return found

    def spinner_log_odds(self, spun: str) -> float:
        """Log-odds that an occurrence of ``spun`` here is the spinner's, not the author's.

        The occurrences beyond what report prose of this size would hold are taken for the
        spinner's: 建立 forty times where reports would have five makes most of them 建设.
        """
        if spun not in self._odds:
            seen = self.text.count(spun)
            expected = max(vocabulary().get(spun, 0), 0.5) * self.scale
            share = max(seen - expected, 0.0) / max(seen, 1)
            odds = math.log((share + ODDS_SMOOTHING) / (1 - share + ODDS_SMOOTHING))
            self._odds[spun] = min(max(odds, -MAX_LOG_ODDS), MAX_LOG_ODDS)
        return self._odds[spun]


def _pair_counts(texts: list[str]) -> Counter:
    """How often each two-character run of Chinese occurs in ``texts``."""
    counts: Counter = Counter()
    for text in texts:
        for run in HAN_RUN.findall(text):
            counts.update(run[i:i + 2] for i in range(len(run) - 1))
    return counts


def propose_document(text: str, pairs: dict[str, tuple[str, ...]]) -> dict[int, list[Candidate]]:
    """Candidates from a document's own table (``DocumentCounts.pairs``), grouped by start offset."""
    found: dict[int, list[Candidate]] = {}
    if not pairs:
        return found
    for match in _any_of(tuple(sorted(pairs))).finditer(text):
        spun = match.group(1)
        found[match.start()] = [Candidate(match.start(), spun, r, "document",
                                          f"document counts: {r} missing, {spun} unusually frequent")
                                for r in pairs[spun]]
    return found


@functools.lru_cache(maxsize=8)
def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """A pattern that finds every occurrence of any of ``words``, overlapping ones too (one pass over a text)."""
    return re.compile("(?=(" + "|".join(map(re.escape, words)) + "))")


@functools.lru_cache(maxsize=1)
def _frequent_pairs() -> tuple[tuple[str, int], ...]:
    """Two-character report words, most frequent first."""
    return tuple(sorted(((w, c) for w, c in vocabulary().items() if len(w) == 2), key=lambda wc: (-wc[1], wc[0])))


@functools.lru_cache(maxsize=1)
def vocabulary_bigrams() -> int:
    """How many two-character runs the training reports held (the vocabulary's scale)."""
    return sum(c for _, c in _frequent_pairs())
