"""Competition ranks with the tie-break order, and eligibility from conditions."""

from __future__ import annotations

from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    ClusterInput,
    Condition,
    ConditionStatus,
    Framework,
    Group,
    Leaf,
    LeafInput,
    Rule,
    SchoolInput,
    competition_ranks,
    compute_cluster,
)

FRAMEWORK = Framework(
    "Hai nhóm",
    D(20),
    (
        Group("I", "Nhóm I", D(10), (Leaf("I.1", "Tiêu chí I.1", D(10), Rule.MANUAL),)),
        Group("II", "Nhóm II", D(10), (Leaf("II.1", "Tiêu chí II.1", D(10), Rule.MANUAL),)),
    ),
    conditions=(
        Condition("C.1", "Không có cán bộ bị kỷ luật", ("Cờ thi đua", "Bằng khen")),
        Condition("C.2", "Hoàn thành xuất sắc nhiệm vụ", ("Cờ thi đua",)),
    ),
)


def school(code: str, group_1: str, group_2: str, **conditions: bool) -> SchoolInput:
    return SchoolInput(
        code,
        leaves={"I.1": LeafInput(points=D(group_1)), "II.1": LeafInput(points=D(group_2))},
        conditions={key.replace("_", "."): value for key, value in conditions.items()},
    )


def ranks(*schools: SchoolInput, tie_break: tuple[str, ...] = ()) -> dict[str, str]:
    result = compute_cluster(FRAMEWORK, ClusterInput(schools, tie_break))
    return {entry.code: entry.rank_label for entry in result.schools}


def test_competition_ranks_share_a_rank_and_skip_the_next() -> None:
    assert competition_ranks([(D(9),), (D(9),), (D(1),)]) == [1, 1, 3]
    assert competition_ranks([(D(5),), (D(7),), (D(5),), (D(1),)]) == [2, 1, 2, 4]


def test_equal_totals_without_tie_break_share_the_rank_shown_with_equals() -> None:
    assert ranks(school("A", "9", "6"), school("B", "7", "8"), school("C", "5", "5")) == {
        "A": "1=",
        "B": "1=",
        "C": "3",
    }


def test_the_tie_break_order_decides_between_equal_totals() -> None:
    result = compute_cluster(
        FRAMEWORK,
        ClusterInput((school("A", "7", "8"), school("B", "9", "6"), school("C", "5", "5")), ("I", "II")),
    )

    assert [(entry.code, entry.rank_label) for entry in result.schools] == [("B", "1"), ("A", "2"), ("C", "3")]
    assert result.school("B").ranking.note == "Bằng tổng điểm với A; xếp trên vì điểm I 9 > 7"
    assert result.school("A").ranking.note == "Bằng tổng điểm với B; xếp dưới vì điểm I 7 < 9"


def test_the_tie_break_order_is_followed_in_the_order_given() -> None:
    assert ranks(school("A", "7", "8"), school("B", "9", "6"), tie_break=("II", "I")) == {"A": "1", "B": "2"}


def test_a_tie_that_remains_after_the_tie_break_stands() -> None:
    result = compute_cluster(
        FRAMEWORK,
        ClusterInput((school("A", "8", "7"), school("B", "8", "7"), school("C", "9", "6")), ("I",)),
    )

    assert [(entry.code, entry.rank_label) for entry in result.schools] == [("C", "1"), ("A", "2="), ("B", "2=")]
    assert result.school("A").ranking.note == (
        "Bằng tổng điểm với B và bằng điểm ở mọi tiêu chí phụ (I) → đồng hạng; "
        "Bằng tổng điểm với C; xếp dưới vì điểm I 8 < 9"
    )


def test_ranks_use_unrounded_totals() -> None:
    assert ranks(school("A", "5.004", "5"), school("B", "5.001", "5")) == {"A": "1", "B": "2"}


def test_a_failed_condition_blocks_the_titles_it_names() -> None:
    result = compute_cluster(FRAMEWORK, ClusterInput((school("A", "9", "9", C_1=False, C_2=True),)))

    eligibility = result.school("A").eligibility
    assert eligibility.conditions == {"C.1": ConditionStatus.NOT_MET, "C.2": ConditionStatus.MET}
    assert [(blocked.title, blocked.conditions) for blocked in eligibility.blocked] == [
        ("Cờ thi đua", ("C.1",)),
        ("Bằng khen", ("C.1",)),
    ]
    assert eligibility.blocked[1].explanation == (
        "Không đủ điều kiện xét «Bằng khen»: C.1 «Không có cán bộ bị kỷ luật» không đạt"
    )
    assert eligibility.eligible_titles == ()


def test_a_school_meeting_every_condition_is_eligible_for_every_title() -> None:
    result = compute_cluster(FRAMEWORK, ClusterInput((school("A", "9", "9", C_1=True, C_2=True),)))

    eligibility = result.school("A").eligibility
    assert eligibility.blocked == ()
    assert eligibility.eligible_titles == ("Cờ thi đua", "Bằng khen")
    assert eligibility.is_eligible("Cờ thi đua")


def test_a_condition_not_assessed_blocks_its_titles_and_says_so() -> None:
    result = compute_cluster(FRAMEWORK, ClusterInput((school("A", "9", "9", C_1=True),)))

    eligibility = result.school("A").eligibility
    assert eligibility.eligible_titles == ("Bằng khen",)
    assert eligibility.blocked[0].explanation == (
        "Không đủ điều kiện xét «Cờ thi đua»: C.2 «Hoàn thành xuất sắc nhiệm vụ» chưa được đánh giá"
    )


def test_conditions_never_change_points_or_rank() -> None:
    failing = compute_cluster(
        FRAMEWORK, ClusterInput((school("A", "9", "9", C_1=False, C_2=False), school("B", "5", "5", C_1=True)))
    )
    passing = compute_cluster(
        FRAMEWORK, ClusterInput((school("A", "9", "9", C_1=True, C_2=True), school("B", "5", "5", C_1=True)))
    )

    assert [(entry.code, entry.total, entry.rank) for entry in failing.schools] == [
        (entry.code, entry.total, entry.rank) for entry in passing.schools
    ]
