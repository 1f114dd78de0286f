"""Self-assessment services: creation, each rule's validation, concurrency, deadline, lock,
submit and reopen, all audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.assessments.conftest import save
from thidua.assessments import services
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.deadlines import DeadlinePassed, PhaseClosed
from thidua.campaigns.models import Deadline, Extension, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


# --- ensure_assessment --------------------------------------------------------------------


def test_a_new_assessment_has_an_entry_for_every_leaf_item_and_condition(sheet):
    codes = set(sheet.assessment_b.entries.values_list("node__code", flat=True))

    assert len(codes) == 30 + 3 + 2 + 2
    assert {"I.1", "VII.2", "B.1", "B.3", "P.2", "C.1", "C.2"} <= codes
    assert "I" not in codes  # groups take no entry


def test_ensuring_again_creates_nothing_new(sheet):
    again = services.ensure_assessment(actor=None, campaign=sheet.campaign, organization=sheet.world.school_b)

    assert again.pk == sheet.assessment_b.pk
    assert SelfAssessment.objects.count() == 1
    assert AssessmentEntry.objects.count() == 37
    assert AuditEntry.objects.filter(action="assessment.create").count() == 1


def test_a_school_outside_the_cluster_year_gets_no_assessment(sheet):
    with pytest.raises(ValidationError) as caught:
        services.ensure_assessment(actor=None, campaign=sheet.campaign, organization=sheet.world.school_c)

    assert "không phải thành viên" in caught.value.messages[0]
    assert not SelfAssessment.objects.filter(organization=sheet.world.school_c).exists()


# --- each rule's validation ---------------------------------------------------------------


def test_manual_points_on_their_step_are_saved(sheet):
    saved = save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.75"), explanation="  Có kế hoạch  ")

    assert saved.points == Decimal("1.75")
    assert saved.explanation == "Có kế hoạch"
    assert saved.version == 1
    assert saved.updated_by == sheet.world.bob


def test_manual_points_off_their_step_are_refused_with_the_two_nearest_values_and_not_rounded(sheet):
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.6"))

    assert caught.value.message_dict["points"] == [
        "Điểm 1,6 không đúng bước 0,25: hãy nhập 1,5 hoặc 1,75. Điểm không được làm tròn tự động."
    ]
    entry = sheet.entry("I.4")
    assert entry.points is None
    assert entry.version == 0


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (Decimal("2.25"), "Điểm 2,25 vượt quá điểm tối đa 2 của tiêu chí (được nhập từ 0 đến 2)."),
        (Decimal("-0.25"), "Điểm không được âm."),
        (Decimal("0.12345"), "Chỉ nhập tối đa 4 chữ số sau dấu phẩy."),
    ],
)
def test_manual_points_outside_zero_to_max_are_refused(sheet, points, message):
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("I.4"), points=points)

    assert caught.value.message_dict["points"] == [message]


def test_pass_fail_takes_yes_or_no(sheet):
    assert save(sheet.world.bob, sheet.entry("I.2"), passed=False).passed is False
    assert save(sheet.world.bob, sheet.entry("I.2"), passed=True).passed is True


def test_pass_fail_refuses_anything_but_yes_or_no(sheet):
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("I.2"), passed="có")

    assert caught.value.message_dict["passed"] == ["Chọn “Đạt” hoặc “Không đạt”."]


def test_levels_take_one_of_the_rubrics_names(sheet):
    assert (
        save(sheet.world.bob, sheet.entry("VI.1"), level="Hoàn thành tốt nhiệm vụ").level == "Hoàn thành tốt nhiệm vụ"
    )


def test_an_unknown_level_is_refused_listing_the_levels(sheet):
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("I.1"), level="Xuất sắc")

    assert caught.value.message_dict["level"] == [
        "Mức “Xuất sắc” không có trong thang chấm; chọn một trong các mức: “Tốt”, “Khá”, “Đạt”, “Chưa đạt”."
    ]


def test_count_takes_a_whole_number_from_zero(sheet):
    assert save(sheet.world.bob, sheet.entry("II.3"), count=0).count == 0
    assert save(sheet.world.bob, sheet.entry("II.3"), count=12).count == 12


@pytest.mark.parametrize("count", [-1, Decimal("2.5"), True])
def test_count_refuses_negative_fractional_and_boolean_values(sheet, count):
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("II.3"), count=count)

    assert caught.value.message_dict["count"] == ["Số lần phải là số nguyên từ 0 trở lên."]


def test_quantitative_takes_an_actual_from_zero(sheet):
    assert save(sheet.world.bob, sheet.entry("II.2"), actual=Decimal("2750")).actual == Decimal("2750")


def test_quantitative_refuses_a_negative_actual(sheet):
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("II.2"), actual=Decimal("-1"))

    assert caught.value.message_dict["actual"] == ["Số liệu thực hiện không được âm."]


def test_a_condition_is_stored_as_met_or_not_met(sheet):
    assert save(sheet.world.bob, sheet.entry("C.1"), passed=False).passed is False


def test_bonus_and_penalty_items_take_their_rules_input(sheet):
    assert save(sheet.world.bob, sheet.entry("B.1"), count=3).count == 3
    assert save(sheet.world.bob, sheet.entry("B.3"), level="Mức 1").level == "Mức 1"
    assert save(sheet.world.bob, sheet.entry("P.1"), count=2).count == 2
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("B.3"), level="Mức 3")
    assert "Mức “Mức 3” không có trong thang chấm" in caught.value.message_dict["level"][0]


def test_a_field_the_rule_does_not_read_is_refused(sheet):
    with pytest.raises(ValidationError) as caught:
        save(sheet.world.bob, sheet.entry("I.4"), level="Tốt")

    assert caught.value.message_dict["level"] == ["Tiêu chí này không nhận trường “level”."]


def test_a_blank_value_clears_the_entry(sheet):
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1"))

    cleared = save(sheet.world.bob, sheet.entry("I.4"), points=None)

    assert cleared.points is None
    assert cleared.version == 2


def test_a_blank_level_clears_the_level(sheet):
    save(sheet.world.bob, sheet.entry("I.1"), level="Tốt")

    assert save(sheet.world.bob, sheet.entry("I.1"), level=None).level == ""


def test_a_save_is_audited_with_the_old_and_new_values(sheet):
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.5"), explanation="Đủ")

    row = AuditEntry.objects.get(action="assessment.entry.save")
    assert row.actor == sheet.world.bob
    assert row.object_id == str(sheet.assessment_b.pk)
    assert row.data == {"code": "I.4", "version": 1, "points": [None, "1.5"], "explanation": ["", "Đủ"]}


def test_saving_the_same_values_again_changes_nothing(sheet):
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.5"))

    again = save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.50"))

    assert again.version == 1
    assert AuditEntry.objects.filter(action="assessment.entry.save").count() == 1


# --- concurrency --------------------------------------------------------------------------


def test_of_two_saves_from_the_same_version_the_second_is_refused_and_the_first_stays(sheet):
    opened = sheet.entry("I.4")  # both people opened the form at version 0
    services.save_entry(actor=sheet.world.bob, entry=opened, expected_version=0, points=Decimal("1.5"))

    with pytest.raises(services.StaleEntry) as caught:
        services.save_entry(actor=sheet.binh, entry=opened, expected_version=0, points=Decimal("0.5"))

    stale = caught.value
    assert stale.their_value == "1,5"
    assert stale.by == "Bob Trần"
    assert stale.current.version == 1
    assert stale.at is not None
    assert "Người khác đã lưu tiêu chí I.4 trong lúc bạn sửa: giá trị của họ là 1,5 (Bob Trần, lúc" in stale.messages[0]
    entry = sheet.entry("I.4")
    assert entry.points == Decimal("1.5")
    assert entry.updated_by == sheet.world.bob
    assert entry.version == 1


def test_a_stale_save_of_exactly_what_was_saved_is_not_a_conflict(sheet):
    opened = sheet.entry("I.4")
    services.save_entry(actor=sheet.world.bob, entry=opened, expected_version=0, points=Decimal("1.5"))

    same = services.save_entry(actor=sheet.binh, entry=opened, expected_version=0, points=Decimal("1.5"))

    assert same.version == 1
    assert same.updated_by == sheet.world.bob


def test_saving_with_the_new_version_after_seeing_theirs_overwrites(sheet):
    opened = sheet.entry("I.4")
    services.save_entry(actor=sheet.world.bob, entry=opened, expected_version=0, points=Decimal("1.5"))

    mine = services.save_entry(actor=sheet.binh, entry=opened, expected_version=1, points=Decimal("0.5"))

    assert mine.points == Decimal("0.5")
    assert mine.version == 2


# --- deadline, permission, lock -----------------------------------------------------------


def test_a_save_after_the_deadline_is_refused_naming_the_deadline(sheet):
    Deadline.objects.filter(campaign=sheet.campaign).update(due_at=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(DeadlinePassed) as caught:
        save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1"))

    assert caught.value.messages[0].startswith("Đã quá hạn tự chấm điểm (")
    assert sheet.entry("I.4").points is None


def test_a_schools_extension_lets_it_save_after_the_deadline(sheet):
    Deadline.objects.filter(campaign=sheet.campaign).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    Extension.objects.create(
        campaign=sheet.campaign,
        organization=sheet.world.school_b,
        phase=Phase.SELF_ASSESSMENT,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="Mất điện",
    )

    assert save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1")).points == Decimal("1")


def test_a_save_outside_the_self_assessment_phase_is_refused(sheet):
    sheet.campaign.phase = Phase.REVIEW
    sheet.campaign.save()

    with pytest.raises(PhaseClosed) as caught:
        save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1"))

    assert "Tự chấm điểm" in caught.value.messages[0]


def test_another_schools_officer_may_not_save(sheet):
    with pytest.raises(services.NotAllowed) as caught:
        save(sheet.world.alice, sheet.entry("I.4"), points=Decimal("1"))

    assert str(caught.value) == "Bạn không có quyền sửa bản tự chấm điểm của Trường Chính trị tỉnh Bạc Liêu."
    assert sheet.entry("I.4").points is None


def test_a_locked_assessment_is_read_only(sheet):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    with pytest.raises(services.AssessmentLocked) as caught:
        save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1"))

    assert "đã được gửi nên không sửa được nữa" in caught.value.messages[0]
    assert sheet.entry("I.4").points is None


# --- submit and reopen --------------------------------------------------------------------


def test_only_the_schools_leader_submits(sheet):
    with pytest.raises(services.NotAllowed) as caught:
        services.submit(actor=sheet.world.bob, assessment=sheet.assessment_b)

    assert str(caught.value) == "Chỉ lãnh đạo trường (hiệu trưởng) mới gửi được bản tự chấm điểm."
    assert SelfAssessment.objects.get(pk=sheet.assessment_b.pk).status == SubmissionStatus.DRAFT


def test_the_leader_submits_and_it_locks_with_the_total_audited(sheet):
    save(sheet.world.bob, sheet.entry("I.1"), level="Khá")

    submitted = services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    assert submitted.status == SubmissionStatus.SUBMITTED
    assert submitted.is_locked
    assert submitted.submitted_by == sheet.binh
    row = AuditEntry.objects.get(action="assessment.submit")
    assert row.actor == sheet.binh
    assert row.data == {"status": "submitted", "total": "2"}


def test_another_schools_leader_cannot_submit(sheet):
    with pytest.raises(services.NotAllowed):
        services.submit(actor=sheet.an, assessment=sheet.assessment_b)


def test_submitting_after_the_deadline_is_refused(sheet):
    Deadline.objects.filter(campaign=sheet.campaign).update(due_at=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(DeadlinePassed):
        services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    assert SelfAssessment.objects.get(pk=sheet.assessment_b.pk).status == SubmissionStatus.DRAFT


def test_submitting_twice_is_refused(sheet):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    with pytest.raises(services.AssessmentLocked):
        services.submit(actor=sheet.binh, assessment=sheet.assessment_b)


def test_reopen_needs_a_reason(sheet):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    with pytest.raises(ValidationError) as caught:
        services.reopen(actor=sheet.world.alice, assessment=sheet.assessment_b, reason="   ")

    assert caught.value.message_dict == {"reason": ["Hãy ghi lý do mở lại."]}
    assert SelfAssessment.objects.get(pk=sheet.assessment_b.pk).is_locked


def test_only_the_secretariat_reopens(sheet):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    with pytest.raises(services.NotAllowed):
        services.reopen(actor=sheet.binh, assessment=sheet.assessment_b, reason="Sửa lại")


def test_the_secretariat_reopens_with_a_reason_and_the_school_can_edit_again(sheet):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    reopened = services.reopen(actor=sheet.world.alice, assessment=sheet.assessment_b, reason="Thiếu minh chứng II.1")

    assert reopened.status == SubmissionStatus.DRAFT
    assert reopened.submitted_at is None
    row = AuditEntry.objects.get(action="assessment.reopen")
    assert (row.actor, row.reason) == (sheet.world.alice, "Thiếu minh chứng II.1")
    assert save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("2")).points == Decimal("2")


def test_a_draft_cannot_be_reopened(sheet):
    with pytest.raises(ValidationError) as caught:
        services.reopen(actor=sheet.world.alice, assessment=sheet.assessment_b, reason="x")

    assert caught.value.messages == ["Bản tự chấm điểm này chưa được gửi nên không cần mở lại."]
