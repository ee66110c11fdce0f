"""Publish: build the site into a staging folder and swap it in only when the build succeeded.

Beside the site folder ``site/`` live (``site`` stands for whatever the folder is called):

- ``.site.lock`` — an OS lock file (``fcntl.flock``): one build at a time per site folder.
  The kernel drops the lock when its process dies, even by SIGKILL, so a killed build never
  blocks the next one. The file itself is never deleted (deleting a lock file races with a
  process that has just opened it).
- ``.site.staging-XXXX`` — one fresh staging folder per build (``tempfile.mkdtemp``).
- ``.site.previous`` — the old site during the swap.
- ``.site.discarded-XXXX`` — a retired site or leftover that could not be deleted (a read-only entry the
  build may not make writable, a busy mount). It is moved out of the way, with a ``warning:`` line, so
  it cannot block the next swap; every later build tries again to delete it.

The swap is three steps, each leaving a state that ``recover`` repairs at the start of the next build:

1. ``retire``: rename ``site`` → ``.site.previous``. Crash here: no ``site``, ``.site.previous`` is
   complete → recover renames it back (the new build is lost, the old site is not).
2. ``promote``: rename staging → ``site``. Crash here: ``site`` is new and complete, ``.site.previous``
   is left over → recover deletes it.
3. ``discard_previous``: delete ``.site.previous``. Crash here: as after step 2.

Renames within one folder are atomic, so no step leaves a half-renamed folder. Staging folders
left by killed builds are deleted by the next build, which holds the lock and so knows they are dead.

Every file-system failure (a lock name taken by a folder, a site folder that is a file, a parent that
may not be written) becomes one ``InputError`` naming the path and what to do, never a traceback.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
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


def discarded_prefix(site_dir: Path) -> str:
    """The name prefix of folders moved aside because they could not be deleted."""
    return f".{site_dir.name}.discarded"


def build_command(config: Path, out_dir: Path) -> list[str]:
    """The command that builds the site into ``out_dir``, shard by shard (tests replace it with a small script)."""
    return [sys.executable, "-m", "build_scripts", "render", "--config", str(config), str(out_dir)]


def build_site(config: Path, site_dir: Path, *, wait: float = LOCK_WAIT_SECONDS,
               env: Optional[dict] = None) -> Path:
    """Build the site into a fresh staging folder, then swap it in place of ``site_dir``.

    Holds the site folder's lock throughout; a failed build leaves the previous site as it was.
    ``env`` adds environment variables for the build process.
    """
    site_dir = Path(site_dir)
    check_site_dir(site_dir)
    with site_lock(site_dir, wait):
        recover(site_dir)
        staging = new_staging(site_dir)
        try:
            run_build(Path(config), staging, env)
            if not (staging / "index.html").is_file():
                raise InputError(config, "the build wrote no index.html; previous site left untouched")
            index_search(staging)
            swap(staging, site_dir)
        finally:
            remove_tree(staging)
    return site_dir


def check_site_dir(site_dir: Path) -> None:
    """Refuse a site folder the swap cannot replace safely; make its parent folder if it is missing."""
    if site_dir.is_symlink():
        raise InputError(site_dir, "is a link; publishing replaces the folder by renaming, which would replace "
                                   "the link and not its target: give --site-dir the real folder")
    if site_dir.exists() and not site_dir.is_dir():
        raise InputError(site_dir, "is a file, not a site folder: give --site-dir a folder or a new name")
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(site_dir.parent, f"cannot hold the site folder ({err.strerror})") from None


def swap(staging: Path, site_dir: Path) -> None:
    """Steps 1–3: put the finished staging folder in place of the site; a failed step puts the old site back."""
    try:
        retire(site_dir)
        promote(staging, site_dir)
    except OSError as err:
        previous = previous_path(site_dir)
        if previous.is_dir() and not site_dir.exists():
            previous.rename(site_dir)
        raise InputError(err.filename or site_dir, f"cannot be renamed ({err.strerror}); "
                                                   f"previous site left untouched") from None
    discard_previous(site_dir)


@contextmanager
def site_lock(site_dir: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the site folder's lock; wait up to ``wait`` seconds for another build, then give up."""
    path = lock_path(site_dir)
    try:
        handle = open(path, "a+")
    except IsADirectoryError:
        raise InputError(path, "is a folder, but builds use this name as their lock file: "
                               "delete the folder and build again") from None
    except OSError as err:
        raise InputError(path, f"cannot be opened as the build's lock file ({err.strerror})") from None
    with handle:
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
            discard(previous, site_dir)      # the swap got past step 2: the new site is in place
        else:
            previous.rename(site_dir)        # the swap stopped after step 1: put the old site back
    for prefix in (staging_prefix(site_dir), discarded_prefix(site_dir)):
        for leftover in sorted(site_dir.parent.glob(prefix + "*")):
            remove_tree(leftover)            # one that still resists waits for the next build


def new_staging(site_dir: Path) -> Path:
    """A fresh, empty staging folder beside the site folder, with the usual folder permissions."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(site_dir) + "-", dir=site_dir.parent))
    except OSError as err:
        raise InputError(site_dir.parent, f"cannot take the new site's staging folder ({err.strerror}): "
                                          f"the build writes beside the site folder, so this folder must be writable") from None
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
    discard(previous_path(site_dir), site_dir)


def discard(path: Path, site_dir: Path) -> None:
    """Delete ``path``; if it resists, move it aside (with a warning) so it cannot block the next swap."""
    if remove_tree(path):
        return
    try:
        holder = Path(tempfile.mkdtemp(prefix=discarded_prefix(site_dir) + "-", dir=site_dir.parent))
        path.rename(holder / path.name)
    except OSError as err:
        raise InputError(path, f"can be neither deleted nor moved aside ({err.strerror}): delete it by hand, "
                               f"then build again") from None
    print(f"warning: {path}: could not be deleted; moved to {holder.name}, which later builds will try "
          f"again to delete", file=sys.stderr)


def remove_tree(path: Path) -> bool:
    """Delete a file tree, making its read-only folders writable on the way; True when nothing is left."""
    top = os.path.abspath(path)

    def make_writable_and_retry(function, name, _exc_info):
        # A read-only folder refuses to lose its entries (a site copied from a read-only medium, or
        # protected by hand); the tree is ours to delete, so lift that, then try once more. Only real
        # folders inside the tree are touched: never a link's target, never the folder holding the tree.
        for folder in (os.path.dirname(os.path.abspath(name)), os.path.abspath(name)):
            if (folder == top or folder.startswith(top + os.sep)) and os.path.isdir(folder) \
                    and not os.path.islink(folder):
                try:
                    os.chmod(folder, stat.S_IMODE(os.lstat(folder).st_mode) | stat.S_IRWXU)
                except OSError:
                    pass
        try:
            function(name)
        except OSError:
            pass

    if path.is_symlink() or path.is_file():
        try:
            path.unlink()
        except OSError:
            pass
    # Two passes: a folder that could not even be listed is made readable in the first, emptied in the second.
    for _ in range(2):
        if not os.path.lexists(path):
            return True
        shutil.rmtree(path, onerror=make_writable_and_retry)
    return not os.path.lexists(path)


def index_search(out_dir: Path) -> None:
    """Index the built folder for search before it is published, unless its build did (the shards' build does)."""
    from .search_index import OUTPUT, index_site

    if not (Path(out_dir) / OUTPUT / "index.json").is_file():
        index_site(out_dir)


def run_build(config: Path, out_dir: Path, env: Optional[dict] = None) -> None:
    """Run the build command into ``out_dir``; on failure raise one ``InputError`` line naming the cause."""
    # MkDocs's own "Aborted with a BuildError!" goes to stdout; the editor gets our one line instead.
    result = subprocess.run(build_command(config, out_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise build_error(config, result.stderr)


def build_error(config: Path, log: str) -> InputError:
    """One error naming the file at fault: the seed or data file if the log names one, else the config."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [m.group(1) for line in lines if (m := _ERROR_LINE.match(line)) and not _READING_PAGE.match(m.group(1))]
    errors = errors or [m.group(1) for line in lines if (m := _WARNING_LINE.match(line))]
    errors = errors or [lines[-1] if lines else "the build command failed without a message"]
    more = f" (+{len(errors) - 1} more; run python -m build_scripts render DIR to see them)" if len(errors) > 1 else ""
    named = _NAMED_PROBLEM.match(errors[0])
    if named and Path(named.group(1)).exists():
        return InputError(named.group(1), f"{named.group(2)}; previous site left untouched{more}")
    return InputError(config, f"site build failed: {errors[0]}; previous site left untouched{more}")
