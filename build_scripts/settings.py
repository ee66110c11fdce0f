"""Every setting of the build, declared once with its type, default and help.

Settings come from environment variables so that `make site`, `mkdocs serve`
and the tests can point the same hook at other inputs.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def flag(text: str) -> bool:
    """A yes/no setting: 1, true, yes or on (any case) mean yes; 0, false, no, off or empty mean no."""
    value = str(text).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"", "0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected 1 or 0, found {text!r}")


def public_url(text: str) -> str:
    """A public base URL (http or https, with a host), ending in one slash; empty means none is set."""
    value = str(text).strip()
    if not value:
        return ""
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in {"http", "https"} or not rest or rest.startswith("/") or any(c in value for c in ' "<>\''):
        raise ValueError(f"expected an http(s) URL such as https://example.org/reports/, found {text!r}")
    return value.rstrip("/") + "/"


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
    Setting("EXPLAINER_LEXICON", Path, "build_scripts/data/lexicon.tsv",
            "Reverse lexicon of the cleaner (TSV: spun, restored, kind, note); point it at another file to measure the cleaner without some entries."),
    Setting("EXPLAINER_CACHE", Path, ".cache/explainer",
            "Folder where processed reports and their pages are cached between builds; "
            "relative paths start at the project root."),
    Setting("EXPLAINER_WORKERS", int, "0",
            "Processes that work on reports at once in a build; 0 means one per core, 1 works in the build process."),
    Setting("EXPLAINER_SCHEDULER", str, "",
            "Address of a Dask distributed scheduler (tcp://host:8786) whose workers process the reports; "
            "empty: processes on this machine. Workers run this checkout and see the seeds at the same paths."),
    Setting("EXPLAINER_NO_CACHE", flag, "0",
            "1 forces a cold build: every report is processed again and the cache is neither read nor written."),
    Setting("EXPLAINER_SITE_URL", public_url, "",
            "Public base URL of the site (https://example.org/reports/): embed code and oEmbed JSON give absolute "
            "addresses under it; empty: they give addresses relative to the file they are in."),
)


def get(name: str):
    """The value of a declared setting, from the environment or its default."""
    setting = next((s for s in SETTINGS if s.name == name), None)
    if setting is None:
        raise KeyError(f"unknown setting {name}; declared: {', '.join(s.name for s in SETTINGS)}")
    raw = os.environ.get(name, setting.default)
    try:
        value = setting.type(raw)
    except ValueError as err:
        raise ValueError(f"setting {name}: {err}") from None
    if isinstance(value, Path) and not value.is_absolute():
        value = ROOT / value
    return value


# Settings that choose where inputs and outputs live, not what a report's record holds.
_NOT_CONTENT = {"EXPLAINER_SEEDS", "EXPLAINER_CACHE", "EXPLAINER_NO_CACHE", "EXPLAINER_OVERRIDES", "EXPLAINER_WORKERS",
                "EXPLAINER_SITE_URL", "EXPLAINER_SCHEDULER"}


def fingerprint() -> str:
    """The settings that shape a report's record, with the bytes of the files they name, as one hash."""
    digest = hashlib.sha256()
    for setting in SETTINGS:
        if setting.name in _NOT_CONTENT:
            continue
        value = get(setting.name)
        digest.update(f"{setting.name}={value}".encode("utf-8"))
        if isinstance(value, Path) and value.is_file():
            digest.update(value.read_bytes())
    return digest.hexdigest()
