"""Publish: build the site into a staging folder and swap it in only when the build succeeded.

Beside the site folder ``site/`` live (``site`` stands for whatever the folder is called):

- ``.site.lock`` — an OS lock file (``fcntl.flock``): one build at a time per site folder.
  The kernel drops the lock when its process dies, even by SIGKILL, so a killed build never
  blocks the next one. The file itself is never deleted (deleting a lock file races with a
  process that has just opened it).
- ``.site.staging-XXXX`` — one fresh staging folder per build (``tempfile.mkdtemp``).
- ``.site.previous`` — the old site during the swap.

The swap is three steps, each leaving a state that ``recover`` repairs at the start of the next build:

1. ``retire``: rename ``site`` → ``.site.previous``. Crash here: no ``site``, ``.site.previous`` is
   complete → recover renames it back (the new build is lost, the old site is not).
2. ``promote``: rename staging → ``site``. Crash here: ``site`` is new and complete, ``.site.previous``
   is left over → recover deletes it.
3. ``discard_previous``: delete ``.site.previous``. Crash here: as after step 2.

Renames within one folder are atomic, so no step leaves a half-renamed folder. Staging folders
left by killed builds are deleted by the next build, which holds the lock and so knows they are dead.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from .errors import InputError

# A second build waits for the first rather than failing: both were asked for, and waiting makes
# both succeed with the later one published last. Bounded, so a hung build cannot block forever;
# ten minutes is several times what a full build takes.
LOCK_WAIT_SECONDS = 600.0
_POLL_SECONDS = 0.1
# mkdocs logs "ERROR    -  message" and, in strict mode, aborts on "WARNING  -  message" too;
# "Error: message" comes from click on a bad command line or config.
_ERROR_LINE = re.compile(r"^(?:ERROR\s+-|Error:)\s+(.*)$")
_WARNING_LINE = re.compile(r"^WARNING\s+-\s+(.*)$")
# MkDocs prefaces an error raised while it reads a page with this line; the cause follows on the next.
_READING_PAGE = re.compile(r"^Error reading page '[^']*':\s*$")
# A pipeline error message starts with the file it is about: "seeds/x.txt: problem".
_NAMED_PROBLEM = re.compile(r"^(\S[^:\n]*?): (.+)$")


def lock_path(site_dir: Path) -> Path:
    """The lock file of a site folder: ``.site.lock`` beside ``site/``."""
    return site_dir.with_name(f".{site_dir.name}.lock")


def previous_path(site_dir: Path) -> Path:
    """Where the old site waits during the swap: ``.site.previous`` beside ``site/``."""
    return site_dir.with_name(f".{site_dir.name}.previous")


def staging_prefix(site_dir: Path) -> str:
    """The name prefix of this site folder's staging folders."""
    return f".{site_dir.name}.staging"


def mkdocs_command(config: Path, out_dir: Path) -> list[str]:
    """The command that builds the site into ``out_dir`` (tests replace it with a small script)."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
            "--site-dir", str(out_dir)]


def build_site(config: Path, site_dir: Path, *, wait: float = LOCK_WAIT_SECONDS,
               env: Optional[dict] = None) -> Path:
    """Build the site into a fresh staging folder, then swap it in place of ``site_dir``.

    Holds the site folder's lock throughout; a failed build leaves the previous site as it was.
    ``env`` adds environment variables for the build process.
    """
    site_dir = Path(site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with site_lock(site_dir, wait):
        recover(site_dir)
        staging = new_staging(site_dir)
        try:
            run_build(Path(config), staging, env)
            if not (staging / "index.html").is_file():
                raise InputError(config, "the build wrote no index.html; previous site left untouched")
            retire(site_dir)
            promote(staging, site_dir)
            discard_previous(site_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return site_dir


@contextmanager
def site_lock(site_dir: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the site folder's lock; wait up to ``wait`` seconds for another build, then give up."""
    path = lock_path(site_dir)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(path)
                if time.monotonic() >= deadline:
                    raise InputError(site_dir, f"another build ({holder}) is still publishing this folder after "
                                               f"{wait:g} s; try again when it has finished (lock: {path.name})") from None
                if not told:
                    print(f"waiting for another build ({holder}) to finish publishing {site_dir} …", file=sys.stderr)
                    told = True
                time.sleep(_POLL_SECONDS)
        try:
            # Say who holds the lock, for the message of a build that waits.
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


def recover(site_dir: Path) -> None:
    """Repair what an interrupted build left: restore a retired site, drop leftovers. Call under the lock."""
    previous = previous_path(site_dir)
    if previous.exists():
        if site_dir.exists():
            shutil.rmtree(previous)          # the swap got past step 2: the new site is in place
        else:
            previous.rename(site_dir)        # the swap stopped after step 1: put the old site back
    for leftover in site_dir.parent.glob(staging_prefix(site_dir) + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


def new_staging(site_dir: Path) -> Path:
    """A fresh, empty staging folder beside the site folder, with the usual folder permissions."""
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(site_dir) + "-", dir=site_dir.parent))
    # mkdtemp makes the folder private (0700); a published site must be readable by a web server.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def retire(site_dir: Path) -> None:
    """Swap step 1: move the current site, if any, to ``.site.previous``."""
    if site_dir.exists():
        site_dir.rename(previous_path(site_dir))


def promote(staging: Path, site_dir: Path) -> None:
    """Swap step 2: move the finished staging folder to the site folder."""
    staging.rename(site_dir)


def discard_previous(site_dir: Path) -> None:
    """Swap step 3: delete the retired site."""
    shutil.rmtree(previous_path(site_dir), ignore_errors=True)


def run_build(config: Path, out_dir: Path, env: Optional[dict] = None) -> None:
    """Run the build command into ``out_dir``; on failure raise one ``InputError`` line naming the cause."""
    # MkDocs's own "Aborted with a BuildError!" goes to stdout; the editor gets our one line instead.
    result = subprocess.run(mkdocs_command(config, out_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise build_error(config, result.stderr)


def build_error(config: Path, log: str) -> InputError:
    """One error naming the file at fault: the seed or data file if the log names one, else the config."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [m.group(1) for line in lines if (m := _ERROR_LINE.match(line)) and not _READING_PAGE.match(m.group(1))]
    errors = errors or [m.group(1) for line in lines if (m := _WARNING_LINE.match(line))]
    errors = errors or [lines[-1] if lines else "the build command failed without a message"]
    more = f" (+{len(errors) - 1} more; run mkdocs build --strict to see them)" if len(errors) > 1 else ""
    named = _NAMED_PROBLEM.match(errors[0])
    if named and Path(named.group(1)).exists():
        return InputError(named.group(1), f"{named.group(2)}; previous site left untouched{more}")
    return InputError(config, f"site build failed: {errors[0]}; previous site left untouched{more}")
