"""Reading campaigns for the pages and the API: the list, the phase timeline, the phase history
(from the audit log), the secretariat's progress board and the table of registrations.

The board and the table cost the same number of queries whatever the number of schools and
criteria: every row is assembled in Python from a handful of set-wide queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from thidua.accounts.models import Role
from thidua.accounts.roles import roleset
from thidua.campaigns import phases
from thidua.campaigns.models import (
    Campaign,
    Deadline,
    Extension,
    Registration,
    RegistrationTarget,
)
from thidua.campaigns.phases import DEADLINE_PHASES, Phase
from thidua.campaigns.rules import campaigns_visible_to
from thidua.campaigns.targets import TargetLeaf, target_leaves
from thidua.core.models import AuditEntry
from thidua.criteria.models import CriterionNode
from thidua.organizations.models import ClusterYear, Membership, MembershipRole, Organization

PHASE_MOVE = "campaign.phase"


def campaigns() -> QuerySet[Campaign]:
    """Campaigns with what their pages and permission checks read, in three queries."""
    return Campaign.objects.select_related("cluster_year__cluster__coordinator", "framework").prefetch_related(
        Prefetch("cluster_year__memberships", queryset=Membership.objects.select_related("organization"))
    )


def visible_campaigns(user: Any) -> list[Campaign]:
    """The campaigns the user may read, newest year first, then by cluster."""
    rows = campaigns() & campaigns_visible_to(user)
    return list(rows.order_by("-cluster_year__year", "cluster_year__cluster__name_sort"))


def creatable_cluster_years(user: Any) -> list[ClusterYear]:
    """Cluster years without a campaign for which the user may open one."""
    years = (
        ClusterYear.objects.filter(campaign__isnull=True)
        .select_related("cluster")
        .order_by("-year", "cluster__name_sort")
    )
    return [cy for cy in years if user.has_perm("campaigns.add_campaign", cy)]


def member_schools(campaign: Campaign, user: Any) -> list[Organization]:
    """The member schools of the campaign's year where the user is an officer or a leader."""
    rs = roleset(user)
    mine = {
        g.organization_id
        for g in rs.grants
        if g.role in (Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER) and g.organization_id
    }
    return [m.organization for m in campaign.cluster_year.memberships.all() if m.organization_id in mine]


def deadlines_by_phase(campaign: Campaign) -> dict[str, datetime.datetime]:
    return {d.phase: d.due_at for d in Deadline.objects.filter(campaign=campaign)}


def extensions_of(campaign: Campaign, organizations: Iterable[Organization] | None = None) -> list[Extension]:
    rows = Extension.objects.filter(campaign=campaign).select_related("organization", "granted_by")
    if organizations is not None:
        rows = rows.filter(organization__in=list(organizations))
    return list(rows.order_by("organization__name_sort", "phase"))


@dataclass
class TimelineStep:
    phase: str
    label: str
    state: str  # "done" | "current" | "upcoming"
    due_at: datetime.datetime | None = None
    extensions: list[Extension] = field(default_factory=list)

    @property
    def has_deadline(self) -> bool:
        return self.phase in DEADLINE_PHASES


def timeline(
    campaign: Campaign, deadlines: dict[str, datetime.datetime], extensions: Iterable[Extension] = ()
) -> list[TimelineStep]:
    """Every phase in order, with its deadline and the given extensions (the viewer's own)."""
    here = phases.index(campaign.phase)
    by_phase: dict[str, list[Extension]] = {}
    for extension in extensions:
        by_phase.setdefault(extension.phase, []).append(extension)
    steps = []
    for position, phase in enumerate(phases.ORDER):
        state = "done" if position < here else "current" if position == here else "upcoming"
        steps.append(TimelineStep(phase, str(Phase(phase).label), state, deadlines.get(phase), by_phase.get(phase, [])))
    return steps


@dataclass(frozen=True)
class PhaseMove:
    at: datetime.datetime
    actor_name: str
    from_phase: str
    to_phase: str
    reopening: bool
    reason: str

    @property
    def from_label(self) -> str:
        return str(Phase(self.from_phase).label) if self.from_phase in phases.ORDER else self.from_phase

    @property
    def to_label(self) -> str:
        return str(Phase(self.to_phase).label) if self.to_phase in phases.ORDER else self.to_phase


def phase_history(campaign: Campaign) -> list[PhaseMove]:
    """Every phase move of the campaign, oldest first, read from the audit log."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Campaign), object_id=str(campaign.pk), action=PHASE_MOVE
    ).order_by("created_at", "id")
    return [
        PhaseMove(
            e.created_at,
            e.actor_name,
            str(e.data.get("from", "")),
            str(e.data.get("to", "")),
            e.data.get("direction") == "reopen",
            e.reason,
        )
        for e in entries
    ]


def memberships(campaign: Campaign) -> list[Membership]:
    """The campaign's members in Vietnamese order (from the prefetch of ``campaigns()`` if any)."""
    cluster_year = campaign.cluster_year
    if "memberships" in getattr(cluster_year, "_prefetched_objects_cache", {}):
        return sorted(cluster_year.memberships.all(), key=lambda m: m.organization.name_sort)
    return list(cluster_year.memberships.select_related("organization").order_by("organization__name_sort"))


# --- registrations ------------------------------------------------------------------------


@dataclass
class RegistrationRow:
    membership: Membership
    registration: Registration | None
    targets: list[Decimal | None]

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def missing(self) -> int:
        return sum(1 for t in self.targets if t is None)


def registration_table(campaign: Campaign) -> tuple[list[TargetLeaf], list[RegistrationRow]]:
    """Every member school's registration: targets per target criterion, titles, state."""
    leaves = target_leaves(campaign.framework, list(CriterionNode.objects.filter(framework_id=campaign.framework_id)))
    registrations = {
        r.organization_id: r
        for r in Registration.objects.filter(campaign=campaign)
        .select_related("submitted_by")
        .prefetch_related(
            Prefetch("targets", queryset=RegistrationTarget.objects.only("registration_id", "node_id", "target"))
        )
    }
    rows = []
    for membership in memberships(campaign):
        registration = registrations.get(membership.organization_id)
        by_node = {t.node_id: t.target for t in registration.targets.all()} if registration else {}
        rows.append(RegistrationRow(membership, registration, [by_node.get(leaf.node.pk) for leaf in leaves]))
    return leaves, rows


def registration_of(campaign: Campaign, organization: Organization) -> Registration | None:
    return (
        Registration.objects.filter(campaign=campaign, organization=organization)
        .select_related("submitted_by")
        .prefetch_related(Prefetch("targets", queryset=RegistrationTarget.objects.select_related("node")))
        .first()
    )


def targets_for(campaign: Campaign) -> dict[int, dict[str, Decimal]]:
    """Registered targets by school id and criterion code (what scoring reads)."""
    found: dict[int, dict[str, Decimal]] = {}
    for org_id, code, target in RegistrationTarget.objects.filter(registration__campaign=campaign).values_list(
        "registration__organization_id", "node__code", "target"
    ):
        found.setdefault(org_id, {})[code] = target
    return found


def head_of(campaign: Campaign) -> Organization | None:
    return next(
        (m.organization for m in campaign.cluster_year.memberships.all() if m.role == MembershipRole.HEAD), None
    )
