"""Cache of processed reports: an unchanged seed is not parsed, cleaned, classified or measured again.

A report's entry is keyed by a hash of its seed bytes, its editor overrides and the
code version (every module and data file of ``build_scripts``), so editing a lexicon
entry, a theme keyword or a stage invalidates every entry at once and a stale record
can never be served. Entries are pickles written atomically (temporary file, then
rename), so a killed build leaves either the old entry or the new one.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, TypeVar

PACKAGE = Path(__file__).resolve().parent
FORMAT = b"explainer-cache-1"  # bump when the pickled shape changes in a way the code hash cannot see

T = TypeVar("T")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every file of the build code and its reviewed data (templates included)."""
    digest = hashlib.sha256(FORMAT)
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc"}:
            digest.update(str(path.relative_to(PACKAGE)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_key(*parts: bytes) -> str:
    """The cache key of one unit of work: its input bytes and the code version."""
    digest = hashlib.sha256(code_version().encode("ascii"))
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class Cache:
    """A folder of pickled results, one file per key; ``folder=None`` disables caching."""

    def __init__(self, folder: Optional[Path]):
        self.folder = Path(folder) if folder else None
        self.hits = 0
        self.misses = 0

    def get_or_make(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """The cached value for ``key``, or ``make()``'s value, stored for next time."""
        value = self._load(kind, key)  # a missing or unreadable entry is simply made again
        if value is not _MISSING:
            self.hits += 1
            return value
        self.misses += 1
        value = make()
        if self.folder is not None:
            self._store(self.folder / kind / f"{key}.pickle", value)
        return value

    def get_or_make_all(self, kind: str, keys: Sequence[str], make: Callable[[Any], T], args: Sequence[Any],
                        prepare: Optional[Callable[[], None]] = None) -> list[T]:
        """``make(arg)`` for every (key, arg), from the cache where it can; the misses in parallel worker processes.

        Results come back in input order whatever finishes first, so the output does not depend on timing.
        ``make`` must be a module-level function (it is sent to the workers by name). ``prepare()``, if
        given, runs once before the workers start, when there are misses for them: what it loads
        (models, rules, tables) the workers share instead of each loading it again.
        """
        values: dict[int, T] = {}
        misses = []
        for n, key in enumerate(keys):
            value = self._load(kind, key)
            if value is _MISSING:
                misses.append(n)
            else:
                values[n] = value
        self.hits += len(keys) - len(misses)
        self.misses += len(misses)
        made = _map(make, [args[n] for n in misses], prepare)
        for n, value in zip(misses, made):
            values[n] = value
            if self.folder is not None:
                self._store(self.folder / kind / f"{keys[n]}.pickle", value)
        return [values[n] for n in range(len(keys))]

    def _load(self, kind: str, key: str):
        if self.folder is None:
            return _MISSING
        try:
            with (self.folder / kind / f"{key}.pickle").open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return _MISSING

    def _store(self, path: Path, value) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


_MISSING = object()


def workers() -> int:
    """How many processes work on reports at once: one per core (EXPLAINER_WORKERS=1 turns it off)."""
    from . import settings

    wanted = settings.get("EXPLAINER_WORKERS")
    return wanted if wanted > 0 else (os.cpu_count() or 1)


def _map(make: Callable, args: list, prepare: Optional[Callable[[], None]] = None) -> list:
    """``make`` over ``args``, in worker processes when there is more than one and the platform forks."""
    count = min(workers(), len(args))
    if count < 2 or sys.platform != "linux":
        return [make(arg) for arg in args]
    if prepare is not None:
        prepare()
    # fork: the workers start with the modules (and any loaded models) of this process, at no cost.
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(make, args))
