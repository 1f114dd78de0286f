"""Small builders for engine tests: one-leaf frameworks, clusters from plain values."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from thidua.scoring.engine import (
    ClusterInput,
    ClusterResult,
    Formula,
    Framework,
    Group,
    Leaf,
    LeafInput,
    Rule,
    SchoolInput,
    compute_cluster,
)

DATA = Path(__file__).parent / "data"
# A copy of shared/reference/criteria-political-schools.yaml, so the tests stand alone.
REFERENCE_YAML = DATA / "criteria-political-schools.yaml"


def D(value: str | int) -> Decimal:  # noqa: N802 - reads like the literal it builds
    """A Decimal from a string or int (never a float)."""
    return Decimal(value)


def framework_of(*leaves: Leaf, group_max: str | None = None, **options: object) -> Framework:
    """A framework with one group "I" holding the leaves; the total is the group's maximum."""
    top = D(group_max) if group_max is not None else sum((leaf.max_points for leaf in leaves), D(0))
    group = Group("I", "Nhóm I", top, tuple(leaves))
    return Framework("Bảng thử", top, (group,), **options)  # type: ignore[arg-type]


def school(code: str, *, profile: Mapping[str, str] | None = None, **leaves: LeafInput) -> SchoolInput:
    """A school with leaf inputs given as keyword arguments (leaf code with "." as "_")."""
    return SchoolInput(
        code,
        profile={key: D(value) for key, value in (profile or {}).items()},
        leaves={code.replace("_", "."): value for code, value in leaves.items()},
    )


def points_by_school(result: ClusterResult, leaf_code: str) -> dict[str, Decimal]:
    """Each school's points on one leaf."""
    return {entry.code: entry.leaves[leaf_code].points for entry in result.schools}


def explanation_of(result: ClusterResult, school_code: str, leaf_code: str) -> str:
    """One school's explanation of one leaf."""
    return result.school(school_code).leaves[leaf_code].explanation


def score_one_leaf(
    leaf: Leaf,
    values: Mapping[str, LeafInput],
    profiles: Mapping[str, Mapping[str, str]] | None = None,
) -> ClusterResult:
    """Compute a cluster on a one-leaf framework; schools named by the keys of `values`."""
    profiles = profiles or {}
    schools = tuple(
        SchoolInput(
            code,
            profile={key: D(v) for key, v in profiles.get(code, {}).items()},
            leaves={leaf.code: value},
        )
        for code, value in values.items()
    )
    return compute_cluster(framework_of(leaf), ClusterInput(schools))


def quantitative(code: str, max_points: str, formula: str, **options: object) -> Leaf:
    """A quantitative leaf; pass target_registered, per_capita, tiers … as keyword arguments."""
    return Leaf(code, f"Tiêu chí {code}", D(max_points), Rule.QUANTITATIVE, formula=Formula(formula), **options)  # type: ignore[arg-type]


def actual(value: str, target: str | None = None) -> LeafInput:
    """A quantitative input."""
    return LeafInput(actual=D(value), target=None if target is None else D(target))
