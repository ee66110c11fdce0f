"""Search index: Pagefind indexes the finished site, in segments that a query loads on demand.

The browser then fetches the index's entry file and only the segments of the words typed, not
one index of the whole site (which grows with every report). Pagefind's extended build splits
Chinese into words as it indexes; the pages say what to index (``data-pagefind-body``, weights
and titles: overrides/main.html). It runs on the built folder, after MkDocs and before the site
is published, so a failed index leaves the previous site as it was.
"""
from __future__ import annotations

import platform
import subprocess
from pathlib import Path

from .errors import InputError
from .settings import ROOT

# npm installs the binary of this machine's platform (package.json pins pagefind; `make deps`).
_PLATFORMS = {("Linux", "x86_64"): "linux-x64", ("Linux", "aarch64"): "linux-arm64",
              ("Darwin", "x86_64"): "darwin-x64", ("Darwin", "arm64"): "darwin-arm64"}
OUTPUT = "pagefind"  # the index's folder in the site (a reserved top-level name)
# The pages search offers sit at most two folders deep (compare/, fujian/economy/); the embed pages,
# four deep (embed/fujian/chart/<id>/), are never offered, and reading them cost a fifth of the time.
PAGES_GLOB = "{index.html,*/index.html,*/*/index.html}"


def pagefind_binary() -> Path:
    """The extended Pagefind binary (Chinese word splitting) that npm installed for this machine."""
    name = _PLATFORMS.get((platform.system(), platform.machine()))
    binary = ROOT / "node_modules" / "@pagefind" / (name or "unknown") / "bin" / "pagefind_extended"
    if not binary.is_file():
        raise InputError("package.json", f"the Pagefind binary {binary.relative_to(ROOT)} is missing: run make deps")
    return binary


def index_command(site_dir: Path) -> list[str]:
    """The command that indexes ``site_dir`` in place (into ``site_dir/pagefind``)."""
    return [str(pagefind_binary()), "--site", str(site_dir), "--output-subdir", OUTPUT, "--glob", PAGES_GLOB, "--quiet"]


def index_site(site_dir: Path) -> Path:
    """Index a built site for search; on failure one ``InputError`` naming the site folder."""
    site_dir = Path(site_dir)
    result = subprocess.run(index_command(site_dir), capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        raise InputError(site_dir, f"the search index failed: {lines[-1] if lines else 'no message'}")
    if not (site_dir / OUTPUT / "pagefind.js").is_file():
        raise InputError(site_dir, "the search index wrote no pagefind.js")
    # Pagefind also writes its ready-made interfaces; the site has its own (docs/javascripts/search.js).
    for unused in sorted((site_dir / OUTPUT).glob("pagefind-*ui.*")) + [site_dir / OUTPUT / "pagefind-highlight.js"]:
        unused.unlink(missing_ok=True)
    return site_dir / OUTPUT
