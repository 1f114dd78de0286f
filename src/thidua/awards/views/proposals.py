"""Proposals (đề nghị khen thưởng): the secretariat creates, edits and submits them; the Academy
decides. Every change goes through ``awards.services``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.awards import queries, services
from thidua.awards.basis import check_title, describe
from thidua.awards.forms import DecideForm, ProposalCreateForm, ProposalEditForm, SubmitForm
from thidua.awards.history import check_consecutive
from thidua.awards.models import Proposal, ProposalStatus
from thidua.awards.views.access import get_proposal
from thidua.campaigns.views.access import get_campaign
from thidua.core import audit
from thidua.core.forms import apply_form


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ProposalStatus.values:
        status = ""
    rows = queries.visible_proposals(request.user, status=status)
    return render(
        request, "awards/proposal/list.html", {"proposals": rows, "status": status, "statuses": ProposalStatus.choices}
    )


@login_required
def campaign_proposals(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A cluster year's proposals, with the form to create one (the secretariat)."""
    campaign = get_campaign(request, code, year)
    can_propose = request.user.has_perm("awards.add_proposal", campaign)
    form = ProposalCreateForm(request.POST or None, campaign=campaign) if can_propose else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        done = apply_form(
            request,
            form,
            lambda data: services.create_proposal(actor=request.user, campaign=campaign, **data),
            success=_("Đã tạo đề nghị khen thưởng."),
        )
        if done:
            return redirect("awards:proposal", done.result.pk)
    rows = queries.visible_proposals(request.user, campaign=campaign)
    context = {"campaign": campaign, "proposals": rows, "form": form, "can_propose": can_propose}
    return render(
        request, "awards/proposal/campaign.html", context, status=400 if form is not None and form.errors else 200
    )


def _detail_context(request: HttpRequest, proposal: Proposal, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_edit = user.has_perm("awards.change_proposal", proposal)
    can_decide = user.has_perm("awards.decide_proposal", proposal)
    check = check_consecutive(nominee=proposal.nominee, award=proposal.award, year=proposal.campaign.cluster_year.year)
    initial = {"version": proposal.version}
    context: dict[str, Any] = {
        "proposal": proposal,
        "campaign": proposal.campaign,
        "basis_lines": describe(proposal.basis),
        "check": check,
        "title_check": check_title(campaign=proposal.campaign, nominee=proposal.nominee, award=proposal.award),
        "can_edit": can_edit,
        "can_decide": can_decide,
        "entries": audit.entries_for(proposal)[:50],
    }
    if can_edit:
        context["edit_form"] = forms.get("edit_form") or ProposalEditForm(
            initial={
                **initial,
                "ballot": proposal.ballot_id,
                "note": proposal.basis.get("note", ""),
                "achievements": proposal.achievements,
            },
            campaign=proposal.campaign,
        )
        context["submit_form"] = forms.get("submit_form") or SubmitForm(initial=initial)
    if can_decide:
        context["decide_form"] = forms.get("decide_form") or DecideForm(initial=initial)
    return context


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk)
    return render(request, "awards/proposal/detail.html", _detail_context(request, proposal))


def _again(request: HttpRequest, proposal: Proposal, **forms: Any) -> HttpResponse:
    proposal.refresh_from_db()
    return render(request, "awards/proposal/detail.html", _detail_context(request, proposal, **forms), status=400)


def _act(request: HttpRequest, proposal: Proposal, form: Any, form_name: str, call: Any, message: str) -> HttpResponse:
    """One step of the workflow from a posted form: the service, then the proposal's page with
    ``message``; a refusal (bad input, stale version, wrong state) shows the form again."""
    if apply_form(request, form, call, success=message):
        return redirect("awards:proposal", proposal.pk)
    return _again(request, proposal, **{form_name: form})


@login_required
@require_POST
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk, perm="awards.change_proposal")
    form = ProposalEditForm(request.POST, campaign=proposal.campaign)
    return _act(request, proposal, form, "edit_form", lambda data: services.update_proposal(
        actor=request.user, proposal=proposal, expected_version=data["version"],
        ballot=data["ballot"], note=data["note"], achievements=data["achievements"],
    ), _("Đã lưu đề nghị."))  # fmt: skip


@login_required
@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk, perm="awards.submit_proposal")
    return _act(request, proposal, SubmitForm(request.POST), "submit_form", lambda data: services.submit_proposal(
        actor=request.user, proposal=proposal, expected_version=data["version"],
        override_reason=data["override_reason"],
    ), _("Đã trình đề nghị lên Học viện."))  # fmt: skip


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk, perm="awards.decide_proposal")
    return _act(request, proposal, DecideForm(request.POST), "decide_form", lambda data: services.decide_proposal(
        actor=request.user, proposal=proposal, expected_version=data["version"], outcome=data["outcome"],
        reason=data["reason"], decision_number=data["decision_number"], decision_date=data["decision_date"],
    ), _("Đã ghi quyết định."))  # fmt: skip


@login_required
@require_POST
def proposal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk, perm="awards.change_proposal")
    form = SubmitForm(request.POST)  # carries the version
    deleted = apply_form(request, form, lambda data: services.delete_proposal(
        actor=request.user, proposal=proposal, expected_version=data["version"],
    ), success=_("Đã xóa đề nghị."))  # fmt: skip
    if deleted:
        cy = proposal.campaign.cluster_year
        return redirect("awards:campaign", cy.cluster.code, cy.year)
    return _again(request, proposal, submit_form=form)
