"""Who may see and edit criteria frameworks.

Academy staff and administrators edit every framework; the secretariat of a cluster year edits
the drafts of its cluster meant for that year (or for no particular year). Everyone signed in
reads published frameworks; drafts are read by those who may edit them.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from thidua.accounts.models import Role
from thidua.accounts.roles import NOTHING, roleset
from thidua.accounts.rules import is_academy_staff, is_admin, is_secretariat_somewhere, is_signed_in
from thidua.criteria.models import Framework, FrameworkStatus


@rules.predicate
def can_edit_framework(user: Any, framework: Framework | None) -> bool:
    rs = roleset(user)
    if rs.is_admin or rs.is_academy:
        return True
    if framework is None or framework.cluster_id is None:
        return False
    if framework.year is not None:
        return rs.is_secretariat(framework.cluster_id, framework.year)
    return any(cluster_id == framework.cluster_id for cluster_id, _year in rs.led_cluster_years) or rs.has(
        "cluster_secretariat", cluster_id=framework.cluster_id
    )


@rules.predicate
def is_published(user: Any, framework: Framework | None) -> bool:
    return framework is not None and framework.status != FrameworkStatus.DRAFT


def frameworks_visible_to(user: Any) -> QuerySet[Framework]:
    """``criteria.view_framework`` as a filter: every published or archived framework, and the
    drafts the user may edit (``can_edit_framework``) — no query beyond the user's roles."""
    rs = roleset(user)
    if not (user and user.is_authenticated):
        return Framework.objects.none()
    if rs.is_admin or rs.is_academy:
        return Framework.objects.all()
    led_clusters = {cluster_id for cluster_id, _year in rs.led_cluster_years}
    any_year = Q(cluster_id__in=led_clusters)  # a draft for no particular year: secretariat of the cluster any year
    for grant in rs.grants:
        if grant.role == Role.CLUSTER_SECRETARIAT:
            any_year |= Q(cluster_id=grant.cluster_id) if grant.cluster_id is not None else ~NOTHING
    editable = Q(cluster__isnull=False) & (
        (Q(year__isnull=False) & rs.secretariat_q("cluster_id", "year")) | (Q(year__isnull=True) & any_year)
    )
    return Framework.objects.filter(~Q(status=FrameworkStatus.DRAFT) | editable)


rules.add_perm("criteria.view_framework", is_signed_in & (is_published | can_edit_framework))
rules.add_perm("criteria.change_framework", can_edit_framework)
rules.add_perm("criteria.add_framework", is_admin | is_academy_staff | is_secretariat_somewhere)
