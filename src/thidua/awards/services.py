"""Every state change of awards and proposals (đề nghị khen thưởng), one function each: a
transaction, the permission and state checks, the audit row in the same transaction.

The proposal workflow: draft → submitted → approved | rejected | returned (with a reason);
a returned proposal is edited and submitted again. Approval records the decision number and
date and creates the nominee's ``AwardRecord``. Every change names the version it was made
on; a stale version is refused without overwriting.

The consecutive-years rule (``history.check_consecutive``) is checked whenever a proposal is
created, edited or submitted: the result is kept in the basis and shown as a warning; a
proposal that does not meet it is submitted only with the secretariat's written reason
(``override_reason``), which the Academy sees when it decides. The title check
(``basis.check_title``: is the nominee eligible for the award's framework title in the
published results?) is kept in the basis at the same moments and shown as a warning only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.awards import basis as basis_module
from thidua.awards.history import HistoryCheck, check_consecutive
from thidua.awards.models import AwardRecord, Proposal, ProposalStatus
from thidua.campaigns.models import Campaign
from thidua.core import audit
from thidua.organizations.models import Organization
from thidua.titles.models import Award


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _check_version(proposal: Proposal, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != proposal.version:
        raise ValidationError(
            "Đề nghị này vừa được người khác thay đổi. Hãy tải lại trang để xem bản mới nhất rồi làm lại."
        )


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("campaign__cluster_year", "nominee", "award")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def record_award(
    *,
    actor: Any,
    organization: Organization,
    award: Award,
    year: int,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
) -> AwardRecord:
    """Enter an award received in the past (history before the application, or decided elsewhere)."""
    _require(actor, "titles.manage_awards")
    if AwardRecord.objects.filter(organization=organization, award=award, year=year).exists():
        raise ValidationError(f"{organization.name} đã có {award.name} năm {year}.")
    record = AwardRecord.objects.create(
        organization=organization,
        award=award,
        year=year,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        note=note.strip(),
    )
    audit.record(
        actor=actor, action="award_record.create", obj=record, data={"year": year, "decision": decision_number}
    )
    return record


# ---- proposals ---------------------------------------------------------------------------


def compute_basis(
    *, campaign: Campaign, nominee: Organization, award: Award, ballot: Any = None, note: str = ""
) -> tuple[basis_module.Basis, HistoryCheck]:
    """The basis from the results and the ballot, with the typed note and the history check."""
    found: basis_module.Basis = {}
    results = basis_module.results_basis(campaign, nominee)
    if results:
        found["results"] = results
    vote = basis_module.vote_basis(ballot, nominee)
    if vote:
        found["vote"] = vote
    if note.strip():
        found["note"] = note.strip()
    check = check_consecutive(nominee=nominee, award=award, year=campaign.cluster_year.year)
    if check.applies:
        found["history_check"] = check.as_dict()
    title_check = basis_module.check_title(campaign=campaign, nominee=nominee, award=award)
    if title_check is not None:
        found["title_check"] = title_check.as_dict()
    return found, check


def _validate(campaign: Campaign, nominee: Organization, award: Award, ballot: Any) -> None:
    errors: dict[str, str] = {}
    if not any(m.organization_id == nominee.pk for m in campaign.cluster_year.memberships.all()):
        errors["nominee"] = "Đơn vị được đề nghị phải là thành viên của Cụm trong năm này."
    if not award.is_active:
        errors["award"] = "Hình thức khen thưởng này không còn được dùng."
    if ballot is not None:
        conference = getattr(ballot, "conference", None)
        if conference is None or conference.cluster_year_id != campaign.cluster_year_id:
            errors["ballot"] = "Lượt bỏ phiếu phải thuộc hội nghị tổng kết của Cụm trong năm này."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_proposal(
    *,
    actor: Any,
    campaign: Campaign,
    nominee: Organization,
    award: Award,
    ballot: Any = None,
    note: str = "",
    achievements: str = "",
) -> Proposal:
    """A new draft proposal by the campaign's secretariat, its basis filled from the data."""
    _require(actor, "awards.add_proposal", campaign)
    _validate(campaign, nominee, award, ballot)
    found, check = compute_basis(campaign=campaign, nominee=nominee, award=award, ballot=ballot, note=note)
    proposal = Proposal(
        campaign=campaign, nominee=nominee, award=award, ballot=ballot, basis=dict(found), achievements=achievements
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise ValidationError(
            {"award": f"Đã có đề nghị {award.name} cho {nominee.name} trong năm {campaign.cluster_year.year}."}
        ) from None
    audit.record(
        actor=actor,
        action="proposal.create",
        obj=proposal,
        data={"nominee": nominee.short_code, "award": award.code, "basis": found, "history_met": check.met},
    )
    return proposal


@transaction.atomic
def update_proposal(
    *,
    actor: Any,
    proposal: Proposal,
    expected_version: int | None,
    ballot: Any = None,
    note: str = "",
    achievements: str = "",
) -> Proposal:
    """Change a draft or returned proposal: the ballot, the typed basis, the achievements; the
    basis is read again from the data."""
    proposal = _locked(proposal)
    _require(actor, "awards.change_proposal", proposal)
    _check_version(proposal, expected_version)
    _validate(proposal.campaign, proposal.nominee, proposal.award, ballot)
    found, _check = compute_basis(
        campaign=proposal.campaign, nominee=proposal.nominee, award=proposal.award, ballot=ballot, note=note
    )
    before = {"basis": proposal.basis, "achievements": proposal.achievements, "ballot": proposal.ballot_id}
    proposal.ballot = ballot
    proposal.basis = dict(found)
    proposal.achievements = achievements
    proposal.version += 1
    proposal.save()
    audit.record(
        actor=actor,
        action="proposal.update",
        obj=proposal,
        data={"before": before, "after": {"basis": found, "achievements": achievements, "ballot": proposal.ballot_id}},
    )
    return proposal


@transaction.atomic
def submit_proposal(
    *, actor: Any, proposal: Proposal, expected_version: int | None, override_reason: str = ""
) -> Proposal:
    """Send a draft (or returned) proposal to the Academy. A proposal that does not meet its
    award's consecutive-years rule needs ``override_reason``."""
    proposal = _locked(proposal)
    _require(actor, "awards.submit_proposal", proposal)
    _check_version(proposal, expected_version)
    check = check_consecutive(nominee=proposal.nominee, award=proposal.award, year=proposal.campaign.cluster_year.year)
    basis = dict(proposal.basis)
    if check.applies:
        basis["history_check"] = check.as_dict()
    title_check = basis_module.check_title(campaign=proposal.campaign, nominee=proposal.nominee, award=proposal.award)
    basis.pop("title_check", None)
    if title_check is not None:
        basis["title_check"] = title_check.as_dict()
    basis.pop("override_reason", None)
    if check.applies and not check.met:
        if not override_reason.strip():
            raise ValidationError({"override_reason": check.message() + " Muốn vẫn trình, hãy ghi rõ lý do."})
        basis["override_reason"] = override_reason.strip()
    previous = proposal.status
    proposal.basis = basis
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.decision_reason = ""
    proposal.version += 1
    proposal.save()
    audit.record(
        actor=actor,
        action="proposal.submit",
        obj=proposal,
        data={"from": previous, "history_check": check.as_dict() if check.applies else None},
        reason=override_reason.strip(),
    )
    return proposal


@transaction.atomic
def decide_proposal(
    *,
    actor: Any,
    proposal: Proposal,
    expected_version: int | None,
    outcome: str,
    reason: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> Proposal:
    """The Academy's decision on a submitted proposal: ``approved`` (with the decision number
    and date; the award enters the nominee's history), ``rejected`` or ``returned`` (with a reason)."""
    proposal = _locked(proposal)
    _require(actor, "awards.decide_proposal", proposal)
    _check_version(proposal, expected_version)
    reason = reason.strip()
    decision_number = decision_number.strip()
    if outcome == ProposalStatus.APPROVED:
        errors = {}
        if not decision_number:
            errors["decision_number"] = "Hãy nhập số quyết định khen thưởng."
        if decision_date is None:
            errors["decision_date"] = "Hãy nhập ngày ký quyết định."
        if errors:
            raise ValidationError(errors)
    elif outcome in (ProposalStatus.REJECTED, ProposalStatus.RETURNED):
        if not reason:
            raise ValidationError({"reason": "Hãy ghi lý do để Thường trực Cụm biết."})
        decision_number, decision_date = "", None
    else:
        raise ValidationError({"outcome": "Quyết định không hợp lệ."})
    year = proposal.campaign.cluster_year.year
    if (
        outcome == ProposalStatus.APPROVED
        and AwardRecord.objects.filter(organization=proposal.nominee, award=proposal.award, year=year).exists()
    ):
        raise ValidationError(f"{proposal.nominee.name} đã có {proposal.award.name} năm {year}.")
    proposal.status = outcome
    proposal.decision_reason = reason
    proposal.decision_number = decision_number
    proposal.decision_date = decision_date
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.version += 1
    proposal.save()
    if outcome == ProposalStatus.APPROVED:
        record = AwardRecord.objects.create(
            organization=proposal.nominee,
            award=proposal.award,
            year=year,
            decision_number=decision_number,
            decision_date=decision_date,
            proposal=proposal,
        )
        audit.record(actor=actor, action="award_record.create", obj=record, data={"proposal": proposal.pk})
    audit.record(
        actor=actor,
        action=f"proposal.{outcome}",
        obj=proposal,
        data={"decision_number": decision_number, "decision_date": decision_date},
        reason=reason,
    )
    return proposal


@transaction.atomic
def delete_proposal(*, actor: Any, proposal: Proposal, expected_version: int | None) -> None:
    """Remove a draft (or returned) proposal made by mistake; the audit row keeps what it was."""
    proposal = _locked(proposal)
    _require(actor, "awards.change_proposal", proposal)
    _check_version(proposal, expected_version)
    audit.record(
        actor=actor,
        action="proposal.delete",
        obj=proposal,
        data={"nominee": proposal.nominee.short_code, "award": proposal.award.code, "status": proposal.status},
    )
    proposal.delete()
