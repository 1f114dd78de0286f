"""Manual, pass/fail, levels and count leaves: hand-computed points and refusals."""

from __future__ import annotations

import pytest

from tests.scoring.engine.builders import D, explanation_of, points_by_school, score_one_leaf
from thidua.scoring.engine import InputError, Leaf, LeafInput, Rule

MANUAL = Leaf("I.4", "Phong trào thi đua", D("2"), Rule.MANUAL, step=D("0.25"))
PASS_FAIL = Leaf("I.2", "Dân chủ cơ sở", D("2"), Rule.PASS_FAIL)
LEVELS = Leaf("I.1", "Kế hoạch công tác", D("3"), Rule.LEVELS, levels=(("Tốt", D(3)), ("Khá", D(2)), ("Đạt", D(1))))
COUNT = Leaf("II.3", "Thao giảng", D("4"), Rule.COUNT, points_each=D("0.5"))


def test_manual_points_on_the_step_are_kept_exactly() -> None:
    result = score_one_leaf(MANUAL, {"A": LeafInput(points=D("1.75"))})

    assert points_by_school(result, "I.4") == {"A": D("1.75")}
    assert explanation_of(result, "A", "I.4") == "Chấm trực tiếp: 1,75/2 điểm"


def test_manual_points_off_the_step_are_refused_not_rounded() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(MANUAL, {"A": LeafInput(points=D("1.3"))})

    [problem] = caught.value.problems
    assert (problem.code, problem.school, problem.node) == ("off_step", "A", "I.4")
    assert problem.message == (
        "Điểm 1,3 không đúng bước 0,25 (gần nhất: 1,25 hoặc 1,5); điểm không được làm tròn tự động."
    )


@pytest.mark.parametrize("value", ["-0.25", "2.25"])
def test_manual_points_outside_zero_to_max_are_refused(value: str) -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(MANUAL, {"A": LeafInput(points=D(value))})

    assert [problem.code for problem in caught.value.problems] == ["out_of_range"]


def test_manual_points_at_zero_and_at_max_are_accepted() -> None:
    result = score_one_leaf(MANUAL, {"A": LeafInput(points=D("0")), "B": LeafInput(points=D("2.00"))})

    assert points_by_school(result, "I.4") == {"A": D(0), "B": D(2)}


def test_a_manual_leaf_without_step_accepts_any_value_in_range() -> None:
    leaf = Leaf("M", "Tự do", D("3"), Rule.MANUAL)

    result = score_one_leaf(leaf, {"A": LeafInput(points=D("1.333"))})

    assert points_by_school(result, "M") == {"A": D("1.333")}


def test_pass_fail_gives_max_or_zero() -> None:
    result = score_one_leaf(PASS_FAIL, {"A": LeafInput(passed=True), "B": LeafInput(passed=False)})

    assert points_by_school(result, "I.2") == {"A": D(2), "B": D(0)}
    assert explanation_of(result, "A", "I.2") == "Đạt → 2 điểm"
    assert explanation_of(result, "B", "I.2") == "Không đạt → 0 điểm"


def test_levels_give_the_named_levels_points() -> None:
    result = score_one_leaf(LEVELS, {"A": LeafInput(level="Khá")})

    assert points_by_school(result, "I.1") == {"A": D(2)}
    assert explanation_of(result, "A", "I.1") == "Mức «Khá» → 2 điểm (tối đa 3)"


def test_an_unknown_level_is_refused_with_the_valid_levels() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(LEVELS, {"A": LeafInput(level="Xuất sắc")})

    [problem] = caught.value.problems
    assert problem.code == "unknown_level"
    assert problem.message == "Mức «Xuất sắc» không có trong thang chấm (các mức: «Tốt», «Khá», «Đạt»)."


def test_count_multiplies_occurrences_by_points_each() -> None:
    result = score_one_leaf(COUNT, {"A": LeafInput(count=5)})

    assert points_by_school(result, "II.3") == {"A": D("2.5")}
    assert explanation_of(result, "A", "II.3") == "5 × 0,5 điểm = 2,5 điểm"


def test_count_is_capped_at_the_leafs_max() -> None:
    result = score_one_leaf(COUNT, {"A": LeafInput(count=10)})

    assert points_by_school(result, "II.3") == {"A": D(4)}
    assert explanation_of(result, "A", "II.3") == "10 × 0,5 điểm = 5 điểm, vượt mức tối đa 4 → 4 điểm"


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(COUNT, {"A": LeafInput(count=-1)})

    assert [problem.code for problem in caught.value.problems] == ["bad_count"]


def test_an_input_field_the_rule_does_not_read_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(MANUAL, {"A": LeafInput(points=D(1), level="Tốt")})

    [problem] = caught.value.problems
    assert problem.code == "wrong_input_field"
    assert problem.message == "Quy tắc chấm trực tiếp nhận 'points', không nhận 'level'."


def test_a_leaf_without_input_scores_zero_and_is_marked_missing() -> None:
    result = score_one_leaf(MANUAL, {"A": LeafInput()})

    leaf = result.school("A").leaves["I.4"]
    assert (leaf.points, leaf.missing, leaf.explanation) == (D(0), True, "Chưa có số liệu → 0 điểm")


def test_every_refused_input_of_the_cluster_is_listed_at_once() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(
            MANUAL,
            {"A": LeafInput(points=D("1.1")), "B": LeafInput(points=D(1)), "C": LeafInput(points=D(5))},
        )

    assert [(p.school, p.code) for p in caught.value.problems] == [("A", "off_step"), ("C", "out_of_range")]


def test_schools_entering_the_same_value_get_equal_results() -> None:
    result = score_one_leaf(COUNT, {"A": LeafInput(count=3), "B": LeafInput(count=3), "C": LeafInput(count=2)})

    assert points_by_school(result, "II.3") == {"A": D("1.5"), "B": D("1.5"), "C": D(1)}
    assert explanation_of(result, "B", "II.3") == "3 × 0,5 điểm = 1,5 điểm"


def test_a_true_or_false_count_is_refused_even_when_another_school_entered_one() -> None:
    with pytest.raises(InputError) as caught:
        score_one_leaf(COUNT, {"A": LeafInput(count=1), "B": LeafInput(count=True)})

    assert [(p.school, p.code) for p in caught.value.problems] == [("B", "bad_count")]
