"""Properties of the reviewer assignment (``reviews.assign``), by hypothesis: nobody reviews
their own school, each school gets k distinct reviewers, conflicts are respected, loads are
balanced, the result depends only on the inputs and the seed."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.campaigns.assignments.assign import AssignmentInfeasible, assign_reviewers, reciprocal_pairs


@st.composite
def pools(draw, *, with_conflicts: bool = False):
    n = draw(st.integers(min_value=2, max_value=12))
    schools = list(range(1, n + 1))
    sizes = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=n, max_size=n))
    reviewers: dict[int, list[int]] = {}
    next_id = 100
    for school, size in zip(schools, sizes, strict=True):
        reviewers[school] = list(range(next_id, next_id + size))
        next_id += size
    k = draw(st.integers(min_value=1, max_value=min(4, n - 1)))
    seed = draw(st.integers(min_value=0, max_value=2**31))
    conflicts: set[tuple[int, int]] = set()
    if with_conflicts:
        everyone = [r for rs in reviewers.values() for r in rs]
        conflicts = set(draw(st.lists(st.tuples(st.sampled_from(everyone), st.sampled_from(schools)), max_size=n)))
    return schools, reviewers, k, seed, conflicts


def _home(reviewers):
    return {r: school for school, rs in reviewers.items() for r in rs}


def _check_basic(schools, reviewers, k, conflicts, pairs):
    home = _home(reviewers)
    per_school = Counter(s for _r, s in pairs)
    assert len(set(pairs)) == len(pairs)
    for school in schools:
        assert per_school[school] == k
    for reviewer, school in pairs:
        assert home[reviewer] != school, "nobody reviews their own school"
        assert (reviewer, school) not in conflicts


@settings(max_examples=150, deadline=None)
@given(pools())
def test_no_self_review_k_each_and_balanced(data):
    schools, reviewers, k, seed, conflicts = data
    pairs = assign_reviewers(schools, reviewers, k, seed, conflicts)
    _check_basic(schools, reviewers, k, conflicts, pairs)
    loads = Counter(r for r, _s in pairs)
    everyone = [r for rs in reviewers.values() for r in rs]
    values = [loads.get(r, 0) for r in everyone]
    assert max(values) - min(values) <= 1


@settings(max_examples=100, deadline=None)
@given(pools(with_conflicts=True))
def test_conflicts_respected_or_clear_error(data):
    schools, reviewers, k, seed, conflicts = data
    home = _home(reviewers)
    eligible = {s: [r for r in home if home[r] != s and (r, s) not in conflicts] for s in schools}
    short = {s: len(rs) for s, rs in eligible.items() if len(rs) < k}
    if short:
        with pytest.raises(AssignmentInfeasible) as caught:
            assign_reviewers(schools, reviewers, k, seed, conflicts)
        assert caught.value.short == short
        assert str(k) in str(caught.value)
        return
    pairs = assign_reviewers(schools, reviewers, k, seed, conflicts)
    _check_basic(schools, reviewers, k, conflicts, pairs)


@settings(max_examples=60, deadline=None)
@given(pools(with_conflicts=True))
def test_deterministic_for_a_seed(data):
    schools, reviewers, k, seed, conflicts = data
    try:
        first = assign_reviewers(schools, reviewers, k, seed, conflicts)
    except AssignmentInfeasible:
        return
    shuffled = {school: list(reversed(rs)) for school, rs in reversed(list(reviewers.items()))}
    again = assign_reviewers(list(reversed(schools)), shuffled, k, seed, set(conflicts))
    assert first == again


@settings(max_examples=60, deadline=None)
@given(pools())
def test_existing_pairs_are_kept(data):
    schools, reviewers, k, seed, conflicts = data
    first = assign_reviewers(schools, reviewers, k, seed, conflicts)
    kept = first[: len(first) // 2]
    again = assign_reviewers(schools, reviewers, k, seed + 1, conflicts, existing=kept)
    assert set(kept) <= set(again)
    _check_basic(schools, reviewers, k, conflicts, again)


def test_reciprocal_pairs_avoided_when_possible():
    # 6 schools, one reviewer each, k=1: a cycle exists, so no school pair reviews each other.
    schools = list(range(1, 7))
    reviewers = {s: [100 + s] for s in schools}
    for seed in range(30):
        pairs = assign_reviewers(schools, reviewers, 1, seed)
        assert reciprocal_pairs(pairs, _home(reviewers)) == set()


def test_reciprocal_pairs_few_with_k2():
    schools = list(range(1, 10))
    reviewers = {s: [100 + s, 200 + s] for s in schools}
    pairs = assign_reviewers(schools, reviewers, 2, 7)
    assert len(reciprocal_pairs(pairs, _home(reviewers))) <= 1


def test_infeasible_names_the_school():
    with pytest.raises(AssignmentInfeasible) as caught:
        assign_reviewers([1, 2], {1: [10], 2: [20]}, 2, 0)
    assert caught.value.short == {1: 1, 2: 1}


def test_same_seed_same_result_other_seed_may_differ():
    schools = list(range(1, 13))
    reviewers = {s: [100 + s] for s in schools}
    results = {tuple(assign_reviewers(schools, reviewers, 3, seed)) for seed in range(5)}
    assert assign_reviewers(schools, reviewers, 3, 2020) == assign_reviewers(schools, reviewers, 3, 2020)
    assert len(results) > 1
