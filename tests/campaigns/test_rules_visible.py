"""``campaigns.rules``: the filters of what a person may see return exactly the campaigns
and registrations the predicates ``campaigns.view_campaign`` and ``campaigns.view_registration``
let them read, for every persona (tests.factories.visibility)."""

from __future__ import annotations

import pytest

from tests.factories.visibility import PERSONAS, build_visibility_year
from thidua.campaigns.models import Campaign, Registration
from thidua.campaigns.rules import campaigns_visible_to, registrations_visible_to


@pytest.fixture
def year(world, fast_password_hashing):
    return build_visibility_year(world)


def _label(campaign):
    return f"{campaign.cluster_year.cluster.code}{campaign.cluster_year.year}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_campaign_filter_agrees_with_the_view_rule(year, persona, django_assert_max_num_queries):
    user = year.user(persona)
    rows = Campaign.objects.select_related("cluster_year__cluster").prefetch_related("cluster_year__memberships")
    expected = {_label(c) for c in rows if user.has_perm("campaigns.view_campaign", c)}

    with django_assert_max_num_queries(3):
        found = {_label(c) for c in campaigns_visible_to(user).select_related("cluster_year__cluster")}

    assert found == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_registration_filter_agrees_with_the_view_rule(year, persona, django_assert_max_num_queries):
    user = year.user(persona)
    rows = Registration.objects.select_related("campaign__cluster_year__cluster", "organization")
    expected = {
        (_label(r.campaign), r.organization.short_code) for r in rows if user.has_perm("campaigns.view_registration", r)
    }

    with django_assert_max_num_queries(3):
        found = {
            (_label(r.campaign), r.organization.short_code)
            for r in registrations_visible_to(user).select_related("campaign__cluster_year__cluster", "organization")
        }

    assert found == expected


def test_a_school_of_another_cluster_sees_neither_the_campaign_nor_its_registrations(year):
    frank = year.user("frank")
    assert {_label(c) for c in campaigns_visible_to(frank).select_related("cluster_year__cluster")} == {"L2020"}
    assert {r.organization.short_code for r in registrations_visible_to(frank).select_related("organization")} == {"C"}
