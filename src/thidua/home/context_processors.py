"""The navigation a user sees, derived from their roles (no per-user hard-coding)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from thidua.accounts.models import Role
from thidua.accounts.roles import roleset


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    rs = roleset(user)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "user_role_labels": [str(Role(r).label) for r in sorted(rs.roles())]
        if user is not None and user.is_authenticated
        else [],
    }
