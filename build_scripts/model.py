"""The typed records that flow through the pipeline, one stage to the next.

Every stage takes a ``Report`` and returns a new one (``dataclasses.replace``);
nothing here knows how the records are made.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

THEMES = ("economy", "urban-renewal", "livelihood", "culture")


@dataclass(frozen=True)
class Correction:
    """One change the cleaner made: where, what was there, what it restored and why."""

    block: int  # block index; -1 for report metadata (original title)
    offset: int  # character offset of the spun form in the block's raw text
    spun: str
    restored: str
    rule: str  # lexicon entry id, override, or context model that decided
    score: Optional[float] = None  # log-probability margin when a model decided
    note: str = ""


@dataclass(frozen=True)
class Figure:
    """One quantity the report states, traceable to its sentence."""

    value: float  # the number as written (6145 for 6145万元)
    unit: str  # the unit as written (万元, 个, %)
    text: str  # the figure as written in the cleaned text (超4900万人次)
    label: str = ""  # what is measured (消费补贴)
    base_value: Optional[float] = None  # value in base units (61450000 for 6145万元)
    base_unit: str = ""  # 元, 人次, 个 ...
    upper: Optional[float] = None  # a range's upper bound as written (5.5 for 5%—5.5%); value is its lower bound
    base_upper: Optional[float] = None  # the upper bound in base units
    period: str = "other"  # the year ("2025"), a range ("2021-2025", "2026-2030") or "other"
    kind: str = "other"  # "result" (achieved), "plan" (target, plan, expectation) or "other"
    partial: bool = False  # a part-year span (前三季度, 1—11月)
    qualifier: str = ""  # 超, 近, 余, 以上 ...
    theme: Optional[str] = None
    block: int = -1
    start: int = 0  # span in the block's cleaned text
    end: int = 0
    sentence: str = ""


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or caption of the body, in reading order."""

    index: int
    kind: str  # "heading" | "paragraph" | "caption"
    raw: str  # as the seed has it
    text: str  # cleaned
    level: int = 0  # headings: 1 = part (回眸2024, 一、2025年工作回顾), 2 = section (（一）…), 3 = item (1. …)
    part: Optional[str] = None  # cleaned text of the part heading above
    section: Optional[str] = None  # cleaned text of the section heading above
    theme: Optional[str] = None
    tags: tuple[str, ...] = ()  # secondary themes
    theme_reason: str = ""
    figures: tuple[Figure, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of this block in the full-report page."""
        return f"p{self.index}"


@dataclass(frozen=True)
class Report:
    """One government work report article, from seed text to classified, figured blocks."""

    slug: str  # seed file stem, stable across rebuilds
    source: str  # seed path as given
    title: str
    original_title_raw: str = ""
    original_title: str = ""
    published: str = ""  # ISO 8601, as the article states (2024-12-31T00:34)
    shape: str = "article"  # "article" (news about a report session), "official" (full text) or "plain"
    place: str = ""  # the administration whose report it is, in full (厦门市思明区, 福建省)
    level: str = ""  # its level: 省, 自治区, 直辖市, 市, 州, 区, 县, 旗 … ("" when unknown)
    year: Optional[int] = None  # the year the report plans for (2025 for a report delivered in Dec 2024 or early 2025)
    delivered: str = ""  # ISO date the report was delivered to the congress (2026-01-27), when stated
    outlet: str = ""  # who published the text (来源：福建日报), when stated or given by the editor
    source_url: str = ""  # the page the text was taken from, when the editor gives it (seeds/<slug>.yml)
    official_url: str = ""  # the report as its government published it, when the editor gives it
    source_note: str = ""  # the editor's note on the text's origin, shown to readers
    presenter: str = ""  # who delivered the report (区长陈通汕)
    reporter: tuple[str, ...] = ()
    correspondent: tuple[str, ...] = ()
    photo_credit: str = ""
    editors: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    corrections: tuple[Correction, ...] = ()
    suspects: tuple[dict, ...] = field(default=())  # residual suspect words for editors

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """Body paragraphs, without headings or the photo caption."""
        return tuple(b for b in self.blocks if b.kind == "paragraph")

    def to_json(self) -> dict:
        """The public JSON contract of ``parse --json`` (documented in README.md)."""
        data = asdict(self)
        for block, source in zip(data["blocks"], self.blocks):
            block["anchor"] = source.anchor
        return data
