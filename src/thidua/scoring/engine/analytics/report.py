"""Everything at once: reconciliation, results and every analytic of a cluster's campaign."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from thidua.scoring.engine.analytics.agreement import ALPHA_THRESHOLD, LeafAgreement, leaf_agreement
from thidua.scoring.engine.analytics.bootstrap import RankConfidence, bootstrap_ranks
from thidua.scoring.engine.analytics.discrimination import LeafDiscrimination, leaf_discrimination
from thidua.scoring.engine.analytics.inflation import InflationReport, self_inflation
from thidua.scoring.engine.analytics.leniency import ReviewerLeniency, reviewer_leniency
from thidua.scoring.engine.analytics.sensitivity import DEFAULT_SPREAD, WeightSensitivity, weight_sensitivity
from thidua.scoring.engine.model import Framework
from thidua.scoring.engine.points import compute_from_points
from thidua.scoring.engine.reconcile import (
    ClusterReconciliation,
    Policy,
    SchoolReview,
    final_school_points,
    reconcile_cluster,
)
from thidua.scoring.engine.results import ClusterResult


@dataclass(frozen=True, slots=True)
class AnalyticsReport:
    """The analytics a page shows, without the reconciliation and results they came from:
    what is stored with published results (``analytics.store``)."""

    leniency: tuple[ReviewerLeniency, ...]
    inflation: InflationReport
    agreement: tuple[LeafAgreement, ...]
    discrimination: tuple[LeafDiscrimination, ...]
    confidence: RankConfidence
    sensitivity: WeightSensitivity


@dataclass(frozen=True, slots=True)
class ClusterAnalytics:
    """The reconciliation, the final points and results, and every analytic of PRODUCT.md §5."""

    reconciliation: ClusterReconciliation
    final: Mapping[str, Mapping[str, Decimal]]
    results: ClusterResult
    leniency: tuple[ReviewerLeniency, ...]
    inflation: InflationReport
    agreement: tuple[LeafAgreement, ...]
    discrimination: tuple[LeafDiscrimination, ...]
    confidence: RankConfidence
    sensitivity: WeightSensitivity

    def report(self) -> AnalyticsReport:
        return AnalyticsReport(
            self.leniency, self.inflation, self.agreement, self.discrimination, self.confidence, self.sensitivity
        )


def analyse_cluster(
    framework: Framework,
    schools: Sequence[SchoolReview],
    policy: Policy,
    *,
    share: Decimal,
    seed: int,
    decisions: Mapping[str, Mapping[str, Decimal]] | None = None,
    tie_break: Sequence[str] = (),
    resamples: int = 1000,
    draws: int = 1000,
    spread: float = DEFAULT_SPREAD,
    agreement_threshold: float = ALPHA_THRESHOLD,
    explain: bool = False,
) -> ClusterAnalytics:
    """Reconcile, apply the decisions, compute the results and every analytic.

    `decisions[school][leaf]` are the secretariat's accepted or overridden values; every leaf
    without a proposal needs one (`ReconciliationError` otherwise). Decided leaves stay fixed
    in the bootstrap. Under the panel policy, where every value is a decision, the bootstrap
    resamples the reviewers with their mean instead (`confidence.policy` says so) and holds
    fixed only the decisions on leaves nobody scored.
    """
    decisions = decisions or {}
    reconciliation = reconcile_cluster(framework, schools, policy, share, explain=explain)
    final = reconciliation.final_points(decisions)
    points = final_school_points(schools, final)
    results = compute_from_points(framework, points, tie_break, explain=explain)
    if policy is Policy.PANEL:
        # Every value is a decision: resample the reviewers with their mean instead; only the
        # decisions on leaves nobody scored stay fixed.
        unscored = {
            school.code: {
                code: value
                for code, value in final[school.code].items()
                if not (school.leaves.get(code) and school.leaves[code].reviews)
            }
            for school in schools
        }
        confidence = bootstrap_ranks(
            framework, schools, Policy.MEAN, seed=seed, resamples=resamples, tie_break=tie_break, decisions=unscored
        )
    else:
        confidence = bootstrap_ranks(
            framework, schools, policy, seed=seed, resamples=resamples, tie_break=tie_break, decisions=decisions
        )
    return ClusterAnalytics(
        reconciliation=reconciliation,
        final=final,
        results=results,
        leniency=reviewer_leniency(framework, schools, final),
        inflation=self_inflation(framework, schools, final),
        agreement=leaf_agreement(framework, schools, threshold=agreement_threshold),
        discrimination=leaf_discrimination(framework, final),
        confidence=confidence,
        sensitivity=weight_sensitivity(framework, points, seed=seed, draws=draws, spread=spread, tie_break=tie_break),
    )
