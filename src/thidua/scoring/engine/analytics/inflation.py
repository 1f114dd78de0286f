"""Self-inflation (*tự chấm cao hơn kết quả thẩm định*): self-assessed minus final points.

Per school and leaf: self − final (None where the school did not self-assess the leaf).
Per school: the self-assessed total minus the final total, both aggregated the same way
(capped groups + bonus − penalty, never below 0; a leaf not self-assessed counts 0, bonus and
penalty are the final ones for both), and the plain sum of the per-leaf differences, which
caps do not hide. Per leaf across the cluster: the mean and the sum of the differences —
which criteria schools overstate most. Exact Decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from thidua.scoring.engine.decimals import ENGINE_CONTEXT, ZERO, quotient
from thidua.scoring.engine.model import Framework
from thidua.scoring.engine.points import PointsPlan
from thidua.scoring.engine.reconcile import SchoolReview


@dataclass(frozen=True, slots=True)
class LeafInflation:
    """One school's self and final points on one leaf."""

    leaf: str
    self_points: Decimal | None
    final: Decimal
    difference: Decimal | None  # self − final


@dataclass(frozen=True, slots=True)
class SchoolInflation:
    """One school's self-inflation: totals and per leaf (framework order)."""

    school: str
    self_total: Decimal
    final_total: Decimal
    total: Decimal  # self_total − final_total
    leaf_sum: Decimal  # Σ (self − final) over the leaves it self-assessed
    leaves: tuple[LeafInflation, ...]


@dataclass(frozen=True, slots=True)
class LeafInflationSummary:
    """One leaf across the cluster: over the schools that self-assessed it."""

    leaf: str
    count: int
    total: Decimal
    mean: Decimal | None  # None when no school self-assessed it
    overstated: int  # schools with self > final
    understated: int  # schools with self < final


@dataclass(frozen=True, slots=True)
class InflationReport:
    """Self-inflation of a cluster: per school (input order) and per leaf (framework order)."""

    schools: tuple[SchoolInflation, ...]
    leaves: tuple[LeafInflationSummary, ...]

    def school(self, code: str) -> SchoolInflation:
        """One school's inflation (KeyError if none)."""
        for school in self.schools:
            if school.school == code:
                return school
        raise KeyError(code)


def self_inflation(
    framework: Framework,
    schools: Sequence[SchoolReview],
    final: Mapping[str, Mapping[str, Decimal]],
) -> InflationReport:
    """Self − final per school and leaf; `final[school][leaf]` (missing → 0)."""
    plan = PointsPlan.of(framework)
    codes = plan.leaf_codes
    per_leaf: dict[str, list[Decimal]] = {code: [] for code in codes}
    results: list[SchoolInflation] = []
    with localcontext(ENGINE_CONTEXT):
        for school in schools:
            finals = final.get(school.code, {})
            own = {code: scores.self_points for code, scores in school.leaves.items() if scores.self_points is not None}
            leaves: list[LeafInflation] = []
            leaf_sum = ZERO
            for code in codes:
                value = finals.get(code, ZERO)
                mine = own.get(code)
                difference = None if mine is None else mine - value
                if difference is not None:
                    leaf_sum += difference
                    per_leaf[code].append(difference)
                leaves.append(LeafInflation(code, mine, value, difference))
            self_total = plan.school_key(own, school.bonus, school.penalty)[0]
            final_total = plan.school_key(finals, school.bonus, school.penalty)[0]
            results.append(
                SchoolInflation(school.code, self_total, final_total, self_total - final_total, leaf_sum, tuple(leaves))
            )
        summaries = tuple(
            LeafInflationSummary(
                leaf=code,
                count=len(values),
                total=sum(values, ZERO),
                mean=quotient(sum(values, ZERO), Decimal(len(values))) if values else None,
                overstated=sum(1 for value in values if value > 0),
                understated=sum(1 for value in values if value < 0),
            )
            for code, values in per_leaf.items()
        )
    return InflationReport(tuple(results), summaries)
