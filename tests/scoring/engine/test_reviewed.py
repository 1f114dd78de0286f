"""A reviewer's points from the values the reviewer entered (engine.reviewed), by hand."""

from __future__ import annotations

from tests.scoring.engine.builders import D, framework_of, quantitative, school
from thidua.scoring.engine import Leaf, LeafInput, Rule
from thidua.scoring.engine.reviewed import reviewer_points

MANUAL = Leaf("A", "Tự nhập", D(4), Rule.MANUAL, step=D("0.5"))
LEVELS = Leaf("B", "Theo mức", D(3), Rule.LEVELS, levels=(("Tốt", D(3)), ("Khá", D(2))))
COUNT = Leaf("C", "Đếm", D(4), Rule.COUNT, points_each=D("0.5"))
BEST = quantitative("D", "5", "relative_to_best")
FRAMEWORK = framework_of(MANUAL, LEVELS, COUNT, BEST)
INPUTS = {
    "X": school(
        "X", A=LeafInput(points=D(4)), B=LeafInput(level="Tốt"), C=LeafInput(count=6), D=LeafInput(actual=D(80))
    ),
    "Y": school(
        "Y", A=LeafInput(points=D(2)), B=LeafInput(level="Khá"), C=LeafInput(count=2), D=LeafInput(actual=D(100))
    ),
}


def test_the_schools_input_stands_where_the_reviewer_entered_nothing_except_manual_and_levels():
    found = reviewer_points(FRAMEWORK, INPUTS, {"X": {"R1": {}}})
    # manual and levels: not scored by a reviewer who left them empty
    assert set(found.points["X"]) == {"C", "D"}
    assert found.points["X"]["C"] == {"R1": D(3)}  # 6 × 0.5, the school's count
    assert found.points["X"]["D"] == {"R1": D(4)}  # 80 / best 100 × 5


def test_corrections_replace_the_schools_input_and_the_others_stay_self_assessed():
    corrections = {
        "X": {
            "R1": {"A": LeafInput(points=D("2.5")), "B": LeafInput(level="Khá"), "C": LeafInput(count=20)},
            "R2": {"D": LeafInput(actual=D(120))},
        },
        "Y": {"R3": {"D": LeafInput(actual=D(50))}},
    }
    found = reviewer_points(FRAMEWORK, INPUTS, corrections)
    assert found.points["X"]["A"] == {"R1": D("2.5")}
    assert found.points["X"]["B"] == {"R1": D(2)}
    assert found.points["X"]["C"] == {"R1": D(4), "R2": D(3)}  # 20 × 0.5 capped at 4; R2 kept the school's 6
    # X at 120 is now the best: full points for R2; R1 kept the school's 80 against Y's own 100
    assert found.points["X"]["D"] == {"R1": D(4), "R2": D(5)}
    # Y's reviewer is measured against X's self-assessed 80, not against R2's correction
    assert found.points["Y"]["D"] == {"R3": D("3.125")}
    assert found.problems == []


def test_a_refused_correction_leaves_that_reviewer_out_and_says_why():
    found = reviewer_points(FRAMEWORK, INPUTS, {"X": {"R1": {"B": LeafInput(level="Xuất sắc")}, "R2": {}}})
    assert "R1" not in found.points["X"].get("C", {})
    assert found.points["X"]["C"] == {"R2": D(3)}
    assert found.problems
    assert "Xuất sắc" in found.problems[0]


# --- the fast computation agrees with the rule computed the long way ---------------------------

import random  # noqa: E402
from decimal import Decimal  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402

from tests.scoring.engine.builders import REFERENCE_YAML  # noqa: E402
from thidua.scoring.engine import Framework, SchoolInput, framework_from_reference  # noqa: E402
from thidua.scoring.engine.reviewed import _reviewer_points_by_cluster  # noqa: E402

REFERENCE = framework_from_reference(yaml.safe_load(REFERENCE_YAML.read_text(encoding="utf-8")))


def _value(leaf: Leaf, rng: random.Random) -> LeafInput:
    if leaf.rule is Rule.MANUAL:
        step = leaf.step or D(1)
        return LeafInput(points=step * rng.randint(0, int(leaf.max_points / step)))
    if leaf.rule is Rule.PASS_FAIL:
        return LeafInput(passed=rng.random() < 0.7)
    if leaf.rule is Rule.LEVELS:
        return LeafInput(level=rng.choice([name for name, _ in leaf.levels]))
    if leaf.rule is Rule.COUNT:
        return LeafInput(count=rng.randint(0, 12))
    target = Decimal(rng.randint(40, 120)) if leaf.uses_target else None
    return LeafInput(actual=Decimal(rng.randint(0, 150)), target=target)


def _cluster(framework: Framework, seed: int, schools: int = 7) -> tuple[dict, dict]:
    rng = random.Random(seed)
    measures = {leaf.per_capita for leaf in framework.leaves() if leaf.per_capita}
    inputs = {}
    for n in range(schools):
        code = f"S{n}"
        leaves = {leaf.code: _value(leaf, rng) for leaf in framework.leaves() if rng.random() < 0.9}
        profile = {name: Decimal(rng.randint(5, 60)) for name in measures}
        inputs[code] = SchoolInput(code, profile=profile, leaves=leaves)
    corrections = {
        code: {
            f"R{r}": {leaf.code: _value(leaf, rng) for leaf in framework.leaves() if rng.random() < 0.5}
            for r in range(3)
        }
        for code in inputs
    }
    return inputs, corrections


@pytest.mark.parametrize("seed", range(12))
def test_the_fast_way_gives_the_points_of_the_whole_cluster_per_reviewer(seed):
    inputs, corrections = _cluster(REFERENCE, seed)
    fast = reviewer_points(REFERENCE, inputs, corrections)
    slow = _reviewer_points_by_cluster(REFERENCE, inputs, corrections)
    assert fast.points == slow.points
    assert fast.problems == slow.problems == []
    assert sum(len(by) for leaves in fast.points.values() for by in leaves.values()) > 100


def test_refused_inputs_read_the_same_both_ways():
    inputs, corrections = _cluster(REFERENCE, 99)
    levels = next(leaf for leaf in REFERENCE.leaves() if leaf.rule is Rule.LEVELS)
    corrections["S1"]["R0"] = {**corrections["S1"]["R0"], levels.code: LeafInput(level="Không có mức này")}
    fast = reviewer_points(REFERENCE, inputs, corrections)
    slow = _reviewer_points_by_cluster(REFERENCE, inputs, corrections)
    assert (fast.points, fast.problems) == (slow.points, slow.problems)
    assert len(fast.problems) == 1
    # A refused self-assessed input: every reviewer is computed the long way.
    broken = dict(inputs)
    broken["S2"] = SchoolInput("S2", leaves={**inputs["S2"].leaves, levels.code: LeafInput(level="?")})
    fast = reviewer_points(REFERENCE, broken, corrections)
    slow = _reviewer_points_by_cluster(REFERENCE, broken, corrections)
    assert (fast.points, fast.problems) == (slow.points, slow.problems)


# --- a school without a target on a target leaf is scored against the cluster's best ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.scoring.engine.builders import actual  # noqa: E402
from thidua.scoring.engine import ClusterInput, compute_cluster  # noqa: E402

RATIO = quantitative("R", "3", "ratio", target_registered=True)
LEADER = quantitative("T", "8", "target_and_leader", target_registered=True)


def test_a_reviewer_of_a_school_without_a_target_scores_it_against_the_best_as_the_school_did():
    # Bạc Liêu registered no target for a ratio leaf: 70 against the cluster's best 100 → 2.1.
    framework = framework_of(RATIO, LEADER)
    inputs = {
        "BL": school("BL", R=actual("70"), T=actual("30")),
        "TG": school("TG", R=actual("100", "120"), T=actual("60", "50")),
    }
    self_points = compute_cluster(framework, ClusterInput(tuple(inputs.values())), explain=False).school("BL")
    assert self_points.leaves["R"].points == D("2.1")
    assert self_points.leaves["T"].points == D("4")  # 8 × 30/60
    corrections = {"BL": {"R1": {}, "R2": {"R": actual("80"), "T": actual("45")}}}
    found = reviewer_points(framework, inputs, corrections)
    assert found.points["BL"]["R"] == {"R1": D("2.1"), "R2": D("2.4")}  # 80/100 × 3
    assert found.points["BL"]["T"] == {"R1": D("4"), "R2": D("6")}  # 8 × 45/60
    assert found.points == _reviewer_points_by_cluster(framework, inputs, corrections).points


_DIFFERENTIAL_LEAVES = (
    RATIO,
    LEADER,
    quantitative("L", "4", "ratio", target_registered=True, direction="lower"),
    quantitative("P", "5", "target_and_leader", target_registered=True, per_capita="lecturers"),
    quantitative("B", "4", "relative_to_best"),
    quantitative("H", "4", "thresholds", tiers=((D(80), D(4)), (D(40), D(2)))),
)
_DIFFERENTIAL = framework_of(*_DIFFERENTIAL_LEAVES)
_amounts = st.integers(0, 150).map(Decimal)
_targets = st.integers(1, 120).map(Decimal)


@st.composite
def _entry(draw: st.DrawFn, leaf: Leaf, *, with_targets: bool) -> LeafInput | None:
    if draw(st.integers(0, 9)) == 0:
        return None
    target = draw(st.none() | _targets) if leaf.uses_target and with_targets else None
    return LeafInput(actual=draw(_amounts), target=target)


@st.composite
def _reviewed_cluster(draw: st.DrawFn) -> tuple[dict[str, SchoolInput], dict[str, dict[str, dict[str, LeafInput]]]]:
    # Some leaves have no target at all in the cluster; on the others, some schools have none.
    with_targets = {leaf.code: draw(st.booleans()) for leaf in _DIFFERENTIAL_LEAVES}
    inputs: dict[str, SchoolInput] = {}
    corrections: dict[str, dict[str, dict[str, LeafInput]]] = {}
    for n in range(draw(st.integers(1, 5))):
        code = f"S{n}"
        leaves = {}
        for leaf in _DIFFERENTIAL_LEAVES:
            entry = draw(_entry(leaf, with_targets=with_targets[leaf.code]))
            if entry is not None:
                leaves[leaf.code] = entry
        inputs[code] = SchoolInput(code, profile={"lecturers": Decimal(draw(st.integers(1, 40)))}, leaves=leaves)
        corrections[code] = {}
        for r in range(draw(st.integers(0, 3))):  # reviewers who disagree with each other
            changes = {}
            for leaf in _DIFFERENTIAL_LEAVES:
                if draw(st.booleans()):
                    entry = draw(_entry(leaf, with_targets=draw(st.booleans())))
                    if entry is not None:
                        changes[leaf.code] = entry
            corrections[code][f"R{r}"] = changes
    return inputs, corrections


@settings(database=None, deadline=None, max_examples=200)
@given(_reviewed_cluster())
def test_the_fast_way_agrees_with_the_whole_cluster_where_targets_are_missing(cluster):
    inputs, corrections = cluster
    fast = reviewer_points(_DIFFERENTIAL, inputs, corrections)
    slow = _reviewer_points_by_cluster(_DIFFERENTIAL, inputs, corrections)
    assert fast.points == slow.points
    assert fast.problems == slow.problems
