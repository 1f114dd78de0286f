"""Deadline reminders (thư nhắc hạn): N days before a deadline (``campaign.reminder_days``,
default 7, 3 and 1), the officers and leaders of every member school that has not finished the
current phase's work get an e-mail naming the deadline.

- Registration phase: schools whose registration is not signed off.
- Self-assessment phase: schools whose self-assessment is not submitted.

A school with an extension is reminded before its own deadline. Each reminder sent is recorded
(``ReminderLog``, one per school, phase and day), so running the job twice on a day — or two
workers at once — never sends the same reminder twice. ``send_deadline_reminders`` is what the
background task calls; ``manage.py send_deadline_reminders`` enqueues it daily.

They cover the registration (campaigns) and the self-assessment (this app), so they live here.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from thidua.assessments.models import SelfAssessment
from thidua.campaigns.common import phase_label, when
from thidua.campaigns.mail import recipients_of, site_url
from thidua.campaigns.models import Campaign, Deadline, Extension, Registration, ReminderLog, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.core import audit
from thidua.organizations.models import Organization

logger = logging.getLogger(__name__)

REMINDED_PHASES = (Phase.REGISTRATION, Phase.SELF_ASSESSMENT)


@dataclass(frozen=True)
class DueReminder:
    organization: Organization
    phase: str
    due_at: datetime.datetime
    days_before: int
    extended: bool


def _finished(campaign: Campaign, phase: str) -> set[int]:
    if phase == Phase.REGISTRATION:
        rows = Registration.objects.filter(campaign=campaign, status=SubmissionStatus.SUBMITTED)
    else:
        rows = SelfAssessment.objects.filter(campaign=campaign, status=SubmissionStatus.SUBMITTED)  # type: ignore[assignment]
    return set(rows.values_list("organization_id", flat=True))


def due_reminders(campaign: Campaign, today: datetime.date) -> list[DueReminder]:
    """The reminders due on ``today``: unfinished schools whose deadline is N days away."""
    phase = campaign.phase
    if phase not in REMINDED_PHASES or not campaign.reminder_days:
        return []
    deadline = Deadline.objects.filter(campaign=campaign, phase=phase).first()
    if deadline is None:
        return []
    days = {int(d) for d in campaign.reminder_days}
    finished = _finished(campaign, phase)
    extensions = {e.organization_id: e.until for e in Extension.objects.filter(campaign=campaign, phase=phase)}
    due: list[DueReminder] = []
    for membership in campaign.cluster_year.memberships.select_related("organization").order_by(
        "organization__name_sort"
    ):
        org_id = membership.organization_id
        if org_id in finished:
            continue
        until = extensions.get(org_id)
        extended = until is not None and until > deadline.due_at
        due_at = until if extended and until is not None else deadline.due_at
        days_before = (timezone.localdate(due_at) - today).days
        if days_before in days:
            due.append(DueReminder(membership.organization, phase, due_at, days_before, extended))
    return due


def _link(campaign: Campaign, reminder: DueReminder) -> str:
    cy = campaign.cluster_year
    if reminder.phase == Phase.REGISTRATION:
        path = reverse("campaigns:registration", args=[cy.cluster.code, cy.year, reminder.organization.short_code])
    else:
        path = reverse("campaigns:detail", args=[cy.cluster.code, cy.year])
    return f"{site_url()}{path}"


def _message(campaign: Campaign, reminder: DueReminder) -> tuple[str, str]:
    context = {
        "campaign": campaign,
        "cy": campaign.cluster_year,
        "school": reminder.organization,
        "phase": phase_label(reminder.phase).lower(),
        "registration": reminder.phase == Phase.REGISTRATION,
        "due": when(reminder.due_at),
        "days": reminder.days_before,
        "extended": reminder.extended,
        "link": _link(campaign, reminder),
    }
    subject = " ".join(render_to_string("campaigns/email/reminder_subject.txt", context).split())
    body = render_to_string("campaigns/email/reminder_body.txt", context)
    return subject, body


def send_deadline_reminders(*, campaign: Campaign, today: datetime.date | None = None) -> list[ReminderLog]:
    """E-mail today's due reminders of one campaign; each one at most once a day."""
    day = today or timezone.localdate()
    sent: list[ReminderLog] = []
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in due_reminders(campaign, day):
            recipients = recipients_of(reminder.organization)
            if not recipients:
                school = reminder.organization.short_code
                logger.warning("Không có địa chỉ e-mail nào của %s để nhắc hạn %s", school, reminder.phase)
                continue
            subject, body = _message(campaign, reminder)
            try:
                with transaction.atomic():
                    log = ReminderLog.objects.create(
                        campaign=campaign,
                        organization=reminder.organization,
                        phase=reminder.phase,
                        due_at=reminder.due_at,
                        days_before=reminder.days_before,
                        sent_on=day,
                        recipients=recipients,
                    )
                    # Sent inside the transaction: if sending fails, the record goes too and a
                    # later run retries; if it succeeds, the record stops every later run today.
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
            except IntegrityError:  # already sent today (by an earlier run or another worker)
                continue
            except (OSError, smtplib.SMTPException):  # the mail server failed: a later run retries
                logger.exception("Không gửi được thư nhắc hạn cho %s", reminder.organization.short_code)
                continue
            sent.append(log)
    if sent:
        audit.record(
            actor=None,
            action="campaign.reminders",
            obj=campaign,
            data={
                "day": day.strftime("%d/%m/%Y"),
                "phase": campaign.phase,
                "schools": [log.organization.short_code for log in sent],
            },
        )
    return sent
