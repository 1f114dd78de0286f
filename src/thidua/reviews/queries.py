"""Reading peer review for the pages and the API, in a number of queries that does not grow
with the number of schools, reviewers or criteria (per page: a fixed set, plus a fixed set
per *other submitted review* shown side by side — at most k of them).

- ``my_assignments`` — a reviewer's schools with their review status;
- ``load_review`` — the review page: the school's self-assessment (values, explanations,
  evidence, the school's points), the reviewer's input and the points the engine gives from
  the reviewer's view, and — only when allowed — the other reviewers' points.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from thidua.assessments import live
from thidua.assessments import queries as assessment_queries
from thidua.assessments.inputs import display_value, input_text
from thidua.campaigns.assignments.queries import assignments
from thidua.campaigns.models import ReviewerAssignment
from thidua.criteria.entries import EntryRule
from thidua.criteria.models import CriterionNode
from thidua.reviews import services
from thidua.reviews.models import Review, ReviewEntry, ReviewStatus


def my_assignments(user: Any) -> list[ReviewerAssignment]:
    return list(assignments().filter(reviewer=user).order_by("-campaign__cluster_year__year", "school__name_sort"))


# --- the review page ----------------------------------------------------------------------


@dataclass
class OtherPoints:
    label: str
    points: Decimal | None


@dataclass
class ReviewRow:
    school: assessment_queries.EntryRow
    mine: ReviewEntry
    rule: EntryRule | None
    score: live.EntryScore | None
    others: list[OtherPoints] = field(default_factory=list)

    @property
    def node(self) -> CriterionNode:
        return self.school.node

    @property
    def own(self) -> bool:
        return self.rule is not None and services.is_own_rule(self.rule)

    @property
    def value(self) -> Any:
        return getattr(self.mine, self.rule.field) if self.rule is not None else None

    @property
    def value_text(self) -> str:
        return display_value(self.rule, self.value) if self.rule is not None else ""

    @property
    def input_text(self) -> str:
        return input_text(self.rule, self.value) if self.rule is not None else ""

    @property
    def mode(self) -> str:
        if self.own:
            return "own"
        if self.mine.confirmed is True:
            return "confirm"
        if self.mine.confirmed is False:
            return "correct"
        return ""

    @property
    def described(self) -> str:
        return services.describe(self.rule, self.mine) if self.rule is not None else ""

    @property
    def differs(self) -> bool:
        """The reviewer's points differ from the school's."""
        mine = self.score.points if self.score is not None else None
        theirs = self.school.points
        return mine is not None and theirs is not None and mine != theirs


@dataclass
class Section:
    title: str
    code: str
    depth: int
    max_points: Decimal | None
    school_points: Decimal | None
    my_points: Decimal | None
    rows: list[ReviewRow]


@dataclass
class ReviewSheet:
    assignment: ReviewerAssignment
    review: Review
    sheet: assessment_queries.Sheet
    result: live.LiveResult
    sections: list[Section]
    others_visible: bool
    other_labels: list[str]
    other_totals: list[Decimal]

    def rows(self) -> Iterator[ReviewRow]:
        for section in self.sections:
            yield from section.rows

    def row_for(self, entry_id: int) -> ReviewRow | None:
        return next((row for row in self.rows() if row.mine.pk == entry_id), None)

    @property
    def other_summary(self) -> list[tuple[str, Decimal]]:
        return list(zip(self.other_labels, self.other_totals, strict=True))

    @property
    def missing(self) -> list[ReviewRow]:
        return [row for row in self.rows() if row.own and row.rule.is_leaf and row.value in (None, "")]  # type: ignore[union-attr]


def review_entries(review: Review) -> list[ReviewEntry]:
    return list(ReviewEntry.objects.filter(review=review))


def load_review(review: Review, *, others_visible: bool, show_names: bool) -> ReviewSheet:
    """The review page's data (see the module). ``others_visible``: include the other
    submitted reviews' points; ``show_names``: label them by name (else "Người chấm 1, 2…")."""
    assignment = review.assignment
    assessment = services.school_assessment(assignment)
    if assessment is None:  # pragma: no cover -- the views check it first
        raise ValueError("no self-assessment")
    sheet = assessment_queries.load_sheet(assessment)
    nodes = list(CriterionNode.objects.filter(framework_id=assessment.campaign.framework_id).order_by("order", "pk"))
    mine = review_entries(review)
    school_entries = [row.entry for row in sheet.rows()]
    result = services.compute_review(review, nodes=nodes, school_entries=school_entries, review_entries=mine)
    by_node = {entry.node_id: entry for entry in mine}
    others: list[tuple[str, live.LiveResult]] = []
    if others_visible:
        rows = (
            Review.objects.filter(
                assignment__campaign_id=assignment.campaign_id,
                assignment__school_id=assignment.school_id,
                status=ReviewStatus.SUBMITTED,
            )
            .exclude(pk=review.pk)
            .select_related(
                "assignment__reviewer", "assignment__campaign__cluster_year", "assignment__campaign__framework"
            )
            .prefetch_related(Prefetch("entries", queryset=ReviewEntry.objects.all()))
            .order_by("assignment_id")
        )
        for n, other in enumerate(rows, start=1):
            label = (
                other.assignment.reviewer.get_full_name() or other.assignment.reviewer.get_username()
                if show_names
                else f"#{n}"
            )
            others.append(
                (
                    label,
                    services.compute_review(
                        other, nodes=nodes, school_entries=school_entries, review_entries=other.entries.all()
                    ),
                )
            )

    def review_row(row: assessment_queries.EntryRow) -> ReviewRow | None:
        entry = by_node.get(row.node.pk)
        if entry is None:
            return None
        entry.node = row.node
        entry.review = review
        score = result.scores.get(row.node.code)
        other_points = [
            OtherPoints(label, found.scores[row.node.code].points if row.node.code in found.scores else None)
            for label, found in others
        ]
        return ReviewRow(row, entry, row.rule, score, other_points)

    sections: list[Section] = []

    def walk(group: assessment_queries.GroupRow) -> None:
        rows = [r for child in group.children if child.is_entry if (r := review_row(child)) is not None]  # type: ignore[arg-type]
        mine_group = result.groups.get(group.node.code)
        sections.append(
            Section(
                group.node.title,
                group.node.code,
                group.depth,
                group.node.max_points,
                group.result.points if group.result is not None else None,
                mine_group.points if mine_group is not None else None,
                rows,
            )
        )
        for child in group.children:
            if not child.is_entry:
                walk(child)  # type: ignore[arg-type]

    for group in sheet.groups:
        walk(group)
    from django.utils.translation import gettext as _

    for title, code, part in (
        (_("Điểm thưởng"), "bonus", sheet.bonus),
        (_("Điểm trừ"), "penalty", sheet.penalty),
        (_("Điều kiện xét danh hiệu"), "conditions", sheet.conditions),
    ):
        extra = [r for row in part if (r := review_row(row)) is not None]
        if extra:
            sections.append(Section(title, code, 0, None, None, None, extra))
    return ReviewSheet(
        assignment=assignment,
        review=review,
        sheet=sheet,
        result=result,
        sections=sections,
        others_visible=others_visible,
        other_labels=[label for label, _r in others],
        other_totals=[found.total for _l, found in others],
    )
