"""Which criteria of a framework take a registered target (chỉ tiêu đăng ký), and the titles
(danh hiệu) a school can aim for — both read from the scoring engine's view of the framework,
so that registration asks exactly for what scoring will use.

A leaf takes a target when the engine says so (``Leaf.uses_target``: a quantitative leaf whose
formula compares the actual with the school's own target). The titles are those the
framework's conditions name ("Cờ thi đua", "Bằng khen"); a school may add others in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from thidua.criteria.compiled import compile_framework
from thidua.criteria.models import CriterionNode, Framework, NodeKind
from thidua.scoring.engine.errors import FormatError
from thidua.scoring.engine.model import TARGET_FORMULAS, Direction, Leaf
from thidua.scoring.engine.quantitative import SIZE_LABELS

# Targets are stored in DecimalField(max_digits=9, decimal_places=4).
MAX_TARGET = Decimal("99999")
MAX_PLACES = 4
MAX_TITLES = 10
MAX_TITLE_LENGTH = 200


@dataclass(frozen=True)
class TargetLeaf:
    """A criterion for which each school registers a target, with what the form shows."""

    node: CriterionNode
    group: CriterionNode | None
    per_capita: str | None = None
    lower_is_better: bool = False

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def title(self) -> str:
        return self.node.title

    @property
    def is_percent(self) -> bool:
        return "%" in self.node.title

    @property
    def unit(self) -> str:
        """The unit the target is written in: "%", "bình quân mỗi giảng viên", or the node's
        own ``unit`` parameter; empty for a plain count."""
        custom = str(self.node.params.get("unit", "")).strip()
        if custom:
            return custom
        if self.per_capita:
            return _("bình quân mỗi %(who)s") % {"who": SIZE_LABELS.get(self.per_capita, self.per_capita)}
        if self.is_percent:
            return "%"
        return ""

    @property
    def hint(self) -> str:
        """A sentence under the input: the unit and the direction."""
        parts = []
        if self.per_capita:
            parts.append(
                _("Tính bình quân mỗi %(who)s (chỉ tiêu cũng đăng ký theo đơn vị này).")
                % {"who": SIZE_LABELS.get(self.per_capita, self.per_capita)}
            )
        elif self.is_percent:
            parts.append(_("Tỷ lệ phần trăm, từ 0 đến 100."))
        if self.lower_is_better:
            parts.append(_("Chỉ số càng thấp càng tốt."))
        return " ".join(parts)


def _leaf_nodes(nodes: Iterable[CriterionNode]) -> list[CriterionNode]:
    return sorted((n for n in nodes if n.kind == NodeKind.LEAF), key=lambda n: (n.order, n.pk))


def _engine_leaves(framework: Framework, nodes: list[CriterionNode]) -> dict[str, Leaf] | None:
    try:
        engine = compile_framework(framework, nodes).framework
    except FormatError:
        return None
    return {leaf.code: leaf for leaf in engine.leaves()}


def target_leaves(framework: Framework, nodes: list[CriterionNode] | None = None) -> list[TargetLeaf]:
    """The leaves that take a registered target, in the framework's order (depth first)."""
    nodes = list(framework.nodes.all()) if nodes is None else nodes
    by_pk = {n.pk: n for n in nodes}
    engine = _engine_leaves(framework, nodes)
    found: list[TargetLeaf] = []
    for node in _tree_order(nodes):
        if node.kind != NodeKind.LEAF:
            continue
        if engine is not None:
            leaf = engine.get(node.code)
            if leaf is None or not leaf.uses_target:
                continue
            per_capita, lower = leaf.per_capita, leaf.direction is Direction.LOWER
        else:  # a draft that does not parse yet: read the parameters themselves
            params = node.params
            if params.get("rule") != "quantitative" or params.get("formula") not in set(TARGET_FORMULAS):
                continue
            per_capita, lower = params.get("per_capita"), params.get("direction") == "lower"
        parent = by_pk.get(node.parent_id) if node.parent_id else None
        found.append(TargetLeaf(node, parent, per_capita=per_capita, lower_is_better=lower))
    return found


def _tree_order(nodes: list[CriterionNode]) -> list[CriterionNode]:
    """Nodes depth first, siblings by their order (as the criteria table prints them)."""
    children: dict[int | None, list[CriterionNode]] = {}
    for node in sorted(nodes, key=lambda n: (n.order, n.pk)):
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[CriterionNode] = []

    def walk(parent: int | None) -> None:
        for child in children.get(parent, []):
            ordered.append(child)
            walk(child.pk)

    walk(None)
    return ordered


def title_choices(framework: Framework, nodes: list[CriterionNode] | None = None) -> list[str]:
    """The titles the framework's conditions name, in order of first mention."""
    nodes = list(framework.nodes.all()) if nodes is None else nodes
    seen: dict[str, None] = {}
    for node in sorted(nodes, key=lambda n: (n.order, n.pk)):
        if node.kind == NodeKind.CONDITION:
            for title in node.params.get("blocks", []) or []:
                text = str(title).strip()
                if text:
                    seen.setdefault(text, None)
    return list(seen)


def clean_titles(titles: Iterable[str]) -> list[str]:
    """Titles as kept: trimmed, inner spaces collapsed, empty ones dropped, each once."""
    seen: dict[str, None] = {}
    for title in titles:
        text = " ".join(str(title).split())
        if text and text.casefold() not in {t.casefold() for t in seen}:
            seen[text] = None
    return list(seen)
