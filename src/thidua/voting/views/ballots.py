"""A ballot's page and its actions: open, codes and slips, paper tally, close, next round,
decision; results (counts only) and the published anonymised ballots; tally minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.forms import add_service_errors
from thidua.voting import codes as vote_codes
from thidua.voting import documents, queries, services
from thidua.voting.forms import ChoicesForm, CodesForm, DecisionForm, PaperTallyForm
from thidua.voting.models import Ballot, BallotStatus, PaperTally, VoteCode
from thidua.voting.views.access import DOCX, PDF, attachment, get_ballot


def _back(ballot: Ballot) -> HttpResponse:
    cy = ballot.conference.cluster_year
    return redirect("voting:ballot", cy.cluster.code, cy.year, ballot.pk)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def ballot_detail(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk)
    can_manage = request.user.has_perm("voting.manage_conference", ballot.conference)
    tallies = {t.entry_number: t for t in PaperTally.objects.filter(ballot=ballot)}
    candidates = list(ballot.candidates.all())
    context = {
        "ballot": ballot,
        "conference": ballot.conference,
        "can_manage": can_manage,
        "candidates": candidates,
        "rows": queries.result_rows(ballot),
        "published": queries.published_ballots(ballot),
        "codes_total": VoteCode.objects.filter(ballot=ballot).count(),
        "codes_used": VoteCode.objects.filter(ballot=ballot, used=True).count(),
        "cast_count": ballot.cast.count(),
        "tallies": tallies,
        "differences": queries.tally_differences(list(tallies.values()), candidates),
        "codes_form": CodesForm(initial={"count": max(1, ballot.present_count or ballot.electorate_size)})
        if can_manage
        else None,
        "decision_form": DecisionForm()
        if can_manage and ballot.result.get("needs_decision") and not ballot.decision
        else None,
        "next_round": Ballot.objects.filter(previous_round=ballot).first(),
        "written_form": ChoicesForm(ballot=ballot)
        if can_manage and ballot.status == BallotStatus.OPEN and ballot.rules_snapshot.get("absentee_written_votes")
        else None,
        "vote_url": request.build_absolute_uri(reverse("voting:vote")),
    }
    return render(request, "voting/ballot/detail.html", context)


@login_required
@require_POST
def ballot_open(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk, manage=True)
    try:
        services.open_ballot(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã mở bỏ phiếu."))
    return _back(ballot)


@login_required
@require_POST
def ballot_close(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk, manage=True)
    try:
        services.close_ballot(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã kết thúc bỏ phiếu và kiểm phiếu."))
    return _back(ballot)


@login_required
@require_POST
def ballot_codes(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """Generate codes and answer with their printable slips: the codes exist only in this page."""
    ballot = get_ballot(request, code, year, pk, manage=True)
    form = CodesForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return _back(ballot)
    try:
        plain = services.generate_codes(actor=request.user, ballot=ballot, count=form.cleaned_data["count"])
    except ValidationError as exc:
        _errors(request, exc)
        return _back(ballot)
    base = request.build_absolute_uri(reverse("voting:vote"))
    # the code travels in the fragment, which browsers never send: it reaches no access log
    slips = [{"code": c, "qr": vote_codes.qr_svg(f"{base}#ma={c}")} for c in plain]
    response = render(request, "voting/ballot/slips.html", {"ballot": ballot, "slips": slips, "vote_url": base})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def paper_tally(request: HttpRequest, code: str, year: int, pk: int, entry: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk, manage=True)
    existing = PaperTally.objects.filter(ballot=ballot, entry_number=entry).first()
    initial = {}
    if existing is not None:
        initial = {
            "ballots_issued": existing.ballots_issued,
            "ballots_returned": existing.ballots_returned,
            "invalid": existing.invalid,
            **{f"c{k}": v for k, v in existing.counts.items()},
        }
    form = PaperTallyForm(request.POST or None, initial=initial, ballot=ballot)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_paper_tally(
                actor=request.user,
                ballot=ballot,
                entry_number=entry,
                counts=form.counts(),
                ballots_issued=form.cleaned_data["ballots_issued"],
                ballots_returned=form.cleaned_data["ballots_returned"],
                invalid=form.cleaned_data["invalid"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu lần nhập thứ %(n)s.") % {"n": entry})
            return _back(ballot)
    context = {"ballot": ballot, "conference": ballot.conference, "form": form, "entry": entry}
    return render(request, "voting/ballot/tally.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def ballot_next_round(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk, manage=True)
    try:
        nxt = services.start_next_round(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        _errors(request, exc)
        return _back(ballot)
    nxt.conference = ballot.conference
    messages.success(request, _("Đã tạo vòng %(n)s.") % {"n": nxt.round_number})
    return _back(nxt)


@login_required
@require_POST
def ballot_decision(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk, manage=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_decision(
                actor=request.user,
                ballot=ballot,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã ghi quyết định."))
    else:
        messages.error(request, _("Hãy ghi quyết định và lý do."))
    return _back(ballot)


def _stem(ballot: Ballot) -> str:
    cy = ballot.conference.cluster_year
    return f"bien-ban-kiem-phieu-{cy.cluster.code.lower()}-{cy.year}-{ballot.pk}"


@login_required
def tally_minutes_docx(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk)
    if ballot.status != BallotStatus.CLOSED:
        messages.error(request, _("Biên bản kiểm phiếu có sau khi kết thúc bỏ phiếu."))
        return _back(ballot)
    return attachment(documents.tally_minutes_docx(ballot), DOCX, f"{_stem(ballot)}.docx")


@login_required
def tally_minutes_pdf(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = get_ballot(request, code, year, pk)
    if ballot.status != BallotStatus.CLOSED:
        messages.error(request, _("Biên bản kiểm phiếu có sau khi kết thúc bỏ phiếu."))
        return _back(ballot)
    return attachment(documents.tally_minutes_pdf(ballot), PDF, f"{_stem(ballot)}.pdf")


@login_required
@require_POST
def written_vote(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """An absent member's written vote, where the rules count them (no member is recorded)."""
    ballot = get_ballot(request, code, year, pk, manage=True)
    form = ChoicesForm(request.POST, ballot=ballot)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return _back(ballot)
    try:
        services.record_written_vote(
            actor=request.user, ballot=ballot, candidate_ids=[c.pk for c in form.cleaned_data["choices"]]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã ghi một phiếu bằng văn bản."))
    return _back(ballot)
