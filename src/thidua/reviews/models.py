"""Peer review (chấm chéo) and clarification (giải trình). The final scores and the published
results they lead to live in ``thidua.results``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.campaigns.models import Campaign, ReviewerAssignment
from thidua.core.models import StoredFile
from thidua.criteria.models import POINTS, CriterionNode
from thidua.organizations.models import Organization


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
