"""Campaigns and self-assessments for tests: a small published framework, a campaign of a
cluster year in a given phase, a school's self-assessment with one entry per criterion."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from thidua.assessments import services
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.models import Campaign, Deadline, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus, NodeKind
from thidua.organizations.models import ClusterYear, Organization


def make_framework(*, leaves: int = 2, name: str = "Bảng tiêu chí thử") -> Framework:
    """A published framework: group I with ``leaves`` manual criteria I.1, I.2, … of 10 points."""
    framework = Framework.objects.create(
        name=name, total=Decimal(10 * leaves), status=FrameworkStatus.PUBLISHED, published_at=timezone.now()
    )
    group = CriterionNode.objects.create(
        framework=framework, kind=NodeKind.GROUP, code="I", title="Nhóm I", max_points=Decimal(10 * leaves), order=1
    )
    CriterionNode.objects.bulk_create(
        CriterionNode(
            framework=framework,
            parent=group,
            kind=NodeKind.LEAF,
            code=f"I.{n}",
            title=f"Tiêu chí I.{n}",
            evidence="Báo cáo, quyết định",
            max_points=Decimal(10),
            params={"rule": "manual"},
            order=n,
        )
        for n in range(1, leaves + 1)
    )
    return framework


def make_campaign(
    cluster_year: ClusterYear,
    *,
    phase: str = Phase.SELF_ASSESSMENT,
    framework: Framework | None = None,
    due_at: datetime.datetime | None = None,
) -> Campaign:
    """The cluster year's campaign in ``phase``; ``due_at`` the self-assessment deadline (none if None)."""
    campaign = Campaign.objects.create(cluster_year=cluster_year, framework=framework or make_framework(), phase=phase)
    if due_at is not None:
        Deadline.objects.create(campaign=campaign, phase=Phase.SELF_ASSESSMENT, due_at=due_at)
    return campaign


def make_assessment(campaign: Campaign, organization: Organization, *, submitted: bool = False) -> SelfAssessment:
    """The school's self-assessment with its entries (submitted, i.e. locked, if asked)."""
    assessment = services.ensure_assessment(actor=None, campaign=campaign, organization=organization)
    if submitted:
        SelfAssessment.objects.filter(pk=assessment.pk).update(
            status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now()
        )
        assessment.refresh_from_db()
    return assessment


def entry_of(assessment: SelfAssessment, code: str) -> AssessmentEntry:
    return AssessmentEntry.objects.select_related("node", "assessment").get(assessment=assessment, node__code=code)
