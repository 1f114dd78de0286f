"""What computing a cluster gives: points, explanations, totals, ranks and eligibility.

All point values are exact (unrounded) Decimals; round them with `display` /
`round_display` only to show or export them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class ConditionStatus(StrEnum):
    """A condition's state for one school: met, not met, or not assessed (missing)."""

    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class LeafResult:
    """Points of one leaf (or bonus/penalty item) for one school, and why, in Vietnamese."""

    code: str
    points: Decimal
    explanation: str = ""
    missing: bool = False


@dataclass(frozen=True, slots=True)
class GroupResult:
    """A group's sum of its children (`raw`) and its points after its cap (`points`)."""

    code: str
    raw: Decimal
    points: Decimal
    max_points: Decimal
    explanation: str = ""

    @property
    def capped(self) -> bool:
        """Whether the group's cap binds (its children add up to more than its maximum)."""
        return self.raw > self.max_points


@dataclass(frozen=True, slots=True)
class AdjustmentResult:
    """Bonus or penalty of one school: per-item points (item caps applied), sum, total cap."""

    items: Mapping[str, LeafResult] = field(hash=False)
    raw: Decimal
    points: Decimal
    cap: Decimal | None
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class BlockedTitle:
    """A title the school is not eligible for, the conditions that block it, and why."""

    title: str
    conditions: tuple[str, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Eligibility for the framework's titles (*danh hiệu*); it never changes points or rank."""

    conditions: Mapping[str, ConditionStatus] = field(hash=False)
    blocked: tuple[BlockedTitle, ...]
    eligible_titles: tuple[str, ...]

    def is_eligible(self, title: str) -> bool:
        """Whether no condition blocks `title` (titles no condition names are never blocked)."""
        return all(blocked.title != title for blocked in self.blocked)


@dataclass(frozen=True, slots=True)
class RankEntry:
    """A school's competition rank (1, 1, 3) after the tie-break order.

    `tied` is set when another school shares the rank (shown "1="); `note` explains in
    Vietnamese when the tie-break order decided between equal totals.
    """

    school: str
    rank: int
    tied: bool
    note: str = ""

    @property
    def label(self) -> str:
        """The rank as shown: "1", or "1=" when shared."""
        return f"{self.rank}=" if self.tied else str(self.rank)


@dataclass(frozen=True, slots=True)
class SchoolResult:
    """Everything computed for one school.

    `total` = `groups_total` (capped groups) + `bonus.points` − `penalty.points`, never
    below 0.
    """

    code: str
    name: str
    leaves: Mapping[str, LeafResult] = field(hash=False)
    groups: Mapping[str, GroupResult] = field(hash=False)
    bonus: AdjustmentResult
    penalty: AdjustmentResult
    groups_total: Decimal
    total: Decimal
    ranking: RankEntry
    eligibility: Eligibility
    explanation: str = ""

    @property
    def rank(self) -> int:
        """The competition rank."""
        return self.ranking.rank

    @property
    def rank_label(self) -> str:
        """The rank as shown ("1" or "1=")."""
        return self.ranking.label


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """The results of a cluster, schools in rank order (input order within a tie)."""

    schools: tuple[SchoolResult, ...]
    tie_break: tuple[str, ...] = ()

    def school(self, code: str) -> SchoolResult:
        """The result of the school with this code (KeyError if none)."""
        for result in self.schools:
            if result.code == code:
                return result
        raise KeyError(code)
