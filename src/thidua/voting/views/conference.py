"""The conference pages: the list, the record, delegates and check-in, the minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.roles import roleset
from thidua.core.forms import add_service_errors
from thidua.organizations.models import ClusterYear
from thidua.titles.models import Award
from thidua.voting import documents, queries, services
from thidua.voting.forms import BallotForm, ConferenceForm, DelegateForm
from thidua.voting.models import Conference, Delegate, RulePreset
from thidua.voting.rules import conferences_visible_to
from thidua.voting.views.access import DOCX, PDF, attachment, get_cluster_year, get_conference


@login_required
def conference_list(request: HttpRequest) -> HttpResponse:
    readable = (queries.conferences() & conferences_visible_to(request.user)).order_by("-cluster_year__year")
    rs = roleset(request.user)
    held = set(Conference.objects.values_list("cluster_year_id", flat=True))
    can_create = [
        cy
        for cy in ClusterYear.objects.select_related("cluster").order_by("-year", "cluster__code")
        if cy.pk not in held and (rs.is_admin or rs.is_secretariat(cy.cluster_id, cy.year))
    ]
    return render(request, "voting/conference/list.html", {"conferences": readable, "can_create": can_create})


def _url_args(conference: Conference) -> tuple[str, int]:
    return conference.cluster_year.cluster.code, conference.cluster_year.year


@login_required
def conference_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    cluster_year = get_cluster_year(request, code, year)
    conference = Conference.objects.filter(cluster_year=cluster_year).first()
    rs = roleset(request.user)
    if not (rs.is_admin or rs.is_secretariat(cluster_year.cluster_id, cluster_year.year)):
        if conference is not None and request.user.has_perm("voting.view_conference", conference):
            raise PermissionDenied
        raise Http404
    members = queries.member_organizations(cluster_year)
    initial = {}
    if conference is not None:
        initial = {
            "version": conference.version,
            "date": conference.date,
            "place": conference.place,
            "host": conference.host_id,
            "chair": conference.chair,
            "secretary": conference.secretary,
            "agenda": conference.agenda,
            "notes": conference.notes,
        }
    form = ConferenceForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_conference(
                actor=request.user,
                cluster_year=cluster_year,
                date=data["date"],
                place=data["place"],
                host=data["host"],
                agenda=data["agenda"],
                notes=data["notes"],
                chair=data["chair"],
                secretary=data["secretary"],
                version=data.get("version"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin hội nghị."))
            return redirect("voting:detail", *_url_args(saved))
    context = {"cluster_year": cluster_year, "conference": conference, "form": form}
    return render(request, "voting/conference/edit.html", context, status=400 if form.errors else 200)


@login_required
def conference_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    conference = get_conference(request, code, year)
    can_manage = request.user.has_perm("voting.manage_conference", conference)
    members = queries.memberships(conference.cluster_year)
    delegates = list(conference.delegates.select_related("organization"))
    present = queries.present_members(conference)
    context = {
        "conference": conference,
        "can_manage": can_manage,
        "members": members,
        "delegates": delegates,
        "present_count": len(present),
        "member_count": len(members),
        "ballots": list(queries.ballots_of(conference)),
        "delegate_form": DelegateForm(members=[m.organization for m in members]) if can_manage else None,
    }
    return render(request, "voting/conference/detail.html", context)


@login_required
@require_POST
def delegate_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    conference = get_conference(request, code, year, manage=True)
    members = queries.member_organizations(conference.cluster_year)
    form = DelegateForm(request.POST, members=members)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_delegate(
                actor=request.user,
                conference=conference,
                name=data["name"],
                position=data["position"],
                organization=data["organization"],
                is_guest=data["organization"] is None,
                is_voting=data["is_voting"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
    else:
        messages.success(request, _("Đã thêm đại biểu."))
    return redirect("voting:detail", *_url_args(conference))


@login_required
@require_POST
def delegate_check_in(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    conference = get_conference(request, code, year, manage=True)
    delegate = get_object_or_404(Delegate.objects.select_related("organization"), conference=conference, pk=pk)
    delegate.conference = conference
    services.check_in(actor=request.user, delegate=delegate, present=request.POST.get("present") == "1")
    return redirect("voting:detail", *_url_args(conference))


@login_required
@require_POST
def delegate_remove(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    conference = get_conference(request, code, year, manage=True)
    delegate = get_object_or_404(Delegate, conference=conference, pk=pk)
    delegate.conference = conference
    services.remove_delegate(actor=request.user, delegate=delegate)
    messages.success(request, _("Đã xoá đại biểu."))
    return redirect("voting:detail", *_url_args(conference))


def _chosen_award(value: str | None) -> Award | None:
    """The active award a ballot form names (by id), or None."""
    try:
        pk = int(value or "")
    except ValueError:
        return None
    return Award.objects.filter(is_active=True, pk=pk).first()


BALLOT_FIELDS = ("question", "preset", "method", "max_choices")


@login_required
def ballot_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The ballot form. Its list of candidates follows the chosen award: changing the award
    redraws the list (htmx, or the "refresh" button without JavaScript), and a form whose list
    was drawn for another award than the one submitted is drawn again, not saved."""
    conference = get_conference(request, code, year, manage=True)
    services.ensure_default_presets()
    posted = request.method == "POST"
    award = _chosen_award((request.POST if posted else request.GET).get("award"))
    drawn_for = str(award.pk) if award is not None else ""
    default = queries.default_candidates(conference.cluster_year, award=award)
    orgs = [row.organization for row in default.rows]
    initial: dict[str, Any] = {
        "candidates": [o.pk for o in orgs],
        "question": _("Suy tôn đơn vị dẫn đầu Cụm đề nghị Cờ thi đua của Học viện"),
        "preset": RulePreset.objects.filter(cluster__isnull=True, code="cluster-vote")
        .values_list("pk", flat=True)
        .first(),
        "award": award.pk if award is not None else None,
        "drawn_for": drawn_for,
    }
    redrawn = posted and ("refresh" in request.POST or request.POST.get("drawn_for", "") != drawn_for)
    if redrawn:
        initial.update({name: request.POST[name] for name in BALLOT_FIELDS if name in request.POST})
    form = BallotForm(
        request.POST if posted and not redrawn else None,
        initial=initial,
        cluster_id=conference.cluster_year.cluster_id,
        candidates=orgs,
        redraw_url=reverse("voting:ballot_create", args=_url_args(conference)),
    )
    if posted and not redrawn and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.create_ballot(
                actor=request.user,
                conference=conference,
                question=data["question"],
                preset=data["preset"],
                method=data["method"],
                max_choices=data["max_choices"],
                award=data["award"],
                candidates=form.ordered_candidates(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo lượt bỏ phiếu."))
            return redirect("voting:ballot", *_url_args(conference), ballot.pk)
    context = {
        "conference": conference,
        "form": form,
        "default": default,
        "redrawn": redrawn,
    }
    if getattr(request, "htmx", False):
        return render(request, "voting/ballot/_candidates.html", context)
    return render(request, "voting/ballot/create.html", context, status=400 if form.errors else 200)


def _stem(conference: Conference, kind: str) -> str:
    return f"{kind}-{conference.cluster_year.cluster.code.lower()}-{conference.cluster_year.year}"


@login_required
def minutes_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    conference = get_conference(request, code, year)
    return attachment(
        documents.conference_minutes_docx(conference), DOCX, f"{_stem(conference, 'bien-ban-hop-cum')}.docx"
    )


@login_required
def minutes_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    conference = get_conference(request, code, year)
    return attachment(documents.conference_minutes_pdf(conference), PDF, f"{_stem(conference, 'bien-ban-hop-cum')}.pdf")
