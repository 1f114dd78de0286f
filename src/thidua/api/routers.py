"""The API's router: a numeric id unless a viewset names its own lookup (a code)."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    """Detail routes of viewsets looked up by primary key accept digits only, so that
    ``/proposals/abc/`` is a 404 from routing instead of a database error (a 500)."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if getattr(viewset, "lookup_value_regex", None) is None and getattr(viewset, "lookup_field", "pk") in (
            "pk",
            "id",
        ):
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>[0-9]+)"
        return super().get_lookup_regex(viewset, lookup_prefix)
