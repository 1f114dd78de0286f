"""Campaign services: opening a campaign, settings, deadlines, phase moves and extensions.
Every change is audited in the same transaction; refusals say why, in words."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.campaigns.conftest import DOCUMENT, in_days, local, publish
from thidua.campaigns import queries, services
from thidua.campaigns.models import Campaign, Deadline, Extension
from thidua.campaigns.phases import Phase
from thidua.core.audit import entries_for
from thidua.core.exceptions import StaleObjectError
from thidua.criteria import services as criteria_services

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> list[str]:
    return exc.messages


# --- opening a campaign -------------------------------------------------------------------


def test_a_campaign_opens_in_setup_with_its_deadlines_and_the_default_reminders(world):
    framework = publish(DOCUMENT, cluster=world.cluster, year=2020)

    campaign = services.create_campaign(
        actor=world.alice,
        cluster_year=world.year_2020,
        framework=framework,
        deadlines={Phase.REGISTRATION: local(31, 3, 2020), Phase.SELF_ASSESSMENT: local(15, 10, 2020, 17, 0)},
    )

    assert campaign.phase == Phase.SETUP
    assert campaign.reminder_days == [7, 3, 1]
    assert queries.deadlines_by_phase(campaign) == {
        Phase.REGISTRATION: local(31, 3, 2020),
        Phase.SELF_ASSESSMENT: local(15, 10, 2020, 17, 0),
    }
    entry = entries_for(campaign).get()
    assert entry.action == "campaign.create"
    assert entry.actor == world.alice
    assert entry.data == {
        "cluster": "K",
        "year": 2020,
        "framework": "Bảng tiêu chí Cụm K năm 2020 (phiên bản 1)",
        "deadlines": {"registration": "31/03/2020 23:59", "self_assessment": "15/10/2020 17:00"},
        "reminder_days": [7, 3, 1],
    }


def test_a_campaign_needs_a_published_framework(world):
    draft = criteria_services.create_from_document(actor=None, document=DOCUMENT, cluster=world.cluster, year=2020)

    with pytest.raises(ValidationError) as exc_info:
        services.create_campaign(actor=world.alice, cluster_year=world.year_2020, framework=draft)

    assert exc_info.value.message_dict == {
        "framework": [
            "Bảng tiêu chí “Bảng tiêu chí Cụm K năm 2020 (phiên bản 1)” chưa ban hành (đang là: bản nháp); "
            "chỉ dùng được bảng đã ban hành."
        ]
    }
    assert not Campaign.objects.exists()


def test_a_campaign_cannot_use_another_clusters_framework(world):
    framework = publish(DOCUMENT, cluster=world.other_cluster, year=2020)

    with pytest.raises(ValidationError) as exc_info:
        services.create_campaign(actor=world.alice, cluster_year=world.year_2020, framework=framework)

    assert exc_info.value.message_dict == {
        "framework": [
            "Bảng tiêu chí “Bảng tiêu chí Cụm K năm 2020 (phiên bản 1)” thuộc cụm khác, không dùng được cho K — 2020."
        ]
    }


def test_a_cluster_year_has_one_campaign(year):
    with pytest.raises(ValidationError) as exc_info:
        services.create_campaign(actor=year.world.alice, cluster_year=year.world.year_2020, framework=year.framework)

    assert exc_info.value.message_dict == {"cluster_year": ["K — 2020 đã có đợt thi đua."]}


def test_deadlines_must_follow_the_order_of_the_phases(world):
    framework = publish(DOCUMENT, cluster=world.cluster, year=2020)

    with pytest.raises(ValidationError) as exc_info:
        services.create_campaign(
            actor=world.alice,
            cluster_year=world.year_2020,
            framework=framework,
            deadlines={Phase.REGISTRATION: local(31, 3, 2020), Phase.SELF_ASSESSMENT: local(1, 3, 2020)},
        )

    assert exc_info.value.message_dict == {
        "self_assessment": ["Hạn tự chấm điểm (01/03/2020 23:59) phải sau hạn đăng ký thi đua (31/03/2020 23:59)."]
    }


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (["7", "x"], "“x” không hợp lệ: số ngày nhắc trước hạn là số nguyên từ 1 đến 60."),
        ([0], "“0” không hợp lệ: số ngày nhắc trước hạn là số nguyên từ 1 đến 60."),
        ([61], "“61” không hợp lệ: số ngày nhắc trước hạn là số nguyên từ 1 đến 60."),
    ],
)
def test_reminder_days_are_whole_numbers_from_1_to_60(year, days, message):
    with pytest.raises(ValidationError) as exc_info:
        services.update_campaign(actor=year.world.alice, campaign=year.campaign, reminder_days=days)

    assert exc_info.value.message_dict == {"reminder_days": [message]}


def test_settings_change_is_audited_with_old_and_new_values(year):
    campaign = services.update_campaign(
        actor=year.world.alice,
        campaign=year.campaign,
        expected_version=year.campaign.version,
        reminder_days=["3", "10", "3"],
        discrepancy_share=Decimal("0.25"),
    )

    assert campaign.reminder_days == [10, 3]
    assert campaign.discrepancy_share == Decimal("0.25")
    entry = entries_for(campaign).filter(action="campaign.update").get()
    assert entry.data == {"reminder_days": [[7, 3, 1], [10, 3]], "discrepancy_share": ["0.2000", "0.25"]}


def test_a_stale_settings_form_is_refused_without_overwriting(year):
    version = year.campaign.version
    services.update_campaign(
        actor=year.world.alice, campaign=year.campaign, expected_version=version, reminder_days=[5]
    )

    with pytest.raises(StaleObjectError):
        services.update_campaign(
            actor=year.world.alice, campaign=year.campaign, expected_version=version, reminder_days=[2]
        )

    assert year.refresh().reminder_days == [5]


def test_the_framework_changes_only_during_setup(year):
    other = publish({**DOCUMENT, "framework": {"name": "Bảng khác", "total": 20}}, cluster=year.world.cluster)

    with pytest.raises(ValidationError) as exc_info:
        services.update_campaign(actor=year.world.alice, campaign=year.campaign, framework=other)

    assert exc_info.value.message_dict == {
        "framework": [
            "Chỉ đổi được bảng tiêu chí khi đợt thi đua đang ở giai đoạn “Chuẩn bị” và chưa trường nào đăng ký: "
            "chỉ tiêu đăng ký gắn với các tiêu chí của bảng hiện tại."
        ]
    }


# --- deadlines ----------------------------------------------------------------------------


def test_deadlines_are_set_moved_and_removed_in_one_audited_change(year):
    campaign = services.set_deadlines(
        actor=year.world.alice,
        campaign=year.campaign,
        deadlines={
            Phase.SELF_ASSESSMENT: None,
            Phase.REGISTRATION: local(31, 3, 2030),
            Phase.REVIEW: local(25, 10, 2030),
        },
    )

    assert queries.deadlines_by_phase(campaign) == {
        Phase.REGISTRATION: local(31, 3, 2030),
        Phase.REVIEW: local(25, 10, 2030),
    }
    entry = entries_for(campaign).filter(action="campaign.deadlines").get()
    assert entry.data["self_assessment"][1] is None
    assert entry.data["registration"][1] == "31/03/2030 23:59"
    assert entry.data["review"] == [None, "25/10/2030 23:59"]


def test_a_phase_without_deadlines_cannot_get_one(year):
    with pytest.raises(ValidationError) as exc_info:
        services.set_deadline(actor=year.world.alice, campaign=year.campaign, phase=Phase.RESULTS, due_at=in_days(3))

    assert exc_info.value.messages == [
        "Giai đoạn “results” không có hạn chót; chỉ đặt hạn cho: Đăng ký thi đua, Tự chấm điểm, Chấm chéo, Giải trình."
    ]


# --- phases -------------------------------------------------------------------------------


def test_the_campaign_moves_forward_one_phase_at_a_time(year):
    campaign = services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)

    assert campaign.phase == Phase.ACTIVITIES
    with pytest.raises(ValidationError) as exc_info:
        services.move_phase(actor=year.world.alice, campaign=campaign, to=Phase.REVIEW)
    assert exc_info.value.message_dict == {
        "to": ["Chỉ chuyển được sang giai đoạn kế tiếp (“Tự chấm điểm”), không bỏ qua giai đoạn nào."]
    }
    assert year.refresh().phase == Phase.ACTIVITIES


def test_moving_to_the_current_phase_is_refused(year):
    with pytest.raises(ValidationError) as exc_info:
        services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.REGISTRATION)

    assert exc_info.value.messages == ["Đợt thi đua đã ở giai đoạn “Đăng ký thi đua”."]


def test_reopening_an_earlier_phase_needs_a_reason(year):
    campaign = services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)

    with pytest.raises(ValidationError) as exc_info:
        services.move_phase(actor=year.world.alice, campaign=campaign, to=Phase.REGISTRATION, reason="  ")

    assert exc_info.value.message_dict == {
        "reason": ["Mở lại giai đoạn “Đăng ký thi đua” cần ghi lý do (sẽ lưu trong nhật ký)."]
    }
    assert year.refresh().phase == Phase.ACTIVITIES


def test_the_phase_history_is_read_from_the_audit_log_with_reasons(year):
    alice = year.world.alice
    campaign = services.move_phase(actor=alice, campaign=year.campaign, to=Phase.ACTIVITIES)
    services.move_phase(actor=alice, campaign=campaign, to=Phase.REGISTRATION, reason="Trường B xin sửa chỉ tiêu")

    history = [(m.from_phase, m.to_phase, m.reopening, m.reason, m.actor_name) for m in queries.phase_history(campaign)]

    assert history == [
        ("setup", "registration", False, "", "Alice Nguyễn"),
        ("registration", "activities", False, "", "Alice Nguyễn"),
        ("activities", "registration", True, "Trường B xin sửa chỉ tiêu", "Alice Nguyễn"),
    ]


def test_a_phase_move_on_a_stale_page_is_refused(year):
    version = year.campaign.version
    services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES, expected_version=version)

    with pytest.raises(StaleObjectError):
        services.move_phase(
            actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES, expected_version=version
        )

    assert len(queries.phase_history(year.campaign)) == 2


# --- extensions ---------------------------------------------------------------------------


def test_an_extension_is_granted_to_one_school_with_its_reason_and_audited(year):
    until = in_days(15)

    extension = services.grant_extension(
        actor=year.world.alice,
        campaign=year.campaign,
        organization=year.world.school_b,
        phase=Phase.REGISTRATION,
        until=until,
        reason="Hiệu trưởng đi công tác",
    )

    assert (extension.organization, extension.until, extension.reason, extension.granted_by) == (
        year.world.school_b,
        until,
        "Hiệu trưởng đi công tác",
        year.world.alice,
    )
    entry = entries_for(year.campaign).filter(action="extension.grant").get()
    assert entry.reason == "Hiệu trưởng đi công tác"
    assert entry.data["school"] == "B"


def test_granting_again_moves_the_date_instead_of_adding_a_second_extension(year):
    kwargs = {"actor": year.world.alice, "campaign": year.campaign, "organization": year.world.school_b}
    services.grant_extension(**kwargs, phase=Phase.REGISTRATION, until=in_days(12), reason="Lần 1")
    services.grant_extension(**kwargs, phase=Phase.REGISTRATION, until=in_days(20), reason="Lần 2")

    assert list(Extension.objects.values_list("reason", flat=True)) == ["Lần 2"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"reason": ""}, {"reason": ["Gia hạn cần ghi lý do (trường được gia hạn sẽ thấy lý do này)."]}),
        ({"phase": Phase.RESULTS}, {"phase": ["Giai đoạn “Công bố kết quả” không có hạn chót để gia hạn."]}),
        ({"phase": Phase.REVIEW}, {"phase": ["Giai đoạn “Chấm chéo” chưa có hạn chót nên chưa cần gia hạn."]}),
    ],
)
def test_an_extension_is_refused_with_why(year, changes, errors):
    kwargs = {"phase": Phase.REGISTRATION, "until": in_days(15), "reason": "Lý do", **changes}

    with pytest.raises(ValidationError) as exc_info:
        services.grant_extension(
            actor=year.world.alice, campaign=year.campaign, organization=year.world.school_b, **kwargs
        )

    assert exc_info.value.message_dict == errors
    assert not Extension.objects.exists()


def test_an_extension_must_end_after_the_common_deadline(year):
    due = Deadline.objects.get(phase=Phase.REGISTRATION).due_at

    with pytest.raises(ValidationError) as exc_info:
        services.grant_extension(
            actor=year.world.alice,
            campaign=year.campaign,
            organization=year.world.school_b,
            phase=Phase.REGISTRATION,
            until=due - datetime.timedelta(hours=1),
            reason="Lý do",
        )

    assert exc_info.value.message_dict == {
        "until": [f"Ngày gia hạn phải sau hạn chung của giai đoạn “Đăng ký thi đua” ({services.when(due)})."]
    }


def test_an_extension_is_only_for_a_member_school(year):
    with pytest.raises(ValidationError) as exc_info:
        services.grant_extension(
            actor=year.world.alice,
            campaign=year.campaign,
            organization=year.world.school_c,
            phase=Phase.REGISTRATION,
            until=in_days(15),
            reason="Lý do",
        )

    assert exc_info.value.message_dict == {
        "organization": ["Trường Chính trị tỉnh Cà Mau không phải thành viên của K — 2020."]
    }


def test_a_revoked_extension_is_gone_and_audited(year):
    extension = services.grant_extension(
        actor=year.world.alice,
        campaign=year.campaign,
        organization=year.world.school_b,
        phase=Phase.REGISTRATION,
        until=in_days(15),
        reason="Lý do",
    )

    services.revoke_extension(actor=year.world.alice, extension=extension, reason="Nhầm trường")

    assert not Extension.objects.exists()
    assert entries_for(year.campaign).filter(action="extension.revoke").get().reason == "Nhầm trường"
