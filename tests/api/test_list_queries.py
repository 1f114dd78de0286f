"""Every list endpoint filters what the caller may see in the database: it costs the same
number of queries however many rows it shows (here for alice, the secretariat of K's years,
who sees part of the rows of every kind)."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from tests.factories.assessments import make_assessment, make_campaign
from tests.factories.organizations import OrganizationFactory, make_cluster_year
from tests.factories.visibility import build_visibility_year
from thidua.awards.models import Proposal, ProposalStatus
from thidua.campaigns.models import Registration, ReviewerAssignment
from thidua.organizations.models import Membership, MembershipRole
from thidua.titles.models import Award
from thidua.voting.models import Ballot, Conference, RulePreset

QUERIES = {
    "/api/v1/campaigns/": 7,
    "/api/v1/registrations/": 5,
    "/api/v1/self-assessments/": 4,
    "/api/v1/review-assignments/": 4,
    "/api/v1/proposals/": 5,
    "/api/v1/conferences/": 6,
    "/api/v1/ballots/": 5,
}


def _grow(world, year, size):
    """``size`` more schools in K 2020 with their rows, and ``size`` more years of K (head A)
    with a campaign, a conference and a ballot each."""
    k2020 = year.campaigns["K2020"]
    award = Award.objects.get()
    preset = RulePreset.objects.get()
    conference = Conference.objects.get(cluster_year=world.year_2020)
    for n in range(size):
        school = OrganizationFactory(name=f"Trường thêm {n}", short_code=f"T{n}")
        Membership.objects.create(cluster_year=world.year_2020, organization=school, role=MembershipRole.MEMBER)
        make_assessment(k2020, school, submitted=True)
        Registration.objects.create(campaign=k2020, organization=school)
        Proposal.objects.create(campaign=k2020, nominee=school, award=award, status=ProposalStatus.SUBMITTED)
        ReviewerAssignment.objects.create(
            campaign=k2020, school=school, reviewer=year.users["rita"], reviewer_school=world.school_c
        )
        Ballot.objects.create(conference=conference, question=f"Lượt {n}", preset=preset)
        cluster_year = make_cluster_year([world.school_a, world.school_b], head=world.school_a, cluster=world.cluster,
                                         year=2000 + n)  # fmt: skip
        make_campaign(cluster_year)
        Conference.objects.create(
            cluster_year=cluster_year, date=datetime.date(2000 + n, 11, 9), place="Hội trường", host=world.school_a
        )


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("url", list(QUERIES))
def test_a_list_costs_the_same_queries_whatever_its_length(
    world, fast_password_hashing, django_assert_num_queries, url, size
):
    year = build_visibility_year(world)
    _grow(world, year, size)
    client = APIClient()
    client.force_authenticate(year.user("alice"))

    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] >= size
