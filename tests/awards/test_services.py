"""The proposal workflow: draft → submitted → approved / rejected / returned, with its refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.awards import services
from thidua.awards.models import AwardRecord, ProposalStatus
from thidua.core.models import AuditEntry
from thidua.titles import services as title_services

DAY = datetime.date(2020, 12, 15)


def test_the_secretariat_creates_a_draft_with_the_typed_basis(aw):
    proposal = aw.propose(note="Dẫn đầu Cụm, 95,5 điểm", achievements="Vượt kế hoạch đào tạo")

    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.basis == {"note": "Dẫn đầu Cụm, 95,5 điểm"}
    assert AuditEntry.objects.filter(action="proposal.create", object_id=str(proposal.pk)).count() == 1


def test_a_member_school_officer_cannot_create_a_proposal(aw):
    with pytest.raises(PermissionDenied):
        services.create_proposal(
            actor=aw.world.bob, campaign=aw.campaign, nominee=aw.world.school_b, award=aw.awards["co-hoc-vien"]
        )


def test_a_school_outside_the_cluster_year_cannot_be_nominated(aw):
    with pytest.raises(ValidationError) as info:
        aw.propose(nominee=aw.world.school_c)
    assert "thành viên của Cụm" in str(info.value)


def test_the_same_nominee_and_award_twice_is_refused(aw):
    aw.propose()
    with pytest.raises(ValidationError) as info:
        aw.propose()
    assert "Đã có đề nghị Cờ thi đua của Học viện" in str(info.value)


def test_submission_then_approval_records_the_award_with_its_decision(aw):
    proposal = aw.propose()
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=proposal.version)
    assert proposal.status == ProposalStatus.SUBMITTED

    proposal = services.decide_proposal(
        actor=aw.world.dave, proposal=proposal, expected_version=proposal.version, outcome=ProposalStatus.APPROVED,
        decision_number="1234-QĐ/HVCTQG", decision_date=DAY,
    )  # fmt: skip

    assert proposal.status == ProposalStatus.APPROVED
    record = AwardRecord.objects.get(proposal=proposal)
    assert (record.organization, record.year, record.decision_number, record.decision_date) == (
        aw.world.school_a, 2020, "1234-QĐ/HVCTQG", DAY,
    )  # fmt: skip
    actions = list(
        AuditEntry.objects.filter(object_id=str(proposal.pk), action__startswith="proposal.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["proposal.approved", "proposal.create", "proposal.submit"]


def test_approval_needs_a_decision_number_and_date(aw):
    proposal = aw.propose()
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    with pytest.raises(ValidationError) as info:
        services.decide_proposal(
            actor=aw.world.dave, proposal=proposal, expected_version=None, outcome=ProposalStatus.APPROVED
        )
    assert set(info.value.message_dict) == {"decision_number", "decision_date"}


def test_return_needs_a_reason_and_the_secretariat_can_resubmit(aw):
    proposal = aw.propose()
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    with pytest.raises(ValidationError):
        services.decide_proposal(
            actor=aw.world.dave, proposal=proposal, expected_version=None, outcome=ProposalStatus.RETURNED
        )

    proposal = services.decide_proposal(
        actor=aw.world.dave, proposal=proposal, expected_version=None, outcome=ProposalStatus.RETURNED,
        reason="Bổ sung biên bản kiểm phiếu",
    )  # fmt: skip
    assert (proposal.status, proposal.decision_reason) == (ProposalStatus.RETURNED, "Bổ sung biên bản kiểm phiếu")

    proposal = services.update_proposal(
        actor=aw.world.alice, proposal=proposal, expected_version=proposal.version, note="Đã bổ sung"
    )
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=proposal.version)
    assert (proposal.status, proposal.decision_reason) == (ProposalStatus.SUBMITTED, "")


def test_rejection_records_no_award(aw):
    proposal = aw.propose()
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    proposal = services.decide_proposal(
        actor=aw.world.dave, proposal=proposal, expected_version=None, outcome=ProposalStatus.REJECTED,
        reason="Chưa đủ tiêu chuẩn",
    )  # fmt: skip
    assert proposal.status == ProposalStatus.REJECTED
    assert not AwardRecord.objects.exists()


def test_the_secretariat_cannot_decide_and_the_academy_cannot_submit(aw):
    proposal = aw.propose()
    with pytest.raises(PermissionDenied):
        services.submit_proposal(actor=aw.world.dave, proposal=proposal, expected_version=None)
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    with pytest.raises(PermissionDenied):
        services.decide_proposal(
            actor=aw.world.alice, proposal=proposal, expected_version=None, outcome=ProposalStatus.REJECTED, reason="x"
        )


def test_wrong_states_are_refused(aw):
    proposal = aw.propose()
    with pytest.raises(PermissionDenied):  # a draft cannot be decided
        services.decide_proposal(
            actor=aw.world.dave, proposal=proposal, expected_version=None, outcome=ProposalStatus.REJECTED, reason="x"
        )
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    with pytest.raises(PermissionDenied):  # a submitted proposal cannot be submitted or edited again
        services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    with pytest.raises(PermissionDenied):
        services.update_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None, note="x")


def test_a_stale_version_is_refused_without_overwriting(aw):
    proposal = aw.propose(note="bản đầu")
    stale = proposal.version
    services.update_proposal(actor=aw.world.alice, proposal=proposal, expected_version=stale, note="bản hai")

    with pytest.raises(ValidationError) as info:
        services.update_proposal(actor=aw.world.alice, proposal=proposal, expected_version=stale, note="bản ba")

    assert "vừa được người khác thay đổi" in str(info.value)
    proposal.refresh_from_db()
    assert proposal.basis["note"] == "bản hai"


def test_the_academy_keeps_the_award_list(aw):
    award = title_services.save_award(
        actor=aw.world.dave, code="bang-khen-bo", name="Bằng khen của Bộ trưởng", level="government",
        consecutive_years=None, prerequisite=None, is_active=True,
    )  # fmt: skip
    assert award.name_sort
    with pytest.raises(PermissionDenied):
        title_services.save_award(actor=aw.world.alice, award=award, name="x")
    assert title_services.install_award_list(actor=aw.world.dave) == 0
