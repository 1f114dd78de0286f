"""Results pages: the table (rank, school, total, band, eligibility, rank interval), one
school's explanation, the analytics, the charts, and the downloads (XLSX, PDF, DOCX, JSON).

Before publication only the secretariat, the Academy and the administrator see anything here
(others get a 404); after publication every member of the campaign does. Reviewer leniency
is shown to the secretariat only; reviewer names to schools only if the campaign allows."""

from __future__ import annotations

import json
import statistics
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.assessments.models import Evidence
from thidua.campaigns.rules import is_campaign_secretariat, is_school_officer
from thidua.campaigns.views.access import DOCX, PDF, get_campaign, get_member
from thidua.results import services
from thidua.results.compute import Computed, compute
from thidua.results.documents import results_docx, results_pdf
from thidua.results.export import published_export
from thidua.results.pseudonyms import numbered
from thidua.results.reconcile import results_row
from thidua.results.rules import can_see_reviewer_names, can_view_leniency, can_view_results
from thidua.results.xlsx import results_xlsx
from thidua.scoring.engine.model import Group, Leaf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _campaign(request: HttpRequest, code: str, year: int):
    campaign = get_campaign(request, code, year)
    if not can_view_results(request.user, campaign):
        raise Http404
    return campaign


def _stem(campaign) -> str:
    return f"ket-qua-{campaign.cluster_year.cluster.code}-{campaign.cluster_year.year}"


def _attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


def _f(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _chart_data(computed: Computed, focus: str | None = None) -> dict[str, Any]:
    result = computed.result
    intervals = {}
    if computed.analytics is not None:
        intervals = {s.school: s.interval for s in computed.analytics.confidence.schools}
    ranking = [
        {
            "code": s.code,
            "name": computed.names.get(s.code, s.code),
            "total": _f(s.total),
            "rank": s.rank,
            "low": intervals.get(s.code, (s.rank, s.rank))[0],
            "high": intervals.get(s.code, (s.rank, s.rank))[1],
        }
        for s in result.schools
    ]
    top = list(computed.basis.framework.groups)
    median = {g.code: statistics.median([float(s.groups[g.code].points) for s in result.schools]) for g in top}
    profile: dict[str, Any] = {"groups": [g.code for g in top], "max": [float(g.max_points) for g in top],
                               "median": [median[g.code] for g in top]}  # fmt: skip
    if focus is not None:
        mine = result.school(focus)
        profile["school"] = [float(mine.groups[g.code].points) for g in top]
        profile["label"] = computed.names.get(focus, focus)
    agreement = []
    if computed.analytics is not None:
        agreement = [{"leaf": a.leaf, "alpha": a.alpha} for a in computed.analytics.agreement]
    return {"ranking": ranking, "profile": profile, "agreement": agreement, "threshold": 0.667}


@login_required
def results_table(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _campaign(request, code, year)
    row = results_row(campaign)
    secretariat = bool(is_campaign_secretariat(request.user, campaign))
    computed = None
    problem = ""
    if row.finals_locked_at is not None or secretariat:
        try:
            computed = compute(campaign)
        except Exception as exc:
            problem = str(exc)
    intervals = {}
    if computed is not None and computed.analytics is not None:
        intervals = {s.school: s.interval for s in computed.analytics.confidence.schools}
    rows = []
    if computed is not None:
        for school in computed.result.schools:
            rows.append(
                {
                    "s": school,
                    "name": computed.names.get(school.code, school.code),
                    "band": computed.bands.get(school.code, ""),
                    "interval": intervals.get(school.code),
                }
            )
    context = {
        "campaign": campaign,
        "computed": computed,
        "rows": rows,
        "problem": problem,
        "results": row,
        "secretariat": secretariat,
        "bands_text": "\n".join(f"{b.get('label')}: {b.get('min')}" for b in row.bands or []),
        "chart": _chart_data(computed) if computed is not None else None,
    }
    return render(request, "results/results/table.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    if not is_campaign_secretariat(request.user, campaign):
        raise PermissionDenied
    try:
        services.publish(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã công bố kết quả. Mọi trường thành viên đã xem được."))
    return redirect("results:results", code, year)


@login_required
@require_POST
def bands(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Bands as lines "Xuất sắc: 90"."""
    campaign = get_campaign(request, code, year)
    if not is_campaign_secretariat(request.user, campaign):
        raise PermissionDenied
    parsed = []
    for line in request.POST.get("bands", "").splitlines():
        if not line.strip():
            continue
        label, _sep, minimum = line.rpartition(":")
        parsed.append({"label": label.strip(), "min": minimum.strip().replace(",", ".")})
    try:
        services.set_bands(actor=request.user, campaign=campaign, bands=parsed)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã lưu xếp loại."))
    return redirect("results:results", code, year)


def _walk(group: Group, chain: tuple[str, ...]) -> list[tuple[Leaf, tuple[str, ...]]]:
    """Every leaf under a group with the codes of its enclosing groups."""
    found: list[tuple[Leaf, tuple[str, ...]]] = []
    here = (*chain, group.code)
    for child in group.children:
        if isinstance(child, Group):
            found.extend(_walk(child, here))
        else:
            found.append((child, here))
    return found


@login_required
def explanation(request: HttpRequest, code: str, year: int, school: str) -> HttpResponse:
    campaign = _campaign(request, code, year)
    organization = get_member(campaign, school)
    computed = compute(campaign)
    try:
        mine = computed.school(organization.short_code)
    except KeyError as exc:  # a member that did not submit its self-assessment is not ranked
        raise Http404 from exc
    review = computed.basis.review(organization.short_code)
    show_names = can_see_reviewer_names(request.user, campaign)
    nodes = computed.basis.nodes
    evidence: dict[int, list[str]] = {}
    for node_id, title in Evidence.objects.filter(
        entry__assessment__campaign=campaign, entry__assessment__organization=organization
    ).values_list("entry__node_id", "title"):
        evidence.setdefault(node_id, []).append(title)
    # This school's reviewers, numbered 1..k in the shuffled order the export uses too.
    own_reviewers = numbered(
        campaign.pk, organization.short_code, {rid for scores in review.leaves.values() for rid, _p in scores.reviews}
    )
    pseudonyms = {rid: _("Người chấm %(n)s") % {"n": n} for rid, n in own_reviewers.items()}
    groups = []
    headroom: list[tuple[Decimal, str, str]] = []
    for group in computed.basis.framework.groups:
        leaves = []
        for leaf, chain in _walk(group, ()):
            scores = review.leaves.get(leaf.code)
            final_row = computed.final_rows.get((organization.short_code, leaf.code))
            node = nodes[leaf.code]
            comments = []
            for rid, points in scores.reviews if scores else ():
                comment = computed.basis.comments.get((organization.short_code, leaf.code, rid), "")
                name = computed.basis.reviewer_names.get(rid, rid) if show_names else pseudonyms.get(rid, "")
                comments.append({"name": name, "points": points, "comment": comment})
            final = mine.leaves[leaf.code].points
            leaves.append({"code": leaf.code, "title": node.title, "max": leaf.max_points,
                           "self": scores.self_points if scores else None, "final": final,
                           "source": final_row.get_source_display() if final_row else "",
                           "reason": final_row.reason if final_row else "",
                           "reviews": comments, "evidence": evidence.get(node.pk, [])})  # fmt: skip
            room = min([leaf.max_points - final, *(mine.groups[g].max_points - mine.groups[g].points for g in chain)])
            if room > 0:
                headroom.append((room, leaf.code, node.title))
        groups.append({"g": mine.groups[group.code], "title": nodes[group.code].title, "leaves": leaves})
    above = computed.above(organization.short_code)
    gap = (above.total - mine.total) if above is not None else None
    headroom.sort(key=lambda item: (-item[0], item[1]))
    context = {
        "campaign": campaign,
        "school": organization,
        "mine": mine,
        "band": computed.bands.get(organization.short_code, ""),
        "groups": groups,
        "above": above,
        "above_name": computed.names.get(above.code, "") if above else "",
        "gap": gap,
        "headroom": headroom[:5],
        "chart": _chart_data(computed, organization.short_code),
        "is_own": is_school_officer(request.user, organization.pk),
    }
    return render(request, "results/results/explanation.html", context)


@login_required
def analytics(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _campaign(request, code, year)
    computed = compute(campaign)
    leniency = []
    if can_view_leniency(request.user, campaign) and computed.analytics is not None:
        leniency = [
            {"name": computed.basis.reviewer_names.get(r.reviewer, r.reviewer), "r": r}
            for r in computed.analytics.leniency
        ]
    confidence = []
    if computed.analytics is not None:
        for entry in computed.analytics.confidence.schools:
            probs = [(rank, p) for rank, p in enumerate(entry.probabilities, start=1) if p > 0]
            confidence.append({"name": computed.names.get(entry.school, entry.school), "c": entry, "probs": probs})
    context = {
        "campaign": campaign,
        "computed": computed,
        "a": computed.analytics,
        "leniency": leniency,
        "show_leniency": can_view_leniency(request.user, campaign),
        "confidence": confidence,
        "names": computed.names,
        "chart": _chart_data(computed),
        "leader_pct": round(computed.analytics.sensitivity.leader_stays_first * 100, 1) if computed.analytics else None,
    }
    return render(request, "results/results/analytics.html", context)


def _download_computed(request: HttpRequest, code: str, year: int):
    campaign = _campaign(request, code, year)
    return campaign, compute(campaign, resamples=1000)


@login_required
def download_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, computed = _download_computed(request, code, year)
    return _attachment(results_xlsx(computed), XLSX, f"{_stem(campaign)}.xlsx")


@login_required
def download_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, computed = _download_computed(request, code, year)
    return _attachment(results_pdf(computed), PDF, f"{_stem(campaign)}.pdf")


@login_required
def download_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, computed = _download_computed(request, code, year)
    return _attachment(results_docx(computed), DOCX, f"{_stem(campaign)}.docx")


@login_required
def download_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _campaign(request, code, year)
    document = published_export(campaign)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return _attachment(data, "application/json", f"{_stem(campaign)}.json")
