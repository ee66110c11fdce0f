"""Cache of processed reports: an unchanged seed is not parsed, cleaned, classified or measured again.

A report's entry is keyed by a hash of its seed bytes, its editor overrides and the
code version (every module and data file of ``build_scripts``), so editing a lexicon
entry, a theme keyword or a stage invalidates every entry at once and a stale record
can never be served. Entries are pickles written atomically (temporary file, then
rename), so a killed build leaves either the old entry or the new one.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, TypeVar

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
        if self.folder is None:
            self.misses += 1
            return make()
        path = self.folder / kind / f"{key}.pickle"
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
            self.hits += 1
            return value
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a missing or unreadable entry is simply made again
        self.misses += 1
        value = make()
        self._store(path, value)
        return value

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
