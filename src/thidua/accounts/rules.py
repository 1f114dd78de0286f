"""Named permission predicates over role data (django-rules). Templates ask {% has_perm %}."""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from thidua.accounts.models import Role
from thidua.accounts.roles import roleset
from thidua.organizations.models import Membership, Organization
from thidua.organizations.queries import predecessor_closure, successor_ids


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


# --- organisations and clusters (the organizations app holds data; who may see it is here) ----


@rules.predicate
def can_see_organization_private(user: Any, organization: Organization | None) -> bool:
    """Profiles and audit of an organisation: its own people, the Academy, and the
    secretariat of a cluster year the organisation belongs to. A merged school's history is
    its successor's: whoever may see the successor's private data may see its predecessors'
    (their years are shown on the successor's page)."""
    rs = roleset(user)
    if rs.is_admin or rs.is_academy:
        return True
    if organization is None:
        return False
    related = successor_ids(organization)
    if related & rs.school_ids:
        return True
    if not rs.secretariat_anywhere():
        return False
    return any(
        rs.is_secretariat(cluster_id, year)
        for cluster_id, year in Membership.objects.filter(organization_id__in=related).values_list(
            "cluster_year__cluster_id", "cluster_year__year"
        )
    )


def organizations_private_visible_to(user: Any) -> QuerySet[Organization]:
    """The organisations whose private data ``user`` may see: the queryset twin of
    ``can_see_organization_private`` (a constant number of queries)."""
    rs = roleset(user)
    if rs.is_admin or rs.is_academy:
        return Organization.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    seeds = set(rs.school_ids)
    if rs.secretariat_anywhere():
        years = Q(pk__in=[])
        for g in rs.grants:
            if g.role == Role.CLUSTER_SECRETARIAT:
                scope = Q()
                if g.cluster_id is not None:
                    scope &= Q(cluster_year__cluster_id=g.cluster_id)
                if g.year is not None:
                    scope &= Q(cluster_year__year=g.year)
                years |= scope
        for cluster_id, year in rs.led_cluster_years:
            years |= Q(cluster_year__cluster_id=cluster_id, cluster_year__year=year)
        seeds |= set(Membership.objects.filter(years).values_list("organization_id", flat=True))
    return Organization.objects.filter(pk__in=predecessor_closure(seeds))


rules.add_perm("organizations.view_organization", is_signed_in)
rules.add_perm("organizations.view_organization_private", can_see_organization_private)
rules.add_perm("organizations.change_organization", is_admin)
rules.add_perm("organizations.view_cluster", is_signed_in)
rules.add_perm("organizations.change_cluster", is_admin)

rules.add_perm("accounts.manage_users", is_admin)
# What the navigation offers (each page still checks its own object permissions).
rules.add_perm("accounts.nav_self_assessment", works_for_a_school | is_secretariat_somewhere | is_admin)
rules.add_perm("accounts.nav_reviews", is_reviewer)
rules.add_perm("accounts.view_audit_log", is_admin | is_academy_staff)
