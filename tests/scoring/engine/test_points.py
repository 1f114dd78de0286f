"""Totals and ranks from final leaf points: hand-computed, and equal to compute_cluster."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    AdjustmentItem,
    ClusterInput,
    Condition,
    Framework,
    Group,
    InputError,
    Leaf,
    LeafInput,
    PointsPlan,
    Rule,
    SchoolInput,
    SchoolPoints,
    compute_cluster,
    compute_from_points,
)

FRAMEWORK = Framework(
    "Bảng có nhóm con",
    D(10),
    (
        Group(
            "I",
            "Nhóm I",
            D(6),
            (
                Leaf("I.1", "Tiêu chí I.1", D(3), Rule.MANUAL),
                Group(
                    "I.A",
                    "Nhóm con I.A",
                    D(3),
                    (Leaf("I.A.1", "Tiêu chí", D(2), Rule.MANUAL), Leaf("I.A.2", "Tiêu chí", D(2), Rule.MANUAL)),
                ),
            ),
        ),
        Group("II", "Nhóm II", D(4), (Leaf("II.1", "Tiêu chí II.1", D(5), Rule.MANUAL),)),
    ),
    bonus=(
        AdjustmentItem("B.1", "Thưởng", Rule.COUNT, points_each=D(1), cap=D(2)),
        AdjustmentItem("B.2", "Thưởng", Rule.MANUAL),
    ),
    penalty=(AdjustmentItem("P.1", "Trừ", Rule.COUNT, points_each=D(1), cap=D(5)),),
    bonus_cap=D(3),
    penalty_cap=D(4),
    conditions=(Condition("C.1", "Không kỷ luật", ("Cờ thi đua",)),),
)


def test_hand_computed_caps_bonus_penalty_and_floor_at_zero() -> None:
    schools = [
        # I.A: 2 + 1.5 = 3.5 → 3; I: 2.5 + 3 = 5.5; II: 5 → 4; bonus min(3, 2) + 2 = 4 → 3; penalty 1
        SchoolPoints(
            "A",
            {"I.1": D("2.5"), "I.A.1": D(2), "I.A.2": D("1.5"), "II.1": D(5)},
            {"B.1": D(3), "B.2": D(2)},
            {"P.1": D(1)},
        ),
        # groups 1; penalty 5 → 4 (the item cap 5, the total cap 4); 1 − 4 < 0 → 0
        SchoolPoints("B", {"I.1": D(1)}, penalty={"P.1": D(5)}, conditions={"C.1": True}),
    ]
    result = compute_from_points(FRAMEWORK, schools, ("I",))
    a = result.school("A")
    assert a.groups["I.A"].raw == D("3.5")
    assert a.groups["I.A"].points == D(3)
    assert a.groups["I"].points == D("5.5")
    assert a.groups["II"].points == D(4)
    assert a.bonus.raw == D(4)
    assert a.bonus.points == D(3)
    assert a.total == D("11.5")
    assert a.explanation == "Tổng = 9,5 (các nhóm) + 3 (thưởng) − 1 (trừ) = 11,5 điểm"
    b = result.school("B")
    assert b.penalty.points == D(4)
    assert b.total == D(0)
    assert b.leaves["II.1"].missing
    assert not b.leaves["I.1"].missing
    assert [school.code for school in result.schools] == ["A", "B"]
    assert not a.eligibility.is_eligible("Cờ thi đua")  # C.1 not assessed
    assert b.eligibility.is_eligible("Cờ thi đua")


def test_ties_and_tie_break_with_notes() -> None:
    schools = [
        SchoolPoints("X", {"I.1": D(2), "II.1": D(3)}),
        SchoolPoints("Y", {"I.1": D(3), "II.1": D(2)}),
        SchoolPoints("Z", {"I.1": D(2), "II.1": D(3)}),
    ]
    result = compute_from_points(FRAMEWORK, schools, ("I",))
    assert [(s.code, s.rank_label) for s in result.schools] == [("Y", "1"), ("X", "2="), ("Z", "2=")]
    assert result.school("Y").ranking.note.startswith("Bằng tổng điểm với X; xếp trên vì điểm I 3 > 2")
    untied = compute_from_points(FRAMEWORK, schools)
    assert [s.rank_label for s in untied.schools] == ["1=", "1=", "1="]


def test_notes_become_leaf_explanations() -> None:
    school = SchoolPoints("A", {"I.1": D(2)}, notes={"I.1": "Trung bình 3 người chấm"})
    assert compute_from_points(FRAMEWORK, [school]).school("A").leaves["I.1"].explanation == "Trung bình 3 người chấm"


def test_bad_points_are_refused_with_every_problem() -> None:
    schools = [
        SchoolPoints("A", {"I.9": D(1), "I.1": D(-1)}, {"B.9": D(1)}),
        SchoolPoints("A", {"I.1": Decimal("NaN")}),
    ]
    with pytest.raises(InputError) as caught:
        compute_from_points(FRAMEWORK, schools, ("IX",))
    codes = sorted(problem.code for problem in caught.value.problems)
    assert codes == [
        "duplicate_school",
        "negative_points",
        "points_not_decimal",
        "unknown_bonus_item",
        "unknown_leaf",
        "unknown_tie_break",
    ]


def test_plan_key_matches_the_result() -> None:
    plan = PointsPlan.of(FRAMEWORK, ("I", "I.A.1"))
    leaves = {"I.1": D("2.5"), "I.A.1": D(2), "I.A.2": D("1.5"), "II.1": D(5)}
    # bonus min(3, 2) = 2: 9.5 + 2 − 1
    assert plan.school_key(leaves, {"B.1": D(3)}, {"P.1": D(1)}) == (D("10.5"), D("5.5"), D(2))


points_of = st.decimals(min_value=0, max_value=5, places=2)


@settings(database=None, deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(points_of, points_of, points_of, points_of, st.integers(0, 4), st.integers(0, 6)),
        min_size=1,
        max_size=8,
    )
)
def test_same_as_compute_cluster_on_manual_leaves(
    rows: list[tuple[Decimal, Decimal, Decimal, Decimal, int, int]],
) -> None:
    """Manual leaves score their points, so both paths must give identical results."""
    framework = Framework(
        FRAMEWORK.name,
        FRAMEWORK.total,
        tuple(
            Group(
                group.code,
                group.title,
                group.max_points,
                tuple(
                    Group(
                        c.code,
                        c.title,
                        c.max_points,
                        tuple(Leaf(x.code, x.title, D(5), Rule.MANUAL) for x in c.children),
                    )  # type: ignore[union-attr]
                    if isinstance(c, Group)
                    else Leaf(c.code, c.title, D(5), Rule.MANUAL)
                    for c in group.children
                ),
            )
            for group in FRAMEWORK.groups
        ),
        bonus=(AdjustmentItem("B.1", "Thưởng", Rule.COUNT, points_each=D(1), cap=D(2)),),
        penalty=(AdjustmentItem("P.1", "Trừ", Rule.COUNT, points_each=D(1), cap=D(5)),),
        bonus_cap=D(3),
        penalty_cap=D(4),
    )
    codes = ["I.1", "I.A.1", "I.A.2", "II.1"]
    inputs = ClusterInput(
        tuple(
            SchoolInput(
                f"S{index}",
                leaves={code: LeafInput(points=value) for code, value in zip(codes, row[:4], strict=True)},
                bonus={"B.1": LeafInput(count=row[4])},
                penalty={"P.1": LeafInput(count=row[5])},
            )
            for index, row in enumerate(rows)
        ),
        ("I.A", "II.1"),
    )
    expected = compute_cluster(framework, inputs)
    points = [
        SchoolPoints(
            f"S{index}",
            dict(zip(codes, row[:4], strict=True)),
            {"B.1": D(min(row[4], 2))},
            {"P.1": D(row[5])},
        )
        for index, row in enumerate(rows)
    ]
    actual = compute_from_points(framework, points, ("I.A", "II.1"))
    for mine, theirs in zip(actual.schools, expected.schools, strict=True):
        assert mine.code == theirs.code
        assert mine.total == theirs.total
        assert mine.ranking == theirs.ranking
        assert mine.explanation == theirs.explanation
        assert {c: (g.raw, g.points, g.explanation) for c, g in mine.groups.items()} == {
            c: (g.raw, g.points, g.explanation) for c, g in theirs.groups.items()
        }
        assert (mine.bonus.points, mine.penalty.points) == (theirs.bonus.points, theirs.penalty.points)
