"""The data the engine works on: a criteria framework and the inputs of a cluster.

Everything is an immutable dataclass with `Decimal` numbers. A framework (*bảng tiêu chí
chấm điểm*) is a tree of groups and leaves (criteria, *tiêu chí*), plus bonus items
(*điểm thưởng*), penalty items (*điểm trừ*) and eligibility conditions (*điều kiện*).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

from thidua.scoring.engine.decimals import ONE


class Rule(StrEnum):
    """How a leaf (or a bonus/penalty item) turns its input into points."""

    MANUAL = "manual"  # chấm trực tiếp: points in [0, max] on a step
    PASS_FAIL = "pass_fail"  # noqa: S105 - a rule name, not a password. định tính: max or 0
    LEVELS = "levels"  # mức: one named level's fixed points
    COUNT = "count"  # chấm thẳng: occurrences × points_each, capped
    QUANTITATIVE = "quantitative"  # định lượng: actual against target by a formula


class Formula(StrEnum):
    """The formula of a quantitative leaf."""

    RATIO = "ratio"
    THRESHOLDS = "thresholds"
    RELATIVE_TO_BEST = "relative_to_best"
    TARGET_AND_LEADER = "target_and_leader"


class Direction(StrEnum):
    """Whether a larger actual is better (the default) or a smaller one."""

    HIGHER = "higher"
    LOWER = "lower"


# The formulas that compare an actual with the school's registered target (chỉ tiêu).
TARGET_FORMULAS = frozenset({Formula.RATIO, Formula.TARGET_AND_LEADER})
# Formulas whose points depend on the other schools' inputs (PRODUCT.md §3).
CLUSTER_FORMULAS = frozenset({Formula.RELATIVE_TO_BEST, Formula.TARGET_AND_LEADER})


@dataclass(frozen=True, slots=True)
class Leaf:
    """A criterion (*tiêu chí*) with its maximum and one scoring rule.

    Parameters not used by the rule stay at their defaults. `cap_ratio` is kept as given
    (None = not given, which means 1). `extra` keeps keys the engine does not use, so an
    imported framework exports unchanged.
    """

    code: str
    title: str
    max_points: Decimal
    rule: Rule
    formula: Formula | None = None
    direction: Direction = Direction.HIGHER
    levels: tuple[tuple[str, Decimal], ...] = ()
    tiers: tuple[tuple[Decimal, Decimal], ...] = ()
    step: Decimal | None = None
    points_each: Decimal | None = None
    target_registered: bool = False
    per_capita: str | None = None
    cap_ratio: Decimal | None = None
    source: str | None = None
    guidance: str = ""
    evidence: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def effective_cap_ratio(self) -> Decimal:
        """The ratio formula's cap: `cap_ratio`, or 1 when not given."""
        return ONE if self.cap_ratio is None else self.cap_ratio

    @property
    def uses_target(self) -> bool:
        """Whether schools register a target (*chỉ tiêu*) for this leaf."""
        return self.rule is Rule.QUANTITATIVE and self.formula in TARGET_FORMULAS


@dataclass(frozen=True, slots=True)
class Group:
    """A group of criteria (*nhóm tiêu chí*): sums its children, capped at its maximum."""

    code: str
    title: str
    max_points: Decimal
    children: tuple[Group | Leaf, ...]
    guidance: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)


Node: TypeAlias = Group | Leaf


@dataclass(frozen=True, slots=True)
class AdjustmentItem:
    """A bonus (*điểm thưởng*) or penalty (*điểm trừ*) item.

    `rule` is COUNT (occurrences × `points_each`), LEVELS (a named level's points) or
    MANUAL (points entered directly, on `step` if given). `cap` bounds the item.
    """

    code: str
    title: str
    rule: Rule
    points_each: Decimal | None = None
    levels: tuple[tuple[str, Decimal], ...] = ()
    step: Decimal | None = None
    cap: Decimal | None = None
    source: str | None = None
    guidance: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Condition:
    """An eligibility condition (*điều kiện*): no points; when not met, blocks the titles."""

    code: str
    title: str
    blocks: tuple[str, ...]
    guidance: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Framework:
    """A criteria framework (*bảng tiêu chí chấm điểm*)."""

    name: str
    total: Decimal
    groups: tuple[Group, ...]
    bonus: tuple[AdjustmentItem, ...] = ()
    penalty: tuple[AdjustmentItem, ...] = ()
    conditions: tuple[Condition, ...] = ()
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)

    def nodes(self) -> Iterator[Node]:
        """Every group and leaf, depth-first in document order."""
        stack: list[Node] = list(reversed(self.groups))
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, Group):
                stack.extend(reversed(node.children))

    def leaves(self) -> Iterator[Leaf]:
        """Every leaf, depth-first in document order."""
        return (node for node in self.nodes() if isinstance(node, Leaf))

    def titles(self) -> tuple[str, ...]:
        """Every title (*danh hiệu*) some condition names, in order of first mention."""
        seen: dict[str, None] = {}
        for condition in self.conditions:
            for title in condition.blocks:
                seen.setdefault(title, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class LeafInput:
    """One school's input for one leaf or bonus/penalty item; only the rule's field is set.

    manual → `points`; pass_fail → `passed`; levels → `level`; count → `count`;
    quantitative → `actual` (and `target` where the leaf takes a registered target).
    """

    points: Decimal | None = None
    passed: bool | None = None
    level: str | None = None
    count: int | None = None
    actual: Decimal | None = None
    target: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SchoolInput:
    """A school's inputs for one year: profile (size measures), leaf inputs, conditions."""

    code: str
    name: str = ""
    profile: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    leaves: Mapping[str, LeafInput] = field(default_factory=dict, hash=False)
    bonus: Mapping[str, LeafInput] = field(default_factory=dict, hash=False)
    penalty: Mapping[str, LeafInput] = field(default_factory=dict, hash=False)
    conditions: Mapping[str, bool] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class ClusterInput:
    """The inputs of a whole cluster (*cụm thi đua*) and its tie-break order."""

    schools: tuple[SchoolInput, ...]
    tie_break: tuple[str, ...] = ()


def depends_on_cluster(leaf: Leaf, value: LeafInput | None) -> bool:
    """Whether one school's points on a leaf depend on the other schools' inputs.

    Relative to the best and target-and-leader always do; a target formula (ratio,
    target-and-leader) does for a school that entered an actual without a registered target,
    which is then scored against the cluster's best actual (PRODUCT.md §3).
    """
    if leaf.rule is not Rule.QUANTITATIVE:
        return False
    if leaf.formula in CLUSTER_FORMULAS:
        return True
    return leaf.uses_target and value is not None and value.actual is not None and value.target is None
