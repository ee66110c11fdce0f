"""Clean stage: restore what the content-farm word spinner changed.

The spinner swaps words (and single characters inside words) for near-synonyms
and antonyms. Restorations are PROPOSED by three sources and DECIDED per occurrence:

* the reviewed reverse lexicon (``data/lexicon.tsv``): spans of the *raw* text are
  matched, longest form first, in ONE left-to-right pass, so chains (持续→连续,
  连续→间断) never re-clean their own output; ``always`` forms are restored wherever
  they occur in spun text, ``likely``/``context`` forms (real words too) only when the
  language model agrees, weighed by the document's counts of the form (a form far more
  frequent than reports have it is more likely the spinner's);
* general sources (``candidates.py``): the spinner's character swaps, synonyms from
  同义词词林, and the swaps this document's word counts show (a report word missing while
  a synonym, or a word the model reads clearly best as it, is far too frequent), restored only in spun text and only
  when the language model of report prose (``language_model.py``) prefers the restoration;
* per-report editor overrides force or forbid single occurrences.

Whether a text is spun at all is decided once per document from the same evidence:
never-legitimate lexicon forms and restorations the model strongly prefers. A document
that does not look spun is left exactly as it is (but for editor overrides).
Every change is a ``Correction`` with the raw offset, the rule and the score; a change
the model decided alone has the rule ``model:swap``, ``model:thesaurus`` or ``model:document``.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from . import candidates
from .errors import InputError
from .language_model import LanguageModel, collector_paused, line_context, shipped_model
from .lexicon import Entry, Lexicon, Overrides, load_lexicon, load_overrides, overrides_path
from .model import Block, Correction, Report
from .word_contexts import WINDOW, shipped_contexts

# Prior (in nats) added to the language-model margin of a lexicon candidate, on top of the document's
# own log-odds that the spun form is the spinner's (candidates.DocumentCounts.spinner_log_odds: 建立
# forty times where reports would have five). With the counts' odds the kind needs no prior of its
# own. Cross-fitted TUNING split, seed-spinner repair: fixed +2 without the odds 95.6%; odds with +0
# 95.8%, with +1 95.6%, with twice the odds 95.5%, with -1 95.7%.
KIND_PRIOR = {"likely": 0.0, "context": 0.0}
# Margin (in nats) the model needs to restore a general candidate on its own: the lexicon's reviewed
# pairs need no more than a preference, a general guess needs a clear one. A document's own synonym
# swaps (candidates.DocumentCounts.pairs) are already backed by its counts, so a preference does.
# Measured on the TUNING reports with cross-fitted models (each fold scored by a model that never
# read it): swap 4 → 5 changes nothing there but keeps real words such as 寡淡 (not 众淡, margin
# 4.05 with the larger model); opening the thesaurus to every spun document lost five points of
# seed-spinner repair; document pairs at 0 → 2: ablated seed 5.00% → 5.08%, cnsyn 47.3% → 46.9%.
MODEL_THRESHOLD = {"swap": 5.0, "thesaurus": 6.0, "document": 0.0}
# Weight of the wider context's log-odds (word_contexts) beside the model's margin for the lexicon's
# ambiguous entries: its character pairs are not independent, so their naive-Bayes sum overstates the
# evidence. Cross-fitted TUNING split, seed-spinner damage left (of 17,944 characters): without it 752;
# at 0.13 718, and 702 with the lexicon's new entry 加强 → 增强; with the entry, 0.08 → 716,
# 0.15 → 694, 0.18 → 692 (but two more wrong characters on the seed), 0.25 → 774. Retuned for the
# model trained on 3.0M characters (same split): 0.10 → 636, 0.15 → 613, 0.20 → 605, 0.25 → 581,
# 0.30 → 579 (one more wrong character on the seed), 0.40 → 585.
# cnsyn and the seed with half its lexicon removed do not change.
CONTEXT_WEIGHT = 0.25
# The most the wider context may move a decision (nats): its naive-Bayes sum can run far past what
# twelve characters really tell, and a decision clearer than this is not read further (without the
# cap the wider context cost a fifth of the cleaning time). Same split: 694 left uncapped, 692 capped.
CONTEXT_CAP = 4.0
# A character swap the model restored on its own at least PAIR_MIN times in a document is part of
# this document's spinner table, so its other occurrences need only PAIR_THRESHOLD: the spinner that
# wrote 取 for 与 in five clear places wrote it in the borderline ones too (see _clean_document).
# Cross-fitted TUNING split, seed spinner repaired: threshold 1 → 94.5%, 0 → 94.6%; PAIR_MIN 3 → 94.3%.
PAIR_MIN = 2
PAIR_THRESHOLD = 0.0
# A model restoration this clear counts as evidence that the document was spun.
EVIDENCE_MARGIN = 10.0
MODEL_SOURCES = frozenset({"swap", "thesaurus", "document"})
ALL_SOURCES = frozenset({"lexicon"}) | MODEL_SOURCES
# Characters of a long document read to gather the evidence of how it was spun, and to count its words.
EVIDENCE_SAMPLE = 8000
COUNTS_SAMPLE = 40000
# The thesaurus guesses only in documents with one confident synonym restoration per this many characters.
THESAURUS_CHARS_PER_HIT = 100
SPUN_CHARS_PER_HIT = 150  # long texts need one piece of evidence per this many characters
SHORT_TEXT = 200  # below this length a single piece of evidence marks the text as spun
RARE_WORD_FREQ = 3  # dictionary words rarer than this are reported as suspects
COMMON_SINGLE_FREQ = 3000  # a mark character this common alone (真, 原) is not suspect by itself
COMMON_WORD_FREQ = 300  # a word this common is not suspect even if it holds a spinner mark
HAN = candidates.HAN_RUN
# Titles a person's name follows in news about reports (记者王火炎, 代区长陈通汕): the name is never a suspect.
PERSON_TITLES = ("记者", "通讯员", "编辑", "责编", "摄影", "省长", "市长", "区长", "县长", "州长", "旗长",
                 "主席", "书记", "主任", "局长", "厅长", "委员", "代表", "同志")
NAME_AFTER_TITLE = re.compile(r"[ \u3000]*([\u4e00-\u9fff]{2,3})")


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text of one string and the corrections that made it."""

    text: str
    corrections: tuple[Correction, ...] = ()


@functools.lru_cache(maxsize=1)
def jieba_dictionary():
    """jieba's dictionary as shipped, in a private tokenizer (for the suspects).

    Private because others (the search plugin, keywords) add user words to jieba's
    shared tokenizer, and the suspects must not change with what loaded first.
    """
    from . import dictionary

    return dictionary.shipped()


def load_models() -> LanguageModel:
    """Load the language model and the candidate data once (under half a second)."""
    with collector_paused():
        candidates.load()
        return shipped_model()


# ---- evidence that a text was spun --------------------------------------------------

def spin_hits(text: str, lexicon: Optional[Lexicon] = None) -> int:
    """Evidence of the spinner in ``text``: never-legitimate forms plus clear model restorations."""
    _, _, evidence = _clean(text, -1, lexicon or load_lexicon(), ALL_SOURCES, Overrides())
    return sum(evidence.values())


def looks_spun(hits: int, length: int) -> bool:
    """Whether ``hits`` pieces of evidence in ``length`` characters show the spinner's hand."""
    if length < SHORT_TEXT:
        return hits >= 1
    return hits >= max(2, length / SPUN_CHARS_PER_HIT)


def active_sources(evidence: Counter, length: int, spun: Optional[bool] = None) -> frozenset:
    """Which sources may restore in a document, from the evidence it shows.

    Nothing in a document that does not look spun. The thesaurus guesses only where the
    document shows a synonym spinner's dense marks: a spinner that swaps characters or
    uses the lexicon's pairs leaves few confident synonym restorations, and then the
    model's taste for the commoner synonym would only change the author's words.
    """
    if spun is None:
        spun = looks_spun(sum(evidence.values()), length)
    if not spun:
        return frozenset()
    if evidence["thesaurus"] >= max(2, length / THESAURUS_CHARS_PER_HIT):
        return ALL_SOURCES
    return ALL_SOURCES - {"thesaurus"}


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

    ``spun`` says whether the text shows the spinner's hand (by default its own evidence
    decides); text that does not is left as it is, but for editor overrides.
    ``overrides`` are an editor's force/forbid list.
    """
    results = _clean_document([(text, block)], lexicon or load_lexicon(), overrides or Overrides(), spun)
    return results[0][0]


def clean_lines(lines: list[str], *, lexicon: Optional[Lexicon] = None) -> list[Cleaned]:
    """Clean the lines of one document, deciding once for all of them whether (and how) it was spun."""
    results = _clean_document([(line, -1) for line in lines], lexicon or load_lexicon(), Overrides(), None)
    return [cleaned for cleaned, _, _ in results]


def _clean_document(texts: list[tuple[str, int]], lex: Lexicon, overrides: Overrides, spun: Optional[bool]):
    """(cleaned, used override lines, evidence) of every (text, block) of one document.

    The document's word counts are read once (``candidates.DocumentCounts``, from a sample of a
    long document). A first pass with every source gathers the evidence; the document is cleaned
    again with fewer sources when the evidence says so (a clean document: only overrides).
    Then the document's own spinner table is estimated: a character swap the model took
    on its own PAIR_MIN times is taken wherever the model prefers it by PAIR_THRESHOLD
    (cross-fitted TUNING split, seed spinner: 93.6% → 94.2% repaired, 取→与 and 真→实 mostly;
    cnsyn spinner unchanged at 41.6%; seed with half its lexicon removed 6.21% → 6.05%; with the
    ``likely`` prior at +2 and PAIR_THRESHOLD 0: 94.6%, cnsyn 41.7%).
    """
    nears = [set() for _ in texts]  # per text: swap pairs the model rejected narrowly
    # a long document shows its spinner's word counts in any sizeable sample (and the cost stays linear)
    step = max(1, math.ceil(sum(len(text) for text, _ in texts) / COUNTS_SAMPLE))
    document = candidates.DocumentCounts([text for text, _ in texts[::step]], load_models())
    results, sources = _first_decisions(texts, lex, overrides, spun, nears, document)
    return _with_pair_priors(texts, results, sources, lex, overrides, nears, document)


def _with_pair_priors(texts, results, sources, lex: Lexicon, overrides: Overrides, nears, document):
    """The results again where a swap pair the document clearly uses was rejected narrowly.

    Re-deciding only those texts keeps the second look cheap: most texts have no such near miss.
    """
    if "swap" not in sources:
        return results
    counts = Counter((c.spun, c.restored) for cleaned, _, _ in results for c in cleaned.corrections
                     if c.rule == "model:swap")
    boost = frozenset(pair for pair, k in counts.items() if k >= PAIR_MIN)
    if not boost:
        return results
    return [_clean(text, block, lex, sources, overrides, boost, document=document) if near & boost else result
            for (text, block), result, near in zip(texts, results, nears)]


def _first_decisions(texts, lex: Lexicon, overrides: Overrides, spun: Optional[bool], nears,
                     document: candidates.DocumentCounts):
    """(results, sources) of the one-pass decision of every text, each text deciding alone."""
    total = sum(len(text) for text, _ in texts)
    if total > 2 * EVIDENCE_SAMPLE:
        # a long document shows its spinner in any sizeable sample: read one text in `step`
        # for the evidence, then clean everything once (linear, and about one pass)
        step = round(total / EVIDENCE_SAMPLE)
        sample = texts[::step]
        evidence = sum((_clean(t, b, lex, ALL_SOURCES, Overrides())[2] for t, b in sample), Counter())
        sources = active_sources(evidence, sum(len(t) for t, _ in sample), spun)
        return [_clean(text, block, lex, sources, overrides, near=near, document=document)
                for (text, block), near in zip(texts, nears)], sources
    first = [_clean(text, block, lex, ALL_SOURCES, overrides, near=near, document=document)
             for (text, block), near in zip(texts, nears)]
    evidence = sum((e for _, _, e in first), Counter())
    sources = active_sources(evidence, total, spun)
    if sources == ALL_SOURCES:
        return first, sources
    # Without a source a text changes only where the first pass took a restoration from it (a rejected
    # guess alters nothing), so the other texts keep their first result.
    dropped = {f"model:{source}" for source in ALL_SOURCES - sources}
    return [_clean(text, block, lex, sources, overrides, near=near, document=document)
            if not sources or any(c.rule in dropped for c in result[0].corrections) else result
            for (text, block), result, near in zip(texts, first, nears)], sources


def _clean(text: str, block: int, lex: Lexicon, sources: frozenset, overrides: Overrides,
           boost: frozenset = frozenset(), near: Optional[set] = None,
           document: Optional[candidates.DocumentCounts] = None):
    """(cleaned, used override lines, evidence by source) of one string, restoring from ``sources``."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects str, got {type(text).__name__}")
    model = load_models()
    forced, forbidden, used = _override_spans(text, overrides)
    evidence: Counter = Counter()
    if not sources and not forced:
        return Cleaned(text), used, evidence
    matches = list(_scan(text, lex))
    taken = [(s, e) for s, (e, _) in forced.items()]
    # an editor's forced span wins over any lexicon match that overlaps it
    kept = [(s, e) for s, e in matches if not any(s < fe and fs < s + len(e.spun) for fs, fe in taken)]
    events = [(s, e - s, 0, "force", o) for s, (e, o) in forced.items()]
    if sources:
        events += [(s, len(e.spun), 1, "lexicon", e) for s, e in kept]
    if sources & MODEL_SOURCES:
        events += _model_events(text, taken + [(s, s + len(e.spun)) for s, e in matches], sources,
                                document.pairs if document is not None and "document" in sources else {})
    events.sort(key=lambda ev: ev[:3])
    out: list[str] = []
    corrections: list[Correction] = []
    pos = 0
    for start, length, _, source, item in events:
        if start < pos:
            continue  # overlaps a span already taken (forced spans sort first on ties)
        out.append(text[pos:start])
        decision = _decide(source, item, text, start, out, bool(sources), forbidden, used, model, boost, near, document)
        if decision is None:
            if source == "model":
                pos = start  # a rejected guess shields nothing: later guesses inside it are still tried
            else:
                out.append(text[start:start + length])
                pos = start + length
            continue
        spun_form, restored, rule, score, note, weight = decision
        if weight:
            evidence[rule.split(":")[-1] if source == "model" else "lexicon"] += 1
        out.append(restored)
        corrections.append(_trimmed(Correction(block, start, spun_form, restored, rule, score, note)))
        pos = start + len(spun_form)
    out.append(text[pos:])
    return Cleaned("".join(out), tuple(corrections)), used, evidence


def _trimmed(c: Correction) -> Correction:
    """The correction without the characters its two forms share at either end (力持续加 → 加)."""
    if c.spun[0] != c.restored[0] and c.spun[-1] != c.restored[-1]:
        return c
    head = 0
    while head < min(len(c.spun), len(c.restored)) - 1 and c.spun[head] == c.restored[head]:
        head += 1
    tail = 0
    while (tail < min(len(c.spun), len(c.restored)) - head - 1
           and c.spun[-1 - tail] == c.restored[-1 - tail]):
        tail += 1
    return Correction(c.block, c.offset + head, c.spun[head:len(c.spun) - tail],
                      c.restored[head:len(c.restored) - tail], c.rule, c.score, c.note)


def _model_events(text: str, blocked: list[tuple[int, int]], sources: frozenset, table: dict):
    """General candidates from ``sources`` grouped by start, leaving out any that overlaps a lexicon or forced span."""
    cover = bytearray(len(text) + 1)
    for s, e in blocked:
        cover[s:e] = b"\x01" * (e - s)
    events = []
    proposed = candidates.propose(text, sources)
    if table:
        for start, group in candidates.propose_document(text, table).items():
            proposed.setdefault(start, []).extend(group)
    for start, group in proposed.items():
        group = [c for c in group if not any(cover[start:start + len(c.spun)])]
        if group:
            events.append((start, min(len(c.spun) for c in group), 2, "model", group))
    return events


def _decide(source, item, text, start, out, spun, forbidden, used, model: LanguageModel,
            boost: frozenset = frozenset(), near: Optional[set] = None,
            document: Optional[candidates.DocumentCounts] = None):
    """(spun, restored, rule, score, note, counts as evidence) for one candidate span, or None to keep it."""
    if source == "force":
        used.add(item.line)
        return item.spun, item.restored, item.rule, None, "editor override (force)", False
    left = line_context(_tail(out, model.order - 1), model.order - 1, before=True)
    if source == "model":
        best, best_margin = None, 0.0
        as_written: dict[str, float] = {}  # log-probability of the text as it stands, per span length
        for c in item:
            if (start, c.spun) in forbidden:
                used.add(forbidden[(start, c.spun)])
                return None
            right = line_context(text[start + len(c.spun):start + len(c.spun) + model.order - 1], model.order - 1)
            if c.spun not in as_written:
                as_written[c.spun] = model.span_logprob(left, c.spun, right)
            margin = model.span_logprob(left, c.restored, right) - as_written[c.spun]
            threshold = MODEL_THRESHOLD[c.source]
            if c.source == "swap" and margin >= PAIR_THRESHOLD:
                if (c.spun, c.restored) in boost:
                    threshold = PAIR_THRESHOLD
                elif margin < threshold and near is not None:
                    near.add((c.spun, c.restored))
            if margin >= threshold and (best is None or margin > best_margin):
                best, best_margin = c, margin
        if best is None:
            return None
        return (best.spun, best.restored, f"model:{best.source}", round(best_margin, 3),
                f"{best.note}; the model of report prose prefers it by {best_margin:.1f} nats",
                best_margin >= EVIDENCE_MARGIN and best.source != "document")
    entry: Entry = item
    if entry.kind == "keep":
        return None
    if (start, entry.spun) in forbidden:
        used.add(forbidden[(start, entry.spun)])
        return None
    if not spun:
        return None  # text that does not show the spinner's hand is left as it is
    if entry.kind == "always" and not entry.alternatives:
        return entry.spun, entry.restored, entry.rule, None, entry.note, True
    right = line_context(text[start + len(entry.spun):start + len(entry.spun) + model.order - 1], model.order - 1)
    restored, note = entry.restored, entry.note
    if entry.alternatives:
        # the spinner reaches this form from several words: the model chooses which one stood here
        scores = {r: model.span_logprob(left, r, right) for r in entry.restorations}
        restored = max(scores, key=scores.get)  # on a tie, the usual restoration (listed first)
        other = max((r for r in scores if r != restored), key=scores.get)
        note = f"{note}; the model reads {restored} before {other} by {scores[restored] - scores[other]:.1f} nats"
    if entry.kind == "always":
        return entry.spun, restored, entry.rule, None, note, True
    margin = model.margin(left, entry.spun, restored, right)
    prior = KIND_PRIOR[entry.kind]
    if document is not None:
        prior += document.spinner_log_odds(entry.spun)
    wider = 0.0
    if abs(margin + prior) < CONTEXT_CAP:  # beyond the cap the wider context could not change the decision
        wider = CONTEXT_WEIGHT * shipped_contexts().log_odds(
            _tail(out, WINDOW), text[start + len(entry.spun):start + len(entry.spun) + WINDOW], restored, entry.spun)
        wider = min(max(wider, -CONTEXT_CAP), CONTEXT_CAP)
    if margin + prior + wider <= 0:
        return None
    # a `context` entry pairs two words reports both use (加快, 加速): the model's preference for
    # one of them shows the author's wording, never the spinner's hand
    return (entry.spun, restored, entry.rule, round(margin, 3),
            f"{note} [{entry.kind}, prior {prior:+.1f}, wider context {wider:+.1f}]",
            margin >= EVIDENCE_MARGIN and entry.kind != "context")


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
    texts = [(b.raw, b.index) for b in report.blocks] + [(report.original_title_raw, -1)]
    results = _clean_document(texts, lex, overrides, None)
    corrections = [c for cleaned, _, _ in results for c in cleaned.corrections]
    used = set().union(*(u for _, u, _ in results))
    blocks = [replace(b, text=cleaned.text) for b, (cleaned, _, _) in zip(report.blocks, results)]
    title = results[-1][0]
    unused = [o for o in overrides.items if o.line not in used]
    if unused:
        raise InputError(path, f"line {unused[0].line}: override matches nothing in the report "
                               f"({unused[0].describe()})")
    blocks = _with_clean_headings(blocks)
    by_block: dict[int, list[Correction]] = {}
    for c in corrections:  # grouped once: filtering per block would be quadratic in a long report
        by_block.setdefault(c.block, []).append(c)
    # Residual suspects only where the spinner was at work: clean prose has none to show, and
    # skipping it spares the build a second load of jieba's dictionary for every official report.
    spun = any(not c.rule.startswith("override:") for c in corrections)
    names = byline_names(report)
    suspects = tuple(s for b, c in zip(report.blocks, blocks) for s in find_suspects(
        b.raw, c.text, b.index, by_block.get(b.index, ()), lex, names)) if spun else ()
    return replace(report, blocks=tuple(blocks), original_title=title.text,
                   corrections=tuple(corrections), suspects=suspects)


def _with_clean_headings(blocks: list[Block]) -> list[Block]:
    """Point each block's part and section at the cleaned heading text."""
    cleaned = {b.raw: b.text for b in blocks if b.kind == "heading"}
    return [replace(b, part=cleaned.get(b.part, b.part), section=cleaned.get(b.section, b.section))
            for b in blocks]


# ---- residual suspects ----------------------------------------------------------------

def byline_names(report: Report) -> frozenset:
    """Personal names the parser read from the bylines (reporters, editors, photo credit, presenter)."""
    found = set(report.reporter) | set(report.correspondent) | set(report.editors)
    if report.photo_credit:
        found.add(report.photo_credit.split()[-1])
    if report.presenter:
        found.add(report.presenter)  # 区长陈通汕: the name is the presenter's tail, matched as a substring below
    return frozenset(n for n in found if len(n) >= 2)


@functools.lru_cache(maxsize=1)
def _pos_tokenizer():
    """jieba's part-of-speech tagger over the private dictionary, built once.

    Importing ``jieba.posseg`` already reads the tag table (half a second) for its default tagger;
    a copy of that one with our dictionary reads it only once, not twice.
    """
    import jieba.posseg

    tagger = object.__new__(jieba.posseg.POSTokenizer)  # not copy.copy: its __getattr__ would recurse
    tagger.__dict__.update(jieba.posseg.dt.__dict__)
    tagger.tokenizer = jieba_dictionary()
    tagger.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)  # its own table: taggers add user words' tags to theirs
    return tagger


def _name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of personal names in ``text``: the bylines' names and what jieba tags as a person (nr)."""
    spans = [(at, at + len(n)) for n in names for at in _occurrences(text, n)]
    for title in PERSON_TITLES:
        for at in _occurrences(text, title):
            end = at + len(title)
            name = NAME_AFTER_TITLE.match(text, end)
            if name:  # a person's name follows the title: 区长陈通汕, 记者 王火炎 (two or three characters)
                spans.append(name.span(1))
    at = 0
    for pair in _pos_tokenizer().cut(text, HMM=False):
        if pair.flag.startswith("nr"):
            spans.append((at, at + len(pair.word)))
        at += len(pair.word)
    return spans


def find_suspects(raw: str, cleaned: str, block: int, corrections: Iterable[Correction],
                  lexicon: Optional[Lexicon] = None, names: Iterable[str] = ()) -> list[dict]:
    """Words of the cleaned text that still look spun and that no lexicon entry covered.

    Two signs: a word jieba barely knows (frequency below ``RARE_WORD_FREQ``), or an
    uncommon word holding a character the spinner substitutes inside words (劣 for 优).
    Personal names (the bylines' names, jieba's person tag) are never suspects: readers
    see the reasons on the corrections page, in Chinese.
    """
    tokenizer = jieba_dictionary()
    freq = tokenizer.FREQ
    marks = spinner_characters(lexicon or load_lexicon())
    to_raw = _offset_map(raw, corrections)
    suspects = []
    offset = 0
    tokens = []
    for word in tokenizer.cut(cleaned, HMM=False):
        tokens.append((offset, word))
        offset += len(word)
    for start, word in tokens:
        if len(word) < 2 or not HAN.fullmatch(word):
            continue
        count = freq.get(word, 0)
        marked = [ch for ch in word if ch in marks]
        if 0 < count < RARE_WORD_FREQ:
            reason = f"词典里少见的词（分词词典只记{count}次），可能是改写留下的"
        elif marked and count < COMMON_WORD_FREQ:
            reason = f"含“{marked[0]}”字，改写工具常把“{marks[marked[0]]}”换成“{marked[0]}”"
        else:
            continue
        _add_suspect(suspects, raw, to_raw, block, start, word, reason)
    for start, word in tokens:
        # a spinner character that jieba cannot fit into any word (古涩古香): show it with its neighbours
        if len(word) == 1 and word in marks and freq.get(word, 0) < COMMON_SINGLE_FREQ:
            left = max(0, start - 1)
            snippet = cleaned[left:start + 2]
            if HAN.fullmatch(snippet):
                reason = f"“{word}”在这里组不成词，改写工具常把“{marks[word]}”换成“{word}”"
                _add_suspect(suspects, raw, to_raw, block, left, snippet, reason)
    if suspects:
        # names are looked up only where there is a suspect: tagging every block would double the cost
        kept = []
        for s in suspects:
            # tag only the sentence piece around the suspect: a whole long block would cost more than cleaning it
            lo = max(0, s["clean_at"] - 8)
            spans = _name_spans(cleaned[lo:s["clean_at"] + len(s["word"]) + 4], names)
            at = s["clean_at"] - lo
            if not any(a < at + len(s["word"]) and at < b for a, b in spans):
                kept.append(s)
        suspects = kept
    for s in suspects:
        del s["clean_at"]
    return sorted(suspects, key=lambda s: s["offset"])


def _add_suspect(suspects: list, raw: str, to_raw, block: int, start: int, word: str, reason: str) -> None:
    """Record a suspect unless it overlaps a correction (then it was already handled)."""
    raw_at = to_raw(start)
    if raw_at is not None and raw[raw_at:raw_at + len(word)] == word:
        suspects.append({"word": word, "block": block, "offset": raw_at, "reason": reason, "clean_at": start})


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
