"""Stored frameworks ↔ the reference document format ↔ the engine's ``Framework``.

The reference document (the YAML of the built-in template) is the one exchange format: the
engine reads it (``framework_from_reference``) and writes it canonically
(``framework_to_reference``). Stored nodes keep each entry's keys other than code, title,
max, guidance and evidence in ``params``, so nothing an author or an import wrote is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from thidua.criteria.models import CriterionNode, Framework, NodeKind
from thidua.scoring.engine import model as engine_model
from thidua.scoring.engine.reference_format import framework_from_reference, number_out

NODE_COLUMNS = ("code", "title", "max", "guidance", "evidence")
SECTION_OF_KIND = {NodeKind.BONUS: "bonus", NodeKind.PENALTY: "penalty", NodeKind.CONDITION: "conditions"}


def stored_number(value: Decimal) -> int | float | str:
    """A decimal read from the database (which pads it to the field's 4 places: "3.0000") as
    the reference format writes it: 3, 0.25."""
    return number_out(value.normalize())


def node_entry(node: CriterionNode, children: dict[int | None, list[CriterionNode]]) -> dict[str, Any]:
    """One node as a reference-format entry (recursively for groups)."""
    entry: dict[str, Any] = {"code": node.code, "title": node.title}
    if node.max_points is not None:
        entry["max"] = stored_number(node.max_points)
    if node.kind == NodeKind.GROUP:
        entry["leaves"] = [node_entry(child, children) for child in children.get(node.pk, [])]
    entry.update(node.params)
    if node.guidance:
        entry["guidance"] = node.guidance
    if node.evidence:
        entry["evidence"] = node.evidence
    return entry


def framework_document(framework: Framework, nodes: Iterable[CriterionNode] | None = None) -> dict[str, Any]:
    """The stored framework as a reference document (not yet canonical)."""
    rows = sorted(nodes if nodes is not None else framework.nodes.all(), key=lambda n: (n.order, n.pk))
    children: dict[int | None, list[CriterionNode]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    meta: dict[str, Any] = {"name": framework.name, "total": stored_number(framework.total)}
    if framework.bonus_cap is not None:
        meta["bonus_cap"] = stored_number(framework.bonus_cap)
    if framework.penalty_cap is not None:
        meta["penalty_cap"] = stored_number(framework.penalty_cap)
    meta.update(framework.extra)
    document: dict[str, Any] = {
        "framework": meta,
        "groups": [node_entry(n, children) for n in children.get(None, []) if n.kind == NodeKind.GROUP],
    }
    for kind, section in SECTION_OF_KIND.items():
        entries = [node_entry(n, children) for n in children.get(None, []) if n.kind == kind]
        if entries:
            document[section] = entries
    return document


def to_engine(framework: Framework, nodes: Iterable[CriterionNode] | None = None) -> engine_model.Framework:
    """The engine's framework; raises the engine's ``FormatError`` if a node is malformed."""
    return framework_from_reference(framework_document(framework, nodes))


def split_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A reference entry as node fields: code, title, max_points, guidance, evidence, params."""
    params = {k: v for k, v in entry.items() if k not in (*NODE_COLUMNS, "leaves")}
    top = entry.get("max")
    return {
        "code": str(entry["code"]),
        "title": str(entry["title"]),
        "max_points": Decimal(str(top)) if top is not None else None,
        "guidance": str(entry.get("guidance", "")),
        "evidence": str(entry.get("evidence", "")),
        "params": params,
    }


def document_rows(document: dict[str, Any]) -> list[tuple[str, int | None, dict[str, Any]]]:
    """Flatten a canonical document into (kind, parent index, fields) rows in order; the parent
    index points into the same list."""
    rows: list[tuple[str, int | None, dict[str, Any]]] = []

    def walk(entry: dict[str, Any], parent: int | None) -> None:
        is_group = "leaves" in entry
        rows.append((NodeKind.GROUP if is_group else NodeKind.LEAF, parent, split_entry(entry)))
        index = len(rows) - 1
        for child in entry.get("leaves", []):
            walk(child, index)

    for group in document.get("groups", []):
        walk(group, None)
    for kind, section in SECTION_OF_KIND.items():
        for entry in document.get(section, []):
            rows.append((kind, None, split_entry(entry)))
    return rows
