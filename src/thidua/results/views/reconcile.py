"""The reconciliation page (secretariat): flagged leaves first, with the school's own points,
every reviewer's points (named), the proposal of the campaign's policy (or why there is none),
accept, override with a required reason, accept every unflagged leaf, lock. Also the
discrepancy flags of one school, for its assigned reviewers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.assessments.inputs import read_number
from thidua.campaigns.models import ReviewerAssignment
from thidua.campaigns.phases import Phase
from thidua.campaigns.rules import is_campaign_secretariat
from thidua.campaigns.views.access import get_campaign, get_member
from thidua.criteria.models import CriterionNode
from thidua.results import reconcile as services
from thidua.reviews.models import ReviewStatus
from thidua.scoring.engine.reconcile import POLICY_LABELS


def _secretariat(request: HttpRequest, code: str, year: int):
    campaign = get_campaign(request, code, year)
    if not is_campaign_secretariat(request.user, campaign):
        raise PermissionDenied
    return campaign


@login_required
def reconciliation(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Flagged leaves in full; the unflagged ones (most of a cluster's hundreds) are drawn when
    the secretariat opens their list (htmx: ``reconciliation_unflagged``), or all on one page
    with ``?all=1`` (without JavaScript, and after acting on one of them)."""
    campaign = _secretariat(request, code, year)
    basis = services.load_basis(campaign)
    rows = services.leaf_rows(basis)
    results = services.results_row(campaign)
    flagged = [row for row in rows if row.flagged]
    unflagged = [row for row in rows if not row.flagged]
    show_all = request.GET.get("all") == "1"
    context = {
        "campaign": campaign,
        "flagged": flagged,
        "unflagged": unflagged if show_all else [],
        "unflagged_count": len(unflagged),
        "show_all": show_all,
        "missing": sum(1 for row in rows if row.final is None),
        "total": len(rows),
        "policy_label": POLICY_LABELS[basis.policy],
        "share": basis.share * 100,
        "locked": results.finals_locked_at is not None,
        "results": results,
        "open": _is_open(campaign, results),
        "phase_label": Phase(campaign.phase).label,
        "problems": basis.problems,
        "absent": basis.absent,
    }
    return render(request, "results/reconcile/page.html", context)


@login_required
def reconciliation_unflagged(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The rows of the unflagged leaves, for the reconciliation page's list when it is opened."""
    campaign = _secretariat(request, code, year)
    rows = services.leaf_rows(services.load_basis(campaign))
    results = services.results_row(campaign)
    context = {
        "campaign": campaign,
        "unflagged": [row for row in rows if not row.flagged],
        "open": _is_open(campaign, results),
        "keep_all": True,
    }
    return render(request, "results/reconcile/_unflagged_rows.html", context)


def _is_open(campaign: Any, results: Any) -> bool:
    return campaign.phase == Phase.RECONCILIATION and results.finals_locked_at is None


def _target(request: HttpRequest, campaign):
    school = get_member(campaign, request.POST.get("school", ""))
    node = get_object_or_404(CriterionNode, framework_id=campaign.framework_id, code=request.POST.get("node", ""))
    return school, node


def _back(code: str, year: int, anchor: str = "", *, show_all: bool = False) -> HttpResponse:
    response = redirect("results:reconciliation", code, year)
    if show_all:  # the row acted on is in the unflagged list: show it again
        response["Location"] += "?all=1"
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def accept(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _secretariat(request, code, year)
    school, node = _target(request, campaign)
    try:
        services.accept(actor=request.user, campaign=campaign, school=school, node=node)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(code, year, f"leaf-{school.short_code}-{node.code}", show_all=request.POST.get("all") == "1")


@login_required
@require_POST
def override(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _secretariat(request, code, year)
    school, node = _target(request, campaign)
    try:
        points = read_number(request.POST.get("points", ""))
        services.override(actor=request.user, campaign=campaign, school=school, node=node, points=Decimal(points),
                          reason=request.POST.get("reason", ""))  # fmt: skip
    except ValidationError as exc:
        messages.error(request, f"{school.short_code} {node.code}: " + " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã ghi điểm quyết định cho %(s)s %(n)s.") % {"s": school.short_code, "n": node.code}
        )
    return _back(code, year, f"leaf-{school.short_code}-{node.code}", show_all=request.POST.get("all") == "1")


@login_required
@require_POST
def accept_unflagged(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _secretariat(request, code, year)
    try:
        count = services.accept_unflagged(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã chấp nhận điểm đề xuất của %(n)s tiêu chí không chênh lệch.") % {"n": count})
    return _back(code, year)


@login_required
@require_POST
def lock(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _secretariat(request, code, year)
    try:
        services.lock(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã khóa điểm thống nhất. Có thể tính và công bố kết quả."))
    return _back(code, year)


@login_required
def discrepancies(request: HttpRequest, code: str, year: int, school: str) -> HttpResponse:
    """The flags of one school: for the secretariat and the school's assigned reviewers who
    have submitted (other reviewers are shown without names)."""
    campaign = get_campaign(request, code, year)
    organization = get_member(campaign, school)
    secretariat = bool(is_campaign_secretariat(request.user, campaign))
    if (
        not secretariat
        and not ReviewerAssignment.objects.filter(
            campaign=campaign, school=organization, reviewer_id=request.user.pk, review__status=ReviewStatus.SUBMITTED
        ).exists()
    ):
        raise Http404
    basis = services.load_basis(campaign)
    me = f"u{request.user.pk}"
    rows = [
        {
            "row": row,
            "shown": [
                (name if secretariat or rid == me else _("Người chấm %(n)s") % {"n": index}, points)
                for index, (rid, name, points) in enumerate(row.reviews, start=1)
            ],
        }
        for row in services.leaf_rows(basis)
        if row.school.pk == organization.pk
    ]
    context = {"campaign": campaign, "school": organization, "rows": rows, "share": basis.share * 100,
               "policy_label": POLICY_LABELS[basis.policy]}  # fmt: skip
    return render(request, "results/reconcile/discrepancies.html", context)
