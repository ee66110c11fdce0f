"""The stage order, declared once: seed text → parse → clean → classify → extract figures."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .classify import classify
from .clean import clean
from .errors import InputError
from .figures import extract_figures
from .model import Report
from .parse import parse, read_seed

# Each stage turns one Report into the next; parse makes the first from text.
STAGES: tuple[Callable[[Report], Report], ...] = (clean, classify, extract_figures)


def run_stages(report: Report) -> Report:
    """Run every stage after parsing, in the declared order."""
    for stage in STAGES:
        report = stage(report)
    return report


def load_report(path: Path) -> Report:
    """Read, parse and process one seed file."""
    return run_stages(parse(read_seed(path), str(path)))


def load_reports(seeds_dir: Path) -> list[Report]:
    """Process every ``*.txt`` seed in a folder, in file-name order."""
    seeds = sorted(Path(seeds_dir).glob("*.txt"))
    if not seeds:
        raise InputError(seeds_dir, "no seed files (*.txt) found")
    return [load_report(path) for path in seeds]
