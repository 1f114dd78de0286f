"""`make bench`: timings of the scoring engine on reproducible synthetic data.

    .venv/bin/python -m bench.engine [--seed N] [--quick]

Two data sets, generated from a seed (default 2020), so every run scores the same numbers:

- a cluster: 12 schools on the reference framework (criteria-political-schools.yaml), 3
  reviewers per school from other schools, self-assessments a little above the reviews;
- a nationwide set: 5,000 units × 200 leaves (10 groups of 2 capped sub-groups of 10
  manual leaves, step 0.25) × 3 reviewers, plus bonus and penalty items.

Printed: the median time of (a) aggregation + ranking of each set, (b) the cluster's full
analytics (reconciliation, results, leniency, inflation, alpha, discrimination, bootstrap
with 1,000 resamples, weight sensitivity with 1,000 draws), and (c) each figure's ratio to a
floor measured in the same run: one vectorised numpy pass summing the same score array. The
nationwide totals and ranks of the fast path are checked against the Decimal path (unless
--quick). The last line is one JSON object. Not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from thidua.scoring.engine import (
    AdjustmentItem,
    ClusterAnalytics,
    Framework,
    Group,
    Leaf,
    LeafScores,
    Policy,
    Rule,
    SchoolPoints,
    SchoolReview,
    analyse_cluster,
    compute_from_points,
    final_school_points,
    framework_from_reference,
    rank_matrix,
)
from thidua.scoring.engine.decimals import quotient
from thidua.scoring.engine.fastpath import PointsMatrix, ScaledPoints, reconcile_scaled

REFERENCE = Path(__file__).resolve().parents[1] / "src/thidua/criteria/builtin/criteria-political-schools.yaml"
CLUSTER_SCHOOLS = 12
REVIEWERS = 3
NATIONWIDE_UNITS = 5_000
NATIONWIDE_GROUPS = 10  # × 2 sub-groups × 10 leaves = 200 leaves
RESAMPLES = 1_000
DRAWS = 1_000
SHARE = Decimal("0.2")
TARGETS = {"nationwide_rank_s": 1.0, "nationwide_floor_ratio": 20.0, "cluster_analytics_s": 0.5}


# -- synthetic data ---------------------------------------------------------------------------


def reference_framework() -> Framework:
    """The reference framework of the political schools' clusters."""
    with REFERENCE.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return framework_from_reference(document)


def _on_step(value: float, step: Decimal, top: Decimal) -> Decimal:
    steps = max(0, min(int(top / step), round(value / float(step))))
    return step * steps


def _leaf_points(leaf: Leaf, quality: float, rng: np.random.Generator) -> Decimal:
    """Points one scorer gives a school of this quality on this leaf (plausible, exact)."""
    top = leaf.max_points
    noisy = min(1.0, max(0.0, quality + float(rng.normal(0, 0.08))))
    if leaf.rule is Rule.MANUAL:
        return _on_step(noisy * float(top), leaf.step or Decimal("0.25"), top)
    if leaf.rule is Rule.PASS_FAIL:
        return top if noisy > 0.45 else Decimal(0)
    if leaf.rule is Rule.LEVELS:
        values = sorted(points for _, points in leaf.levels)
        return values[min(len(values) - 1, int(noisy * len(values)))]
    if leaf.rule is Rule.COUNT:
        each = leaf.points_each or Decimal(1)
        return min(top, each * round(noisy * float(top / each) * 1.2))
    # quantitative: a share of a target, an exact quotient like the engine's (max·A/T)
    target = int(rng.integers(20, 60))
    actual = round(target * noisy * 1.15)
    return min(top, quotient(top * actual, Decimal(target)))


JUDGED = (Rule.MANUAL, Rule.LEVELS)  # reviewers give their own points; on the other rules they confirm


def cluster_data(seed: int) -> tuple[Framework, list[SchoolReview]]:
    """12 schools, 3 reviewers each from the next three schools (never itself).

    On manual and levels leaves every reviewer judges (quality + the reviewer's own bias +
    noise); on the other rules reviewers confirm the verified value and correct it now and
    then. Schools overstate their own points a little, some more than others.
    """
    framework = reference_framework()
    rng = np.random.default_rng(seed)
    quality = rng.uniform(0.45, 0.95, size=CLUSTER_SCHOOLS)
    inflation = rng.uniform(0.0, 0.15, size=CLUSTER_SCHOOLS)
    bias = rng.normal(0, 0.05, size=CLUSTER_SCHOOLS)  # reviewer i belongs to school i
    schools: list[SchoolReview] = []
    for s in range(CLUSTER_SCHOOLS):
        reviewers = [(s + k) % CLUSTER_SCHOOLS for k in range(1, REVIEWERS + 1)]
        leaves: dict[str, LeafScores] = {}
        for leaf in framework.leaves():
            verified = _leaf_points(leaf, quality[s], rng)
            judged = leaf.rule in JUDGED
            if judged or rng.random() < inflation[s] * 2:
                own = _leaf_points(leaf, min(1.0, quality[s] + inflation[s]), rng)
            else:
                own = verified
            reviews: dict[str, Decimal] = {}
            for r in reviewers:
                if judged:
                    reviews[f"R{r + 1:02d}"] = _leaf_points(leaf, quality[s] + bias[r], rng)
                elif rng.random() < 0.05:  # a correction: the evidence supports less
                    reviews[f"R{r + 1:02d}"] = min(verified, _leaf_points(leaf, quality[s] - 0.15, rng))
                else:
                    reviews[f"R{r + 1:02d}"] = verified
            leaves[leaf.code] = LeafScores.of(own, reviews)
        schools.append(
            SchoolReview(
                code=f"T{s + 1:02d}",
                leaves=leaves,
                bonus={"B.1": Decimal(2) * int(rng.integers(0, 3)), "B.2": Decimal(int(rng.integers(0, 2)))},
                penalty={"P.1": Decimal("0.5") * int(rng.integers(0, 3))},
            )
        )
    return framework, schools


def nationwide_framework() -> Framework:
    """200 manual leaves (max 5, step 0.25) in 10 groups of 2 capped sub-groups; bonus, penalty."""
    groups = []
    for g in range(1, NATIONWIDE_GROUPS + 1):
        subgroups = tuple(
            Group(
                f"G{g}.{s}",
                f"Nhóm con {g}.{s}",
                Decimal(45),
                tuple(
                    Leaf(f"G{g}.{s}.{i}", f"Tiêu chí {g}.{s}.{i}", Decimal(5), Rule.MANUAL, step=Decimal("0.25"))
                    for i in range(1, 11)
                ),
            )
            for s in (1, 2)
        )
        groups.append(Group(f"G{g}", f"Nhóm {g}", Decimal(85), subgroups))
    return Framework(
        "Bảng tiêu chí tổng hợp toàn quốc (dữ liệu giả lập)",
        Decimal(85 * NATIONWIDE_GROUPS),
        tuple(groups),
        bonus=(
            AdjustmentItem("B.1", "Thưởng 1", Rule.COUNT, points_each=Decimal(1), cap=Decimal(3)),
            AdjustmentItem("B.2", "Thưởng 2", Rule.COUNT, points_each=Decimal(2), cap=Decimal(4)),
        ),
        penalty=(AdjustmentItem("P.1", "Trừ 1", Rule.COUNT, points_each=Decimal("0.5"), cap=Decimal(4)),),
        bonus_cap=Decimal(5),
        penalty_cap=Decimal(4),
    )


@dataclass(frozen=True)
class Nationwide:
    framework: Framework
    codes: list[str]
    reviews: npt.NDArray[np.int64]  # (reviewers, units, leaves), hundredths of a point
    bonus: npt.NDArray[np.int64]  # (units, items), hundredths
    penalty: npt.NDArray[np.int64]


def nationwide_data(seed: int) -> Nationwide:
    """5,000 units × 200 leaves × 3 reviewers, as integer hundredths of a point."""
    framework = nationwide_framework()
    rng = np.random.default_rng(seed)
    leaves = 20 * NATIONWIDE_GROUPS
    quality = rng.uniform(0.3, 1.0, size=(NATIONWIDE_UNITS, 1))
    difficulty = rng.uniform(-0.15, 0.15, size=(1, leaves))
    quarters = []
    for _ in range(REVIEWERS):
        noisy = np.clip(quality + difficulty + rng.normal(0, 0.1, size=(NATIONWIDE_UNITS, leaves)), 0, 1)
        quarters.append(np.rint(noisy * 20).astype(np.int64))  # 0..20 quarters of a point
    reviews = np.stack(quarters) * 25
    bonus = np.stack([rng.integers(0, 5, NATIONWIDE_UNITS) * 100, rng.integers(0, 3, NATIONWIDE_UNITS) * 200], axis=1)
    penalty = (rng.integers(0, 6, NATIONWIDE_UNITS) * 50)[:, np.newaxis]
    codes = [f"U{index:05d}" for index in range(NATIONWIDE_UNITS)]
    return Nationwide(framework, codes, reviews.astype(np.int64), bonus.astype(np.int64), penalty.astype(np.int64))


# -- timing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Median wall-clock time (the figure), median CPU time of the thread, and the fastest run."""

    wall: float
    cpu: float
    best: float


def measure(action: Callable[[], object], repeat: int) -> Timing:
    """Time `repeat` runs after one warm-up run (seconds)."""
    action()
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, wall = time.thread_time(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.thread_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus), min(walls))


def once(action: Callable[[], object]) -> float:
    """The wall time of one run (seconds)."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def machine() -> dict[str, object]:
    """What the figures ran on."""
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3g} ms"


def _line(label: str, timing: Timing, floor: Timing) -> str:
    return (
        f"{label}: {_ms(timing.wall)} (CPU {_ms(timing.cpu)}, best {_ms(timing.best)}); "
        f"floor {_ms(floor.wall)}; ratio {timing.wall / floor.wall:.1f}× (CPU {timing.cpu / floor.cpu:.1f}×)\n"
    )


def _points_of(data: Nationwide, reconciled: ScaledPoints) -> list[SchoolPoints]:
    """The reconciled points as `SchoolPoints` (Decimals), for the Decimal path."""
    leaf_codes = [leaf.code for leaf in data.framework.leaves()]
    bonus_codes = [item.code for item in data.framework.bonus]
    decimals = reconciled.decimals()
    return [
        SchoolPoints(
            code,
            leaves=dict(zip(leaf_codes, decimals[index], strict=True)),
            bonus={c: Decimal(int(v)).scaleb(-2) for c, v in zip(bonus_codes, data.bonus[index], strict=True)},
            penalty={"P.1": Decimal(int(data.penalty[index, 0])).scaleb(-2)},
        )
        for index, code in enumerate(data.codes)
    ]


def _matrix_of(data: Nationwide, reconciled: ScaledPoints) -> PointsMatrix:
    # hundredths → the reconciled points' scale (units of 1/(10**exponent · denominator))
    shift = 10 ** (reconciled.exponent - 2) * reconciled.denominator
    return PointsMatrix.from_scaled(
        data.framework,
        data.codes,
        reconciled.limbs,
        reconciled.exponent,
        bonus=data.bonus.astype(object) * shift,
        penalty=data.penalty.astype(object) * shift,
        denominator=reconciled.denominator,
    )


def nationwide_figures(seed: int, *, quick: bool) -> dict[str, object]:
    """(a) and (c) for the nationwide set, under the mean and the median policy."""
    say = sys.stdout.write
    data = nationwide_data(seed)
    tie_break = ("G1", "G2")
    out: dict[str, object] = {}
    reconciled = {policy: reconcile_scaled(data.reviews, 2, policy) for policy in (Policy.MEAN, Policy.MEDIAN)}
    reconcile = measure(lambda: reconcile_scaled(data.reviews, 2, Policy.MEAN), 5)
    for policy, scaled in reconciled.items():
        matrix = _matrix_of(data, scaled)
        timing = measure(lambda matrix=matrix: rank_matrix(matrix, tie_break), 31)  # type: ignore[misc]
        floor = measure(lambda matrix=matrix: np.add.reduce(matrix.data, axis=0), 101)  # type: ignore[misc]
        size = matrix.data.nbytes / 2**20
        say(
            _line(
                f"nationwide {NATIONWIDE_UNITS} × {len(matrix.plan.leaf_columns)} × {REVIEWERS}, {policy.value} of "
                f"reviewers ({matrix.limbs} int64 limb{'s' if matrix.limbs > 1 else ''} per value, 10^-"
                f"{matrix.exponent}, {size:.1f} MiB), aggregation + ranking",
                timing,
                floor,
            )
        )
        key = "nationwide" if policy is Policy.MEAN else "nationwide_median_policy"
        out.update(
            {
                f"{key}_rank_s": timing.wall,
                f"{key}_rank_cpu_s": timing.cpu,
                f"{key}_floor_s": floor.wall,
                f"{key}_floor_ratio": timing.wall / floor.wall,
                f"{key}_floor_ratio_cpu": timing.cpu / floor.cpu,
                f"{key}_limbs": matrix.limbs,
            }
        )
    say(f"  reconciling the 3 reviewers (mean, vectorised, exact): {_ms(reconcile.wall)}\n")
    out["nationwide_reconcile_s"] = reconcile.wall
    if quick:
        return out
    points = _points_of(data, reconciled[Policy.MEAN])
    convert_s = once(lambda: PointsMatrix.from_points(data.framework, points))
    start = time.perf_counter()
    expected = compute_from_points(data.framework, points, tie_break, explain=False)
    decimal_s = time.perf_counter() - start
    fast = rank_matrix(_matrix_of(data, reconciled[Policy.MEAN]), tie_break)
    totals = fast.totals()
    position = {code: index for index, code in enumerate(data.codes)}
    equal = all(
        totals[position[school.code]] == school.total and int(fast.ranks[position[school.code]]) == school.rank
        for school in expected.schools
    )
    say(
        f"  Decimal path (compute_from_points, no explanations) {decimal_s:.2f} s, one run; "
        f"Decimal → PointsMatrix {convert_s:.2f} s; fast totals and ranks equal to the Decimal path: "
        f"{'yes' if equal else 'NO'}\n"
    )
    out.update(nationwide_decimal_path_s=decimal_s, nationwide_convert_s=convert_s, nationwide_equal=equal)
    return out


def cluster_figures(seed: int) -> dict[str, object]:
    """(a), (b) and (c) for the cluster."""
    say = sys.stdout.write
    framework, reviews = cluster_data(seed)
    tie_break = ("I", "II")

    def analyse() -> ClusterAnalytics:
        return analyse_cluster(
            framework,
            reviews,
            Policy.MEAN,
            share=SHARE,
            seed=seed,
            tie_break=tie_break,
            resamples=RESAMPLES,
            draws=DRAWS,
            explain=True,
        )

    analytics = analyse()
    final = final_school_points(reviews, analytics.final)
    matrix = PointsMatrix.from_points(framework, final)
    fast = measure(lambda: rank_matrix(matrix, tie_break), 51)
    decimal = measure(lambda: compute_from_points(framework, final, tie_break), 21)
    floor = measure(lambda: np.add.reduce(matrix.data, axis=0), 201)
    full = measure(analyse, 9)
    review_array = np.array(
        [[[float(p) for p in school.leaves[leaf.code].points] for leaf in framework.leaves()] for school in reviews]
    )
    review_floor = measure(lambda: np.add.reduce(review_array, axis=(1, 2)), 201)
    leaves = len(matrix.plan.leaf_columns)
    say(_line(f"cluster {CLUSTER_SCHOOLS} schools × {leaves} leaves, aggregation + ranking, vectorised", fast, floor))
    say(_line("cluster aggregation + ranking, Decimal path with explanations", decimal, floor))
    say(
        _line(
            f"cluster full analytics ({RESAMPLES} bootstrap resamples, {DRAWS} weight draws, explanations)",
            full,
            review_floor,
        )
    )
    leader = analytics.results.schools[0].code
    say(
        f"  leader {leader}: P(rank 1) = {analytics.confidence.school(leader).probability_first:.3f}, rank interval "
        f"{analytics.confidence.school(leader).interval}; stays first under ±20 % group weights in "
        f"{analytics.sensitivity.leader_stays_first:.1%} of draws; {len(analytics.reconciliation.flagged)} flagged "
        f"leaves; {sum(1 for a in analytics.agreement if a.flagged)} of {leaves} leaves with α < 0.667\n"
    )
    return {
        "cluster_rank_s": fast.wall,
        "cluster_rank_decimal_s": decimal.wall,
        "cluster_floor_s": floor.wall,
        "cluster_rank_floor_ratio": fast.wall / floor.wall,
        "cluster_rank_decimal_floor_ratio": decimal.wall / floor.wall,
        "cluster_analytics_s": full.wall,
        "cluster_analytics_cpu_s": full.cpu,
        "cluster_analytics_floor_s": review_floor.wall,
        "cluster_analytics_floor_ratio": full.wall / review_floor.wall,
    }


def run(seed: int, *, quick: bool) -> dict[str, object]:
    """Measure everything; print a line per figure; return the figures."""
    before = machine()
    sys.stdout.write(
        f"Thi đua bench — seed {seed}; {before['cpus']} CPU ({before['cpu']}), Python {before['python']}, "
        f"numpy {before['numpy']}; load average {before['load_average_1m']}. Times are medians "
        "(wall clock; CPU time of the thread and the best run in brackets).\n"
    )
    figures: dict[str, object] = {"seed": seed}
    figures.update(nationwide_figures(seed, quick=quick))
    figures.update(cluster_figures(seed))
    after = machine()
    figures["machine"] = {**before, "load_average_1m_after": after["load_average_1m"]}
    met = {name: _number(figures[name]) < limit for name, limit in TARGETS.items()}
    figures["targets_met"] = met
    sys.stdout.write(
        "targets: "
        + "; ".join(f"{name} < {limit:g}: {'met' if met[name] else 'NOT met'}" for name, limit in TARGETS.items())
        + f" (load average {before['load_average_1m']} → {after['load_average_1m']})\n"
    )
    return figures


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.engine", description="Timings of the scoring engine.")
    parser.add_argument("--seed", type=int, default=2020, help="the seed of the synthetic data (default 2020)")
    parser.add_argument("--quick", action="store_true", help="skip the one-off Decimal-path check (about 20 s)")
    args = parser.parse_args(argv)
    figures = run(args.seed, quick=args.quick)
    sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
