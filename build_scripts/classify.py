"""Classify stage: give each body paragraph a primary theme, secondary tags and the reason.

The rules live in ``data/themes.yml`` so an editor can read and change them:
each theme has weighted keywords and section priors. A paragraph is cut into
words by jieba (with the domain dictionary ``data/jieba_userdict.txt``); every
keyword found as whole words adds its weight to its theme (where keywords
overlap, the longest wins and the text counts once); the cleaned section
heading above the paragraph adds its prior. The highest score wins; other
themes close behind become tags, and the reason names the deciding words.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

from .errors import InputError
from .keywords import cut
from .model import THEMES, Block, Report

DATA = Path(__file__).resolve().parent / "data"
THEMES_PATH = DATA / "themes.yml"
REASON_WORDS = 8


@dataclass(frozen=True)
class Keyword:
    """A word that votes for a theme, with its weight and why it is there."""

    word: str
    weight: float
    note: str = ""


@dataclass(frozen=True)
class SectionPrior:
    """Points a theme gets when the paragraph sits under a section heading containing ``section``."""

    section: str
    weight: float
    note: str = ""


@dataclass(frozen=True)
class Theme:
    """One of the report's four themes: display texts and the rules that find it."""

    id: str
    name: str
    lead: str
    icon: str
    keywords: tuple[Keyword, ...] = ()
    section_priors: tuple[SectionPrior, ...] = ()


@dataclass(frozen=True)
class Settings:
    """When a second theme is strong enough to become a tag."""

    secondary_share: float = 0.5  # of the winning score
    secondary_min: float = 3.0  # points, so one passing mention is not a tag


@dataclass(frozen=True)
class Decision:
    """The scores of one paragraph and the evidence behind them."""

    theme: Optional[str]
    tags: tuple[str, ...]
    scores: dict
    hits: dict  # theme id → Counter of keyword → count
    section_prior: Optional[tuple[str, SectionPrior]]  # (theme id, prior) that applied
    section: str = ""  # the section heading above the paragraph


# ---------------------------------------------------------------- YAML with line numbers


class _LineLoader(yaml.SafeLoader):
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


# ---------------------------------------------------------------- loading the rules


def load_themes(path: Path = THEMES_PATH) -> tuple[Theme, ...]:
    """The four themes in display order, with their rules, from ``data/themes.yml``."""
    return _load_rules(Path(path), _mtime(path))[0]


def load_settings(path: Path = THEMES_PATH) -> Settings:
    """The thresholds for secondary tags from ``data/themes.yml``."""
    return _load_rules(Path(path), _mtime(path))[1]


def _mtime(path: Path) -> float:
    # Part of the cache key, so an edited rules file is read again (mkdocs serve).
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=8)
def _load_rules(path: Path, mtime: float) -> tuple[tuple[Theme, ...], Settings]:
    data = load_yaml(path)
    data = require_keys(path, data, {"settings", "themes"}, "top level")
    settings = _settings(path, data.get("settings") or {"__line__": data["__line__"]})
    entries = data.get("themes")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "'themes' must be a non-empty list")
    themes = tuple(_theme(path, entry, n) for n, entry in enumerate(entries, 1))
    ids = [t.id for t in themes]
    if sorted(ids) != sorted(THEMES) or len(set(ids)) != len(ids):
        raise InputError(path, f"themes must be exactly {', '.join(THEMES)} once each; found {', '.join(ids)}")
    _reject_shared_keywords(path, themes)
    return themes, settings


def _settings(path: Path, entry: dict) -> Settings:
    entry = require_keys(path, entry, {"secondary_share", "secondary_min"}, "settings")
    values = {key: require_number(path, entry, key, "settings") for key in ("secondary_share", "secondary_min")
              if key in entry}
    settings = Settings(**values)
    if settings.secondary_share > 1:
        raise InputError(path, f"{where(entry, 'settings')}: secondary_share must be at most 1")
    return settings


def _theme(path: Path, entry: object, number: int) -> Theme:
    label = f"theme #{number}"
    entry = require_keys(path, entry, {"id", "name", "lead", "icon", "keywords", "section_priors"}, label)
    theme_id = require_text(path, entry, "id", label)
    label = f"theme {theme_id}"
    if theme_id not in THEMES:
        raise InputError(path, f"{where(entry, label)}: unknown id (expected one of {', '.join(THEMES)})")
    icon = require_text(path, entry, "icon", label)
    if not icon.startswith(("material/", "fontawesome/", "octicons/", "simple/")):
        raise InputError(path, f"{where(entry, label)}: icon must be a mkdocs-material icon name like material/factory")
    if not _icon_exists(icon):
        raise InputError(path, f"{where(entry, label)}: icon {icon} is not one of mkdocs-material's bundled icons")
    keywords = entry.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        raise InputError(path, f"{where(entry, label)}: 'keywords' must be a non-empty list")
    priors = entry.get("section_priors") or []
    if not isinstance(priors, list):
        raise InputError(path, f"{where(entry, label)}: 'section_priors' must be a list")
    return Theme(
        id=theme_id,
        name=require_text(path, entry, "name", label),
        lead=require_text(path, entry, "lead", label),
        icon=icon,
        keywords=tuple(_keyword(path, k, f"{label} keyword #{n}") for n, k in enumerate(keywords, 1)),
        section_priors=tuple(_prior(path, p, f"{label} section prior #{n}") for n, p in enumerate(priors, 1)),
    )


def _icon_exists(icon: str) -> bool:
    """Whether mkdocs-material ships this icon (true when the theme is not installed, to stay usable)."""
    try:
        import material
    except ImportError:
        return True
    return (Path(material.__file__).parent / "templates" / ".icons" / f"{icon}.svg").is_file()


def _keyword(path: Path, entry: object, label: str) -> Keyword:
    entry = require_keys(path, entry, {"word", "weight", "note"}, label)
    word = require_text(path, entry, "word", label)
    if any(ch.isspace() for ch in word):
        raise InputError(path, f"{where(entry, label)}: word {word!r} contains white space")
    return Keyword(word, require_number(path, entry, "weight", label), require_text(path, entry, "note", label))


def _prior(path: Path, entry: object, label: str) -> SectionPrior:
    entry = require_keys(path, entry, {"section", "weight", "note"}, label)
    return SectionPrior(require_text(path, entry, "section", label), require_number(path, entry, "weight", label),
                        require_text(path, entry, "note", label))


def _reject_shared_keywords(path: Path, themes: Iterable[Theme]) -> None:
    owner: dict[str, str] = {}
    for theme in themes:
        for keyword in theme.keywords:
            if keyword.word in owner:
                raise InputError(path, f"keyword {keyword.word!r} is listed under both {owner[keyword.word]} "
                                       f"and {theme.id}; a word may vote for one theme only")
            owner[keyword.word] = theme.id


# ---------------------------------------------------------------- tokens and matching


def tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as jieba cuts them with the domain dictionary (shared with the keyword chips)."""
    return tuple(cut(text))


@lru_cache(maxsize=4096)
def _keyword_tokens(word: str) -> tuple[str, ...]:
    return tokens(word)


def keyword_hits(text: str, themes: tuple[Theme, ...]) -> dict[str, Counter]:
    """For each theme id, how often each of its keywords occurs in ``text`` as whole words.

    Longest keyword first, and a stretch of words counts once, so 城中村改造 is
    not also counted as 城中村 when both are keywords.
    """
    words = tokens(text)
    candidates = sorted(
        ((k.word, theme.id, _keyword_tokens(k.word)) for theme in themes for k in theme.keywords),
        key=lambda c: (-len(c[0]), -len(c[2]), c[0]),
    )
    by_first: dict[str, list] = {}
    for candidate in candidates:
        by_first.setdefault(candidate[2][0], []).append(candidate)
    hits: dict[str, Counter] = {theme.id: Counter() for theme in themes}
    i = 0
    while i < len(words):
        for word, theme_id, seq in by_first.get(words[i], ()):
            if words[i:i + len(seq)] == seq:
                hits[theme_id][word] += 1
                i += len(seq)
                break
        else:
            i += 1
    return hits


def section_prior(section: Optional[str], themes: tuple[Theme, ...]) -> Optional[tuple[str, SectionPrior]]:
    """The first (theme id, prior) whose phrase occurs in the section heading, if any."""
    if not section:
        return None
    for theme in themes:
        for prior in theme.section_priors:
            if prior.section in section:
                return theme.id, prior
    return None


# ---------------------------------------------------------------- deciding


def decide(block: Block, themes: tuple[Theme, ...], settings: Settings, section: Optional[str] = None) -> Decision:
    """Score one paragraph against every theme and pick the primary theme and tags.

    ``section`` is the cleaned heading above the paragraph (default: ``block.section``).
    """
    section = block.section if section is None else section
    hits = keyword_hits(block.text, themes)
    weights = {t.id: {k.word: k.weight for k in t.keywords} for t in themes}
    scores = {t.id: sum(weights[t.id][w] * n for w, n in hits[t.id].items()) for t in themes}
    prior = section_prior(section, themes)
    if prior:
        scores[prior[0]] += prior[1].weight
    order = [t.id for t in themes]
    # Ties go to the section's theme, then to display order: both are stable and explainable.
    ranked = sorted(order, key=lambda t: (-scores[t], 0 if prior and prior[0] == t else 1, order.index(t)))
    top = ranked[0]
    if scores[top] <= 0:
        return Decision(None, (), scores, hits, prior, section or "")
    tags = tuple(t for t in ranked[1:]
                 if scores[t] >= settings.secondary_min and scores[t] >= settings.secondary_share * scores[top]
                 and hits[t])
    return Decision(top, tags, scores, hits, prior, section or "")


def reason(decision: Decision, themes: tuple[Theme, ...]) -> str:
    """The decision in plain Chinese: which words and which section decided."""
    if decision.theme is None:
        return ""
    names = {t.id: t.name for t in themes}
    parts = []
    words = _words_by_weight(decision, decision.theme, themes)
    parts.append("关键词：" + (words or "无"))
    if decision.section_prior:
        theme_id, prior = decision.section_prior
        # The heading's first phrase (促改革添动能) names the section the way readers see it.
        heading = decision.section.split()[0] if decision.section.strip() else prior.section
        if theme_id == decision.theme:
            parts.append(f"所在章节：{heading}")
        else:
            parts.append(f"所在章节：{heading}（属{names[theme_id]}，关键词更多指向{names[decision.theme]}）")
    for tag in decision.tags:
        parts.append(f"兼及{names[tag]}：" + _words_by_weight(decision, tag, themes))
    return "；".join(parts)


def _words_by_weight(decision: Decision, theme_id: str, themes: tuple[Theme, ...]) -> str:
    weights = {k.word: k.weight for t in themes if t.id == theme_id for k in t.keywords}
    counted = decision.hits[theme_id]
    ordered = sorted(counted, key=lambda w: (-weights[w] * counted[w], w))
    words = [w if counted[w] == 1 else f"{w}×{counted[w]}" for w in ordered]
    # The strongest words decided; a long tail would only hide them.
    return "、".join(words[:REASON_WORDS]) + ("等" if len(words) > REASON_WORDS else "")


def classify_block(block: Block, themes: tuple[Theme, ...], settings: Settings,
                   section: Optional[str] = None) -> Block:
    """One block with its theme, tags and reason; only paragraphs under a part heading get a theme."""
    if block.kind != "paragraph" or block.part is None:
        return replace(block, theme=None, tags=(), theme_reason="")
    decision = decide(block, themes, settings, section)
    return replace(block, theme=decision.theme, tags=decision.tags, theme_reason=reason(decision, themes))


def cleaned_sections(report: Report) -> dict[int, Optional[str]]:
    """The cleaned text of the section heading above each block, by block index.

    Read from the heading blocks themselves, because ``Block.section`` may still
    hold the spun heading the parser saw (城区品量 for 城区品质).
    """
    sections: dict[int, Optional[str]] = {}
    current: Optional[str] = None
    for block in report.blocks:
        if block.kind == "heading":
            current = block.text if block.level >= 2 else None
        sections[block.index] = current
    return sections


def classify(report: Report) -> Report:
    """Assign a primary theme, secondary tags and the reason to every body paragraph."""
    themes, settings = load_themes(), load_settings()
    sections = cleaned_sections(report)
    return replace(report, blocks=tuple(classify_block(b, themes, settings, sections.get(b.index))
                                        for b in report.blocks))


def unused_keywords(report: Report, themes: Optional[tuple[Theme, ...]] = None) -> list[tuple[str, str]]:
    """(theme id, keyword) pairs and section priors that never fire on this report, for editors."""
    themes = themes or load_themes()
    fired: Counter = Counter()
    above = cleaned_sections(report)
    sections = set()
    for block in report.paragraphs:
        for hits in keyword_hits(block.text, themes).values():
            fired.update(hits)
        sections.add(above.get(block.index) or "")
    unused = [(t.id, k.word) for t in themes for k in t.keywords if not fired[k.word]]
    unused += [(t.id, f"章节：{p.section}") for t in themes for p in t.section_priors
               if not any(p.section in s for s in sections)]
    return unused
