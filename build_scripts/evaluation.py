"""How well the cleaner restored a seed, measured against a line-for-line gold restoration.

Shared by the tests and `make bench`, so both count wrong characters the same way.
"""
from __future__ import annotations

from .model import Report
from .parse import BLANKS, BYLINE, ORIGINAL_TITLE


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings, in characters."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def gold_pairs(report: Report, gold_text: str, seed_text: str) -> list[tuple[str, str, int]]:
    """(cleaned, gold, seed line number) for every block and the original title.

    Line N of the gold restores line N of the seed; the closing byline, which the
    parser lifts out of the last paragraph, is cut from the gold line as well.
    """
    gold_lines = [line.strip(BLANKS) for line in gold_text.split("\n")]
    seed_lines = [line.strip(BLANKS) for line in seed_text.split("\n")]
    pairs = []
    for block in report.blocks:
        index = next(i for i, line in enumerate(seed_lines) if line.startswith(block.raw))
        gold = gold_lines[index]
        if len(block.raw) < len(seed_lines[index]) and (match := BYLINE.search(gold)):
            gold = gold[:match.start()].rstrip(BLANKS)
        pairs.append((block.text, gold, index + 1))
    for number, line in enumerate(gold_lines, 1):
        if match := ORIGINAL_TITLE.match(line):
            pairs.append((report.original_title, match.group(1).strip(), number))
    return pairs


def character_errors(report: Report, gold_text: str, seed_text: str) -> tuple[int, int]:
    """Wrong characters of the cleaned report against the gold, and the gold's length."""
    pairs = gold_pairs(report, gold_text, seed_text)
    return sum(edit_distance(cleaned, gold) for cleaned, gold, _ in pairs), sum(len(gold) for _, gold, _ in pairs)
