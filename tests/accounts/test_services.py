"""Changes to users and role grants: each audited, each validated."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories.accounts import UserFactory, grant
from thidua.accounts import services
from thidua.accounts.models import Role, RoleAssignment, User
from thidua.accounts.roles import roleset
from thidua.core.audit import entries_for
from thidua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_create_user_saves_the_person_with_a_hashed_password(world):
    user = services.create_user(
        actor=world.carol,
        username="canbo.dt",
        full_name="Nguyễn Thị Đào",
        email="dao@example.vn",
        password="mat-khau-rat-dai-2026",
        organization=world.school_a,
        position="Chuyên viên",
    )

    user.refresh_from_db()
    assert (user.username, user.full_name, user.email, user.position) == (
        "canbo.dt",
        "Nguyễn Thị Đào",
        "dao@example.vn",
        "Chuyên viên",
    )
    assert user.organization == world.school_a
    assert user.check_password("mat-khau-rat-dai-2026") is True
    assert user.password != "mat-khau-rat-dai-2026"


def test_create_user_writes_an_audit_row(world):
    user = services.create_user(
        actor=world.carol, username="canbo.dt", full_name="Nguyễn Thị Đào", organization=world.school_a
    )

    (entry,) = entries_for(user)
    assert entry.actor == world.carol
    assert entry.action == "user.create"
    assert entry.object_repr == "Nguyễn Thị Đào"
    assert entry.data == {"username": "canbo.dt", "organization": "Trường Chính trị tỉnh Tiền Giang"}


def test_create_user_without_a_password_leaves_it_unusable(world):
    user = services.create_user(actor=world.carol, username="moi", full_name="Người Mới")

    assert user.has_usable_password() is False


def test_create_user_refuses_a_username_taken_in_another_case(world):
    before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.create_user(actor=world.carol, username="ALICE", full_name="Alice Khác")

    assert excinfo.value.message_dict == {"username": ["Tên đăng nhập “ALICE” đã có người dùng."]}
    assert User.objects.filter(username__iexact="alice").count() == 1
    assert AuditEntry.objects.count() == before


def test_create_user_refuses_a_malformed_email_and_saves_nothing(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(actor=world.carol, username="moi", full_name="Người Mới", email="khong-phai-email")

    assert list(excinfo.value.message_dict) == ["email"]
    assert not User.objects.filter(username="moi").exists()
    assert not AuditEntry.objects.filter(action="user.create").exists()


def test_grant_role_adds_the_assignment_and_audits_it(world):
    assignment = services.grant_role(
        actor=world.carol, user=world.bob, role=Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2020
    )

    assert (assignment.user, assignment.role, assignment.cluster, assignment.year) == (
        world.bob,
        Role.CLUSTER_SECRETARIAT,
        world.cluster,
        2020,
    )
    (entry,) = entries_for(world.bob)
    assert (entry.actor, entry.action) == (world.carol, "role.grant")
    assert entry.data == {"role": "cluster_secretariat", "organization": None, "cluster": "Cụm thi đua K", "year": 2020}


def test_grant_role_takes_effect_on_the_users_cached_roles(world):
    assert roleset(world.bob).is_secretariat(world.cluster.pk, 2020) is False

    services.grant_role(actor=world.carol, user=world.bob, role=Role.CLUSTER_SECRETARIAT, cluster=world.cluster)

    assert roleset(world.bob).is_secretariat(world.cluster.pk, 2020) is True


@pytest.mark.parametrize(
    ("role", "scope", "errors"),
    [
        ("king", {}, {"role": ["Vai trò không hợp lệ."]}),
        (Role.SCHOOL_OFFICER, {}, {"organization": ["Vai trò “Cán bộ thi đua trường” cần chọn đơn vị."]}),
        (Role.REVIEWER, {"year": 2020}, {"organization": ["Vai trò “Người chấm chéo” cần chọn đơn vị."]}),
        (Role.CLUSTER_SECRETARIAT, {"year": 2020}, {"cluster": ["Vai trò Thường trực Cụm cần chọn cụm."]}),
    ],
)
def test_grant_role_refuses_an_incomplete_scope_and_saves_nothing(world, role, scope, errors):
    before = RoleAssignment.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.grant_role(actor=world.carol, user=world.erin, role=role, **scope)

    assert excinfo.value.message_dict == errors
    assert RoleAssignment.objects.count() == before
    assert not entries_for(world.erin).exists()


def test_grant_role_refuses_the_same_grant_twice(world):
    with pytest.raises(ValidationError) as excinfo:
        services.grant_role(actor=world.carol, user=world.alice, role=Role.SCHOOL_OFFICER, organization=world.school_a)

    assert excinfo.value.messages == ["Người dùng đã có đúng phân quyền này."]
    assert RoleAssignment.objects.filter(user=world.alice).count() == 1


def test_revoke_role_deletes_the_assignment_and_audits_it_with_the_reason(world):
    assignment = world.alice.role_assignments.get()
    assert roleset(world.alice).is_secretariat(world.cluster.pk, 2020) is True

    services.revoke_role(actor=world.carol, assignment=assignment, reason="chuyển công tác")

    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    (entry,) = entries_for(world.alice)
    assert (entry.actor, entry.action, entry.reason) == (world.carol, "role.revoke", "chuyển công tác")
    assert entry.data == {
        "role": "school_officer",
        "organization": "Trường Chính trị tỉnh Tiền Giang",
        "cluster": None,
        "year": None,
    }
    assert roleset(world.alice).roles() == set()


def test_granting_and_revoking_leave_other_users_grants_alone(world):
    other = UserFactory(password=None)
    kept = grant(other, Role.SCHOOL_OFFICER, organization=world.school_a)

    services.revoke_role(actor=world.carol, assignment=world.alice.role_assignments.get())

    assert RoleAssignment.objects.filter(pk=kept.pk).exists()
