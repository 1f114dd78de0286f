"""Publishing the results (công bố kết quả) and setting their bands: the one writer of the
stored export (``CampaignResults.snapshot``) that ``thidua.results.snapshot`` reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign
from thidua.campaigns.phases import Phase
from thidua.core import audit
from thidua.results.compute import compute
from thidua.results.export import export_document
from thidua.results.models import CampaignResults
from thidua.results.reconcile import results_row_to_change
from thidua.scoring.engine.analytics.store import report_to_json
from thidua.scoring.verify import fingerprint


@transaction.atomic
def publish(*, actor: Any, campaign: Campaign) -> CampaignResults:
    """Publish: the finals must be locked; the phase moves to RESULTS; the export is stored."""
    results = results_row_to_change(campaign)
    if results.finals_locked_at is None:
        raise ValidationError(_("Cần khóa điểm thống nhất trước khi công bố kết quả."), code="not_locked")
    if results.published_at is not None:
        raise ValidationError(_("Kết quả đã được công bố."), code="published")
    if campaign.phase == Phase.RECONCILIATION:
        moved = campaign_services.move_phase(actor=actor, campaign=campaign, to=Phase.RESULTS)
        campaign.phase, campaign.version = moved.phase, moved.version
    computed = compute(campaign)  # read once: the export and the analytics come from it
    snapshot = export_document(campaign, computed)
    # The fingerprint covers the export itself; everyone can compare a downloaded copy with it.
    results.fingerprint = fingerprint(snapshot)
    # The analytics are kept as computed now (pages read them instead of recomputing), and the
    # conference's ballot shows each candidate's rank interval: kept beside the export, outside
    # what verify recomputes and the fingerprint covers.
    results.analytics = report_to_json(computed.analytics) if computed.analytics is not None else {}
    if computed.analytics is not None:
        snapshot["rank_intervals"] = {
            school.school: list(school.interval) for school in computed.analytics.confidence.schools
        }
    results.snapshot = snapshot
    results.published_at = timezone.now()
    results.published_by = actor
    results.save(update_fields=["snapshot", "fingerprint", "analytics", "published_at", "published_by"])
    audit.record(actor=actor, action="reviews.results.publish", obj=campaign)
    return results


@transaction.atomic
def set_bands(*, actor: Any, campaign: Campaign, bands: list[dict[str, Any]]) -> CampaignResults:
    """Set the classification bands ([{"label": …, "min": …}])."""
    cleaned = []
    for band in bands:
        label = str(band.get("label", "")).strip()
        try:
            minimum = Decimal(str(band.get("min")))
        except ArithmeticError as exc:
            raise ValidationError(_("Mức điểm của xếp loại phải là số."), code="bad_band") from exc
        if not label or not minimum.is_finite():
            raise ValidationError(_("Mỗi xếp loại cần tên và mức điểm tối thiểu."), code="bad_band")
        cleaned.append({"label": label, "min": float(minimum) if minimum % 1 else int(minimum)})
    results = results_row_to_change(campaign)
    if results.published_at is not None:
        raise ValidationError(_("Kết quả đã công bố: không đổi được xếp loại."), code="published")
    results.bands = cleaned
    results.save(update_fields=["bands"])
    audit.record(actor=actor, action="reviews.results.bands", obj=campaign, data={"bands": cleaned})
    return results
