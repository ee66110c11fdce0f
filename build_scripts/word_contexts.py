"""Which of two words a sentence's wider context favours: naive Bayes on nearby character pairs.

The character model of report prose sees four characters either side of a word, but report
prose often tells two common words apart further away: 增强 goes with 能力, 韧性 and 活力 a few
characters on, 加强 with 监管 and 建设. For every word of the lexicon's ambiguous entries
(kinds ``likely`` and ``context``) this table counts, in clean report text, how often each
two-character run occurs within WINDOW characters of the word. It is trained with the language
model (``train_language_model``) and shipped beside it in ``data/lm/``.
"""
from __future__ import annotations

import functools
import gzip
import math
from collections import Counter
from pathlib import Path
from typing import Iterable

from .errors import InputError
from .language_model import fold

CONTEXTS_PATH = Path(__file__).parent / "data" / "lm" / "word_contexts.tsv.gz"
FORMAT = "report-word-contexts 1"
# Characters read on either side of the word. Cross-fitted TUNING split, lexicon decisions in text spun
# with the seed's table (8,402, the current rule wrong in 279): 8 → 254 wrong, 12 → 248, 16 → 247, 24 → 249.
WINDOW = 12
SMOOTHING = 0.5  # added to every count: a pair never seen with a word is rare, not impossible
MIN_COUNT = 2  # pairs seen once with a word are dropped from the shipped table (noise, and half its size)


class WordContexts:
    """Per word: its occurrences in the training text and the character pairs seen near it.

    ``nearby`` maps a word to its pairs' counts, or to the row of the shipped file that holds
    them: a row is read on first use, as a document asks about a few dozen of the words.
    """

    def __init__(self, occurrences: dict[str, int], nearby: dict[str, dict[str, int] | list[str]]):
        self.occurrences = occurrences
        self._nearby = nearby

    def nearby(self, word: str) -> dict[str, int]:
        """How often each character pair occurred within WINDOW characters of ``word``."""
        near = self._nearby[word]
        if isinstance(near, list):
            near = self._nearby[word] = {field[:2]: int(field[2:]) for field in near}
        return near

    def log_odds(self, left: str, right: str, first: str, second: str) -> float:
        """Log-odds that ``first`` rather than ``second`` stood between ``left`` and ``right`` (0 if either is unknown)."""
        n_first, n_second = self.occurrences.get(first, 0), self.occurrences.get(second, 0)
        if not n_first or not n_second:
            return 0.0
        near_first, near_second = self.nearby(first), self.nearby(second)
        total = 0.0
        for pair in context_pairs(left, right):
            a, b = near_first.get(pair, 0), near_second.get(pair, 0)
            if a or b:
                total += (math.log((a + SMOOTHING) / (n_first + 2 * SMOOTHING))
                          - math.log((b + SMOOTHING) / (n_second + 2 * SMOOTHING)))
        return total


def context_pairs(left: str, right: str) -> set[str]:
    """The two-character runs within WINDOW characters before (``left``) and after (``right``) a word."""
    left, right = fold(left[-WINDOW:]), fold(right[:WINDOW])
    return {left[i:i + 2] for i in range(len(left) - 1)} | {right[i:i + 2] for i in range(len(right) - 1)}


def train(texts: Iterable[str], words: Iterable[str]) -> WordContexts:
    """Count, line by line, the character pairs near every occurrence of each of ``words``."""
    words = sorted(set(words))
    occurrences: Counter = Counter()
    nearby: dict[str, Counter] = {word: Counter() for word in words}
    for text in texts:
        for line in text.split("\n"):
            for word in words:
                at = line.find(word)
                while at >= 0:
                    occurrences[word] += 1
                    nearby[word].update(context_pairs(line[max(0, at - WINDOW):at], line[at + len(word):]))
                    at = line.find(word, at + 1)
    # every word keeps its row, seen or not, so the table shows which lexicon it was trained for
    return WordContexts({w: occurrences[w] for w in words},
                        {w: {p: c for p, c in nearby[w].items() if c >= MIN_COUNT} for w in words})


def save(contexts: WordContexts, path: Path = CONTEXTS_PATH, sources: str = "") -> None:
    """Write one line per word: word, occurrences, then fields of a pair and its count, sorted (byte-identical rebuilds)."""
    lines = [f"{FORMAT}\tWINDOW={WINDOW}\tMIN_COUNT={MIN_COUNT}\t{sources}"]
    for word in sorted(contexts.occurrences):
        near = contexts.nearby(word)
        lines.append("\t".join([word, str(contexts.occurrences[word])]
                               + [f"{pair}{count}" for pair, count in sorted(near.items())]))
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))


def load(path: Path = CONTEXTS_PATH) -> WordContexts:
    """Read a table written by ``save``; a file of another format stops with a message naming it."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            header, *rows = file.read().rstrip("\n").split("\n")
    except (OSError, EOFError) as err:
        raise InputError(path, f"cannot read the word-context table ({err}); rebuild it with "
                               "python -m build_scripts.train_language_model") from err
    if not header.startswith(FORMAT + "\t"):
        raise InputError(path, f"not a word-context table of format {FORMAT!r}")
    if f"WINDOW={WINDOW}" not in header.split("\t"):
        raise InputError(path, f"the word-context table was counted with another window than {WINDOW}; rebuild it "
                               "with python -m build_scripts.train_language_model")
    occurrences, nearby = {}, {}
    for row in rows:
        word, count, *fields = row.split("\t")
        occurrences[word] = int(count)
        nearby[word] = fields
    return WordContexts(occurrences, nearby)


@functools.lru_cache(maxsize=1)
def shipped_contexts() -> WordContexts:
    """The shipped table, loaded once."""
    return load(CONTEXTS_PATH)
