"""Clean stage: restore what the content-farm word spinner changed.

The spinner swaps words (and single characters inside words) for near-synonyms
and antonyms. The reverse lexicon (``data/lexicon.tsv``) says what each spun form
stands for; this module decides per occurrence:

* spans of the *raw* text are matched, longest form first, in ONE left-to-right
  pass, so chains (持续→连续, 连续→间断) never re-clean their own output;
* ``always`` forms are restored wherever they occur;
* ``likely``/``context`` forms are real words too, so they are only considered
  when the text as a whole shows the spinner's marks, and then a unigram language
  model (jieba's word frequencies) scores a window with and without the change;
* per-report editor overrides force or forbid single occurrences.

Every change is a ``Correction`` with the raw offset, the rule and the score.
"""
from __future__ import annotations

import bisect
import functools
import logging
import math
import re
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from .errors import InputError
from .lexicon import Entry, Lexicon, Overrides, load_lexicon, load_overrides, overrides_path
from .model import Block, Correction, Report

# Prior (in natural-log units) added to the language-model margin of a candidate.
KIND_PRIOR = {"likely": 6.0, "context": 0.0}
WINDOW = 4  # characters of context on each side for the language model
MAX_WORD = 8  # longest dictionary word the scorer tries
SPUN_CHARS_PER_HIT = 1000  # long texts need one always-hit per this many characters
SHORT_TEXT = 200  # below this length a single always-hit marks the text as spun
RARE_WORD_FREQ = 3  # dictionary words rarer than this are reported as suspects
COMMON_SINGLE_FREQ = 3000  # a mark character this common alone (真, 原) is not suspect by itself
COMMON_WORD_FREQ = 300  # a word this common is not suspect even if it holds a spinner mark
HAN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text of one string and the corrections that made it."""

    text: str
    corrections: tuple[Correction, ...] = ()


# ---- language model -----------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _unigram():
    """jieba's dictionary as a unigram model: (frequencies, log of the total)."""
    import jieba

    # A private tokenizer: others (the search plugin, keywords) add user words to
    # jieba's shared one, and the model must not change with what loaded first.
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ, math.log(tokenizer.total)


def segment_logprob(text: str) -> float:
    """Log-probability of the best segmentation of ``text`` under jieba's unigram model."""
    freq, log_total = _unigram()
    n = len(text)
    best = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        # an unknown single character counts as frequency 1, as jieba does
        score = math.log(freq.get(text[i]) or 1) - log_total + best[i + 1]
        for j in range(i + 2, min(n, i + MAX_WORD) + 1):
            f = freq.get(text[i:j])
            if f is None:
                break  # jieba's FREQ holds every prefix of every word
            if f:
                score = max(score, math.log(f) - log_total + best[j])
        best[i] = score
    return best[0]


def lm_margin(left: str, spun: str, restored: str, right: str) -> float:
    """How much more likely the window reads with ``restored`` than with ``spun``."""
    return segment_logprob(left + restored + right) - segment_logprob(left + spun + right)


# ---- evidence that a text was spun --------------------------------------------------

def spin_hits(text: str, lexicon: Optional[Lexicon] = None) -> int:
    """How many ``always`` forms (never legitimate prose) occur in ``text``."""
    lex = lexicon or load_lexicon()
    return sum(1 for _, entry in _scan(text, lex) if entry.kind == "always")


def looks_spun(hits: int, length: int) -> bool:
    """Whether ``hits`` always-forms in ``length`` characters show the spinner's hand."""
    if length < SHORT_TEXT:
        return hits >= 1
    return hits >= max(2, length / SPUN_CHARS_PER_HIT)


def _scan(text: str, lex: Lexicon):
    """Leftmost-longest, non-overlapping lexicon matches: (offset, entry)."""
    i, n = 0, len(text)
    while i < n:
        entry = lex.match_at(text, i) if text[i] in lex.lengths else None
        if entry is None or (entry.kind in ("likely", "context") and _always_inside(text, i, entry, lex)):
            i += 1
            continue
        yield i, entry
        i += len(entry.spun)


def _always_inside(text: str, start: int, entry: Entry, lex: Lexicon) -> bool:
    """Whether a never-legitimate form starts inside this real-word match and runs past it.

    The spinner's certain marks outrank an ambiguous word they overlap: in 做强大众效劳
    the span 大众效劳 (公共服务) must win over 强大.
    """
    end = start + len(entry.spun)
    for j in range(start + 1, end):
        other = lex.match_at(text, j) if text[j] in lex.lengths else None
        if other is not None and other.kind == "always" and j + len(other.spun) > end:
            return True
    return False


# ---- cleaning -----------------------------------------------------------------------

def clean_text(text: str, block: int = -1, *, spun: Optional[bool] = None,
               overrides: Optional[Overrides] = None, lexicon: Optional[Lexicon] = None) -> Cleaned:
    """Restore one string of spun text; corrections carry ``block`` and raw offsets.

    ``spun`` says whether context-dependent forms may be restored; by default the
    text's own always-forms decide. ``overrides`` are an editor's force/forbid list.
    """
    cleaned, _ = _clean(text, block, lexicon or load_lexicon(), spun, overrides or Overrides())
    return cleaned


def _clean(text: str, block: int, lex: Lexicon, spun: Optional[bool], overrides: Overrides):
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects str, got {type(text).__name__}")
    forced, forbidden, used = _override_spans(text, overrides)
    matches = list(_scan(text, lex))
    if spun is None:
        spun = looks_spun(sum(1 for _, e in matches if e.kind == "always"), len(text))
    taken = [(s, e) for s, (e, _) in forced.items()]
    # an editor's forced span wins over any lexicon match that overlaps it
    kept = [(s, e) for s, e in matches if not any(s < fe and fs < s + len(e.spun) for fs, fe in taken)]
    events = sorted([(s, e - s, "force", o) for s, (e, o) in forced.items()]
                    + [(s, len(e.spun), "lexicon", e) for s, e in kept])
    out: list[str] = []
    corrections: list[Correction] = []
    pos = 0
    for start, length, source, item in events:
        if start < pos:
            continue  # overlaps a span already taken (forced spans sort first on ties)
        out.append(text[pos:start])
        span = text[start:start + length]
        decision = _decide(source, item, text, start, length, out, spun, forbidden, used)
        if decision is None:
            out.append(span)
        else:
            restored, rule, score, note = decision
            out.append(restored)
            corrections.append(Correction(block, start, span, restored, rule, score, note))
        pos = start + length
    out.append(text[pos:])
    return Cleaned("".join(out), tuple(corrections)), used


def _decide(source, item, text, start, length, out, spun, forbidden, used):
    """(restored, rule, score, note) for one candidate span, or None to keep it."""
    if source == "force":
        used.add(item.line)
        return item.restored, item.rule, None, "editor override (force)"
    entry: Entry = item
    if entry.kind == "keep":
        return None
    if (start, entry.spun) in forbidden:
        used.add(forbidden[(start, entry.spun)])
        return None
    if entry.kind == "always":
        return entry.restored, entry.rule, None, entry.note
    if not spun:
        return None
    left = _tail(out, WINDOW)
    right = text[start + length:start + length + WINDOW]
    margin = lm_margin(left, entry.spun, entry.restored, right)
    prior = KIND_PRIOR[entry.kind]
    if margin + prior <= 0:
        return None
    return entry.restored, entry.rule, round(margin, 3), f"{entry.note} [{entry.kind}, prior {prior:+g}]"


def _tail(pieces: list[str], size: int) -> str:
    """The last ``size`` characters of the text built so far, without joining all of it."""
    tail = ""
    for piece in reversed(pieces):
        tail = piece[-(size - len(tail)):] + tail if size > len(tail) else tail
        if len(tail) >= size:
            break
    return tail


def _override_spans(text: str, overrides: Overrides):
    """Forced spans {start: (end, override)}, forbidden {(start, spun): line}, used-line set."""
    forced: dict[int, tuple[int, object]] = {}
    forbidden: dict[tuple[int, str], int] = {}
    for item in overrides.items:
        for start in _occurrences(text, item.near):
            at = start + item.near.index(item.spun)
            if item.action == "force":
                forced[at] = (at + len(item.spun), item)
            else:
                forbidden[(at, item.spun)] = item.line
    return forced, forbidden, set()


def _occurrences(text: str, needle: str) -> Iterable[int]:
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def clean(report: Report, *, overrides: Optional[Overrides] = None) -> Report:
    """Clean every block and the original title, collecting corrections and suspects.

    The report's override file (``data/overrides/<slug>.yml``) is read unless
    ``overrides`` is given; an override that matches nothing stops the build.
    """
    lex = load_lexicon()
    path = overrides_path(report.slug)
    if overrides is None:
        overrides = load_overrides(path)
    else:
        path = overrides.path or path
    texts = [b.raw for b in report.blocks] + [report.original_title_raw]
    hits = sum(spin_hits(t, lex) for t in texts)
    spun = looks_spun(hits, sum(len(t) for t in texts))
    corrections: list[Correction] = []
    used: set[int] = set()
    blocks = []
    for block in report.blocks:
        cleaned, block_used = _clean(block.raw, block.index, lex, spun, overrides)
        used |= block_used
        corrections.extend(cleaned.corrections)
        blocks.append(replace(block, text=cleaned.text))
    title, title_used = _clean(report.original_title_raw, -1, lex, spun, overrides)
    used |= title_used
    corrections.extend(title.corrections)
    unused = [o for o in overrides.items if o.line not in used]
    if unused:
        raise InputError(path, f"line {unused[0].line}: override matches nothing in the report "
                               f"({unused[0].describe()})")
    blocks = _with_clean_headings(blocks)
    suspects = tuple(s for b, c in zip(report.blocks, blocks) for s in find_suspects(
        b.raw, c.text, b.index, [x for x in corrections if x.block == b.index], lex))
    return replace(report, blocks=tuple(blocks), original_title=title.text,
                   corrections=tuple(corrections), suspects=suspects)


def _with_clean_headings(blocks: list[Block]) -> list[Block]:
    """Point each block's part and section at the cleaned heading text."""
    cleaned = {b.raw: b.text for b in blocks if b.kind == "heading"}
    return [replace(b, part=cleaned.get(b.part, b.part), section=cleaned.get(b.section, b.section))
            for b in blocks]


# ---- residual suspects ----------------------------------------------------------------

def find_suspects(raw: str, cleaned: str, block: int, corrections: Iterable[Correction],
                  lexicon: Optional[Lexicon] = None) -> list[dict]:
    """Words of the cleaned text that still look spun and that no lexicon entry covered.

    Two signs: a word jieba barely knows (frequency below ``RARE_WORD_FREQ``), or an
    uncommon word holding a character the spinner substitutes inside words (劣 for 优).
    """
    import jieba

    freq, _ = _unigram()
    marks = spinner_characters(lexicon or load_lexicon())
    to_raw = _offset_map(raw, corrections)
    suspects = []
    offset = 0
    tokens = []
    for word in jieba.cut(cleaned, HMM=False):
        tokens.append((offset, word))
        offset += len(word)
    for start, word in tokens:
        if len(word) < 2 or not HAN.fullmatch(word):
            continue
        count = freq.get(word, 0)
        marked = [ch for ch in word if ch in marks]
        if 0 < count < RARE_WORD_FREQ:
            reason = f"rare word (jieba frequency {count})"
        elif marked and count < COMMON_WORD_FREQ:
            reason = f"holds {marked[0]}, which the spinner writes for {marks[marked[0]]}"
        else:
            continue
        _add_suspect(suspects, raw, to_raw, block, start, word, reason)
    for start, word in tokens:
        # a spinner character that jieba cannot fit into any word (古涩古香): show it with its neighbours
        if len(word) == 1 and word in marks and freq.get(word, 0) < COMMON_SINGLE_FREQ:
            left = max(0, start - 1)
            snippet = cleaned[left:start + 2]
            if HAN.fullmatch(snippet):
                reason = f"{word} stands alone where jieba finds no word; the spinner writes {word} for {marks[word]}"
                _add_suspect(suspects, raw, to_raw, block, left, snippet, reason)
    return sorted(suspects, key=lambda s: s["offset"])


def _add_suspect(suspects: list, raw: str, to_raw, block: int, start: int, word: str, reason: str) -> None:
    """Record a suspect unless it overlaps a correction (then it was already handled)."""
    raw_at = to_raw(start)
    if raw_at is not None and raw[raw_at:raw_at + len(word)] == word:
        suspects.append({"word": word, "block": block, "offset": raw_at, "reason": reason})


@functools.lru_cache(maxsize=4)
def spinner_characters(lexicon: Lexicon) -> dict[str, str]:
    """Characters the spinner substitutes inside words, learnt from the lexicon itself.

    An ``always`` entry whose spun and restored forms differ in exactly one character
    (劣势/优势) is evidence for that character. It counts as a mark once it is seen in
    three different words (劣势, 劣化, 劣秀), not in one word repeated (流动 in 系列流动,
    惠民流动 is a word swap, not a character swap).
    """
    words: dict[tuple[str, str], set[str]] = {}
    for e in lexicon.entries:
        if e.kind != "always" or len(e.spun) != len(e.restored):
            continue
        diffs = [k for k, (a, b) in enumerate(zip(e.spun, e.restored)) if a != b]
        if len(diffs) == 1:
            k = diffs[0]
            word = e.spun[k:k + 2] if k + 1 < len(e.spun) else e.spun[k - 1:k + 1]
            words.setdefault((e.spun[k], e.restored[k]), set()).add(word)
    return {a: b for (a, b), found in sorted(words.items()) if len(found) >= 3}


def _offset_map(raw: str, corrections: Iterable[Correction]):
    """A function from a cleaned-text offset to the raw offset (None inside a correction)."""
    spans = []  # (cleaned_start, cleaned_end, raw_end), in text order
    delta = 0
    for c in sorted(corrections, key=lambda c: c.offset):
        cleaned_start = c.offset + delta
        spans.append((cleaned_start, cleaned_start + len(c.restored), c.offset + len(c.spun)))
        delta += len(c.restored) - len(c.spun)
    starts = [s for s, _, _ in spans]

    def to_raw(at: int):
        k = bisect.bisect_right(starts, at) - 1
        if k < 0:
            return at
        cleaned_start, cleaned_end, raw_end = spans[k]
        if at < cleaned_end:
            return None
        return raw_end + (at - cleaned_end)

    return to_raw


def entries_never_fired(texts: Iterable[str], lexicon: Optional[Lexicon] = None,
                        spun: Optional[bool] = None) -> list[Entry]:
    """Non-keep lexicon entries that made no correction when cleaning ``texts``.

    ``spun`` is passed to ``clean_text``; by default each text decides for itself.
    """
    lex = lexicon or load_lexicon()
    fired = {c.rule for t in texts for c in clean_text(t, lexicon=lex, spun=spun).corrections}
    return [e for e in lex.entries if e.kind != "keep" and e.rule not in fired]
