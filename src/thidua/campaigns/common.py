"""Helpers the campaign services share: moments in words, reasons, versions, locking."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from thidua.campaigns.models import Campaign
from thidua.campaigns.phases import Phase
from thidua.core.exceptions import StaleObjectError

MAX_REASON = 2000


def when(moment: datetime.datetime) -> str:
    """A moment as officers read it: "31/03/2020 23:59" in local time."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def phase_label(phase: str) -> str:
    return str(Phase(phase).label)


def require_reason(reason: str, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": [message]}, code="reason_required")
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": [_("Lý do quá dài (tối đa %(n)s ký tự).") % {"n": MAX_REASON}]})
    return text


def check_version(obj: Any, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleObjectError(obj)


def lock_campaign(campaign: Campaign, expected_version: int | None = None) -> Campaign:
    locked = (
        Campaign.objects.select_for_update(of=("self",)).select_related("cluster_year__cluster").get(pk=campaign.pk)
    )
    check_version(locked, expected_version)
    return locked
