"""Peer-review fixtures: cluster K's 2020 campaign on the reference framework in the review
phase, with a third member school E, submitted self-assessments of A, B and E, and reviewers.

rita — reviewer of A; rosa — reviewer of A; rex — reviewer of E; ravi — reviewer of B.
``rev.assign(reviewer, school)`` makes an assignment directly (no generation).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import OrganizationFactory, ProfileFactory
from thidua.accounts.models import Role, User
from thidua.assessments import services as assessment_services
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.assignments import services as assignment_services
from thidua.campaigns.models import Campaign, Deadline, ReviewerAssignment, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.builtin import ensure_reference_template
from thidua.organizations.models import Membership, MembershipRole, Organization
from thidua.reviews import services
from thidua.reviews.models import Review, ReviewEntry


@pytest.fixture(autouse=True)
def _fast_password_hashing(fast_password_hashing):
    """Every test here hashes with a fast hasher."""


@dataclass
class Rev:
    world: object
    campaign: Campaign
    school_e: Organization
    rita: User
    rosa: User
    rex: User
    ravi: User

    def assessment(self, org) -> SelfAssessment:
        return SelfAssessment.objects.get(campaign=self.campaign, organization=org)

    def assign(self, reviewer: User, school: Organization) -> ReviewerAssignment:
        home = assignment_services._reviewer_school(self.campaign, reviewer.pk)
        return ReviewerAssignment.objects.create(
            campaign=self.campaign, school=school, reviewer=reviewer, reviewer_school_id=home
        )

    def review(self, reviewer: User, school: Organization) -> Review:
        assignment = ReviewerAssignment.objects.filter(campaign=self.campaign, reviewer=reviewer, school=school).first()
        if assignment is None:
            assignment = self.assign(reviewer, school)
        return services.ensure_review(actor=reviewer, assignment=assignment)

    def entry(self, review: Review, code: str) -> ReviewEntry:
        return ReviewEntry.objects.select_related("node", "review").get(review=review, node__code=code)

    def save(self, user, review: Review, code: str, **values) -> ReviewEntry:
        entry = self.entry(review, code)
        return services.save_entry(actor=user, entry=entry, expected_version=entry.version, **values)

    def fill_own(self, user, review: Review) -> None:
        """Give every manual/levels item of the review a value (so that it can be submitted)."""
        from thidua.criteria.entries import entry_rule

        for entry in ReviewEntry.objects.filter(review=review).select_related("node"):
            rule = entry_rule(entry.node)
            if services.is_own_rule(rule):
                value = rule.level_names[0] if rule.field == "level" else Decimal(1)
                services.save_entry(actor=user, entry=entry, expected_version=entry.version, value=value)


SCHOOL_VALUES = {
    "I.1": ("level", "Tốt"),
    "I.2": ("passed", True),
    "I.4": ("points", Decimal("1.5")),
    "II.3": ("count", 4),
    "II.4": ("actual", Decimal(70)),
    "III.5": ("points", Decimal(2)),
}


def fill_school(assessment: SelfAssessment) -> None:
    for code, (field, value) in SCHOOL_VALUES.items():
        AssessmentEntry.objects.filter(assessment=assessment, node__code=code).update(**{field: value})


@pytest.fixture
def rev(world) -> Rev:
    framework = ensure_reference_template()
    school_e = OrganizationFactory(name="Trường Chính trị tỉnh Sóc Trăng", short_code="E", province="Sóc Trăng")
    Membership.objects.create(cluster_year=world.year_2020, organization=school_e, role=MembershipRole.MEMBER)
    ProfileFactory(organization=school_e, year=2020)
    campaign = Campaign.objects.create(
        cluster_year=world.year_2020, framework=framework, phase=Phase.SELF_ASSESSMENT, reviewers_per_school=2
    )
    for org in (world.school_a, world.school_b, school_e):
        assessment = assessment_services.ensure_assessment(actor=None, campaign=campaign, organization=org)
        fill_school(assessment)
        SelfAssessment.objects.filter(pk=assessment.pk).update(
            status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now()
        )
    Campaign.objects.filter(pk=campaign.pk).update(phase=Phase.REVIEW)
    campaign.refresh_from_db()
    Deadline.objects.create(campaign=campaign, phase=Phase.REVIEW, due_at=timezone.now() + datetime.timedelta(days=10))
    people = {}
    for username, name, org in (
        ("rita", "Rita Phan", world.school_a),
        ("rosa", "Rosa Lý", world.school_a),
        ("rex", "Rex Đinh", school_e),
        ("ravi", "Ravi Tô", world.school_b),
    ):
        user = UserFactory(username=username, full_name=name, organization=org)
        grant(user, Role.REVIEWER, organization=org, cluster=world.cluster, year=2020)
        people[username] = user
    return Rev(world, campaign, school_e, **people)
