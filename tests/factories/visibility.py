"""A small demo-like year for the tests that hold each ``*_visible_to`` filter to its predicate.

Built on the ``world`` fixture (clusters K and L; A heads K 2020, B heads K 2021 with A as a
deputy, C heads L 2020) with, for every kind of object, rows in every state a predicate tells
apart, and the personas that see different parts of them:

admin carol, Academy dave, observer erin, alice (officer of A: the head school of K 2020, so
its secretariat that year), bob (officer of B: K 2021's head), frank (officer of C in cluster
L), rita (reviewer, officer of C, assigned to review A in K 2020 and B in K 2021), dan
(delegate of B), sam (a secretariat grant for K 2021 only), kim (a secretariat grant for
cluster K in every year), leo (principal of B) and an anonymous visitor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories.accounts import UserFactory, grant
from tests.factories.assessments import make_assessment, make_campaign, make_framework
from thidua.accounts.models import Role
from thidua.awards.models import Proposal, ProposalStatus
from thidua.campaigns.models import Campaign, Registration, ReviewerAssignment, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.titles.models import Award
from thidua.voting.models import Ballot, Conference, RulePreset

PERSONAS = ("carol", "dave", "erin", "alice", "bob", "frank", "rita", "dan", "sam", "kim", "leo", "anonymous")


@dataclass
class VisibilityYear:
    users: dict[str, Any]
    campaigns: dict[str, Campaign]

    def user(self, name: str) -> Any:
        """A fresh copy of the persona (its roles are cached per user object, as per request)."""
        user = self.users[name]
        return AnonymousUser() if user is None else type(user).objects.get(pk=user.pk)


def build_visibility_year(world: Any) -> VisibilityYear:
    a, b, c = world.school_a, world.school_b, world.school_c
    l2020 = c.memberships.get().cluster_year
    users: dict[str, Any] = {name: getattr(world, name) for name in ("carol", "dave", "erin", "alice", "bob", "frank")}
    users["anonymous"] = None
    users["rita"] = UserFactory(username="rita", full_name="Rita Mai", organization=c)
    grant(users["rita"], Role.SCHOOL_OFFICER, organization=c)
    grant(users["rita"], Role.REVIEWER, organization=c)
    users["dan"] = UserFactory(username="dan", full_name="Dan Lý")
    grant(users["dan"], Role.DELEGATE, organization=b)
    users["sam"] = UserFactory(username="sam", full_name="Sam Vũ")
    grant(users["sam"], Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2021)
    users["kim"] = UserFactory(username="kim", full_name="Kim Hà")
    grant(users["kim"], Role.CLUSTER_SECRETARIAT, cluster=world.cluster)
    users["leo"] = UserFactory(username="leo", full_name="Leo Đặng", organization=b)
    grant(users["leo"], Role.SCHOOL_LEADER, organization=b)

    _frameworks(world)
    campaigns = {
        "K2020": make_campaign(world.year_2020, phase=Phase.REVIEW),
        "K2021": make_campaign(world.year_2021, phase=Phase.SELF_ASSESSMENT),
        "L2020": make_campaign(l2020, phase=Phase.PROPOSALS),
    }
    k2020, k2021, l2020_campaign = campaigns["K2020"], campaigns["K2021"], campaigns["L2020"]
    for campaign, school, submitted in (
        (k2020, a, True), (k2020, b, False), (k2021, a, False), (k2021, b, True), (l2020_campaign, c, True),
    ):  # fmt: skip
        make_assessment(campaign, school, submitted=submitted)
        Registration.objects.create(
            campaign=campaign,
            organization=school,
            status=SubmissionStatus.SUBMITTED if submitted else SubmissionStatus.DRAFT,
        )
    ReviewerAssignment.objects.create(campaign=k2020, school=a, reviewer=users["rita"], reviewer_school=c)
    ReviewerAssignment.objects.create(campaign=k2021, school=b, reviewer=users["rita"], reviewer_school=c)
    ReviewerAssignment.objects.create(campaign=l2020_campaign, school=c, reviewer=users["bob"], reviewer_school=b)

    award = Award.objects.create(code="co-thi-dua", name="Cờ thi đua", level="academy")
    for campaign, nominee, status in (
        (k2020, a, ProposalStatus.DRAFT), (k2020, b, ProposalStatus.SUBMITTED), (k2021, b, ProposalStatus.RETURNED),
        (k2021, a, ProposalStatus.APPROVED), (l2020_campaign, c, ProposalStatus.SUBMITTED),
    ):  # fmt: skip
        Proposal.objects.create(campaign=campaign, nominee=nominee, award=award, status=status)

    preset = RulePreset.objects.create(code="cum", name="Cụm", quorum=Decimal("0.66667"), threshold=Decimal("0.5"))
    for cluster_year, host in ((world.year_2020, a), (world.year_2021, b), (l2020, c)):
        conference = Conference.objects.create(
            cluster_year=cluster_year, date=datetime.date(cluster_year.year, 11, 9), place="Hội trường", host=host
        )
        Ballot.objects.create(conference=conference, question="Suy tôn Cờ thi đua", preset=preset)
    return VisibilityYear(users, campaigns)


def _frameworks(world: Any) -> None:
    """Published, archived and draft frameworks of every scope a rule tells apart."""
    make_framework(name="Mẫu chung")  # published, no cluster (each campaign adds one more)
    for name, cluster, year, status in (
        ("Nháp K 2020", world.cluster, 2020, FrameworkStatus.DRAFT),
        ("Nháp K 2021", world.cluster, 2021, FrameworkStatus.DRAFT),
        ("Nháp K mọi năm", world.cluster, None, FrameworkStatus.DRAFT),
        ("Nháp L 2020", world.other_cluster, 2020, FrameworkStatus.DRAFT),
        ("Nháp chung", None, None, FrameworkStatus.DRAFT),
        ("Lưu trữ L", world.other_cluster, 2019, FrameworkStatus.ARCHIVED),
        ("Ban hành K 2021", world.cluster, 2021, FrameworkStatus.PUBLISHED),
    ):
        Framework.objects.create(
            name=name,
            cluster=cluster,
            year=year,
            status=status,
            total=Decimal(100),
            published_at=timezone.now() if status != FrameworkStatus.DRAFT else None,
        )
