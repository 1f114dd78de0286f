"""Quantitative leaves: every formula, direction, per capita and a missing target, by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.scoring.engine.builders import (
    D,
    actual,
    explanation_of,
    points_by_school,
    quantitative,
    score_one_leaf,
)
from thidua.scoring.engine import Direction, InputError, LeafInput

RATIO = quantitative("I.3", "3", "ratio", target_registered=True, cap_ratio=D("1.0"))
LEADER = quantitative("II.1", "8", "target_and_leader", target_registered=True)
TIERS = quantitative("II.4", "4", "thresholds", tiers=((D(80), D(4)), (D(60), D(3)), (D(40), D(2)), (D(0), D(1))))
BEST = quantitative("III.3", "4", "relative_to_best", per_capita="lecturers")


# ---- ratio: max·min(A/T, cap) -------------------------------------------------------------


def test_ratio_gives_max_times_the_share_of_the_target() -> None:
    result = score_one_leaf(RATIO, {"A": actual("45", "50")})

    assert points_by_school(result, "I.3") == {"A": D("2.7")}
    assert explanation_of(result, "A", "I.3") == "Thực hiện 45/50 = 90 % chỉ tiêu → 3 × 0,9 = 2,7 điểm"


def test_ratio_above_the_target_is_capped_at_the_cap_ratio() -> None:
    result = score_one_leaf(RATIO, {"A": actual("60", "50")})

    assert points_by_school(result, "I.3") == {"A": D(3)}
    assert explanation_of(result, "A", "I.3") == (
        "Thực hiện 60/50 = 120 % chỉ tiêu, tính tối đa 100 % → 3 × 1 = 3 điểm"
    )


def test_ratio_with_a_cap_above_one_can_exceed_the_leafs_max() -> None:
    leaf = quantitative("R", "10", "ratio", target_registered=True, cap_ratio=D("1.2"))

    result = score_one_leaf(leaf, {"A": actual("55", "50"), "B": actual("70", "50")})

    assert points_by_school(result, "R") == {"A": D(11), "B": D(12)}


def test_ratio_with_an_actual_of_zero_gives_zero() -> None:
    result = score_one_leaf(RATIO, {"A": actual("0", "50")})

    assert points_by_school(result, "I.3") == {"A": D(0)}


def test_ratio_of_two_thirds_of_three_is_exactly_two() -> None:
    result = score_one_leaf(RATIO, {"A": actual("2", "3")})

    assert points_by_school(result, "I.3") == {"A": D(2)}
    assert explanation_of(result, "A", "I.3") == "Thực hiện 2/3 = 66,67 % chỉ tiêu → 3 × 0,6667 = 2 điểm"


def test_a_non_terminating_ratio_is_kept_exact_and_reads_as_its_twentieth_decimal() -> None:
    result = score_one_leaf(RATIO, {"A": actual("1", "3")})

    assert points_by_school(result, "I.3") == {"A": D("1")}
    leaf = quantitative("R", "2", "ratio", target_registered=True)
    result = score_one_leaf(leaf, {"A": actual("1", "3")})
    points = points_by_school(result, "R")["A"]
    assert points == Fraction(2, 3)
    assert points != D("0.66666666666666666667")
    assert str(points) == "0.66666666666666666667"  # what a DecimalField or an export holds
    assert explanation_of(result, "A", "R") == "Thực hiện 1/3 = 33,33 % chỉ tiêu → 2 × 0,3333 ≈ 0,67 điểm"


def test_ratio_lower_is_better_gives_max_times_target_over_actual() -> None:
    leaf = quantitative("L", "4", "ratio", target_registered=True, direction=Direction.LOWER)

    result = score_one_leaf(leaf, {"A": actual("10", "5"), "B": actual("4", "5"), "C": actual("0", "5")})

    assert points_by_school(result, "L") == {"A": D(2), "B": D(4), "C": D(4)}
    assert explanation_of(result, "A", "L") == (
        "Thấp hơn là tốt hơn: chỉ tiêu 5, thực hiện 10 → đạt 5/10 = 50 % → 4 × 0,5 = 2 điểm"
    )


# ---- thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [("95", "4"), ("80", "4"), ("79.99", "3"), ("60", "3"), ("45", "2"), ("0", "1")],
)
def test_thresholds_give_the_first_tier_the_actual_reaches(value: str, points: str) -> None:
    result = score_one_leaf(TIERS, {"A": actual(value)})

    assert points_by_school(result, "II.4") == {"A": D(points)}


def test_thresholds_explain_the_tier_reached() -> None:
    result = score_one_leaf(TIERS, {"A": actual("85")})

    assert explanation_of(result, "A", "II.4") == "Đạt 85, ngưỡng ≥ 80 → 4 điểm"


def test_thresholds_below_the_lowest_tier_give_zero() -> None:
    leaf = quantitative("T", "4", "thresholds", tiers=((D(90), D(4)), (D(60), D(2))))

    result = score_one_leaf(leaf, {"A": actual("59")})

    assert points_by_school(result, "T") == {"A": D(0)}
    assert explanation_of(result, "A", "T") == "Đạt 59, dưới ngưỡng thấp nhất 60 → 0 điểm"


@pytest.mark.parametrize(("value", "points"), [("0", "4"), ("1", "3"), ("2", "3"), ("5", "1"), ("6", "0")])
def test_thresholds_lower_is_better_give_the_first_tier_the_actual_stays_under(value: str, points: str) -> None:
    leaf = quantitative(
        "T", "4", "thresholds", direction=Direction.LOWER, tiers=((D(0), D(4)), (D(2), D(3)), (D(5), D(1)))
    )

    result = score_one_leaf(leaf, {"A": actual(value)})

    assert points_by_school(result, "T") == {"A": D(points)}


# ---- relative to best: max·A/A_best --------------------------------------------------------


def test_relative_to_best_compares_per_capita_values_with_the_clusters_best() -> None:
    result = score_one_leaf(
        BEST,
        {"X": actual("30"), "Y": actual("40"), "Z": actual("12")},
        {"X": {"lecturers": "20"}, "Y": {"lecturers": "25"}, "Z": {"lecturers": "10"}},
    )

    # 30/20 = 1.5, 40/25 = 1.6 (best), 12/10 = 1.2
    assert points_by_school(result, "III.3") == {"X": D("3.75"), "Y": D(4), "Z": D(3)}
    assert explanation_of(result, "X", "III.3") == (
        "Bình quân 30 ÷ 20 giảng viên = 1,5; đạt 1,5; cao nhất cụm 1,6 → 4 × 1,5/1,6 = 3,75 điểm"
    )


def test_relative_to_best_when_every_school_has_zero_gives_zero() -> None:
    leaf = quantitative("B", "4", "relative_to_best")

    result = score_one_leaf(leaf, {"X": actual("0"), "Y": actual("0")})

    assert points_by_school(result, "B") == {"X": D(0), "Y": D(0)}


def test_relative_to_best_lower_is_better_gives_max_times_best_over_actual() -> None:
    leaf = quantitative("B", "6", "relative_to_best", direction=Direction.LOWER)

    result = score_one_leaf(leaf, {"X": actual("2"), "Y": actual("3"), "Z": actual("8")})

    assert points_by_school(result, "B") == {"X": D(6), "Y": D(4), "Z": D("1.5")}


# ---- target and leader ---------------------------------------------------------------------


def test_target_and_leader_below_at_leader_and_above_the_target() -> None:
    result = score_one_leaf(
        LEADER,
        {
            "BELOW": actual("40", "50"),  # ½·8·40/50 = 3.2
            "AT": actual("50", "50"),  # ½·8 = 4
            "LEAD": actual("60", "48"),  # e = 12/48 = 25 % → 8
            "ABOVE": actual("55", "50"),  # e = 10 % → 4 + 4·10/25 = 5.6
            "ZERO": actual("0", "50"),  # 0
        },
    )

    assert points_by_school(result, "II.1") == {
        "BELOW": D("3.2"),
        "AT": D(4),
        "LEAD": D(8),
        "ABOVE": D("5.6"),
        "ZERO": D(0),
    }
    assert explanation_of(result, "BELOW", "II.1") == (
        "Thực hiện 40/50 = 80 % chỉ tiêu (chưa đạt) → ½ × 8 × 0,8 = 3,2 điểm"
    )
    assert explanation_of(result, "AT", "II.1") == "Thực hiện đúng chỉ tiêu 50 → ½ × 8 = 4 điểm"
    assert explanation_of(result, "LEAD", "II.1") == "Vượt chỉ tiêu 25 % (60/48), dẫn đầu cụm → 8 điểm (tối đa)"
    assert explanation_of(result, "ABOVE", "II.1") == (
        "Vượt chỉ tiêu 10 % (55/50); trường dẫn đầu vượt chỉ tiêu 25 % → ½ × 8 + ½ × 8 × 10/25 = 5,6 điểm"
    )


def test_target_and_leader_gives_tied_leaders_all_the_max() -> None:
    result = score_one_leaf(
        LEADER,
        {"C": actual("60", "48"), "G": actual("75", "60"), "D": actual("55", "50")},
    )

    assert points_by_school(result, "II.1") == {"C": D(8), "G": D(8), "D": D("5.6")}
    assert explanation_of(result, "G", "II.1") == "Vượt chỉ tiêu 25 % (75/60), đồng dẫn đầu cụm → 8 điểm (tối đa)"


def test_target_and_leader_leads_by_share_of_own_target_not_by_largest_actual() -> None:
    result = score_one_leaf(LEADER, {"BIG": actual("110", "100"), "SMALL": actual("12", "10")})

    # BIG exceeds by 10 %, SMALL by 20 %: SMALL leads.
    assert points_by_school(result, "II.1") == {"BIG": D(6), "SMALL": D(8)}


def test_target_and_leader_with_nobody_above_target_has_no_leader() -> None:
    result = score_one_leaf(LEADER, {"A": actual("50", "50"), "B": actual("25", "50")})

    assert points_by_school(result, "II.1") == {"A": D(4), "B": D(2)}


def test_target_and_leader_lower_is_better_mirrors_the_formula() -> None:
    leaf = quantitative("P", "6", "target_and_leader", target_registered=True, direction=Direction.LOWER)

    result = score_one_leaf(
        leaf,
        {
            "LEAD": actual("5", "10"),  # 50 % under target → 6
            "UNDER": actual("8", "10"),  # 20 % under → 3 + 3·20/50 = 4.2
            "AT": actual("10", "10"),  # 3
            "OVER": actual("20", "10"),  # ½·6·10/20 = 1.5
        },
    )

    assert points_by_school(result, "P") == {"LEAD": D(6), "UNDER": D("4.2"), "AT": D(3), "OVER": D("1.5")}


# ---- missing target, per capita, refusals --------------------------------------------------


def test_a_school_without_a_target_is_scored_relative_to_the_best_actual() -> None:
    result = score_one_leaf(LEADER, {"LEAD": actual("60", "48"), "NONE": actual("30")})

    assert points_by_school(result, "II.1") == {"LEAD": D(8), "NONE": D(4)}
    assert explanation_of(result, "NONE", "II.1") == (
        "Không đăng ký chỉ tiêu → so với kết quả tốt nhất cụm: đạt 30; cao nhất cụm 60 → 8 × 30/60 = 4 điểm"
    )


def test_a_ratio_school_without_a_target_is_scored_relative_to_the_best_actual() -> None:
    result = score_one_leaf(RATIO, {"A": actual("45", "50"), "B": actual("30")})

    assert points_by_school(result, "I.3") == {"A": D("2.7"), "B": D(2)}


def test_per_capita_divides_the_actual_and_compares_with_a_per_capita_target() -> None:
    leaf = quantitative("II.6", "4", "ratio", target_registered=True, per_capita="lecturers")

    result = score_one_leaf(leaf, {"A": actual("120", "5")}, {"A": {"lecturers": "25"}})

    assert points_by_school(result, "II.6") == {"A": D("3.84")}
    assert explanation_of(result, "A", "II.6") == (
        "Bình quân 120 ÷ 25 giảng viên = 4,8; thực hiện 4,8/5 = 96 % chỉ tiêu → 4 × 0,96 = 3,84 điểm"
    )


def test_per_capita_with_a_zero_size_measure_is_a_clear_error() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(BEST, {"A": actual("30")}, {"A": {"lecturers": "0"}})

    [problem] = caught.value.problems
    assert (problem.code, problem.school, problem.node) == ("size_not_positive", "A", "III.3")
    assert problem.message == "Số đo quy mô 'lecturers' (giảng viên) bằng 0; không thể chia bình quân."


def test_per_capita_with_a_missing_size_measure_is_a_clear_error() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(BEST, {"A": actual("30")}, {"A": {"staff": "40"}})

    [problem] = caught.value.problems
    assert problem.code == "size_missing"
    assert problem.message == "Hồ sơ năm của trường thiếu số đo quy mô 'lecturers' (giảng viên) để tính bình quân."


def test_a_negative_actual_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(RATIO, {"A": actual("-1", "50")})

    assert [problem.code for problem in caught.value.problems] == ["negative_actual"]


def test_a_target_of_zero_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(LEADER, {"A": actual("5", "0")})

    assert [problem.code for problem in caught.value.problems] == ["target_not_positive"]


def test_a_target_for_a_leaf_without_registered_targets_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(TIERS, {"A": actual("85", "90")})

    assert [problem.code for problem in caught.value.problems] == ["target_not_expected"]


def test_a_target_without_an_actual_scores_zero_as_missing() -> None:
    result = score_one_leaf(LEADER, {"A": LeafInput(target=D(50)), "B": actual("60", "50")})

    assert points_by_school(result, "II.1") == {"A": D(0), "B": D(8)}
    assert result.school("A").leaves["II.1"].missing
