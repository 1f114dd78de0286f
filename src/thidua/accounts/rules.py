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


@rules.predicate
def works_for_a_school(user: Any) -> bool:
    """An officer or leader of some school (they have a self-assessment to fill)."""
    return any(g.role in ("school_officer", "school_leader") for g in roleset(user).grants)


@rules.predicate
def is_reviewer(user: Any) -> bool:
    return roleset(user).has("reviewer")


rules.add_perm("accounts.manage_users", is_admin)
# What the navigation offers (each page still checks its own object permissions).
rules.add_perm("accounts.nav_self_assessment", works_for_a_school | is_secretariat_somewhere | is_admin)
rules.add_perm("accounts.nav_reviews", is_reviewer)
rules.add_perm("accounts.view_audit_log", is_admin | is_academy_staff)
