"""Framework validation: every problem with its code, node, severity and Vietnamese message."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.scoring.engine.builders import D, framework_of, quantitative
from thidua.scoring.engine import (
    AdjustmentItem,
    Condition,
    Direction,
    Framework,
    Group,
    Leaf,
    Problem,
    Rule,
    Severity,
    validate_framework,
)


def manual(code: str, max_points: str, **options: object) -> Leaf:
    return Leaf(code, f"Tiêu chí {code}", D(max_points), Rule.MANUAL, **options)  # type: ignore[arg-type]


def codes(problems: list[Problem]) -> list[tuple[str, str, str]]:
    return [(problem.code, problem.node, problem.severity.value) for problem in problems]


def test_a_sound_framework_has_no_problems() -> None:
    assert validate_framework(framework_of(manual("I.1", "4", step=D("0.5")), manual("I.2", "6"))) == []


def test_groups_maxima_must_add_up_to_the_framework_total() -> None:
    framework = replace(framework_of(manual("I.1", "10")), total=D(100))

    problems = validate_framework(framework)

    assert codes(problems) == [("groups_total_mismatch", "", "error")]
    assert problems[0].message == "Điểm tối đa của các nhóm cộng lại là 10, khác tổng điểm 100 của bảng tiêu chí."


def test_leaves_adding_up_to_more_than_their_group_is_only_a_notice() -> None:
    problems = validate_framework(framework_of(manual("I.1", "6"), manual("I.2", "6"), group_max="10"))

    assert codes(problems) == [("children_exceed_group", "I", "notice")]
    assert problems[0].message == (
        "Các tiêu chí của nhóm I cộng lại 12 điểm, nhiều hơn mức tối đa 10 của nhóm; "
        "điểm của nhóm sẽ được giới hạn ở 10."
    )


def test_leaves_adding_up_to_less_than_their_group_is_an_error() -> None:
    problems = validate_framework(framework_of(manual("I.1", "4"), group_max="10"))

    assert codes(problems) == [("children_below_group", "I", "error")]


def test_codes_must_be_unique_across_the_framework() -> None:
    framework = framework_of(
        manual("I.1", "5"),
        manual("I.1", "5"),
        bonus=(AdjustmentItem("I", "Thưởng", Rule.COUNT, points_each=D(1)),),
    )

    assert codes(validate_framework(framework)) == [
        ("duplicate_code", "I", "error"),
        ("duplicate_code", "I.1", "error"),
    ]


@pytest.mark.parametrize(
    ("leaf", "expected"),
    [
        (manual("I.1", "0"), "max_not_positive"),
        (manual("I.1", "2", step=D(0)), "step_not_positive"),
        (manual("I.1", "2", step=D("0.3")), "max_not_multiple_of_step"),
        (Leaf("I.1", "Mức", D(3), Rule.LEVELS), "levels_missing"),
        (Leaf("I.1", "Mức", D(3), Rule.LEVELS, levels=(("Tốt", D(4)), ("Khá", D(3)))), "level_points_out_of_range"),
        (Leaf("I.1", "Mức", D(3), Rule.LEVELS, levels=(("Tốt", D(3)), ("Tốt", D(2)))), "duplicate_level"),
        (Leaf("I.1", "Số lần", D(3), Rule.COUNT), "points_each_missing"),
        (Leaf("I.1", "Số lần", D(3), Rule.COUNT, points_each=D(0)), "points_each_not_positive"),
        (Leaf("I.1", "Định lượng", D(3), Rule.QUANTITATIVE), "formula_missing"),
        (quantitative("I.1", "3", "ratio"), "target_required"),
        (quantitative("I.1", "3", "target_and_leader"), "target_required"),
        (quantitative("I.1", "3", "ratio", target_registered=True, cap_ratio=D(0)), "cap_ratio_not_positive"),
        (quantitative("I.1", "3", "thresholds"), "tiers_missing"),
        (quantitative("I.1", "3", "thresholds", tiers=((D(40), D(1)), (D(80), D(3)))), "tiers_not_ordered"),
        (quantitative("I.1", "3", "thresholds", tiers=((D(80), D(3)), (D(80), D(2)))), "tiers_not_ordered"),
        (quantitative("I.1", "3", "thresholds", tiers=((D(80), D(5)),)), "tier_points_out_of_range"),
        (quantitative("I.1", "3", "thresholds", tiers=((D(80), D(2)), (D(40), D(3)))), "tier_points_not_monotone"),
        (quantitative("I.1", "3", "relative_to_best", per_capita=" "), "per_capita_empty"),
        (Leaf("I.1", " ", D(3), Rule.PASS_FAIL), "title_empty"),
    ],
)
def test_a_leaf_with_a_missing_or_wrong_parameter_is_an_error(leaf: Leaf, expected: str) -> None:
    problems = validate_framework(framework_of(leaf, group_max="3"))

    errors = [problem.code for problem in problems if problem.severity is Severity.ERROR]
    assert expected in errors


def test_thresholds_for_lower_is_better_must_ascend() -> None:
    leaf = quantitative("I.1", "4", "thresholds", direction=Direction.LOWER, tiers=((D(0), D(4)), (D(2), D(3))))
    wrong = replace(leaf, tiers=((D(2), D(4)), (D(0), D(3))))

    assert validate_framework(framework_of(leaf)) == []
    problems = validate_framework(framework_of(wrong))
    assert codes(problems) == [("tiers_not_ordered", "I.1", "error")]
    assert problems[0].message == (
        "Các ngưỡng của I.1 phải xếp tăng dần (thấp hơn là tốt hơn) và không trùng nhau: 2, 0."
    )


def test_a_ratio_cap_above_one_is_a_notice_that_the_leaf_may_exceed_its_max() -> None:
    leaf = quantitative("I.1", "10", "ratio", target_registered=True, cap_ratio=D("1.2"))

    problems = validate_framework(framework_of(leaf))

    assert codes(problems) == [("cap_ratio_above_one", "I.1", "notice")]
    assert problems[0].message == (
        "Tỷ lệ trần 1,2 > 1: I.1 có thể cho tới 12 điểm, vượt điểm tối đa 10 (điểm nhóm vẫn bị giới hạn)."
    )


def test_parameters_the_rule_does_not_use_are_notices() -> None:
    leaf = manual("I.1", "2", points_each=D(1), direction=Direction.LOWER)

    assert codes(validate_framework(framework_of(leaf))) == [
        ("unused_parameter", "I.1", "notice"),
        ("unused_parameter", "I.1", "notice"),
    ]


def test_a_registered_target_on_a_formula_without_target_is_a_notice() -> None:
    leaf = quantitative("I.1", "4", "relative_to_best", target_registered=True)

    assert codes(validate_framework(framework_of(leaf))) == [("target_not_used", "I.1", "notice")]


def test_unknown_keys_are_kept_and_noted() -> None:
    leaf = replace(manual("I.1", "2"), extra={"weight_note": "x"})

    problems = validate_framework(framework_of(leaf))

    assert codes(problems) == [("unused_key", "I.1", "notice")]


def test_bonus_and_penalty_items_need_their_parameters() -> None:
    framework = framework_of(
        manual("I.1", "2"),
        bonus=(
            AdjustmentItem("B.1", "Thưởng", Rule.COUNT),
            AdjustmentItem("B.2", "Thưởng mức", Rule.LEVELS),
            AdjustmentItem("B.3", "Thưởng", Rule.PASS_FAIL),
        ),
        penalty=(AdjustmentItem("P.1", "Trừ", Rule.COUNT, points_each=D(1), cap=D(0)),),
        penalty_cap=D(-1),
    )

    assert codes(validate_framework(framework)) == [
        ("cap_negative", "", "error"),
        ("points_each_missing", "B.1", "error"),
        ("levels_missing", "B.2", "error"),
        ("rule_not_allowed", "B.3", "error"),
        ("cap_not_positive", "P.1", "error"),
    ]


def test_a_condition_that_blocks_nothing_is_a_notice() -> None:
    framework = framework_of(manual("I.1", "2"), conditions=(Condition("C.1", "Điều kiện", ()),))

    assert codes(validate_framework(framework)) == [("condition_blocks_nothing", "C.1", "notice")]


def test_an_empty_group_and_a_framework_without_groups_are_errors() -> None:
    empty_group = Framework("Rỗng", D(5), (Group("I", "Nhóm I", D(5), ()),))
    no_groups = Framework("Rỗng", D(5), ())

    assert codes(validate_framework(empty_group)) == [("group_empty", "I", "error")]
    assert codes(validate_framework(no_groups)) == [("no_groups", "", "error")]
