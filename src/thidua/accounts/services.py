"""Changes to users and their role grants, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.models import SCHOOL_ROLES, Role, RoleAssignment, User
from thidua.accounts.roles import forget
from thidua.core import audit
from thidua.organizations.models import Cluster, Organization


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    full_name: str,
    email: str = "",
    password: str | None = None,
    organization: Organization | None = None,
    position: str = "",
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("Tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username}]})
    user = User(username=username, full_name=full_name, email=email, organization=organization, position=position)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=actor, action="user.create", obj=user, data={"username": username, "organization": organization})
    return user


@transaction.atomic
def grant_role(
    *,
    actor: Any,
    user: User,
    role: str,
    organization: Organization | None = None,
    cluster: Cluster | None = None,
    year: int | None = None,
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": [_("Vai trò không hợp lệ.")]})
    if role in SCHOOL_ROLES and organization is None:
        raise ValidationError({"organization": [_("Vai trò “%(r)s” cần chọn đơn vị.") % {"r": Role(role).label}]})
    if role == Role.CLUSTER_SECRETARIAT and cluster is None:
        raise ValidationError({"cluster": [_("Vai trò Thường trực Cụm cần chọn cụm.")]})
    existing = RoleAssignment.objects.filter(
        user=user, role=role, organization=organization, cluster=cluster, year=year
    )
    if existing.exists():
        raise ValidationError(_("Người dùng đã có đúng phân quyền này."), code="duplicate")
    assignment = RoleAssignment.objects.create(
        user=user, role=role, organization=organization, cluster=cluster, year=year
    )
    audit.record(
        actor=actor,
        action="role.grant",
        obj=user,
        data={"role": role, "organization": organization, "cluster": cluster, "year": year},
    )
    forget(user)
    return assignment


@transaction.atomic
def revoke_role(*, actor: Any, assignment: RoleAssignment, reason: str = "") -> None:
    user = assignment.user
    data = {
        "role": assignment.role,
        "organization": assignment.organization,
        "cluster": assignment.cluster,
        "year": assignment.year,
    }
    assignment.delete()
    audit.record(actor=actor, action="role.revoke", obj=user, data=data, reason=reason)
    forget(user)
