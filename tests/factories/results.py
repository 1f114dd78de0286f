"""Published results in the shape publishing stores (``thidua.results.export.export_document``,
format ``thidua-results/2``, with the ``rank_intervals`` kept beside it), written by hand for the
readers' tests: only the parts the readers read are filled in."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from thidua.campaigns.models import Campaign
from thidua.results.models import CampaignResults
from thidua.scoring.verify import EXPORT_FORMAT


def export_snapshot(
    rows: list[dict[str, Any]],
    *,
    conditions: list[dict[str, Any]] | None = None,
    condition_results: dict[str, dict[str, bool]] | None = None,
    rank_intervals: dict[str, list[int]] | None = None,
    bands: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An export whose ranked rows are ``rows`` (code, total, rank, eligible titles; the rank label,
    band and group points default to what publishing writes when they are not given)."""
    codes = [row["code"] for row in rows] + [c for c in condition_results or {} if c not in {r["code"] for r in rows}]
    framework: dict[str, Any] = {"framework": {"name": "Bảng tiêu chí", "total": 100}, "groups": []}
    if conditions:
        framework["conditions"] = conditions
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "campaign": {"bands": list(bands or [])},
        "framework": framework,
        "schools": [
            {"code": code, "inputs": {"conditions": dict((condition_results or {}).get(code, {}))}} for code in codes
        ],
        "results": [
            {
                "code": row["code"],
                "total": row["total"],
                "groups": row.get("groups", {}),
                "rank": row["rank"],
                "rank_label": row.get("rank_label", str(row["rank"])),
                "band": row.get("band", ""),
                "eligible_titles": row.get("eligible_titles", []),
            }
            for row in rows
        ],
    }
    if rank_intervals is not None:
        document["rank_intervals"] = rank_intervals
    return document


def publish_snapshot(campaign: Campaign, rows: list[dict[str, Any]], **parts: Any) -> CampaignResults:
    """``campaign``'s results, published with the export of ``rows`` (see ``export_snapshot``)."""
    row, _created = CampaignResults.objects.update_or_create(
        campaign=campaign, defaults={"published_at": timezone.now(), "snapshot": export_snapshot(rows, **parts)}
    )
    return row
