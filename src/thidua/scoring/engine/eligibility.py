"""Eligibility (*điều kiện xét danh hiệu*): conditions block titles; they never change points.

A condition that is not met blocks every title it names. A condition with no result for the
school (not assessed) blocks them too, so that a school never becomes eligible by leaving a
condition blank; the explanation says it was not assessed.
"""

from __future__ import annotations

from collections.abc import Mapping

from thidua.scoring.engine.model import Condition
from thidua.scoring.engine.results import BlockedTitle, ConditionStatus, Eligibility


def status_of(condition: Condition, results: Mapping[str, bool]) -> ConditionStatus:
    """Met, not met, or missing (no result entered) for one school."""
    result = results.get(condition.code)
    if result is None:
        return ConditionStatus.MISSING
    return ConditionStatus.MET if result else ConditionStatus.NOT_MET


def evaluate_eligibility(
    conditions: tuple[Condition, ...],
    titles: tuple[str, ...],
    results: Mapping[str, bool],
) -> Eligibility:
    """Which of `titles` the school may be proposed for, given its condition results."""
    statuses = {condition.code: status_of(condition, results) for condition in conditions}
    blocked: list[BlockedTitle] = []
    for title in titles:
        failing = [
            condition
            for condition in conditions
            if title in condition.blocks and statuses[condition.code] is not ConditionStatus.MET
        ]
        if failing:
            reasons = "; ".join(
                f"{condition.code} «{condition.title}» "
                + ("không đạt" if statuses[condition.code] is ConditionStatus.NOT_MET else "chưa được đánh giá")
                for condition in failing
            )
            blocked.append(
                BlockedTitle(
                    title,
                    tuple(condition.code for condition in failing),
                    f"Không đủ điều kiện xét «{title}»: {reasons}",
                )
            )
    blocked_titles = {entry.title for entry in blocked}
    eligible = tuple(title for title in titles if title not in blocked_titles)
    return Eligibility(statuses, tuple(blocked), eligible)
