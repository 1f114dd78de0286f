"""Exact arithmetic inside the engine: equal totals reached by different routes tie exactly,
and the configured tie-break decides (PRODUCT.md §3: totals and ties use unrounded values)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from tests.scoring.engine.builders import D, actual, quantitative
from thidua.scoring.engine import (
    ClusterInput,
    Framework,
    Group,
    Leaf,
    LeafInput,
    Policy,
    Rule,
    SchoolInput,
    compute_cluster,
    reconcile_points,
)
from thidua.scoring.engine.decimals import Exact, display, fraction_str, parse_exact, quotient
from thidua.scoring.engine.fastpath import PointsMatrix, rank_matrix, reconcile_scaled
from thidua.scoring.engine.points import SchoolPoints, compute_from_points


def _manual(code: str) -> Leaf:
    return Leaf(code, f"Tiêu chí {code}", D(1), Rule.MANUAL)


FRAMEWORK = Framework(
    "Bảng thử",
    D(4),
    (
        Group("I", "Nhóm I", D(3), (_manual("I.1"), _manual("I.2"), _manual("I.3"))),
        Group("II", "Nhóm II", D(1), (_manual("II.1"),)),
    ),
)


def test_a_third_is_kept_exactly_and_three_thirds_make_one() -> None:
    third = reconcile_points([D(0), D(0), D(1)], Policy.MEAN)
    assert isinstance(third, Exact)
    assert third == Fraction(1, 3)
    assert third + third + third == D(1)  # rounded at the 20th decimal this was 0.99999999999999999999
    assert quotient(D(1), D(3)) + quotient(D(2), D(3)) == D(1)
    assert str(third) == "0.33333333333333333333"  # what a DecimalField or an export holds
    assert (fraction_str(third), parse_exact("1/3")) == ("1/3", third)
    assert display(quotient(D(2), D(3))) == "0.67"


def _schools() -> list[SchoolPoints]:
    third = reconcile_points([D(0), D(0), D(1)], Policy.MEAN)  # 1/3: a mean of three reviewers
    assert third is not None
    return [
        # A: 1/3 + 1/3 + 1/3 in group I, 0.5 in group II
        SchoolPoints("A", leaves={"I.1": third, "I.2": third, "I.3": third, "II.1": D("0.5")}),
        # B: 1 + 0 + 0 in group I, 0.5 in group II: the same total 1.5 by another route
        SchoolPoints("B", leaves={"I.1": D(1), "I.2": D(0), "I.3": D(0), "II.1": D("0.5")}),
        # C: 0.5 + 1 in group I, 0 in group II: the same total again; wins group I
        SchoolPoints("C", leaves={"I.1": D("0.5"), "I.2": D(1), "II.1": D(0)}),
    ]


def test_equal_totals_by_different_routes_tie_exactly_and_the_tie_break_decides() -> None:
    result = compute_from_points(FRAMEWORK, _schools(), tie_break=("I", "I.1"))
    totals = {school.code: school.total for school in result.schools}
    assert totals == {"A": D("1.5"), "B": D("1.5"), "C": D("1.5")}
    # group I: C 1.5 > A 1 = B 1; then leaf I.1: B 1 > A 1/3
    assert [(school.code, school.rank_label) for school in result.schools] == [("C", "1"), ("B", "2"), ("A", "3")]
    assert "xếp dưới vì điểm I.1 0,33 < 1" in result.school("A").ranking.note
    untied = compute_from_points(FRAMEWORK, _schools())
    assert [school.rank_label for school in untied.schools] == ["1=", "1=", "1="]


def test_the_fast_path_ties_the_same_schools_exactly() -> None:
    ranking = rank_matrix(PointsMatrix.from_points(FRAMEWORK, _schools()), ("I", "I.1"))
    assert ranking.ranks.tolist() == [3, 2, 1]
    assert ranking.totals() == [D("1.5")] * 3
    assert rank_matrix(PointsMatrix.from_points(FRAMEWORK, _schools())).ranks.tolist() == [1, 1, 1]


def test_a_mean_on_the_fast_path_is_exact_too() -> None:
    reviews = [[[0, 3]], [[0, 3]], [[1, 2]]]  # 3 reviewers × 1 school × 2 leaves, in units of 1
    means = reconcile_scaled(reviews, 0, Policy.MEAN).decimals()
    assert means == [[Fraction(1, 3), Fraction(8, 3)]]
    assert means[0][0] + means[0][1] == D(3)


def test_quantitative_points_that_do_not_terminate_add_up_exactly() -> None:
    # Three ratio leaves of max 1 at 1/3 of target each: exactly 1, like a manual 1.
    leaves = tuple(quantitative(f"Q.{n}", "1", "ratio", target_registered=True) for n in (1, 2, 3))
    framework = Framework(
        "Bảng thử", D(4), (Group("Q", "Nhóm Q", D(3), leaves), Group("M", "Nhóm M", D(1), (_manual("M.1"),)))
    )
    inputs = ClusterInput(
        (
            SchoolInput("A", leaves={f"Q.{n}": actual("1", "3") for n in (1, 2, 3)}),
            SchoolInput("B", leaves={"Q.1": actual("3", "3"), "M.1": _points("0")}),
        ),
        tie_break=("M.1",),
    )
    result = compute_cluster(framework, inputs)
    assert result.school("A").total == result.school("B").total == D(1)
    assert [(school.code, school.rank_label) for school in result.schools] == [("A", "1="), ("B", "1=")]


def _points(value: str) -> LeafInput:
    return LeafInput(points=Decimal(value))


def test_totals_shown_alike_that_differ_say_so_in_full() -> None:
    schools = [
        SchoolPoints("A", leaves={"I.1": D("0.601"), "II.1": D(1)}),
        SchoolPoints("B", leaves={"I.1": D("0.6"), "II.1": D(1)}),
    ]
    result = compute_from_points(FRAMEWORK, schools)
    assert [(school.code, school.rank) for school in result.schools] == [("A", 1), ("B", 2)]
    assert result.school("B").ranking.note == (
        "Tổng điểm hiển thị bằng A (1,6) nhưng tính đầy đủ 1,6 < 1,601 → xếp dưới"
    )


def test_verify_reads_an_exported_twenty_decimal_value_back_as_its_simplest_fraction() -> None:
    from thidua.scoring.verify import simplest_reading

    assert simplest_reading("8.66666666666666666667") == Fraction(26, 3)
    assert simplest_reading("0.30303030303030303030") == Fraction(10, 33)
    assert simplest_reading("2.5") is None  # not an exact value's 20-decimal reading
    assert simplest_reading("abc.12345678901234567890") is None
