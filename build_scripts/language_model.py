"""A character n-gram language model of government-report prose (interpolated Kneser-Ney).

The cleaner asks it one question: does a passage read more like report prose with a
proposed restoration than without? The model is trained on clean report text only
(``build_scripts/train_language_model.py``) and shipped, compact, in ``data/lm/``.

It is kept in back-off form (like an ARPA file): for every n-gram kept, the
interpolated log-probability of its last character given the others; for every
context, the log of the weight with which it hands over to the shorter context.
N-grams are grouped under their context, so scoring a character costs a few
look-ups and loading builds one dictionary of contexts, not one of all n-grams.
"""
from __future__ import annotations

import array
import contextlib
import functools
import gc
import gzip
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import InputError

MODEL_PATH = Path(__file__).parent / "data" / "lm" / "report_chars.lm.gz"
BOUNDARY = "\n"  # lines are sentences: the model sees a boundary before and after each
SCALE = 1000  # log-probabilities are stored as integers in thousandths of a nat
FORMAT = "report-char-lm 2"
MEMO_SIZE = 200_000  # span scores remembered (about 40 MB) before the memo starts afresh

# Characters that carry no wording are folded to one symbol each, one character for
# one character so that offsets into the text stay valid.
_FOLD = {**{c: "0" for c in "0123456789０１２３４５６７８９"},
         **{c: "a" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
         ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？",
         "\u3000": " ", "\t": " ", "\r": " "}
_FOLD_TABLE = str.maketrans(_FOLD)


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cycle collector while a large table of strings and numbers is built.

    The table holds no cycles, but building it sets off collections that walk every object
    made so far: with them, loading the model's 400,000 contexts takes half again as long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fold(text: str) -> str:
    """The text as the model sees it: digits, Latin letters and half-width punctuation folded."""
    return text.translate(_FOLD_TABLE)


def line_context(context: str, size: int, before: bool = False) -> str:
    """Context for the model, with the line boundary it was trained with where the text ends."""
    if len(context) >= size:
        return context
    return BOUNDARY + context if before else context + BOUNDARY


@dataclass(frozen=True)
class LanguageModel:
    """A back-off character model, indexed by context so that it loads with one dictionary.

    Context number ``i`` (``contexts`` maps the string to ``i``) hands over to the shorter
    context with log-weight ``weights[i]``; the characters kept after it are
    ``following[starts[i]:starts[i + 1]]``, their log-probabilities ``values[starts[i]:...]``.
    Log-probabilities are integers in thousandths of a nat (``SCALE``), summed exactly and
    divided once, so a loaded model scores exactly as the trained one.
    """

    order: int
    contexts: dict  # context → its number
    weights: array.array  # per context: log back-off weight
    starts: array.array  # per context: where its kept characters begin, and one entry past the last
    following: str  # the kept characters after each context, context after context
    values: array.array  # per kept character: log-probability after its context
    unigrams: dict  # character → log-probability
    unknown: int  # log-probability of a character the training text never showed
    # span scores asked for before: report prose repeats itself (a fifth to a quarter of the spans
    # a spun report asks about were asked before), and a long document's evidence sample is cleaned twice
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def size(self) -> int:
        """Number of n-grams kept."""
        return len(self.following) + len(self.unigrams)

    def char_logprob(self, context: str, char: str) -> float:
        """Natural-log probability of ``char`` after ``context`` (only its last order-1 characters count)."""
        total = 0
        k = min(len(context), self.order - 1)
        while k:
            number = self.contexts.get(context[-k:])
            if number is not None:
                at = self.following.find(char, self.starts[number], self.starts[number + 1])
                if at >= 0:
                    return (total + self.values[at]) / SCALE
                total += self.weights[number]
            k -= 1
        return (total + self.unigrams.get(char, self.unknown)) / SCALE

    def span_logprob(self, left: str, span: str, right: str) -> float:
        """Log-probability of ``span`` and of the next order-1 characters of ``right``, after ``left``.

        Characters further right do not see ``span``, so comparing two spans in the same
        place needs no more than this.
        """
        n = self.order - 1
        key = (left[-n:] if n else "", span, right[:n])
        value = self.memo.get(key)
        if value is None:
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            value = self.memo[key] = self._span_logprob(*key)
        return value

    def _span_logprob(self, history: str, span: str, right: str) -> float:
        """``span_logprob`` computed, for a history and right context already cut to order-1 characters."""
        n = self.order - 1
        history = fold(history)
        full = history + fold(span + right)
        contexts, weights, starts, following, values = (
            self.contexts, self.weights, self.starts, self.following, self.values)
        total = 0
        for j in range(len(history), len(full)):
            # char_logprob, inlined on one string: this loop is most of the cleaner's time
            char = full[j]
            k = j if j < n else n
            while k:
                number = contexts.get(full[j - k:j])
                if number is not None:
                    at = following.find(char, starts[number], starts[number + 1])
                    if at >= 0:
                        total += values[at]
                        break
                    total += weights[number]
                k -= 1
            else:
                total += self.unigrams.get(char, self.unknown)
        return total / SCALE

    def margin(self, left: str, spun: str, restored: str, right: str) -> float:
        """How many nats more likely the passage reads with ``restored`` than with ``spun``."""
        return self.span_logprob(left, restored, right) - self.span_logprob(left, spun, right)

    def text_logprobs(self, text: str) -> list[float]:
        """Log-probability of each character of ``text`` given the characters before it."""
        folded = fold(text)
        history = BOUNDARY
        n = self.order - 1
        out = []
        for char in folded:
            out.append(self.char_logprob(history, char))
            history = (history + char)[-n:]
        return out


# ---- training -------------------------------------------------------------------------

def train(texts: Iterable[str], order: int = 5, min_counts: dict[int, int] | None = None) -> LanguageModel:
    """Interpolated Kneser-Ney over characters.

    An n-gram above bigrams seen fewer times than ``min_counts`` gives for its order is pruned
    (an order it does not name keeps every n-gram).
    """
    min_counts = min_counts or {}
    counts: list[Counter] = [Counter() for _ in range(order + 1)]
    for text in texts:
        for line in fold(text).split("\n"):
            line = line.strip()
            if not line:
                continue
            padded = BOUNDARY + line + BOUNDARY
            for i in range(1, len(padded)):
                for k in range(1, order + 1):
                    if i - k + 1 < 0:
                        break
                    counts[k][padded[i - k + 1:i + 1]] += 1
    # lower orders count distinct left neighbours (continuation counts), as Kneser-Ney does
    kn: list[Counter] = [Counter() for _ in range(order + 1)]
    kn[order] = counts[order]
    for k in range(order, 1, -1):
        for gram in counts[k]:
            kn[k - 1][gram[1:]] += 1
    for k in range(1, order):
        # n-grams that start a line have no left neighbour: keep their raw counts
        for gram, c in counts[k].items():
            if gram.startswith(BOUNDARY):
                kn[k][gram] = c
    logp: dict[str, float] = {}
    backoff: dict[str, float] = {}
    vocab = len(kn[1]) + 1
    total1 = sum(kn[1].values())
    d1 = _discount(kn[1])
    for gram, c in kn[1].items():
        logp[gram] = math.log(max(c - d1, 0) / total1 + d1 * len(kn[1]) / total1 / vocab)
    unknown = math.log(d1 * len(kn[1]) / total1 / vocab)
    for k in range(2, order + 1):
        d = _discount(kn[k])
        ctx_total: dict[str, int] = defaultdict(int)
        ctx_types: dict[str, int] = defaultdict(int)
        for gram, c in kn[k].items():
            ctx_total[gram[:-1]] += c
            ctx_types[gram[:-1]] += 1
        for ctx, total in ctx_total.items():
            backoff[ctx] = math.log(d * ctx_types[ctx] / total)
        for gram, c in kn[k].items():
            if k > 2 and counts[k][gram] < min_counts.get(k, 0):
                continue
            ctx = gram[:-1]
            lower = _lookup(logp, backoff, gram[1:], unknown)
            logp[gram] = math.log(max(c - d, 0) / ctx_total[ctx] + math.exp(backoff[ctx] + lower))
    # a context whose n-grams were all pruned still hands over with its weight; drop the rest
    used = {g[:-1] for g in logp if len(g) > 1}
    backoff = {c: w for c, w in backoff.items() if c in used}
    return compact(order, logp, backoff, unknown)


def compact(order: int, logp: dict[str, float], backoff: dict[str, float], unknown: float) -> LanguageModel:
    """The model of n-gram log-probabilities ``logp`` and context weights ``backoff``, grouped by context."""
    after: dict[str, list[str]] = defaultdict(list)
    for gram in sorted(logp):
        if len(gram) > 1:
            after[gram[:-1]].append(gram[-1])
    names = sorted(set(after) | set(backoff))
    starts, following, values = array.array("i", [0]), [], array.array("i")
    for name in names:
        for char in after.get(name, ()):
            following.append(char)
            values.append(round(logp[name + char] * SCALE))
        starts.append(len(following))
    weights = array.array("i", [round(backoff.get(name, 0.0) * SCALE) for name in names])
    unigrams = {gram: round(value * SCALE) for gram, value in sorted(logp.items()) if len(gram) == 1}
    return LanguageModel(order, dict(zip(names, range(len(names)))), weights, starts, "".join(following),
                         values, unigrams, round(unknown * SCALE))


def _discount(counts: Counter) -> float:
    """Kneser-Ney's absolute discount from the counts of counts."""
    n1 = sum(1 for c in counts.values() if c == 1)
    n2 = sum(1 for c in counts.values() if c == 2)
    return n1 / (n1 + 2 * n2) if n1 + n2 else 0.5


def _lookup(logp: dict, backoff: dict, gram: str, unknown: float) -> float:
    """Back-off log-probability of the last character of ``gram`` given the rest."""
    total = 0.0
    while len(gram) > 1:
        value = logp.get(gram)
        if value is not None:
            return total + value
        total += backoff.get(gram[:-1], 0.0)
        gram = gram[1:]
    return total + logp.get(gram, unknown)


# ---- storage --------------------------------------------------------------------------

def save(model: LanguageModel, path: Path = MODEL_PATH, sources: str = "") -> None:
    """Write the model compactly: strings joined by NUL, numbers as 32-bit integers, gzip."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = sorted(model.contexts, key=model.contexts.__getitem__)
    header = f"{FORMAT}\t{model.order}\t{model.unknown}\t{sources}"
    parts = ["\0".join(names).encode("utf-8"), model.weights.tobytes(), model.starts.tobytes(),
             model.following.encode("utf-8"), model.values.tobytes(),
             "\0".join(model.unigrams).encode("utf-8"), array.array("i", model.unigrams.values()).tobytes()]
    payload = b"".join(len(part).to_bytes(8, "little") + part for part in [header.encode("utf-8")] + parts)
    # mtime=0 keeps the file byte-identical across rebuilds of the same corpus
    path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))


def load(path: Path = MODEL_PATH) -> LanguageModel:
    """Read a model written by ``save``; a missing or foreign file is an ``InputError``."""
    retrain = "rebuild it with python -m build_scripts.train_language_model"
    try:
        with gzip.open(path, "rb") as file:
            data = file.read()
    except (OSError, EOFError) as err:
        raise InputError(path, f"language model cannot be read ({err}); {retrain}") from None
    parts, pos = [], 0
    while pos < len(data):
        size = int.from_bytes(data[pos:pos + 8], "little")
        parts.append(data[pos + 8:pos + 8 + size])
        pos += 8 + size
    fields = parts[0].decode("utf-8", "replace").split("\t")
    if fields[0] != FORMAT or len(parts) != 8:
        raise InputError(path, f"not a language model of format {FORMAT!r}; {retrain}")
    names, weights, starts, following, values, unigram_names, unigram_values = parts[1:]

    def numbers(raw: bytes) -> array.array:
        table = array.array("i")
        table.frombytes(raw)
        return table
    with collector_paused():
        names = names.decode("utf-8").split("\0") if names else []
        unigrams = dict(zip(unigram_names.decode("utf-8").split("\0"), numbers(unigram_values)))
        return LanguageModel(int(fields[1]), dict(zip(names, range(len(names)))), numbers(weights), numbers(starts),
                             following.decode("utf-8"), numbers(values), unigrams, int(fields[2]))


@functools.lru_cache(maxsize=1)
def shipped_model() -> LanguageModel:
    """The shipped model of report prose, loaded once per process."""
    return load(MODEL_PATH)
