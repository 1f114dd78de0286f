"""The self-assessment page of a school and its autosave.

Each criterion's form posts itself through htmx when a value changes; the answer updates only
what the server computed — the entry's status line and version, its points, the group
subtotals and the total (the engine's, never JavaScript's) — and never the inputs the person
may still be typing in. A stale save (someone saved in between) is refused, and the entry
shows the other person's value, who and when, with the choice to take theirs or keep one's own.
Without JavaScript the forms post normally and the page comes back with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.roles import roleset
from thidua.assessments import queries, services
from thidua.assessments.forms import EntryForm
from thidua.assessments.inputs import display_value
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.assessments.views.access import NotStarted, abilities, get_assessment, is_htmx, started
from thidua.campaigns.deadlines import effective_deadline
from thidua.campaigns.models import Campaign
from thidua.campaigns.phases import Phase
from thidua.campaigns.rules import is_school_officer
from thidua.core.audit import entries_for
from thidua.criteria.entries import entry_rule

AUDIT_ROWS = 20


def page_url(assessment: SelfAssessment) -> str:
    return reverse("assessments:detail", args=url_args(assessment))


def url_args(assessment: SelfAssessment) -> list[Any]:
    """The URL arguments of a school's self-assessment: cluster code, year, school code."""
    cy = assessment.campaign.cluster_year
    return [cy.cluster.code, cy.year, assessment.organization.short_code]


@login_required
def assessment_index(request: HttpRequest) -> HttpResponse:
    """The self-assessments the user may open: their school's (started or not) and, for the
    secretariat, the Academy and assigned reviewers, the submitted ones they may read."""
    user = request.user
    rows = queries.visible_assessments(user)
    started = {(a.campaign_id, a.organization_id) for a in rows}
    to_start: list[tuple[Campaign, Any]] = []
    own = _own_schools(user)
    mine = (
        queries.campaigns()
        .filter(cluster_year__memberships__organization__in=own)
        .prefetch_related("cluster_year__memberships__organization")
        .distinct()
        .order_by("-cluster_year__year")
    )
    for campaign in mine:
        for membership in campaign.cluster_year.memberships.all():
            org = membership.organization
            if is_school_officer(user, org.pk) and (campaign.pk, org.pk) not in started:
                to_start.append((campaign, org))
    return render(request, "assessments/index.html", {"assessments": rows, "to_start": to_start})


def _own_schools(user: Any) -> list[int]:
    return [org_id for org_id in roleset(user).school_ids if is_school_officer(user, org_id)]


def sheet_context(request: HttpRequest, assessment: SelfAssessment, **extra: Any) -> dict[str, Any]:
    """What the page and its partials show."""
    sheet = queries.load_sheet(assessment)
    can = abilities(request, assessment)
    context: dict[str, Any] = {
        "assessment": assessment,
        "campaign": assessment.campaign,
        "school": assessment.organization,
        "framework": assessment.campaign.framework,
        "sheet": sheet,
        "result": sheet.result,
        "can": can,
        "can_edit": can.can_edit,
        "page_url": page_url(assessment),
        "evidence_next": page_url(assessment),  # where the evidence forms return without JavaScript
    }
    context.update(extra)
    return context


@login_required
def assessment_detail(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    try:
        assessment = get_assessment(request, cluster, year, school)
    except NotStarted as not_started:
        return _not_started(request, not_started)
    context = sheet_context(request, assessment)
    can = context["can"]
    context["audit"] = list(entries_for(assessment)[:AUDIT_ROWS]) if (can.is_own or can.can_reopen) else []
    return render(request, "assessments/assessment/detail.html", context)


def _not_started(request: HttpRequest, not_started: NotStarted) -> HttpResponse:
    """The school's page before its self-assessment is started: nothing is written on a GET."""
    campaign, school = not_started.campaign, not_started.organization
    deadline, extended = effective_deadline(campaign, school, Phase.SELF_ASSESSMENT)
    context = {
        "campaign": campaign,
        "school": school,
        "framework": campaign.framework,
        "criteria": len(services.entry_nodes(campaign)),
        "deadline": deadline,
        "extended": extended,
    }
    return render(request, "assessments/assessment/not_started.html", context)


@login_required
@require_POST
def assessment_start(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    """The school's officer starts its self-assessment (created with one entry per criterion)."""
    assessment = get_assessment(request, cluster, year, school, start=True)
    return redirect(page_url(assessment))


def _entry(assessment: SelfAssessment, entry_id: int) -> AssessmentEntry:
    return get_object_or_404(AssessmentEntry.objects.select_related("node"), pk=entry_id, assessment=assessment)


@login_required
@started
def entry_block(request: HttpRequest, cluster: str, year: int, school: str, entry_id: int) -> HttpResponse:
    """One criterion's block as saved now (after a conflict: "use their values")."""
    assessment = get_assessment(request, cluster, year, school)
    entry = _entry(assessment, entry_id)
    context = sheet_context(request, assessment)
    row = context["sheet"].row_for(entry.pk)
    if row is None:  # pragma: no cover -- every entry is on the sheet
        raise Http404
    context["row"] = row
    return render(request, "assessments/assessment/_entry.html", context)


@login_required
@require_POST
@started
def entry_save(request: HttpRequest, cluster: str, year: int, school: str, entry_id: int) -> HttpResponse:
    assessment = get_assessment(request, cluster, year, school)
    entry = _entry(assessment, entry_id)
    rule = entry_rule(entry.node)
    form = EntryForm(request.POST, rule=rule)
    error, stale, status = "", None, 200
    saved: AssessmentEntry | None = None
    if not form.is_valid():
        error, status = form.first_error() or _("Dữ liệu gửi lên không hợp lệ."), 422
    else:
        try:
            saved = services.save_entry(
                actor=request.user, entry=entry, expected_version=form.expected_version, **form.service_values()
            )
        except services.StaleEntry as exc:
            stale, error, status = exc, exc.messages[0], 409
        except PermissionDenied as exc:
            error, status = str(exc) or _("Bạn không có quyền sửa bản tự chấm điểm này."), 403
        except ValidationError as exc:
            error, status = exc.messages[0], 422
    if not is_htmx(request):
        if error:
            messages.error(request, f"{entry.node.code}: {error}")
        else:
            messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": entry.node.code})
        return redirect(f"{page_url(assessment)}#entry-{entry.pk}")
    context = sheet_context(request, assessment)
    row = context["sheet"].row_for(entry.pk)
    context.update(
        row=row,
        error=error,
        stale=stale,
        saved=saved,
        saved_text=display_value(rule, getattr(saved, rule.field)) if saved is not None else "",
        saved_at=timezone.localtime(),
    )
    return render(request, "assessments/assessment/_saved.html", context, status=status)


@login_required
@started
def summary(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    """The totals panel, recomputed (after evidence changes elsewhere on the page)."""
    assessment = get_assessment(request, cluster, year, school)
    return render(request, "assessments/assessment/_summary.html", sheet_context(request, assessment))
