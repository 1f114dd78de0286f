"""The arithmetic of a vote (kiểm phiếu): quorum, threshold, elected, second round — pure.

No Django here: the functions take numbers and return numbers, so every preset can be checked
with exact fractions. Quorum and threshold are fractions of the WHOLE electorate (PRODUCT.md
§6), never of the votes cast: with 12 members and "more than 50 %", a candidate needs 7 votes
whether 12 or 9 schools are present.

- Participants are the members present, plus the absent members' written votes where the
  preset counts them (Hội đồng thi đua).
- Without a quorum nothing is elected.
- Candidates who reach the threshold are elected in order of votes, at most ``seats`` of them
  (the ballot's "how many each voter may approve"): the top candidates fill the places, a tie
  that fits inside the places elects all the tied, and only a tie that straddles the last place
  leaves the tied out (they go to the next round).
- Seats left over go to a further round between the best of the rest (the short and tied
  candidates) while the preset allows rounds; after the last round the head and deputies
  decide (``needs_decision``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Rules:
    """A preset's rules as exact fractions."""

    quorum: Fraction
    threshold: Fraction
    threshold_strict: bool = True
    max_rounds: int = 2
    absentee_written_votes: bool = False

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> Rules:
        """From a preset or its JSON snapshot (fractions as "2/3", decimals or numbers)."""
        return cls(
            quorum=as_fraction(value["quorum"]),
            threshold=as_fraction(value["threshold"]),
            threshold_strict=bool(value.get("threshold_strict", True)),
            max_rounds=int(value.get("max_rounds", 1)),
            absentee_written_votes=bool(value.get("absentee_written_votes", False)),
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "quorum": str(self.quorum),
            "threshold": str(self.threshold),
            "threshold_strict": self.threshold_strict,
            "max_rounds": self.max_rounds,
            "absentee_written_votes": self.absentee_written_votes,
        }


def as_fraction(value: Any) -> Fraction:
    """The exact fraction entered: 0,505 is 101/200 (of 200 members, 101 votes).

    Only a decimal of five or more places (the storage's precision, e.g. 2/3 stored as
    Decimal("0.66667")) that lies within half a unit of its fifth place of a fraction with a
    denominator of at most 100 means that fraction, so presets keep their exact meaning."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and "/" in value:
        return Fraction(value)
    decimal = Decimal(str(value))
    exact = Fraction(decimal)
    exponent = decimal.as_tuple().exponent
    if isinstance(exponent, int) and exponent <= -5:
        snapped = exact.limit_denominator(100)
        if abs(snapped - exact) < Fraction(1, 2 * 10**5):
            return snapped
    return exact


def quorum_needed(rules: Rules, electorate: int) -> int:
    """The fewest participants that make a quorum: ⌈quorum × electorate⌉."""
    return math.ceil(rules.quorum * electorate)


def votes_needed(rules: Rules, electorate: int) -> int:
    """The fewest votes that reach the threshold on the whole electorate: more than (strict) or
    at least the fraction."""
    exact = rules.threshold * electorate
    if rules.threshold_strict:
        return math.floor(exact) + 1
    return math.ceil(exact)


def participants(rules: Rules, *, present: int, written: int) -> int:
    return present + (written if rules.absentee_written_votes else 0)


def impossible(
    rules: Rules, *, present: int, written: int, ballots_counted: int, approvals: int, seats: int
) -> str | None:
    """Why a tally cannot be true, or None: more ballots counted than delegates present (with
    the written votes the rules count), or more approvals than places × ballots counted."""
    if ballots_counted > participants(rules, present=present, written=written):
        return "ballots_exceed_present"
    if approvals > seats * ballots_counted:
        return "approvals_exceed_places"
    return None


@dataclass(frozen=True)
class CandidateCount:
    key: str
    votes: int
    reached: bool
    elected: bool


@dataclass(frozen=True)
class Outcome:
    round_number: int
    electorate: int
    present: int
    written: int
    participants: int
    quorum_needed: int
    quorum_met: bool
    votes_needed: int
    ballots_counted: int
    seats: int
    candidates: tuple[CandidateCount, ...]
    elected: tuple[str, ...]
    next_round: tuple[str, ...] = ()
    needs_decision: bool = False
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "round_number": self.round_number,
            "electorate": self.electorate,
            "present": self.present,
            "written": self.written,
            "participants": self.participants,
            "quorum_needed": self.quorum_needed,
            "quorum_met": self.quorum_met,
            "votes_needed": self.votes_needed,
            "ballots_counted": self.ballots_counted,
            "seats": self.seats,
            "candidates": [
                {"key": c.key, "votes": c.votes, "reached": c.reached, "elected": c.elected} for c in self.candidates
            ],
            "elected": list(self.elected),
            "next_round": list(self.next_round),
            "needs_decision": self.needs_decision,
        }


def count(
    rules: Rules,
    *,
    electorate: int,
    present: int,
    written: int = 0,
    counts: Mapping[str, int],
    ballots_counted: int,
    seats: int = 1,
    round_number: int = 1,
) -> Outcome:
    """The outcome of one round. ``counts`` maps each candidate (in ballot order) to its votes."""
    if seats < 1:
        raise ValueError("seats must be at least 1")
    if any(v < 0 for v in counts.values()):
        raise ValueError("negative count")
    if present > electorate or present + written > electorate:
        raise ValueError("more participants than members")
    if any(v > ballots_counted for v in counts.values()):
        raise ValueError("a candidate has more votes than ballots counted")
    approvals = sum(counts.values())
    reason = impossible(
        rules, present=present, written=written, ballots_counted=ballots_counted, approvals=approvals, seats=seats
    )
    if reason is not None:
        raise ValueError(reason)
    taking_part = participants(rules, present=present, written=written)
    q_needed = quorum_needed(rules, electorate)
    quorum_met = taking_part >= q_needed
    needed = votes_needed(rules, electorate)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])  # stable: ballot order among equals
    elected: list[str] = []
    if quorum_met:
        reaching = [(k, v) for k, v in ranked if v >= needed]
        if len(reaching) <= seats:
            elected = [k for k, _ in reaching]
        else:
            # the top candidates fill the places; only a tie straddling the last place is left out
            boundary = reaching[seats - 1][1]
            at_least = [k for k, v in reaching if v >= boundary]
            elected = at_least if len(at_least) <= seats else [k for k, v in reaching if v > boundary]
    left = seats - len(elected)
    next_round: tuple[str, ...] = ()
    needs_decision = False
    if quorum_met and left > 0:
        rest = [(k, v) for k, v in ranked if k not in elected]
        if round_number < rules.max_rounds and rest:
            next_round = _runoff(rest, left)
        else:
            needs_decision = True
    candidates = tuple(
        CandidateCount(key=k, votes=v, reached=quorum_met and v >= needed, elected=k in elected)
        for k, v in counts.items()
    )
    return Outcome(
        round_number=round_number,
        electorate=electorate,
        present=present,
        written=written,
        participants=taking_part,
        quorum_needed=q_needed,
        quorum_met=quorum_met,
        votes_needed=needed,
        ballots_counted=ballots_counted,
        seats=seats,
        candidates=candidates,
        elected=tuple(elected),
        next_round=next_round,
        needs_decision=needs_decision,
    )


def _runoff(rest: list[tuple[str, int]], seats_left: int) -> tuple[str, ...]:
    """The next round's candidates: the best ``seats_left + 1`` of the rest with everyone tied
    with the last of them (two candidates for one seat, more when tied)."""
    if len(rest) <= seats_left + 1:
        return tuple(k for k, _ in rest)
    cutoff = rest[seats_left][1]
    return tuple(k for k, v in rest if v >= cutoff)
