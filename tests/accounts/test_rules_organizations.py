"""Who may see an organisation's private data (yearly profiles, audit trail)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories.accounts import UserFactory, grant
from thidua.accounts.models import Role
from thidua.accounts.rules import can_see_organization_private, organizations_private_visible_to

pytestmark = pytest.mark.django_db

PRIVATE = "organizations.view_organization_private"


def can_see(user, org) -> bool:
    return user.has_perm(PRIVATE, org)


def test_school_bs_private_data_is_seen_by_its_own_officer_the_academy_and_the_secretariat(world, gina):
    # alice's school A heads K in 2020, a year B belongs to: alice is that year's secretariat.
    seers = {
        name
        for name in ("alice", "bob", "carol", "dave", "erin", "frank")
        if can_see(getattr(world, name), world.school_b)
    }

    assert seers == {"alice", "bob", "carol", "dave"}
    assert can_see(gina, world.school_b) is False


def test_a_fellow_member_of_the_same_cluster_year_cannot_see_another_members_private_data(world, gina):
    assert can_see(gina, world.school_b) is False
    assert can_see(gina, world.school_a) is False
    assert can_see(gina, gina.organization) is True


def test_the_head_of_2021_sees_the_members_of_2021(world, gina):
    assert can_see(world.bob, gina.organization) is True
    assert can_see(world.bob, world.school_a) is True


def test_the_secretariat_of_another_cluster_sees_nothing_of_k(world):
    assert can_see(world.frank, world.school_a) is False
    assert can_see(world.frank, world.school_b) is False
    assert can_see(world.frank, world.school_c) is True


def test_an_explicit_secretariat_grant_shows_the_members_of_that_cluster_only(world):
    grace = UserFactory(password=None)
    grant(grace, Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2021)

    assert can_see(grace, world.school_b) is True
    assert can_see(grace, world.school_c) is False


def test_a_secretariat_grant_for_a_year_a_school_was_not_a_member_shows_nothing(world, gina):
    grace = UserFactory(password=None)
    grant(grace, Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2020)

    assert can_see(grace, world.school_b) is True
    assert can_see(grace, gina.organization) is False  # D joined K only in 2021


def test_nobody_sees_a_missing_organisation_unless_admin(world):
    assert world.alice.has_perm(PRIVATE, None) is False
    assert world.carol.has_perm(PRIVATE, None) is True


def test_the_secretariat_of_a_merged_schools_year_may_see_its_predecessors_profiles(world):
    from tests.factories.accounts import UserFactory, grant
    from tests.factories.organizations import OrganizationFactory, make_cluster_year
    from thidua.accounts.models import Role
    from thidua.organizations.models import Succession

    merged = OrganizationFactory(short_code="AB")
    Succession.objects.create(predecessor=world.school_a, successor=merged, effective_date="2025-07-01")
    make_cluster_year([merged], head=merged, cluster=world.cluster, year=2026)
    officer = UserFactory(username="merged-officer")
    grant(officer, Role.SCHOOL_OFFICER, organization=merged)

    assert officer.has_perm("organizations.view_organization_private", world.school_a)
    assert not officer.has_perm("organizations.view_organization_private", world.school_b)


def _personas(world, gina):
    grace = UserFactory(username="grace", password=None)
    grant(grace, Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2020)
    hana = UserFactory(username="hana", password=None)
    grant(hana, Role.CLUSTER_SECRETARIAT, cluster=world.other_cluster)
    nobody = UserFactory(username="nobody", password=None)
    named = ("alice", "bob", "carol", "dave", "erin", "frank")
    return [getattr(world, n) for n in named] + [gina, grace, hana, nobody, AnonymousUser()]


def test_the_private_data_filter_returns_exactly_what_the_predicate_allows(world, gina):
    from tests.factories.organizations import OrganizationFactory, make_cluster_year
    from thidua.organizations.models import Organization, Succession

    merged = OrganizationFactory(short_code="AB")
    Succession.objects.create(predecessor=world.school_a, successor=merged, effective_date="2025-07-01")
    Succession.objects.create(predecessor=gina.organization, successor=merged, effective_date="2025-07-01")
    make_cluster_year([merged, world.school_c], head=merged, cluster=world.other_cluster, year=2026)
    every = list(Organization.objects.all())

    for user in _personas(world, gina):
        allowed = {org.short_code for org in every if can_see_organization_private(user, org)}
        filtered = {org.short_code for org in organizations_private_visible_to(user)}
        assert filtered == allowed, getattr(user, "username", "anonymous")


def test_the_private_data_filter_costs_the_same_queries_whatever_the_number_of_organisations(
    world, gina, django_assert_max_num_queries
):
    from tests.factories.organizations import OrganizationFactory, make_cluster_year

    schools = [OrganizationFactory() for _ in range(15)]
    make_cluster_year(schools, head=schools[0], cluster=world.cluster, year=2022)
    grace = UserFactory(password=None)
    grant(grace, Role.CLUSTER_SECRETARIAT, cluster=world.cluster)

    with django_assert_max_num_queries(4):
        assert len(list(organizations_private_visible_to(grace))) == 18  # A, B, D and the 15
