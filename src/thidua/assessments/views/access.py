"""Loading a school's self-assessment with its permission checks.

A self-assessment the user may not read does not exist for them (404): school A asking for
school B's draft learns nothing, not even that it exists. For the school's own officers and
leaders, one not started yet is ``NotStarted``: a GET never writes, so the page says so and
offers to start it; starting it (a POST) creates it through the service, with its audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from thidua.assessments import queries, services
from thidua.assessments.models import SelfAssessment
from thidua.campaigns.deadlines import effective_deadline, ensure_open
from thidua.campaigns.models import Campaign
from thidua.campaigns.phases import Phase
from thidua.campaigns.rules import is_school_officer
from thidua.organizations.models import Membership, Organization


class NotStarted(Exception):  # noqa: N818 -- a state of the page (it offers to start), not an error
    """The school's own self-assessment of the campaign is not started yet."""

    def __init__(self, campaign: Campaign, organization: Organization) -> None:
        super().__init__(organization.short_code)
        self.campaign = campaign
        self.organization = organization


def get_assessment(
    request: HttpRequest, cluster: str, year: int, school: str, *, start: bool = False
) -> SelfAssessment:
    """The school's self-assessment of the campaign if the user may read it, else 404. One
    not started yet raises ``NotStarted`` for the school's own people, or is created when
    ``start`` (a POST that starts it)."""
    campaign = get_object_or_404(queries.campaigns(), cluster_year__cluster__code=cluster, cluster_year__year=year)
    organization = get_object_or_404(Organization, short_code=school)
    user = request.user
    assessment = queries.assessments().filter(campaign=campaign, organization=organization).first()
    if assessment is None:
        if not is_school_officer(user, organization.pk):
            raise Http404
        if not Membership.objects.filter(cluster_year_id=campaign.cluster_year_id, organization=organization).exists():
            raise Http404
        if not start:
            raise NotStarted(campaign, organization)
        try:
            created = services.ensure_assessment(actor=user, campaign=campaign, organization=organization)
        except ValidationError as exc:  # pragma: no cover -- membership was checked just above
            raise Http404 from exc
        assessment = queries.assessments().get(pk=created.pk)
    if not user.has_perm("assessments.view_assessment", assessment):
        raise Http404
    return assessment


def started(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of a started self-assessment; for one not started yet, the school's page (which
    says so and offers to start it)."""

    @wraps(view)
    def wrapper(request: HttpRequest, cluster: str, year: int, school: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, cluster, year, school, *args, **kwargs)
        except NotStarted:
            return redirect("assessments:detail", cluster, year, school)

    return wrapper


@dataclass
class Abilities:
    """What the user may do on this page now, and why not when a school user cannot edit."""

    can_view: bool
    can_edit: bool  # may edit and the phase and deadline allow it
    can_submit: bool
    can_reopen: bool
    is_own: bool
    closed_reason: str  # why editing is closed for the school now ("" if open)
    deadline: Any
    extended: bool

    @property
    def read_only(self) -> bool:
        return not self.can_edit


def abilities(request: HttpRequest, assessment: SelfAssessment) -> Abilities:
    user = request.user
    campaign = assessment.campaign
    own = is_school_officer(user, assessment.organization_id)
    closed_reason = ""
    deadline, extended = None, False
    if own:
        deadline, extended = effective_deadline(campaign, assessment.organization, Phase.SELF_ASSESSMENT)
        try:
            ensure_open(campaign, assessment.organization, Phase.SELF_ASSESSMENT)
        except ValidationError as exc:
            closed_reason = exc.messages[0]
    may_change = user.has_perm("assessments.change_assessment", assessment)
    may_submit = user.has_perm("assessments.submit_assessment", assessment)
    return Abilities(
        can_view=True,
        can_edit=may_change and not closed_reason,
        can_submit=may_submit and not closed_reason,
        can_reopen=user.has_perm("assessments.reopen_assessment", assessment),
        is_own=own,
        closed_reason=closed_reason,
        deadline=deadline,
        extended=extended,
    )


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
