"""How one criteria node is entered (cách nhập của một tiêu chí): the entry model field its
rule reads, and the engine's reading of the node.

A criteria-level concept: the self-assessment, the review and the compiled framework
(``compiled.py``) all read a node's entry rule from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from thidua.criteria.convert import node_entry
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.scoring.engine import AdjustmentItem, Condition, Leaf, Rule, framework_from_reference
from thidua.scoring.engine.model import CLUSTER_FORMULAS

ENTRY_KINDS = (NodeKind.LEAF, NodeKind.BONUS, NodeKind.PENALTY, NodeKind.CONDITION)
RULE_FIELD = {
    Rule.MANUAL: "points",
    Rule.PASS_FAIL: "passed",
    Rule.LEVELS: "level",
    Rule.COUNT: "count",
    Rule.QUANTITATIVE: "actual",
}


@dataclass(frozen=True)
class EntryRule:
    """How one node is entered: the model field, and the engine's reading of the node."""

    kind: str
    rule: str  # an engine Rule value, or "condition"
    field: str
    item: Leaf | AdjustmentItem | Condition

    @property
    def is_leaf(self) -> bool:
        return self.kind == NodeKind.LEAF

    @property
    def is_condition(self) -> bool:
        return self.kind == NodeKind.CONDITION

    @property
    def max_points(self) -> Decimal | None:
        return self.item.max_points if isinstance(self.item, Leaf) else None

    @property
    def step(self) -> Decimal | None:
        return self.item.step if isinstance(self.item, Leaf | AdjustmentItem) else None

    @property
    def levels(self) -> tuple[tuple[str, Decimal], ...]:
        return self.item.levels if isinstance(self.item, Leaf | AdjustmentItem) else ()

    @property
    def level_names(self) -> list[str]:
        return [name for name, _points in self.levels]

    @property
    def uses_target(self) -> bool:
        return isinstance(self.item, Leaf) and self.item.uses_target

    @property
    def per_capita(self) -> str | None:
        return self.item.per_capita if isinstance(self.item, Leaf) else None

    @property
    def is_quantitative(self) -> bool:
        return self.rule == Rule.QUANTITATIVE

    def needs_cluster(self, *, has_target: bool) -> bool:
        """Whether this school's points depend on other schools' inputs (relative to best,
        target-and-leader, or a target formula without a registered target)."""
        if not isinstance(self.item, Leaf) or self.item.rule is not Rule.QUANTITATIVE:
            return False
        if self.item.formula in CLUSTER_FORMULAS:
            return True
        return self.item.uses_target and not has_target


def _engine_document(node: CriterionNode) -> dict[str, Any]:
    entry = node_entry(node, {})
    if node.kind == NodeKind.LEAF:
        top = entry.get("max", 1)
        return {
            "framework": {"name": "-", "total": top},
            "groups": [{"code": "-", "title": "-", "max": top, "leaves": [entry]}],
        }
    sections: dict[str, str] = {NodeKind.BONUS: "bonus", NodeKind.PENALTY: "penalty", NodeKind.CONDITION: "conditions"}
    section = sections[node.kind]
    return {"framework": {"name": "-", "total": 1}, "groups": [], section: [entry]}


def read_node(node: CriterionNode) -> Leaf | AdjustmentItem | Condition:
    """The engine's reading of one stored entry node on its own, whatever state the other
    nodes of its framework are in (raises ``FormatError`` if it is malformed)."""
    framework = framework_from_reference(_engine_document(node))
    items: list[Leaf | AdjustmentItem | Condition] = [
        *framework.leaves(),
        *framework.bonus,
        *framework.penalty,
        *framework.conditions,
    ]
    return items[0]


def entry_rule(node: CriterionNode) -> EntryRule:
    """The entry rule of one stored node (raises ``FormatError`` if it is malformed; a
    published framework never is)."""
    return rule_of(node.kind, read_node(node))


def rule_of(kind: str, item: Leaf | AdjustmentItem | Condition) -> EntryRule:
    """The entry rule of an engine item read from a framework (``kind`` is the node's kind)."""
    if isinstance(item, Condition):
        return EntryRule(kind, "condition", "passed", item)
    return EntryRule(kind, item.rule.value, RULE_FIELD[item.rule], item)
