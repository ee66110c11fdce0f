"""The stage order, declared once: seed text → parse → clean → classify → extract figures.

Per report; the site-wide views (index, comparisons, search) are made from all the
records afterwards, in ``site.py``.
"""
from __future__ import annotations

import re
from dataclasses import replace
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
from .provenance import apply_provenance, load_provenance, provenance_bytes

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
    """The cache key of one seed's record: its bytes, overrides and provenance file, the settings, the record code.

    The seed's name is not part of it: the same text under another name is the same record, given its
    name again by ``as_seed``, so a copied or renamed seed is not processed again.
    """
    size = Path(path).stat().st_size
    if size > MAX_SEED_BYTES:  # refused before the hash reads it into memory
        raise InputError(path, seed_size_problem(size))
    overrides = settings.get("EXPLAINER_OVERRIDES") / f"{Path(path).stem}.yml"
    parts = [Path(path).read_bytes(), overrides.read_bytes() if overrides.is_file() else b"", provenance_bytes(path),
             settings.fingerprint().encode("utf-8")]
    return input_key(*parts, stage="record")


def as_seed(record: Report, path: Path) -> Report:
    """A record (maybe made for a seed of the same text under another name) as the record of ``path``."""
    return replace(record, slug=Path(path).stem, source=published_path(path))


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


# A seed's file name is its report's address (seeds/fujian.txt → fujian/), so it may hold only what
# every link, web server and file system takes as it is: ASCII letters, digits, - and _. A name that
# would need percent-encoding (r#1, a?b, <b>x, 福建) is refused, and so is any dot: MkDocs skips
# .hidden/, ..txt would land on the site root, sitemap.xml.txt would be a folder named like a file.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
MAX_SLUG_CHARS = 80


def slug_problem(slug: str, reserved: frozenset = frozenset()) -> Optional[str]:
    """Why a seed's name cannot be its report's address, or None when it can."""
    if len(slug) > MAX_SLUG_CHARS:
        return f"the file name is {len(slug)} characters long; its report's address takes at most {MAX_SLUG_CHARS}"
    if not SLUG.fullmatch(slug):
        return (f"the file name {slug!r} cannot be a web address: use only ASCII letters, digits, - and _ "
                f"(no dots or spaces), e.g. fujian-2026.txt")
    if slug.lower() in reserved:
        return f"the name {slug!r} is the address of the site's own {slug.lower()}/; rename the seed"
    return None


def seed_paths(seeds_dir: Path, reserved: frozenset = frozenset()) -> list[Path]:
    """Every seed file of a folder, in file-name order, each checked to be a file whose name can be an address.

    ``InputError`` naming the seed for none, a folder or a link where a seed should be, a name that cannot
    be an address or is one of ``reserved`` (the site's own top-level names, in lower case), and two names
    that differ only in case (Fujian.txt, fujian.txt: one folder on Windows and macOS hosts).
    """
    paths = seed_files(seeds_dir)
    taken: dict[str, Path] = {}
    for path in paths:
        if path.is_symlink():
            # A link would publish whatever it points to (/etc/passwd) as a report.
            raise InputError(path, "is a symbolic link; copy the report's text into the seeds folder instead")
        if not path.is_file():
            raise InputError(path, "not a file")
        if problem := slug_problem(path.stem, reserved):
            raise InputError(path, problem)
        if (other := taken.setdefault(path.stem.lower(), path)) != path:
            raise InputError(path, f"differs from {other.name} only in case, which many web hosts and file "
                                   f"systems do not tell apart; rename one of them")
    return paths


def load_reports(seeds_dir: Path, cache: Optional[Cache] = None) -> list[Report]:
    """Process every seed of a folder, reusing the cached record of each unchanged one; the others in parallel."""
    cache = cache or Cache(None)
    paths = seed_paths(seeds_dir)
    records = cache.get_or_make_all("reports", [report_key(p) for p in paths], load_published, paths, expected=Report)
    return [as_seed(record, path) for record, path in zip(records, paths)]
