"""Reading the assignments for the pages and the API, in a number of queries that does not
grow with the number of schools or reviewers.

- ``assignments`` — assignments with their campaign, school, reviewer and review (if any);
- ``assignment_table`` — the secretariat's table: each member school with its reviewers,
  each reviewer with their load (and how many of their reviews are submitted), the conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from thidua.accounts.models import User
from thidua.campaigns.assignments.services import reviewer_pool
from thidua.campaigns.models import Campaign, ConflictDeclaration, ReviewerAssignment, SubmissionStatus
from thidua.organizations.models import Membership, Organization


def assignments() -> QuerySet[ReviewerAssignment]:
    return ReviewerAssignment.objects.select_related(
        "campaign__cluster_year__cluster", "campaign__framework", "school", "reviewer", "reviewer_school", "review"
    )


@dataclass
class ReviewerLoad:
    user: Any
    school: Organization | None
    load: int = 0
    submitted: int = 0


@dataclass
class SchoolRow:
    school: Organization
    assignments: list[ReviewerAssignment] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.assignments)


@dataclass
class AssignmentTable:
    campaign: Campaign
    schools: list[SchoolRow]
    reviewers: list[ReviewerLoad]
    conflicts: list[ConflictDeclaration]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.schools)

    @property
    def load_spread(self) -> tuple[int, int]:
        loads = [r.load for r in self.reviewers] or [0]
        return min(loads), max(loads)

    @property
    def short(self) -> list[SchoolRow]:
        return [row for row in self.schools if row.count < self.campaign.reviewers_per_school]


def assignment_table(campaign: Campaign) -> AssignmentTable:
    """Members × reviewers with loads, in five queries whatever the size."""
    members = [
        m.organization
        for m in Membership.objects.filter(cluster_year_id=campaign.cluster_year_id)
        .select_related("organization")
        .order_by("organization__name_sort")
    ]
    rows = {org.pk: SchoolRow(org) for org in members}
    pool = reviewer_pool(campaign)
    users = {u.pk: u for u in User.objects.filter(pk__in=[uid for ids in pool.values() for uid in ids])}
    orgs = {org.pk: org for org in members}
    loads: dict[int, ReviewerLoad] = {}
    for org_id, ids in pool.items():
        for uid in ids:
            loads[uid] = ReviewerLoad(users[uid], orgs.get(org_id))
    for assignment in assignments().filter(campaign=campaign).order_by("reviewer__username"):
        if assignment.school_id in rows:
            rows[assignment.school_id].assignments.append(assignment)
        load = loads.get(assignment.reviewer_id)
        if load is None:
            load = loads[assignment.reviewer_id] = ReviewerLoad(assignment.reviewer, assignment.reviewer_school)
        load.load += 1
        review = getattr(assignment, "review", None)
        if review is not None and review.status == SubmissionStatus.SUBMITTED:
            load.submitted += 1
    conflicts = list(
        ConflictDeclaration.objects.filter(campaign=campaign)
        .select_related("reviewer", "school")
        .order_by("created_at")
    )
    reviewers = sorted(loads.values(), key=lambda r: (r.school.name_sort if r.school else "", r.user.get_username()))
    return AssignmentTable(campaign, list(rows.values()), reviewers, conflicts)
