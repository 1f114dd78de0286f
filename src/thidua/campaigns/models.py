"""A campaign (đợt thi đua): one cluster year's emulation run with its framework, phases and
deadlines; the schools' registrations (đăng ký thi đua), the covenant (giao ước thi đua), and
who reviews whom (phân công chấm chéo) with the declared conflicts of interest."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.campaigns.phases import Phase
from thidua.core.models import StoredFile
from thidua.criteria.models import POINTS, CriterionNode, Framework
from thidua.organizations.models import ClusterYear, Organization


class ReconciliationPolicy(models.TextChoices):
    MEAN = "mean", _("Trung bình cộng điểm người chấm")
    MEDIAN = "median", _("Trung vị")
    TRIMMED_MEAN = "trimmed_mean", _("Trung bình sau khi bỏ điểm cao nhất và thấp nhất (từ 5 người chấm)")
    PANEL = "panel", _("Hội đồng quyết định")


DEFAULT_REMINDER_DAYS = (7, 3, 1)


def default_reminder_days() -> list[int]:
    """Reminders go 7, 3 and 1 days before each deadline unless the secretariat says otherwise."""
    return list(DEFAULT_REMINDER_DAYS)


class Campaign(models.Model):
    """The emulation year of one cluster year."""

    cluster_year = models.OneToOneField(ClusterYear, on_delete=models.PROTECT, related_name="campaign")
    framework = models.ForeignKey(
        Framework, verbose_name=_("bảng tiêu chí"), on_delete=models.PROTECT, related_name="campaigns"
    )
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=Phase.choices, default=Phase.SETUP)
    reminder_days = models.JSONField(
        _("nhắc trước hạn (ngày)"),
        default=default_reminder_days,
        blank=True,
        help_text=_("Ví dụ [7, 3, 1]: gửi thư nhắc 7, 3 và 1 ngày trước hạn."),
    )
    # Review settings (used from the review phase on).
    reviewers_per_school = models.PositiveSmallIntegerField(_("số người chấm mỗi trường"), default=3)
    discrepancy_share = models.DecimalField(
        _("ngưỡng chênh lệch (tỷ lệ điểm tối đa)"), max_digits=5, decimal_places=4, default=Decimal("0.2")
    )
    reconciliation_policy = models.CharField(
        _("cách thống nhất điểm"),
        max_length=20,
        choices=ReconciliationPolicy.choices,
        default=ReconciliationPolicy.MEAN,
    )
    reviewers_visible_to_schools = models.BooleanField(_("trường được biết người chấm mình"), default=False)
    tie_break = models.JSONField(_("thứ tự xét khi bằng điểm"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt thi đua")
        verbose_name_plural = _("đợt thi đua")
        ordering = ["-cluster_year__year", "cluster_year__cluster__code"]

    def __str__(self) -> str:
        return f"{self.cluster_year.cluster.code} — {self.cluster_year.year}"


class Deadline(models.Model):
    """When the work of a phase is due (registration, self-assessment, review, clarification)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deadlines")
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=Phase.choices)
    due_at = models.DateTimeField(_("hạn chót"))

    class Meta:
        verbose_name = _("hạn chót")
        verbose_name_plural = _("hạn chót")
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["campaign", "phase"], name="deadline_once_per_phase")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.get_phase_display()} {self.due_at:%d/%m/%Y %H:%M}"


class Extension(models.Model):
    """More time for one school in one phase, granted by the secretariat (gia hạn)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="extensions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=Phase.choices)
    until = models.DateTimeField(_("gia hạn đến"))
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization", "phase"], name="extension_once_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.organization.short_code} {self.get_phase_display()} → {self.until:%d/%m/%Y %H:%M}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class Submitted(models.Model):
    """Something a school drafts and then submits (gửi / ký duyệt): its registration, its
    self-assessment. Submitting locks it; the secretariat may reopen it as a draft. Every
    change of status bumps ``version`` (optimistic locking)."""

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED

    def mark_submitted(self, *, actor: Any, at: datetime.datetime) -> None:
        """Submitted by ``actor`` (None for the system) at ``at``; the caller saves."""
        self.status = SubmissionStatus.SUBMITTED
        self.submitted_at = at
        self.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        self.version += 1

    def mark_draft(self) -> None:
        """Back to a draft (reopened); the caller saves."""
        self.status = SubmissionStatus.DRAFT
        self.submitted_at = None
        self.submitted_by = None
        self.version += 1


class Registration(Submitted):
    """A school's registration: targets for the quantitative criteria and the titles it aims for."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="registrations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="registrations")
    aimed_titles = models.JSONField(_("danh hiệu đăng ký"), default=list, blank=True)
    commitment = models.TextField(_("nội dung cam kết"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["organization__name_sort"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organization.short_code}"


class RegistrationTarget(models.Model):
    """The target (chỉ tiêu) a school registers for one quantitative criterion."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="targets")
    node = models.ForeignKey(CriterionNode, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(
        _("chỉ tiêu"), max_digits=POINTS["max_digits"], decimal_places=POINTS["decimal_places"]
    )

    class Meta:
        verbose_name = _("chỉ tiêu đăng ký")
        verbose_name_plural = _("chỉ tiêu đăng ký")
        constraints = [models.UniqueConstraint(fields=["registration", "node"], name="target_once_per_leaf")]

    def __str__(self) -> str:
        return f"{self.registration} {self.node.code}: {self.target}"


class Covenant(models.Model):
    """The signed covenant (giao ước thi đua) of a campaign: its scan, kept with its hash."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="covenant")
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    scan = models.ForeignKey(
        StoredFile,
        verbose_name=_("bản quét đã ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("giao ước thi đua")
        verbose_name_plural = _("giao ước thi đua")

    def __str__(self) -> str:
        return f"{self.campaign}"


class ReminderLog(models.Model):
    """A deadline reminder (thư nhắc hạn) e-mailed to one school on one day: kept so that the
    same reminder is never sent twice on the same day, however often the job runs."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=Phase.choices)
    due_at = models.DateTimeField(_("hạn chót"))
    days_before = models.PositiveSmallIntegerField(_("số ngày trước hạn"))
    sent_on = models.DateField(_("ngày gửi"))
    recipients = models.JSONField(_("người nhận"), default=list, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thư nhắc hạn")
        verbose_name_plural = _("thư nhắc hạn")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization", "phase", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.organization.short_code} {self.phase} {self.sent_on:%d/%m/%Y}"


class ReviewerAssignment(models.Model):
    """``reviewer`` (a person of another member school) reviews ``school`` in ``campaign``
    (phân công chấm chéo). The review itself (``reviews.Review``) points here, as
    ``assignment.review``."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviewer_assignments")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    reviewer_school = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Trường của người chấm (không bao giờ là trường được chấm)."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân công chấm chéo")
        verbose_name_plural = _("phân công chấm chéo")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school", "reviewer"], name="review_assignment_once"),
            models.CheckConstraint(condition=~models.Q(school=models.F("reviewer_school")), name="no_self_review"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.reviewer} → {self.school.short_code}"


class ConflictDeclaration(models.Model):
    """A reviewer's declared conflict of interest with a school (xung đột lợi ích)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xung đột lợi ích")
        verbose_name_plural = _("xung đột lợi ích")
        constraints = [models.UniqueConstraint(fields=["campaign", "reviewer", "school"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.reviewer} ≠ {self.school.short_code}"
