"""Pages of API lists: at most ``MAX_LIMIT`` rows, and an offset the database can take."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 10**9  # far past any list here, and within every database's integer range


class Pagination(LimitOffsetPagination):
    """``?limit=`` is capped at 500 (DRF reads a bad or negative one as the default); an offset
    past ``MAX_OFFSET`` is read as ``MAX_OFFSET`` (an empty page) instead of overflowing SQL."""

    max_limit = MAX_LIMIT

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
