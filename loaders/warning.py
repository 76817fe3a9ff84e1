"""The loaders' warnings: a code of ``data/warnings.toml`` and its values, never prose to parse back.

>>> warning("city_inferred", city="大同市").message
'no title line; city inferred from the text: 大同市'
>>> warning("no_such_code")
Traceback (most recent call last):
...
KeyError: 'no_such_code: not a warning of data/warnings.toml'
"""

from __future__ import annotations

import tomllib
from functools import cache

from loaders.knowledge import DATA_DIR
from loaders.model import LoaderWarning


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every warning the loaders can give: ``{code: {"en": template, "zh": template}}``."""
    with open(DATA_DIR / "warnings.toml", "rb") as handle:
        return tomllib.load(handle)


def warning(code: str, **values: object) -> LoaderWarning:
    """The warning ``code`` with its values, its message the catalogue's English filled in."""
    entry = catalogue().get(code)
    if entry is None:
        raise KeyError(f"{code}: not a warning of data/warnings.toml")
    text = {name: str(value) for name, value in values.items()}
    return LoaderWarning(code=code, values=text, message=entry["en"].format(**text))
