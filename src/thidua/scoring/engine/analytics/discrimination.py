"""Discrimination per leaf (*khả năng phân loại của tiêu chí*): does it tell schools apart?

Over the schools' final points on a leaf: the lowest, the highest, the spread (highest −
lowest, also as a share of the leaf's max) and the number of distinct values. A leaf on
which every school gets the same points is flagged: it adds the same to everyone and cannot
change a rank. Exact Decimals; a school without a final value on the leaf counts 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from thidua.scoring.engine.decimals import ENGINE_CONTEXT, ZERO, quotient
from thidua.scoring.engine.model import Framework
from thidua.scoring.engine.rules import fmt


@dataclass(frozen=True, slots=True)
class LeafDiscrimination:
    """How one leaf's final points spread over the schools."""

    leaf: str
    schools: int
    minimum: Decimal
    maximum: Decimal
    spread: Decimal  # maximum − minimum
    spread_share: Decimal  # spread / the leaf's max
    distinct: int  # distinct values
    flagged: bool  # every school has the same points (and there are at least two schools)
    message: str


def leaf_discrimination(
    framework: Framework, final: Mapping[str, Mapping[str, Decimal]]
) -> tuple[LeafDiscrimination, ...]:
    """Spread of every leaf (framework order) over the schools of `final` (school → leaf → points)."""
    results: list[LeafDiscrimination] = []
    with localcontext(ENGINE_CONTEXT):
        for leaf in framework.leaves():
            values = [points.get(leaf.code, ZERO) for points in final.values()]
            if not values:
                values = [ZERO]
            low, high = min(values), max(values)
            spread = high - low
            flagged = len(final) >= 2 and spread == 0
            if flagged:
                message = (
                    f"Mọi trường đều được {fmt(low)} điểm: tiêu chí không phân biệt được các trường "
                    "(không làm thay đổi thứ hạng)."
                )
            elif len(final) < 2:
                message = "Chỉ có một trường: chưa thể đánh giá khả năng phân loại."
            else:
                message = f"Điểm từ {fmt(low)} đến {fmt(high)} (chênh {fmt(spread)}/{fmt(leaf.max_points)} điểm)."
            results.append(
                LeafDiscrimination(
                    leaf=leaf.code,
                    schools=len(final),
                    minimum=low,
                    maximum=high,
                    spread=spread,
                    spread_share=quotient(spread, leaf.max_points),
                    distinct=len(set(values)),
                    flagged=flagged,
                    message=message,
                )
            )
    return tuple(results)
