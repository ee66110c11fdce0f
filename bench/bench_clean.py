"""Benchmark of the cleaner: seed CER, held-out repair rate, false changes, speed.

Run with ``make bench`` or ``.venv/bin/python bench/bench_clean.py``. Prints medians;
it never fails the build (the bars are read by people).
"""
from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts.clean import clean, clean_text, looks_spun, spin_hits  # noqa: E402
from build_scripts.evaluation import edit_distance, gold_pairs  # noqa: E402
from build_scripts.lexicon import Overrides  # noqa: E402
from build_scripts.parse import parse, read_seed  # noqa: E402

SEED = ROOT / "seeds" / "000_89c8bcedadaad6b3.txt"
GOLD = ROOT / "tests" / "fixtures" / "seed_000_restored.txt"
CORPUS = ROOT / "bench" / "corpus"
FORWARD_TABLE = CORPUS / "forward_spinner.tsv"


def seed_cer(verbose: bool = False, with_overrides: bool = True) -> tuple[int, int]:
    """Wrong characters and total characters of the cleaned seed against the gold restoration."""
    report = parse(read_seed(SEED), str(SEED))
    report = clean(report) if with_overrides else clean(report, overrides=Overrides())
    wrong = total = 0
    for cleaned, gold, line in gold_pairs(report, GOLD.read_text(encoding="utf-8"), SEED.read_text(encoding="utf-8")):
        distance = edit_distance(cleaned, gold)
        wrong += distance
        total += len(gold)
        if verbose and distance:
            print(f"  line {line}: {distance} wrong\n    got : {cleaned}\n    gold: {gold}")
    return wrong, total


def load_forward_table() -> list[tuple[str, str]]:
    """The independent forward spinner table (original → spun), longest original first."""
    rows = []
    for raw in FORWARD_TABLE.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            original, spun = raw.split("\t")[:2]
            rows.append((original, spun))
    return sorted(rows, key=lambda r: -len(r[0]))


def spin(text: str, table: list[tuple[str, str]]) -> str:
    """Spin ``text`` with the forward table: leftmost-longest, one pass, every occurrence."""
    pattern = re.compile("|".join(re.escape(o) for o, _ in table))
    mapping = dict(table)
    return pattern.sub(lambda m: mapping[m.group()], text)


def repair_rate(texts: list[str], verbose: bool = False) -> tuple[float, int, int]:
    """Fraction of spinner damage (characters) that cleaning the spun text repairs.

    Each held-out text is spun with the forward table and cleaned line by line, the way
    ``clean`` treats a report: whether the text is spun is decided once per document.
    """
    table = load_forward_table()
    damage = remaining = 0
    for text in texts:
        lines = [line for line in text.split("\n") if line.strip()]
        spun_lines = [spin(line, table) for line in lines]
        hits = sum(spin_hits(line) for line in spun_lines)
        document_spun = looks_spun(hits, sum(len(line) for line in spun_lines))
        for line, spun_line in zip(lines, spun_lines):
            cleaned = clean_text(spun_line, spun=document_spun).text
            before, after = edit_distance(spun_line, line), edit_distance(cleaned, line)
            damage += before
            remaining += after
            if verbose and after:
                print(f"  left {after}/{before}\n    got : {cleaned}\n    orig: {line}")
    return (1 - remaining / damage) if damage else 1.0, damage, remaining


def false_changes(texts: list[str]) -> tuple[int, int]:
    """Characters changed by cleaning clean prose, and the number of characters read."""
    changed = total = 0
    for text in texts:
        for line in text.split("\n"):
            cleaned = clean_text(line).text
            changed += edit_distance(cleaned, line)
            total += len(line)
    return changed, total


def speed(text: str, runs: int = 5) -> float:
    """Median characters per second of ``clean_text`` over ``runs`` runs (jieba loaded)."""
    clean_text("思明区展开财产", spun=True)  # loads jieba before timing
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for line in text.split("\n"):
            clean_text(line, spun=True)
        rates.append(len(text) / (time.perf_counter() - start))
    return statistics.median(rates)


def corpus(prefix: str) -> list[str]:
    """Texts of bench/corpus/<prefix>*.txt, without their '#' source lines."""
    out = []
    for path in sorted(CORPUS.glob(f"{prefix}*.txt")):
        lines = [l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
        out.append("\n".join(lines))
    return out


def main(argv: list[str]) -> int:
    """Print every figure of the benchmark."""
    verbose = "-v" in argv
    wrong, total = seed_cer(verbose)
    print(f"seed CER: {wrong} wrong / {total} chars = {wrong / total:.3%}  (bar: ≤ 0.5%, under 30 wrong)")
    bare, _ = seed_cer(False, with_overrides=False)
    print(f"seed CER without the editor overrides: {bare} wrong = {bare / total:.3%}"
          "  (the lexicon was tuned on this seed, so neither figure is held out)")
    clean_texts = corpus("clean_")
    held_out = [t for path, t in zip(sorted(CORPUS.glob("clean_*.txt")), clean_texts) if "siming" not in path.name]
    rate, damage, remaining = repair_rate(held_out, verbose)
    print(f"held-out repair: {rate:.1%} of {damage} damaged chars ({remaining} left)  (bar: ≥ 90%)")
    changed, read = false_changes(clean_texts)
    per = changed / read * 2000 if read else 0.0
    print(f"false changes on clean prose: {changed} chars in {read} = {per:.2f} per 2,000  (bar: ≤ 1)")
    seed_text = "\n".join(SEED.read_text(encoding="utf-8").split("\n")) * 20
    print(f"speed: {speed(seed_text):,.0f} chars/s median of 5 runs on {len(seed_text):,} chars of spun text"
          "  (bar: ≥ 100,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
