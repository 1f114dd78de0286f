"""Deadlines enforced on the server: late work is refused with a message naming the deadline,
unless the secretariat granted the school an extension."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from thidua.campaigns.models import Campaign, Deadline, Extension
from thidua.campaigns.phases import Phase
from thidua.organizations.models import Organization


class PhaseClosed(ValidationError):  # noqa: N818 -- reads as what happened, like Django's PermissionDenied
    """The campaign is not in the phase this work belongs to."""

    def __init__(self, campaign: Campaign, phase: str) -> None:
        super().__init__(
            _("Việc này thuộc giai đoạn “%(needed)s”, nhưng đợt thi đua %(campaign)s đang ở giai đoạn “%(current)s”.")
            % {"needed": Phase(phase).label, "campaign": campaign, "current": Phase(campaign.phase).label},
            code="phase_closed",
        )


class DeadlinePassed(ValidationError):  # noqa: N818 -- as above
    """The deadline (and any extension) has passed."""

    def __init__(self, phase: str, due_at: datetime.datetime, extended: bool) -> None:
        when = date_format(timezone.localtime(due_at), "SHORT_DATETIME_FORMAT")
        message = (
            _("Đã quá hạn gia hạn %(phase)s (%(when)s). Hãy liên hệ Thường trực Cụm.")
            if extended
            else _("Đã quá hạn %(phase)s (%(when)s). Hãy liên hệ Thường trực Cụm nếu cần gia hạn.")
        )
        super().__init__(message % {"phase": Phase(phase).label.lower(), "when": when}, code="deadline_passed")
        self.due_at = due_at


def effective_deadline(
    campaign: Campaign, organization: Organization, phase: str
) -> tuple[datetime.datetime | None, bool]:
    """The deadline that applies to this school in this phase, and whether it is an extension."""
    extension = Extension.objects.filter(campaign=campaign, organization=organization, phase=phase).first()
    deadline = Deadline.objects.filter(campaign=campaign, phase=phase).first()
    if extension is not None and (deadline is None or extension.until > deadline.due_at):
        return extension.until, True
    return (deadline.due_at if deadline else None), False


def ensure_open(
    campaign: Campaign, organization: Organization, phase: str, *, now: datetime.datetime | None = None
) -> None:
    """Refuse work of ``phase`` for ``organization`` when the campaign is elsewhere or late."""
    if campaign.phase != phase:
        raise PhaseClosed(campaign, phase)
    due_at, extended = effective_deadline(campaign, organization, phase)
    if due_at is not None and (now or timezone.now()) > due_at:
        raise DeadlinePassed(phase, due_at, extended)
