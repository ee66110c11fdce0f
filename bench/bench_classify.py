"""Benchmark: theme agreement with the hand annotations — seed 000, tuned and held-out official reports.

Prints in-sample agreement (seed, tuned files) and held-out agreement (the first and the
fresh held-out set, and their union), per-theme confusion (rows: gold, columns: classified),
the misses on the tuned files, the rules that never fire, and the speed. Held-out misses
are counted, not listed, so nobody tunes on them by reading this output.
"""
from __future__ import annotations

import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts import pipeline  # noqa: E402
from build_scripts.classify import (FIRST_HELD_OUT_FILES, FRESH_HELD_OUT_FILES, HELD_OUT_FILES,  # noqa: E402
                                    NULL, TUNED_FILES, classify, confusion, gold_outcomes, load_gold,
                                    unused_keywords)
from build_scripts.model import THEMES  # noqa: E402
from build_scripts.parse import parse  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
RESTORED = FIXTURES / "seed_000_restored.txt"
SEED_GOLD = FIXTURES / "seed_000_themes.tsv"
GOLD = FIXTURES / "themes" / "gold.tsv"
CORPUS = ROOT.parent / "shared" / "corpus" / "official-2026"
LABELS = THEMES + (NULL,)
# Every corpus file the rules may be tuned on (common.md); unused rules are counted over these and the seed.
TUNABLE = ("anhui", "chongqing", "fujian", "guangxi", "guizhou", "hainan", "hebei", "heilongjiang", "henan",
           "hubei", "hunan")


def block_lines(text: str, report) -> dict[int, int]:
    """Seed line number (1-based) of every block, found by walking the lines in order."""
    lines = text.split("\n")
    found, cursor = {}, 0
    for block in report.blocks:
        while not lines[cursor].strip(" \t\u3000").startswith(block.raw):
            cursor += 1
        found[cursor + 1] = block.index
        cursor += 1
    return found


def seed_agreement(text: str, report) -> tuple[int, int, list]:
    """(agreeing rows, rows, misses) of a seed report against seed_000_themes.tsv."""
    blocks = {line: report.blocks[index] for line, index in block_lines(text, report).items()}
    with SEED_GOLD.open(encoding="utf-8") as handle:
        gold = list(csv.DictReader(handle, delimiter="\t"))
    misses = []
    for row in gold:
        block = blocks[int(row["line"])]
        expected = None if row["theme"] == "none" else row["theme"]
        if block.theme != expected:
            misses.append((row["line"], expected, block.theme, block.theme_reason))
    return len(gold) - len(misses), len(gold), misses


def print_confusion(title: str, counts: Counter) -> None:
    """A small table: one line per gold label, one column per classified label."""
    total = sum(counts.values())
    agree = sum(n for (gold, got), n in counts.items() if gold == got)
    print(f"{title}: {agree}/{total} = {100 * agree / max(total, 1):.1f}%")
    print("    gold \\ classified " + " ".join(f"{label[:8]:>8}" for label in LABELS + ("missing",)))
    for gold in LABELS:
        cells = " ".join(f"{counts.get((gold, got), 0):>8}" for got in LABELS + ("missing",))
        print(f"    {gold:18} {cells}")


def official(files: tuple[str, ...]) -> dict:
    """Corpus file stem → (report through the full pipeline, source text)."""
    return {name: (pipeline.load_report(CORPUS / f"{name}.txt"), (CORPUS / f"{name}.txt").read_text(encoding="utf-8"))
            for name in files}


def main() -> None:
    """Print agreement on the seed and the official reports, confusion, misses, unused rules and speed."""
    text = RESTORED.read_text(encoding="utf-8")
    report = classify(parse(text, "seed_000_restored"))
    agree, total, misses = seed_agreement(text, report)
    print(f"IN-SAMPLE seed 000 (restored text): {agree}/{total} = {100 * agree / total:.1f}%")
    for line, expected, got, why in misses:
        print(f"  line {line}: gold {expected}, got {got} ({why})")
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    cleaned = pipeline.load_report(seed)
    agree, total, _ = seed_agreement(seed.read_text(encoding="utf-8"), cleaned)
    print(f"seed 000 on the full pipeline (cleaner's text): {agree}/{total} = {100 * agree / total:.1f}%")
    spun = classify(parse(seed.read_text(encoding="utf-8"), seed.name))
    agree, total, _ = seed_agreement(seed.read_text(encoding="utf-8"), spun)
    print(f"robustness, on the spun text without cleaning: {agree}/{total} = {100 * agree / total:.1f}%")
    if not CORPUS.is_dir():
        print(f"official reports: corpus not found at {CORPUS}")
        return
    rows = load_gold(GOLD)
    tuned = official(TUNED_FILES)
    tuned_outcomes = gold_outcomes([r for r in rows if r.file in TUNED_FILES], tuned)
    print_confusion(f"official reports, IN-SAMPLE, tuned files ({', '.join(TUNED_FILES)})", confusion(tuned_outcomes))
    for row, block in tuned_outcomes:
        got = block.theme if block else "missing"
        if got != row.theme:
            print(f"  {row.file} {row.key}: gold {row.theme}, got {got} ({block.theme_reason if block else ''})")
    held = official(HELD_OUT_FILES)
    held_outcomes = gold_outcomes([r for r in rows if r.file in HELD_OUT_FILES], held)
    for title, files in (("first", FIRST_HELD_OUT_FILES), ("fresh", FRESH_HELD_OUT_FILES)):
        subset = [(row, block) for row, block in held_outcomes if row.file in files]
        print_confusion(f"official reports, HELD-OUT, {title} set ({', '.join(files)})", confusion(subset))
    print_confusion("official reports, HELD-OUT, union of both sets", confusion(held_outcomes))
    reports = [report] + [r for r, _ in official(TUNABLE).values()]
    unused = unused_keywords(reports)
    print(f"rules that fire on none of the seed and tunable files ({len(unused)}): "
          + ", ".join(f"{t}:{w}" for t, w in unused))
    parsed = parse(text, "seed_000_restored")
    times = []
    for _ in range(5):
        start = time.perf_counter()
        classify(parsed)
        times.append(time.perf_counter() - start)
    print(f"classify the seed, warm: median {statistics.median(times) * 1000:.0f} ms over 5 runs")
    big, _ = held["xinjiang"]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        classify(big)
        times.append(time.perf_counter() - start)
    chars = sum(len(b.text) for b in big.blocks)
    print(f"classify an official report ({chars} characters), warm: median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
