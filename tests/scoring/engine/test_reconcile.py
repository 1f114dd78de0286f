"""Reconciliation policies, hand-computed, and the discrepancy flags."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    Discrepancy,
    Framework,
    Group,
    InputError,
    Leaf,
    LeafScores,
    Policy,
    ReconcileStatus,
    ReconciliationError,
    Rule,
    SchoolReview,
    reconcile_cluster,
    reconcile_leaf,
    reconcile_points,
)


def pts(*values: str) -> list[Decimal]:
    return [D(value) for value in values]


FRAMEWORK = Framework(
    "Bảng thử",
    D(10),
    (
        Group(
            "I",
            "Nhóm I",
            D(10),
            (Leaf("I.1", "Tiêu chí 1", D(4), Rule.MANUAL), Leaf("I.2", "Tiêu chí 2", D(6), Rule.MANUAL)),
        ),
    ),
)


# -- the policies ---------------------------------------------------------------------------


def test_mean_of_reviewers() -> None:
    assert reconcile_points(pts("2", "2.5", "3"), Policy.MEAN) == D("2.5")
    assert reconcile_points(pts("1.75"), Policy.MEAN) == D("1.75")


def test_mean_that_does_not_terminate_is_exact_and_reads_half_up_at_the_20th_place() -> None:
    four_thirds = reconcile_points(pts("1", "1", "2"), Policy.MEAN)
    assert four_thirds == Fraction(4, 3)
    assert str(four_thirds) == "1.33333333333333333333"
    five_thirds = reconcile_points(pts("2", "2", "1"), Policy.MEAN)
    assert five_thirds == Fraction(5, 3)
    assert str(five_thirds) == "1.66666666666666666667"
    assert four_thirds + five_thirds == D(3)


def test_median_odd_and_even() -> None:
    assert reconcile_points(pts("3", "1", "2.5"), Policy.MEDIAN) == D("2.5")
    assert reconcile_points(pts("4", "1", "2", "3"), Policy.MEDIAN) == D("2.5")  # (2 + 3) / 2
    assert reconcile_points(pts("0.25", "0.5"), Policy.MEDIAN) == D("0.375")


def test_trimmed_mean_drops_one_highest_and_one_lowest() -> None:
    # 0 and 4 dropped; (2 + 2.5 + 3) / 3 = 2.5
    assert reconcile_points(pts("4", "2", "0", "2.5", "3"), Policy.TRIMMED_MEAN) == D("2.5")
    # six reviewers: 1 and 6 dropped; (2 + 2 + 3 + 3) / 4 = 2.5
    assert reconcile_points(pts("1", "2", "2", "3", "3", "6"), Policy.TRIMMED_MEAN) == D("2.5")
    # equal extremes: one of each is dropped, not all of them
    assert reconcile_points(pts("2", "2", "2", "5", "5"), Policy.TRIMMED_MEAN) == D("3")


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_trimmed_mean_is_refused_under_five_reviewers(count: int) -> None:
    with pytest.raises(ReconciliationError) as caught:
        reconcile_points(pts(*["2"] * count), Policy.TRIMMED_MEAN)
    problem = caught.value.problems[0]
    assert problem.code == "trimmed_mean_too_few"
    assert "ít nhất 5 người chấm" in problem.message
    assert f"có {count}" in problem.message


def test_panel_decision_gives_no_automatic_value() -> None:
    assert reconcile_points(pts("1", "2", "3"), Policy.PANEL) is None
    result = reconcile_leaf("A", "I.1", D(4), LeafScores(D(3), (("r1", D(1)), ("r2", D(3)))), Policy.PANEL, D("0.2"))
    assert result.status is ReconcileStatus.AWAITING_DECISION
    assert result.proposed is None
    assert result.consensus == D(2)  # the mean of reviewers, only for the flags
    assert "Hội đồng quyết định" in result.explanation


def test_no_reviews_awaits_a_decision_under_every_policy() -> None:
    for policy in Policy:
        result = reconcile_leaf("A", "I.1", D(4), LeafScores(D(3)), policy, D("0.2"))
        assert result.status is ReconcileStatus.NO_REVIEWS
        assert result.proposed is None
        assert result.flags == ()


# -- the flags ---------------------------------------------------------------------------


def flags_of(self_points: str | None, reviews: list[str], policy: Policy = Policy.MEAN) -> tuple[Discrepancy, ...]:
    scores = LeafScores(
        None if self_points is None else D(self_points),
        tuple((f"r{index}", D(value)) for index, value in enumerate(reviews)),
    )
    return reconcile_leaf("A", "I.2", D(6), scores, policy, D("0.2")).flags  # threshold 1.2


def test_self_vs_review_flag_is_strictly_above_the_share_of_max() -> None:
    assert flags_of("4.2", ["3", "3", "3"]) == ()  # 1.2, not more than 20 % × 6
    assert flags_of("4.25", ["3", "3", "3"]) == (Discrepancy.SELF_VS_REVIEW,)
    assert flags_of("1.75", ["3", "3", "3"]) == (Discrepancy.SELF_VS_REVIEW,)  # below as well


def test_reviewers_disagree_flag_on_highest_minus_lowest() -> None:
    assert flags_of("3", ["2.4", "3", "3.6"]) == ()  # spread 1.2
    assert flags_of("3", ["2.25", "3", "3.5"]) == (Discrepancy.REVIEWERS_DISAGREE,)  # spread 1.25
    assert flags_of("6", ["1", "3", "5"]) == (Discrepancy.SELF_VS_REVIEW, Discrepancy.REVIEWERS_DISAGREE)


def test_self_is_compared_with_the_policy_value() -> None:
    # median 3 vs self 4.25 → 1.25 > 1.2; mean (3 + 3 + 0)/3 = 2 vs 4.25 as well
    assert Discrepancy.SELF_VS_REVIEW in flags_of("4.25", ["3", "3", "0"], Policy.MEDIAN)
    # median 3 vs self 4: 1 ≤ 1.2; the mean 2 would have flagged it
    assert Discrepancy.SELF_VS_REVIEW not in flags_of("4", ["3", "3", "0"], Policy.MEDIAN)
    assert Discrepancy.SELF_VS_REVIEW in flags_of("4", ["3", "3", "0"], Policy.MEAN)


def test_missing_self_assessment_counts_as_zero() -> None:
    assert flags_of(None, ["3", "3", "3"]) == (Discrepancy.SELF_VS_REVIEW,)
    assert flags_of(None, ["1", "1", "1"]) == ()


def test_panel_flags_against_the_mean_of_reviewers() -> None:
    assert flags_of("4.5", ["3", "3", "3"], Policy.PANEL) == (Discrepancy.SELF_VS_REVIEW,)


def test_flag_explanation_names_both_sides_and_the_threshold() -> None:
    scores = LeafScores(D("4.5"), (("r1", D(3)), ("r2", D(3)), ("r3", D("3.5"))))
    result = reconcile_leaf("A", "I.2", D(6), scores, Policy.MEAN, D("0.2"))
    assert result.proposed == Fraction(19, 6)
    assert result.explanation == (
        "Trung bình cộng của người chấm (3; 3; 3,5) ≈ 3,17 điểm; chênh lệch: tự chấm 4,5 so với thẩm định "
        "3,17 lệch 1,33 điểm, vượt ngưỡng 20 % × 6 = 1,2 điểm"
    )


# -- a whole cluster -------------------------------------------------------------------------


def review(code: str, **leaves: tuple[str | None, dict[str, str]]) -> SchoolReview:
    return SchoolReview(
        code,
        {
            leaf.replace("_", "."): LeafScores.of(
                None if own is None else D(own), {who: D(value) for who, value in reviews.items()}
            )
            for leaf, (own, reviews) in leaves.items()
        },
    )


def test_reconcile_cluster_proposes_and_collects_flags() -> None:
    schools = [
        review("A", I_1=("4", {"x": "3", "y": "3"}), I_2=("5", {"x": "5", "y": "4"})),
        review("B", I_1=("2", {"x": "2", "z": "2"})),  # I.2 not reviewed
    ]
    result = reconcile_cluster(FRAMEWORK, schools, Policy.MEAN, D("0.2"))
    a, b = result.schools
    assert a.leaves["I.1"].proposed == D(3)
    assert a.leaves["I.2"].proposed == D("4.5")
    assert [leaf.leaf for leaf in result.flagged] == ["I.1"]  # |4 − 3| = 1 > 0.8; I.2: 0.5 ≤ 1.2
    assert b.leaves["I.2"].status is ReconcileStatus.NO_REVIEWS
    assert [leaf.leaf for leaf in b.awaiting] == ["I.2"]
    with pytest.raises(ReconciliationError) as caught:
        result.final_points()
    assert [(p.school, p.node, p.code) for p in caught.value.problems] == [("B", "I.2", "awaiting_decision")]
    final = result.final_points({"B": {"I.2": D(1)}, "A": {"I.1": D("3.5")}})
    assert final == {"A": {"I.1": D("3.5"), "I.2": D("4.5")}, "B": {"I.1": D(2), "I.2": D(1)}}


def test_trimmed_mean_refusals_list_every_leaf_with_its_school() -> None:
    five = {f"r{i}": "2" for i in range(5)}
    schools = [review("A", I_1=("2", five), I_2=("2", {"r1": "1", "r2": "2"})), review("B", I_1=("1", {"r1": "1"}))]
    with pytest.raises(ReconciliationError) as caught:
        reconcile_cluster(FRAMEWORK, schools, Policy.TRIMMED_MEAN, D("0.2"))
    assert [(p.school, p.node) for p in caught.value.problems] == [("A", "I.2"), ("B", "I.1")]


def test_bad_review_data_is_refused_with_every_problem() -> None:
    schools = [
        SchoolReview("A", {"I.9": LeafScores(D(1))}),
        SchoolReview("A", {"I.1": LeafScores(D(-1), (("x", D(1)), ("x", D(2))))}),
    ]
    with pytest.raises(InputError) as caught:
        reconcile_cluster(FRAMEWORK, schools, Policy.MEAN, D("0.2"))
    codes = sorted(problem.code for problem in caught.value.problems)
    assert codes == ["bad_points", "duplicate_reviewer", "duplicate_school", "unknown_leaf"]


@pytest.mark.parametrize("share", [D("-0.1"), D("1.5"), D("NaN")])
def test_share_must_be_a_fraction(share: Decimal) -> None:
    with pytest.raises(ReconciliationError):
        reconcile_cluster(FRAMEWORK, [], Policy.MEAN, share)


# --- pass/fail and levels leaves: the median level, whatever the policy --------------------------

from thidua.scoring.engine.fastpath import reconcile_scaled  # noqa: E402
from thidua.scoring.engine.reconcile import is_judgement, median_level  # noqa: E402

EVERY_POLICY = list(Policy)


@pytest.mark.parametrize("policy", EVERY_POLICY)
@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (("2", "2", "0"), "2"),  # pass, pass, fail → pass (a mean would give 1,33)
        (("2", "0", "0"), "0"),  # pass, fail, fail → fail
        (("2", "0"), "0"),  # even: the lower middle → fail
        (("2", "2", "0", "0"), "0"),
        (("2", "2", "2", "0"), "2"),
        (("2",), "2"),
    ],
)
def test_a_pass_fail_leaf_takes_the_median_level_under_every_policy(policy, points, expected) -> None:
    assert reconcile_points(pts(*points), policy, judgement=True) == D(expected)


@pytest.mark.parametrize("policy", EVERY_POLICY)
@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (("3", "2", "2"), "2"),  # Tốt, Khá, Khá → Khá
        (("3", "2", "1"), "2"),  # Tốt, Khá, Đạt → Khá
        (("3", "1"), "1"),  # Tốt, Đạt → Đạt (the lower middle, never 2, which is no level here)
        (("3", "2", "2", "1"), "2"),  # Tốt, Khá, Khá, Đạt → Khá
        (("3", "3", "1", "0"), "1"),  # the lower of Tốt and Đạt
        (("0", "3", "3", "3", "1"), "3"),
    ],
)
def test_a_levels_leaf_takes_the_median_level_the_lower_middle_on_an_even_count(policy, points, expected) -> None:
    assert reconcile_points(pts(*points), policy, judgement=True) == D(expected)
    assert median_level(pts(*points)) == D(expected)


def test_the_trimmed_mean_minimum_does_not_apply_to_a_level() -> None:
    assert reconcile_points(pts("2", "0", "2"), Policy.TRIMMED_MEAN, judgement=True) == D(2)


def test_reconcile_cluster_reconciles_pass_fail_and_levels_by_the_median_level_and_says_so() -> None:
    passed = Leaf("P", "Đạt/không đạt", D(2), Rule.PASS_FAIL)
    levels = Leaf("L", "Theo mức", D(3), Rule.LEVELS, levels=(("Tốt", D(3)), ("Khá", D(2)), ("Đạt", D(1))))
    manual = Leaf("M", "Chấm trực tiếp", D(2), Rule.MANUAL)
    framework = Framework("Bảng thử", D(7), (Group("I", "Nhóm I", D(7), (passed, levels, manual)),))
    assert [is_judgement(leaf) for leaf in (passed, levels, manual)] == [True, True, False]
    review = SchoolReview(
        "A",
        {
            "P": LeafScores.of(D(2), {"R1": D(2), "R2": D(2), "R3": D(0)}),
            "L": LeafScores.of(D(3), {"R1": D(3), "R2": D(1)}),
            "M": LeafScores.of(D(2), {"R1": D(2), "R2": D(2), "R3": D(0)}),
        },
    )
    done = reconcile_cluster(framework, [review], Policy.MEAN, D("0.2")).school("A").leaves
    assert (done["P"].proposed, done["L"].proposed) == (D(2), D(1))
    assert done["M"].proposed == Fraction(4, 3)  # points keep the policy
    assert done["P"].judgement
    assert not done["M"].judgement
    assert done["P"].rule_label.startswith("mức trung vị")
    assert done["P"].explanation.startswith("Mức trung vị của người chấm (mức thấp hơn trong hai mức giữa")
    assert "(2; 2; 0) → 2 điểm" in done["P"].explanation
    panel = reconcile_cluster(framework, [review], Policy.PANEL, D("0.2")).school("A").leaves
    assert (panel["P"].proposed, panel["L"].proposed, panel["M"].proposed) == (D(2), D(1), None)


def test_the_fast_path_reconciles_marked_leaves_by_the_median_level() -> None:
    reviews = [[[2, 3, 2]], [[2, 1, 2]], [[0, 2, 0]], [[0, 3, 0]]]  # 4 reviewers × 1 school × 3 leaves
    for policy in (Policy.MEAN, Policy.MEDIAN):
        found = reconcile_scaled(reviews, 0, policy, judgement=[True, True, False]).decimals()[0]
        assert found[:2] == [D(0), D(2)]
        assert found[2] == reconcile_points([D(2), D(2), D(0), D(0)], policy)
