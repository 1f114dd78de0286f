"""Vectorised competition ranks for many draws at once, exact order codes, rank intervals."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import TypeVar

import numpy as np
import numpy.typing as npt

Int64Array = npt.NDArray[np.int64]
K = TypeVar("K", bound=Hashable)


def order_codes(keys: Sequence[K]) -> list[int]:
    """Dense order codes of comparable keys: equal keys share a code, a larger key a larger code."""
    distinct = sorted(set(keys))  # type: ignore[type-var]
    code = {key: index for index, key in enumerate(distinct)}
    return [code[key] for key in keys]


def row_ranks(
    primary: npt.NDArray[np.int64] | npt.NDArray[np.float64], secondary: Int64Array | None = None
) -> Int64Array:
    """Competition ranks (larger first) within each row of `primary` (draws × schools).

    `secondary[j]` (one value per school) breaks ties of equal primary values; a tie that
    remains shares the rank (1, 1, 3).
    """
    draws, n = primary.shape
    if n == 0 or draws == 0:
        return np.zeros((draws, n), dtype=np.int64)
    rows = np.repeat(np.arange(draws, dtype=np.int64), n)
    flat = primary.reshape(-1)
    keys: list[npt.NDArray[np.int64] | npt.NDArray[np.float64]] = []
    if secondary is not None:
        keys.append(-np.tile(secondary, draws))
    keys += [-flat, rows]
    order = np.lexsort(keys)
    sorted_rows = rows[order]
    sorted_primary = flat[order]
    new = np.ones(draws * n, dtype=bool)
    same = (sorted_rows[1:] == sorted_rows[:-1]) & (sorted_primary[1:] == sorted_primary[:-1])
    if secondary is not None:
        sorted_secondary = np.tile(secondary, draws)[order]
        same &= sorted_secondary[1:] == sorted_secondary[:-1]
    new[1:] = ~same
    positions = np.arange(draws * n, dtype=np.int64)
    starts = np.maximum.accumulate(np.where(new, positions, 0))
    ranks_sorted = starts - sorted_rows * n + 1
    ranks = np.empty(draws * n, dtype=np.int64)
    ranks[order] = ranks_sorted
    return ranks.reshape(draws, n)


def rank_counts(ranks: Int64Array) -> Int64Array:
    """counts[s, r − 1]: in how many draws school s has rank r."""
    n = ranks.shape[1]
    index = np.arange(n, dtype=np.int64)[np.newaxis, :] * n + (ranks - 1)
    return np.bincount(index.reshape(-1), minlength=n * n).reshape(n, n).astype(np.int64)


def rank_interval(counts: Sequence[int], low: float, high: float) -> tuple[int, int]:
    """The ranks at the `low` and `high` quantiles (inverted CDF: the smallest rank whose
    cumulative share reaches the quantile), computed exactly on the counts."""
    total = sum(counts)
    bounds = []
    for quantile in (Fraction(str(low)), Fraction(str(high))):
        cumulative = 0
        found = len(counts)
        for rank, count in enumerate(counts, start=1):
            cumulative += count
            if cumulative > 0 and cumulative >= quantile * total:
                found = rank
                break
        bounds.append(found)
    return bounds[0], bounds[1]
