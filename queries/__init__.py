"""Named, parameterised Cypher for planners and researchers, and coordination analytics.

>>> from queries import run_named                         # doctest: +SKIP
>>> run_named(store, "actions-led-by", {"agency": "市科技局", "city": "鄂州市"}).rows  # doctest: +SKIP
"""

from queries.library import NamedQuery, Param, load_library
from queries.runner import QueryParameterError, run_named

__all__ = ["NamedQuery", "Param", "QueryParameterError", "load_library", "run_named"]
