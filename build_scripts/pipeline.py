"""The stage order, declared once: seed text → parse → clean → classify → extract figures.

Per report; the site-wide views (index, comparisons, search) are made from all the
records afterwards, in ``site.py``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from . import settings
from .cache import Cache, input_key
from .classify import classify
from .clean import clean
from .errors import InputError
from .figures import extract_figures
from .model import Report
from .parse import MAX_SEED_BYTES, parse, read_seed, seed_size_problem
from .provenance import apply_provenance, load_provenance, metadata_path

# Each stage turns one Report into the next; parse makes the first from text.
STAGES: tuple[Callable[[Report], Report], ...] = (clean, classify, extract_figures)


def run_stages(report: Report) -> Report:
    """Run every stage after parsing, in the declared order."""
    for stage in STAGES:
        report = stage(report)
    return report


def load_report(path: Path, source: Optional[str] = None) -> Report:
    """Read, parse and process one seed file; ``source`` is the path as published (default: as given).

    A problem is reported against the file as the editor named it, not its published path.
    """
    return _naming_the_seed(path, source or str(path), lambda: run_stages(_parsed(path, source or str(path))))


def outline(path: Path) -> Report:
    """One seed parsed, with its provenance, and no stage run: its place, year, shape and slug, at once."""
    source = published_path(path)
    return _naming_the_seed(path, source, lambda: _parsed(path, source))


def _parsed(path: Path, source: str) -> Report:
    return apply_provenance(parse(read_seed(path), source), load_provenance(path))


def _naming_the_seed(path: Path, source: str, work: Callable[[], Report]) -> Report:
    """``work()``, with an input problem named against the file as the editor named it."""
    try:
        return work()
    except InputError as err:
        if err.path == source:
            raise InputError(path, err.problem) from None
        raise


def seed_files(seeds_dir: Path) -> list[Path]:
    """Every ``*.txt`` seed in a folder, in file-name order, or ``InputError`` when there is none."""
    seeds = sorted(Path(seeds_dir).glob("*.txt"))
    if not seeds:
        raise InputError(seeds_dir, "no seed files (*.txt) found")
    return seeds


def published_path(path: Path) -> str:
    """The seed's path as the site publishes it: relative to the project, never a machine path."""
    path = Path(path).resolve()
    try:
        return path.relative_to(settings.ROOT).as_posix()
    except ValueError:
        return f"seeds/{path.name}"


def report_key(path: Path) -> str:
    """The cache key of one seed: its bytes, its overrides and provenance file, the settings, the code version."""
    size = Path(path).stat().st_size
    if size > MAX_SEED_BYTES:  # refused before the hash reads it into memory
        raise InputError(path, seed_size_problem(size))
    overrides = settings.get("EXPLAINER_OVERRIDES") / f"{Path(path).stem}.yml"
    provenance = metadata_path(path)
    parts = [Path(path).read_bytes(), overrides.read_bytes() if overrides.is_file() else b"",
             provenance.read_bytes() if provenance.is_file() else b"",
             published_path(path).encode("utf-8"), settings.fingerprint().encode("utf-8")]
    return input_key(*parts)


# A small report of the plain shape, processed once before the workers start (see warm_up).
WARM_UP_TEXT = ("2025年某县政府工作报告\n\n一、2024年工作回顾\n\n过去一年，全县地区生产总值增长5.2%，"
                "新建学校3所，改造老旧小区12个。\n\n二、2025年工作安排\n\n今年将新增城镇就业岗位2000个，"
                "推进文化和旅游深度融合。\n")


def warm_up() -> Report:
    """Process a small built-in report, so that every stage has loaded its rules, models and tables.

    Called in the build process before the workers fork: they then share one copy of all of it
    instead of each loading it again (about a second of work per worker).
    """
    return run_stages(parse(WARM_UP_TEXT, "warm-up.txt"))


def load_published(path: Path) -> Report:
    """One seed processed, with its path as the site publishes it (a worker's unit of work)."""
    return load_report(path, published_path(path))


def seed_paths(seeds_dir: Path) -> list[Path]:
    """Every seed file of a folder, in file-name order; ``InputError`` for none, or for a seed that is not a file."""
    paths = seed_files(seeds_dir)
    for path in paths:
        if not path.is_file():
            raise InputError(path, "not a file")
    return paths


def check_slugs(seeds_dir: Path, reports: list[Report]) -> None:
    """``InputError`` when two seeds of the folder would publish under the same address."""
    slugs = [r.slug for r in reports]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise InputError(seeds_dir, f"two seeds share the slug {duplicates[0]}; rename one file")


def load_reports(seeds_dir: Path, cache: Optional[Cache] = None) -> list[Report]:
    """Process every seed of a folder, reusing the cached record of each unchanged one; the others in parallel."""
    cache = cache or Cache(None)
    paths = seed_paths(seeds_dir)
    reports = cache.get_or_make_all("reports", [report_key(p) for p in paths], load_published, paths)
    check_slugs(seeds_dir, reports)
    return reports
