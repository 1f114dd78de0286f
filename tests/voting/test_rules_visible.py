"""``voting.rules``: the filter of what a person may see returns exactly the conferences and ballots the
predicate ``voting.view_conference`` lets them read, for every persona (tests.factories.visibility)."""

from __future__ import annotations

import pytest

from tests.factories.visibility import PERSONAS, build_visibility_year
from thidua.voting.models import Ballot, Conference
from thidua.voting.rules import ballots_visible_to, conferences_visible_to


@pytest.fixture
def year(world, fast_password_hashing):
    return build_visibility_year(world)


def _label(conference):
    return f"{conference.cluster_year.cluster.code}{conference.cluster_year.year}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_conference_filter_agrees_with_the_view_rule(year, persona, django_assert_max_num_queries):
    user = year.user(persona)
    rows = Conference.objects.select_related("cluster_year__cluster").prefetch_related("cluster_year__memberships")
    expected = {_label(c) for c in rows if user.has_perm("voting.view_conference", c)}

    with django_assert_max_num_queries(3):
        found = {_label(c) for c in conferences_visible_to(user).select_related("cluster_year__cluster")}

    assert found == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_ballot_filter_follows_the_conference_rule(year, persona):
    user = year.user(persona)
    rows = Ballot.objects.select_related("conference__cluster_year__cluster")
    expected = {b.pk for b in rows if user.has_perm("voting.view_conference", b.conference)}

    assert {b.pk for b in ballots_visible_to(user)} == expected


def test_a_school_of_another_cluster_reads_only_its_own_conference(year):
    found = {_label(c) for c in conferences_visible_to(year.user("frank")).select_related("cluster_year__cluster")}

    assert found == {"L2020"}
