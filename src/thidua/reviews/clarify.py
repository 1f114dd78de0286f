"""Clarification (giải trình): a question about one criterion of one school, its thread, the
school's answer with text and an optional evidence file, before the due date.

- Who asks: the secretariat of the campaign, or a reviewer assigned to that school.
- Who answers: the school's officers and leaders, while the campaign is in the clarification
  phase and before the question's due date (and the phase deadline, with any extension).
- Both sides are told by e-mail (a django-tasks task, sent after the transaction commits).
- Every question, answer and closing is audited; the thread is never deleted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from thidua.campaigns.deadlines import effective_deadline, ensure_open
from thidua.campaigns.mail import recipients_of
from thidua.campaigns.models import Campaign, Deadline, ReviewerAssignment
from thidua.campaigns.phases import Phase
from thidua.campaigns.rules import is_campaign_secretariat, is_school_officer, reads_every_registration
from thidua.core import audit
from thidua.core.files import store_upload
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.organizations.models import Organization
from thidua.reviews.models import Clarification, ClarificationMessage, ClarificationStatus

MAX_TEXT = 5000


def is_assigned_reviewer(user: Any, campaign: Campaign, school: Organization) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ReviewerAssignment.objects.filter(campaign=campaign, school=school, reviewer=user).exists()


def can_ask(user: Any, campaign: Campaign, school: Organization) -> bool:
    return bool(is_campaign_secretariat(user, campaign)) or is_assigned_reviewer(user, campaign, school)


def can_close(user: Any, clarification: Clarification) -> bool:
    """Only the one who asked, or the secretariat, closes a question: another reviewer closing it
    would shut the school out of answering what someone else asked."""
    if not getattr(user, "is_authenticated", False):
        return False
    return clarification.asked_by_id == user.pk or bool(is_campaign_secretariat(user, clarification.campaign))


def can_read(user: Any, clarification: Clarification) -> bool:
    """The school's officers, the secretariat/Academy, and the school's assigned reviewers."""
    campaign = clarification.campaign
    return (
        is_school_officer(user, clarification.school_id)
        or reads_every_registration(user, campaign)
        or is_assigned_reviewer(user, campaign, clarification.school)
    )


def default_due(campaign: Campaign) -> datetime.datetime | None:
    row = Deadline.objects.filter(campaign=campaign, phase=Phase.CLARIFICATION).first()
    return row.due_at if row else None


def _due(campaign: Campaign, due_at: datetime.datetime | None) -> datetime.datetime | None:
    """The question's due date: the phase's deadline by default; one given must be ahead and
    within the clarification phase (a time without a zone is read as local time)."""
    phase_due = default_due(campaign)
    if due_at is None:
        return phase_due
    if timezone.is_naive(due_at):
        due_at = timezone.make_aware(due_at)
    if due_at <= timezone.now():
        raise ValidationError(_("Hạn giải trình phải ở sau thời điểm hiện tại."), code="due_past")
    if phase_due is not None and due_at > phase_due:
        when = date_format(timezone.localtime(phase_due), "SHORT_DATETIME_FORMAT")
        raise ValidationError(
            _("Hạn giải trình không được sau hạn của giai đoạn giải trình (%(when)s).") % {"when": when},
            code="due_after_phase",
        )
    return due_at


def _text(raw: str, what: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Cần nhập %(what)s.") % {"what": what}, code="required")
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Nội dung dài quá %(max)s ký tự.") % {"max": MAX_TEXT}, code="too_long")
    return text


def _notify(clarification: Clarification, event: str) -> None:
    transaction.on_commit(lambda: notify_clarification.enqueue(clarification.pk, event))


@transaction.atomic
def ask(
    *,
    actor: Any,
    campaign: Campaign,
    school: Organization,
    node: CriterionNode,
    question: str,
    due_at: datetime.datetime | None = None,
) -> Clarification:
    """Ask the school about one criterion (the due date defaults to the phase's deadline)."""
    if not can_ask(actor, campaign, school):
        raise PermissionDenied
    if campaign.phase not in (Phase.REVIEW, Phase.CLARIFICATION, Phase.RECONCILIATION):
        raise ValidationError(_("Chỉ yêu cầu giải trình trong giai đoạn chấm chéo, giải trình hoặc thống nhất điểm."))
    if node.framework_id != campaign.framework_id or node.kind not in (NodeKind.LEAF, NodeKind.BONUS, NodeKind.PENALTY):
        raise ValidationError(_("Tiêu chí không thuộc bảng tiêu chí của đợt."), code="unknown_leaf")
    text = _text(question, _("nội dung cần giải trình"))
    due = _due(campaign, due_at)
    clarification = Clarification.objects.create(
        campaign=campaign,
        school=school,
        node=node,
        asked_by=actor,
        question=text,
        due_at=due,
    )
    audit.record(actor=actor, action="reviews.clarification.ask", obj=clarification, data={"node": node.code})
    _notify(clarification, "asked")
    return clarification


def answer_open(clarification: Clarification, *, now: datetime.datetime | None = None) -> str:
    """Why the school cannot answer now ("" when it can)."""
    if clarification.status == ClarificationStatus.CLOSED:
        return _("Yêu cầu giải trình này đã đóng.")
    try:
        ensure_open(clarification.campaign, clarification.school, Phase.CLARIFICATION, now=now)
    except ValidationError as exc:
        return exc.messages[0]
    moment = now or timezone.now()
    _phase_due, extended = effective_deadline(clarification.campaign, clarification.school, Phase.CLARIFICATION)
    if clarification.due_at is not None and moment > clarification.due_at and not extended:
        when = date_format(timezone.localtime(clarification.due_at), "SHORT_DATETIME_FORMAT")
        return _("Đã quá hạn giải trình (%(when)s). Hãy liên hệ Thường trực Cụm nếu cần gia hạn.") % {"when": when}
    return ""


@transaction.atomic
def answer(
    *,
    actor: Any,
    clarification: Clarification,
    text: str,
    upload: File | None = None,
    now: datetime.datetime | None = None,
) -> ClarificationMessage:
    """The school's answer: text and an optional evidence file, before the due date."""
    if not is_school_officer(actor, clarification.school_id):
        raise PermissionDenied
    closed = answer_open(clarification, now=now)
    if closed:
        raise ValidationError(closed, code="closed")
    body = _text(text, _("nội dung giải trình"))
    stored = store_upload(actor=actor, upload=upload) if upload is not None else None
    message = ClarificationMessage.objects.create(
        clarification=clarification,
        author=actor,
        text=body,
        attachment=stored,
        attachment_name=(upload.name or "")[:255] if upload is not None and stored is not None else "",
    )
    clarification.status = ClarificationStatus.ANSWERED
    clarification.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="reviews.clarification.answer",
        obj=clarification,
        data={"file": stored.sha256 if stored else None},
    )
    _notify(clarification, "answered")
    return message


@transaction.atomic
def follow_up(*, actor: Any, clarification: Clarification, text: str) -> ClarificationMessage:
    """A further question in the same thread (the thread reopens)."""
    if not can_ask(actor, clarification.campaign, clarification.school):
        raise PermissionDenied
    if clarification.status == ClarificationStatus.CLOSED:
        raise ValidationError(_("Yêu cầu giải trình này đã đóng."), code="closed")
    message = ClarificationMessage.objects.create(
        clarification=clarification, author=actor, text=_text(text, _("nội dung"))
    )
    clarification.status = ClarificationStatus.OPEN
    clarification.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="reviews.clarification.follow_up", obj=clarification)
    _notify(clarification, "asked")
    return message


@transaction.atomic
def close(*, actor: Any, clarification: Clarification) -> Clarification:
    if not can_close(actor, clarification):
        raise PermissionDenied(_("Chỉ người đã yêu cầu giải trình hoặc Thường trực Cụm mới đóng được yêu cầu này."))
    clarification.status = ClarificationStatus.CLOSED
    clarification.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="reviews.clarification.close", obj=clarification)
    return clarification


def threads(campaign: Campaign) -> QuerySet[Clarification]:
    return (
        Clarification.objects.filter(campaign=campaign)
        .select_related("school", "node", "asked_by")
        .prefetch_related("messages__author", "messages__attachment")
        .order_by("status", "due_at", "-created_at")
    )


def visible_threads(user: Any, campaign: Campaign) -> QuerySet[Clarification]:
    """What this user may read: everything for the secretariat/Academy; else own school's and
    the schools they review."""
    rows = threads(campaign)
    if reads_every_registration(user, campaign):
        return rows
    from thidua.accounts.roles import roleset

    schools = set(roleset(user).school_ids)
    reviewed = set(
        ReviewerAssignment.objects.filter(campaign=campaign, reviewer=user).values_list("school_id", flat=True)
    )
    return rows.filter(school_id__in=schools | reviewed)


# --- e-mail ----------------------------------------------------------------------------------


def send_notification(clarification: Clarification, event: str) -> int:
    """E-mail the other side: the school when asked, the asker (and the secretariat) when answered."""
    school = clarification.school
    if event == "asked":
        recipients = recipients_of(school)
        subject = _("[Thi đua] Yêu cầu giải trình tiêu chí %(code)s") % {"code": clarification.node.code}
        due = (
            date_format(timezone.localtime(clarification.due_at), "SHORT_DATETIME_FORMAT")
            if clarification.due_at
            else _("theo hạn của giai đoạn giải trình")
        )
        body = _(
            "Kính gửi %(school)s,\n\nThường trực Cụm/người chấm chéo đề nghị nhà trường giải trình tiêu chí "
            "%(code)s — %(title)s:\n\n%(question)s\n\nHạn giải trình: %(due)s.\n"
        ) % {
            "school": school.name,
            "code": clarification.node.code,
            "title": clarification.node.title,
            "question": clarification.question,
            "due": due,
        }
    else:
        asker = clarification.asked_by
        recipients = [asker.email] if asker is not None and asker.email else []
        subject = _("[Thi đua] %(school)s đã giải trình tiêu chí %(code)s") % {
            "school": school.short_code,
            "code": clarification.node.code,
        }
        body = _("%(school)s đã gửi nội dung giải trình cho tiêu chí %(code)s.\n") % {
            "school": school.name,
            "code": clarification.node.code,
        }
    if not recipients:
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@task()
def notify_clarification(clarification_id: int, event: str) -> int:
    """Thin: load the clarification and e-mail the other side."""
    clarification = Clarification.objects.select_related("school", "node", "asked_by", "campaign").get(
        pk=clarification_id
    )
    return send_notification(clarification, event)
