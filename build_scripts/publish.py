"""Publish: build the site into a staging folder and swap it in only when the build succeeded."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .errors import InputError


def build_site(config: Path, site_dir: Path) -> Path:
    """Run ``mkdocs build --strict`` into a staging folder, then replace ``site_dir`` with it.

    A failed build leaves the previous ``site_dir`` exactly as it was.
    """
    site_dir = Path(site_dir)
    staging = site_dir.with_name(f".{site_dir.name}.staging")
    retired = site_dir.with_name(f".{site_dir.name}.previous")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(staging)],
        stderr=subprocess.PIPE, text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(config, "site build failed, previous site left untouched:\n" + _errors_only(result.stderr))
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return site_dir


def _errors_only(log: str) -> str:
    lines = [line for line in log.splitlines() if line.startswith(("ERROR", "WARNING", "Error", "Aborted"))]
    return "\n".join(lines or log.splitlines()[-10:])
