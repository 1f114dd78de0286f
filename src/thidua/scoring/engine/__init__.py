"""The scoring engine of Thi đua: pure Python, Decimal arithmetic, no Django.

Main entry points:

- `compute_cluster(framework, inputs)` → `ClusterResult` (points, explanations, totals,
  ranks, eligibility of every school of a cluster);
- `validate_framework(framework)` → list of `Problem` (errors and notices);
- `framework_from_reference(document)` / `framework_to_reference(framework)` for the
  reference YAML format; `load_cluster_input(text)` for the JSON cluster-input format;
- `display(points)` / `round_display(points)`: the only rounding (half-up, 2 decimals).

After peer review:

- `reconcile_cluster(framework, reviews, policy, share)` → proposed final points per leaf
  (mean, median, trimmed mean, panel decision) and discrepancy flags;
- `compute_from_points(framework, school_points, tie_break)` → `ClusterResult` from final
  leaf points; `PointsMatrix` / `rank_matrix` the same totals and ranks, vectorised;
- `analyse_cluster(...)` and the functions of `engine.analytics`: reviewer leniency,
  self-inflation, Krippendorff's alpha per leaf, discrimination, bootstrap rank confidence,
  weight sensitivity.
"""

from __future__ import annotations

from thidua.scoring.engine.aggregate import compute_cluster, score_leaf_in_cluster
from thidua.scoring.engine.analytics import (
    ALPHA_THRESHOLD,
    AgreementStatus,
    Alpha,
    AlphaStatus,
    ClusterAnalytics,
    InflationReport,
    LeafAgreement,
    LeafDiscrimination,
    LeafInflation,
    LeafInflationSummary,
    Level,
    RankConfidence,
    ReviewerLeniency,
    SchoolInflation,
    SchoolRankConfidence,
    SchoolSensitivity,
    WeightSensitivity,
    analyse_cluster,
    bootstrap_ranks,
    krippendorff_alpha,
    leaf_agreement,
    leaf_discrimination,
    reviewer_leniency,
    self_inflation,
    weight_sensitivity,
)
from thidua.scoring.engine.decimals import display, exact_str, format_vi, parse_decimal, round_display
from thidua.scoring.engine.errors import EngineError, FormatError, FrameworkError, InputError, Problem, Severity
from thidua.scoring.engine.fastpath import FastRanking, PointsMatrix, ScaledPoints, rank_matrix, reconcile_scaled
from thidua.scoring.engine.jsonio import cluster_result_to_json, load_cluster_input, parse_cluster_document
from thidua.scoring.engine.model import (
    AdjustmentItem,
    ClusterInput,
    Condition,
    Direction,
    Formula,
    Framework,
    Group,
    Leaf,
    LeafInput,
    Node,
    Rule,
    SchoolInput,
)
from thidua.scoring.engine.points import PointsPlan, SchoolPoints, check_points, compute_from_points
from thidua.scoring.engine.ranking import competition_ranks, rank_schools
from thidua.scoring.engine.reconcile import (
    ClusterReconciliation,
    Discrepancy,
    LeafReconciliation,
    LeafScores,
    Policy,
    ReconcileStatus,
    ReconciliationError,
    SchoolReconciliation,
    SchoolReview,
    final_school_points,
    reconcile_cluster,
    reconcile_leaf,
    reconcile_points,
)
from thidua.scoring.engine.reference_format import framework_from_reference, framework_to_reference
from thidua.scoring.engine.results import (
    AdjustmentResult,
    BlockedTitle,
    ClusterResult,
    ConditionStatus,
    Eligibility,
    GroupResult,
    LeafResult,
    RankEntry,
    SchoolResult,
)
from thidua.scoring.engine.validation import check_cluster_inputs, validate_framework, validate_item, validate_leaf

__all__ = [
    "ALPHA_THRESHOLD",
    "AdjustmentItem",
    "AdjustmentResult",
    "AgreementStatus",
    "Alpha",
    "AlphaStatus",
    "BlockedTitle",
    "ClusterAnalytics",
    "ClusterInput",
    "ClusterReconciliation",
    "ClusterResult",
    "Condition",
    "ConditionStatus",
    "Direction",
    "Discrepancy",
    "Eligibility",
    "EngineError",
    "FastRanking",
    "FormatError",
    "Formula",
    "Framework",
    "FrameworkError",
    "Group",
    "GroupResult",
    "InflationReport",
    "InputError",
    "Leaf",
    "LeafAgreement",
    "LeafDiscrimination",
    "LeafInflation",
    "LeafInflationSummary",
    "LeafInput",
    "LeafReconciliation",
    "LeafResult",
    "LeafScores",
    "Level",
    "Node",
    "PointsMatrix",
    "PointsPlan",
    "Policy",
    "Problem",
    "RankConfidence",
    "RankEntry",
    "ReconcileStatus",
    "ReconciliationError",
    "ReviewerLeniency",
    "Rule",
    "ScaledPoints",
    "SchoolInflation",
    "SchoolInput",
    "SchoolPoints",
    "SchoolRankConfidence",
    "SchoolReconciliation",
    "SchoolResult",
    "SchoolReview",
    "SchoolSensitivity",
    "Severity",
    "WeightSensitivity",
    "analyse_cluster",
    "bootstrap_ranks",
    "check_cluster_inputs",
    "check_points",
    "cluster_result_to_json",
    "competition_ranks",
    "compute_cluster",
    "compute_from_points",
    "display",
    "exact_str",
    "final_school_points",
    "format_vi",
    "framework_from_reference",
    "framework_to_reference",
    "krippendorff_alpha",
    "leaf_agreement",
    "leaf_discrimination",
    "load_cluster_input",
    "parse_cluster_document",
    "parse_decimal",
    "rank_matrix",
    "rank_schools",
    "reconcile_cluster",
    "reconcile_leaf",
    "reconcile_points",
    "reconcile_scaled",
    "reviewer_leniency",
    "round_display",
    "score_leaf_in_cluster",
    "self_inflation",
    "validate_framework",
    "validate_item",
    "validate_leaf",
    "weight_sensitivity",
]
