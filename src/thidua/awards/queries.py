"""Reading awards and proposals for the pages, the API and the documents, with a constant
number of queries whatever the number of proposals."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from thidua.awards.models import Proposal, ProposalStatus
from thidua.awards.rules import proposals_visible_to
from thidua.campaigns.models import Campaign
from thidua.organizations.models import Membership


def proposals() -> QuerySet[Proposal]:
    """Proposals with what their pages and permission checks read."""
    return Proposal.objects.select_related(
        "campaign__cluster_year__cluster", "nominee", "award__prerequisite", "ballot", "decided_by", "record"
    ).prefetch_related(
        Prefetch("campaign__cluster_year__memberships", queryset=Membership.objects.select_related("organization"))
    )


def visible_proposals(user: Any, *, campaign: Campaign | None = None, status: str = "") -> list[Proposal]:
    """The proposals the user may read, newest year first, then cluster, then nominee."""
    rows = (proposals() & proposals_visible_to(user)).order_by(
        "-campaign__cluster_year__year", "campaign__cluster_year__cluster__code", "nominee__name_sort", "id"
    )
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    if status:
        rows = rows.filter(status=status)
    return list(rows)


def proposals_of_year(campaign: Campaign, *, include_drafts: bool = True) -> list[Proposal]:
    """A campaign's proposals for its submission letter, in nominee order."""
    rows = proposals().filter(campaign=campaign).order_by("award__name_sort", "nominee__name_sort")
    if not include_drafts:
        rows = rows.exclude(status=ProposalStatus.DRAFT)
    return list(rows)
