"""Who reviews whom (phân công chấm chéo): a pure function, no Django.

``assign_reviewers(schools, reviewers_by_school, k, seed, conflicts, existing)`` gives every
school ``k`` reviewers from the reviewer pools of the *other* member schools:

1. never a reviewer of the school itself, never a declared conflict (reviewer, school),
   never the same reviewer twice for one school;
2. loads balanced: the number of schools each reviewer of the pool reviews differs by at most
   one (always reached when no conflict or kept assignment stands in the way);
3. reciprocal pairs avoided where possible: when a reviewer of school X reviews Y, a reviewer
   of Y reviewing X is chosen only if no other choice keeps the loads balanced; likewise two
   reviewers of the same school on one school;
4. deterministic: the same inputs and ``seed`` give the same assignment (ties are broken by a
   ``random.Random(seed)`` shuffle of the reviewers, never by set or dict order).

``existing`` pairs (assignments already made, e.g. edited by the secretariat) are kept, count
towards ``k`` and the loads, and are never moved. The result is every pair, kept and new,
sorted. When some school has fewer than ``k`` eligible reviewers, ``AssignmentInfeasible``
says which, and why.

School and reviewer identifiers must be sortable and hashable (database ids in practice).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Pair = tuple[Any, Any]  # (reviewer id, school id)


@dataclass
class AssignmentInfeasible(ValueError):  # noqa: N818 -- named for what it reports
    """Some schools cannot get ``k`` reviewers: ``short`` maps each to the number available."""

    k: int
    short: dict[Any, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = ", ".join(f"{school}: {n}" for school, n in sorted(self.short.items(), key=lambda kv: str(kv[0])))
        return f"cannot give every school {self.k} reviewers (eligible reviewers available — {parts})"


@dataclass
class _State:
    home: dict[Any, Any]  # reviewer → their school
    load: dict[Any, int]
    by_school: dict[Any, set[Any]]  # school → its reviewers
    pair_count: dict[tuple[Any, Any], int]  # (reviewer school, reviewed school) → number of assignments
    fixed: set[Pair]

    def reciprocal(self, reviewer: Any, school: Any) -> bool:
        home = self.home.get(reviewer)
        return home is not None and self.pair_count.get((school, home), 0) > 0

    def same_home(self, reviewer: Any, school: Any) -> bool:
        home = self.home.get(reviewer)
        return home is not None and any(self.home.get(r) == home for r in self.by_school[school] if r != reviewer)

    def add(self, reviewer: Any, school: Any) -> None:
        self.by_school[school].add(reviewer)
        self.load[reviewer] = self.load.get(reviewer, 0) + 1
        home = self.home.get(reviewer)
        if home is not None:
            self.pair_count[(home, school)] = self.pair_count.get((home, school), 0) + 1

    def remove(self, reviewer: Any, school: Any) -> None:
        self.by_school[school].discard(reviewer)
        self.load[reviewer] -= 1
        home = self.home.get(reviewer)
        if home is not None:
            self.pair_count[(home, school)] -= 1


def assign_reviewers(
    schools: Iterable[Any],
    reviewers_by_school: Mapping[Any, Sequence[Any]],
    k: int,
    seed: int,
    conflicts: Iterable[Pair] = (),
    existing: Iterable[Pair] = (),
) -> list[Pair]:
    """Every (reviewer, school) pair of the assignment, kept and new, sorted (see the module)."""
    if k < 0:
        raise ValueError("k must be 0 or more")
    school_list = sorted(set(schools))
    home: dict[Any, Any] = {}
    for school in sorted(reviewers_by_school):
        for reviewer in sorted(set(reviewers_by_school[school])):
            home.setdefault(reviewer, school)
    rng = random.Random(seed)  # noqa: S311 -- reproducible tie-breaking, not security
    pool = sorted(home)
    rng.shuffle(pool)
    tiebreak = {reviewer: n for n, reviewer in enumerate(pool)}
    banned = set(conflicts)

    state = _State(home, dict.fromkeys(pool, 0), defaultdict(set), {}, set())
    for reviewer, school in sorted(set(existing), key=_pair_key):
        state.add(reviewer, school)
        state.fixed.add((reviewer, school))
        tiebreak.setdefault(reviewer, len(tiebreak))

    def eligible(school: Any) -> list[Any]:
        return [r for r in pool if home[r] != school and (r, school) not in banned and r not in state.by_school[school]]

    short = {
        school: len(eligible(school)) + len(state.by_school[school])
        for school in school_list
        if len(eligible(school)) + len(state.by_school[school]) < k
    }
    if short:
        raise AssignmentInfeasible(k, short)

    # Greedy by rounds: each round every school still short takes one reviewer; the schools
    # with the fewest options choose first, then in a seeded order.
    order = list(school_list)
    rng.shuffle(order)
    while True:
        needing = [s for s in order if len(state.by_school[s]) < k]
        if not needing:
            break
        needing.sort(key=lambda s: len(eligible(s)))
        for school in needing:
            options = eligible(school)
            lowest = min(state.load[r] for r in options)
            best = min(
                options,
                key=lambda r: (
                    state.load[r] > lowest,
                    state.reciprocal(r, school),
                    state.same_home(r, school),
                    state.load[r],
                    tiebreak[r],
                ),
            )
            state.add(best, school)

    _balance(state, pool, banned, tiebreak)
    _untangle(state, pool, banned, tiebreak)
    pairs = [(reviewer, school) for school in school_list for reviewer in state.by_school[school]]
    pairs.extend((r, s) for r, s in state.fixed if s not in set(school_list))
    return sorted(set(pairs), key=_pair_key)


def _pair_key(pair: Pair) -> tuple[str, str, Any, Any]:
    return (type(pair[1]).__name__, type(pair[0]).__name__, pair[1], pair[0])


def _movable(state: _State, reviewer: Any, school: Any) -> bool:
    return (reviewer, school) not in state.fixed


def _can_take(state: _State, reviewer: Any, school: Any, banned: set[Pair]) -> bool:
    return (
        state.home[reviewer] != school and (reviewer, school) not in banned and reviewer not in state.by_school[school]
    )


def _balance(state: _State, pool: list[Any], banned: set[Pair], tiebreak: Mapping[Any, int]) -> None:
    """Move assignments from the most loaded reviewers to the least loaded until the loads
    differ by at most one, or no move helps (conflicts or kept pairs in the way)."""
    if not pool:
        return
    for _round in range(len(pool) * (sum(state.load.values()) + 1)):
        ranked = sorted(pool, key=lambda r: (state.load[r], tiebreak[r]))
        low, high = state.load[ranked[0]], state.load[ranked[-1]]
        if high - low <= 1:
            return
        moved = False
        for giver in reversed(ranked):
            if state.load[giver] < high:
                break
            for taker in ranked:
                if state.load[taker] > low:
                    break
                choices = [
                    s
                    for s in sorted(state_schools(state, giver), key=str)
                    if _movable(state, giver, s) and _can_take(state, taker, s, banned)
                ]
                if choices:
                    school = min(choices, key=lambda s: (state.reciprocal(taker, s), state.same_home(taker, s), str(s)))
                    state.remove(giver, school)
                    state.add(taker, school)
                    moved = True
                    break
            if moved:
                break
        if not moved:
            return


def state_schools(state: _State, reviewer: Any) -> list[Any]:
    return [school for school, reviewers in state.by_school.items() if reviewer in reviewers]


def _tangles(state: _State) -> int:
    return sum(1 for school, rs in state.by_school.items() for r in rs if state.reciprocal(r, school))


def _untangle(state: _State, pool: list[Any], banned: set[Pair], tiebreak: Mapping[Any, int]) -> None:
    """Swap the schools of two reviewers (loads unchanged) when that lowers the number of
    reciprocal assignments (a bounded number of passes)."""
    if not pool:
        return
    for _pass in range(4):
        changed = False
        for school in sorted(state.by_school, key=str):
            for reviewer in sorted(state.by_school[school], key=lambda r: tiebreak.get(r, 0)):
                if reviewer not in state.by_school[school] or not _movable(state, reviewer, school):
                    continue
                if reviewer not in state.home or not state.reciprocal(reviewer, school):
                    continue
                if _swap_away(state, reviewer, school, banned, tiebreak):
                    changed = True
        if not changed:
            return


def _swap_away(state: _State, reviewer: Any, school: Any, banned: set[Pair], tiebreak: Mapping[Any, int]) -> bool:
    before = _tangles(state)
    for other_school in sorted(state.by_school, key=str):
        if other_school == school:
            continue
        for other in sorted(state.by_school[other_school], key=lambda r: tiebreak.get(r, 0)):
            if other not in state.home or not _movable(state, other, other_school):
                continue
            if other in state.by_school[school] or reviewer in state.by_school[other_school]:
                continue
            if state.home[other] == school or state.home[reviewer] == other_school:
                continue
            if (other, school) in banned or (reviewer, other_school) in banned:
                continue
            state.remove(reviewer, school)
            state.remove(other, other_school)
            state.add(other, school)
            state.add(reviewer, other_school)
            if _tangles(state) < before:
                return True
            state.remove(other, school)
            state.remove(reviewer, other_school)
            state.add(reviewer, school)
            state.add(other, other_school)
    return False


def reciprocal_pairs(pairs: Iterable[Pair], home: Mapping[Any, Any]) -> set[frozenset[Any]]:
    """The school pairs {X, Y} where someone of X reviews Y and someone of Y reviews X."""
    directed = {(home[r], s) for r, s in pairs if r in home}
    return {frozenset((a, b)) for a, b in directed if (b, a) in directed}
