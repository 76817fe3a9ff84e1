"""Loaders: read Chinese government action plans into typed, provenance-carrying records.

>>> from loaders import extract_path
>>> doc = extract_path("data/corpus/xiantao-ai-action-plan-2025-2027.txt")  # doctest: +SKIP
>>> len(doc.actions)  # doctest: +SKIP
25
"""

from loaders.errors import LoaderError
from loaders.extract import extract_document, extract_path, extract_text
from loaders.given import GivenGovernmentError, check_given
from loaders.model import Action, AgencyRef, Entity, GivenGovernment, LoaderWarning, PlanDocument, Section, Target
from loaders.readers import READERS, plan_files, read_document

__all__ = [
    "READERS",
    "Action",
    "AgencyRef",
    "Entity",
    "GivenGovernment",
    "GivenGovernmentError",
    "LoaderError",
    "LoaderWarning",
    "PlanDocument",
    "Section",
    "Target",
    "check_given",
    "extract_document",
    "extract_path",
    "extract_text",
    "plan_files",
    "read_document",
]
