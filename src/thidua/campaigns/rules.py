"""Who may see and do what in a campaign."""

from __future__ import annotations

from typing import Any

import rules

from thidua.accounts.models import Role
from thidua.accounts.roles import roleset
from thidua.campaigns.models import Campaign


def _cy(campaign: Campaign) -> tuple[int, int]:
    cy = campaign.cluster_year
    return cy.cluster_id, cy.year


@rules.predicate
def is_campaign_secretariat(user: Any, campaign: Campaign | None) -> bool:
    """Thường trực Cụm of the campaign's cluster year (or admin / Academy staff)."""
    rs = roleset(user)
    if rs.is_admin:
        return True
    if campaign is None:
        return False
    return rs.is_secretariat(*_cy(campaign))


@rules.predicate
def is_campaign_member(user: Any, campaign: Campaign | None) -> bool:
    """A person of a member school of the campaign's year, or the Academy, or an observer."""
    rs = roleset(user)
    if rs.is_admin or rs.is_academy or rs.is_observer:
        return True
    if campaign is None:
        return False
    member_ids = {m.organization_id for m in campaign.cluster_year.memberships.all()}
    return bool(member_ids & rs.school_ids) or rs.is_secretariat(*_cy(campaign))


@rules.predicate
def is_academy(user: Any) -> bool:
    return roleset(user).is_academy


def school_roles(user: Any, organization_id: int) -> set[str]:
    """The user's school roles at one organisation."""
    return {g.role for g in roleset(user).grants if g.organization_id == organization_id}


def is_school_officer(user: Any, organization_id: int) -> bool:
    return bool(school_roles(user, organization_id) & {Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER})


def is_school_leader(user: Any, organization_id: int) -> bool:
    return Role.SCHOOL_LEADER in school_roles(user, organization_id)


rules.add_perm("campaigns.view_campaign", is_campaign_member)
rules.add_perm("campaigns.manage_campaign", is_campaign_secretariat)
rules.add_perm("campaigns.add_campaign", is_academy | is_campaign_secretariat)
