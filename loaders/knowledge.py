"""Loading the knowledge kept as data: agency kinds, unit types, places.

Data files live in ``data/`` at the repository root; each is read once per
process.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEVEL_CHARS = "省市州盟区县旗镇乡"


@dataclass(frozen=True)
class AgencyKind:
    key: str
    name_en: str
    canonical: str  # canonical short form of the naming group, without the level char


@dataclass(frozen=True)
class UnitType:
    name: str
    name_en: str
    contains: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    member_suffixes: tuple[str, ...] = ()

    def matches(self, name: str) -> bool:
        return (
            any(word in name for word in self.contains)
            or name.endswith(self.suffixes)
            or name.startswith(self.prefixes)
        )


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    level: str  # province, city, district, county
    parent: str
    province: str


@lru_cache(maxsize=1)
def agency_names() -> dict[str, AgencyKind]:
    """Every name of every agency kind (level char stripped) -> its kind and canonical form."""
    with open(DATA_DIR / "agencies" / "kinds.toml", "rb") as handle:
        table = tomllib.load(handle)
    index: dict[str, AgencyKind] = {}
    for entry in table["kind"]:
        for group in entry["names"]:
            for name in group:
                index.setdefault(name, AgencyKind(entry["key"], entry["name_en"], group[0]))
    return index


@lru_cache(maxsize=1)
def kind_names_en() -> dict[str, str]:
    """Kind key -> English name."""
    return {kind.key: kind.name_en for kind in agency_names().values()}


@lru_cache(maxsize=1)
def unit_types() -> tuple[UnitType, ...]:
    with open(DATA_DIR / "agencies" / "unit_types.toml", "rb") as handle:
        table = tomllib.load(handle)
    return tuple(
        UnitType(
            name=entry["name"],
            name_en=entry["name_en"],
            contains=tuple(entry.get("contains", ())),
            suffixes=tuple(entry.get("suffixes", ())),
            prefixes=tuple(entry.get("prefixes", ())),
            member_suffixes=tuple(entry.get("member_suffixes", ())),
        )
        for entry in table["type"]
    )


@lru_cache(maxsize=1)
def national_prefixes() -> tuple[str, ...]:
    """Name starts of national bodies (``national_prefixes`` in unit_types.toml)."""
    with open(DATA_DIR / "agencies" / "unit_types.toml", "rb") as handle:
        return tuple(tomllib.load(handle).get("national_prefixes", ()))


@lru_cache(maxsize=1)
def divisions() -> dict[str, list[Division]]:
    """Administrative division name -> every division of that name (names repeat across China)."""
    index: dict[str, list[Division]] = {}
    with open(DATA_DIR / "places" / "divisions.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            division = Division(row["adcode"], row["name"], row["level"], row["parent"], row["province"])
            index.setdefault(division.name, []).append(division)
    return index


@lru_cache(maxsize=1)
def province_abbreviations() -> dict[str, str]:
    """One-character abbreviation of a province's document numbers -> province (鄂 -> 湖北省)."""
    with open(DATA_DIR / "places" / "province_abbreviations.tsv", encoding="utf-8", newline="") as handle:
        return {row["abbreviation"]: row["province"] for row in csv.DictReader(handle, delimiter="\t")}


@lru_cache(maxsize=1)
def division_stems() -> dict[str, str]:
    """Short forms people write (鄂州, 仙桃, 湖北) -> full division name.

    A short form shared by several divisions (大同: 大同市 and 大同区) means the
    higher one: plans name cities by their short form far more than districts.
    """
    rank = {"province": 0, "city": 1, "county": 2, "district": 3}
    stems: dict[str, str] = {}
    for name, entries in divisions().items():
        stem = division_stem(name)
        if len(stem) < 2:
            continue
        current = stems.get(stem)
        if current is None or rank[entries[0].level] < rank[divisions()[current][0].level]:
            stems[stem] = name
    return stems


_DIVISION_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
                      "省", "市", "区", "县", "州", "盟", "旗")


# The peoples an autonomous division is named for, after its place name: 琼中|黎族苗族|自治县.
_PEOPLES_RE = re.compile(r"^(.{2,}?)(?:[^族]{1,4}族)+$")


def division_stem(name: str) -> str:
    """'鄂州市' -> '鄂州'; '广西壮族自治区' -> '广西'; '琼中黎族苗族自治县' -> '琼中' (written 琼中县)."""
    for suffix in _DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                peoples = _PEOPLES_RE.match(stem)
                stem = peoples.group(1) if peoples else stem
            return stem
    return name


@lru_cache(maxsize=1)
def not_plans() -> frozenset[str]:
    """Names (without extension, upper case) of the files a folder of plans holds that are not plans:
    its README, LICENSE … (``data/folders.toml``).

    >>> "README" in not_plans()
    True
    """
    with open(DATA_DIR / "folders.toml", "rb") as handle:
        return frozenset(name.upper() for name in tomllib.load(handle)["not_plans"])
