"""Loading campaigns, schools and registrations with their permission checks.

A campaign the user may not read is a 404 (it does not exist for them); one they may read but
not run is a 403. A school's registration that the user may not read is a 404 whether or not
it exists, so that nobody learns what another school has drafted.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from thidua.campaigns import queries
from thidua.campaigns.models import Campaign, Registration
from thidua.organizations.models import Organization

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def get_campaign(request: HttpRequest, code: str, year: int, *, manage: bool = False) -> Campaign:
    campaign = get_object_or_404(queries.campaigns(), cluster_year__cluster__code=code.upper(), cluster_year__year=year)
    if not request.user.has_perm("campaigns.view_campaign", campaign):
        raise Http404
    if manage and not request.user.has_perm("campaigns.manage_campaign", campaign):
        raise PermissionDenied
    return campaign


def require_progress(request: HttpRequest, campaign: Campaign) -> None:
    if not request.user.has_perm("campaigns.view_progress", campaign):
        raise PermissionDenied


def get_member(campaign: Campaign, school_code: str) -> Organization:
    """A member school of the campaign's year (any other code is a 404)."""
    for membership in campaign.cluster_year.memberships.all():
        if membership.organization.short_code == school_code.upper():
            return membership.organization
    raise Http404


def get_registration(request: HttpRequest, campaign: Campaign, school_code: str) -> Registration:
    """The school's registration (an unsaved draft when there is none yet) if the user may read it."""
    school = get_member(campaign, school_code)
    registration = queries.registration_of(campaign, school) or Registration(campaign=campaign, organization=school)
    registration.campaign = campaign
    registration.organization = school
    if not request.user.has_perm("campaigns.view_registration", registration):
        raise Http404
    return registration
