"""The named permissions of accounts, per persona."""

from __future__ import annotations

import pytest

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "carol", "dave", "erin", "frank"]


@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        ("accounts.manage_users", {"carol"}),
        ("accounts.view_audit_log", {"carol", "dave"}),
        ("organizations.change_organization", {"carol"}),
        ("organizations.change_cluster", {"carol"}),
        ("organizations.view_organization", set(PERSONAS)),
        ("organizations.view_cluster", set(PERSONAS)),
    ],
)
def test_each_permission_is_held_by_exactly_the_expected_personas(world, perm, allowed):
    holders = {name for name in PERSONAS if getattr(world, name).has_perm(perm)}

    assert holders == allowed


def test_a_superuser_holds_the_admins_permissions(db):
    root = UserFactory(password=None, is_superuser=True)

    assert root.has_perm("accounts.manage_users") is True
    assert root.has_perm("organizations.change_cluster") is True


def test_a_staff_flag_alone_grants_nothing(db):
    staff = UserFactory(password=None, is_staff=True)

    assert staff.has_perm("accounts.manage_users") is False
    assert staff.has_perm("accounts.view_audit_log") is False


def test_the_navigation_offers_self_assessment_to_school_staff_and_reviews_to_reviewers(world):
    from tests.factories.accounts import UserFactory, grant
    from thidua.accounts.models import Role

    reviewer = UserFactory(username="nav-reviewer")
    grant(reviewer, Role.REVIEWER, organization=world.school_b)

    assert world.bob.has_perm("accounts.nav_self_assessment")
    assert not world.bob.has_perm("accounts.nav_reviews")
    assert reviewer.has_perm("accounts.nav_reviews")
    assert not reviewer.has_perm("accounts.nav_self_assessment")
    assert not world.erin.has_perm("accounts.nav_self_assessment")
