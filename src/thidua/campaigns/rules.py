"""Who may see and do what in a campaign and its registrations.

- A campaign is read by the people of its member schools, its secretariat, the Academy and
  observers; it is run (phases, deadlines, extensions, settings) by the secretariat of its
  cluster year (Thường trực Cụm) and the administrator.
- A registration (đăng ký thi đua) is the school's own: its officers and leaders read and edit
  it while it is a draft, only a leader (principal) signs it off; the secretariat and the
  Academy read every registration; other schools never see it (a 404, not a 403).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from thidua.accounts.models import Role
from thidua.accounts.roles import NOTHING, RoleSet, roleset
from thidua.campaigns.models import Campaign, Registration, SubmissionStatus
from thidua.organizations.models import ClusterYear, Membership


def _cy(campaign: Campaign) -> tuple[int, int]:
    cy = campaign.cluster_year
    return cy.cluster_id, cy.year


@rules.predicate
def is_campaign_secretariat(user: Any, campaign: Campaign | None) -> bool:
    """Thường trực Cụm of the campaign's cluster year (or the administrator)."""
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


@rules.predicate
def can_create_campaign(user: Any, cluster_year: ClusterYear | None) -> bool:
    """The secretariat of that cluster year (without one: of some year), or the administrator."""
    rs = roleset(user)
    if rs.is_admin:
        return True
    if cluster_year is None:
        return rs.secretariat_anywhere()
    return rs.is_secretariat(cluster_year.cluster_id, cluster_year.year)


def school_roles(user: Any, organization_id: int) -> set[str]:
    """The user's school roles at one organisation."""
    return {g.role for g in roleset(user).grants if g.organization_id == organization_id}


def is_school_officer(user: Any, organization_id: int) -> bool:
    return bool(school_roles(user, organization_id) & {Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER})


def is_school_leader(user: Any, organization_id: int) -> bool:
    return Role.SCHOOL_LEADER in school_roles(user, organization_id)


def reads_every_registration(user: Any, campaign: Campaign) -> bool:
    """The secretariat of the campaign, the Academy and the administrator."""
    rs = roleset(user)
    return rs.is_admin or rs.is_academy or rs.is_secretariat(*_cy(campaign))


@rules.predicate
def can_view_registration(user: Any, registration: Registration | None) -> bool:
    if registration is None:
        return False
    return is_school_officer(user, registration.organization_id) or reads_every_registration(
        user, registration.campaign
    )


@rules.predicate
def can_edit_registration(user: Any, registration: Registration | None) -> bool:
    return (
        registration is not None
        and registration.status == SubmissionStatus.DRAFT
        and is_school_officer(user, registration.organization_id)
    )


@rules.predicate
def can_submit_registration(user: Any, registration: Registration | None) -> bool:
    return (
        registration is not None
        and registration.status == SubmissionStatus.DRAFT
        and is_school_leader(user, registration.organization_id)
    )


@rules.predicate
def can_reopen_registration(user: Any, registration: Registration | None) -> bool:
    return (
        registration is not None
        and registration.status == SubmissionStatus.SUBMITTED
        and bool(is_campaign_secretariat(user, registration.campaign))
    )


def member_of_cluster_year_q(rs: RoleSet, cluster_year: str) -> Q:
    """The rows whose cluster year (the lookup ``cluster_year`` for its id) counts one of the
    user's schools among its members: ``member_ids & rs.school_ids`` as a database filter."""
    if not rs.school_ids:
        return NOTHING
    years = Membership.objects.filter(organization_id__in=rs.school_ids).values("cluster_year_id")
    return Q(**{f"{cluster_year}__in": years})


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    """``campaigns.view_campaign`` (``is_campaign_member``) as a filter."""
    rs = roleset(user)
    if rs.is_admin or rs.is_academy or rs.is_observer:
        return Campaign.objects.all()
    return Campaign.objects.filter(
        member_of_cluster_year_q(rs, "cluster_year_id")
        | rs.secretariat_q("cluster_year__cluster_id", "cluster_year__year")
    )


def officer_school_ids(rs: RoleSet) -> set[int]:
    """The schools where the user is an officer or a leader (``is_school_officer``)."""
    return {
        g.organization_id
        for g in rs.grants
        if g.role in (Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER) and g.organization_id is not None
    }


def registrations_visible_to(user: Any) -> QuerySet[Registration]:
    """``campaigns.view_registration`` as a filter: the user's own schools' registrations, and
    every registration of the campaigns whose registrations they read."""
    rs = roleset(user)
    if rs.is_admin or rs.is_academy:
        return Registration.objects.all()
    return Registration.objects.filter(
        Q(organization_id__in=officer_school_ids(rs))
        | rs.secretariat_q("campaign__cluster_year__cluster_id", "campaign__cluster_year__year")
    )


rules.add_perm("campaigns.view_campaign", is_campaign_member)
rules.add_perm("campaigns.manage_campaign", is_campaign_secretariat)
rules.add_perm("campaigns.manage_assignments", is_campaign_secretariat)  # who reviews whom, the conflicts
rules.add_perm("campaigns.add_campaign", can_create_campaign)


@rules.predicate
def can_follow_progress(user: Any, campaign: Campaign | None) -> bool:
    """The progress board and every registration: the secretariat, the Academy, the administrator."""
    return campaign is not None and reads_every_registration(user, campaign)


rules.add_perm("campaigns.view_progress", can_follow_progress)
rules.add_perm("campaigns.view_registration", can_view_registration)
rules.add_perm("campaigns.change_registration", can_edit_registration)
rules.add_perm("campaigns.submit_registration", can_submit_registration)
rules.add_perm("campaigns.reopen_registration", can_reopen_registration)
