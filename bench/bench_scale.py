"""Benchmark at national scale (issue 21): synthetic sites of 23, 230 and 1,000 distinct reports.

Each synthetic report is a real text (the corpus's 22 provincial reports and the seed article)
moved to another place and year: the province's name becomes one of its cities or prefectures
(build_scripts/data/provinces.tsv), the title gets one of five years, and a numbered line makes
every text distinct, so no two reports share a slug, a place and year, or their text.

Measured per size: a cold build (no cache), a rebuild after one report is added, the peak memory
of the largest build process, the site's size, the largest and the median page, and the bytes a
first search fetches (gzipped, in Chromium, when Playwright and /usr/bin/chromium are there).
Results go to bench/results.json under "scale". BENCH_SCALE_SIZES=23,230 runs fewer sizes;
BENCH_SCALE_REPEAT (default 3 at 23 reports, 1 above) sets the runs whose median is reported.
"""
from __future__ import annotations

import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_scripts.places import load_provinces  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
CORPUS = ROOT.parent / "shared" / "corpus" / "official-2026"
PYTHON = sys.executable
SIZES = [int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "23,230,1000").split(",")]
YEARS = (2026, 2025, 2024, 2023, 2022)
QUERY = "托育"


def sources() -> list[tuple[Path, str]]:
    """The real texts to copy, each with the province whose report it is ("" for the seed article)."""
    provinces = {p.name for p in load_provinces()}
    found = []
    for path in sorted({p.name: p for p in [*CORPUS.glob("*.txt"), *(ROOT / "seeds").glob("*.txt")]}.values()):
        head = path.read_text(encoding="utf-8")
        counts = sorted(((head.count(name), name) for name in provinces), reverse=True)
        # A provincial report names its province again and again; the seed article, a district's, rarely.
        found.append((path, counts[0][1] if counts[0][0] >= 3 else ""))
    return found


def synthetic_text(text: str, province: str, place: str, year: int, n: int) -> str:
    """A real report moved to ``place`` and ``year``, with a line that makes it unique."""
    if province and place != province:
        text = text.replace(province, place).replace("全省", "全市")
    if province:
        text = text.replace(f"2026年{place}政府工作报告", f"{year}年{place}政府工作报告", 1)
    return text.rstrip("\n") + f"\n\n本文为规模测试样本，编号{n}。\n"


def make_site_seeds(folder: Path, count: int) -> list[Path]:
    """``count`` distinct seeds: every (source, place, year) once, cycling through the sources."""
    provinces = {p.name: p for p in load_provinces()}
    plans = []
    for year in YEARS:
        for k in range(40):
            for path, province in sources():
                places = [province, *provinces[province].divisions] if province else [""]
                if k < len(places) and (province or (k == 0 and year == YEARS[0])):
                    plans.append((path, province, places[k], year))
    if len(plans) < count:
        raise SystemExit(f"only {len(plans)} distinct synthetic reports can be made, {count} asked")
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for n, (path, province, place, year) in enumerate(plans[:count]):
        seed = folder / f"r{n:04d}-{path.stem}.txt"
        seed.write_text(synthetic_text(path.read_text(encoding="utf-8"), province, place, year, n), encoding="utf-8")
        made.append(seed)
    return made


def timed_build(site: Path, env: dict, cold: bool) -> tuple[float, float]:
    """Wall time of one build and the peak resident memory (MB) of its largest process."""
    command = [PYTHON, "-m", "build_scripts", "build", "--site-dir", str(site)] + (["--no-cache"] if cold else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-2000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return elapsed, peak


def site_figures(site: Path) -> dict:
    """Size of the site, and of its largest and median HTML page, in KB."""
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = sorted(p.stat().st_size for p in files if p.suffix == ".html")
    largest = max((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
    return {"site_mb": round(sum(p.stat().st_size for p in files) / 1e6, 1),
            "largest_page_kb": round(largest.stat().st_size / 1024, 1),
            "largest_page": str(largest.relative_to(site)),
            "median_page_kb": round(statistics.median(pages) / 1024, 1)}


def first_search_kb(site: Path):
    """Gzipped KB a first search for QUERY fetches from the search index, in Chromium; None without it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_ARGS, serve

    fetched = []
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url, wait_until="networkidle")
        page.on("response", lambda r: fetched.append(r.body()) if "/search/" in r.url else None)
        page.click(".md-search__input")
        page.keyboard.insert_text(QUERY)
        page.wait_for_selector(".md-search-result__item a", timeout=60000)
        page.wait_for_timeout(1000)
        browser.close()
    return round(sum(len(gzip.compress(body, 6)) for body in fetched) / 1024, 1)


def measure(count: int, tmp: Path) -> dict:
    """Every figure for a site of ``count`` reports."""
    repeat = int(os.environ.get("BENCH_SCALE_REPEAT", "3" if count <= 23 else "1"))
    seeds = tmp / f"seeds{count}"
    made = make_site_seeds(seeds, count + 1)
    extra = made[-1].read_bytes()
    made[-1].unlink()  # the report "added" later
    env = {"EXPLAINER_SEEDS": str(seeds), "EXPLAINER_CACHE": str(tmp / f"cache{count}")}
    site = tmp / f"site{count}" / "site"
    cold = [timed_build(site, env, cold=True) for _ in range(repeat)]
    timed_build(site, env, cold=False)  # fills the cache
    added = []
    for n in range(repeat):
        extra_seed = seeds / f"zz-added-{n}.txt"
        extra_seed.write_bytes(extra.replace("编号".encode(), f"追加{n}编号".encode()))
        added.append(timed_build(site, env, cold=False))
    figures = {
        "reports": count,
        "cold_build_s": round(statistics.median(t for t, _ in cold), 1),
        "cold_build_per_report_s": round(statistics.median(t for t, _ in cold) / count, 3),
        "one_report_added_s": round(statistics.median(t for t, _ in added), 1),
        "peak_memory_mb": round(max(m for _, m in cold + added)),
        **site_figures(site),
        "first_search_kb_gz": first_search_kb(site),
    }
    figures["one_added_over_cold"] = round(figures["one_report_added_s"] / figures["cold_build_s"], 2)
    figures["site_mb_per_report"] = round(figures["site_mb"] / (count + repeat), 3)
    shutil.rmtree(tmp / f"site{count}", ignore_errors=True)
    return figures


def main() -> None:
    """Run every size and write bench/results.json under "scale"."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            results[str(count)] = measure(count, Path(tmp))
            print(json.dumps(results[str(count)], ensure_ascii=False), flush=True)
    if "23" in results:
        base = results["23"]
        for figures in results.values():
            figures["per_report_cost_over_23"] = round(figures["cold_build_per_report_s"] / base["cold_build_per_report_s"], 2)
            figures["site_size_per_report_over_23"] = round(figures["site_mb_per_report"] / base["site_mb_per_report"], 2)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    RESULTS.write_text(json.dumps({**previous, "scale": results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for count, figures in results.items():
        print(count, json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
