"""Clarification pages: the list of threads (the school: its open questions with answer forms;
the secretariat: every thread; a reviewer: the schools they review), asking, answering with an
evidence file, follow-up questions, closing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.roles import roleset
from thidua.campaigns.models import ReviewerAssignment
from thidua.campaigns.rules import is_campaign_secretariat, is_school_officer
from thidua.campaigns.views.access import get_campaign, get_member
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.reviews import clarify
from thidua.reviews.models import Clarification, ClarificationMessage, ClarificationStatus


def _list_url(campaign) -> str:
    return reverse("reviews:clarifications", args=[campaign.cluster_year.cluster.code, campaign.cluster_year.year])


def _get(request: HttpRequest, code: str, year: int, pk: int):
    campaign = get_campaign(request, code, year)
    clarification = get_object_or_404(
        Clarification.objects.select_related("school", "node", "asked_by", "campaign"), pk=pk, campaign=campaign
    )
    if not clarify.can_read(request.user, clarification):
        raise Http404
    return campaign, clarification


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def clarification_list(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    user = request.user
    rows = list(clarify.visible_threads(user, campaign))
    own = set(roleset(user).school_ids)
    secretariat = bool(is_campaign_secretariat(user, campaign))
    reviewed = list(ReviewerAssignment.objects.filter(campaign=campaign, reviewer_id=user.pk).select_related("school"))
    askable = (
        [m.organization for m in campaign.cluster_year.memberships.all()]
        if secretariat
        else [a.school for a in reviewed]
    )
    leaves = list(
        CriterionNode.objects.filter(framework_id=campaign.framework_id, kind=NodeKind.LEAF).order_by("order", "pk")
    )
    mine = [row for row in rows if row.school_id in own]
    for row in mine:
        row.closed_reason = clarify.answer_open(row)  # type: ignore[attr-defined]
    context = {
        "campaign": campaign,
        "mine": mine,
        "others": [row for row in rows if row.school_id not in own],
        "secretariat": secretariat,
        "askable": askable,
        "leaves": leaves,
        "default_due": clarify.default_due(campaign),
        "OPEN": ClarificationStatus.OPEN,
        "CLOSED": ClarificationStatus.CLOSED,
        "preset_school": request.GET.get("school", ""),
        "preset_node": request.GET.get("node", ""),
    }
    return render(request, "reviews/clarify/list.html", context)


@login_required
@require_POST
def clarification_ask(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    school = get_member(campaign, request.POST.get("school", ""))
    node = get_object_or_404(CriterionNode, framework_id=campaign.framework_id, code=request.POST.get("node", ""))
    due_raw = request.POST.get("due_at", "").strip()
    due = parse_datetime(due_raw) if due_raw else None
    try:
        clarify.ask(actor=request.user, campaign=campaign, school=school, node=node,
                    question=request.POST.get("question", ""), due_at=due)  # fmt: skip
    except PermissionDenied:
        raise
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã gửi yêu cầu giải trình tới %(s)s.") % {"s": school.name})
    return redirect(_list_url(campaign))


@login_required
def clarification_detail(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    campaign, clarification = _get(request, code, year, pk)
    user = request.user
    is_own = is_school_officer(user, clarification.school_id)
    context = {
        "campaign": campaign,
        "c": clarification,
        "thread": clarification.messages.select_related("author", "attachment"),
        "is_own": is_own,
        "can_ask": clarify.can_ask(user, campaign, clarification.school),
        "can_close": clarify.can_close(user, clarification),
        "closed_reason": clarify.answer_open(clarification) if is_own else "",
        "show_names": not is_own
        or campaign.reviewers_visible_to_schools
        or bool(is_campaign_secretariat(user, campaign)),
        "CLOSED": ClarificationStatus.CLOSED,
    }
    return render(request, "reviews/clarify/detail.html", context)


@login_required
@require_POST
def clarification_answer(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    _campaign, clarification = _get(request, code, year, pk)
    try:
        clarify.answer(actor=request.user, clarification=clarification, text=request.POST.get("text", ""),
                       upload=request.FILES.get("file"))  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã gửi nội dung giải trình."))
    return redirect("reviews:clarification", code, year, pk)


@login_required
@require_POST
def clarification_follow_up(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    _campaign, clarification = _get(request, code, year, pk)
    try:
        clarify.follow_up(actor=request.user, clarification=clarification, text=request.POST.get("text", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reviews:clarification", code, year, pk)


@login_required
@require_POST
def clarification_close(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    campaign, clarification = _get(request, code, year, pk)
    clarify.close(actor=request.user, clarification=clarification)
    messages.success(request, _("Đã đóng yêu cầu giải trình."))
    return redirect(_list_url(campaign))


@login_required
def clarification_file(request: HttpRequest, code: str, year: int, pk: int) -> FileResponse:
    _campaign, clarification = _get(request, code, year, pk)
    message = get_object_or_404(
        ClarificationMessage.objects.select_related("attachment"),
        clarification=clarification,
        pk=int(m) if (m := request.GET.get("m", "")).isdigit() else 0,
        attachment__isnull=False,
    )
    stored = message.attachment
    if stored is None:  # pragma: no cover -- filtered above
        raise Http404
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=message.attachment_name or f"giai-trinh.{stored.extension}",
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
