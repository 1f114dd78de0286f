"""``reviews.rules``: the filter of what a person may see returns exactly the reviewer assignments the
predicate ``reviews.view_assignment`` lets them read, for every persona (tests.factories.visibility)."""

from __future__ import annotations

import pytest

from tests.factories.visibility import PERSONAS, build_visibility_year
from thidua.campaigns.models import ReviewerAssignment
from thidua.reviews.rules import assignments_visible_to


@pytest.fixture
def year(world, fast_password_hashing):
    return build_visibility_year(world)


def _label(assignment):
    cy = assignment.campaign.cluster_year
    return f"{cy.cluster.code}{cy.year}-{assignment.school.short_code}-{assignment.reviewer.username}"


ROWS = ("campaign__cluster_year__cluster", "school", "reviewer")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_assignment_filter_agrees_with_the_view_rule(year, persona, django_assert_max_num_queries):
    user = year.user(persona)
    rows = ReviewerAssignment.objects.select_related(*ROWS)
    expected = {_label(a) for a in rows if user.has_perm("reviews.view_assignment", a)}

    with django_assert_max_num_queries(3):
        found = {_label(a) for a in assignments_visible_to(user).select_related(*ROWS)}

    assert found == expected


def test_a_reviewer_sees_their_own_assignments_and_those_of_the_year_their_school_runs(year):
    found = {_label(a) for a in assignments_visible_to(year.user("rita")).select_related(*ROWS)}

    assert found == {"K2020-A-rita", "K2021-B-rita", "L2020-C-bob"}  # rita's school C heads L 2020


def test_a_delegate_who_reviews_nobody_and_runs_no_year_sees_no_assignment(year):
    assert list(assignments_visible_to(year.user("dan"))) == []
