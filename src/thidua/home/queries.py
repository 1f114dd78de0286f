"""What the home page lists for a person, from their roles (one query whatever their number)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from thidua.accounts.roles import RoleSet
from thidua.organizations.models import Cluster, Organization


def clusters_for_home(rs: RoleSet) -> QuerySet[Cluster]:
    """Every cluster for those who read every cluster; otherwise the clusters the person's
    schools belong to, lead, or where they hold a cluster-scoped role."""
    if rs.is_admin or rs.is_academy or rs.is_observer:
        return Cluster.objects.order_by("name_sort")
    cluster_ids = set(rs.member_clusters) | {cid for cid, _year in rs.led_cluster_years}
    cluster_ids |= {g.cluster_id for g in rs.grants if g.cluster_id}
    return Cluster.objects.filter(pk__in=cluster_ids).order_by("name_sort")


def organizations_by_ids(ids: Iterable[int]) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=list(ids)).order_by("name_sort")
