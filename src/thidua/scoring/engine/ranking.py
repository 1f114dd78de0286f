"""Ranking (*xếp hạng*): competition ranks (1, 1, 3) on unrounded totals, with a tie-break order.

Schools are ordered by total; schools with equal totals are compared on the tie-break codes
(group or leaf points, in the configured order); a tie that remains stands and both show
"1=". Pure functions on Decimals, reusable by later analytics (bootstrap rank confidence).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from thidua.scoring.engine.decimals import format_vi, round_display
from thidua.scoring.engine.results import RankEntry


def competition_ranks(keys: Sequence[Sequence[Decimal]]) -> list[int]:
    """Competition ranks of the keys, larger first: equal keys share a rank, the next skips.

    `competition_ranks([(5,), (7,), (5,)]) == [2, 1, 2]`; `[(9,), (9,), (1,)]` → `[1, 1, 3]`.
    """
    order = sorted(range(len(keys)), key=lambda index: tuple(keys[index]), reverse=True)
    ranks = [0] * len(keys)
    previous: tuple[Decimal, ...] | None = None
    rank = 0
    for position, index in enumerate(order, start=1):
        key = tuple(keys[index])
        if key != previous:
            rank, previous = position, key
        ranks[index] = rank
    return ranks


def rank_schools(
    codes: Sequence[str],
    totals: Sequence[Decimal],
    tie_values: Sequence[Sequence[Decimal]],
    tie_break: Sequence[str],
    *,
    explain: bool = True,
) -> list[RankEntry]:
    """Rank schools (same order as `codes`) by total, then by `tie_values` in order.

    `tie_values[i][k]` is school i's points on `tie_break[k]`.
    """
    keys = [(totals[i], *tie_values[i]) for i in range(len(codes))]
    ranks = competition_ranks(keys)
    shared: dict[int, int] = {}
    for rank in ranks:
        shared[rank] = shared.get(rank, 0) + 1
    notes: list[list[str]] = [[] for _ in codes]
    if explain:
        _explain_tie_breaks(codes, keys, ranks, tie_break, notes)
    return [RankEntry(codes[i], ranks[i], shared[ranks[i]] > 1, "; ".join(notes[i])) for i in range(len(codes))]


def _explain_tie_breaks(
    codes: Sequence[str],
    keys: Sequence[tuple[Decimal, ...]],
    ranks: Sequence[int],
    tie_break: Sequence[str],
    notes: list[list[str]],
) -> None:
    """Say, for schools with equal totals, what the tie-break order decided."""
    by_total: dict[Decimal, list[int]] = {}
    for index, key in enumerate(keys):
        by_total.setdefault(key[0], []).append(index)
    _explain_close_totals(codes, keys, notes)
    for members in by_total.values():
        if len(members) < 2:
            continue
        if len(members) > _PAIRWISE_NOTES_UP_TO:  # keep notes linear in the cluster's size
            for index in members:
                notes[index].append(_block_note(len(members), tie_break))
            continue
        for index in members:
            for other in members:
                if other == index:
                    continue
                notes[index].append(_pair_note(codes, keys, ranks, tie_break, index, other))


_PAIRWISE_NOTES_UP_TO = 5


def _explain_close_totals(codes: Sequence[str], keys: Sequence[tuple[Decimal, ...]], notes: list[list[str]]) -> None:
    """Say, for schools whose different totals are shown alike (27,6 and 27,6), that the exact
    totals decide, and show them in full."""
    by_shown: dict[Decimal, list[int]] = {}
    for index, key in enumerate(keys):
        by_shown.setdefault(round_display(key[0]), []).append(index)
    for members in by_shown.values():
        if len(members) < 2 or len(members) > _PAIRWISE_NOTES_UP_TO:
            continue
        for index in members:
            for other in members:
                mine, theirs = keys[index][0], keys[other][0]
                if other == index or mine == theirs:
                    continue
                word, sign = ("xếp trên", ">") if mine > theirs else ("xếp dưới", "<")
                notes[index].append(
                    f"Tổng điểm hiển thị bằng {codes[other]} ({format_vi(mine)}) nhưng tính đầy đủ "
                    f"{format_vi(mine, places=None)} {sign} {format_vi(theirs, places=None)} → {word}"
                )


def _block_note(size: int, tie_break: Sequence[str]) -> str:
    order = f"; thứ tự theo tiêu chí phụ: {', '.join(tie_break)}" if tie_break else ""
    return f"Bằng tổng điểm với {size - 1} trường khác{order}"


def _pair_note(
    codes: Sequence[str],
    keys: Sequence[tuple[Decimal, ...]],
    ranks: Sequence[int],
    tie_break: Sequence[str],
    index: int,
    other: int,
) -> str:
    mine, theirs = keys[index], keys[other]
    head = f"Bằng tổng điểm với {codes[other]}"
    if ranks[index] == ranks[other]:
        if tie_break:
            return f"{head} và bằng điểm ở mọi tiêu chí phụ ({', '.join(tie_break)}) → đồng hạng"
        return f"{head} → đồng hạng"
    for position, code in enumerate(tie_break, start=1):
        a, b = mine[position], theirs[position]
        if a != b:
            word, sign = ("xếp trên", ">") if a > b else ("xếp dưới", "<")
            shown_a, shown_b = format_vi(a), format_vi(b)
            if shown_a == shown_b:  # differ beyond 2 decimals: show them in full
                shown_a, shown_b = format_vi(a, places=None), format_vi(b, places=None)
            return f"{head}; {word} vì điểm {code} {shown_a} {sign} {shown_b}"
    raise AssertionError("different ranks need a differing tie-break value")
