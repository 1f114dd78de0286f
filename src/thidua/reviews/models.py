"""Peer review (chấm chéo). For now: who reviews which school in a campaign — the data the
self-assessment visibility rule reads. Reviews, clarification and reconciliation come later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.models import Campaign
from thidua.organizations.models import Organization


class ReviewerAssignment(models.Model):
    """``reviewer`` (a person of another member school) reviews ``school`` in ``campaign``."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviewer_assignments")
    school = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân công chấm chéo")
        verbose_name_plural = _("phân công chấm chéo")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school", "reviewer"], name="review_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.reviewer} → {self.school.short_code}"
