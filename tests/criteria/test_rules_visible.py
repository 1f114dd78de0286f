"""``criteria.rules``: the filter of what a person may see returns exactly the frameworks the
predicate ``criteria.view_framework`` lets them read, for every persona (tests.factories.visibility)."""

from __future__ import annotations

import pytest

from tests.factories.visibility import PERSONAS, build_visibility_year
from thidua.criteria.models import Framework
from thidua.criteria.rules import frameworks_visible_to


@pytest.fixture
def year(world, fast_password_hashing):
    return build_visibility_year(world)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_framework_filter_agrees_with_the_view_rule(year, persona, django_assert_max_num_queries):
    user = year.user(persona)
    expected = {f.name for f in Framework.objects.all() if user.has_perm("criteria.view_framework", f)}

    with django_assert_max_num_queries(3):  # the roles (two queries), then the filter
        found = {f.name for f in frameworks_visible_to(user)}

    assert found == expected


def test_a_secretariat_sees_the_drafts_of_its_years_and_of_no_year_but_not_the_others(year):
    assert {f.name for f in frameworks_visible_to(year.user("sam"))} == {
        "Mẫu chung", "Lưu trữ L", "Ban hành K 2021", "Nháp K 2021", "Nháp K mọi năm", "Bảng tiêu chí thử",
    }  # fmt: skip
