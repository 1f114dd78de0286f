"""A school's total: capped groups, bonus and penalty with their caps, never below 0."""

from __future__ import annotations

import pytest

from tests.scoring.engine.builders import D, framework_of
from thidua.scoring.engine import (
    AdjustmentItem,
    ClusterInput,
    Framework,
    FrameworkError,
    Group,
    InputError,
    Leaf,
    LeafInput,
    Rule,
    SchoolInput,
    compute_cluster,
)


def manual(code: str, max_points: str) -> Leaf:
    return Leaf(code, f"Tiêu chí {code}", D(max_points), Rule.MANUAL)


def given(**points: str) -> dict[str, LeafInput]:
    return {code.replace("_", "."): LeafInput(points=D(value)) for code, value in points.items()}


BONUS = (
    AdjustmentItem("B.1", "Khen thưởng đột xuất", Rule.COUNT, points_each=D(2), cap=D(4)),
    AdjustmentItem("B.2", "Sáng kiến", Rule.COUNT, points_each=D(1), cap=D(3)),
    AdjustmentItem("B.3", "Trường chuẩn", Rule.LEVELS, levels=(("Mức 2", D(3)), ("Mức 1", D(2))), cap=D(3)),
)
PENALTY = (
    AdjustmentItem("P.1", "Nộp chậm", Rule.COUNT, points_each=D("0.5"), cap=D(3)),
    AdjustmentItem("P.2", "Kỷ luật", Rule.COUNT, points_each=D(2), cap=D(6)),
)


def test_a_group_sums_its_children_below_its_cap() -> None:
    framework = framework_of(manual("I.1", "3"), manual("I.2", "3"), group_max="5")
    inputs = ClusterInput((SchoolInput("A", leaves=given(I_1="2", I_2="2.5")),))

    group = compute_cluster(framework, inputs).school("A").groups["I"]

    assert (group.raw, group.points, group.capped) == (D("4.5"), D("4.5"), False)
    assert group.explanation == "Cộng 4,5 điểm (tối đa 5)"


def test_a_group_cap_binds_when_its_children_add_up_to_more() -> None:
    framework = framework_of(manual("I.1", "3"), manual("I.2", "3"), group_max="5")
    inputs = ClusterInput((SchoolInput("A", leaves=given(I_1="3", I_2="2.5")),))

    result = compute_cluster(framework, inputs).school("A")

    assert (result.groups["I"].raw, result.groups["I"].points, result.groups["I"].capped) == (D("5.5"), D(5), True)
    assert result.groups["I"].explanation == "Cộng 5,5 điểm, vượt mức tối đa 5 của nhóm → 5 điểm"
    assert result.total == D(5)


def test_nested_groups_are_capped_at_every_level() -> None:
    inner = Group("I.2", "Nhóm con", D(2), (manual("I.2.a", "2"), manual("I.2.b", "2")))
    framework = Framework("Lồng nhau", D(5), (Group("I", "Nhóm I", D(5), (manual("I.1", "3"), inner)),))
    inputs = ClusterInput((SchoolInput("A", leaves=given(I_1="3", I_2_a="1.5", I_2_b="1.5")),))

    result = compute_cluster(framework, inputs).school("A")

    assert list(result.groups) == ["I", "I.2"]
    assert result.groups["I.2"].points == D(2)
    assert result.groups["I"].points == D(5)


def test_bonus_items_are_capped_each_and_then_in_total() -> None:
    framework = framework_of(manual("I.1", "10"), bonus=BONUS, bonus_cap=D(8))
    school = SchoolInput(
        "A",
        leaves=given(I_1="5"),
        bonus={"B.1": LeafInput(count=3), "B.2": LeafInput(count=2), "B.3": LeafInput(level="Mức 2")},
    )

    result = compute_cluster(framework, ClusterInput((school,))).school("A")

    items = {code: item.points for code, item in result.bonus.items.items()}
    assert items == {"B.1": D(4), "B.2": D(2), "B.3": D(3)}  # B.1: 3 × 2 = 6, capped at 4
    assert (result.bonus.raw, result.bonus.points) == (D(9), D(8))
    assert result.bonus.items["B.1"].explanation == "3 × 2 điểm = 6 điểm, vượt mức tối đa 4 → 4 điểm"
    assert result.bonus.explanation == "Tổng điểm thưởng 9, vượt mức tối đa 8 → 8 điểm"
    assert result.total == D(13)


def test_penalty_items_are_capped_each_and_then_in_total() -> None:
    framework = framework_of(manual("I.1", "10"), penalty=PENALTY, penalty_cap=D(5))
    school = SchoolInput("A", leaves=given(I_1="10"), penalty={"P.1": LeafInput(count=8), "P.2": LeafInput(count=1)})

    result = compute_cluster(framework, ClusterInput((school,))).school("A")

    assert {code: item.points for code, item in result.penalty.items.items()} == {"P.1": D(3), "P.2": D(2)}
    assert (result.penalty.raw, result.penalty.points) == (D(5), D(5))
    assert result.total == D(5)
    assert result.explanation == "Tổng = 10 (các nhóm) + 0 (thưởng) − 5 (trừ) = 5 điểm"


def test_the_total_never_goes_below_zero() -> None:
    framework = framework_of(manual("I.1", "10"), penalty=PENALTY, penalty_cap=D(10))
    school = SchoolInput("A", leaves=given(I_1="2"), penalty={"P.2": LeafInput(count=3)})

    result = compute_cluster(framework, ClusterInput((school,))).school("A")

    assert result.penalty.points == D(6)
    assert result.total == D(0)
    assert result.explanation == "Tổng = 2 (các nhóm) + 0 (thưởng) − 6 (trừ) = -4, không thấp hơn 0 → 0 điểm"


def test_bonus_may_lift_the_total_above_the_framework_total() -> None:
    framework = framework_of(manual("I.1", "10"), bonus=BONUS, bonus_cap=D(10))
    school = SchoolInput("A", leaves=given(I_1="10"), bonus={"B.1": LeafInput(count=1)})

    assert compute_cluster(framework, ClusterInput((school,))).school("A").total == D(12)


def test_a_manual_bonus_item_is_capped_and_refused_when_negative() -> None:
    item = AdjustmentItem("B.9", "Thưởng trực tiếp", Rule.MANUAL, step=D("0.5"), cap=D(2))
    framework = framework_of(manual("I.1", "10"), bonus=(item,))
    ok = SchoolInput("A", bonus={"B.9": LeafInput(points=D("2.5"))})
    bad = SchoolInput("B", bonus={"B.9": LeafInput(points=D("-1"))})

    assert compute_cluster(framework, ClusterInput((ok,))).school("A").bonus.points == D(2)
    with pytest.raises(InputError) as caught:
        compute_cluster(framework, ClusterInput((bad,)))
    assert [(p.school, p.node, p.code) for p in caught.value.problems] == [("B", "B.9", "out_of_range")]


def test_inputs_for_codes_the_framework_does_not_have_are_refused() -> None:
    framework = framework_of(manual("I.1", "10"))
    school = SchoolInput("A", leaves=given(I_9="1"), bonus={"B.1": LeafInput(count=1)}, conditions={"C.1": True})

    with pytest.raises(InputError) as caught:
        compute_cluster(framework, ClusterInput((school,), tie_break=("II",)))

    assert [(p.code, p.node) for p in caught.value.problems] == [
        ("unknown_leaf", "I.9"),
        ("unknown_bonus_item", "B.1"),
        ("unknown_condition", "C.1"),
        ("unknown_tie_break", "II"),
    ]


def test_two_schools_with_the_same_code_are_refused() -> None:
    framework = framework_of(manual("I.1", "10"))

    with pytest.raises(InputError) as caught:
        compute_cluster(framework, ClusterInput((SchoolInput("A"), SchoolInput("A"))))

    assert [p.code for p in caught.value.problems] == ["duplicate_school"]


def test_a_framework_with_errors_is_refused_before_computing() -> None:
    framework = framework_of(manual("I.1", "10"), group_max="12")

    with pytest.raises(FrameworkError) as caught:
        compute_cluster(framework, ClusterInput((SchoolInput("A"),)))

    assert [p.code for p in caught.value.problems] == ["children_below_group"]


def test_the_same_inputs_always_give_the_same_results() -> None:
    framework = framework_of(manual("I.1", "10"), bonus=BONUS, bonus_cap=D(8))
    inputs = ClusterInput(
        tuple(SchoolInput(code, leaves=given(I_1=value)) for code, value in [("A", "3.3"), ("B", "7"), ("C", "3.3")])
    )

    assert compute_cluster(framework, inputs) == compute_cluster(framework, inputs)


def test_explanations_can_be_skipped_for_bulk_runs() -> None:
    framework = framework_of(manual("I.1", "10"))
    inputs = ClusterInput((SchoolInput("A", leaves=given(I_1="3")),))

    result = compute_cluster(framework, inputs, explain=False).school("A")

    assert (result.total, result.leaves["I.1"].explanation, result.explanation) == (D(3), "", "")


def test_an_empty_cluster_gives_no_results() -> None:
    assert compute_cluster(framework_of(manual("I.1", "10")), ClusterInput(())).schools == ()
