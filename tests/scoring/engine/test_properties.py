"""Properties that hold for any input: bounds, monotonicity, caps, ranks, rounding."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring.engine.builders import D, quantitative, score_one_leaf
from thidua.scoring.engine import (
    AdjustmentItem,
    ClusterInput,
    Direction,
    Framework,
    Group,
    Leaf,
    LeafInput,
    Rule,
    SchoolInput,
    competition_ranks,
    compute_cluster,
    display,
    round_display,
)

quick = settings(database=None, deadline=None, max_examples=150)

amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
targets = st.decimals(min_value="0.01", max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
maxima = st.decimals(min_value="0.25", max_value=100, places=2, allow_nan=False, allow_infinity=False)
others = st.lists(st.tuples(amounts, targets), max_size=6)

TIERS = ((D(80), D(4)), (D(60), D(3)), (D(40), D(2)), (D(0), D(1)))
LOWER_TIERS = ((D(0), D(4)), (D(40), D(3)), (D(60), D(2)), (D(80), D(1)))


def leaf_for(formula: str, top: Decimal, direction: Direction = Direction.HIGHER) -> Leaf:
    if formula == "thresholds":
        tiers = TIERS if direction is Direction.HIGHER else LOWER_TIERS
        return quantitative("Q", "4", "thresholds", tiers=tiers, direction=direction)
    registered = formula in {"ratio", "target_and_leader"}
    return quantitative("Q", str(top), formula, target_registered=registered, direction=direction)


def points_of(leaf: Leaf, mine: tuple[Decimal, Decimal], rest: list[tuple[Decimal, Decimal]]) -> Decimal:
    registered = leaf.uses_target
    values = {"ME": LeafInput(actual=mine[0], target=mine[1] if registered else None)}
    for index, (value, target) in enumerate(rest):
        values[f"S{index}"] = LeafInput(actual=value, target=target if registered else None)
    return score_one_leaf(leaf, values).school("ME").leaves["Q"].points


formulas = st.sampled_from(["ratio", "thresholds", "relative_to_best", "target_and_leader"])
directions = st.sampled_from([Direction.HIGHER, Direction.LOWER])


@quick
@given(formulas, directions, maxima, amounts, targets, others)
def test_quantitative_points_stay_within_zero_and_max(
    formula: str,
    direction: Direction,
    top: Decimal,
    value: Decimal,
    target: Decimal,
    rest: list[tuple[Decimal, Decimal]],
) -> None:
    leaf = leaf_for(formula, top, direction)

    points = points_of(leaf, (value, target), rest)

    assert 0 <= points <= leaf.max_points


@quick
@given(st.sampled_from(["ratio", "thresholds", "relative_to_best"]), maxima, amounts, amounts, targets, others)
def test_higher_is_better_points_never_fall_when_the_actual_rises(
    formula: str, top: Decimal, a: Decimal, b: Decimal, target: Decimal, rest: list[tuple[Decimal, Decimal]]
) -> None:
    leaf = leaf_for(formula, top)
    low, high = sorted((a, b))

    assert points_of(leaf, (low, target), rest) <= points_of(leaf, (high, target), rest)


@quick
@given(st.sampled_from(["ratio", "thresholds", "relative_to_best"]), maxima, amounts, amounts, targets, others)
def test_lower_is_better_points_never_rise_when_the_actual_rises(
    formula: str, top: Decimal, a: Decimal, b: Decimal, target: Decimal, rest: list[tuple[Decimal, Decimal]]
) -> None:
    leaf = leaf_for(formula, top, Direction.LOWER)
    low, high = sorted((a, b))

    assert points_of(leaf, (low, target), rest) >= points_of(leaf, (high, target), rest)


@quick
@given(maxima, st.lists(st.tuples(amounts, targets), min_size=1, max_size=8))
def test_target_and_leader_gives_the_max_exactly_to_the_largest_exceedance(
    top: Decimal, schools: list[tuple[Decimal, Decimal]]
) -> None:
    leaf = quantitative("Q", str(top), "target_and_leader", target_registered=True)
    values = {f"S{i}": LeafInput(actual=a, target=t) for i, (a, t) in enumerate(schools)}

    result = score_one_leaf(leaf, values)

    shares = {f"S{i}": (a - t) / t for i, (a, t) in enumerate(schools)}
    best = max(shares.values())
    for code, share in shares.items():
        points = result.school(code).leaves["Q"].points
        if best > 0 and share == best:
            assert points == top
        else:
            assert points < top


@quick
@given(
    st.decimals(min_value=1, max_value=10, places=0),
    st.lists(st.decimals(min_value=0, max_value=10, places=2), min_size=1, max_size=6),
)
def test_group_points_are_the_sum_of_children_capped_at_the_group_max(
    group_max: Decimal, children: list[Decimal]
) -> None:
    leaves = tuple(Leaf(f"I.{i}", f"Lá {i}", D(10), Rule.MANUAL) for i in range(len(children)))
    framework = Framework("P", group_max, (Group("I", "Nhóm I", group_max, leaves),))
    school = SchoolInput("A", leaves={f"I.{i}": LeafInput(points=p) for i, p in enumerate(children)})

    group = compute_cluster(framework, ClusterInput((school,))).school("A").groups["I"]

    assert group.raw == sum(children, D(0))
    assert group.points == min(group.raw, group_max)
    assert group.points <= group_max


@quick
@given(
    st.decimals(min_value=0, max_value=10, places=2),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=20),
    st.sampled_from([None, D(2), D(5)]),
)
def test_the_total_is_never_negative_and_penalty_never_exceeds_its_caps(
    points: Decimal, late: int, disciplined: int, penalty_cap: Decimal | None
) -> None:
    items = (
        AdjustmentItem("P.1", "Chậm", Rule.COUNT, points_each=D("0.5"), cap=D(3)),
        AdjustmentItem("P.2", "Kỷ luật", Rule.COUNT, points_each=D(2)),
    )
    framework = Framework(
        "P",
        D(10),
        (Group("I", "Nhóm I", D(10), (Leaf("I.1", "Lá", D(10), Rule.MANUAL),)),),
        penalty=items,
        penalty_cap=penalty_cap,
    )
    school = SchoolInput(
        "A",
        leaves={"I.1": LeafInput(points=points)},
        penalty={"P.1": LeafInput(count=late), "P.2": LeafInput(count=disciplined)},
    )

    result = compute_cluster(framework, ClusterInput((school,))).school("A")

    assert result.total >= 0
    assert result.total == max(D(0), points - result.penalty.points)
    assert result.penalty.items["P.1"].points <= 3
    if penalty_cap is not None:
        assert result.penalty.points <= penalty_cap


@quick
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=12))
def test_a_rank_is_one_more_than_the_number_of_strictly_better_keys(keys: list[tuple[int, int]]) -> None:
    decimal_keys = [(D(a), D(b)) for a, b in keys]

    ranks = competition_ranks(decimal_keys)

    for key, rank in zip(decimal_keys, ranks, strict=True):
        assert rank == 1 + sum(1 for other in decimal_keys if other > key)


@quick
@given(st.decimals(min_value=-1000, max_value=1000, places=6, allow_nan=False, allow_infinity=False))
def test_display_rounds_half_up_to_two_decimals_and_never_further_than_half_a_cent(value: Decimal) -> None:
    rounded = round_display(value)

    assert abs(rounded - value) <= D("0.005")
    assert display(value) == f"{rounded:.2f}" or display(value) == "0.00"
