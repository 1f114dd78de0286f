"""The secretariat's progress board (tiến độ các trường): per member school, the state of its
registration and self-assessment, leaves filled, required evidence missing, extensions and
last activity — in a fixed number of queries whatever the number of schools.

It reads both the campaign's registrations and the self-assessments, so it lives here, above
campaigns.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from thidua.assessments.models import SelfAssessment
from thidua.campaigns.models import Campaign, Extension, Registration, SubmissionStatus
from thidua.campaigns.queries import memberships
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.organizations.models import Membership, Organization


@dataclass
class ProgressRow:
    membership: Membership
    registration: Registration | None
    assessment: SelfAssessment | None
    leaves_total: int
    leaves_filled: int
    evidence_required: int
    evidence_missing: int
    extensions: list[Extension]
    last_activity: datetime.datetime | None

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def registration_state(self) -> str:
        if self.registration is None:
            return "none"
        return "submitted" if self.registration.status == SubmissionStatus.SUBMITTED else "draft"

    @property
    def assessment_state(self) -> str:
        if self.assessment is None:
            return "none"
        return "submitted" if self.assessment.status == SubmissionStatus.SUBMITTED else "draft"


def _filled() -> Q:
    return Q(entries__node__kind=NodeKind.LEAF) & (
        Q(entries__points__isnull=False)
        | Q(entries__passed__isnull=False)
        | Q(entries__count__isnull=False)
        | Q(entries__actual__isnull=False)
        | (Q(entries__level__isnull=False) & ~Q(entries__level=""))
    )


def progress_board(campaign: Campaign) -> list[ProgressRow]:
    """Per member school: registration and self-assessment state, leaves filled, required
    evidence missing (a leaf that asks for evidence and has none), extensions, last activity."""
    members = memberships(campaign)
    leaf_counts = CriterionNode.objects.filter(framework_id=campaign.framework_id, kind=NodeKind.LEAF).aggregate(
        total=Count("pk"), with_evidence=Count("pk", filter=~Q(evidence=""))
    )
    registrations = {r.organization_id: r for r in Registration.objects.filter(campaign=campaign)}
    assessments = {
        a.organization_id: a
        for a in SelfAssessment.objects.filter(campaign=campaign).annotate(
            filled=Count("entries", filter=_filled(), distinct=True),
            evidenced=Count(
                "entries",
                filter=Q(entries__node__kind=NodeKind.LEAF)
                & ~Q(entries__node__evidence="")
                & Q(entries__evidence__isnull=False),
                distinct=True,
            ),
            last_entry=Max("entries__updated_at"),
            last_evidence=Max("entries__evidence__added_at"),
        )
    }
    extensions: dict[int, list[Extension]] = {}
    for extension in Extension.objects.filter(campaign=campaign).order_by("phase"):
        extensions.setdefault(extension.organization_id, []).append(extension)
    required = int(leaf_counts["with_evidence"] or 0)
    rows = []
    for membership in members:
        org_id = membership.organization_id
        registration = registrations.get(org_id)
        assessment = assessments.get(org_id)
        evidenced = int(getattr(assessment, "evidenced", 0) or 0)
        moments = [
            registration.updated_at if registration else None,
            assessment.updated_at if assessment else None,
            getattr(assessment, "last_entry", None),
            getattr(assessment, "last_evidence", None),
        ]
        present = [m for m in moments if m is not None]
        rows.append(
            ProgressRow(
                membership=membership,
                registration=registration,
                assessment=assessment,
                leaves_total=int(leaf_counts["total"] or 0),
                leaves_filled=int(getattr(assessment, "filled", 0) or 0),
                evidence_required=required,
                evidence_missing=max(required - evidenced, 0),
                extensions=extensions.get(org_id, []),
                last_activity=max(present) if present else None,
            )
        )
    return rows
