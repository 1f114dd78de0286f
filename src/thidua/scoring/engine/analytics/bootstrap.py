"""Rank confidence (*độ tin cậy của thứ hạng*) by bootstrap over reviewers.

Each resample draws, for every school independently, as many reviewers as it has, with
replacement, from its own reviewers; reconciles every leaf by the policy over the drawn
reviewers' points (a reviewer drawn twice counts twice); aggregates exactly like the
results (capped groups + bonus − penalty, never below 0) and ranks the cluster with the
tie-break order. Over all resamples each school gets the share of resamples at each rank and
a rank interval (by default the 2.5th and 97.5th percentiles of its rank).

- Reproducible: the draws come from `numpy.random.default_rng(seed)`, schools in input
  order, so the same seed and data give the same output.
- Exact: a school's totals only depend on which multiset of its reviewers was drawn, so each
  distinct multiset is reconciled and aggregated once with the engine's Decimal arithmetic
  (`reconcile_points`, `PointsPlan`); ranks compare exact order codes of those keys. The
  probabilities and the mean rank are floats (statistics).
- Leaves fixed by a decision of the secretariat (`decisions`) keep that value in every
  resample. A leaf none of the drawn reviewers scored keeps its value from all reviewers; so
  does a trimmed mean that the drawn ratings cannot support (counted in `fallbacks`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

import numpy as np

from thidua.scoring.engine.analytics._ranks import Int64Array, order_codes, rank_counts, rank_interval, row_ranks
from thidua.scoring.engine.decimals import ENGINE_CONTEXT
from thidua.scoring.engine.errors import InputError, Problem
from thidua.scoring.engine.model import Framework
from thidua.scoring.engine.points import PointsPlan, check_points, require_valid
from thidua.scoring.engine.ranking import competition_ranks
from thidua.scoring.engine.reconcile import (
    Policy,
    ReconciliationError,
    SchoolReview,
    check_reviews,
    is_judgement,
    reconcile_points,
)

DEFAULT_INTERVAL = (0.025, 0.975)


@dataclass(frozen=True, slots=True)
class SchoolRankConfidence:
    """One school's rank over the resamples.

    `counts[r − 1]` resamples gave it rank r; `probabilities[r − 1]` = counts / resamples.
    `rank` is its rank with all reviewers (no resampling).
    """

    school: str
    rank: int
    counts: tuple[int, ...]
    probabilities: tuple[float, ...]
    interval: tuple[int, int]
    mean_rank: float

    @property
    def probability_first(self) -> float:
        """The share of resamples in which the school ranks first."""
        return self.probabilities[0] if self.probabilities else 0.0


@dataclass(frozen=True, slots=True)
class RankConfidence:
    """Bootstrap rank confidence of a cluster; schools in input order."""

    policy: Policy
    seed: int
    resamples: int
    quantiles: tuple[float, float]
    schools: tuple[SchoolRankConfidence, ...]
    fallbacks: int  # leaf values kept from all reviewers because the drawn ones could not give one

    def school(self, code: str) -> SchoolRankConfidence:
        """One school's confidence (KeyError if none)."""
        for school in self.schools:
            if school.school == code:
                return school
        raise KeyError(code)


def _check(resamples: int, quantiles: tuple[float, float]) -> None:
    problems = []
    if resamples < 1:
        problems.append(Problem("bad_resamples", "", f"Số lần lấy mẫu lại phải ≥ 1, nhận {resamples}."))
    low, high = quantiles
    if not 0 <= low <= high <= 1:
        problems.append(Problem("bad_quantiles", "", f"Khoảng phân vị phải thỏa 0 ≤ thấp ≤ cao ≤ 1, nhận {quantiles}."))
    if problems:
        raise InputError(problems)


def baseline_points(
    framework: Framework,
    schools: Sequence[SchoolReview],
    policy: Policy,
    decisions: Mapping[str, Mapping[str, Decimal]],
) -> dict[str, dict[str, Decimal]]:
    """school → leaf → points with all reviewers by the policy, decisions where given.

    Raises `ReconciliationError` for leaves with neither (and for refused trimmed means).
    """
    values: dict[str, dict[str, Decimal]] = {}
    problems: list[Problem] = []
    for school in schools:
        decided = decisions.get(school.code, {})
        mine: dict[str, Decimal] = {}
        for leaf in framework.leaves():
            if leaf.code in decided:
                mine[leaf.code] = decided[leaf.code]
                continue
            scores = school.leaves.get(leaf.code)
            try:
                value = reconcile_points(scores.points if scores else (), policy, judgement=is_judgement(leaf))
            except ReconciliationError as error:
                problems.extend(Problem(p.code, leaf.code, p.message, p.severity, school.code) for p in error.problems)
                continue
            if value is None:
                problems.append(
                    Problem(
                        "awaiting_decision",
                        leaf.code,
                        "Không có điểm tự động (chính sách hội đồng hoặc chưa ai chấm) và chưa có quyết định.",
                        school=school.code,
                    )
                )
                continue
            mine[leaf.code] = value
        values[school.code] = mine
    if problems:
        raise ReconciliationError(problems)
    return values


def bootstrap_ranks(
    framework: Framework,
    schools: Sequence[SchoolReview],
    policy: Policy,
    *,
    seed: int,
    resamples: int = 1000,
    tie_break: Sequence[str] = (),
    decisions: Mapping[str, Mapping[str, Decimal]] | None = None,
    quantiles: tuple[float, float] = DEFAULT_INTERVAL,
) -> RankConfidence:
    """Rank confidence by resampling each school's reviewers (see the module doc).

    `policy` must give automatic values (not the panel policy). Raises `InputError` /
    `ReconciliationError` on bad data.
    """
    require_valid(framework)
    _check(resamples, quantiles)
    if policy is Policy.PANEL:
        raise ReconciliationError(
            [Problem("panel_no_value", "", "Bootstrap cần một chính sách tính điểm tự động (trung bình, trung vị …).")]
        )
    problems = check_reviews(framework, schools)
    problems += check_points(framework, [], tie_break)  # the tie-break codes
    if problems:
        raise InputError(problems)
    decisions = decisions or {}
    plan = PointsPlan.of(framework, tie_break)
    rng = np.random.default_rng(seed)
    with localcontext(ENGINE_CONTEXT):
        base = baseline_points(framework, schools, policy, decisions)
        base_keys = [plan.school_key(base[school.code], school.bonus, school.penalty) for school in schools]
        keys: list[tuple[Decimal, ...]] = []  # every distinct (school, multiset) key
        choice = np.zeros((resamples, len(schools)), dtype=np.int64)  # index into `keys`
        fallbacks = 0
        for column, school in enumerate(schools):
            reviewers = school.reviewers()
            if not reviewers:
                choice[:, column] = len(keys)
                keys.append(base_keys[column])
                continue
            r = len(reviewers)
            drawn = rng.integers(0, r, size=(resamples, r))
            counts = (drawn[:, :, np.newaxis] == np.arange(r)).sum(axis=1)
            distinct, inverse = _distinct_rows(counts, r)
            offset = len(keys)
            frequency = np.bincount(inverse.reshape(-1), minlength=len(distinct))
            for row in distinct:
                values, used = _resampled(framework, school, reviewers, row, policy, base[school.code], decisions)
                fallbacks += used * int(frequency[len(keys) - offset])
                keys.append(plan.school_key(values, school.bonus, school.penalty))
            choice[:, column] = offset + inverse.reshape(-1)
        codes = np.array(order_codes(keys), dtype=np.int64)
        base_ranks = competition_ranks(base_keys)
    ranks = row_ranks(codes[choice])
    return _summary(policy, seed, resamples, quantiles, schools, base_ranks, ranks, fallbacks)


def _distinct_rows(counts: Int64Array, r: int) -> tuple[Int64Array, Int64Array]:
    """The distinct rows of `counts` (each row: how often each of r reviewers was drawn) and,
    per row, the index of its distinct row. A row is encoded as one integer in base r + 1."""
    if (r + 1) ** r < 2**62:
        weights = (r + 1) ** np.arange(r, dtype=np.int64)
        _codes, first, inverse = np.unique(counts @ weights, return_index=True, return_inverse=True)
        return counts[first], inverse.reshape(-1).astype(np.int64)
    distinct, inverse = np.unique(counts, axis=0, return_inverse=True)
    return distinct, inverse.reshape(-1).astype(np.int64)


def _resampled(
    framework: Framework,
    school: SchoolReview,
    reviewers: Sequence[str],
    counts: Int64Array,
    policy: Policy,
    base: Mapping[str, Decimal],
    decisions: Mapping[str, Mapping[str, Decimal]],
) -> tuple[dict[str, Decimal], int]:
    """The school's leaf points for one multiset of reviewers, and how many fell back."""
    weight = {reviewer: int(count) for reviewer, count in zip(reviewers, counts, strict=True)}
    decided = decisions.get(school.code, {})
    values: dict[str, Decimal] = {}
    fallbacks = 0
    for leaf in framework.leaves():
        code = leaf.code
        scores = school.leaves.get(code)
        if code in decided or scores is None:
            values[code] = base[code]
            continue
        points = [points for reviewer, points in scores.reviews for _ in range(weight[reviewer])]
        try:
            value = reconcile_points(points, policy, judgement=is_judgement(leaf))  # the same rule as the finals
        except ReconciliationError:
            value = None
        if value is None:
            values[code] = base[code]
            fallbacks += 1 if points else 0
        else:
            values[code] = value
    return values, fallbacks


def _summary(
    policy: Policy,
    seed: int,
    resamples: int,
    quantiles: tuple[float, float],
    schools: Sequence[SchoolReview],
    base_ranks: Sequence[int],
    ranks: Int64Array,
    fallbacks: int,
) -> RankConfidence:
    counts = rank_counts(ranks)
    results = []
    for index, school in enumerate(schools):
        row = [int(value) for value in counts[index]]
        results.append(
            SchoolRankConfidence(
                school=school.code,
                rank=base_ranks[index],
                counts=tuple(row),
                probabilities=tuple(value / resamples for value in row),
                interval=rank_interval(row, *quantiles),
                mean_rank=float(sum(rank * value for rank, value in enumerate(row, start=1)) / resamples),
            )
        )
    return RankConfidence(policy, seed, resamples, quantiles, tuple(results), fallbacks)
