"""``assessments.rules``: the filter of what a person may see returns exactly the self-assessments the
predicate ``assessments.view_assessment`` lets them read, for every persona (tests.factories.visibility)."""

from __future__ import annotations

import pytest

from tests.factories.visibility import PERSONAS, build_visibility_year
from thidua.assessments.models import SelfAssessment
from thidua.assessments.rules import assessments_visible_to


@pytest.fixture
def year(world, fast_password_hashing):
    return build_visibility_year(world)


def _label(assessment):
    cy = assessment.campaign.cluster_year
    return f"{cy.cluster.code}{cy.year}-{assessment.organization.short_code}"


ROWS = ("campaign__cluster_year__cluster", "organization")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_self_assessment_filter_agrees_with_the_view_rule(year, persona, django_assert_max_num_queries):
    user = year.user(persona)
    rows = SelfAssessment.objects.select_related(*ROWS)
    expected = {_label(a) for a in rows if user.has_perm("assessments.view_assessment", a)}

    with django_assert_max_num_queries(3):
        found = {_label(a) for a in assessments_visible_to(user).select_related(*ROWS)}

    assert found == expected


def test_a_reviewer_sees_a_school_assigned_to_them_only_from_the_review_phase_on(year):
    found = {_label(a) for a in assessments_visible_to(year.user("rita")).select_related(*ROWS)}

    assert found == {"K2020-A", "L2020-C"}  # B's in K 2021 is assigned, but K 2021 is still self-assessing
