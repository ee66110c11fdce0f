"""Benchmark: figure extraction recall and precision against the gold annotation, and its median time."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from build_scripts import pipeline  # noqa: E402
from build_scripts.charts import build_charts  # noqa: E402
from build_scripts.figures import extract_figures  # noqa: E402
from test_figures import GOLD, found_keys, gold_keys, recall_precision  # noqa: E402

SEED = ROOT / "seeds" / "000_89c8bcedadaad6b3.txt"
REPEAT = 20


def median_ms(run, repeat: int = REPEAT) -> float:
    """Median wall time of ``run()`` in milliseconds over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Print recall, precision, misses and extras, then the medians."""
    report = pipeline.load_report(SEED)
    if GOLD.exists():
        gold, found = gold_keys(SEED.read_text(encoding="utf-8"), report), found_keys(report)
        recall, precision = recall_precision(gold, found)
        print(f"figures vs gold ({sum(gold.values())} gold, {sum(found.values())} found): "
              f"recall {recall:.1%}, precision {precision:.1%}")
        for label, keys in (("missed", gold - found), ("extra", found - gold)):
            for block, value, unit in sorted(keys.elements()):
                print(f"  {label}: block {block} {value:g}{unit}")
    else:
        print(f"gold annotation {GOLD} not found; recall and precision not measured")
    print(f"extract_figures on the cleaned seed: median {median_ms(lambda: extract_figures(report)):.1f} ms "
          f"over {REPEAT} runs")
    print(f"build_charts on the seed: median {median_ms(lambda: build_charts(report)):.1f} ms over {REPEAT} runs")


if __name__ == "__main__":
    main()
