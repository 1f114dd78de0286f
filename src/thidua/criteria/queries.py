"""Reading frameworks for the pages: lists with their permissions, and the editor's tree built
in Python from one query of nodes, with the validation problems attached to their rows.

The tree page costs the same number of queries whatever the framework's size: the nodes are
loaded once and every sum, path and problem is computed from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus, NodeKind
from thidua.criteria.rules import frameworks_visible_to
from thidua.criteria.services import problems_of
from thidua.scoring.engine.errors import Problem, Severity

SECTIONS = (
    (NodeKind.BONUS, "bonus"),
    (NodeKind.PENALTY, "penalty"),
    (NodeKind.CONDITION, "conditions"),
)
ZERO = Decimal(0)
SETTINGS_PROBLEMS = frozenset({"groups_total_mismatch", "total_not_positive", "name_empty", "cap_negative"})


def frameworks() -> QuerySet[Framework]:
    """Frameworks with what their lists and pages show, loaded in one query."""
    return Framework.objects.select_related("cluster", "cloned_from")


def framework_list(user: Any, *, cluster: str = "") -> dict[str, list[Framework]]:
    """The frameworks a user may see, by section: published, drafts, templates, archived.

    ``cluster`` filters by a cluster's code ("-" for frameworks of no cluster). Only the
    frameworks the user may read are loaded (``rules.frameworks_visible_to``).
    """
    rows = (
        (frameworks() & frameworks_visible_to(user))
        .annotate(node_count=Count("nodes"))
        .order_by("-year", "name_sort", "-edition")
    )
    if cluster == "-":
        rows = rows.filter(cluster__isnull=True)
    elif cluster:
        rows = rows.filter(cluster__code=cluster)
    sections: dict[str, list[Framework]] = {"published": [], "drafts": [], "templates": [], "archived": []}
    for framework in rows:
        if framework.is_template:
            sections["templates"].append(framework)
        elif framework.status == FrameworkStatus.PUBLISHED:
            sections["published"].append(framework)
        elif framework.status == FrameworkStatus.DRAFT:
            sections["drafts"].append(framework)
        else:
            sections["archived"].append(framework)
    return sections


def nodes_of(framework: Framework) -> list[CriterionNode]:
    """Every node of a framework, in one query."""
    return list(CriterionNode.objects.filter(framework=framework).order_by("order", "pk"))


def problems_from_nodes(framework: Framework, nodes: Iterable[CriterionNode]) -> list[Problem]:
    """``services.problems_of`` on nodes already loaded."""
    return problems_of(framework, nodes)


@dataclass
class Row:
    """One node of the tree with what the editor shows beside it."""

    node: CriterionNode
    depth: int
    path: str
    children: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.node.kind == NodeKind.GROUP

    @property
    def children_sum(self) -> Decimal:
        return sum((child.node.max_points or ZERO for child in self.children), ZERO)

    @property
    def sum_state(self) -> str:
        """For a group: "equal", "over" (the group's cap binds) or "under" (an error)."""
        top = self.node.max_points or ZERO
        total = self.children_sum
        if not self.children or total < top:
            return "under"
        return "over" if total > top else "equal"

    @property
    def has_error(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.problems)

    def descendants(self) -> list[Row]:
        found: list[Row] = []
        for child in self.children:
            found.append(child)
            found.extend(child.descendants())
        return found


@dataclass
class LinkedProblem:
    """A problem with the node it concerns (if any), for a link from the validation panel."""

    problem: Problem
    node: CriterionNode | None
    detail: str  # what is left of a format path after the node's own, e.g. "max"

    @property
    def is_error(self) -> bool:
        return self.problem.severity == Severity.ERROR

    @property
    def about_settings(self) -> bool:
        """Whether the framework's settings (name, total, caps) are where to fix it."""
        return self.node is None and (
            self.problem.code in SETTINGS_PROBLEMS or self.problem.node.startswith("framework")
        )


@dataclass
class Tree:
    framework: Framework
    nodes: list[CriterionNode]
    groups: list[Row]
    sections: dict[str, list[Row]]
    problems: list[LinkedProblem]

    def flat_groups(self) -> list[Row]:
        """Every row under the groups, depth first (for the table)."""
        rows: list[Row] = []
        for row in self.groups:
            rows.append(row)
            rows.extend(row.descendants())
        return rows

    def group_choices(self) -> list[tuple[CriterionNode, int]]:
        """Every group with its depth, in tree order (targets of "add" and "move")."""
        return [(row.node, row.depth) for row in self.flat_groups() if row.is_group]

    @property
    def has_evidence(self) -> bool:
        return any(n.evidence for n in self.nodes)

    @property
    def has_guidance(self) -> bool:
        return any(n.guidance for n in self.nodes)

    @property
    def groups_sum(self) -> Decimal:
        return sum((row.node.max_points or ZERO for row in self.groups), ZERO)

    @property
    def errors(self) -> list[LinkedProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def notices(self) -> list[LinkedProblem]:
        return [p for p in self.problems if not p.is_error]


def build_tree(framework: Framework, nodes: list[CriterionNode] | None = None) -> Tree:
    """The framework's tree and its problems, from its nodes (loaded here if not given)."""
    nodes = nodes_of(framework) if nodes is None else sorted(nodes, key=lambda n: (n.order, n.pk))
    children: dict[int | None, list[CriterionNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    by_path: dict[str, Row] = {}

    def make(node: CriterionNode, depth: int, path: str) -> Row:
        row = Row(node, depth, path)
        by_path[path] = row
        if node.kind == NodeKind.GROUP:
            row.children = [
                make(child, depth + 1, f"{path}.leaves[{index}]")
                for index, child in enumerate(children.get(node.pk, []))
            ]
        return row

    top = children.get(None, [])
    groups = [make(node, 0, f"groups[{i}]") for i, node in enumerate(n for n in top if n.kind == NodeKind.GROUP)]
    sections = {
        name: [make(node, 0, f"{name}[{i}]") for i, node in enumerate(n for n in top if n.kind == kind)]
        for kind, name in SECTIONS
    }
    by_code = {row.node.code: row for row in by_path.values()}
    linked: list[LinkedProblem] = []
    for problem in problems_from_nodes(framework, nodes):
        row, detail = _row_of(problem.node, by_code, by_path)
        if row is not None:
            row.problems.append(problem)
        linked.append(LinkedProblem(problem, row.node if row is not None else None, detail))
    return Tree(framework, nodes, groups, sections, linked)


def _row_of(where: str, by_code: dict[str, Row], by_path: dict[str, Row]) -> tuple[Row | None, str]:
    """The row a problem concerns: by the node's code, or by the longest format path that
    starts it ("groups[0].leaves[2]" for "groups[0].leaves[2].max"), with the rest ("max")."""
    if not where:
        return None, ""
    if where in by_code:
        return by_code[where], ""
    best = ""
    for path in by_path:
        if (where == path or where.startswith(path + ".")) and len(path) > len(best):
            best = path
    if best:
        return by_path[best], where[len(best) + 1 :]
    return None, where
