"""Bootstrap rank confidence and weight sensitivity: reproducible from a seed, and sane."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    Framework,
    Group,
    InputError,
    Leaf,
    LeafScores,
    Policy,
    ReconciliationError,
    Rule,
    SchoolPoints,
    SchoolReview,
    bootstrap_ranks,
    weight_sensitivity,
)

ONE_LEAF = Framework("F", D(10), (Group("I", "I", D(10), (Leaf("L", "t", D(10), Rule.MANUAL),)),))
TWO_GROUPS = Framework(
    "F",
    D(20),
    (
        Group("I", "I", D(10), (Leaf("I.1", "t", D(10), Rule.MANUAL),)),
        Group("II", "II", D(10), (Leaf("II.1", "t", D(10), Rule.MANUAL),)),
    ),
)


def reviewed(code: str, leaf: str = "L", **reviews: str) -> SchoolReview:
    return SchoolReview(code, {leaf: LeafScores.of(None, {who: Decimal(value) for who, value in reviews.items()})})


# -- bootstrap -----------------------------------------------------------------------------


def test_a_clear_leader_with_agreeing_reviewers_is_certain() -> None:
    schools = [
        reviewed("A", a1="9", a2="9", a3="9"),
        reviewed("B", b1="5", b2="5", b3="5"),
        reviewed("C", c1="3", c2="3", c3="3"),
    ]
    result = bootstrap_ranks(ONE_LEAF, schools, Policy.MEAN, seed=7, resamples=500)
    a, b, c = result.schools
    assert a.probability_first == 1.0
    assert (a.rank, a.interval, a.counts) == (1, (1, 1), (500, 0, 0))
    assert (b.probabilities, b.interval, b.mean_rank) == ((0.0, 1.0, 0.0), (2, 2), 2.0)
    assert c.interval == (3, 3)


def test_disagreeing_reviewers_spread_the_ranks() -> None:
    # A's two reviewers say 10 and 0: a resample draws {10, 10} (¼) → 10, {10, 0} (½) → 5,
    # {0, 0} (¼) → 0; B is always 6. So A ranks first in about a quarter of the resamples.
    schools = [reviewed("A", a1="10", a2="0"), reviewed("B", b1="6", b2="6")]
    result = bootstrap_ranks(ONE_LEAF, schools, Policy.MEAN, seed=2020, resamples=2000)
    a, b = result.schools
    assert (a.rank, b.rank) == (2, 1)  # with all reviewers: 5 < 6
    assert 0.22 < a.probability_first < 0.28
    assert a.probability_first + b.probability_first == pytest.approx(1.0)
    assert sum(a.counts) == 2000
    assert a.interval == (1, 2)
    assert b.interval == (1, 2)


def test_same_seed_same_output_and_seed_matters() -> None:
    schools = [reviewed("A", a1="10", a2="0", a3="4"), reviewed("B", b1="6", b2="3", b3="7"), reviewed("C", c1="5")]
    first = bootstrap_ranks(ONE_LEAF, schools, Policy.MEDIAN, seed=42, resamples=300)
    again = bootstrap_ranks(ONE_LEAF, schools, Policy.MEDIAN, seed=42, resamples=300)
    assert first == again
    others = [bootstrap_ranks(ONE_LEAF, schools, Policy.MEDIAN, seed=seed, resamples=300) for seed in range(5)]
    assert any(other.schools != first.schools for other in others)


def test_equal_schools_share_rank_one_in_every_resample() -> None:
    schools = [reviewed("A", a1="7", a2="7"), reviewed("B", b1="7", b2="7"), reviewed("C", c1="1", c2="2")]
    a, b, c = bootstrap_ranks(ONE_LEAF, schools, Policy.MEAN, seed=1, resamples=100).schools
    assert a.counts == b.counts == (100, 0, 0)
    assert c.counts == (0, 0, 100)


def test_tie_break_order_applies_in_every_resample() -> None:
    schools = [
        SchoolReview("A", {"I.1": LeafScores.of(None, {"x": D(4)}), "II.1": LeafScores.of(None, {"x": D(6)})}),
        SchoolReview("B", {"I.1": LeafScores.of(None, {"y": D(6)}), "II.1": LeafScores.of(None, {"y": D(4)})}),
    ]
    untied = bootstrap_ranks(TWO_GROUPS, schools, Policy.MEAN, seed=1, resamples=50, tie_break=("I",))
    assert untied.school("B").counts == (50, 0)
    tied = bootstrap_ranks(TWO_GROUPS, schools, Policy.MEAN, seed=1, resamples=50)
    assert tied.school("A").counts == tied.school("B").counts == (50, 0)


def test_decided_leaves_stay_fixed() -> None:
    schools = [reviewed("A", a1="10", a2="0"), reviewed("B", b1="6", b2="6")]
    result = bootstrap_ranks(ONE_LEAF, schools, Policy.MEAN, seed=3, resamples=200, decisions={"A": {"L": D(8)}})
    assert result.school("A").counts == (200, 0)


def test_trimmed_mean_falls_back_when_the_drawn_ratings_are_too_few() -> None:
    ratings = {f"r{i}": str(i) for i in range(1, 6)}
    school = SchoolReview(
        "A",
        {
            "I.1": LeafScores.of(None, {k: D(v) for k, v in ratings.items()}),  # r6 did not rate I.1
            "II.1": LeafScores.of(None, {f"r{i}": D(5) for i in range(1, 7)}),
        },
    )
    other = SchoolReview(
        "B",
        {
            "I.1": LeafScores.of(None, {f"s{i}": D(3) for i in range(5)}),
            "II.1": LeafScores.of(None, {f"s{i}": D(5) for i in range(5)}),
        },
    )
    result = bootstrap_ranks(TWO_GROUPS, [school, other], Policy.TRIMMED_MEAN, seed=5, resamples=200)
    assert result.fallbacks > 0  # r6 drawn twice or more leaves fewer than 5 ratings on I.1
    assert sum(result.school("A").counts) == 200
    with pytest.raises(ReconciliationError, match="ít nhất 5"):
        bootstrap_ranks(ONE_LEAF, [reviewed("A", a1="1", a2="2")], Policy.TRIMMED_MEAN, seed=5, resamples=10)


def test_bootstrap_refusals() -> None:
    schools = [reviewed("A", a1="1")]
    with pytest.raises(ReconciliationError):
        bootstrap_ranks(ONE_LEAF, schools, Policy.PANEL, seed=1)
    with pytest.raises(ReconciliationError, match="quyết định"):
        bootstrap_ranks(ONE_LEAF, [SchoolReview("A")], Policy.MEAN, seed=1)  # nobody scored L
    with pytest.raises(InputError):
        bootstrap_ranks(ONE_LEAF, schools, Policy.MEAN, seed=1, resamples=0)
    with pytest.raises(InputError):
        bootstrap_ranks(ONE_LEAF, schools, Policy.MEAN, seed=1, tie_break=("X",))


# -- weight sensitivity -----------------------------------------------------------------


def points(code: str, first: str, second: str) -> SchoolPoints:
    return SchoolPoints(code, {"I.1": D(first), "II.1": D(second)})


def test_a_dominant_leader_stays_first_under_any_weights() -> None:
    schools = [points("A", "10", "10"), points("B", "5", "5"), points("C", "4", "6")]
    result = weight_sensitivity(TWO_GROUPS, schools, seed=11, draws=400)
    assert result.leaders == ("A",)
    assert result.leader_stays_first == 1.0
    assert result.school("A").share_first == 1.0
    assert result.groups == ("I", "II")
    assert sum(result.school("B").counts) == 400


def test_a_narrow_lead_built_on_one_group_is_fragile() -> None:
    schools = [points("A", "10", "0"), points("B", "0", "9.5")]
    result = weight_sensitivity(TWO_GROUPS, schools, seed=11, draws=1000)
    assert result.leaders == ("A",)
    assert 0.4 < result.leader_stays_first < 0.75  # B leads whenever 9.5·w₂ > 10·w₁
    a, b = result.schools
    assert a.shares[0] + b.shares[0] == pytest.approx(1.0)
    assert result.leader_stays_first == a.share_first


def test_no_perturbation_reproduces_the_official_ranks() -> None:
    schools = [points("A", "6", "3"), points("B", "5", "4"), points("C", "1", "1")]
    result = weight_sensitivity(TWO_GROUPS, schools, seed=1, draws=50, spread=0.0, tie_break=("I",))
    assert [s.rank for s in result.schools] == [1, 2, 3]  # A and B tie on 9; group I decides
    assert [s.counts[s.rank - 1] for s in result.schools] == [50, 50, 50]


def test_identical_schools_stay_tied_and_both_lead() -> None:
    schools = [points("A", "7", "7"), points("B", "7", "7"), points("C", "6", "6")]
    result = weight_sensitivity(TWO_GROUPS, schools, seed=2, draws=300)
    assert result.leaders == ("A", "B")
    assert result.leader_stays_first == 1.0
    assert result.school("A").counts[0] == result.school("B").counts[0] == 300


def test_sensitivity_is_reproducible_from_the_seed() -> None:
    schools = [points("A", "10", "0"), points("B", "0", "9.5"), points("C", "5", "5")]
    assert weight_sensitivity(TWO_GROUPS, schools, seed=9) == weight_sensitivity(TWO_GROUPS, schools, seed=9)
    assert weight_sensitivity(TWO_GROUPS, schools, seed=9) != weight_sensitivity(TWO_GROUPS, schools, seed=10)


@pytest.mark.parametrize(("draws", "spread"), [(0, 0.2), (10, 1.0), (10, -0.1)])
def test_sensitivity_refusals(draws: int, spread: float) -> None:
    with pytest.raises(InputError):
        weight_sensitivity(TWO_GROUPS, [points("A", "1", "1")], seed=1, draws=draws, spread=spread)


def test_an_empty_cluster_has_no_leader() -> None:
    result = weight_sensitivity(TWO_GROUPS, [], seed=1, draws=10)
    assert (result.leaders, result.leader_stays_first, result.schools) == ((), 0.0, ())
    assert bootstrap_ranks(ONE_LEAF, [], Policy.MEAN, seed=1, resamples=10).schools == ()
