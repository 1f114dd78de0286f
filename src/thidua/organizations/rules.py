"""Who may see and change organisations and clusters."""

from __future__ import annotations

from typing import Any

import rules

from thidua.accounts.roles import roleset
from thidua.accounts.rules import is_admin, is_signed_in
from thidua.organizations.models import Membership, Organization, Succession


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


rules.add_perm("organizations.view_organization", is_signed_in)
rules.add_perm("organizations.view_organization_private", can_see_organization_private)
rules.add_perm("organizations.change_organization", is_admin)
rules.add_perm("organizations.view_cluster", is_signed_in)
rules.add_perm("organizations.change_cluster", is_admin)
