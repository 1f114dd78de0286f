"""A school's registration page: targets, aimed titles and commitment; the principal's
sign-off; the secretariat's reopening. Read-only once signed off, or when the phase is closed
or the deadline has passed (the page says which, and until when)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns import queries, services
from thidua.campaigns.deadlines import effective_deadline, ensure_open
from thidua.campaigns.forms import ReasonForm, RegistrationForm
from thidua.campaigns.models import Campaign, Extension, Registration
from thidua.campaigns.phases import Phase
from thidua.campaigns.registrations import missing_targets
from thidua.campaigns.rules import is_school_leader, is_school_officer
from thidua.campaigns.targets import target_leaves, title_choices
from thidua.campaigns.views.access import get_campaign, get_registration
from thidua.core.audit import entries_for
from thidua.core.forms import apply_form
from thidua.criteria.models import CriterionNode

AUDIT_ROWS = 20


def _to_page(registration: Registration) -> HttpResponse:
    cy = registration.campaign.cluster_year
    return redirect("campaigns:registration", cy.cluster.code, cy.year, registration.organization.short_code)


def _closed_reason(campaign: Campaign, registration: Registration) -> str:
    """Why the school cannot change its registration now ("" when it can)."""
    try:
        ensure_open(campaign, registration.organization, Phase.REGISTRATION)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _context(
    request: HttpRequest, campaign: Campaign, registration: Registration, form: RegistrationForm
) -> dict[str, Any]:
    user = request.user
    due_at, extended = effective_deadline(campaign, registration.organization, Phase.REGISTRATION)
    extension = (
        Extension.objects.filter(
            campaign=campaign, organization=registration.organization, phase=Phase.REGISTRATION
        ).first()
        if extended
        else None
    )
    closed = _closed_reason(campaign, registration)
    saved = registration.pk is not None
    return {
        "campaign": campaign,
        "registration": registration,
        "school": registration.organization,
        "form": form,
        "due_at": due_at,
        "extension": extension,
        "closed": closed,
        # A refused post (only the school's own people post) keeps its form and what was typed.
        "editable": form.is_bound or (not closed and user.has_perm("campaigns.change_registration", registration)),
        "can_submit": saved and not closed and user.has_perm("campaigns.submit_registration", registration),
        "can_reopen": saved and user.has_perm("campaigns.reopen_registration", registration),
        "can_follow": user.has_perm("campaigns.view_progress", campaign),
        "missing": missing_targets(registration) if saved else [leaf.code for leaf in form.leaves],
        "targets": {t.node_id: t.target for t in registration.targets.all()} if saved else {},
        "reopen_form": ReasonForm(initial={"version": registration.version}),
        "entries": list(entries_for(registration)[:AUDIT_ROWS]) if saved else [],
    }


def _form(campaign: Campaign, registration: Registration, data: Any = None) -> RegistrationForm:
    nodes = list(CriterionNode.objects.filter(framework_id=campaign.framework_id))
    leaves = target_leaves(campaign.framework, nodes)
    titles = title_choices(campaign.framework, nodes)
    initial = RegistrationForm.initial_for(registration if registration.pk else None, titles)
    return RegistrationForm(data, initial=initial, leaves=leaves, title_choices=titles)


@login_required
def registration_detail(request: HttpRequest, code: str, year: int, school: str) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    registration = get_registration(request, campaign, school)
    if request.method != "POST":
        return render(
            request,
            "campaigns/registration/detail.html",
            _context(request, campaign, registration, _form(campaign, registration)),
        )
    # Only the school's own people post; a registration signed off (or a phase closed) since the
    # page was opened is refused by the service, and the page keeps what they typed.
    if not is_school_officer(request.user, registration.organization_id):
        raise PermissionDenied
    form = _form(campaign, registration, request.POST)
    done = apply_form(request, form, lambda data: services.save_registration(
        actor=request.user, campaign=campaign, organization=registration.organization,
        targets=form.cleaned_targets(), aimed_titles=form.cleaned_titles(), commitment=data["commitment"],
        expected_version=data["version"],
    ), success=_("Đã lưu bản đăng ký (chưa gửi: cần lãnh đạo trường ký duyệt)."))  # fmt: skip
    if done:
        return _to_page(done.result)
    messages.error(request, _("Chưa lưu được: hãy xem các lỗi bên dưới. Những gì bạn đã nhập vẫn còn nguyên."))
    return render(
        request, "campaigns/registration/detail.html", _context(request, campaign, registration, form), status=400
    )


@login_required
@require_POST
def registration_submit(request: HttpRequest, code: str, year: int, school: str) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    registration = get_registration(request, campaign, school)
    if registration.pk is None:
        raise Http404
    if not is_school_leader(request.user, registration.organization_id):
        raise PermissionDenied
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.submit_registration(actor=request.user, registration=registration, expected_version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Đã ký duyệt và gửi bản đăng ký thi đua của %(org)s.") % {"org": registration.organization}
        )
    return _to_page(registration)


@login_required
@require_POST
def registration_reopen(request: HttpRequest, code: str, year: int, school: str) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    registration = get_registration(request, campaign, school)
    if registration.pk is None:
        raise Http404
    if not request.user.has_perm("campaigns.reopen_registration", registration):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Mở lại bản đăng ký cần ghi lý do (trường sẽ thấy lý do này)."))
        services.reopen_registration(
            actor=request.user,
            registration=registration,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã mở lại bản đăng ký của %(org)s.") % {"org": registration.organization})
    return _to_page(registration)


@login_required
def my_registration(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The user's own school's registration (the first, if they serve several)."""
    campaign = get_campaign(request, code, year)
    schools = queries.member_schools(campaign, request.user)
    if not schools:
        raise Http404
    cy = campaign.cluster_year
    return redirect("campaigns:registration", cy.cluster.code, cy.year, schools[0].short_code)
