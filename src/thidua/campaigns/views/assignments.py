"""The secretariat's assignment page: members × reviewers with each reviewer's load,
generation from a seed, adding and removing one assignment (audited), the declared conflicts.

Only the campaign's secretariat (and the administrator) may open it; anyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.models import User
from thidua.campaigns.assignments import queries, services
from thidua.campaigns.assignments.forms import AddAssignmentForm, GenerateForm, ReasonForm, SecretariatConflictForm
from thidua.campaigns.models import Campaign, ReviewerAssignment
from thidua.organizations.models import Organization


def get_campaign(request: HttpRequest, code: str, year: int) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("cluster_year__cluster", "framework"),
        cluster_year__cluster__code=code,
        cluster_year__year=year,
    )
    if not request.user.has_perm("campaigns.manage_assignments", campaign):
        raise Http404
    return campaign


def table_url(campaign: Campaign) -> str:
    cy = campaign.cluster_year
    return reverse("assignments:table", args=[cy.cluster.code, cy.year])


def _choices(table: queries.AssignmentTable) -> dict[str, list[tuple[int, str]]]:
    schools = [(row.school.pk, f"{row.school.short_code} — {row.school.name}") for row in table.schools]
    reviewers = [
        (r.user.pk, f"{r.user.get_full_name() or r.user.get_username()} ({r.school.short_code if r.school else '—'})")
        for r in table.reviewers
    ]
    return {"schools": schools, "reviewers": reviewers}


def _add_form(table: queries.AssignmentTable, data: object = None) -> AddAssignmentForm:
    return AddAssignmentForm(data, auto_id="add-%s", **_choices(table))


def _conflict_form(table: queries.AssignmentTable, data: object = None) -> SecretariatConflictForm:
    return SecretariatConflictForm(data, auto_id="conflict-%s", **_choices(table))


@login_required
def assignment_table(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    table = queries.assignment_table(campaign)
    context = {
        "campaign": campaign,
        "table": table,
        "generate_form": GenerateForm(initial={"seed": campaign.cluster_year.year}),
        "add_form": _add_form(table),
        "conflict_form": _conflict_form(table),
        "k_range": range(campaign.reviewers_per_school),
    }
    return render(request, "campaigns/assignments/table.html", context)


@login_required
@require_POST
def generate(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Số hạt giống không hợp lệ."))
        return redirect(table_url(campaign))
    try:
        created = services.generate_assignments(actor=request.user, campaign=campaign, seed=form.cleaned_data["seed"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã phân công thêm %(n)s lượt chấm (hạt giống %(seed)s); các phân công đã có được giữ nguyên.")
            % {"n": len(created), "seed": form.cleaned_data["seed"]},
        )
    return redirect(table_url(campaign))


def _act(request: HttpRequest, call: Callable[[], object], success: str) -> None:
    """Run one assignment service: its refusal becomes error messages, its success ``success``."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    form = _add_form(queries.assignment_table(campaign), request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn trường và người chấm."))
        return redirect(table_url(campaign))
    school = get_object_or_404(Organization, pk=form.cleaned_data["school"])
    reviewer = get_object_or_404(User, pk=form.cleaned_data["reviewer"])
    _act(
        request,
        lambda: services.add_assignment(
            actor=request.user, campaign=campaign, school=school, reviewer=reviewer, reason=form.cleaned_data["reason"]
        ),
        _("Đã phân công %(who)s chấm %(school)s.")
        % {"who": reviewer.get_full_name() or reviewer.get_username(), "school": school.short_code},
    )
    return redirect(table_url(campaign))


@login_required
@require_POST
def remove(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    assignment = get_object_or_404(
        ReviewerAssignment.objects.select_related("school", "reviewer", "campaign"), pk=pk, campaign=campaign
    )
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _act(
        request,
        lambda: services.remove_assignment(actor=request.user, assignment=assignment, reason=reason),
        _("Đã gỡ phân công."),
    )
    return redirect(table_url(campaign))


@login_required
@require_POST
def conflict(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The secretariat records a reviewer's conflict of interest with a school."""
    campaign = get_campaign(request, code, year)
    form = _conflict_form(queries.assignment_table(campaign), request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn người chấm, trường và ghi lý do."))
        return redirect(table_url(campaign))
    school = get_object_or_404(Organization, pk=form.cleaned_data["school"])
    reviewer = get_object_or_404(User, pk=form.cleaned_data["reviewer"])
    _act(
        request,
        lambda: services.declare_conflict(
            actor=request.user, campaign=campaign, reviewer=reviewer, school=school, reason=form.cleaned_data["reason"]
        ),
        _("Đã ghi xung đột lợi ích; phân công chưa nộp của cặp này (nếu có) đã được gỡ."),
    )
    return redirect(table_url(campaign))
