"""Benchmark: theme agreement with the hand annotation of seed 000, per-theme counts, unused rules, speed."""
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
from build_scripts.classify import classify, unused_keywords  # noqa: E402
from build_scripts.glossary import unused_terms  # noqa: E402
from build_scripts.headlines import headline_figures, unused_rule_entries  # noqa: E402
from build_scripts.keywords import theme_keywords  # noqa: E402
from build_scripts.parse import parse  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
RESTORED = FIXTURES / "seed_000_restored.txt"
GOLD = FIXTURES / "seed_000_themes.tsv"


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


def main() -> None:
    """Print agreement (restored gold text and full pipeline), per-theme counts, unused rules, median time."""
    text = RESTORED.read_text(encoding="utf-8")
    report = classify(parse(text, "seed_000_restored"))
    blocks = {line: report.blocks[index] for line, index in block_lines(text, report).items()}
    with GOLD.open(encoding="utf-8") as handle:
        gold = list(csv.DictReader(handle, delimiter="\t"))
    agree, same_tags, misses = 0, 0, []
    for row in gold:
        block = blocks[int(row["line"])]
        expected = None if row["theme"] == "none" else row["theme"]
        if block.theme == expected:
            agree += 1
        else:
            misses.append((row["line"], expected, block.theme, block.theme_reason))
        if set(block.tags) == set(filter(None, row["secondary"].split(","))):
            same_tags += 1
    print(f"agreement with {GOLD.name} (primary theme): {agree}/{len(gold)} = {100 * agree / len(gold):.1f}%")
    for line, expected, got, why in misses:
        print(f"  line {line}: gold {expected}, got {got} ({why})")
    print(f"secondary tags identical to the gold: {same_tags}/{len(gold)} = {100 * same_tags / len(gold):.1f}%")
    counts = Counter(blocks[int(row["line"])].theme for row in gold)
    gold_counts = Counter(row["theme"] for row in gold)
    for theme in ("economy", "urban-renewal", "livelihood", "culture"):
        print(f"  {theme:14} classified {counts.get(theme, 0):2}  gold {gold_counts.get(theme, 0):2}")
    print(f"  {'none':14} classified {counts.get(None, 0):2}  gold {gold_counts.get('none', 0):2}")
    tagged = sum(1 for b in report.paragraphs if b.tags)
    print(f"paragraphs with secondary tags: {tagged}")
    unused = unused_keywords(report)
    print(f"rules that never fire on this report ({len(unused)}): "
          + ", ".join(f"{t}:{w}" for t, w in unused))
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    cleaned = pipeline.load_report(seed)
    cleaned_blocks = {line: cleaned.blocks[i] for line, i in block_lines(seed.read_text(encoding="utf-8"), cleaned).items()}
    agree_cleaned = sum(1 for row in gold if cleaned_blocks[int(row["line"])].theme
                        == (None if row["theme"] == "none" else row["theme"]))
    print(f"agreement on the full pipeline (cleaner's text of {seed.name}): "
          f"{agree_cleaned}/{len(gold)} = {100 * agree_cleaned / len(gold):.1f}%")
    print("headline figures on the full pipeline: " + "、".join(f"{f.text}（{f.label}）" for f in headline_figures(cleaned)))
    print(f"headline rule entries that match nothing: {unused_rule_entries(cleaned) or 'none'}")
    print(f"glossary terms absent from the cleaned report: {[t.term for t in unused_terms(cleaned)] or 'none'}")
    spun = classify(parse(seed.read_text(encoding="utf-8"), seed.name))
    spun_blocks = {line: spun.blocks[i] for line, i in block_lines(seed.read_text(encoding="utf-8"), spun).items()}
    agree_spun = sum(1 for row in gold if spun_blocks[int(row["line"])].theme
                     == (None if row["theme"] == "none" else row["theme"]))
    print(f"robustness, on the spun text without cleaning: {agree_spun}/{len(gold)} = {100 * agree_spun / len(gold):.1f}%")
    parsed = parse(text, "seed_000_restored")
    times = []
    for _ in range(5):
        start = time.perf_counter()
        classify(parsed)
        times.append(time.perf_counter() - start)
    print(f"classify per report, warm: median {statistics.median(times) * 1000:.0f} ms over 5 runs")
    times = []
    for _ in range(5):
        start = time.perf_counter()
        for theme in ("economy", "urban-renewal", "livelihood", "culture"):
            theme_keywords(report, theme)
        times.append(time.perf_counter() - start)
    print(f"keyword chips for the four themes, warm: median {statistics.median(times) * 1000:.0f} ms over 5 runs")


if __name__ == "__main__":
    main()
