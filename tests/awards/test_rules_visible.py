"""``awards.rules``: the filter of what a person may see returns exactly the proposals the
predicate ``awards.view_proposal`` lets them read, for every persona (tests.factories.visibility)."""

from __future__ import annotations

import pytest

from tests.factories.visibility import PERSONAS, build_visibility_year
from thidua.awards.models import Proposal
from thidua.awards.rules import proposals_visible_to


@pytest.fixture
def year(world, fast_password_hashing):
    return build_visibility_year(world)


def _label(proposal):
    cy = proposal.campaign.cluster_year
    return f"{cy.cluster.code}{cy.year}-{proposal.nominee.short_code}-{proposal.status}"


ROWS = ("campaign__cluster_year__cluster", "nominee")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_proposal_filter_agrees_with_the_view_rule(year, persona, django_assert_max_num_queries):
    user = year.user(persona)
    rows = Proposal.objects.select_related(*ROWS).prefetch_related("campaign__cluster_year__memberships")
    expected = {_label(p) for p in rows if user.has_perm("awards.view_proposal", p)}

    with django_assert_max_num_queries(3):
        found = {_label(p) for p in proposals_visible_to(user).select_related(*ROWS)}

    assert found == expected


def test_a_fellow_member_does_not_see_a_draft_about_another_school(year):
    found = {_label(p) for p in proposals_visible_to(year.user("bob")).select_related(*ROWS)}

    assert found == {"K2020-B-submitted", "K2021-B-returned", "K2021-A-approved"}
