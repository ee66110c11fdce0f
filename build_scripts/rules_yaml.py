"""Reviewed rules files in YAML: read once per version, every mapping knowing its line, checked entries.

Shared by every stage that reads a reviewed data file, so an error always names the file
and the line, and PyYAML (slow) parses each file once per build.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import InputError


# libyaml's parser when PyYAML has it (ten times faster, the same documents); the constructors stay PyYAML's.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe YAML loader that remembers the line of every mapping, for error messages."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_yaml(path: Path) -> object:
    """Read a rules YAML file; every mapping gets a ``__line__`` key; syntax errors become ``InputError``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found")
    # Parsed once per file version (PyYAML is slow and every report reads the same rules);
    # each caller gets its own copy, free to change.
    return copy.deepcopy(_parsed_yaml(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=64)
def _parsed_yaml(path: Path, mtime: int) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as err:
        raise InputError(path, f"not valid YAML: {err}") from None


def where(entry: dict, label: str) -> str:
    """How an error message names one YAML entry: its label and line."""
    return f"{label} (line {entry.get('__line__', '?')})"


def require_text(path: Path, entry: dict, key: str, label: str) -> str:
    """The non-empty string ``entry[key]``, or an ``InputError`` naming the entry."""
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, f"{where(entry, label)}: '{key}' must be a non-empty text")
    return value.strip()


def require_number(path: Path, entry: dict, key: str, label: str, positive: bool = True) -> float:
    """The number ``entry[key]``, or an ``InputError`` naming the entry."""
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (positive and value <= 0):
        kind = "a positive number" if positive else "a number"
        raise InputError(path, f"{where(entry, label)}: '{key}' must be {kind}, found {value!r}")
    return float(value)


def require_keys(path: Path, entry: object, allowed: set, label: str) -> dict:
    """``entry`` as a mapping with no unknown keys (typos must not pass silently)."""
    if not isinstance(entry, dict):
        raise InputError(path, f"{label}: expected a mapping, found {entry!r}")
    unknown = sorted(set(entry) - allowed - {"__line__"})
    if unknown:
        raise InputError(path, f"{where(entry, label)}: unknown key(s) {', '.join(unknown)}")
    return entry


def compose(text: str, path) -> "yaml.Node | None":
    """The YAML node tree of an editor's file (lines kept for messages); a syntax error becomes ``InputError``."""
    try:
        return yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise InputError(path, f"{where}not valid YAML ({getattr(err, 'problem', err)})") from None
