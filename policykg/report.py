"""Text and JSON renderings of extracted plans for the command line."""

from __future__ import annotations

from collections import Counter
from typing import Any

from loaders import PlanDocument

DOCUMENT_FIELDS = ("source", "id", "title", "city", "province", "issuer", "level", "government_basis", "published",
                   "addressees")


def document_json(doc: PlanDocument) -> dict[str, Any]:
    """The stable JSON shape of one document (``policykg extract --json``); the text itself is left out."""
    # What a correction sets (``correction``) is the graph's business: an extraction has none.
    every = {"__all__": {"correction"}}
    data = doc.model_dump(mode="json", exclude={
        "text": True, "reading": True, "correction": True, "entities": every, "targets": every,
        "actions": {"__all__": {"agencies": every, "entities": every, "targets": every}}})
    ordered = {key: data.pop(key) for key in DOCUMENT_FIELDS}
    return ordered | data


def document_summary(doc: PlanDocument) -> str:
    """A readable summary: facts, counts, who leads what, warnings."""
    lines = [doc.source]
    place = ", ".join(p for p in (doc.province, f"{doc.level} level" if doc.level else None) if p)
    lines.append(f"  title     {doc.title or '(no title line)'}")
    lines.append(f"  city      {doc.city or '?'}" + (f" ({place})" if place else ""))
    if doc.issuer or doc.published:
        lines.append(f"  issued    {doc.issuer or '?'}, {doc.published or 'date not stated'}")
    kinds = Counter(action.kind for action in doc.actions)
    groups = len({tuple(action.section) for action in doc.actions})
    kind_text = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    lines.append(f"  actions   {len(doc.actions)} in {groups} groups ({kind_text})")
    agencies = {ref.canonical for action in doc.actions for ref in action.agencies if not ref.derived_from}
    lines.append(f"  agencies  {len(agencies)} named in notes")
    leads: Counter[tuple[str, str]] = Counter()
    for action in doc.actions:
        for ref in action.agencies:
            if ref.role == "lead" and not ref.derived_from:
                leads[(ref.canonical, ref.lead_basis or "")] += 1
    top = ", ".join(f"{name} {count} ({basis})" for (name, basis), count in leads.most_common(6))
    lines.append(f"  top leads {top or '-'}")
    entity_counts = Counter(entity.type for entity in doc.entities)
    lines.append("  entities  " + (", ".join(f"{n} {t}" for t, n in sorted(entity_counts.items())) or "-"))
    lines.append(f"  targets   {len(doc.targets)}")
    lines.append("")
    for action in doc.actions:
        lead = "、".join(r.canonical for r in action.agencies if r.role == "lead" and not r.derived_from)
        basis = next((r.lead_basis for r in action.agencies if r.role == "lead"), None)
        others = sum(1 for r in action.agencies if r.role != "lead" and not r.derived_from)
        mark = {"goal": " [goal]", "safeguard": " [safeguard]"}.get(action.kind, "")
        lead_text = f"{lead} ({basis})" if lead else "no lead"
        lines.append(f"  {action.number:<6} {action.title}{mark}  ← {lead_text}" + (f" +{others}" if others else ""))
    for warning in doc.warnings:
        lines.append(f"  warning: {warning}")
    return "\n".join(lines)
