"""Results (kết quả) of a campaign computed by the engine from the final scores: totals, ranks,
bands, eligibility, and the analytics (those stored at publication once published)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from thidua.campaigns.models import Campaign
from thidua.results.models import FinalScore, FinalSource
from thidua.results.reconcile import Basis, load_basis, results_row
from thidua.scoring.engine import EngineError
from thidua.scoring.engine.analytics.report import AnalyticsReport, analyse_cluster
from thidua.scoring.engine.analytics.store import report_from_json
from thidua.scoring.engine.points import SchoolPoints, compute_from_points
from thidua.scoring.engine.reconcile import is_judgement, reconcile_points
from thidua.scoring.engine.results import ClusterResult, SchoolResult
from thidua.scoring.verify import band_of


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
    judgements = {leaf.code for leaf in basis.framework.leaves() if is_judgement(leaf)}
    for (school, leaf), row in rows.items():
        if row.source != FinalSource.POLICY:
            continue
        try:
            scores = basis.review(school).leaves.get(leaf)
            exact = (
                reconcile_points(scores.points, basis.policy, judgement=leaf in judgements)
                if scores is not None
                else None
            )
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
