"""Errors a person caused and can mend, said by a code and its values in English and Chinese.

The loaders raise them for what was given (a city that is not one), the graph and queries layers for
names that find nothing and corrections that cannot be made; the words are ``data/errors.toml``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


class Explained(ValueError):
    """An error a person caused and can mend (a name that finds nothing, a value of the wrong form),
    said by a code and its values; its words are ``data/errors.toml``, in English and Chinese.

    ``str(error)`` is the English line the command line prints (an entry's ``cli`` words, which may
    name its flags, when it has them); :meth:`text` says it in a language for the explorer, whose
    people have no flags. The values stay on the error (``error.values``): a page can offer the
    ``closest`` names as choices.

    >>> error = Explained("no_agency", value="市数据局", closest=["鄂州市数据局"])
    >>> str(error)
    "no agency named '市数据局'; closest: 鄂州市数据局"
    >>> error.text("zh")
    '没有名为“市数据局”的机构；最接近的：鄂州市数据局'
    """

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(explained_text(code, values, "en", cli=True))

    def text(self, language: str = "en") -> str:
        return explained_text(self.code, self.values, language)


ERRORS_PATH = Path(__file__).resolve().parent.parent / "data" / "errors.toml"


@cache
def error_catalogue() -> dict[str, dict[str, dict[str, str]]]:
    """``data/errors.toml``: ``[errors.<code>]`` the lines, ``[parts.<value>]`` how an optional value is said."""
    with ERRORS_PATH.open("rb") as handle:
        return tomllib.load(handle)


def explained_text(code: str, values: dict[str, object], language: str = "en", *, cli: bool = False) -> str:
    """The words of an error ``code`` with its values: lists joined as the language joins them, an optional
    value said with its part's words (``[parts]``), or left out when empty; ``{value!r}`` quotes as Python does.

    >>> explained_text("no_agency", {"value": "x", "city": "鄂州市"}, "en")
    "no agency named 'x' in 鄂州市"
    >>> explained_text("no_agency", {"value": "x"}, "zh")
    '没有名为“x”的机构'
    """
    catalogue = error_catalogue()
    entry = catalogue["errors"][code]
    template = entry.get("cli", entry["en"]) if cli and language == "en" else entry.get(language) or entry["en"]
    joiner = "、" if language == "zh" else ", "
    filled: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            value = joiner.join(str(item) for item in value)
        part = catalogue.get("parts", {}).get(name)
        if part is not None:
            value = (part.get(language) or part["en"]).format(value) if value not in (None, "") else ""
        filled[name] = value
    for name in catalogue.get("parts", {}):
        filled.setdefault(name, "")
    return template.format_map(_Quoting(filled, language))


class _Quoting(dict):
    """Template values where ``{name!r}`` in Chinese words is quoted with “ ”, as Chinese quotes a name."""

    def __init__(self, values: dict[str, object], language: str) -> None:
        super().__init__({name: _Quoted(value, language) for name, value in values.items()})


class _Quoted(str):
    def __new__(cls, value: object, language: str) -> _Quoted:
        made = super().__new__(cls, "" if value is None else str(value))
        made.language = language
        return made

    def __repr__(self) -> str:
        return f"“{self}”" if self.language == "zh" else repr(str(self))
