"""Peer review (chấm chéo), clarification (giải trình), reconciliation into final scores
(thống nhất điểm) and the published results of a campaign."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.campaigns.models import Campaign, ReviewerAssignment
from thidua.core.models import StoredFile
from thidua.criteria.models import POINTS, CriterionNode, Digits
from thidua.organizations.models import Organization

# Final scores keep the engine's exact value (a mean of three can be 2.666…): 20 decimals.
EXACT: Digits = {"max_digits": 30, "decimal_places": 20}


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chấm")
    SUBMITTED = "submitted", _("Đã nộp")


class Review(models.Model):
    """One reviewer's review of one school."""

    assignment = models.OneToOneField(ReviewerAssignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bài chấm chéo")
        verbose_name_plural = _("bài chấm chéo")

    def __str__(self) -> str:
        return str(self.assignment)


class ReviewEntry(models.Model):
    """The reviewer's view of one criterion.

    On manual and levels leaves the reviewer gives their own points (``points``) or level
    (``level``). On the other rules the reviewer confirms the school's input (``confirmed``)
    or corrects it (the corrected value in the rule's field, with a comment); an input the
    reviewer did not correct stands.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="entries")
    node = models.ForeignKey(CriterionNode, on_delete=models.PROTECT, related_name="+")
    confirmed = models.BooleanField(_("xác nhận số liệu của trường"), null=True, blank=True)
    points = models.DecimalField(_("điểm"), null=True, blank=True, **POINTS)
    passed = models.BooleanField(_("đạt"), null=True, blank=True)
    level = models.CharField(_("mức"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("số lần"), null=True, blank=True)
    actual = models.DecimalField(_("kết quả thực hiện"), null=True, blank=True, **POINTS)
    comment = models.TextField(_("nhận xét"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("điểm chấm chéo của tiêu chí")
        verbose_name_plural = _("điểm chấm chéo của tiêu chí")
        constraints = [models.UniqueConstraint(fields=["review", "node"], name="review_entry_once")]

    def __str__(self) -> str:
        return f"{self.review} {self.node.code}"


class ClarificationStatus(models.TextChoices):
    OPEN = "open", _("Chờ giải trình")
    ANSWERED = "answered", _("Đã giải trình")
    CLOSED = "closed", _("Đã đóng")


class Clarification(models.Model):
    """A question about one criterion of one school (yêu cầu giải trình), and its thread."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="clarifications")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(CriterionNode, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    question = models.TextField(_("nội dung cần giải trình"))
    due_at = models.DateTimeField(_("hạn giải trình"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ClarificationStatus.choices, default=ClarificationStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yêu cầu giải trình")
        verbose_name_plural = _("yêu cầu giải trình")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.school.short_code} {self.node.code}: {self.question[:40]}"


class ClarificationMessage(models.Model):
    """One message of a clarification thread: the school's answer, a follow-up question."""

    clarification = models.ForeignKey(Clarification, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("nội dung"))
    attachment = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    attachment_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trao đổi giải trình")
        verbose_name_plural = _("trao đổi giải trình")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.clarification_id}: {self.text[:40]}"


class FinalSource(models.TextChoices):
    POLICY = "policy", _("Theo cách thống nhất của đợt")
    OVERRIDE = "override", _("Thường trực Cụm quyết định lại")
    PANEL = "panel", _("Hội đồng quyết định")


class FinalScore(models.Model):
    """The reconciled final points of one criterion for one school (điểm thống nhất)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="final_scores")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(CriterionNode, on_delete=models.PROTECT, related_name="+")
    proposed = models.DecimalField(_("điểm đề xuất"), null=True, blank=True, **EXACT)
    points = models.DecimalField(_("điểm thống nhất"), **EXACT)
    source = models.CharField(_("căn cứ"), max_length=10, choices=FinalSource.choices, default=FinalSource.POLICY)
    reason = models.TextField(_("lý do"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm thống nhất")
        verbose_name_plural = _("điểm thống nhất")
        constraints = [models.UniqueConstraint(fields=["campaign", "school", "node"], name="final_score_once")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.school.short_code} {self.node.code}: {self.points}"


class CampaignResults(models.Model):
    """The results stage of a campaign: finals locked, bands, analytics seed, publication."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="results")
    bands = models.JSONField(
        _("xếp loại theo điểm"),
        default=list,
        blank=True,
        help_text=_('Ví dụ [{"label": "Xuất sắc", "min": 90}, {"label": "Tốt", "min": 80}]'),
    )
    analytics_seed = models.PositiveIntegerField(_("hạt giống ngẫu nhiên của phân tích"), default=2020)
    finals_locked_at = models.DateTimeField(null=True, blank=True)
    finals_locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(_("kết quả đã công bố"), default=dict, blank=True)
    # SHA-256 of the published export (python -m thidua.scoring verify --fingerprint compares it).
    fingerprint = models.CharField(_("dấu vân tay của tệp xuất"), max_length=64, blank=True)
    # The analytics computed at publication (scoring.engine.analytics.store), read by the pages.
    analytics = models.JSONField(_("phân tích đã công bố"), default=dict, blank=True)

    class Meta:
        verbose_name = _("kết quả đợt thi đua")
        verbose_name_plural = _("kết quả đợt thi đua")

    def __str__(self) -> str:
        return f"{self.campaign}"
