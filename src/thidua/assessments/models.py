"""Self-assessment (tự chấm điểm) with evidence (minh chứng).

One ``SelfAssessment`` per school and campaign; one ``AssessmentEntry`` per leaf, bonus or
penalty item or condition, holding the input its rule needs and an explanation. Evidence files
are stored once by their SHA-256 (``core.models.StoredFile``) and attached to entries
(``Evidence``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.campaigns.models import Campaign, Submitted
from thidua.core.models import StoredFile
from thidua.criteria.models import POINTS, CriterionNode
from thidua.organizations.models import Organization


class SelfAssessment(Submitted):
    """A school's self-assessment (bản tự chấm điểm) of a campaign: one entry per criterion."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="self_assessments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="self_assessments")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bản tự chấm điểm")
        verbose_name_plural = _("bản tự chấm điểm")
        ordering = ["organization__name_sort"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organization"], name="self_assessment_once")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organization.short_code}"

    @property
    def is_locked(self) -> bool:
        return self.is_submitted


class AssessmentEntry(models.Model):
    """A school's input for one criterion: only the field its rule needs is set."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="entries")
    node = models.ForeignKey(CriterionNode, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), null=True, blank=True, **POINTS)
    passed = models.BooleanField(_("đạt"), null=True, blank=True)
    level = models.CharField(_("mức"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("số lần"), null=True, blank=True)
    actual = models.DecimalField(_("kết quả thực hiện"), null=True, blank=True, **POINTS)
    explanation = models.TextField(_("giải thích"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điểm tự chấm của tiêu chí")
        verbose_name_plural = _("điểm tự chấm của tiêu chí")
        constraints = [models.UniqueConstraint(fields=["assessment", "node"], name="entry_once_per_node")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.node.code}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp")
    LINK = "link", _("Đường dẫn")


class Evidence(models.Model):
    """A piece of evidence for one entry: a stored file or a link."""

    entry = models.ForeignKey(AssessmentEntry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=4, choices=EvidenceKind.choices)
    title = models.CharField(_("tên minh chứng"), max_length=300)
    stored_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="uses")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="file", stored_file__isnull=False) | models.Q(kind="link") & ~models.Q(url="")
                ),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title
