"""The roles a user holds, resolved once per request from role data.

``RoleSet`` answers scoped questions ("is this user secretariat of C9 in 2020?") without
further queries: permission checks on a page cost a constant number of queries however many
objects the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from thidua.accounts.models import Role, RoleAssignment
from thidua.organizations.models import Membership, MembershipRole

_CACHE_ATTR = "_thidua_roleset"
NOTHING = Q(pk__in=[])  # a filter no row passes (an empty Q() would pass them all)


@dataclass(frozen=True)
class Grant:
    role: str
    organization_id: int | None
    cluster_id: int | None
    year: int | None

    def covers(
        self, *, organization_id: int | None = None, cluster_id: int | None = None, year: int | None = None
    ) -> bool:
        return (
            (self.organization_id is None or organization_id is None or self.organization_id == organization_id)
            and (self.cluster_id is None or cluster_id is None or self.cluster_id == cluster_id)
            and (self.year is None or year is None or self.year == year)
        )


@dataclass
class RoleSet:
    grants: list[Grant] = field(default_factory=list)
    # (cluster_id, year) pairs where the user's school is head (or a deputy) that year
    led_cluster_years: set[tuple[int, int]] = field(default_factory=set)
    # cluster ids where any of the user's schools has ever been a member
    member_clusters: set[int] = field(default_factory=set)
    # organisation ids where the user holds a school role
    school_ids: set[int] = field(default_factory=set)

    def has(self, role: str, **scope: Any) -> bool:
        return any(g.role == role and g.covers(**scope) for g in self.grants)

    @property
    def is_admin(self) -> bool:
        return self.has(Role.ADMIN)

    @property
    def is_academy(self) -> bool:
        return self.has(Role.ACADEMY_STAFF)

    @property
    def is_observer(self) -> bool:
        return self.has(Role.OBSERVER)

    def is_secretariat(self, cluster_id: int, year: int) -> bool:
        return self.has(Role.CLUSTER_SECRETARIAT, cluster_id=cluster_id, year=year) or (
            (cluster_id, year) in self.led_cluster_years
        )

    def secretariat_q(self, cluster: str, year: str) -> Q:
        """The rows whose cluster year (the lookups ``cluster`` for its cluster id, ``year``
        for its year) this user runs as secretariat: ``is_secretariat`` as a database filter."""
        found = NOTHING
        for cluster_id, led_year in self.led_cluster_years:
            found |= Q(**{cluster: cluster_id, year: led_year})
        for grant in self.grants:
            if grant.role == Role.CLUSTER_SECRETARIAT:
                scope = {
                    lookup: value
                    for lookup, value in ((cluster, grant.cluster_id), (year, grant.year))
                    if value is not None
                }
                found |= Q(**scope) if scope else ~NOTHING  # a grant without a scope covers every year
        return found

    def secretariat_anywhere(self) -> bool:
        return self.has(Role.CLUSTER_SECRETARIAT) or bool(self.led_cluster_years)

    def roles(self) -> set[str]:
        names = {g.role for g in self.grants}
        if self.led_cluster_years:
            names.add(Role.CLUSTER_SECRETARIAT)
        return names


def roleset(user: Any) -> RoleSet:
    """The user's roles, loaded with two queries and cached on the user object."""
    if user is None or not user.is_authenticated:
        return RoleSet()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants = [
        Grant(a.role, a.organization_id, a.cluster_id, a.year)
        for a in RoleAssignment.objects.filter(user=user).only("role", "organization_id", "cluster_id", "year")
    ]
    result = RoleSet(grants=grants)
    if user.is_superuser:
        result.grants.append(Grant(Role.ADMIN, None, None, None))
    school_ids = {g.organization_id for g in grants if g.organization_id is not None}
    result.school_ids = school_ids
    # Officers and leaders of a cluster year's head school hold the secretariat's rights that
    # year without a separate grant (PRODUCT.md §1); deputies' officers only with a grant.
    officer_schools = {
        g.organization_id for g in grants if g.role in (Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER) and g.organization_id
    }
    if school_ids:
        for cluster_id, year, role, org_id in Membership.objects.filter(organization_id__in=school_ids).values_list(
            "cluster_year__cluster_id", "cluster_year__year", "role", "organization_id"
        ):
            result.member_clusters.add(cluster_id)
            if role == MembershipRole.HEAD and org_id in officer_schools:
                result.led_cluster_years.add((cluster_id, year))
    setattr(user, _CACHE_ATTR, result)
    return result


def forget(user: Any) -> None:
    """Drop the cached roles (after a grant changes in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
