"""Results (kết quả) of a campaign: computed by the engine from the final scores, classified
into bands, analysed, published, exported.

Who sees what: before publication only the secretariat of the campaign, the Academy and the
administrator see results; after publication every member of the campaign does. Reviewer
leniency is shown to the secretariat (and the administrator) only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign
from thidua.campaigns.phases import Phase
from thidua.campaigns.rules import is_campaign_member, is_campaign_secretariat, reads_every_registration
from thidua.core import audit
from thidua.reviews.models import CampaignResults, FinalScore, FinalSource
from thidua.reviews.reconcile import Basis, load_basis, results_row
from thidua.scoring.engine import EngineError
from thidua.scoring.engine.analytics.report import AnalyticsReport, analyse_cluster
from thidua.scoring.engine.analytics.store import report_from_json, report_to_json
from thidua.scoring.engine.points import SchoolPoints, compute_from_points
from thidua.scoring.engine.reconcile import POLICY_LABELS, reconcile_points
from thidua.scoring.engine.reference_format import framework_to_reference
from thidua.scoring.engine.results import ClusterResult, SchoolResult
from thidua.scoring.verify import EXPORT_FORMAT, band_of, fingerprint, input_digests, leaf_inputs_json

ZERO = Decimal(0)


# --- permissions -----------------------------------------------------------------------------


def is_published(campaign: Campaign) -> bool:
    row = CampaignResults.objects.filter(campaign=campaign).only("published_at").first()
    return row is not None and row.published_at is not None


def can_view_results(user: Any, campaign: Campaign) -> bool:
    """Before publication: the secretariat, the Academy, the administrator; after: every member."""
    if not getattr(user, "is_authenticated", False):
        return False
    if reads_every_registration(user, campaign):
        return True
    return is_published(campaign) and bool(is_campaign_member(user, campaign))


def can_view_leniency(user: Any, campaign: Campaign) -> bool:
    return bool(is_campaign_secretariat(user, campaign))


def can_see_reviewer_names(user: Any, campaign: Campaign) -> bool:
    """Reviewer identities: the secretariat/Academy always; schools only if the campaign allows."""
    return reads_every_registration(user, campaign) or campaign.reviewers_visible_to_schools


# --- computing -------------------------------------------------------------------------------


@dataclass
class Computed:
    """The results of a campaign and, when computable, its analytics."""

    basis: Basis
    finals: dict[str, dict[str, Decimal]]
    final_rows: dict[tuple[str, str], FinalScore]
    result: ClusterResult
    bands: dict[str, str]
    analytics: AnalyticsReport | None = None
    analytics_problem: str = ""
    names: dict[str, str] = field(default_factory=dict)

    def school(self, code: str) -> SchoolResult:
        return self.result.school(code)

    def above(self, code: str) -> SchoolResult | None:
        """The school ranked just above (None for the leader and for those tied with it)."""
        mine = self.result.school(code)
        better = [school for school in self.result.schools if school.total > mine.total]
        return better[-1] if better else None


def finals_of(
    campaign: Campaign, basis: Basis | None = None
) -> tuple[dict[str, dict[str, Decimal]], dict[tuple[str, str], FinalScore]]:
    rows = {
        (row.school.short_code, row.node.code): row
        for row in FinalScore.objects.filter(campaign=campaign).select_related("school", "node")
    }
    if basis is not None:
        _restore_exact(basis, rows)
    finals: dict[str, dict[str, Decimal]] = {}
    for (school, leaf), row in rows.items():
        finals.setdefault(school, {})[leaf] = row.points
    return finals, rows


TOLERANCE = Decimal("1e-9")


def _restore_exact(basis: Basis, rows: dict[tuple[str, str], FinalScore]) -> None:
    """A database without exact decimals (SQLite keeps about 15 digits) shortens 26/3: a final
    taken from the policy is the policy's exact value, restored here when it agrees."""
    for (school, leaf), row in rows.items():
        if row.source != FinalSource.POLICY:
            continue
        try:
            scores = basis.review(school).leaves.get(leaf)
            exact = reconcile_points(scores.points, basis.policy) if scores is not None else None
        except (EngineError, KeyError):
            continue
        if exact is None:
            continue
        if abs(exact - row.points) < TOLERANCE:
            row.points = exact
        if row.proposed is not None and abs(exact - row.proposed) < TOLERANCE:
            row.proposed = exact


def compute(campaign: Campaign, *, analytics: bool = True, resamples: int = 1000) -> Computed:
    """Totals, ranks, bands, eligibility from the final scores, and the analytics: those stored
    at publication once the results are published, computed afresh before."""
    basis = load_basis(campaign)
    finals, rows = finals_of(campaign, basis)
    points = [
        SchoolPoints(
            code=review.code,
            leaves=finals.get(review.code, {}),
            bonus=review.bonus,
            penalty=review.penalty,
            conditions=review.conditions,
            name=review.name,
        )
        for review in basis.reviews
    ]
    tie_break = tuple(campaign.tie_break or ())
    result = compute_from_points(basis.framework, points, tie_break)
    stored = results_row(campaign)
    bands = {school.code: band_of(school.total, stored.bands) for school in result.schools}
    computed = Computed(basis, finals, rows, result, bands, names={s.short_code: s.name for s in basis.schools})
    if not analytics:
        return computed
    if stored.published_at is not None and stored.analytics:
        try:
            computed.analytics = report_from_json(stored.analytics)
            return computed
        except (ValueError, KeyError, TypeError, ArithmeticError):
            pass  # stored by another version: computed again below (seeded, so the same figures)
    decisions: dict[str, dict[str, Decimal]] = {}
    for (school, leaf), row in rows.items():
        if row.source != FinalSource.POLICY:
            decisions.setdefault(school, {})[leaf] = row.points
    try:
        computed.analytics = analyse_cluster(
            basis.framework,
            basis.reviews,
            basis.policy,
            share=basis.share,
            seed=stored.analytics_seed,
            decisions=decisions,
            tie_break=tie_break,
            resamples=resamples,
            draws=resamples,
        ).report()
    except EngineError as exc:
        computed.analytics_problem = "; ".join(p.message for p in exc.problems[:3])
    return computed


# --- publishing ------------------------------------------------------------------------------


@transaction.atomic
def publish(*, actor: Any, campaign: Campaign) -> CampaignResults:
    """Publish: the finals must be locked; the phase moves to RESULTS; the export is stored."""
    results = results_row(campaign)
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
    results = results_row(campaign)
    if results.published_at is not None:
        raise ValidationError(_("Kết quả đã công bố: không đổi được xếp loại."), code="published")
    results.bands = cleaned
    results.save(update_fields=["bands"])
    audit.record(actor=actor, action="reviews.results.bands", obj=campaign, data={"bands": cleaned})
    return results


# --- export ----------------------------------------------------------------------------------


def _n(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def published_export(campaign: Campaign) -> dict[str, Any]:
    """The export to hand out: as published once the results are, the current state before."""
    row = results_row(campaign)
    if row.published_at is not None and row.snapshot:
        return dict(row.snapshot)
    return export_document(campaign)


def export_document(campaign: Campaign, computed: Computed | None = None) -> dict[str, Any]:
    """The full export: framework, inputs, reviewers' points (pseudonymous), finals, results
    (from ``computed`` when the caller has it already)."""
    computed = computed if computed is not None else compute(campaign, analytics=False)
    basis = computed.basis
    pseudonyms: dict[str, str] = {}
    for index, reviewer in enumerate(sorted(basis.reviewer_names), start=1):
        pseudonyms[reviewer] = f"R{index}"
    schools: list[dict[str, Any]] = []
    for review in basis.reviews:
        given = basis.inputs[review.code]
        reviewers: dict[str, dict[str, str]] = {}
        reviewer_inputs = {
            pseudonyms[reviewer]: {leaf: leaf_inputs_json(value) for leaf, value in sorted(values.items())}
            for reviewer, values in sorted(
                basis.corrections.get(review.code, {}).items(), key=lambda p: pseudonyms[p[0]]
            )
        }
        self_points: dict[str, str] = {}
        for leaf, scores in review.leaves.items():
            if scores.self_points is not None:
                self_points[leaf] = str(scores.self_points)
            if scores.reviews:
                reviewers[leaf] = {pseudonyms[r]: str(p) for r, p in scores.reviews}
        finals: dict[str, Any] = {}
        for leaf in basis.leaf_codes():
            row = computed.final_rows.get((review.code, leaf))
            if row is None:
                continue
            finals[leaf] = {
                "points": str(row.points),
                "proposed": _n(row.proposed),
                "source": row.source,
                "reason": row.reason,
            }
        schools.append(
            {
                "code": review.code,
                "name": review.name,
                "profile": {k: str(v) for k, v in given.profile.items()},
                "inputs": {
                    "leaves": {k: leaf_inputs_json(v) for k, v in given.leaves.items()},
                    "bonus": {k: leaf_inputs_json(v) for k, v in given.bonus.items()},
                    "penalty": {k: leaf_inputs_json(v) for k, v in given.penalty.items()},
                    "conditions": dict(given.conditions),
                },
                "self_points": self_points,
                "bonus_points": {k: str(v) for k, v in review.bonus.items()},
                "penalty_points": {k: str(v) for k, v in review.penalty.items()},
                "reviewer_inputs": reviewer_inputs,
                "reviews": reviewers,
                "final": finals,
            }
        )
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "campaign": {
            "cluster": campaign.cluster_year.cluster.code,
            "year": campaign.cluster_year.year,
            "policy": basis.policy.value,
            "policy_label": POLICY_LABELS[basis.policy],
            "discrepancy_share": str(basis.share),
            "tie_break": list(campaign.tie_break or []),
            "bands": list(results_row(campaign).bands or []),
        },
        "framework": framework_to_reference(basis.framework),
        "schools": schools,
        "results": results_json(computed.result, computed.bands),
    }
    document["digests"] = input_digests(document)
    return document


def results_json(result: ClusterResult, bands: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "code": school.code,
            "total": str(school.total),
            "groups": {code: str(group.points) for code, group in school.groups.items()},
            "rank": school.rank,
            "rank_label": school.rank_label,
            "band": bands.get(school.code, ""),
            "eligible_titles": list(school.eligibility.eligible_titles),
        }
        for school in result.schools
    ]
