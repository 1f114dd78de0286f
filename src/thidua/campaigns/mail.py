"""Mail to a school (thư gửi trường): who receives it and where its links point. Used by the
deadline reminders (``assessments.reminders``) and the clarification requests
(``reviews.clarify``)."""

from __future__ import annotations

from django.conf import settings

from thidua.accounts.models import Role, RoleAssignment
from thidua.organizations.models import Organization


def recipients_of(organization: Organization) -> list[str]:
    """The e-mail addresses of the school's active officers and leaders."""
    emails = (
        RoleAssignment.objects.filter(
            organization=organization,
            role__in=[Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER],
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def site_url() -> str:
    """Where the product is reached, for links in e-mails: ``settings.SITE_URL`` if set, else the
    first trusted origin (set in production behind the proxy); empty gives a bare path."""
    configured = str(getattr(settings, "SITE_URL", "") or "")
    origins = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []) or [])
    return (configured or (origins[0] if origins else "")).rstrip("/")
