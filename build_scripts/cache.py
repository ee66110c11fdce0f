"""Cache of processed reports: an unchanged seed is not parsed, cleaned, classified or measured again.

A report's record is keyed by a hash of its seed bytes, its editor overrides and the
version of the code that makes records (every module and data file of ``build_scripts``
but the page stage's, ``PAGE_STAGE``); its pages by the record's key, its address and the
whole code version. Editing a lexicon entry or a theme keyword invalidates every record;
editing a template re-renders pages from the cached records; a stale entry is never served.
Entries are pickles written atomically (temporary file, then rename), so a killed build
leaves either the old entry or the new one.

An entry is checked before it is used: it starts with ``FORMAT`` and the SHA-256 of the
pickle after it, and what it holds must be of the type its kind stores. Anything else
(a truncated or overwritten file, a pickle of another shape) is a miss: the value is made
again and the entry replaced, so one bad file never breaks a build, cached or not.
"""
from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, TypeVar

PACKAGE = Path(__file__).resolve().parent
FORMAT = b"explainer-cache-2\n"  # bump when the pickled shape changes in a way the code hash cannot see
_DIGEST_BYTES = 32

T = TypeVar("T")


# The files of build_scripts that only make pages, site-wide views and the build's wiring: a report's
# record (parse → clean → classify → figures) does not depend on them, so editing a template, a chart
# rule or the glossary re-renders pages from the cached records instead of cleaning every report again
# (as owid/etl checksums each step's own code). tests/test_cache.py checks that no other module
# imports one of these or names one of their data files.
PAGE_STAGE = ("templates/", "echarts/", "pages.py", "charts.py", "embed.py", "export.py", "headlines.py",
              "glossary.py", "compare.py", "promises.py", "places.py", "site.py", "shards.py", "hooks.py", "markdown_export.py",
              "search_index.py", "publish.py", "share_image.py", "cluster.py", "__main__.py", "data/charts.yml",
              "data/measures.yml", "data/headlines.yml", "data/glossary.yml", "data/retired_embeds.yml",
              "data/indicators.yml", "data/provinces.tsv")
STAGES = ("record", "all")


def in_page_stage(relative: str) -> bool:
    """Whether a file of build_scripts (path relative to it, with /) belongs to the page stage only."""
    return any(relative == entry or (entry.endswith("/") and relative.startswith(entry)) for entry in PAGE_STAGE)


@lru_cache(maxsize=2)
def code_version(stage: str = "all") -> str:
    """A hash of the build code and reviewed data a stage depends on: "record" leaves out the page stage's files."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; known: {', '.join(STAGES)}")
    digest = hashlib.sha256(FORMAT + stage.encode("ascii"))
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if stage == "record" and in_page_stage(relative):
            continue
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_key(*parts: bytes, stage: str = "all") -> str:
    """The cache key of one unit of work: its input bytes and the version of the code its stage depends on."""
    digest = hashlib.sha256(code_version(stage).encode("ascii"))
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class Cache:
    """A folder of pickled results, one file per key; ``folder=None`` disables caching."""

    def __init__(self, folder: Optional[Path]):
        self.folder = Path(folder) if folder else None
        self.hits = 0
        self.misses = 0

    def get_or_make(self, kind: str, key: str, make: Callable[[], T], expected: type = object) -> T:
        """The cached value for ``key`` (if it is an ``expected``), or ``make()``'s value, stored for next time."""
        value = self._load(kind, key, expected)  # a missing or unreadable entry is simply made again
        if value is not _MISSING:
            self.hits += 1
            return value
        self.misses += 1
        value = make()
        self.put(kind, key, value)
        return value

    def get_or_make_all(self, kind: str, keys: Sequence[str], make: Callable[[Any], T], args: Sequence[Any],
                        prepare: Optional[Callable[[], None]] = None, expected: type = object) -> list[T]:
        """``make(arg)`` for every (key, arg), from the cache where it can; the misses in parallel worker processes.

        Results come back in input order whatever finishes first, so the output does not depend on timing.
        ``make`` must be a module-level function (it is sent to the workers by name). ``prepare()``, if
        given, runs once before the workers start, when there are misses for them: what it loads
        (models, rules, tables) the workers share instead of each loading it again.
        """
        with self.batch(kind, keys, expected) as batch:
            batch.start(make, args, prepare)
            return batch.all()

    def put(self, kind: str, key: str, value) -> None:
        """Store ``value`` under ``key`` (nothing when caching is off)."""
        if self.folder is not None:
            self._store(self.folder / kind / f"{key}.pickle", value)

    def batch(self, kind: str, keys: Sequence[str], expected: type = object,
              held: Optional[Callable[[Any], Any]] = None, intact: Optional[Callable[[Any], bool]] = None) -> "Batch":
        """The values of ``keys`` found in the cache (of type ``expected``); ``Batch.start`` makes the others in workers.

        ``held(value)``, if given, is what the batch keeps of each value made, and what the cache stores:
        a lighter form of it, such as a report's share with its files waiting in the cache's spool
        (a thousand shares whole are gigabytes to read again). A value found is used only when
        ``intact(value)`` (its spooled files are still there); otherwise it is made again.
        """
        batch = Batch(self, kind, keys, held)
        for n, key in enumerate(keys):
            value = self._load(kind, key, expected)
            if value is not _MISSING and (intact is None or intact(value)):
                batch.values[n] = batch.held(value)
        return batch

    def _load(self, kind: str, key: str, expected: type = object):
        if self.folder is None:
            return _MISSING
        path = self.folder / kind / f"{key}.pickle"
        try:
            data = path.read_bytes()
            os.utime(path)  # used now: ``prune`` keeps it
        except OSError:
            return _MISSING
        return unpack(data, expected)

    def prune(self, kind: str, keep_days: float = 14) -> None:
        """Delete the entries of ``kind`` no build has used for ``keep_days`` days.

        Kinds whose keys change with every edit (the site-wide part changes with any report, a
        report's share with any template) would otherwise grow by one entry per rebuild.
        """
        if self.folder is None or not (self.folder / kind).is_dir():
            return
        oldest = time.time() - keep_days * 86400
        for entry in os.scandir(self.folder / kind):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < oldest:
                    os.unlink(entry.path)

    def _store(self, path: Path, value) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(pack(value))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


_MISSING = object()


def pack(value) -> bytes:
    """A cache entry's bytes: the format mark, the SHA-256 of the pickle, the pickle."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return FORMAT + hashlib.sha256(payload).digest() + payload


def unpack(data: bytes, expected: type = object):
    """The value of a cache entry, or ``_MISSING`` when the bytes are not an intact entry holding an ``expected``."""
    head = len(FORMAT) + _DIGEST_BYTES
    payload = data[head:]
    if not data.startswith(FORMAT) or data[len(FORMAT):head] != hashlib.sha256(payload).digest():
        return _MISSING
    try:
        value = pickle.loads(payload)
    except Exception:  # an intact pickle of classes this code no longer has (renamed, removed) is a miss too
        return _MISSING
    return value if isinstance(value, expected) else _MISSING


class Spool:
    """A folder where generated files wait on disk until a build copies them into the site, named by their SHA-256.

    A build of thousands of reports would otherwise hold every page, download and embed in memory
    while it plans its shards. Without ``kept`` the folder is the build's own (``tempfile``), deleted
    by ``close`` (or, left by a killed build, with the shard store's half-written folders). With it,
    ``kept`` is the cache's folder of waiting files, shared by the builds: a rebuild finds the files of
    unchanged reports there and writes nothing again; ``close`` deletes those no build used for
    ``KEEP_DAYS`` days.
    """

    KEEP_DAYS = 14

    def __init__(self, parent: Path, kept: bool = False):
        Path(parent).mkdir(parents=True, exist_ok=True)
        self.kept = kept
        self.folder = Path(parent) if kept else Path(tempfile.mkdtemp(prefix=".spool-", dir=parent))

    def keep(self, data: bytes) -> str:
        """Where ``data`` now waits (a file named by its digest: identical files are kept once)."""
        path = self.folder / hashlib.sha256(data).hexdigest()
        try:
            os.utime(path)  # there already: used now
        except FileNotFoundError:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)  # whole or not at all, whoever writes it first
        return str(path)

    @staticmethod
    def still_there(path: str) -> bool:
        """Whether a file a spool kept is still there (then it counts as used now)."""
        try:
            os.utime(path)
        except FileNotFoundError:
            return False
        return True

    def close(self) -> None:
        """Delete the waiting files (the site holds copies of them); in the cache, those unused for ``KEEP_DAYS`` days."""
        if not self.kept:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        oldest = time.time() - self.KEEP_DAYS * 86400
        for entry in os.scandir(self.folder):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < oldest:
                    os.unlink(entry.path)


def workers() -> int:
    """How many processes work on reports at once: one per core (EXPLAINER_WORKERS=1 turns it off)."""
    from . import settings

    wanted = settings.get("EXPLAINER_WORKERS")
    return wanted if wanted > 0 else (os.cpu_count() or 1)


class Batch:
    """Values being made: those found in the cache, and futures of worker processes for the others."""

    def __init__(self, cache: "Cache", kind: str, keys: Sequence[str], held: Optional[Callable[[Any], Any]] = None):
        self.cache, self.kind, self.keys = cache, kind, list(keys)
        self.held = held or (lambda value: value)
        self.values: dict[int, Any] = {}
        self._pending: dict[int, Any] = {}  # n → a future, or the argument when made in this process
        self._make: Optional[Callable] = None
        self._pool: Optional[ProcessPoolExecutor] = None
        self._client = None  # a Dask client, when the work goes to a cluster (EXPLAINER_SCHEDULER)

    def start(self, make: Callable[[Any], T], args: Sequence[Any], prepare: Optional[Callable[[], None]] = None,
              order: Optional[Sequence[int]] = None) -> None:
        """Make ``make(args[n])`` for every value not in the cache: in worker processes when there are several.

        The misses go to the workers in ``order`` (default: input order), so that the values the caller
        needs first are made first while it works on those it has. With a scheduler address set
        (``EXPLAINER_SCHEDULER``) they go to that Dask cluster's workers instead (``cluster``). With one
        worker (or no fork) each value is made when ``get`` asks for it.
        """
        from . import cluster, settings

        misses = [n for n in (range(len(self.keys)) if order is None else order) if n not in self.values]
        self.cache.hits += len(self.keys) - len(misses)
        self.cache.misses += len(misses)
        self._make = make
        address = settings.get("EXPLAINER_SCHEDULER")
        if address and misses:
            self._client = cluster.connect(address)
            self._pending = {n: cluster.submit(self._client, make, args[n], f"{self.kind}-{self.keys[n]}")
                             for n in misses}
            return
        count = min(workers(), len(misses))
        if count < 2 or sys.platform != "linux":
            self._pending = {n: args[n] for n in misses}
            return
        if prepare is not None:
            prepare()
        # fork: the workers start with the modules (and any loaded models) of this process, at no cost.
        # (Each worker preparing itself instead ran no faster, side by side, and took twice the CPU.)
        self._pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork"))
        self._pending = {n: self._pool.submit(make, args[n]) for n in misses}

    def get(self, n: int):
        """The n-th value, waiting for its worker if need be (and storing it in the cache)."""
        if n not in self.values:
            pending = self._pending.pop(n)
            remote = self._pool is not None or self._client is not None
            value = pending.result() if remote else self._make(pending)
            self.values[n] = self.held(value)
            self.cache.put(self.kind, self.keys[n], self.values[n])
        return self.values[n]

    def all(self) -> list:
        """Every value, in input order."""
        return [self.get(n) for n in range(len(self.keys))]

    def close(self) -> None:
        """Stop the workers (cancelling what they have not started: the build failed or finished)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            from . import cluster

            cluster.stop(self._client, self._pending.values())
            self._client = None

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
