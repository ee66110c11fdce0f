"""Load the reviewed data the cleaner runs on: the reverse lexicon and per-report overrides.

Both loaders refuse a malformed entry with an ``InputError`` that names the file
and the line, so an editor can fix the data without reading the code.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from . import settings
from . import rules_yaml
from .errors import InputError

DATA_DIR = Path(__file__).parent / "data"
LEXICON_PATH = DATA_DIR / "lexicon.tsv"

# always: never legitimate in report prose; likely/context: also real words, decided
# per occurrence; keep: a real word that contains a spun form and shields it.
KINDS = ("always", "likely", "context", "keep")
KEEP_MARK = "="
# Between restorations of one spun form when the spinner reaches it from several words (劣秀 from
# 优秀, by 优 → 劣, and from 良好, by 良好 → 优秀 → 劣秀): the first is the usual one, the model
# chooses in context.
ALTERNATIVE_MARK = "|"
COLUMNS = ("spun", "restored", "kind", "note")


@dataclass(frozen=True)
class Entry:
    """One lexicon row: what the spinner wrote, what the report said, how sure we are."""

    spun: str
    restored: str
    kind: str
    note: str
    line: int
    alternatives: tuple[str, ...] = ()  # other restorations the model may choose instead of ``restored``

    @property
    def restorations(self) -> tuple[str, ...]:
        """Every restoration of the spun form, the usual one first."""
        return (self.restored,) + self.alternatives

    @property
    def rule(self) -> str:
        """The rule name a correction made by this entry carries."""
        return f"lexicon:{self.line}"


@dataclass(frozen=True)
class Lexicon:
    """All entries of one lexicon file, indexed for longest-match scanning."""

    path: str
    entries: tuple[Entry, ...]
    by_spun: dict = field(default_factory=dict, compare=False, repr=False)
    # first character → candidate lengths, longest first
    lengths: dict = field(default_factory=dict, compare=False, repr=False)

    def match_at(self, text: str, start: int):
        """The longest entry whose spun form starts at ``start``, or None."""
        for length in self.lengths.get(text[start], ()):
            entry = self.by_spun.get(text[start:start + length])
            if entry is not None:
                return entry
        return None


def parse_lexicon(text: str, path: str | Path = "<lexicon>") -> Lexicon:
    """Parse lexicon TSV text; raise ``InputError`` naming the line of the first bad row."""
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != len(COLUMNS):
            raise InputError(path, f"line {number}: expected {len(COLUMNS)} tab-separated columns "
                                   f"({', '.join(COLUMNS)}), found {len(fields)}")
        spun, restored, kind, note = (f.strip() for f in fields)
        for name, value in zip(COLUMNS, (spun, restored, kind, note)):
            if not value:
                raise InputError(path, f"line {number}: the {name} column is empty")
        if kind not in KINDS:
            raise InputError(path, f"line {number}: unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
        if kind == "keep" and restored != KEEP_MARK:
            raise InputError(path, f"line {number}: a keep row must have {KEEP_MARK!r} as restored form")
        restorations = [r.strip() for r in restored.split(ALTERNATIVE_MARK)]
        if kind != "keep" and any(r in (spun, KEEP_MARK) for r in restorations):
            raise InputError(path, f"line {number}: spun and restored forms are the same ({spun!r})")
        if not all(restorations):
            raise InputError(path, f"line {number}: an alternative restored form is empty ({restored!r})")
        if len(set(restorations)) != len(restorations):
            raise InputError(path, f"line {number}: a restored form is listed twice ({restored!r})")
        if spun in first_line:
            raise InputError(path, f"line {number}: duplicate spun form {spun!r} (first on line {first_line[spun]})")
        first_line[spun] = number
        entries.append(Entry(spun, spun if kind == "keep" else restorations[0], kind, note, number,
                             tuple(restorations[1:])))
    return _indexed(str(path), tuple(entries))


def _indexed(path: str, entries: tuple[Entry, ...]) -> Lexicon:
    by_spun = {e.spun: e for e in entries}
    lengths: dict[str, set[int]] = {}
    for e in entries:
        lengths.setdefault(e.spun[0], set()).add(len(e.spun))
    ordered = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}
    return Lexicon(path, entries, by_spun, ordered)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon file, by default the one ``EXPLAINER_LEXICON`` names (each read once)."""
    return _load_cached(str(Path(path or settings.get("EXPLAINER_LEXICON")).resolve()))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str) -> Lexicon:
    file = Path(path)
    if not file.is_file():
        raise InputError(file, "lexicon file not found")
    return parse_lexicon(file.read_text(encoding="utf-8"), file)


def entries_never_matched(lexicon: Lexicon, texts: Iterable[str]) -> list[Entry]:
    """Entries whose spun form occurs in none of ``texts`` (candidates for review)."""
    corpus = "\n".join(texts)
    return [e for e in lexicon.entries if e.spun not in corpus]


# ---- per-report editor overrides -------------------------------------------------

@dataclass(frozen=True)
class Override:
    """An editor's decision for the occurrences of ``spun`` inside the snippet ``near``."""

    action: str  # "force" or "forbid"
    spun: str
    near: str
    restored: str = ""
    line: int = 0

    @property
    def rule(self) -> str:
        """The rule name a forced correction carries."""
        return f"override:{self.line}"

    def describe(self) -> str:
        """A short human description used in error messages."""
        target = f" → {self.restored!r}" if self.action == "force" else ""
        return f"{self.action} {self.spun!r}{target} near {self.near!r}"


@dataclass(frozen=True)
class Overrides:
    """The override file of one report (empty when the report has none)."""

    path: str = ""
    items: tuple[Override, ...] = ()


def overrides_path(slug: str) -> Path:
    """Where the override file of the report ``slug`` lives."""
    return settings.get("EXPLAINER_OVERRIDES") / f"{slug}.yml"


def load_overrides(path: str | Path) -> Overrides:
    """Read a per-report override file; a missing file means no overrides."""
    file = Path(path)
    if not file.is_file():
        return Overrides(str(file))
    return parse_overrides(file.read_text(encoding="utf-8"), file)


def parse_overrides(text: str, path: str | Path = "<overrides>") -> Overrides:
    """Parse override YAML (``force:``/``forbid:`` lists); errors name the line."""
    root = rules_yaml.compose(text, path)
    if root is None:
        return Overrides(str(path))
    if not isinstance(root, yaml.MappingNode):
        raise InputError(path, f"line {root.start_mark.line + 1}: expected a mapping with force: and forbid: lists")
    items: list[Override] = []
    for key_node, value_node in root.value:
        action = key_node.value
        line = key_node.start_mark.line + 1
        if action not in ("force", "forbid"):
            raise InputError(path, f"line {line}: unknown key {action!r} (expected force or forbid)")
        if isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null"):
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            raise InputError(path, f"line {line}: {action} must be a list")
        for item in value_node.value:
            items.append(_override(action, item, path))
    return Overrides(str(path), tuple(items))


def _override(action: str, node, path) -> Override:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise InputError(path, f"line {line}: each {action} entry must be a mapping")
    fields = {k.value: v.value for k, v in node.value if isinstance(v, yaml.ScalarNode)}
    needed = ("spun", "restored", "near") if action == "force" else ("spun", "near")
    allowed = set(needed) | {"note"}
    for name in fields:
        if name not in allowed:
            raise InputError(path, f"line {line}: unknown field {name!r} in a {action} entry")
    for name in needed:
        if not str(fields.get(name, "")).strip():
            raise InputError(path, f"line {line}: {action} entry needs a non-empty {name}")
    spun, near = str(fields["spun"]), str(fields["near"])
    if spun not in near:
        raise InputError(path, f"line {line}: near {near!r} does not contain the spun form {spun!r}")
    restored = str(fields.get("restored", ""))
    if action == "force" and restored == spun:
        raise InputError(path, f"line {line}: force entry restores {spun!r} to itself")
    return Override(action, spun, near, restored, line)
