"""Benchmark: pipeline time per report and whole-site build time, as medians of repeated runs."""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts import pipeline  # noqa: E402


def median_seconds(run, repeat: int) -> float:
    """Median wall time of ``run()`` over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the medians."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    pipeline.load_report(seed)  # warm up: jieba's dictionary loads once per process
    stages = median_seconds(lambda: pipeline.load_report(seed), 5)
    print(f"pipeline (parse → figures) per report, warm: median {stages * 1000:.0f} ms over 5 runs")
    with tempfile.TemporaryDirectory() as tmp:
        build = lambda: subprocess.run([sys.executable, "-m", "build_scripts", "build", "--site-dir", f"{tmp}/site"],
                                       cwd=ROOT, check=True, capture_output=True)
        print(f"whole site build (fresh process, mkdocs --strict): median {median_seconds(build, 3):.1f} s over 3 runs")


if __name__ == "__main__":
    main()
