"""Benchmark of whole-site builds, as medians of repeated whole-process runs (`make bench`).

Measures: a cold build of seeds/ (no cache), a rebuild when nothing changed, a rebuild
after one report changed, builds of 1, 10 and 50 reports (copies of seeds/ under new
names, each copy edited so that it is a different report), and plain `mkdocs build` of
the exported Markdown followed by its search index (``python -m build_scripts index``), which is
what the generator costs on top of MkDocs and indexing the pages.
Results go to bench/results.json; the README quotes the last ones.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PYTHON = sys.executable


def timed(command: list[str], env: dict) -> float:
    """Wall time of one whole-process run; fails loudly if the command fails."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def median(runs: list[float]) -> float:
    """The median, rounded to milliseconds."""
    return round(statistics.median(runs), 3)


def build(site: Path) -> list[str]:
    """The build command the editors run."""
    return [PYTHON, "-m", "build_scripts", "build", "--site-dir", str(site)]


def make_seeds(folder: Path, count: int) -> Path:
    """``count`` distinct seeds made from seeds/: copies get a new name and a marker line, so none is a duplicate."""
    sources = sorted((ROOT / "seeds").glob("*.txt"))
    folder.mkdir(parents=True)
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        if n >= len(sources):
            text = text.rstrip("\n") + f"\n\n本文为基准测试副本，编号{n}。\n"
        (folder / f"{n:03d}_{source.stem}.txt").write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    """Run every measurement and write bench/results.json."""
    results: dict = {"repeat": REPEAT, "reports_in_seeds": len(list((ROOT / "seeds").glob("*.txt")))}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        env = {"EXPLAINER_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1767225600"}
        timed([PYTHON, "-m", "build_scripts", "export", str(tmp / "export")], env)
        plain_build = [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(tmp / "export" / "mkdocs.yml")]
        # The search index of the finished pages, made after MkDocs: plain MkDocs plus the index is the same site.
        plain_index = [PYTHON, "-m", "build_scripts", "index", str(tmp / "export" / "site")]
        # Cold builds and plain builds take turns, and so do rebuilds, so that a change in the load
        # of a shared machine weighs on both sides of each ratio alike.
        cold, plain = [], []
        for _ in range(REPEAT):
            cold.append(timed(build(tmp / "site") + ["--no-cache"], env))
            plain.append(timed(plain_build, env) + timed(plain_index, env))
        timed(build(tmp / "site"), env)  # fills the cache
        warm = []
        for _ in range(REPEAT):
            warm.append(timed(build(tmp / "site"), env))
            plain.append(timed(plain_build, env) + timed(plain_index, env))

        seeds = make_seeds(tmp / "changed", results["reports_in_seeds"])
        changed_env = {**env, "EXPLAINER_SEEDS": str(seeds)}
        timed(build(tmp / "site2"), changed_env)
        one_changed = []
        for n in range(REPEAT):
            victim = sorted(seeds.glob("*.txt"))[n]
            victim.write_text(victim.read_text(encoding="utf-8") + f"\n补记第{n}段。\n", encoding="utf-8")
            one_changed.append(timed(build(tmp / "site2"), changed_env))

        sizes = {}
        for count in (1, 10, 50):
            folder = make_seeds(tmp / f"n{count}", count)
            size_env = {**env, "EXPLAINER_SEEDS": str(folder)}
            runs = [timed(build(tmp / f"site{count}") + ["--no-cache"], size_env) for _ in range(REPEAT)]
            sizes[count] = median(runs)

    results.update({
        "cold_build_s": median(cold), "no_change_rebuild_s": median(warm), "one_report_changed_s": median(one_changed),
        "plain_mkdocs_build_of_export_s": median(plain),
        "cold_build_over_plain": round(median(cold) / median(plain), 2),
        "no_change_rebuild_over_plain": round(median(warm) / median(plain), 2),
        "cold_build_by_reports_s": sizes,
        "per_report_cost_50_over_10": round((sizes[50] - sizes[1]) / 49 / ((sizes[10] - sizes[1]) / 9), 2),
    })
    # Other benchmarks keep their figures in the same file (bench_clean.py under "clean").
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    RESULTS.write_text(json.dumps({**previous, **results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
