"""Every setting of the build, declared once with its type, default and help.

Settings come from environment variables so that `make site`, `mkdocs serve`
and the tests can point the same hook at other inputs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One environment setting: its name, how to read it, its default and what it does."""

    name: str
    type: type
    default: str
    help: str


SETTINGS = (
    Setting("EXPLAINER_SEEDS", Path, "seeds",
            "Folder of seed articles (*.txt, UTF-8) to publish; relative paths start at the project root."),
    Setting("EXPLAINER_OVERRIDES", Path, "build_scripts/data/overrides",
            "Folder of per-report editor overrides for the cleaner (<seed name>.yml)."),
)


def get(name: str):
    """The value of a declared setting, from the environment or its default."""
    setting = next((s for s in SETTINGS if s.name == name), None)
    if setting is None:
        raise KeyError(f"unknown setting {name}; declared: {', '.join(s.name for s in SETTINGS)}")
    value = setting.type(os.environ.get(name, setting.default))
    if isinstance(value, Path) and not value.is_absolute():
        value = ROOT / value
    return value
