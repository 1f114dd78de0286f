"""Reviewers' pseudonyms (người chấm 1, 2 …; R1, R2 … in the export), per school.

A reviewer is numbered within each school they reviewed, never across the cluster: the same
number in two schools is no clue to the same person. The order within a school is shuffled by
a keyed hash (HMAC-SHA256 with the server's secret key) of the campaign, the school and the
reviewer, so it follows neither account order nor the order of assignment, and nobody without
the key can recompute it; it is stable, so a page and the export agree, and a published export
is stored as published.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings


def numbered(campaign_id: int, school_code: str, reviewer_ids: Iterable[str]) -> dict[str, int]:
    """Each reviewer of one school → their number there, 1 … k in the shuffled order."""
    key = settings.SECRET_KEY.encode()

    def draw(reviewer: str) -> str:
        message = f"thidua-pseudonym:{campaign_id}:{school_code}:{reviewer}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    return {reviewer: n for n, reviewer in enumerate(sorted(set(reviewer_ids), key=draw), start=1)}
