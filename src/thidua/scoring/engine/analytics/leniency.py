"""Reviewer leniency (*độ dễ dãi của người chấm*): how far each reviewer sits from consensus.

For every leaf a reviewer scored, the deviation is the reviewer's points minus the leaf's
consensus for that school — the final score (after reconciliation and the secretariat's
decisions). A reviewer's leniency is the mean deviation over those leaves: positive means
more generous than the consensus, negative stricter. The mean absolute deviation tells an
erratic reviewer (large) from a consistently biased one (mean ≈ ± the absolute mean), and
the mean share of the leaves' maximum makes reviewers who scored leaves of different sizes
comparable. Exact Decimals (means are engine quotients). Shown to the secretariat only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from thidua.scoring.engine.decimals import ENGINE_CONTEXT, ZERO, quotient
from thidua.scoring.engine.model import Framework
from thidua.scoring.engine.reconcile import SchoolReview


@dataclass(frozen=True, slots=True)
class ReviewerLeniency:
    """One reviewer's deviation from consensus over the `count` leaves they scored."""

    reviewer: str
    count: int  # leaf scores compared (school × leaf)
    schools: int  # schools reviewed
    mean_deviation: Decimal  # points; > 0 lenient, < 0 strict
    mean_absolute_deviation: Decimal
    mean_share_of_max: Decimal  # mean of deviation / leaf max


def reviewer_leniency(
    framework: Framework,
    schools: Sequence[SchoolReview],
    consensus: Mapping[str, Mapping[str, Decimal]],
) -> tuple[ReviewerLeniency, ...]:
    """Leniency of every reviewer, most lenient first (then by reviewer id).

    `consensus[school][leaf]` is the final score; leaves without one are skipped.
    """
    top = {leaf.code: leaf.max_points for leaf in framework.leaves()}
    sums: dict[str, list[Decimal]] = {}
    counts: dict[str, int] = {}
    reviewed: dict[str, set[str]] = {}
    with localcontext(ENGINE_CONTEXT):
        for school in schools:
            final = consensus.get(school.code, {})
            for code, scores in school.leaves.items():
                agreed = final.get(code)
                if agreed is None or code not in top:
                    continue
                for reviewer, points in scores.reviews:
                    deviation = points - agreed
                    total = sums.setdefault(reviewer, [ZERO, ZERO, ZERO])
                    total[0] += deviation
                    total[1] += abs(deviation)
                    total[2] += quotient(deviation, top[code])
                    counts[reviewer] = counts.get(reviewer, 0) + 1
                    reviewed.setdefault(reviewer, set()).add(school.code)
        results = [
            ReviewerLeniency(
                reviewer=reviewer,
                count=counts[reviewer],
                schools=len(reviewed[reviewer]),
                mean_deviation=quotient(total[0], Decimal(counts[reviewer])),
                mean_absolute_deviation=quotient(total[1], Decimal(counts[reviewer])),
                mean_share_of_max=quotient(total[2], Decimal(counts[reviewer])),
            )
            for reviewer, total in sums.items()
        ]
    return tuple(sorted(results, key=lambda result: (-result.mean_deviation, result.reviewer)))
