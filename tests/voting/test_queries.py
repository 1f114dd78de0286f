"""Default candidates: the eligible schools in rank order from the published results — eligible
for the ballot's award when it names a title of the framework."""

from __future__ import annotations

import pytest

from tests.factories.assessments import make_campaign
from tests.factories.organizations import OrganizationFactory
from tests.factories.results import publish_snapshot
from tests.voting.conftest import CERTIFICATE, FLAG, publish_results
from thidua.organizations.models import Membership
from thidua.titles import services as award_services
from thidua.titles.models import Award, AwardLevel
from thidua.voting import queries

pytestmark = pytest.mark.django_db


def test_default_candidates_follow_the_published_ranking_and_skip_the_ineligible(world, fast_password_hashing):
    campaign = make_campaign(world.year_2020)
    publish_snapshot(
        campaign,
        [
            {"code": "B", "total": "96.5", "rank": 1, "rank_label": "1", "eligible_titles": ["Cờ thi đua"]},
            {"code": "A", "total": "91.25", "rank": 2, "rank_label": "2", "eligible_titles": ["Cờ thi đua"]},
        ],
        rank_intervals={"A": [1, 2]},
    )
    default = queries.default_candidates(world.year_2020)
    assert default.from_results is True
    assert [(r.organization.short_code, r.basis["total"], r.basis["rank"]) for r in default.rows] == [
        ("B", "96.5", 1),
        ("A", "91.25", 2),
    ]
    assert (default.rows[1].basis["rank_low"], default.rows[1].basis["rank_high"]) == (1, 2)
    publish_snapshot(
        campaign,
        [
            {"code": "B", "total": "96.5", "rank": 1, "eligible_titles": []},
            {"code": "A", "total": "91.25", "rank": 2, "eligible_titles": ["Cờ thi đua"]},
        ],
    )
    assert [r.organization.short_code for r in queries.default_candidates(world.year_2020).rows] == ["A"]


def test_without_published_results_the_members_are_the_candidates(world):
    default = queries.default_candidates(world.year_2020)
    assert default.from_results is False
    assert [r.organization.short_code for r in default.rows] == ["A", "B"]


def test_candidates_show_the_rank_intervals_published_with_the_results(world, fast_password_hashing):
    campaign = make_campaign(world.year_2020)
    publish_snapshot(
        campaign,
        [
            {"code": "B", "total": "96.5", "rank": 1, "eligible_titles": ["Cờ thi đua"]},
            {"code": "A", "total": "91.25", "rank": 2, "eligible_titles": ["Cờ thi đua"]},
        ],
        rank_intervals={"A": [1, 3], "B": [1, 1]},
    )

    rows = queries.default_candidates(world.year_2020).rows

    assert [(r.organization.short_code, r.basis["rank_low"], r.basis["rank_high"]) for r in rows] == [
        ("B", 1, 1),
        ("A", 1, 3),
    ]


@pytest.fixture
def ranked(world, fast_password_hashing):
    """B first (eligible for both titles), A second (C.2 not met: no Cờ thi đua), X third (C.1 not
    met: no title at all); and the default award list."""
    x = OrganizationFactory(short_code="X", name="Trường Chính trị tỉnh Vĩnh Long")
    Membership.objects.create(cluster_year=world.year_2020, organization=x)
    award_services.install_award_list(actor=None)
    rows = [
        {"code": "B", "total": "96.5", "rank": 1, "eligible_titles": [FLAG, CERTIFICATE]},
        {"code": "A", "total": "91.25", "rank": 2, "eligible_titles": [CERTIFICATE]},
        {"code": "X", "total": "88", "rank": 3, "eligible_titles": []},
    ]
    return make_campaign(world.year_2020), rows


def _codes(default):
    return [r.organization.short_code for r in default.rows]


def test_a_school_blocked_for_the_flag_but_not_the_certificate_is_a_candidate_for_the_certificate_only(world, ranked):
    campaign, rows = ranked
    publish_results(campaign, rows)
    flag = queries.default_candidates(world.year_2020, award=Award.objects.get(code="co-hoc-vien"))
    certificate = queries.default_candidates(world.year_2020, award=Award.objects.get(code="bang-khen-giam-doc"))
    assert (_codes(flag), flag.title, flag.from_results) == (["B"], FLAG, True)
    assert (_codes(certificate), certificate.title) == (["B", "A"], CERTIFICATE)
    assert [r.basis["total"] for r in certificate.rows] == ["96.5", "91.25"]


def test_without_an_award_or_a_title_the_schools_eligible_for_any_title_are_the_candidates(world, ranked):
    campaign, rows = ranked
    publish_results(campaign, rows)
    no_title = Award.objects.get(code="huan-chuong-lao-dong-3")
    assert no_title.framework_title == ""
    assert _codes(queries.default_candidates(world.year_2020)) == ["B", "A"]
    assert _codes(queries.default_candidates(world.year_2020, award=no_title)) == ["B", "A"]


def test_a_title_no_condition_names_restricts_nobody(world, ranked):
    campaign, rows = ranked
    publish_results(campaign, rows)
    unnamed = Award.objects.create(
        code="lao-dong-xuat-sac", name="Tập thể Lao động xuất sắc", level=AwardLevel.PROVINCE,
        framework_title="Tập thể lao động xuất sắc",
    )  # fmt: skip
    assert _codes(queries.default_candidates(world.year_2020, award=unnamed)) == ["B", "A", "X"]


def test_when_every_ranked_school_is_blocked_for_the_title_nobody_is_a_default_candidate(world, ranked):
    campaign, rows = ranked
    for row in rows:
        row["eligible_titles"] = [t for t in row["eligible_titles"] if t != FLAG]
    publish_results(campaign, rows)
    flag = queries.default_candidates(world.year_2020, award=Award.objects.get(code="co-hoc-vien"))
    # the results are published: the list does not fall back to the members
    assert (flag.from_results, _codes(flag), flag.title) == (True, [], FLAG)
