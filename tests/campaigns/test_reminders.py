"""Deadline reminders: N days before a deadline, the officers of the schools that have not
finished get an e-mail naming the deadline; the same reminder never goes twice on one day."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.campaigns.conftest import register
from thidua.assessments.reminders import send_deadline_reminders
from thidua.campaigns import services
from thidua.campaigns.common import when
from thidua.campaigns.models import Deadline, ReminderLog
from thidua.campaigns.phases import Phase
from thidua.core.audit import entries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_in_3_days(year):
    """Registration due 3 days from today at 17:00; every persona has an e-mail address."""
    world = year.world
    for user in (world.alice, world.bob, year.binh, year.an, world.frank):
        user.email = f"{user.username}@truong.edu.vn"
        user.save(update_fields=["email"])
    day = timezone.localdate() + datetime.timedelta(days=3)
    due = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))
    Deadline.objects.filter(phase=Phase.REGISTRATION).update(due_at=due)
    return due


def test_schools_that_have_not_signed_off_are_reminded_naming_the_deadline(year, due_in_3_days):
    register(year, year.world.school_a, submit=True)
    register(year, year.world.school_b)  # a draft: not finished

    sent = send_deadline_reminders(campaign=year.campaign)

    assert [log.organization.short_code for log in sent] == ["B"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["binh@truong.edu.vn", "bob@truong.edu.vn"]
    assert message.subject == f"[Thi đua] Nhắc hạn đăng ký thi đua: còn 3 ngày ({when(due_in_3_days)})"
    assert f"Hạn đăng ký thi đua của đợt thi đua Cụm thi đua K năm 2020 là {when(due_in_3_days)}." in message.body
    assert "Bản đăng ký thi đua của trường chưa được lãnh đạo trường ký duyệt." in message.body
    assert "/campaigns/K/2020/registrations/B/" in message.body


def test_the_same_reminder_is_not_sent_twice_on_one_day(year, due_in_3_days):
    send_deadline_reminders(campaign=year.campaign)
    send_deadline_reminders(campaign=year.campaign)

    assert sorted(sorted(m.to) for m in mail.outbox) == [
        ["alice@truong.edu.vn", "an@truong.edu.vn"],
        ["binh@truong.edu.vn", "bob@truong.edu.vn"],
    ]
    assert ReminderLog.objects.count() == 2
    assert entries_for(year.campaign).filter(action="campaign.reminders").count() == 1


def test_no_reminder_goes_on_a_day_that_is_not_in_the_campaigns_list(year, due_in_3_days):
    services.update_campaign(actor=year.world.alice, campaign=year.campaign, reminder_days=[7, 1])

    assert send_deadline_reminders(campaign=year.refresh()) == []
    assert mail.outbox == []


def test_a_school_with_an_extension_is_reminded_before_its_own_deadline(year, due_in_3_days):
    services.grant_extension(
        actor=year.world.alice,
        campaign=year.campaign,
        organization=year.world.school_b,
        phase=Phase.REGISTRATION,
        until=due_in_3_days + datetime.timedelta(days=5),
        reason="Bão",
    )

    today = send_deadline_reminders(campaign=year.campaign)
    in_5_days = send_deadline_reminders(campaign=year.campaign, today=timezone.localdate() + datetime.timedelta(days=5))

    assert [log.organization.short_code for log in today] == ["A"]
    assert [(log.organization.short_code, log.days_before) for log in in_5_days] == [("B", 3)]
    assert "mà trường được gia hạn là" in mail.outbox[-1].body


def test_no_reminder_for_a_phase_the_campaign_is_not_in(year, due_in_3_days):
    services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)

    assert send_deadline_reminders(campaign=year.refresh()) == []


def test_self_assessment_reminders_go_to_schools_that_have_not_submitted(year, due_in_3_days):
    from thidua.assessments.models import SelfAssessment

    campaign = services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)
    campaign = services.move_phase(actor=year.world.alice, campaign=campaign, to=Phase.SELF_ASSESSMENT)
    services.set_deadlines(
        actor=year.world.alice,
        campaign=campaign,
        deadlines={
            Phase.REGISTRATION: due_in_3_days - datetime.timedelta(days=30),
            Phase.SELF_ASSESSMENT: due_in_3_days,
        },
    )
    SelfAssessment.objects.create(campaign=campaign, organization=year.world.school_a, status="submitted")

    sent = send_deadline_reminders(campaign=campaign)

    assert [log.organization.short_code for log in sent] == ["B"]
    assert mail.outbox[0].subject.startswith("[Thi đua] Nhắc hạn tự chấm điểm: còn 3 ngày")
    assert "Bản tự chấm điểm của trường chưa được gửi." in mail.outbox[0].body


def test_the_daily_command_enqueues_the_reminders_and_running_it_again_sends_nothing_new(year, due_in_3_days, capsys):
    call_command("send_deadline_reminders")
    call_command("send_deadline_reminders")

    assert len(mail.outbox) == 2
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert capsys.readouterr().out.splitlines() == [f"Đã xếp hàng nhắc hạn ngày {day} cho 1 đợt thi đua."] * 2


def test_the_command_refuses_a_badly_written_date(year):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc_info:
        call_command("send_deadline_reminders", date="2020-03-28")

    assert str(exc_info.value) == "Ngày “2020-03-28” không đúng dạng dd/mm/yyyy."


@pytest.mark.parametrize(
    ("site_url", "origins", "prefix"),
    [
        ("https://thidua.hcma.vn/", ["https://other.vn"], "https://thidua.hcma.vn/campaigns/"),
        ("", ["https://thidua.example.vn:8443"], "https://thidua.example.vn:8443/campaigns/"),
        ("", [], " /campaigns/"),
    ],
)
def test_links_in_reminders_are_absolute_where_the_site_is_known(
    year, due_in_3_days, settings, site_url, origins, prefix
):
    settings.SITE_URL, settings.CSRF_TRUSTED_ORIGINS = site_url, origins
    register(year, year.world.school_b)
    send_deadline_reminders(campaign=year.campaign)
    assert f"{prefix}K/2020/registrations/B/" in mail.outbox[0].body
