"""analyse_cluster end to end on the benchmark's synthetic cluster (reference framework)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bench.engine import cluster_data, nationwide_data
from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    Policy,
    ReconciliationError,
    SchoolReview,
    analyse_cluster,
    compute_from_points,
    final_school_points,
)
from thidua.scoring.engine.reconcile import is_judgement

SHARE = Decimal("0.2")


def test_everything_fits_together() -> None:
    framework, schools = cluster_data(2020)
    analytics = analyse_cluster(
        framework, schools, Policy.MEAN, share=SHARE, seed=5, tie_break=("I", "II"), resamples=200, draws=200
    )
    leaves = [leaf.code for leaf in framework.leaves()]
    assert set(analytics.final) == {school.code for school in schools}
    assert all(set(values) == set(leaves) for values in analytics.final.values())
    expected = compute_from_points(framework, final_school_points(schools, analytics.final), ("I", "II"), explain=False)
    assert [(s.code, s.total, s.rank) for s in analytics.results.schools] == [
        (s.code, s.total, s.rank) for s in expected.schools
    ]
    # the bootstrap's all-reviewers rank and the sensitivity's official rank are the results' ranks
    for school in analytics.results.schools:
        assert analytics.confidence.school(school.code).rank == school.rank
        assert analytics.sensitivity.school(school.code).rank == school.rank
    assert len(analytics.agreement) == len(analytics.discrimination) == len(leaves)
    assert len(analytics.inflation.schools) == len(schools)
    reviewers = {reviewer for school in schools for reviewer in school.reviewers()}
    assert {r.reviewer for r in analytics.leniency} == reviewers
    assert all(sum(s.probabilities) == pytest.approx(1.0) for s in analytics.confidence.schools)


def test_reproducible_from_the_seed() -> None:
    framework, schools = cluster_data(2020)

    def run(seed: int) -> object:
        result = analyse_cluster(framework, schools, Policy.MEDIAN, share=SHARE, seed=seed, resamples=100, draws=100)
        return (result.confidence, result.sensitivity)

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_panel_policy_needs_every_decision_except_the_median_levels() -> None:
    framework, schools = cluster_data(2020)
    with pytest.raises(ReconciliationError) as caught:
        analyse_cluster(framework, schools, Policy.PANEL, share=SHARE, seed=1, resamples=10, draws=10)
    points_leaves = [leaf for leaf in framework.leaves() if not is_judgement(leaf)]
    assert len(points_leaves) < len(list(framework.leaves()))  # pass/fail and levels leaves have a proposal
    assert len(caught.value.problems) == len(schools) * len(points_leaves)
    mean = analyse_cluster(framework, schools, Policy.MEAN, share=SHARE, seed=1, resamples=10, draws=10)
    decided = analyse_cluster(
        framework, schools, Policy.PANEL, share=SHARE, seed=1, decisions=mean.final, resamples=10, draws=10
    )
    assert decided.final == mean.final
    assert decided.confidence.policy is Policy.MEAN  # the panel proposes nothing to resample
    assert decided.confidence == mean.confidence  # same seed, same mean of the same reviewers


def test_panel_policy_with_a_leaf_nobody_scored() -> None:
    framework, schools = cluster_data(2020)
    first = schools[0]
    unscored = SchoolReview(
        first.code,
        {code: scores for code, scores in first.leaves.items() if code != "I.1"},
        first.bonus,
        first.penalty,
    )
    schools = [unscored, *schools[1:]]
    mean = analyse_cluster(
        framework,
        schools,
        Policy.MEAN,
        share=SHARE,
        seed=1,
        decisions={first.code: {"I.1": D(2)}},
        resamples=10,
        draws=10,
    )
    decided = analyse_cluster(
        framework, schools, Policy.PANEL, share=SHARE, seed=1, decisions=mean.final, resamples=10, draws=10
    )
    assert decided.final[first.code]["I.1"] == D(2)
    assert decided.confidence == mean.confidence


def test_synthetic_data_is_reproducible() -> None:
    assert cluster_data(3) == cluster_data(3)
    first, second = nationwide_data(3), nationwide_data(3)
    assert (first.reviews == second.reviews).all()
    assert first.reviews.shape == (3, 5000, 200)
