"""The scoring engine of Thi đua: pure Python, Decimal arithmetic, no Django.

Main entry points:

- `compute_cluster(framework, inputs)` → `ClusterResult` (points, explanations, totals,
  ranks, eligibility of every school of a cluster);
- `validate_framework(framework)` → list of `Problem` (errors and notices);
- `framework_from_reference(document)` / `framework_to_reference(framework)` for the
  reference YAML format; `load_cluster_input(text)` for the JSON cluster-input format;
- `display(points)` / `round_display(points)`: the only rounding (half-up, 2 decimals).

Later analytics (reviewer leniency, agreement, bootstrap rank confidence) belong in sibling
modules of this package and build on `compute_cluster` and `ranking`.
"""

from __future__ import annotations

from thidua.scoring.engine.aggregate import compute_cluster, score_leaf_in_cluster
from thidua.scoring.engine.decimals import display, exact_str, format_vi, parse_decimal, round_display
from thidua.scoring.engine.errors import EngineError, FormatError, FrameworkError, InputError, Problem, Severity
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
from thidua.scoring.engine.ranking import competition_ranks, rank_schools
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
    "AdjustmentItem",
    "AdjustmentResult",
    "BlockedTitle",
    "ClusterInput",
    "ClusterResult",
    "Condition",
    "ConditionStatus",
    "Direction",
    "Eligibility",
    "EngineError",
    "FormatError",
    "Formula",
    "Framework",
    "FrameworkError",
    "Group",
    "GroupResult",
    "InputError",
    "Leaf",
    "LeafInput",
    "LeafResult",
    "Node",
    "Problem",
    "RankEntry",
    "Rule",
    "SchoolInput",
    "SchoolResult",
    "Severity",
    "check_cluster_inputs",
    "cluster_result_to_json",
    "competition_ranks",
    "compute_cluster",
    "display",
    "exact_str",
    "format_vi",
    "framework_from_reference",
    "framework_to_reference",
    "load_cluster_input",
    "parse_cluster_document",
    "parse_decimal",
    "rank_schools",
    "round_display",
    "score_leaf_in_cluster",
    "validate_framework",
    "validate_item",
    "validate_leaf",
]
