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
