"""Demo accounts: one for every role of PRODUCT.md §1 (listed on the login page in demo mode)."""

from __future__ import annotations

from typing import Any

from thidua.accounts import services
from thidua.accounts.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from thidua.accounts.models import Role, RoleAssignment, User
from thidua.demo.organizations import ACADEMY_CODE, Loaded


def load(loaded: Loaded, actor: Any = None) -> list[User]:
    users = []
    for account in DEMO_ACCOUNTS:
        org_code = account["organization"] or (
            ACADEMY_CODE if account["role"] in ("admin", "academy_staff", "observer") else None
        )
        org = loaded.organizations.get(org_code) if org_code else None
        user = User.objects.filter(username=account["username"]).first()
        if user is None:
            user = services.create_user(
                actor=actor, username=account["username"], full_name=account["full_name"], organization=org
            )
            user.set_password(DEMO_PASSWORD)  # demo only: bypasses the validators on purpose
            user.save(update_fields=["password"])
        role = account["role"]
        scope: dict[str, Any] = {}
        if role == Role.REVIEWER or role == Role.DELEGATE:
            scope = {"organization": org, "cluster": loaded.cluster, "year": 2020}
        elif role in (Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER):
            scope = {"organization": org}
        if not RoleAssignment.objects.filter(user=user, role=role).exists():
            services.grant_role(actor=actor, user=user, role=role, **scope)
        if account["username"] == "quantri" and not user.is_staff:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        users.append(user)
    return users
