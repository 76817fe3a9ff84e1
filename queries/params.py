"""Parameters of a query as people write them, ``name=value``: ``policykg cypher/query --param`` and the
explorer's Console take the same lines.

>>> parse_params(["agency=市科技局", "year=2027", "ids=[1, 2]"])
{'agency': '市科技局', 'year': 2027, 'ids': [1, 2]}
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["parse_params"]


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``k=v`` pairs; a value that reads as JSON (numbers, true, lists) is that value, else a string.

    A pair without ``=`` or without a name is a ValueError naming it.
    """
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param {pair!r}: write it as name=value")
        try:
            params[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[key.strip()] = value
    return params
