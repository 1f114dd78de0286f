"""Registration (đăng ký thi đua): targets only for the criteria that take one, numbers checked,
stale saves refused without overwriting, the principal's sign-off, the deadline enforced on the
server (with one school's extension), and the secretariat's reopening."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.campaigns.conftest import in_days, register
from thidua.campaigns import services
from thidua.campaigns.common import when
from thidua.campaigns.models import Deadline, Registration, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.campaigns.targets import target_leaves, title_choices
from thidua.core.audit import entries_for
from thidua.core.exceptions import StaleObjectError

pytestmark = pytest.mark.django_db


def targets_of(registration: Registration) -> dict[str, Decimal]:
    return {t.node.code: t.target for t in registration.targets.select_related("node")}


def save(year, user, org, **values):
    return services.save_registration(actor=user, campaign=year.campaign, organization=org, **values)


# --- what is registered -------------------------------------------------------------------


def test_only_the_criteria_whose_rule_uses_a_target_ask_for_one(year):
    leaves = target_leaves(year.framework)

    assert [(leaf.code, leaf.unit, leaf.is_percent) for leaf in leaves] == [("I.1", "", False), ("I.2", "%", True)]
    assert title_choices(year.framework) == ["Cờ thi đua", "Bằng khen"]


def test_a_school_officer_saves_targets_titles_and_commitment_as_a_draft(year):
    world = year.world

    registration = save(
        year,
        world.bob,
        world.school_b,
        targets={"I.1": Decimal("40"), "I.2": "95.5"},
        aimed_titles=["Bằng khen", "  Tập thể  lao động xuất sắc ", "bằng khen"],
        commitment="  Hoàn thành vượt mức.  ",
        expected_version=0,
    )

    assert registration.status == SubmissionStatus.DRAFT
    assert registration.version == 1
    assert targets_of(registration) == {"I.1": Decimal("40"), "I.2": Decimal("95.5")}
    assert registration.aimed_titles == ["Bằng khen", "Tập thể lao động xuất sắc"]
    assert registration.commitment == "Hoàn thành vượt mức."
    entry = entries_for(registration).get()
    assert (entry.action, entry.actor, entry.data["targets"]) == (
        "registration.create",
        world.bob,
        {"I.1": [None, "40"], "I.2": [None, "95.5"]},
    )


def test_an_empty_target_removes_it_and_codes_left_out_keep_theirs(year):
    world = year.world
    first = save(year, world.bob, world.school_b, targets={"I.1": Decimal(40), "I.2": Decimal(90)})

    second = save(year, world.bob, world.school_b, targets={"I.1": None}, expected_version=first.version)

    assert targets_of(second) == {"I.2": Decimal(90)}
    assert second.version == 2


@pytest.mark.parametrize(
    ("code", "errors"),
    [
        (
            "I.3",
            {
                "targets": [
                    "Tiêu chí I.3 không nhận chỉ tiêu đăng ký (chỉ các tiêu chí định lượng so với chỉ tiêu mới có)."
                ]
            },
        ),
        ("IX.9", {"targets": ["Bảng tiêu chí của đợt này không có tiêu chí IX.9."]}),
    ],
)
def test_a_target_for_a_criterion_that_takes_none_is_refused(year, code, errors):
    with pytest.raises(ValidationError) as exc_info:
        save(year, year.world.bob, year.world.school_b, targets={code: Decimal(5)})

    assert exc_info.value.message_dict == errors
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("targets", "errors"),
    [
        ({"I.1": "mười"}, {"target_I.1": ["Chỉ tiêu của I.1 không phải là một số."]}),
        (
            {"I.1": Decimal(0)},
            {"target_I.1": ["Chỉ tiêu của I.1 phải lớn hơn 0 (điểm được tính theo tỷ lệ thực hiện so với chỉ tiêu)."]},
        ),
        (
            {"I.1": Decimal(-3)},
            {"target_I.1": ["Chỉ tiêu của I.1 phải lớn hơn 0 (điểm được tính theo tỷ lệ thực hiện so với chỉ tiêu)."]},
        ),
        ({"I.2": Decimal(120)}, {"target_I.2": ["Chỉ tiêu của I.2 là tỷ lệ phần trăm nên không thể lớn hơn 100."]}),
        ({"I.1": Decimal("100000")}, {"target_I.1": ["Chỉ tiêu của I.1 quá lớn (tối đa 99.999)."]}),
        ({"I.1": Decimal("1.23456")}, {"target_I.1": ["Chỉ tiêu của I.1 dùng tối đa 4 chữ số sau dấu phẩy."]}),
        (
            {"I.1": "x", "I.2": Decimal(101)},
            {
                "target_I.1": ["Chỉ tiêu của I.1 không phải là một số."],
                "target_I.2": ["Chỉ tiêu của I.2 là tỷ lệ phần trăm nên không thể lớn hơn 100."],
            },
        ),
    ],
)
def test_bad_numbers_are_refused_each_named_by_its_criterion(year, targets, errors):
    with pytest.raises(ValidationError) as exc_info:
        save(year, year.world.bob, year.world.school_b, targets=targets)

    assert exc_info.value.message_dict == errors
    assert not Registration.objects.exists()


def test_a_stale_save_is_refused_and_overwrites_nothing(year):
    world = year.world
    opened = save(year, world.bob, world.school_b, targets={"I.1": Decimal(40)})
    save(year, year.binh, world.school_b, targets={"I.1": Decimal(45)}, expected_version=opened.version)

    with pytest.raises(StaleObjectError) as exc_info:
        save(year, world.bob, world.school_b, targets={"I.1": Decimal(50)}, expected_version=opened.version)

    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in exc_info.value.messages[0]
    assert targets_of(Registration.objects.get()) == {"I.1": Decimal(45)}


def test_two_first_saves_of_the_same_school_do_not_both_create(year):
    world = year.world
    save(year, world.bob, world.school_b, targets={"I.1": Decimal(40)}, expected_version=0)

    with pytest.raises(StaleObjectError):
        save(year, year.binh, world.school_b, targets={"I.1": Decimal(41)}, expected_version=0)

    assert Registration.objects.count() == 1


def test_only_the_schools_own_people_save_its_registration(year):
    with pytest.raises(PermissionDenied) as exc_info:
        save(year, year.world.bob, year.world.school_a, targets={"I.1": Decimal(40)})

    assert str(exc_info.value) == "Chỉ cán bộ của Trường Chính trị tỉnh Tiền Giang sửa được bản đăng ký của trường."
    assert not Registration.objects.exists()


def test_a_school_outside_the_cluster_year_does_not_register(year):
    with pytest.raises(ValidationError) as exc_info:
        save(year, year.world.frank, year.world.school_c, targets={"I.1": Decimal(40)})

    assert exc_info.value.messages == [
        "Trường Chính trị tỉnh Cà Mau không phải thành viên của K — 2020 nên không đăng ký thi đua trong đợt này."
    ]


# --- deadlines and extensions -------------------------------------------------------------


def test_late_work_is_refused_with_a_message_naming_the_deadline(year):
    due = timezone.now() - datetime.timedelta(hours=2)
    Deadline.objects.filter(phase=Phase.REGISTRATION).update(due_at=due)

    with pytest.raises(ValidationError) as exc_info:
        save(year, year.world.bob, year.world.school_b, targets={"I.1": Decimal(40)})

    assert exc_info.value.messages == [
        f"Đã quá hạn đăng ký thi đua ({when(due)}). Hãy liên hệ Thường trực Cụm nếu cần gia hạn."
    ]
    assert not Registration.objects.exists()


def test_work_outside_the_registration_phase_is_refused_naming_both_phases(year):
    services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)

    with pytest.raises(ValidationError) as exc_info:
        save(year, year.world.bob, year.world.school_b, targets={"I.1": Decimal(40)})

    assert exc_info.value.messages == [
        "Việc này thuộc giai đoạn “Đăng ký thi đua”, nhưng đợt thi đua K — 2020 đang ở giai đoạn “Hoạt động trong năm”."
    ]


def test_an_extension_lets_one_school_through_and_not_another(year):
    world = year.world
    Deadline.objects.filter(phase=Phase.REGISTRATION).update(due_at=timezone.now() - datetime.timedelta(days=1))
    services.grant_extension(
        actor=world.alice,
        campaign=year.campaign,
        organization=world.school_b,
        phase=Phase.REGISTRATION,
        until=in_days(3),
        reason="Bão lũ",
    )

    saved = save(year, world.bob, world.school_b, targets={"I.1": Decimal(40)})
    with pytest.raises(ValidationError) as exc_info:
        save(year, world.alice, world.school_a, targets={"I.1": Decimal(40)})

    assert targets_of(saved) == {"I.1": Decimal(40)}
    assert exc_info.value.messages[0].startswith("Đã quá hạn đăng ký thi đua (")
    assert list(Registration.objects.values_list("organization__short_code", flat=True)) == ["B"]


def test_an_expired_extension_is_named_in_the_refusal(year):
    world = year.world
    deadline = Deadline.objects.get(phase=Phase.REGISTRATION)
    extension = services.grant_extension(
        actor=world.alice,
        campaign=year.campaign,
        organization=world.school_b,
        phase=Phase.REGISTRATION,
        until=deadline.due_at + datetime.timedelta(days=1),
        reason="Bão lũ",
    )
    later = extension.until + datetime.timedelta(minutes=1)

    with pytest.raises(ValidationError) as exc_info:
        services.save_registration(
            actor=world.bob, campaign=year.campaign, organization=world.school_b, targets={}, now=later
        )

    assert exc_info.value.messages == [
        f"Đã quá hạn gia hạn đăng ký thi đua ({when(extension.until)}). Hãy liên hệ Thường trực Cụm."
    ]


# --- sign-off -----------------------------------------------------------------------------


def test_the_principal_signs_off_and_the_registration_locks(year):
    world = year.world
    draft = register(year, world.school_b)

    signed = services.submit_registration(actor=year.binh, registration=draft, expected_version=draft.version)

    assert (signed.status, signed.submitted_by) == (SubmissionStatus.SUBMITTED, year.binh)
    with pytest.raises(ValidationError) as exc_info:
        save(year, world.bob, world.school_b, targets={"I.1": Decimal(99)})
    assert exc_info.value.messages == [
        "Bản đăng ký của Trường Chính trị tỉnh Bạc Liêu đã được lãnh đạo trường ký duyệt "
        f"({when(signed.submitted_at)}) nên không sửa được nữa. Nếu cần sửa, hãy đề nghị Thường trực Cụm mở lại."
    ]
    assert targets_of(signed) == {"I.1": Decimal(40), "I.2": Decimal(95)}


def test_only_a_leader_of_the_school_signs_off(year):
    world = year.world
    draft = register(year, world.school_b)

    for user in (world.bob, year.an, world.alice):
        with pytest.raises(PermissionDenied) as exc_info:
            services.submit_registration(actor=user, registration=draft)
        assert str(exc_info.value) == (
            "Chỉ lãnh đạo Trường Chính trị tỉnh Bạc Liêu (hiệu trưởng, phó hiệu trưởng) ký duyệt được bản đăng ký."
        )

    assert Registration.objects.get().status == SubmissionStatus.DRAFT


def test_signing_off_twice_is_refused_and_changes_nothing(year):
    signed = register(year, year.world.school_b, submit=True)

    with pytest.raises(ValidationError) as exc_info:
        services.submit_registration(actor=year.binh, registration=signed)

    assert exc_info.value.code == "locked"
    fresh = Registration.objects.get()
    assert (fresh.version, fresh.submitted_at) == (signed.version, signed.submitted_at)
    assert entries_for(fresh).filter(action="registration.submit").count() == 1


def test_sign_off_needs_every_target_and_a_title(year):
    draft = register(year, year.world.school_b, targets={"I.2": Decimal(90)}, titles=())

    with pytest.raises(ValidationError) as exc_info:
        services.submit_registration(actor=year.binh, registration=draft)

    assert exc_info.value.messages == [
        "Chưa ký duyệt được:",
        "Chưa đăng ký chỉ tiêu cho: I.1.",
        "Chưa chọn danh hiệu đăng ký.",
    ]
    assert Registration.objects.get().status == SubmissionStatus.DRAFT


def test_a_late_sign_off_is_refused(year):
    draft = register(year, year.world.school_b)
    due = timezone.now() - datetime.timedelta(minutes=5)
    Deadline.objects.filter(phase=Phase.REGISTRATION).update(due_at=due)

    with pytest.raises(ValidationError) as exc_info:
        services.submit_registration(actor=year.binh, registration=draft)

    assert exc_info.value.messages == [
        f"Đã quá hạn đăng ký thi đua ({when(due)}). Hãy liên hệ Thường trực Cụm nếu cần gia hạn."
    ]


# --- reopening ----------------------------------------------------------------------------


def test_the_secretariat_reopens_a_signed_off_registration_with_a_reason(year):
    signed = register(year, year.world.school_b, submit=True)

    reopened = services.reopen_registration(actor=year.world.alice, registration=signed, reason="Sai chỉ tiêu I.1")

    assert (reopened.status, reopened.submitted_at, reopened.submitted_by) == (SubmissionStatus.DRAFT, None, None)
    assert entries_for(reopened).filter(action="registration.reopen").get().reason == "Sai chỉ tiêu I.1"
    edited = save(year, year.world.bob, year.world.school_b, targets={"I.1": Decimal(41)})
    assert targets_of(edited)["I.1"] == Decimal(41)


def test_reopening_needs_a_reason_and_the_secretariat(year):
    signed = register(year, year.world.school_b, submit=True)

    with pytest.raises(ValidationError) as exc_info:
        services.reopen_registration(actor=year.world.alice, registration=signed, reason="")
    with pytest.raises(PermissionDenied):
        services.reopen_registration(actor=year.world.bob, registration=signed, reason="Tự mở")

    assert exc_info.value.message_dict == {"reason": ["Mở lại bản đăng ký cần ghi lý do (trường sẽ thấy lý do này)."]}
    assert Registration.objects.get().status == SubmissionStatus.SUBMITTED


def test_reopening_outside_the_registration_phase_says_to_reopen_the_phase_first(year):
    signed = register(year, year.world.school_b, submit=True)
    services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)

    with pytest.raises(ValidationError) as exc_info:
        services.reopen_registration(actor=year.world.alice, registration=signed, reason="Sai chỉ tiêu")

    assert exc_info.value.messages == [
        "Đợt thi đua đang ở giai đoạn “Hoạt động trong năm”: trường chỉ sửa được bản đăng ký trong giai đoạn "
        "“Đăng ký thi đua”. Hãy mở lại giai đoạn đó trước (có lý do)."
    ]
