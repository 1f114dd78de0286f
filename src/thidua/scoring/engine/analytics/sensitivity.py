"""Weight sensitivity (*độ nhạy theo trọng số nhóm*): does the ranking survive other weights?

Each draw multiplies the capped points of every top-level group by its own factor, drawn
uniformly from [1 − spread, 1 + spread] (spread 0.2 = ±20 %), adds bonus − penalty, clamps
at 0 and ranks (ties on the draw's total are broken by the unperturbed tie-break values;
one that remains is shared). Reported: how often the leader stays first — the share of draws
in which every school ranked first is one of the official leaders — and, per school, the
share of draws at each rank.

Reproducible from `seed` (`numpy.random.default_rng`). The perturbed totals are floats: a
statistic, not a result. Each total is summed group by group in a fixed order, so schools
with identical points get identical perturbed totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import localcontext

import numpy as np

from thidua.scoring.engine.analytics._ranks import order_codes, rank_counts, row_ranks
from thidua.scoring.engine.decimals import ENGINE_CONTEXT
from thidua.scoring.engine.errors import InputError, Problem
from thidua.scoring.engine.model import Framework
from thidua.scoring.engine.points import PointsPlan, SchoolPoints, check_points, require_valid
from thidua.scoring.engine.ranking import competition_ranks

DEFAULT_SPREAD = 0.2


@dataclass(frozen=True, slots=True)
class SchoolSensitivity:
    """One school's ranks over the draws: `counts[r − 1]` draws at rank r."""

    school: str
    rank: int  # the official rank (weights as published)
    counts: tuple[int, ...]
    shares: tuple[float, ...]

    @property
    def share_first(self) -> float:
        """The share of draws in which the school ranks first."""
        return self.shares[0] if self.shares else 0.0


@dataclass(frozen=True, slots=True)
class WeightSensitivity:
    """Weight sensitivity of a cluster's ranking; schools in input order."""

    seed: int
    draws: int
    spread: float
    groups: tuple[str, ...]  # the perturbed (top-level) groups
    leaders: tuple[str, ...]  # the official rank-1 schools
    leader_kept: int  # draws in which only official leaders rank first
    schools: tuple[SchoolSensitivity, ...]

    @property
    def leader_stays_first(self) -> float:
        """The share of draws in which the leader stays first."""
        return self.leader_kept / self.draws

    def school(self, code: str) -> SchoolSensitivity:
        """One school's sensitivity (KeyError if none)."""
        for school in self.schools:
            if school.school == code:
                return school
        raise KeyError(code)


def weight_sensitivity(
    framework: Framework,
    schools: Sequence[SchoolPoints],
    *,
    seed: int,
    draws: int = 1000,
    spread: float = DEFAULT_SPREAD,
    tie_break: Sequence[str] = (),
) -> WeightSensitivity:
    """Perturb the top-level groups' weights `draws` times (see the module doc)."""
    require_valid(framework)
    problems = check_points(framework, schools, tie_break)
    if draws < 1:
        problems.append(Problem("bad_draws", "", f"Số lần thử phải ≥ 1, nhận {draws}."))
    if not 0 <= spread < 1:
        problems.append(Problem("bad_spread", "", f"Biên độ nhiễu trọng số phải trong [0; 1), nhận {spread}."))
    if problems:
        raise InputError(problems)
    plan = PointsPlan.of(framework, tie_break)
    top = [index for index, group in enumerate(plan.groups) if group.top]
    with localcontext(ENGINE_CONTEXT):
        capped = [plan.group_points(school.leaves) for school in schools]
        adjustments = [
            plan.adjustment(school.bonus, penalty=False) - plan.adjustment(school.penalty, penalty=True)
            for school in schools
        ]
        keys = [plan.school_key(school.leaves, school.bonus, school.penalty) for school in schools]
        official = competition_ranks(keys)
        tie_codes = np.array(order_codes([key[1:] for key in keys]), dtype=np.int64)
    groups = np.array([[float(row[index]) for index in top] for row in capped], dtype=np.float64).reshape(
        len(schools), len(top)
    )
    extra = np.array([float(value) for value in adjustments], dtype=np.float64)
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - spread, 1 + spread, size=(draws, len(top)))
    totals = np.zeros((draws, len(schools)), dtype=np.float64)
    for column in range(len(top)):
        totals += factors[:, column, np.newaxis] * groups[np.newaxis, :, column]
    totals += extra[np.newaxis, :]
    np.maximum(totals, 0.0, out=totals)
    ranks = row_ranks(totals, tie_codes)
    leaders = [index for index, rank in enumerate(official) if rank == 1]
    outsiders = np.ones(len(schools), dtype=bool)
    outsiders[leaders] = False
    kept = int(np.count_nonzero(~((ranks == 1) & outsiders[np.newaxis, :]).any(axis=1))) if leaders else 0
    counts = rank_counts(ranks)
    results = tuple(
        SchoolSensitivity(
            school=school.code,
            rank=official[index],
            counts=tuple(int(value) for value in counts[index]),
            shares=tuple(int(value) / draws for value in counts[index]),
        )
        for index, school in enumerate(schools)
    )
    return WeightSensitivity(
        seed=seed,
        draws=draws,
        spread=spread,
        groups=tuple(plan.groups[index].code for index in top),
        leaders=tuple(schools[index].code for index in leaders),
        leader_kept=kept,
        schools=results,
    )
