"""Named permission predicates over role data (django-rules). Templates ask {% has_perm %}."""

from __future__ import annotations

from typing import Any

import rules

from thidua.accounts.roles import roleset


@rules.predicate
def is_admin(user: Any) -> bool:
    return roleset(user).is_admin


@rules.predicate
def is_academy_staff(user: Any) -> bool:
    return roleset(user).is_academy


@rules.predicate
def is_observer(user: Any) -> bool:
    return roleset(user).is_observer


@rules.predicate
def is_secretariat_somewhere(user: Any) -> bool:
    return roleset(user).secretariat_anywhere()


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated)


rules.add_perm("accounts.manage_users", is_admin)
rules.add_perm("accounts.view_audit_log", is_admin | is_academy_staff)
