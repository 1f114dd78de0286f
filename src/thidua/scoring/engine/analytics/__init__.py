"""Analytics of a reviewed cluster (PRODUCT.md §5): the objective basis of a ranking.

Points-valued figures (leniency, inflation, spread) are exact Decimals; alpha, probabilities
and shares are floats (statistics). Bootstrap and sensitivity are reproducible from a seed.
"""

from thidua.scoring.engine.analytics.agreement import (
    ALPHA_THRESHOLD,
    AgreementStatus,
    Alpha,
    AlphaStatus,
    LeafAgreement,
    Level,
    krippendorff_alpha,
    leaf_agreement,
)
from thidua.scoring.engine.analytics.bootstrap import (
    RankConfidence,
    SchoolRankConfidence,
    baseline_points,
    bootstrap_ranks,
)
from thidua.scoring.engine.analytics.discrimination import LeafDiscrimination, leaf_discrimination
from thidua.scoring.engine.analytics.inflation import (
    InflationReport,
    LeafInflation,
    LeafInflationSummary,
    SchoolInflation,
    self_inflation,
)
from thidua.scoring.engine.analytics.leniency import ReviewerLeniency, reviewer_leniency
from thidua.scoring.engine.analytics.report import ClusterAnalytics, analyse_cluster
from thidua.scoring.engine.analytics.sensitivity import SchoolSensitivity, WeightSensitivity, weight_sensitivity

__all__ = [
    "ALPHA_THRESHOLD",
    "AgreementStatus",
    "Alpha",
    "AlphaStatus",
    "ClusterAnalytics",
    "InflationReport",
    "LeafAgreement",
    "LeafDiscrimination",
    "LeafInflation",
    "LeafInflationSummary",
    "Level",
    "RankConfidence",
    "ReviewerLeniency",
    "SchoolInflation",
    "SchoolRankConfidence",
    "SchoolSensitivity",
    "WeightSensitivity",
    "analyse_cluster",
    "baseline_points",
    "bootstrap_ranks",
    "krippendorff_alpha",
    "leaf_agreement",
    "leaf_discrimination",
    "reviewer_leniency",
    "self_inflation",
    "weight_sensitivity",
]
