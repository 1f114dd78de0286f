"""The vectorised path gives the same totals and ranks as the Decimal path, exactly."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    AdjustmentItem,
    Framework,
    Group,
    InputError,
    Leaf,
    PointsMatrix,
    Policy,
    ReconciliationError,
    Rule,
    SchoolPoints,
    compute_from_points,
    rank_matrix,
    reconcile_points,
    reconcile_scaled,
)

quick = settings(database=None, deadline=None, max_examples=120)


def decimal_values(max_places: int = 22, max_digits: int = 26) -> st.SearchStrategy[Decimal]:
    """Exact decimals with 0 to `max_places` decimal places (up to 3 limbs of int64)."""
    return st.builds(
        lambda digits, places: Decimal(digits).scaleb(-places),
        st.integers(0, 10**max_digits - 1) | st.integers(0, 400),
        st.integers(0, max_places),
    )


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    """1–3 groups; children are leaves or sub-groups; caps that bind or not."""
    counter = iter(range(1000))

    def leaf() -> Leaf:
        top = draw(st.sampled_from([D(1), D(2), D("2.5"), D(5), D(10)]))
        return Leaf(f"L{next(counter)}", "Tiêu chí", top, Rule.MANUAL)

    def group(depth: int) -> Group:
        children: list[Group | Leaf] = []
        for _ in range(draw(st.integers(1, 4))):
            children.append(group(depth + 1) if depth < 2 and draw(st.booleans()) else leaf())
        room = sum((child.max_points for child in children), D(0))
        share = draw(st.sampled_from([D(1), D("0.8"), D("0.5")]))
        top = min(room, max((room * share).quantize(D("0.01")), D("0.01")))
        if draw(st.booleans()):  # a cap with more than 10 decimal places: a non-zero lower limb
            top -= D("1.23e-18")
        return Group(f"G{next(counter)}", "Nhóm", top, tuple(children))

    groups = tuple(group(0) for _ in range(draw(st.integers(1, 3))))
    bonus = (
        AdjustmentItem("B.1", "Thưởng", Rule.MANUAL, cap=D(3)),
        AdjustmentItem("B.2", "Thưởng", Rule.MANUAL),
    )
    penalty = (AdjustmentItem("P.1", "Trừ", Rule.MANUAL, cap=D("2.5")),)
    return Framework(
        "Ngẫu nhiên",
        sum((g.max_points for g in groups), D(0)),
        groups,
        bonus=bonus,
        penalty=penalty,
        bonus_cap=draw(st.sampled_from([None, D(4)])),
        penalty_cap=draw(st.sampled_from([None, D(2)])),
    )


@st.composite
def clusters(draw: st.DrawFn) -> tuple[Framework, list[SchoolPoints], tuple[str, ...]]:
    framework = draw(frameworks())
    leaves = [leaf.code for leaf in framework.leaves()]
    groups = [node.code for node in framework.nodes() if isinstance(node, Group)]
    values = decimal_values(draw(st.sampled_from([0, 2, 20, 22])), draw(st.sampled_from([3, 20, 26])))
    small = st.sampled_from([D(0), D(1), D("0.5"), D(2)])  # many ties
    pick = small if draw(st.booleans()) else values
    schools = []
    for index in range(draw(st.integers(1, 12))):
        schools.append(
            SchoolPoints(
                f"S{index}",
                {code: draw(pick) for code in leaves if draw(st.integers(0, 9))},  # some leaves missing
                {code: draw(pick) for code in ("B.1", "B.2") if draw(st.booleans())},
                {"P.1": draw(pick)} if draw(st.booleans()) else {},
            )
        )
    tie_break = tuple(draw(st.lists(st.sampled_from(groups + leaves), max_size=3, unique=True)))
    return framework, schools, tie_break


@quick
@given(clusters())
def test_fast_path_equals_decimal_path(cluster: tuple[Framework, list[SchoolPoints], tuple[str, ...]]) -> None:
    framework, schools, tie_break = cluster
    expected = compute_from_points(framework, schools, tie_break, explain=False)
    matrix = PointsMatrix.from_points(framework, schools)
    fast = rank_matrix(matrix, tie_break)
    index = {school.code: position for position, school in enumerate(schools)}
    totals, groups_totals = fast.totals(), fast.groups_totals()
    bonus, penalty = fast.bonus(), fast.penalty()
    for school in expected.schools:
        i = index[school.code]
        assert totals[i] == school.total
        assert groups_totals[i] == school.groups_total
        assert (bonus[i], penalty[i]) == (school.bonus.points, school.penalty.points)
        assert int(fast.ranks[i]) == school.rank
        assert bool(fast.tied[i]) == school.ranking.tied
        for code, group in school.groups.items():
            assert fast.group_points(code)[i] == group.points
    assert [schools[i].code for i in fast.order] == [school.code for school in expected.schools]


def test_limbs_follow_the_data() -> None:
    framework = Framework("F", D(10), (Group("I", "I", D(10), (Leaf("I.1", "t", D(10), Rule.MANUAL),)),))
    steps = PointsMatrix.from_points(framework, [SchoolPoints("A", {"I.1": D("2.25")})])
    assert (steps.limbs, steps.exponent) == (1, 2)
    means = PointsMatrix.from_points(framework, [SchoolPoints("A", {"I.1": D("2.33333333333333333333")})])
    assert (means.limbs, means.exponent) == (2, 20)
    huge = PointsMatrix.from_points(framework, [SchoolPoints("A", {"I.1": D("1" + "0" * 12 + "." + "0" * 29 + "1")})])
    assert (huge.limbs, huge.exponent) == (4, 30)  # 10**42 needs four limbs of 10**10
    assert rank_matrix(huge).totals() == [D(10)]  # capped at the group's max


def test_from_scaled_equals_from_points() -> None:
    framework = Framework(
        "F",
        D(10),
        (Group("I", "I", D(10), (Leaf("I.1", "t", D(6), Rule.MANUAL), Leaf("I.2", "t", D(6), Rule.MANUAL))),),
        bonus=(AdjustmentItem("B.1", "t", Rule.MANUAL, cap=D(2)),),
    )
    hundredths = np.array([[525, 450], [600, 600], [0, 25]], dtype=np.int64)
    bonus = np.array([[300], [0], [100]], dtype=np.int64)
    scaled = PointsMatrix.from_scaled(framework, ["A", "B", "C"], hundredths, 2, bonus=bonus)
    points = [
        SchoolPoints(
            code, {"I.1": D(int(row[0])).scaleb(-2), "I.2": D(int(row[1])).scaleb(-2)}, {"B.1": D(int(b[0])).scaleb(-2)}
        )
        for code, row, b in zip("ABC", hundredths, bonus, strict=True)
    ]
    expected = compute_from_points(framework, points)
    fast = rank_matrix(scaled)
    assert fast.totals() == [expected.school(code).total for code in "ABC"] == [D("11.75"), D(10), D("1.25")]
    assert list(fast.ranks) == [1, 2, 3]  # A: 9.75 + min(3, 2); B: 12 → 10; C: 0.25 + 1
    # the columns can come in any order
    swapped = PointsMatrix.from_scaled(
        framework, ["A", "B", "C"], hundredths[:, ::-1], 2, leaf_codes=["I.2", "I.1"], bonus=bonus
    )
    assert rank_matrix(swapped).totals() == fast.totals()


def test_from_scaled_refuses_bad_arrays() -> None:
    framework = Framework("F", D("10.5"), (Group("I", "I", D("10.5"), (Leaf("I.1", "t", D(11), Rule.MANUAL),)),))
    with pytest.raises(InputError, match="1 chữ số thập phân"):
        PointsMatrix.from_scaled(framework, ["A"], np.array([[3]]), 0)  # the cap 10.5 needs a decimal
    with pytest.raises(InputError, match="kích thước"):
        PointsMatrix.from_scaled(framework, ["A", "B"], np.array([[3]]), 1)
    with pytest.raises(InputError, match="không được âm"):
        PointsMatrix.from_scaled(framework, ["A"], np.array([[-3]]), 1)
    with pytest.raises(InputError, match="số nguyên"):
        PointsMatrix.from_scaled(framework, ["A"], np.array([[0.5]]), 1)


# -- vectorised reconciliation ------------------------------------------------------------


@quick
@given(
    st.sampled_from([Policy.MEAN, Policy.MEDIAN, Policy.TRIMMED_MEAN]),
    st.integers(1, 7),
    st.integers(0, 20),
    st.integers(0, 10**6),
    st.integers(0, 2**32),
)
def test_reconcile_scaled_equals_reconcile_points(
    policy: Policy, reviewers: int, exponent: int, top: int, seed: int
) -> None:
    if policy is Policy.TRIMMED_MEAN and reviewers < 5:
        reviewers += 5
    reviews = np.random.default_rng(seed).integers(0, top + 1, size=(reviewers, 3, 4))
    result = reconcile_scaled(reviews, exponent, policy).decimals()
    for i in range(3):
        for j in range(4):
            points = [Decimal(int(reviews[r, i, j])).scaleb(-exponent) for r in range(reviewers)]
            assert result[i][j] == reconcile_points(points, policy)


def test_reconcile_scaled_refusals() -> None:
    reviews = np.ones((3, 2, 2), dtype=np.int64)
    with pytest.raises(ReconciliationError, match="ít nhất 5"):
        reconcile_scaled(reviews, 2, Policy.TRIMMED_MEAN)
    with pytest.raises(ReconciliationError):
        reconcile_scaled(reviews, 2, Policy.PANEL)
    with pytest.raises(InputError):
        reconcile_scaled(np.ones((2, 2)), 2, Policy.MEAN)
    with pytest.raises(InputError):
        reconcile_scaled(-reviews, 2, Policy.MEAN)
