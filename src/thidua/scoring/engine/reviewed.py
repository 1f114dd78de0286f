"""A reviewer's points from the inputs the reviewer confirmed or corrected.

The rule, shared by the application (``results.reconcile.load_basis``) and by
``python -m thidua.scoring verify`` so that both compute the same thing:

- on **manual** and **levels** leaves only the reviewer's own points or level count; a leaf
  the reviewer left empty is not scored by that reviewer;
- on the other rules (pass/fail, count, quantitative) the reviewer's corrected value where
  given, otherwise the school's own input stands;
- cluster-dependent leaves (relative to the best, target and leader, and a ratio or
  target-and-leader leaf the school entered without a registered target, which is scored
  against the cluster's best) are computed against the other schools' *self-assessed*
  inputs: one reviewer corrects one school.

Bonus, penalty and conditions are not reviewed: the school's self-assessed values stand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from thidua.scoring.engine.aggregate import compute_cluster, score_leaf_in_cluster
from thidua.scoring.engine.errors import EngineError
from thidua.scoring.engine.model import (
    ClusterInput,
    Framework,
    LeafInput,
    Rule,
    SchoolInput,
    depends_on_cluster,
)

# Leaves the reviewer scores from scratch (no school input stands for them).
REVIEWER_SCORED = frozenset({Rule.MANUAL, Rule.LEVELS})


@dataclass
class ReviewedPoints:
    """points[school][leaf][reviewer]; problems: what the engine refused, per reviewer."""

    points: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def reviewer_inputs(framework: Framework, own: SchoolInput, corrections: Mapping[str, LeafInput]) -> SchoolInput:
    """The school's input as one reviewer sees it: its own inputs with the corrections."""
    leaves = dict(own.leaves)
    for leaf in framework.leaves():
        if leaf.rule in REVIEWER_SCORED and leaf.code not in corrections:
            leaves.pop(leaf.code, None)
    leaves.update(corrections)
    return SchoolInput(own.code, own.name, own.profile, leaves, own.bonus, own.penalty, own.conditions)


def scored_leaves(framework: Framework, corrections: Mapping[str, LeafInput]) -> list[str]:
    """The leaves a reviewer's points exist for: every leaf, except the manual and levels
    leaves the reviewer left empty."""
    return [leaf.code for leaf in framework.leaves() if leaf.rule not in REVIEWER_SCORED or leaf.code in corrections]


def reviewer_points(
    framework: Framework,
    inputs: Mapping[str, SchoolInput],
    corrections: Mapping[str, Mapping[str, Mapping[str, LeafInput]]],
) -> ReviewedPoints:
    """Every reviewer's points of every school they reviewed.

    `inputs[school]` are the self-assessed inputs; `corrections[school][reviewer][leaf]` the
    values a reviewer entered (a reviewer with a submitted review and no values is present with
    an empty mapping). A reviewer whose inputs the engine refuses is left out, and the refusal
    is listed in `problems`.

    The same points as computing the whole cluster once per reviewer with that reviewer's
    version of the school, computed faster: a leaf whose points, with the input this reviewer's
    version of the school has, do not depend on the cluster (`model.depends_on_cluster`) is
    scored on the school alone; a cluster-dependent leaf the reviewer did not correct has the
    school's self-assessed points (the cluster is then the self-assessed one); only a corrected
    cluster-dependent leaf is scored against the other schools (``tests/scoring/engine/
    test_reviewed.py`` checks the two ways agree). When the self-assessed cluster itself is
    refused, every reviewer is computed the long way, so that the refusals read the same.
    """
    try:
        own_cluster = compute_cluster(framework, ClusterInput(tuple(inputs.values())), explain=False)
    except EngineError:
        return _reviewer_points_by_cluster(framework, inputs, corrections)
    leaves = {leaf.code: leaf for leaf in framework.leaves()}
    found = ReviewedPoints()
    for school_code, by_reviewer in corrections.items():
        own = inputs.get(school_code)
        if own is None:
            continue
        others = [school for code, school in inputs.items() if code != school_code]
        self_points = own_cluster.school(school_code).leaves
        per_leaf = found.points.setdefault(school_code, {})
        for reviewer, changes in by_reviewer.items():
            variant = reviewer_inputs(framework, own, changes)
            try:
                alone = compute_cluster(framework, ClusterInput((variant,)), explain=False).school(school_code).leaves
                points: dict[str, Decimal] = {}
                for code in scored_leaves(framework, changes):
                    leaf = leaves[code]
                    if not depends_on_cluster(leaf, variant.leaves.get(code)):
                        points[code] = alone[code].points
                    elif code not in changes:
                        points[code] = self_points[code].points
                    else:
                        scored = score_leaf_in_cluster(
                            leaf,
                            [variant.leaves.get(code), *(school.leaves.get(code) for school in others)],
                            [variant.profile, *(school.profile for school in others)],
                            school_codes=[school_code, *(school.code for school in others)],
                            explain=False,
                        )
                        points[code] = scored[0].points
            except EngineError as exc:
                found.problems.extend(str(problem) for problem in exc.problems)
                continue
            for code, value in points.items():
                per_leaf.setdefault(code, {})[reviewer] = value
    return found


def _reviewer_points_by_cluster(
    framework: Framework,
    inputs: Mapping[str, SchoolInput],
    corrections: Mapping[str, Mapping[str, Mapping[str, LeafInput]]],
) -> ReviewedPoints:
    """The rule itself: the whole cluster computed once per reviewer, with that reviewer's
    version of the school and the other schools' self-assessed inputs."""
    found = ReviewedPoints()
    for school_code, by_reviewer in corrections.items():
        own = inputs.get(school_code)
        if own is None:
            continue
        others = [school for code, school in inputs.items() if code != school_code]
        per_leaf = found.points.setdefault(school_code, {})
        for reviewer, changes in by_reviewer.items():
            variant = reviewer_inputs(framework, own, changes)
            try:
                result = compute_cluster(framework, ClusterInput((variant, *others)), explain=False)
            except EngineError as exc:
                found.problems.extend(str(problem) for problem in exc.problems)
                continue
            mine = result.school(school_code)
            for code in scored_leaves(framework, changes):
                if code in mine.leaves:
                    per_leaf.setdefault(code, {})[reviewer] = mine.leaves[code].points
    return found
