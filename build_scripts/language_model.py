"""A character n-gram language model of government-report prose (interpolated Kneser-Ney).

The cleaner asks it one question: does a passage read more like report prose with a
proposed restoration than without? The model is trained on clean report text only
(``build_scripts/train_language_model.py``) and shipped, compact, in ``data/lm/``.

It is stored in back-off form (like an ARPA file): for every n-gram kept, the
interpolated log-probability of its last character given the others; for every
context, the log of the weight with which it hands over to the shorter context.
Scoring a character then costs a few dictionary look-ups.
"""
from __future__ import annotations

import array
import functools
import gzip
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import InputError

MODEL_PATH = Path(__file__).parent / "data" / "lm" / "report_chars.lm.gz"
BOUNDARY = "\n"  # lines are sentences: the model sees a boundary before and after each
SCALE = 1000  # log-probabilities are stored as integers in thousandths of a nat
FORMAT = "report-char-lm 1"

# Characters that carry no wording are folded to one symbol each, one character for
# one character so that offsets into the text stay valid.
_FOLD = {**{c: "0" for c in "0123456789０１２３４５６７８９"},
         **{c: "a" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
         ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？",
         "\u3000": " ", "\t": " ", "\r": " "}
_FOLD_TABLE = str.maketrans(_FOLD)


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
    """A back-off character model: log P of kept n-grams, log back-off weights of contexts."""

    order: int
    logp: dict
    backoff: dict
    unknown: float  # log-probability of a character the training text never showed

    def char_logprob(self, context: str, char: str) -> float:
        """Natural-log probability of ``char`` after ``context`` (only its last order-1 characters count)."""
        logp, backoff = self.logp, self.backoff
        total = 0.0
        k = min(len(context), self.order - 1)
        while k:
            ctx = context[-k:]
            value = logp.get(ctx + char)
            if value is not None:
                return total + value
            total += backoff.get(ctx, 0.0)
            k -= 1
        return total + logp.get(char, self.unknown)

    def span_logprob(self, left: str, span: str, right: str) -> float:
        """Log-probability of ``span`` and of the next order-1 characters of ``right``, after ``left``.

        Characters further right do not see ``span``, so comparing two spans in the same
        place needs no more than this.
        """
        n = self.order - 1
        history = fold(left[-n:]) if n else ""
        full = history + fold(span + right[:n])
        logp, backoff, unknown = self.logp, self.backoff, self.unknown
        total = 0.0
        for j in range(len(history), len(full)):
            # char_logprob, inlined on one string: this loop is most of the cleaner's time
            k = j if j < n else n
            while k:
                # every kept n-gram's context has a back-off weight, so an unseen context is passed
                # over with one look-up instead of two (its weight is 0, as ``char_logprob`` has it)
                weight = backoff.get(full[j - k:j])
                if weight is not None:
                    value = logp.get(full[j - k:j + 1])
                    if value is not None:
                        total += value
                        break
                    total += weight
                k -= 1
            else:
                total += logp.get(full[j], unknown)
        return total

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

def train(texts: Iterable[str], order: int = 5, min_count: int = 2, top_min_count: int = 0) -> LanguageModel:
    """Interpolated Kneser-Ney over characters; n-grams above bigrams seen fewer than ``min_count`` times are pruned.

    N-grams of the highest order need ``top_min_count`` (if larger): they are most of a big model's size.
    """
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
            if k > 2 and counts[k][gram] < (max(min_count, top_min_count) if k == order else min_count):
                continue
            ctx = gram[:-1]
            lower = _lookup(logp, backoff, gram[1:], unknown)
            logp[gram] = math.log(max(c - d, 0) / ctx_total[ctx] + math.exp(backoff[ctx] + lower))
    # a context whose n-grams were all pruned still hands over with its weight; drop the rest
    used = {g[:-1] for g in logp if len(g) > 1}
    backoff = {c: w for c, w in backoff.items() if c in used}
    return LanguageModel(order, logp, backoff, unknown)


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
    """Write the model compactly: keys joined by NUL, values as 32-bit integers, gzip."""
    path.parent.mkdir(parents=True, exist_ok=True)
    grams = sorted(model.logp)
    contexts = sorted(model.backoff)
    header = f"{FORMAT}\t{model.order}\t{round(model.unknown * SCALE)}\t{len(grams)}\t{len(contexts)}\t{sources}"
    values = array.array("i", [round(model.logp[g] * SCALE) for g in grams]
                         + [round(model.backoff[c] * SCALE) for c in contexts])
    keys = "\0".join(grams + contexts).encode("utf-8")
    payload = b"".join(len(part).to_bytes(8, "little") + part
                       for part in (header.encode("utf-8"), keys, values.tobytes()))
    # mtime=0 keeps the file byte-identical across rebuilds of the same corpus
    path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))


def load(path: Path = MODEL_PATH) -> LanguageModel:
    """Read a model written by ``save``; a missing or foreign file is an ``InputError``."""
    try:
        with gzip.open(path, "rb") as file:
            data = file.read()
    except (OSError, EOFError) as err:
        raise InputError(path, f"language model cannot be read ({err}); rebuild it with "
                               "python -m build_scripts.train_language_model") from None
    parts, pos = [], 0
    for _ in range(3):
        size = int.from_bytes(data[pos:pos + 8], "little")
        parts.append(data[pos + 8:pos + 8 + size])
        pos += 8 + size
    fields = parts[0].decode("utf-8").split("\t")
    if fields[0] != FORMAT:
        raise InputError(path, f"not a language model of format {FORMAT!r}")
    order, unknown, n_grams = int(fields[1]), int(fields[2]) / SCALE, int(fields[3])
    keys = parts[1].decode("utf-8").split("\0")
    values = array.array("i")
    values.frombytes(parts[2])
    scaled = [v / SCALE for v in values]
    logp = dict(zip(keys[:n_grams], scaled[:n_grams]))
    backoff = dict(zip(keys[n_grams:], scaled[n_grams:]))
    return LanguageModel(order, logp, backoff, unknown)


@functools.lru_cache(maxsize=1)
def shipped_model() -> LanguageModel:
    """The shipped model of report prose, loaded once per process."""
    return load(MODEL_PATH)
