"""Provenance an editor states beside a seed: who published the text, where it came from, where the official report is.

A seed says what it says about itself (parse.py reads 来源, 发布时间, the byline); what it does
not say, an editor writes in ``seeds/<seed name>.yml`` next to it, for example::

    outlet: 福建日报                                   # who published this text
    source_url: https://www.example.gov.cn/a.html      # the page this text was taken from
    official_url: https://www.example.gov.cn/b.html    # the report as its government published it
    note: 转载稿没有注明原发媒体。                      # shown to readers as is

Every key is optional; unknown keys, empty or non-text values and addresses other than
http(s) stop the build with the file and line. The file is not a seed (seeds are ``*.txt``).
URLs are data: they are validated here and escaped wherever a page shows them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import rules_yaml
from .errors import InputError
from .markup import drop_unshowable
from .model import Report

KEYS = ("outlet", "source_url", "official_url", "note")
URL_KEYS = ("source_url", "official_url")
MAX_CHARS = {"outlet": 40, "source_url": 2000, "official_url": 2000, "note": 300}
# The four values take 4,340 characters at most; the rest of a file is comments. A bigger file is not
# an editor's note (71 MB was once accepted) and is refused before it is read.
MAX_FILE_BYTES = 64_000
# Characters a URL never needs and an HTML attribute or a Markdown link could trip over.
_URL_FORBIDDEN = re.compile(r"[\s\"'<>\\`{}|^\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Provenance:
    """What an editor states about one seed's origin (empty strings: not stated)."""

    path: str = ""
    outlet: str = ""
    source_url: str = ""
    official_url: str = ""
    note: str = ""


def metadata_path(seed: Path) -> Path:
    """Where the editor's provenance file of a seed lives: beside it, same name, ``.yml``."""
    return Path(seed).with_suffix(".yml")


def url_problem(url: str) -> str:
    """Why ``url`` cannot be published as a link (empty when it can): http(s), a host, nothing odd."""
    if _URL_FORBIDDEN.search(url):
        return "contains a space, quote, angle bracket or control character"
    try:
        parts = urlsplit(url)
    except ValueError as err:
        return f"is not a URL ({err})"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname or "." not in parts.hostname:
        return "has no host name"
    return ""


def parse_provenance(text: str, path: str | Path = "<provenance>") -> Provenance:
    """Parse a provenance YAML file; raise ``InputError`` naming the line of the first bad entry."""
    root = rules_yaml.compose(text, path)
    if root is None:
        return Provenance(str(path))
    if not isinstance(root, yaml.MappingNode):
        raise InputError(path, f"line {root.start_mark.line + 1}: expected a mapping of {', '.join(KEYS)}")
    values: dict[str, str] = {}
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key not in KEYS:
            raise InputError(path, f"line {line}: unknown key {key!r} (expected {', '.join(KEYS)})")
        if key in values:
            raise InputError(path, f"line {line}: {key} is given twice")
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null"):
            raise InputError(path, f"line {line}: {key} is empty (leave the key out instead)")
        # Only plain or quoted text: a number, a list or a date would be a slip of the editor.
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != "tag:yaml.org,2002:str":
            raise InputError(path, f"line {line}: {key} must be text")
        value = " ".join(drop_unshowable(value_node.value).split())
        if not value:
            raise InputError(path, f"line {line}: {key} is empty (leave the key out instead)")
        if len(value) > MAX_CHARS[key]:
            raise InputError(path, f"line {line}: {key} is longer than {MAX_CHARS[key]} characters")
        if key in URL_KEYS and (problem := url_problem(value)):
            raise InputError(path, f"line {line}: {key} {value!r} {problem}")
        values[key] = value
    return Provenance(str(path), **values)


def provenance_bytes(seed: Path) -> bytes:
    """The bytes of the provenance file beside a seed (none: empty), or ``InputError`` for a link or a file too big."""
    file = metadata_path(seed)
    if file.is_symlink():
        raise InputError(file, "is a symbolic link; write the provenance file itself beside the seed")
    if not file.is_file():
        return b""
    if (size := file.stat().st_size) > MAX_FILE_BYTES:
        raise InputError(file, f"is {size:,} bytes; a provenance file holds four short values and "
                               f"takes at most {MAX_FILE_BYTES:,}")
    return file.read_bytes()


def load_provenance(seed: Path) -> Provenance:
    """The provenance file beside a seed, or an empty one when the editor wrote none."""
    file = metadata_path(seed)
    data = provenance_bytes(seed)
    if not file.is_file():
        return Provenance()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(file, "not UTF-8 text") from None
    return parse_provenance(text, file)


def apply_provenance(report: Report, provenance: Provenance) -> Report:
    """The report with what the editor states: their outlet wins over a parsed one; the rest only they know."""
    return replace(report, outlet=provenance.outlet or report.outlet, source_url=provenance.source_url,
                   official_url=provenance.official_url, source_note=provenance.note)
