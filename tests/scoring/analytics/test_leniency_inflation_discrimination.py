"""Reviewer leniency, self-inflation and discrimination on hand-computed examples."""

from __future__ import annotations

from fractions import Fraction

from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    Framework,
    Group,
    Leaf,
    LeafScores,
    Rule,
    SchoolReview,
    leaf_discrimination,
    reviewer_leniency,
    self_inflation,
)

FRAMEWORK = Framework(
    "F",
    D(10),
    (
        Group("I", "I", D(6), (Leaf("I.1", "t", D(4), Rule.MANUAL), Leaf("I.2", "t", D(4), Rule.MANUAL))),
        Group("II", "II", D(4), (Leaf("II.1", "t", D(4), Rule.MANUAL),)),
    ),
)

SCHOOLS = [
    SchoolReview(
        "A",
        {
            "I.1": LeafScores.of(D(4), {"x": D(3), "y": D(2)}),
            "I.2": LeafScores.of(D(4), {"x": D(4), "y": D(3)}),
            "II.1": LeafScores.of(D(2), {"x": D(2), "y": D(2)}),
        },
        bonus={},
    ),
    SchoolReview(
        "B",
        {
            "I.1": LeafScores.of(D(1), {"x": D(2), "z": D(1)}),
            "II.1": LeafScores.of(None, {"x": D(4), "z": D(2)}),
        },
    ),
]
FINAL = {
    "A": {"I.1": D("2.5"), "I.2": D("3.5"), "II.1": D(2)},
    "B": {"I.1": D("1.5"), "I.2": D(0), "II.1": D(3)},
}


def test_leniency_is_the_mean_deviation_from_the_final_score() -> None:
    results = {r.reviewer: r for r in reviewer_leniency(FRAMEWORK, SCHOOLS, FINAL)}
    # x: A +0.5, +0.5, 0; B +0.5, +1 → 2.5 / 5 = 0.5; absolute the same
    assert results["x"].count == 5
    assert results["x"].schools == 2
    assert results["x"].mean_deviation == D("0.5")
    assert results["x"].mean_absolute_deviation == D("0.5")
    # share of max: (0.5 + 0.5 + 0 + 0.5 + 1) / 4 / 5 = 0.125
    assert results["x"].mean_share_of_max == D("0.125")
    # y: −0.5, −0.5, 0 → −1/3
    assert results["y"].mean_deviation == Fraction(-1, 3)
    # z: −0.5, −1 → −0.75; |·| 0.75
    assert results["z"].mean_deviation == D("-0.75")
    assert results["z"].mean_absolute_deviation == D("0.75")
    assert [r.reviewer for r in reviewer_leniency(FRAMEWORK, SCHOOLS, FINAL)] == ["x", "y", "z"]  # most lenient first


def test_leniency_skips_leaves_without_a_final_score() -> None:
    results = {r.reviewer: r for r in reviewer_leniency(FRAMEWORK, SCHOOLS, {"A": {"I.1": D(3)}})}
    assert set(results) == {"x", "y"}
    assert results["x"].count == 1
    assert results["x"].mean_deviation == D(0)
    assert results["y"].mean_deviation == D(-1)


def test_self_inflation_per_school_and_leaf() -> None:
    report = self_inflation(FRAMEWORK, SCHOOLS, FINAL)
    a = report.school("A")
    # self: I = min(8, 6) = 6, II = 2 → 8; final: I = min(6, 6) = 6, II = 2 → 8
    assert (a.self_total, a.final_total, a.total) == (D(8), D(8), D(0))
    assert a.leaf_sum == D(2)  # +1.5 + 0.5 + 0: the cap of group I hides it in the totals
    assert [(leaf.leaf, leaf.difference) for leaf in a.leaves] == [("I.1", D("1.5")), ("I.2", D("0.5")), ("II.1", D(0))]
    b = report.school("B")
    # self: I.1 1 (II.1 not self-assessed → 0) = 1; final 1.5 + 0 + 3 = 4.5
    assert (b.self_total, b.final_total, b.total) == (D(1), D("4.5"), D("-3.5"))
    assert b.leaf_sum == D("-0.5")
    assert b.leaves[2].difference is None
    summary = {leaf.leaf: leaf for leaf in report.leaves}
    assert (summary["I.1"].count, summary["I.1"].total, summary["I.1"].mean) == (2, D(1), D("0.5"))
    assert (summary["I.1"].overstated, summary["I.1"].understated) == (1, 1)
    assert summary["II.1"].count == 1
    assert summary["I.2"].mean == D("0.5")


def test_discrimination_flags_a_leaf_where_everyone_gets_the_same() -> None:
    final = {
        "A": {"I.1": D(3), "I.2": D(4), "II.1": D(1)},
        "B": {"I.1": D(3), "I.2": D("2.5")},
        "C": {"I.1": D(3), "I.2": D(4)},
    }
    results = {r.leaf: r for r in leaf_discrimination(FRAMEWORK, final)}
    assert results["I.1"].flagged
    assert results["I.1"].spread == D(0)
    assert results["I.1"].distinct == 1
    assert "không phân biệt được các trường" in results["I.1"].message
    assert not results["I.2"].flagged
    assert (results["I.2"].minimum, results["I.2"].maximum, results["I.2"].spread) == (D("2.5"), D(4), D("1.5"))
    assert results["I.2"].spread_share == D("0.375")
    assert results["I.2"].distinct == 2
    assert (results["II.1"].minimum, results["II.1"].spread) == (D(0), D(1))  # missing counts 0


def test_discrimination_with_one_school_is_not_flagged() -> None:
    results = leaf_discrimination(FRAMEWORK, {"A": {"I.1": D(3)}})
    assert not any(result.flagged for result in results)
