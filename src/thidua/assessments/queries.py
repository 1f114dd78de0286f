"""Reading self-assessments for the pages, the API, the XLSX and the report.

``load_sheet`` builds one school's whole self-assessment — the framework's groups with each
criterion's entry, rule, registered target, evidence and live points — from a fixed number
of queries, whatever the number of criteria.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from thidua.assessments import live
from thidua.assessments.inputs import display_value, how_to_enter, input_text
from thidua.assessments.models import AssessmentEntry, Evidence, SelfAssessment
from thidua.assessments.rules import assessments_visible_to
from thidua.campaigns.models import Campaign
from thidua.criteria.compiled import CompiledFramework
from thidua.criteria.entries import EntryRule
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.scoring.engine import EngineError, GroupResult

ZERO = Decimal(0)
INPUT_LABELS = {
    "points": _("Điểm tự chấm"),
    "passed": _("Tự đánh giá"),
    "level": _("Mức tự đánh giá"),
    "count": _("Số lần"),
    "actual": _("Kết quả thực hiện"),
    "condition": _("Trường có đạt điều kiện?"),
}


def assessments() -> QuerySet[SelfAssessment]:
    """Self-assessments with what their pages show, in one query."""
    return SelfAssessment.objects.select_related(
        "campaign__cluster_year__cluster", "campaign__framework", "organization", "submitted_by"
    )


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("cluster_year__cluster", "framework")


def entries_of(assessment: SelfAssessment) -> QuerySet[AssessmentEntry]:
    """The entries with their evidence (and stored files) prefetched: two queries."""
    return (
        AssessmentEntry.objects.filter(assessment=assessment)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("stored_file", "added_by").order_by("added_at", "id"),
            )
        )
    )


@dataclass
class EntryRow:
    """One criterion (leaf, bonus or penalty item, condition) with its entry and points."""

    node: CriterionNode
    entry: AssessmentEntry
    rule: EntryRule | None
    depth: int = 0
    target: Decimal | None = None
    score: live.EntryScore | None = None

    @property
    def is_entry(self) -> bool:
        return True

    @property
    def value(self) -> Any:
        return getattr(self.entry, self.rule.field) if self.rule is not None else None

    @property
    def value_text(self) -> str:
        return display_value(self.rule, self.value) if self.rule is not None else ""

    @property
    def input_text(self) -> str:
        return input_text(self.rule, self.value) if self.rule is not None else ""

    @property
    def how(self) -> str:
        return how_to_enter(self.rule) if self.rule is not None else ""

    @property
    def input_label(self) -> str:
        if self.rule is None:
            return ""
        return str(INPUT_LABELS.get("condition" if self.rule.is_condition else self.rule.field, ""))

    @property
    def is_filled(self) -> bool:
        return self.value is not None and self.value != ""

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.entry.evidence.all())

    @property
    def needs_evidence(self) -> bool:
        return bool(self.node.evidence.strip())

    @property
    def missing_evidence(self) -> bool:
        return self.needs_evidence and not self.evidence

    @property
    def points(self) -> Decimal | None:
        return self.score.points if self.score is not None else None


@dataclass
class GroupRow:
    node: CriterionNode
    depth: int
    children: list[GroupRow | EntryRow] = field(default_factory=list)
    result: GroupResult | None = None

    @property
    def is_entry(self) -> bool:
        return False

    def entries(self) -> Iterator[EntryRow]:
        for child in self.children:
            if isinstance(child, GroupRow):
                yield from child.entries()
            else:
                yield child

    def groups(self) -> Iterator[GroupRow]:
        yield self
        for child in self.children:
            if isinstance(child, GroupRow):
                yield from child.groups()


@dataclass
class Sheet:
    """One school's self-assessment as the page shows it."""

    assessment: SelfAssessment
    groups: list[GroupRow]
    bonus: list[EntryRow]
    penalty: list[EntryRow]
    conditions: list[EntryRow]
    result: live.LiveResult
    targets: dict[str, Decimal]

    def rows(self) -> Iterator[EntryRow]:
        """Every entry row in the framework's order."""
        for group in self.groups:
            yield from group.entries()
        yield from self.bonus
        yield from self.penalty
        yield from self.conditions

    def all_groups(self) -> Iterator[GroupRow]:
        for group in self.groups:
            yield from group.groups()

    def row_for(self, entry_id: int) -> EntryRow | None:
        return next((row for row in self.rows() if row.entry.pk == entry_id), None)

    @property
    def unfilled(self) -> list[EntryRow]:
        return [
            row for row in self.rows() if row.node.kind in (NodeKind.LEAF, NodeKind.CONDITION) and not row.is_filled
        ]

    @property
    def missing_evidence(self) -> list[EntryRow]:
        return [row for row in self.rows() if row.missing_evidence]

    @property
    def filled_count(self) -> int:
        return sum(1 for row in self.rows() if row.node.kind in (NodeKind.LEAF, NodeKind.CONDITION) and row.is_filled)

    @property
    def required_count(self) -> int:
        return sum(1 for row in self.rows() if row.node.kind in (NodeKind.LEAF, NodeKind.CONDITION))


def load_sheet(assessment: SelfAssessment) -> Sheet:
    """The whole self-assessment, computed by the engine, in a constant number of queries."""
    nodes = list(CriterionNode.objects.filter(framework_id=assessment.campaign.framework_id).order_by("order", "pk"))
    entries = list(entries_of(assessment))
    by_node = {entry.node_id: entry for entry in entries}
    try:
        prepared: CompiledFramework | None = live.prepare(assessment, nodes)
    except EngineError as exc:
        prepared, error = None, str(exc)
    targets: dict[str, Decimal] = {}
    if prepared is not None:
        targets = live.own_targets(assessment, prepared)
        result = live.compute(assessment, prepared, entries, targets)
    else:
        result = live.LiveResult(error=error)
    rules = prepared.rules if prepared is not None else {}
    children: dict[int | None, list[CriterionNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def row(node: CriterionNode, depth: int) -> EntryRow | None:
        entry = by_node.get(node.pk)
        if entry is None:
            return None
        entry.node = node  # the node is loaded already: no query per entry
        entry.assessment = assessment
        return EntryRow(node, entry, rules.get(node.code), depth, targets.get(node.code), result.scores.get(node.code))

    def group(node: CriterionNode, depth: int) -> GroupRow:
        found = GroupRow(node, depth, result=result.groups.get(node.code))
        for child in children.get(node.pk, []):
            if child.kind == NodeKind.GROUP:
                found.children.append(group(child, depth + 1))
            else:
                entry_row = row(child, depth + 1)
                if entry_row is not None:
                    found.children.append(entry_row)
        return found

    top = children.get(None, [])
    sections: dict[str, list[EntryRow]] = {NodeKind.BONUS: [], NodeKind.PENALTY: [], NodeKind.CONDITION: []}
    for node in top:
        if node.kind in sections:
            entry_row = row(node, 0)
            if entry_row is not None:
                sections[node.kind].append(entry_row)
    return Sheet(
        assessment=assessment,
        groups=[group(node, 0) for node in top if node.kind == NodeKind.GROUP],
        bonus=sections[NodeKind.BONUS],
        penalty=sections[NodeKind.PENALTY],
        conditions=sections[NodeKind.CONDITION],
        result=result,
        targets=targets,
    )


def visible_assessments(user: Any, *, campaign: Campaign | None = None) -> list[SelfAssessment]:
    """The self-assessments a user may read (``rules.assessments_visible_to``), newest year
    first: one query whatever the list's length."""
    rows = assessments() & assessments_visible_to(user)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    return list(rows.order_by("-campaign__cluster_year__year", "organization__name_sort"))
