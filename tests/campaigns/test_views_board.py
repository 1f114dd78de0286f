"""The secretariat's progress board: per school, registration and self-assessment state, leaves
filled, required evidence missing, extensions and last activity — at a constant query cost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.campaigns.conftest import in_days, register
from tests.factories.organizations import OrganizationFactory
from thidua.assessments.models import AssessmentEntry, Evidence, SelfAssessment
from thidua.assessments.progress import progress_board
from thidua.campaigns import services
from thidua.campaigns.common import when
from thidua.campaigns.models import SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.models import CriterionNode
from thidua.organizations.models import Membership

pytestmark = pytest.mark.django_db

URL = "/campaigns/K/2020/progress/"


def node(year, code: str) -> CriterionNode:
    return CriterionNode.objects.get(framework=year.framework, code=code)


def assess(year, org, *, submitted: bool = False, values=None, evidence=()) -> SelfAssessment:
    """A self-assessment with the given entries ({code: {field: value}}) and evidence on codes."""
    assessment = SelfAssessment.objects.create(
        campaign=year.campaign,
        organization=org,
        status=SubmissionStatus.SUBMITTED if submitted else SubmissionStatus.DRAFT,
    )
    for code, fields in (values or {}).items():
        entry = AssessmentEntry.objects.create(assessment=assessment, node=node(year, code), **fields)
        if code in evidence:
            Evidence.objects.create(entry=entry, kind="link", title="Biên bản", url="https://example.org/bien-ban")
    return assessment


def test_the_board_shows_each_schools_states_leaves_filled_and_missing_evidence(year, client_for, html):
    world = year.world
    register(year, world.school_a, submit=True)
    register(year, world.school_b)
    assess(
        year,
        world.school_a,
        submitted=True,
        values={"I.1": {"actual": Decimal(42)}, "I.4": {"count": 3}},
        evidence=("I.4",),
    )
    assess(year, world.school_b, values={"I.4": {"count": 2}, "I.3": {"actual": None}})
    extension = services.grant_extension(
        actor=world.alice,
        campaign=year.campaign,
        organization=world.school_b,
        phase=Phase.SELF_ASSESSMENT,
        until=in_days(230),
        reason="Bão",
    )

    response = client_for(world.alice).get(URL)

    rows = [row[:6] for row in html.rows(response, "progress")]
    assert rows == [
        [
            "Trường Chính trị tỉnh Bạc Liêu",
            "Đang soạn",
            "Đang soạn",
            "1/4",
            "1",
            f"Tự chấm điểm: {when(extension.until)}",
        ],
        ["Trường Chính trị tỉnh Tiền Giang", "Đã ký duyệt", "Đã gửi", "2/4", "0", ""],
    ]
    assert html.text(response, "progress-summary").startswith("Đăng ký thi đua: 1/2 trường đã ký duyệt.")


def test_a_school_without_anything_yet_shows_as_not_started(year, client_for, html):
    response = client_for(year.world.alice).get(URL)

    assert html.rows(response, "progress")[0] == [
        "Trường Chính trị tỉnh Bạc Liêu",
        "Chưa đăng ký",
        "Chưa bắt đầu",
        "0/4",
        "1",
        "",
        "—",
    ]


def test_the_last_activity_is_the_latest_of_registration_entries_and_evidence(year):
    register(year, year.world.school_b)
    assessment = assess(year, year.world.school_b, values={"I.4": {"count": 1}}, evidence=("I.4",))
    latest = Evidence.objects.get().added_at

    row = next(r for r in progress_board(year.campaign) if r.organization == year.world.school_b)

    assert row.last_activity == max(latest, assessment.updated_at, AssessmentEntry.objects.get().updated_at)


@pytest.mark.parametrize("persona", ["bob", "frank"])
def test_the_board_is_for_the_secretariat(year, client_for, persona):
    response = client_for(getattr(year.world, persona)).get(URL)

    assert response.status_code == (403 if persona == "bob" else 404)


def test_the_academy_follows_the_board_too(year, client_for):
    assert client_for(year.world.dave).get(URL).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_board_costs_the_same_queries_whatever_the_number_of_schools(
    year, client_for, django_assert_num_queries, size
):
    for index in range(size):
        school = OrganizationFactory()
        Membership.objects.create(cluster_year=year.world.year_2020, organization=school)
        register(year, school, submit=index % 2 == 0)
        assess(year, school, values={"I.1": {"actual": Decimal(10)}, "I.4": {"count": 1}}, evidence=("I.4",))
    client = client_for(year.world.alice)
    client.get(URL)  # warm the content-type cache

    with django_assert_num_queries(11):
        response = client.get(URL)

    assert len(response.context["rows"]) == size + 2
