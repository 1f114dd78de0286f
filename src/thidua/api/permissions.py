from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


class ReadOrRulesPerm(permissions.BasePermission):
    """Signed-in users read (querysets filter what each may see); writes need the view's
    ``write_perm`` (a django-rules permission name)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.has_perm(view.write_perm))
