"""Proposals (đề nghị khen thưởng) and award history (khen thưởng đã nhận). The awards
themselves (hình thức khen thưởng) are the list in ``titles``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.campaigns.models import Campaign
from thidua.organizations.models import Organization
from thidua.titles.models import Award
from thidua.voting.models import Ballot


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã trình Học viện")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")
    RETURNED = "returned", _("Trả lại để bổ sung")


class Proposal(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="proposals")
    nominee = models.ForeignKey(
        Organization, verbose_name=_("đơn vị được đề nghị"), on_delete=models.PROTECT, related_name="+"
    )
    award = models.ForeignKey(
        Award, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, related_name="+"
    )
    basis = models.JSONField(_("căn cứ"), default=dict, blank=True)
    ballot = models.ForeignKey(Ballot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    achievements = models.TextField(_("thành tích (cho báo cáo thành tích)"), blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "nominee", "award"], name="proposal_once")]

    def __str__(self) -> str:
        return f"{self.award} — {self.nominee}"


class AwardRecord(models.Model):
    """An award an organisation received (history; counts across succession)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="award_records")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="records")
    year = models.PositiveIntegerField(_("năm"))
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="record")
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("khen thưởng đã nhận")
        ordering = ["-year", "award__name_sort"]
        constraints = [models.UniqueConstraint(fields=["organization", "award", "year"], name="award_record_once")]

    def __str__(self) -> str:
        return f"{self.organization.short_code} {self.award} {self.year}"
