"""The public vote page (no account: the one-time code is the credential) and the receipt
check against the published anonymised ballots. Codes are never logged or put in URLs
at all: the QR code carries it in the URL fragment (never sent to the server), the page's script
moves it into the form, and the forms post it in their body."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from thidua.core.forms import apply_form
from thidua.voting import queries, services
from thidua.voting.forms import ChoicesForm, VoteForm
from thidua.voting.models import BallotStatus

REASONS = {
    "invalid": gettext_lazy("Mã bỏ phiếu không đúng hoặc đã được dùng. Hãy kiểm tra lại mã trên phiếu."),
    "closed": gettext_lazy("Lượt bỏ phiếu này chưa mở hoặc đã kết thúc."),
}


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest) -> HttpResponse:
    raw = (request.POST.get("code") or "").strip()  # never in the URL: URLs end up in logs
    code_form = VoteForm({"code": raw} if raw else None)
    if not raw or not code_form.is_valid():
        return render(request, "voting/public/code.html", {"form": code_form if raw else VoteForm()})
    ballot, why = queries.ballot_for_code(raw)
    if ballot is None:
        code_form.add_error("code", str(REASONS[why]))
        return render(request, "voting/public/code.html", {"form": code_form}, status=400)
    form = ChoicesForm(request.POST if "cast" in request.POST else None, ballot=ballot)
    cast = apply_form(  # an unbound form (no "cast" posted) is never valid
        request, form, lambda data: services.cast_vote(code=raw, candidate_ids=[c.pk for c in data["choices"]])
    )
    if cast:
        return render(request, "voting/public/receipt.html", {"ballot": ballot, "receipt": cast.result})
    context = {"ballot": ballot, "form": form, "code": raw}
    return render(request, "voting/public/ballot.html", context, status=400 if form.errors else 200)


@never_cache
def receipt_check(request: HttpRequest) -> HttpResponse:
    receipt = (request.GET.get("receipt") or "").strip()
    ballot = queries.ballot_for_receipt(receipt) if receipt else None
    published = queries.published_ballots(ballot) if ballot is not None else []
    context = {
        "receipt": receipt,
        "ballot": ballot,
        "closed": ballot is not None and ballot.status == BallotStatus.CLOSED,
        "published": published,
        "mine": next((p for p in published if p.receipt == receipt.upper()), None),
        "rows": queries.result_rows(ballot) if ballot is not None and ballot.status == BallotStatus.CLOSED else [],
    }
    return render(request, "voting/public/check.html", context)
