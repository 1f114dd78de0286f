"""A small campaign for the clarification, reconciliation and results tests: a framework of
two groups (I: I.1, I.2 of 10 points, capped at 15; II: II.1 of 10), N schools that
self-assessed, and reviewers from other schools who submitted reviews with given points."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import ClusterFactory, OrganizationFactory, make_cluster_year
from thidua.accounts.models import Role, User
from thidua.assessments import services as assessment_services
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.models import Campaign, ReviewerAssignment, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus, NodeKind
from thidua.organizations.models import Organization
from thidua.reviews.models import Review, ReviewEntry, ReviewStatus

LEAVES = ("I.1", "I.2", "II.1")


def make_framework() -> Framework:
    framework = Framework.objects.create(
        name="Bảng thử kết quả", total=Decimal(25), status=FrameworkStatus.PUBLISHED, published_at=timezone.now()
    )
    one = CriterionNode.objects.create(
        framework=framework, kind=NodeKind.GROUP, code="I", title="Nhóm I", max_points=Decimal(15), order=1
    )
    two = CriterionNode.objects.create(
        framework=framework, kind=NodeKind.GROUP, code="II", title="Nhóm II", max_points=Decimal(10), order=2
    )
    for order, (parent, code) in enumerate(((one, "I.1"), (one, "I.2"), (two, "II.1")), start=1):
        CriterionNode.objects.create(
            framework=framework, parent=parent, kind=NodeKind.LEAF, code=code, title=f"Tiêu chí {code}",
            max_points=Decimal(10), params={"rule": "manual"}, order=order,
        )  # fmt: skip
    return framework


@dataclass
class ResultsWorld:
    campaign: Campaign
    framework: Framework
    schools: list[Organization]
    officers: list[User]
    secretariat: User
    academy: User
    reviewers: list[User] = field(default_factory=list)

    def node(self, code: str) -> CriterionNode:
        return CriterionNode.objects.get(framework=self.framework, code=code)


def build(
    self_points: dict[str, dict[str, str]],
    reviews: dict[str, list[dict[str, str]]],
    *,
    policy: str = "mean",
    phase: str = Phase.RECONCILIATION,
    share: str = "0.2",
    tie_break: list[str] | None = None,
    cluster_code: str = "Q",
) -> ResultsWorld:
    """``self_points[school][leaf]``; ``reviews[school]`` one dict of leaf → points per reviewer."""
    academy = OrganizationFactory(kind="academy", short_code=f"HV{cluster_code}", name="Học viện")
    schools = [OrganizationFactory(short_code=code, name=f"Trường {code}") for code in self_points]
    cluster = ClusterFactory(code=cluster_code, name=f"Cụm {cluster_code}", coordinator=academy)
    year = make_cluster_year(schools, head=schools[0], cluster=cluster, year=2020)
    framework = make_framework()
    campaign = Campaign.objects.create(
        cluster_year=year, framework=framework, phase=phase, reconciliation_policy=policy,
        discrepancy_share=Decimal(share), tie_break=tie_break or [],
    )  # fmt: skip
    officers = []
    for school in schools:
        officer = UserFactory(username=f"of_{school.short_code.lower()}", full_name=f"Cán bộ {school.short_code}",
                              organization=school)  # fmt: skip
        grant(officer, Role.SCHOOL_OFFICER, organization=school)
        officers.append(officer)
        assessment = assessment_services.ensure_assessment(actor=None, campaign=campaign, organization=school)
        SelfAssessment.objects.filter(pk=assessment.pk).update(status=SubmissionStatus.SUBMITTED)
        for code, value in self_points[school.short_code].items():
            AssessmentEntry.objects.filter(assessment=assessment, node__code=code).update(points=Decimal(value))
    secretariat = officers[0]  # the head school's officer is the secretariat of the year
    academy_user = UserFactory(username=f"hv_{cluster_code.lower()}", full_name="Cán bộ Học viện", organization=academy)
    grant(academy_user, Role.ACADEMY_STAFF, organization=academy)
    world = ResultsWorld(campaign, framework, schools, officers, secretariat, academy_user)
    nodes = {code: world.node(code) for code in LEAVES}
    counter = 0
    for school in schools:
        others = [s for s in schools if s.pk != school.pk]
        for index, points in enumerate(reviews.get(school.short_code, [])):
            counter += 1
            home = others[index % len(others)]
            name = f"Giám khảo Nguyễn {counter}"
            reviewer = UserFactory(username=f"rv{cluster_code.lower()}{counter}", full_name=name,
                                   organization=home)  # fmt: skip
            grant(reviewer, Role.REVIEWER, organization=home, cluster=cluster, year=2020)
            world.reviewers.append(reviewer)
            assignment = ReviewerAssignment.objects.create(
                campaign=campaign, school=school, reviewer=reviewer, reviewer_school=home
            )
            review = Review.objects.create(
                assignment=assignment, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
            )
            for code, value in points.items():
                ReviewEntry.objects.create(review=review, node=nodes[code], points=Decimal(value),
                                           comment=f"Nhận xét {code} của người chấm {counter}")  # fmt: skip
    return world
