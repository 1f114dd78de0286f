"""Authentication by username and password, without Django's model permissions.

Permissions here are named predicates over role data (django-rules); nothing grants Django's
per-model permissions, so asking the database for them on every negative has_perm would only
add queries. Superusers keep the Django admin (User.has_perm answers True for them first).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        return set()
