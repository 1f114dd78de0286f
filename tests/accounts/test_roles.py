"""``roleset``: the roles a user holds, resolved from role data (PRODUCT.md §1)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import OrganizationFactory, make_cluster_year
from thidua.accounts.models import Role
from thidua.accounts.roles import RoleSet, forget, roleset

pytestmark = pytest.mark.django_db


def test_alice_officer_of_the_2020_head_school_is_secretariat_of_k_in_2020_only(world):
    rs = roleset(world.alice)

    assert rs.roles() == {Role.SCHOOL_OFFICER, Role.CLUSTER_SECRETARIAT}
    assert rs.is_secretariat(world.cluster.pk, 2020) is True
    assert rs.is_secretariat(world.cluster.pk, 2021) is False  # A is only a deputy in 2021
    assert rs.is_secretariat(world.other_cluster.pk, 2020) is False
    assert rs.secretariat_anywhere() is True
    assert rs.school_ids == {world.school_a.pk}
    assert rs.member_clusters == {world.cluster.pk}
    assert (rs.is_admin, rs.is_academy, rs.is_observer) == (False, False, False)


def test_bob_officer_of_the_2021_head_school_is_secretariat_of_k_in_2021_only(world):
    rs = roleset(world.bob)

    assert rs.is_secretariat(world.cluster.pk, 2021) is True
    assert rs.is_secretariat(world.cluster.pk, 2020) is False
    assert rs.led_cluster_years == {(world.cluster.pk, 2021)}
    assert rs.school_ids == {world.school_b.pk}


def test_frank_is_secretariat_of_his_own_cluster_and_not_of_k(world):
    rs = roleset(world.frank)

    assert rs.is_secretariat(world.other_cluster.pk, 2020) is True
    assert rs.is_secretariat(world.cluster.pk, 2020) is False
    assert rs.member_clusters == {world.other_cluster.pk}


def test_carol_is_admin_and_secretariat_of_nothing(world):
    rs = roleset(world.carol)

    assert rs.roles() == {Role.ADMIN}
    assert rs.is_admin is True
    assert rs.is_secretariat(world.cluster.pk, 2020) is False
    assert rs.secretariat_anywhere() is False
    assert rs.school_ids == set()


def test_dave_is_academy_staff(world):
    rs = roleset(world.dave)

    assert rs.roles() == {Role.ACADEMY_STAFF}
    assert (rs.is_admin, rs.is_academy, rs.is_observer) == (False, True, False)
    assert rs.secretariat_anywhere() is False


def test_erin_is_an_observer_only(world):
    rs = roleset(world.erin)

    assert rs.roles() == {Role.OBSERVER}
    assert (rs.is_admin, rs.is_academy, rs.is_observer) == (False, False, True)
    assert rs.secretariat_anywhere() is False


def test_an_explicit_secretariat_grant_covers_its_cluster_and_year_only(world):
    grace = UserFactory(password=None)
    grant(grace, Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2021)

    rs = roleset(grace)

    assert rs.is_secretariat(world.cluster.pk, 2021) is True
    assert rs.is_secretariat(world.cluster.pk, 2020) is False
    assert rs.is_secretariat(world.other_cluster.pk, 2021) is False
    assert rs.roles() == {Role.CLUSTER_SECRETARIAT}


def test_a_secretariat_grant_without_a_year_covers_every_year_of_its_cluster(world):
    grace = UserFactory(password=None)
    grant(grace, Role.CLUSTER_SECRETARIAT, cluster=world.cluster)

    rs = roleset(grace)

    assert rs.is_secretariat(world.cluster.pk, 2020) is True
    assert rs.is_secretariat(world.cluster.pk, 2031) is True
    assert rs.is_secretariat(world.other_cluster.pk, 2020) is False


def test_a_deputy_schools_officer_needs_a_grant_to_act_as_secretariat(world):
    # A is a deputy in K 2021: alice has no secretariat rights that year until delegated.
    assert roleset(world.alice).is_secretariat(world.cluster.pk, 2021) is False
    grant(world.alice, Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2021, organization=world.school_a)
    forget(world.alice)

    assert roleset(world.alice).is_secretariat(world.cluster.pk, 2021) is True


def test_the_head_schools_leader_is_secretariat_but_not_its_reviewer_or_delegate(world):
    leader, reviewer, delegate = (UserFactory(password=None) for _ in range(3))
    grant(leader, Role.SCHOOL_LEADER, organization=world.school_a)
    grant(reviewer, Role.REVIEWER, organization=world.school_a, cluster=world.cluster, year=2020)
    grant(delegate, Role.DELEGATE, organization=world.school_a, cluster=world.cluster, year=2020)

    assert roleset(leader).is_secretariat(world.cluster.pk, 2020) is True
    assert roleset(reviewer).is_secretariat(world.cluster.pk, 2020) is False
    assert roleset(delegate).is_secretariat(world.cluster.pk, 2020) is False


def test_an_officer_of_a_plain_member_school_is_not_secretariat(world):
    school_d = OrganizationFactory(short_code="D")
    make_cluster_year([school_d, world.school_c], head=world.school_c, cluster=world.other_cluster, year=2021)
    gina = UserFactory(password=None)
    grant(gina, Role.SCHOOL_OFFICER, organization=school_d)

    rs = roleset(gina)

    assert rs.roles() == {Role.SCHOOL_OFFICER}
    assert rs.secretariat_anywhere() is False
    assert rs.member_clusters == {world.other_cluster.pk}


def test_a_superuser_counts_as_admin_without_a_grant(db):
    root = UserFactory(password=None, is_superuser=True)

    rs = roleset(root)

    assert rs.is_admin is True
    assert rs.roles() == {Role.ADMIN}
    assert root.has_perm("accounts.manage_users") is True


def test_an_anonymous_visitor_holds_no_role(db):
    rs = roleset(AnonymousUser())

    assert rs == RoleSet()
    assert rs.roles() == set()
    assert roleset(None).is_admin is False


def test_roles_load_in_two_queries_and_are_then_cached_on_the_user(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        first = roleset(world.alice)
    with django_assert_num_queries(0):
        second = roleset(world.alice)

    assert second is first


def test_forget_drops_the_cached_roles(world):
    before = roleset(world.erin)
    grant(world.erin, Role.ACADEMY_STAFF)

    assert roleset(world.erin).is_academy is False  # still the cached answer
    forget(world.erin)
    assert roleset(world.erin) is not before
    assert roleset(world.erin).is_academy is True
