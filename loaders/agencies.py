"""Who a unit in a note is: its canonical scoped name, its kind, its type, its members.

Agencies are scoped by the government they belong to: 市科技局 in a plan of
鄂州市 is 鄂州市科技局. Kinds and aliases come from ``data/agencies/kinds.toml``;
unit types from ``data/agencies/unit_types.toml``.

>>> gov = Government(province="湖北省", city="鄂州市")
>>> unit = resolve_unit("市发展和改革委员会", gov)
>>> (unit.canonical, unit.kind, unit.type)
('鄂州市发改委', '发改委', 'agency')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from loaders.knowledge import LEVEL_CHARS, agency_names, division_stem, national_prefixes, unit_types

GOVERNMENT_SUFFIXES = ("人民政府", "政府", "办事处", "管委会")


@dataclass(frozen=True)
class Government:
    """The governments a document's units can belong to, by level character."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    county: str | None = None

    def for_level_char(self, char: str) -> str | None:
        return {"省": self.province, "市": self.city, "州": self.city,
                "区": self.district, "县": self.county}.get(char)

    def own(self) -> str | None:
        """The government that issued the plan: the lowest level known."""
        return self.district or self.county or self.city or self.province


@dataclass(frozen=True)
class ResolvedUnit:
    canonical: str
    kind: str | None
    kind_en: str | None
    type: str
    collective: bool
    government: str | None
    national: bool = False


@lru_cache(maxsize=8192)
def unit_type(name: str) -> str:
    """Type of a unit from the ordered rules of unit_types.toml; 'agency' if none match."""
    for candidate in unit_types():
        if candidate.matches(name):
            return candidate.name
    return "agency"


@lru_cache(maxsize=8192)
def resolve_unit(name: str, government: Government, level: str = "") -> ResolvedUnit:
    """Canonical name, kind and type of a unit as written (normalised text); pure, so cached.

    ``level`` is the level character a list gave the unit: in 省商务厅、财政厅 the 财政厅 is the
    province's, in 市税务局、财政局 (a district plan) the 财政局 the city's.

    >>> resolve_unit("财政局", Government(city="青萍市", district="澄湖区"), level="市").canonical
    '青萍市财政局'
    """
    names = agency_names()
    written = level + name if level and level in LEVEL_CHARS and name[:1] not in LEVEL_CHARS else name
    level_char, body, owner = _split_government(written, government)
    kind = names.get(body) if level_char else None
    whole = names.get(name) if kind is None else None  # 市场监管局: the level char is part of the name
    type_ = unit_type(name)
    if (kind or whole) is not None and type_ not in ("party", "collective", "government", "association"):
        type_ = "agency"  # a known agency kind wins over a suffix rule
    if kind is not None:
        canonical = (division_stem(owner) if owner else "") + level_char + kind.canonical
    elif whole is not None:
        kind, owner = whole, government.own()
        canonical = (owner or "") + whole.canonical
    elif level_char and owner:
        canonical = division_stem(owner) + level_char + body
    elif type_ == "collective" and government.own():
        owner = government.own()
        canonical = owner + name
    elif _is_national(name, government):
        canonical, owner = name, None
    else:
        canonical, owner = name, owner or government.own()
    return ResolvedUnit(
        canonical=canonical,
        kind=kind.key if kind else None,
        kind_en=kind.name_en if kind else None,
        type=type_,
        collective=type_ == "collective",
        government=owner,
        national=owner is None and _is_national(name, government),
    )


def _is_national(name: str, government: Government) -> bool:
    """国家发展改革委 is national; 国家税务总局仙桃市税务局 in a 仙桃 plan names its government: local."""
    if not name.startswith(national_prefixes()):
        return False
    places = [getattr(government, level) for level in ("province", "city", "district", "county")]
    return not any(place and division_stem(place) in name for place in places)


def _split_government(name: str, government: Government) -> tuple[str, str, str | None]:
    """'市科技局' -> ('市', '科技局', '鄂州市'); '鄂州市科技局' the same; '仙桃高新区' -> ('', name, None)."""
    for level in ("province", "city", "district", "county"):
        owner = getattr(government, level)
        if not owner:
            continue
        stem = division_stem(owner)
        for prefix in (owner, stem):
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                rest = name[len(prefix) :]
                if prefix == owner:
                    return owner[-1], rest, owner
                if rest[0] in LEVEL_CHARS:
                    return rest[0], rest[1:], owner
    if name[0] in LEVEL_CHARS and len(name) > 2:
        return name[0], name[1:], government.for_level_char(name[0])
    return "", name, None


def collective_member_types(name: str) -> list[str]:
    """'各镇街道场区' -> ['街道', '镇', '场', '区']; '各有关单位' -> []."""
    if "各" not in name:
        return []
    rest = name.split("各", 1)[1]
    for suffix in (*GOVERNMENT_SUFFIXES, "部门", "单位"):
        if rest.endswith(suffix):
            rest = rest[: -len(suffix)]
            break
    words = next(t.member_suffixes for t in unit_types() if t.name == "collective")
    found = []
    for word in words:
        if word in rest:
            found.append(word)
            rest = rest.replace(word, "")
    return found


def collective_members(
    name: str, addressees: list[str], districts: list[str], inclusion: list[str]
) -> list[str]:
    """Members of a collective unit, where the document says who they are.

    Addressees of the issuing notice of the collective's kinds come first; if the
    document has no notice, the districts it lays out; then the members of an
    inclusion remark (含…). An empty list means the document does not say.

    >>> collective_members("各区人民政府", [], ["甲区", "乙县"], ["丙开发区管委会"])
    ['甲区人民政府', '丙开发区管委会']
    """
    types = collective_member_types(name)
    members: list[str] = []
    if types and addressees:
        for addressee in addressees:
            bare = _strip_government_suffix(addressee)
            if addressee != name and bare.endswith(tuple(types)):
                members.append(addressee)
    elif types:
        suffix = next((s for s in GOVERNMENT_SUFFIXES if name.endswith(s)), "")
        members.extend(district + suffix for district in districts if district.endswith(tuple(types)))
    for member in inclusion:
        if member not in members:
            members.append(member)
    return members


def _strip_government_suffix(name: str) -> str:
    for suffix in GOVERNMENT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
