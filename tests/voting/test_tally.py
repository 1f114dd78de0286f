"""The vote's arithmetic for each preset, with exact fractions: quorum and threshold on the
whole electorate, absent members' written votes, ties and the second round."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from thidua.voting import tally
from thidua.voting.models import DEFAULT_PRESETS

PRESETS = {p["code"]: tally.Rules.of(p) for p in DEFAULT_PRESETS}
CLUSTER = PRESETS["cluster-vote"]
FLAG = PRESETS["council-flag"]
TOP = PRESETS["council-top-individual"]


def test_the_presets_are_read_as_exact_fractions():
    assert CLUSTER.quorum == Fraction(2, 3)
    assert CLUSTER.threshold == Fraction(1, 2)
    assert FLAG.threshold == Fraction(4, 5)
    assert TOP.threshold == Fraction(9, 10)
    assert tally.Rules.of(CLUSTER.snapshot()) == CLUSTER


@pytest.mark.parametrize(
    ("electorate", "quorum", "votes"),
    [(12, 8, 7), (9, 6, 5), (10, 7, 6), (3, 2, 2), (1, 1, 1)],
)
def test_the_cluster_vote_needs_two_thirds_present_and_more_than_half_of_all_members(electorate, quorum, votes):
    assert tally.quorum_needed(CLUSTER, electorate) == quorum
    assert tally.votes_needed(CLUSTER, electorate) == votes


@pytest.mark.parametrize(("electorate", "flag", "top"), [(12, 10, 11), (10, 8, 9), (20, 16, 18), (7, 6, 7)])
def test_the_council_needs_eighty_percent_for_a_flag_and_ninety_for_a_top_title(electorate, flag, top):
    assert tally.votes_needed(FLAG, electorate) == flag
    assert tally.votes_needed(TOP, electorate) == top


def test_the_threshold_is_on_the_whole_electorate_not_on_the_votes_cast():
    # 12 members, 9 present, all 9 ballots: 6 votes is two thirds of the votes cast but not more
    # than half of the 12 members
    outcome = tally.count(CLUSTER, electorate=12, present=9, counts={"a": 6, "b": 3}, ballots_counted=9)
    assert outcome.quorum_met is True
    assert outcome.votes_needed == 7
    assert outcome.elected == ()
    assert outcome.next_round == ("a", "b")
    assert outcome.needs_decision is False


def test_a_candidate_with_seven_of_twelve_is_elected():
    outcome = tally.count(CLUSTER, electorate=12, present=12, counts={"a": 7, "b": 5}, ballots_counted=12)
    assert outcome.elected == ("a",)
    assert [(c.key, c.votes, c.reached, c.elected) for c in outcome.candidates] == [
        ("a", 7, True, True),
        ("b", 5, False, False),
    ]


def test_without_a_quorum_nobody_is_elected():
    outcome = tally.count(CLUSTER, electorate=12, present=7, counts={"a": 7}, ballots_counted=7)
    assert (outcome.quorum_needed, outcome.quorum_met, outcome.elected) == (8, False, ())
    assert outcome.candidates[0].reached is False


def test_absent_members_written_votes_count_towards_quorum_for_the_council():
    counts = {"a": 8}
    without = tally.count(FLAG, electorate=10, present=6, written=0, counts={"a": 6}, ballots_counted=6)
    with_written = tally.count(FLAG, electorate=10, present=6, written=2, counts=counts, ballots_counted=8)
    assert (without.participants, without.quorum_met) == (6, False)
    assert (with_written.participants, with_written.quorum_met, with_written.elected) == (8, True, ("a",))


def test_the_cluster_vote_does_not_count_written_votes():
    outcome = tally.count(CLUSTER, electorate=12, present=7, written=2, counts={"a": 7}, ballots_counted=7)
    assert (outcome.participants, outcome.quorum_met) == (7, False)


def test_the_council_flag_needs_at_least_eighty_percent_exactly():
    reached = tally.count(FLAG, electorate=10, present=10, counts={"a": 8}, ballots_counted=10)
    short = tally.count(FLAG, electorate=10, present=10, counts={"a": 7}, ballots_counted=10)
    assert reached.elected == ("a",)
    assert short.elected == ()
    assert short.needs_decision is True  # one round only: the head and deputies decide


def test_a_tie_at_the_last_seat_goes_to_a_second_round_between_the_tied():
    # two places, three tied on 7 of 12 (a tie with one place cannot reach more than half)
    outcome = tally.count(
        CLUSTER, electorate=12, present=12, counts={"a": 7, "b": 7, "c": 7, "d": 3}, ballots_counted=12, seats=2
    )
    assert outcome.elected == ()
    assert outcome.next_round == ("a", "b", "c")


def test_with_two_seats_the_clear_winner_is_elected_and_the_short_go_to_round_two():
    outcome = tally.count(
        CLUSTER, electorate=12, present=12, counts={"a": 10, "b": 6, "c": 6, "d": 2}, ballots_counted=12, seats=2
    )
    assert outcome.elected == ("a",)
    assert outcome.next_round == ("b", "c")


def test_after_the_second_round_the_head_and_deputies_decide():
    outcome = tally.count(
        CLUSTER, electorate=12, present=12, counts={"a": 6, "b": 6}, ballots_counted=12, round_number=2
    )
    assert outcome.elected == ()
    assert outcome.next_round == ()
    assert outcome.needs_decision is True


def test_the_second_round_elects_with_the_same_threshold_on_the_whole_electorate():
    outcome = tally.count(CLUSTER, electorate=12, present=9, counts={"a": 7, "b": 2}, ballots_counted=9, round_number=2)
    assert outcome.elected == ("a",)
    assert outcome.needs_decision is False


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError, match="more votes than ballots"):
        tally.count(CLUSTER, electorate=12, present=12, counts={"a": 13}, ballots_counted=12)
    with pytest.raises(ValueError, match="participants"):
        tally.count(CLUSTER, electorate=3, present=4, counts={"a": 1}, ballots_counted=4)


def test_with_two_places_two_clear_winners_over_the_threshold_are_both_elected():
    # three reach 7 of 12; the top two fill the two places, the third is out
    outcome = tally.count(
        CLUSTER, electorate=12, present=12, counts={"a": 9, "b": 8, "c": 7}, ballots_counted=12, seats=2
    )
    assert outcome.elected == ("a", "b")
    assert outcome.next_round == ()
    assert outcome.needs_decision is False


def test_a_tie_that_fits_inside_the_places_elects_the_tied():
    outcome = tally.count(
        CLUSTER, electorate=12, present=12, counts={"a": 8, "b": 8, "c": 7}, ballots_counted=12, seats=2
    )
    assert outcome.elected == ("a", "b")
    assert outcome.next_round == ()


def test_a_tie_that_straddles_the_last_place_leaves_the_tied_out_and_they_go_to_round_two():
    outcome = tally.count(
        CLUSTER, electorate=12, present=12, counts={"a": 10, "b": 7, "c": 7}, ballots_counted=12, seats=2
    )
    assert outcome.elected == ("a",)
    assert outcome.next_round == ("b", "c")


@pytest.mark.parametrize(
    ("entered", "strict", "votes"),
    [("0.505", False, 101), ("0.505", True, 102), (Decimal("0.505"), False, 101), ("0.51", False, 102)],
)
def test_a_threshold_is_the_exact_fraction_entered(entered, strict, votes):
    rules = tally.Rules.of({"quorum": "2/3", "threshold": entered, "threshold_strict": strict})
    assert rules.threshold == Fraction(entered if isinstance(entered, str) else str(entered))
    assert tally.votes_needed(rules, 200) == votes


def test_a_stored_five_place_decimal_of_two_thirds_still_means_two_thirds():
    assert tally.as_fraction(Decimal("0.66667")) == Fraction(2, 3)
    assert tally.as_fraction(Decimal(2) / Decimal(3)) == Fraction(2, 3)


@settings(max_examples=300, deadline=None)
@given(
    votes=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=6),
    seats=st.integers(min_value=1, max_value=4),
    rules=st.sampled_from([CLUSTER, FLAG, TOP]),
)
def test_the_places_go_to_the_top_candidates_and_only_a_straddling_tie_is_left_out(votes, seats, rules):
    counts = {f"c{i}": v for i, v in enumerate(votes)}
    assume(sum(votes) <= seats * 12)  # each of the 12 ballots approves at most ``seats``
    outcome = tally.count(rules, electorate=12, present=12, counts=counts, ballots_counted=12, seats=seats)
    needed = tally.votes_needed(rules, 12)
    reaching = {k: v for k, v in counts.items() if v >= needed}
    elected = set(outcome.elected)
    assert elected <= set(reaching)
    assert len(elected) <= seats
    for key, v in reaching.items():
        above_or_equal = sum(1 for w in reaching.values() if w >= v)
        # elected exactly when everyone with at least as many votes fits in the places
        assert (key in elected) == (above_or_equal <= seats), (counts, seats)


def test_an_impossible_tally_is_refused_with_its_reason():
    assert tally.impossible(CLUSTER, present=8, written=0, ballots_counted=12, approvals=12, seats=1) == (
        "ballots_exceed_present"
    )
    assert tally.impossible(CLUSTER, present=8, written=0, ballots_counted=8, approvals=9, seats=1) == (
        "approvals_exceed_places"
    )
    assert tally.impossible(CLUSTER, present=8, written=0, ballots_counted=8, approvals=16, seats=2) is None
    # the council counts absent members' written votes among the ballots
    assert tally.impossible(FLAG, present=6, written=2, ballots_counted=8, approvals=8, seats=1) is None
    with pytest.raises(ValueError, match="ballots_exceed_present"):
        tally.count(CLUSTER, electorate=12, present=8, counts={"a": 12}, ballots_counted=12)
