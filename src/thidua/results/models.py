"""The results of a campaign (kết quả): the reconciled final score of each criterion for each
school (điểm thống nhất) and the results stage — finals locked, bands, publication, and the
stored export every reader reads (``thidua.results.snapshot``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.campaigns.models import Campaign
from thidua.criteria.models import CriterionNode, Digits
from thidua.organizations.models import Organization

# Final scores keep the engine's exact value (a mean of three can be 2.666…): 20 decimals.
EXACT: Digits = {"max_digits": 30, "decimal_places": 20}


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
