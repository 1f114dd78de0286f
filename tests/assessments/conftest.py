"""Self-assessment fixtures: cluster K's 2020 campaign on the reference framework (every
scoring rule), in the self-assessment phase, with the schools' principals and a reviewer.

alice — officer of A (head of K 2020 → secretariat that year); bob — officer of B;
binh  — principal (school leader) of B; an — principal of A;
rita  — reviewer from A (a grant only); tests assign her to B with campaigns.ReviewerAssignment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories.accounts import UserFactory, grant
from thidua.accounts.models import Role, User
from thidua.assessments import services
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.models import Campaign, Deadline, Registration, RegistrationTarget, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.builtin import ensure_reference_template
from thidua.criteria.models import CriterionNode, Framework


@pytest.fixture(autouse=True)
def _fast_password_hashing(fast_password_hashing):
    """Every test here hashes with a fast hasher."""


@dataclass
class Sheet:
    world: object
    framework: Framework
    campaign: Campaign
    assessment_b: SelfAssessment
    binh: User
    an: User
    rita: User

    def entry(self, code: str, assessment: SelfAssessment | None = None) -> AssessmentEntry:
        return AssessmentEntry.objects.select_related("node", "assessment").get(
            assessment=assessment or self.assessment_b, node__code=code
        )

    def node(self, code: str) -> CriterionNode:
        return CriterionNode.objects.get(framework=self.framework, code=code)

    def assessment(self, org) -> SelfAssessment:
        return services.ensure_assessment(actor=None, campaign=self.campaign, organization=org)


def register(campaign: Campaign, org, targets: dict[str, str], *, submitted: bool = True) -> Registration:
    registration = Registration.objects.create(
        campaign=campaign, organization=org, status=SubmissionStatus.SUBMITTED if submitted else SubmissionStatus.DRAFT
    )
    for code, value in targets.items():
        RegistrationTarget.objects.create(
            registration=registration,
            node=CriterionNode.objects.get(framework=campaign.framework, code=code),
            target=Decimal(value),
        )
    return registration


@pytest.fixture
def sheet(world) -> Sheet:
    framework = ensure_reference_template()
    campaign = Campaign.objects.create(cluster_year=world.year_2020, framework=framework, phase=Phase.SELF_ASSESSMENT)
    Deadline.objects.create(
        campaign=campaign, phase=Phase.SELF_ASSESSMENT, due_at=timezone.now() + datetime.timedelta(days=10)
    )
    binh = UserFactory(username="binh", full_name="Bình Lê", organization=world.school_b)
    grant(binh, Role.SCHOOL_LEADER, organization=world.school_b)
    an = UserFactory(username="an", full_name="An Trần", organization=world.school_a)
    grant(an, Role.SCHOOL_LEADER, organization=world.school_a)
    rita = UserFactory(username="rita", full_name="Rita Phan", organization=world.school_a)
    grant(rita, Role.REVIEWER, organization=world.school_a, cluster=world.cluster, year=2020)
    assessment_b = services.ensure_assessment(actor=None, campaign=campaign, organization=world.school_b)
    return Sheet(world, framework, campaign, assessment_b, binh, an, rita)


def save(user, entry: AssessmentEntry, **values) -> AssessmentEntry:
    """Save one entry at its current version (the usual case in tests)."""
    fresh = AssessmentEntry.objects.get(pk=entry.pk)
    return services.save_entry(actor=user, entry=fresh, expected_version=fresh.version, **values)
