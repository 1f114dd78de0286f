"""Who may see and do what with awards and proposals (đề nghị khen thưởng).

- The award list is read by every signed-in user and administered by the Academy's staff (and
  the administrator): ``titles.manage_awards``, which also records past awards.
- A proposal belongs to its campaign's secretariat (Thường trực Cụm), who creates, edits and
  submits it while it is a draft or has been returned. The Academy decides submitted proposals.
- Who reads a proposal: the secretariat, the administrator, and the nominee's own officers in
  any state; the Academy, observers and the other member schools of the campaign once it has
  been submitted. Anyone else — a school of another cluster — does not learn that it exists
  (a 404).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from thidua.accounts.roles import roleset
from thidua.awards.models import Proposal, ProposalStatus
from thidua.campaigns.models import Campaign
from thidua.campaigns.rules import is_campaign_secretariat, member_of_cluster_year_q
from thidua.titles.rules import manages_awards

EDITABLE = (ProposalStatus.DRAFT, ProposalStatus.RETURNED)


@rules.predicate
def can_propose(user: Any, campaign: Campaign | None) -> bool:
    """The secretariat of the campaign (or the administrator) creates proposals."""
    return campaign is not None and bool(is_campaign_secretariat(user, campaign))


@rules.predicate
def can_view_proposal(user: Any, proposal: Proposal | None) -> bool:
    if proposal is None:
        return False
    rs = roleset(user)
    if rs.is_admin or is_campaign_secretariat(user, proposal.campaign):
        return True
    if proposal.nominee_id in rs.school_ids:
        return True
    if proposal.status == ProposalStatus.DRAFT:
        return False
    if rs.is_academy or rs.is_observer:
        return True
    member_ids = {m.organization_id for m in proposal.campaign.cluster_year.memberships.all()}
    return bool(member_ids & rs.school_ids)


def proposals_visible_to(user: Any) -> QuerySet[Proposal]:
    """``awards.view_proposal`` as a filter: every proposal of the years the user runs and of
    their own schools; the submitted ones of the campaigns their schools are members of
    (all of them for the Academy and observers)."""
    rs = roleset(user)
    if rs.is_admin:
        return Proposal.objects.all()
    always = Q(nominee_id__in=rs.school_ids) | rs.secretariat_q(
        "campaign__cluster_year__cluster_id", "campaign__cluster_year__year"
    )
    if rs.is_academy or rs.is_observer:
        return Proposal.objects.filter(always | ~Q(status=ProposalStatus.DRAFT))
    return Proposal.objects.filter(
        always | (~Q(status=ProposalStatus.DRAFT) & member_of_cluster_year_q(rs, "campaign__cluster_year_id"))
    )


@rules.predicate
def can_edit_proposal(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status in EDITABLE and bool(can_propose(user, proposal.campaign))


@rules.predicate
def can_decide_proposal(user: Any, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.status == ProposalStatus.SUBMITTED and bool(manages_awards(user))


rules.add_perm("awards.add_proposal", can_propose)
rules.add_perm("awards.view_proposal", can_view_proposal)
rules.add_perm("awards.change_proposal", can_edit_proposal)
rules.add_perm("awards.submit_proposal", can_edit_proposal)
rules.add_perm("awards.decide_proposal", can_decide_proposal)
