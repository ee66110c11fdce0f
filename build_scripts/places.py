"""Places: which province a report's place belongs to, from the reviewed list ``data/provinces.tsv``.

The navigation files a city's or county's report under its province and year, so that a page
carries the links of its own province's reports only, however many reports the site holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError

PROVINCES_PATH = Path(__file__).resolve().parent / "data" / "provinces.tsv"
_PROVINCE_ENDINGS = ("省", "市", "自治区", "特别行政区")
UNKNOWN = "其他地方"  # the group of places the list cannot file (a county named without its city)
UNKNOWN_CODE = "00"
# The tiers of government a reader filters by (the reports browser): each level the parser reads
# (data/parse_rules.yml, places.suffixes) belongs to one; any other level is county-level.
PROVINCIAL_LEVELS = ("省", "自治区", "直辖市")
CITY_LEVELS = ("市", "州", "盟", "地区")


def tier(level: str) -> str:
    """The tier of a level of government: provincial (省, 自治区, 直辖市), city (市, 州, 盟, 地区) or county."""
    if level in PROVINCIAL_LEVELS:
        return "provincial"
    return "city" if level in CITY_LEVELS else "county"


@dataclass(frozen=True)
class Province:
    """One provincial-level division: its full and short names and the divisions under it."""

    name: str
    short: str
    code: str  # GB/T 2260's two digits (35 for 福建省): ASCII, stable, for file names
    divisions: tuple[str, ...]


def load_provinces(path: Path = PROVINCES_PATH) -> tuple[Province, ...]:
    """The provinces in the list's (official) order; a malformed or repeated entry stops the build naming its line."""
    return _load(Path(path))


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Province, ...]:
    provinces, seen = [], {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{path}:{number}"
        columns = line.split("\t")
        if len(columns) != 5 or not all(c.strip() == c for c in columns):
            raise InputError(where, "expected 5 tab-separated columns without spaces around them: "
                                    "province, short name, code, divisions, note")
        name, short, code, divisions, note = columns
        if not name.endswith(_PROVINCE_ENDINGS) or not short or not name.startswith(short) or not note:
            raise InputError(where, f"{name!r}: a province's full name ends in 省, 市, 自治区 or 特别行政区, "
                                    f"starts with its short name, and has a note")
        if not (len(code) == 2 and code.isdigit()):
            raise InputError(where, f"{name!r}: the code is the two digits of GB/T 2260 (35 for 福建省), found {code!r}")
        names = tuple(d for d in divisions.split("、") if d) if divisions else ()
        for entry in (name, short, code, *names):
            if entry in seen:
                raise InputError(where, f"{entry!r} is listed already on line {seen[entry]}")
            seen[entry] = number
        provinces.append(Province(name, short, code, names))
    return tuple(provinces)


def province_of(place: str, provinces: tuple[Province, ...] | None = None) -> str:
    """The full name of the province ``place`` is in (厦门市思明区 → 福建省), or "" when the list cannot tell."""
    provinces = load_provinces() if provinces is None else provinces
    if not place:
        return ""
    for province in provinces:  # a province's own name first: 北京市朝阳区 is not 辽宁省's 朝阳市
        if place.startswith(province.name) or place == province.short:
            return province.name
    matches = [(len(d), p.name) for p in provinces for d in p.divisions if place.startswith(d)]
    return max(matches)[1] if matches else ""


def filed_under(place: str, provinces: tuple[Province, ...] | None = None) -> tuple[str, str]:
    """The (code, name) of the province ``place`` is filed under: ("35", 福建省), or ("00", 其他地方) when unknown."""
    provinces = load_provinces() if provinces is None else provinces
    name = province_of(place, provinces)
    return next(((p.code, p.name) for p in provinces if p.name == name), (UNKNOWN_CODE, UNKNOWN))


def province_code(place: str, provinces: tuple[Province, ...] | None = None) -> str:
    """The two-digit code of the province ``place`` is in (厦门市思明区 → 35), or "00" when the list cannot tell."""
    return filed_under(place, provinces)[0]


def filing_order() -> list[tuple[str, str]]:
    """Every province as (code, name) in the official order, the places the list cannot file last."""
    return [(p.code, p.name) for p in load_provinces()] + [(UNKNOWN_CODE, UNKNOWN)]
