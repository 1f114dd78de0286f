"""Reusable querysets for organisations and clusters, with what their pages need loaded."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet

from thidua.core.text import search_key
from thidua.organizations.models import (
    Cluster,
    ClusterYear,
    Membership,
    MembershipRole,
    Organization,
    OrganizationProfile,
    Succession,
)


def organization_list(*, q: str = "", kind: str = "") -> QuerySet[Organization]:
    orgs = Organization.objects.prefetch_related(
        Prefetch("successions_out", queryset=Succession.objects.select_related("successor")),
        Prefetch("successions_in", queryset=Succession.objects.select_related("predecessor")),
    ).order_by("name_sort")
    if q:
        key = search_key(q)
        orgs = orgs.filter(
            Q(name_search__contains=key) | Q(short_code__iexact=q.strip()) | Q(province__icontains=q.strip())
        )
    if kind:
        orgs = orgs.filter(kind=kind)
    return orgs


def cluster_list() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("coordinator").annotate(year_count=Count("years")).order_by("name_sort")


def cluster_years_with_members(cluster: Cluster) -> QuerySet[ClusterYear]:
    return cluster.years.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organization").order_by("organization__name_sort"),
        )
    ).order_by("-year")


def membership_matrix(years: list[ClusterYear]) -> tuple[list[Organization], list[dict[str, object]]]:
    """Schools × years of one cluster: which role each school held each year."""
    orgs: dict[int, Organization] = {}
    cells: dict[tuple[int, int], str] = {}
    for cy in years:
        for m in cy.memberships.all():
            orgs[m.organization_id] = m.organization
            cells[(m.organization_id, cy.year)] = m.role
    ordered = sorted(orgs.values(), key=lambda o: o.name_sort)
    rows = [{"organization": o, "cells": [cells.get((o.pk, cy.year), "") for cy in years]} for o in ordered]
    return ordered, rows


def lineage_memberships(ids: list[int]) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization_id__in=ids)
        .select_related("organization", "cluster_year__cluster")
        .order_by("-cluster_year__year", "cluster_year__cluster__name_sort")
    )


def lineage_profiles(ids: list[int]) -> QuerySet[OrganizationProfile]:
    return (
        OrganizationProfile.objects.filter(organization_id__in=ids)
        .select_related("organization")
        .order_by("-year", "organization__name_sort")
    )


def head_of(cluster_year: ClusterYear) -> Organization | None:
    for m in cluster_year.memberships.all():
        if m.role == MembershipRole.HEAD:
            return m.organization
    return None


def successor_ids(organization: Organization) -> set[int]:
    """The organisation and every organisation it was merged into, transitively."""
    ids = {organization.pk}
    frontier = {organization.pk}
    while frontier:
        frontier = (
            set(Succession.objects.filter(predecessor_id__in=frontier).values_list("successor_id", flat=True)) - ids
        )
        ids |= frontier
    return ids


def predecessor_closure(ids: Iterable[int]) -> set[int]:
    """The given organisations and all their predecessors, transitively (one query)."""
    edges: dict[int, list[int]] = {}
    for pred, succ in Succession.objects.values_list("predecessor_id", "successor_id"):
        edges.setdefault(succ, []).append(pred)
    seen: set[int] = set()
    stack = list(ids)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(edges.get(current, []))
    return seen
