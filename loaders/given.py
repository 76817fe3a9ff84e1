"""A plan's government as a person gives it: ``--city/--province/--level``, or the upload preview.

The government decides the scope of every agency of a plan, and a person who knows it says so
rather than leave it to the loaders' reading. What is given wins over what the document says;
what is not given is still read from the document, unless it belongs to another place (a
district read from the text of a plan now given to another city is dropped). The document then
records ``government_basis = "given"``.

>>> given = check_given(GivenGovernment(city="宜昌市"))
>>> (given.city, given.province, given.level)
('宜昌市', '湖北省', None)
>>> check_given(GivenGovernment(city="宜昌"))
Traceback (most recent call last):
...
loaders.given.GivenGovernmentError: --city 宜昌 is not a city of the divisions table (宜昌市?)
"""

from __future__ import annotations

from loaders.document import DocumentFacts
from loaders.explained import Explained
from loaders.knowledge import division_stems, divisions
from loaders.model import GivenGovernment

__all__ = ["GivenGovernment", "GivenGovernmentError", "apply_given", "check_given"]


class GivenGovernmentError(Explained):
    """A given city or province that is not one, or a city not of the given province: one line
    (its words: data/errors.toml)."""


def check_given(given: GivenGovernment) -> GivenGovernment:
    """``given`` with its names checked against the divisions table and the province filled in from the
    city where the table says which it is; raises :class:`GivenGovernmentError`."""
    province = given.province
    if province is not None:
        entries = [d for d in divisions().get(province, []) if d.level == "province"]
        if not entries:
            raise GivenGovernmentError("not_a_province", value=province, meant=_meant(province))
    city = given.city
    if city is not None:
        # 'city' is the government whose agencies the notes name: a prefecture, or a municipality
        # or a county-level city / county standing for itself (see the realplans gold rules).
        entries = [d for d in divisions().get(city, []) if d.level in ("city", "province", "county")]
        if not entries:
            raise GivenGovernmentError("not_a_city", value=city, meant=_meant(city))
        provinces = {entry.province for entry in entries}
        if province is not None and province not in provinces:
            raise GivenGovernmentError("city_not_in_province", value=city, province=province,
                                       provinces="、".join(sorted(provinces)))
        if province is None and len(provinces) == 1:
            province = provinces.pop()
    return GivenGovernment(city=city, province=province, level=given.level)


def apply_given(facts: DocumentFacts, given: GivenGovernment) -> None:
    """Put what is given in ``facts``, drop what was read of another place, and the loaders' words on
    how they placed the plan (moot now)."""
    facts.warnings = [w for w in facts.warnings if w not in facts.place_warnings]
    facts.place_warnings = []
    if given.city is not None and given.city != facts.city:
        facts.district = facts.county = None  # read from a text placed elsewhere: not this city's
        facts.city = given.city
    if given.province is not None:
        facts.province = given.province
    if given.level is not None:
        facts.level = given.level


def _meant(name: str) -> str | None:
    """The division a shortened name stands for (宜昌 → 宜昌市), if it is another name."""
    full = division_stems().get(name)
    return full if full and full != name else None
