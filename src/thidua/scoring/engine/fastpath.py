"""A vectorised, exact path for aggregating and ranking many schools from their leaf points.

`compute_from_points` works on Decimals one school at a time: exact, explained, and fast
enough for a cluster, but seconds for a nationwide data set. This module gives the *same*
totals and ranks with numpy, without floats:

- Every point value is exact, so at the scale 10**E·D (E = the most decimal places any value
  or cap has; D = 1, or the least common multiple of the denominators of the values that do
  not terminate, such as a mean of three reviewers, 26/3) it is an integer. Those integers
  are held in int64 *limbs* of base 10**10: a value is `limbs[0]·10**(10·(L−1)) + … + limbs[L−1]`, the lower limbs in
  [0, 10**10), the top limb carrying the sign. Points on a step such as 0.25 need one limb.
  The number of limbs is chosen so that no sum can overflow int64.
- Sums add limb by limb and then carry; caps and the clamp at 0 compare limbs
  lexicographically; ranks sort on the limbs (np.lexsort) with competition ranks after the
  tie-break order. Converting back gives Decimals equal to `compute_from_points`'.

`PointsMatrix.from_points` converts `SchoolPoints` (a Python loop, the slow part);
`PointsMatrix.from_scaled` takes integer arrays directly (points in units of 10**-E, as a
database DecimalField with E decimal places holds them). `rank_matrix` is the fast part.
`reconcile_scaled` reconciles complete reviewer arrays (mean, median, trimmed mean) the same
way as `reconcile_points`, exactly: a mean of n is the sum at the scale 10**E·n.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from thidua.scoring.engine.decimals import Exact, as_fraction, exact
from thidua.scoring.engine.errors import InputError, Problem
from thidua.scoring.engine.model import Framework, Group, Leaf
from thidua.scoring.engine.points import SchoolPoints, check_points, require_valid
from thidua.scoring.engine.reconcile import Policy, ReconciliationError, trimmed_mean_problem

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LIMB = 10**10  # the base of the limbs
_SAFE = 2**62  # every intermediate sum stays below this
_EXACT = Context(prec=400, traps=[Inexact, InvalidOperation, Overflow])


@dataclass(frozen=True, slots=True)
class _FastGroup:
    code: str
    segment: int  # index of its direct leaves' segment in the reduceat result, -1 if none
    children: tuple[int, ...]  # indices of sub-groups (post-order: already computed)
    cap: Decimal
    top: bool


@dataclass(frozen=True, slots=True)
class FastPlan:
    """A framework compiled for the vectorised path.

    Columns are the leaves ordered so that each group's direct leaves are contiguous (group
    by group, depth-first), then the bonus items, then the penalty items.
    """

    leaf_columns: tuple[str, ...]
    starts: tuple[int, ...]  # reduceat starts of the non-empty leaf segments
    groups: tuple[_FastGroup, ...]  # post-order
    bonus: tuple[tuple[str, Decimal | None], ...]
    penalty: tuple[tuple[str, Decimal | None], ...]
    bonus_cap: Decimal | None
    penalty_cap: Decimal | None

    @classmethod
    def of(cls, framework: Framework) -> FastPlan:
        """Compile a (valid) framework."""
        columns: list[str] = []
        starts: list[int] = []
        groups: list[_FastGroup] = []

        def visit(group: Group, *, top: bool) -> int:
            leaves = [child.code for child in group.children if isinstance(child, Leaf)]
            segment = -1
            if leaves:
                segment = len(starts)
                starts.append(len(columns))
                columns.extend(leaves)
            children = tuple(visit(child, top=False) for child in group.children if isinstance(child, Group))
            groups.append(_FastGroup(group.code, segment, children, group.max_points, top))
            return len(groups) - 1

        for group in framework.groups:
            visit(group, top=True)
        return cls(
            leaf_columns=tuple(columns),
            starts=tuple(starts),
            groups=tuple(groups),
            bonus=tuple((item.code, item.cap) for item in framework.bonus),
            penalty=tuple((item.code, item.cap) for item in framework.penalty),
            bonus_cap=framework.bonus_cap,
            penalty_cap=framework.penalty_cap,
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column: leaves (grouped), bonus items, penalty items."""
        return (*self.leaf_columns, *(code for code, _ in self.bonus), *(code for code, _ in self.penalty))

    def constants(self) -> list[Decimal]:
        """Every cap the arithmetic compares with (they must be exact at the matrix's scale)."""
        values = [group.cap for group in self.groups]
        values += [cap for _, cap in (*self.bonus, *self.penalty) if cap is not None]
        values += [cap for cap in (self.bonus_cap, self.penalty_cap) if cap is not None]
        return values


@dataclass(frozen=True, eq=False)
class PointsMatrix:
    """Final points of many schools as exact scaled integers, ready for `rank_matrix`.

    `data[c, l, s]` is limb l of column c (see `FastPlan.columns`) of school s, at the scale
    10**`exponent`. Columns first, so that a block of columns is one contiguous array and
    summing it is one streaming numpy reduction.
    """

    plan: FastPlan
    schools: tuple[str, ...]
    exponent: int
    data: Int64Array = field(repr=False)
    denominator: int = 1  # values are data / (10**exponent · denominator)

    @property
    def limbs(self) -> int:
        """How many int64 limbs each value takes (1 for points on a short step)."""
        return int(self.data.shape[1])

    @classmethod
    def from_points(cls, framework: Framework, schools: Sequence[SchoolPoints]) -> PointsMatrix:
        """Convert Decimal points (validated like `compute_from_points`) to scaled integers."""
        require_valid(framework)
        problems = check_points(framework, schools)
        if problems:
            raise InputError(problems)
        plan = FastPlan.of(framework)
        rows: list[list[Decimal]] = []
        for code in plan.leaf_columns:
            rows.append([school.leaves.get(code, _ZERO) for school in schools])
        for code, _ in plan.bonus:
            rows.append([school.bonus.get(code, _ZERO) for school in schools])
        for code, _ in plan.penalty:
            rows.append([school.penalty.get(code, _ZERO) for school in schools])
        values = [value for row in rows for value in row]
        exponent = _exponent_of([value for value in values if not isinstance(value, Exact)] + plan.constants())
        denominator = 1
        for value in values:
            if isinstance(value, Exact):
                denominator = math.lcm(denominator, value.fraction.denominator)
        scale = Decimal(1).scaleb(exponent)
        whole = Fraction(10**exponent * denominator)
        ints = np.array(
            [
                [
                    int(as_fraction(value) * whole)
                    if isinstance(value, Exact)
                    else int(_EXACT.multiply(value, scale)) * denominator
                    for value in row
                ]
                for row in rows
            ]
            or np.zeros((0, len(schools))),
            dtype=object,
        ).reshape(len(rows), len(schools))
        limbs = _to_limbs(ints, plan, exponent, denominator)
        return cls(plan, tuple(school.code for school in schools), exponent, _columns_first(limbs), denominator)

    @classmethod
    def from_scaled(
        cls,
        framework: Framework,
        schools: Sequence[str],
        leaves: npt.ArrayLike,
        exponent: int,
        *,
        leaf_codes: Sequence[str] | None = None,
        bonus: npt.ArrayLike | None = None,
        penalty: npt.ArrayLike | None = None,
        denominator: int = 1,
    ) -> PointsMatrix:
        """Points given as integers in units of 1/(10**exponent · denominator) (non-negative).

        `leaves[i, j]` is school i's points on leaf `leaf_codes[j]` (default: the framework's
        leaves in document order); `bonus` / `penalty` likewise with the framework's items.
        Alternatively pass a (limbs, schools, columns) array from `reconcile_scaled` as
        `leaves` with its `exponent` and `denominator` (see `ScaledPoints`).
        """
        require_valid(framework)
        if denominator < 1:
            raise InputError([Problem("bad_denominator", "", "Mẫu số phải là số nguyên dương.")])
        if exponent < 0:
            raise InputError([Problem("bad_exponent", "", "Số chữ số thập phân không được âm.")])
        plan = FastPlan.of(framework)
        codes = tuple(leaf_codes) if leaf_codes is not None else tuple(leaf.code for leaf in framework.leaves())
        n = len(schools)
        given = _as_limbs(leaves, n, len(codes))
        position = {code: index for index, code in enumerate(codes)}
        known = set(plan.leaf_columns)
        problems = [
            Problem("unknown_leaf", code, f"Không có tiêu chí mã {code} trong bảng tiêu chí.")
            for code in codes
            if code not in known
        ]
        problems += [
            Problem("missing_column", code, f"Thiếu cột điểm của tiêu chí {code}.")
            for code in plan.leaf_columns
            if code not in position
        ]
        constants_exponent = _exponent_of(plan.constants())
        if constants_exponent > exponent:
            problems.append(
                Problem(
                    "scale_too_small",
                    "",
                    f"Mức tối đa của bảng tiêu chí cần {constants_exponent} chữ số thập phân, "
                    f"dữ liệu chỉ có {exponent}.",
                )
            )
        if problems:
            raise InputError(problems)
        parts = [given[:, :, [position[code] for code in plan.leaf_columns]]]
        for values, items in ((bonus, plan.bonus), (penalty, plan.penalty)):
            if values is None:
                parts.append(np.zeros((1, n, len(items)), dtype=np.int64))
            else:
                parts.append(_as_limbs(values, n, len(items)))
        limbs = max(part.shape[0] for part in parts)
        joined = np.concatenate([_widen(part, limbs) for part in parts], axis=2)  # (L, schools, columns)
        data = _normalise(np.ascontiguousarray(np.transpose(joined, (0, 2, 1))))
        if data.size and int(data[0].min()) < 0:
            raise InputError([Problem("negative_points", "", "Điểm không được âm.")])
        largest = max(
            [int(data[0].max(initial=0))]
            + [_scaled_constant(c, exponent, denominator) // LIMB ** (limbs - 1) for c in plan.constants()]
        )
        if (largest + 1) * _terms(plan) >= _SAFE:  # too close to int64's limit: add a limb
            ints = np.array(_join(data.reshape(limbs, -1)), dtype=object).reshape(data.shape[1:])
            data = _to_limbs(ints, plan, exponent, denominator)
        return cls(plan, tuple(schools), exponent, _columns_first(data), denominator)


_ZERO = Decimal(0)


def _exponent_of(values: Sequence[Decimal]) -> int:
    """The most decimal places any of the values has (0 for integers)."""
    places = 0
    for value in values:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            places = -exponent
    return places


def _scaled_constant(value: Decimal, exponent: int, denominator: int = 1) -> int:
    return int(_EXACT.multiply(value, Decimal(1).scaleb(exponent))) * denominator


def _limb_count(largest: int, terms: int) -> int:
    limbs = 1
    while (largest // LIMB ** (limbs - 1) + 1) * terms >= _SAFE:
        limbs += 1
    return limbs


def _terms(plan: FastPlan) -> int:
    return len(plan.columns) + 4


def _to_limbs(ints: npt.NDArray[np.object_], plan: FastPlan, exponent: int, denominator: int = 1) -> Int64Array:
    """(columns, schools) Python ints → (limbs, columns, schools) int64."""
    largest = max((abs(int(value)) for value in ints.flat), default=0)
    for constant in plan.constants():
        largest = max(largest, _scaled_constant(constant, exponent, denominator))
    limbs = _limb_count(largest, _terms(plan))
    out = np.empty((limbs, *ints.shape), dtype=np.int64)
    rest = ints
    for index in range(limbs - 1, -1, -1):
        if index == 0:
            out[0] = rest.astype(np.int64)
        else:
            out[index] = (rest % LIMB).astype(np.int64)
            rest = rest // LIMB
    return out


def _as_limbs(values: npt.ArrayLike, n: int, columns: int) -> Int64Array:
    """An (n, columns) integer array (int64, or Python ints of any size as dtype=object) or a
    (L, n, columns) limb array → (L, n, columns) int64 limbs."""
    array = np.asarray(values)
    if array.ndim == 2:
        array = array[np.newaxis]
    if array.ndim != 3 or array.shape[1:] != (n, columns):
        raise InputError([Problem("bad_shape", "", f"Mảng điểm có kích thước {array.shape}, cần ({n}, {columns}).")])
    if array.dtype == object and array.shape[0] == 1:
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in array.flat):
            raise InputError([Problem("bad_dtype", "", "Điểm phải là số nguyên theo đơn vị 10^-exponent.")])
        largest = max((abs(value) for value in array.flat), default=0)
        limbs = 1
        while largest // LIMB ** (limbs - 1) >= _SAFE:
            limbs += 1
        out = np.empty((limbs, n, columns), dtype=np.int64)
        rest = array[0]
        for index in range(limbs - 1, 0, -1):
            out[index] = (rest % LIMB).astype(np.int64)
            rest = rest // LIMB
        out[0] = rest.astype(np.int64)
        return out
    if array.dtype.kind not in "iu":
        raise InputError([Problem("bad_dtype", "", "Điểm phải là số nguyên theo đơn vị 10^-exponent.")])
    return array.astype(np.int64, copy=False)


def _columns_first(limbs: Int64Array) -> Int64Array:
    """(limbs, columns, schools) → (columns, limbs, schools), contiguous."""
    return np.ascontiguousarray(np.transpose(limbs, (1, 0, 2)))


def _widen(part: Int64Array, limbs: int) -> Int64Array:
    if part.shape[0] == limbs:
        return part
    pad = np.zeros((limbs - part.shape[0], *part.shape[1:]), dtype=np.int64)
    return np.concatenate([pad, part], axis=0)


def _join(limbs: Int64Array) -> list[int]:
    """(L, k) limbs → k Python ints."""
    values = [int(value) for value in limbs[0]]
    for index in range(1, limbs.shape[0]):
        values = [value * LIMB + int(low) for value, low in zip(values, limbs[index], strict=True)]
    return values


# -- limb arithmetic on arrays shaped (L, ...) ---------------------------------------------


def _normalise(x: Int64Array) -> Int64Array:
    """Carry every lower limb into [0, LIMB); the top limb keeps the sign (in place)."""
    for index in range(x.shape[0] - 1, 0, -1):
        carry = x[index] // LIMB
        x[index] -= carry * LIMB
        x[index - 1] += carry
    return x


@functools.lru_cache(maxsize=4096)
def _constant_limbs(value: Decimal, exponent: int, limbs: int, denominator: int = 1) -> tuple[int, ...]:
    scaled = _scaled_constant(value, exponent, denominator)
    out = []
    for _ in range(limbs - 1):
        scaled, low = divmod(scaled, LIMB)
        out.append(low)
    out.append(scaled)
    return tuple(reversed(out))


def _greater(x: Int64Array, constant: tuple[int, ...]) -> BoolArray:
    """x > constant, lexicographically on normalised limbs."""
    if x.shape[0] == 1:
        greater: BoolArray = x[0] > constant[0]
        return greater
    if x.shape[0] == 2:
        two: BoolArray = (x[0] > constant[0]) | ((x[0] == constant[0]) & (x[1] > constant[1]))
        return two
    result = np.zeros(x.shape[1:], dtype=bool)
    equal = np.ones(x.shape[1:], dtype=bool)
    for index, limb in enumerate(constant):
        result |= equal & (x[index] > limb)
        equal &= x[index] == limb
    return result


def _cap(x: Int64Array, constant: tuple[int, ...]) -> Int64Array:
    """min(x, constant), in place (x normalised)."""
    if x.shape[0] == 1:
        np.minimum(x[0], constant[0], out=x[0])
        return x
    if x.shape[0] == 2 and constant[1] == 0:
        # A cap with at most 10 decimal places (every cap in practice): where x0 ≥ c0 the
        # value is at least the cap, so it becomes (c0, 0); elsewhere it is kept.
        x[1] *= x[0] < constant[0]
        np.minimum(x[0], constant[0], out=x[0])
        return x
    over = _greater(x, constant)
    # Where x > constant every limb becomes the constant's; elsewhere x is kept. The top limb
    # is then min(x0, c0) in both cases, so only the lower limbs need the mask.
    np.minimum(x[0], constant[0], out=x[0])
    for index in range(1, x.shape[0]):
        np.copyto(x[index], constant[index], where=over)
    return x


@dataclass(frozen=True, eq=False)
class FastRanking:
    """Totals and ranks from `rank_matrix`: numpy arrays, Decimals on demand.

    `ranks[i]` is school i's competition rank (input order); `order` lists school indices
    in rank order (input order within a shared rank); `tied[i]` is set when the rank is
    shared. `totals()`, `group_points(code)`, `bonus()`, `penalty()` give exact Decimals.
    """

    schools: tuple[str, ...]
    exponent: int
    ranks: Int64Array = field(repr=False)
    order: Int64Array = field(repr=False)
    tied: BoolArray = field(repr=False)
    total_limbs: Int64Array = field(repr=False)
    groups_total_limbs: Int64Array = field(repr=False)
    group_limbs: dict[str, Int64Array] = field(repr=False)
    bonus_limbs: Int64Array = field(repr=False)
    penalty_limbs: Int64Array = field(repr=False)
    denominator: int = 1

    def _decimals(self, limbs: Int64Array) -> list[Decimal]:
        return _unscaled(_join(limbs), self.exponent, self.denominator)

    def totals(self) -> list[Decimal]:
        """Every school's total (input order)."""
        return self._decimals(self.total_limbs)

    def groups_totals(self) -> list[Decimal]:
        """Every school's sum of capped top-level groups."""
        return self._decimals(self.groups_total_limbs)

    def group_points(self, code: str) -> list[Decimal]:
        """Every school's capped points on one group."""
        return self._decimals(self.group_limbs[code])

    def bonus(self) -> list[Decimal]:
        """Every school's bonus after the caps."""
        return self._decimals(self.bonus_limbs)

    def penalty(self) -> list[Decimal]:
        """Every school's penalty after the caps."""
        return self._decimals(self.penalty_limbs)


def rank_matrix(matrix: PointsMatrix, tie_break: Sequence[str] = ()) -> FastRanking:
    """Aggregate (capped groups + bonus − penalty, never below 0) and rank, vectorised.

    Gives the same totals and competition ranks (after the tie-break order of group or leaf
    codes) as `compute_from_points`.
    """
    plan = matrix.plan
    data = matrix.data
    limbs = data.shape[1]
    exponent = matrix.exponent
    denominator = matrix.denominator
    m = len(plan.leaf_columns)
    n = data.shape[2]
    ends = (*plan.starts[1:], m)
    capped: list[Int64Array] = []
    groups_total = np.zeros((limbs, n), dtype=np.int64)
    for group in plan.groups:
        if group.segment >= 0:  # its direct leaves: one contiguous block of columns, summed in one pass
            start, end = plan.starts[group.segment], ends[group.segment]
            raw = data[start].copy() if end - start == 1 else np.add.reduce(data[start:end], axis=0)
        else:
            raw = np.zeros((limbs, n), dtype=np.int64)
        for child in group.children:
            raw += capped[child]
        _cap(_normalise(raw), _constant_limbs(group.cap, exponent, limbs, denominator))
        capped.append(raw)
        if group.top:
            groups_total += raw
    _normalise(groups_total)
    bonus = _adjustments(data[m : m + len(plan.bonus)], plan.bonus, plan.bonus_cap, exponent, denominator)
    start = m + len(plan.bonus)
    penalty = _adjustments(
        data[start : start + len(plan.penalty)], plan.penalty, plan.penalty_cap, exponent, denominator
    )
    total = _normalise(groups_total + bonus - penalty)
    total[:, total[0] < 0] = 0
    by_group = {group.code: values for group, values in zip(plan.groups, capped, strict=True)}
    column = {code: index for index, code in enumerate(plan.leaf_columns)}
    keys = [total] + [by_group[code] if code in by_group else data[column[code]] for code in tie_break]
    ranks, order, tied = _competition_ranks(keys)
    return FastRanking(
        schools=matrix.schools,
        exponent=exponent,
        ranks=ranks,
        order=order,
        tied=tied,
        total_limbs=total,
        groups_total_limbs=groups_total,
        group_limbs=by_group,
        bonus_limbs=bonus,
        penalty_limbs=penalty,
        denominator=denominator,
    )


def _adjustments(
    values: Int64Array,
    items: tuple[tuple[str, Decimal | None], ...],
    cap: Decimal | None,
    exponent: int,
    denominator: int,
) -> Int64Array:
    """Bonus or penalty: `values` (items, limbs, schools), each item capped, the sum capped."""
    _, limbs, n = values.shape
    values = values.copy()
    for index, (_, item_cap) in enumerate(items):
        if item_cap is not None:
            _cap(values[index], _constant_limbs(item_cap, exponent, limbs, denominator))
    raw = _normalise(np.add.reduce(values, axis=0)) if items else np.zeros((limbs, n), dtype=np.int64)
    if cap is not None:
        _cap(raw, _constant_limbs(cap, exponent, limbs, denominator))
    return raw


def _packed(keys: Sequence[Int64Array]) -> Int64Array | None:
    """Single-limb, non-negative keys packed into one int64 (mixed radix), if they fit."""
    if any(key.shape[0] != 1 for key in keys) or len(keys) == 1:
        return None
    lows = [int(key[0].min(initial=0)) for key in keys]
    highs = [int(key[0].max(initial=0)) for key in keys]
    if min(lows) < 0:
        return None
    size = 1
    for high in highs:
        size *= high + 1
    if size >= _SAFE:
        return None
    packed: Int64Array = keys[0][0].copy()
    for key, high in zip(keys[1:], highs[1:], strict=True):
        packed *= high + 1
        packed += key[0]
    return packed


def _competition_ranks(keys: Sequence[Int64Array]) -> tuple[Int64Array, Int64Array, BoolArray]:
    """Competition ranks (larger first) on keys of normalised limbs; stable for equal keys.

    One stable argsort on the most significant limb of the first key; only runs of equal
    values there are sorted further on the remaining limbs (np.lexsort on that subset).
    """
    flat = [limb for key in keys for limb in key]  # most significant first
    packed = _packed(keys)
    if packed is not None:  # one int64 key holds them all: one sort, no refinement
        flat = [packed]
    first = flat[0]
    n = first.shape[0]
    order = np.argsort(-first, kind="stable").astype(np.int64)
    new = np.ones(n, dtype=bool)
    if n > 1:
        leading = first[order]
        equal = leading[1:] == leading[:-1]
        if len(flat) > 1 and equal.any():
            in_run = np.zeros(n, dtype=bool)
            in_run[1:] |= equal
            in_run[:-1] |= equal
            run = np.cumsum(np.concatenate(([True], ~equal)))
            positions = np.flatnonzero(in_run)  # runs are contiguous blocks of positions
            members = order[positions]
            sub_keys = [-limb[members] for limb in reversed(flat[1:])]
            order[positions] = members[np.lexsort([*sub_keys, run[positions]])]
        same = np.ones(n - 1, dtype=bool)
        for limb in flat:
            ordered = limb[order]
            same &= ordered[1:] == ordered[:-1]
        new[1:] = ~same
    sorted_ranks = np.maximum.accumulate(np.where(new, np.arange(1, n + 1, dtype=np.int64), 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = sorted_ranks
    tied = np.bincount(sorted_ranks, minlength=n + 1)[ranks] > 1
    return ranks, order, tied


# -- reconciliation of complete reviewer arrays --------------------------------------------


@dataclass(frozen=True, eq=False)
class ScaledPoints:
    """Reconciled points as limbs (L, schools, leaves) at the scale 10**exponent · denominator
    (a mean of n reviewers: the sum at denominator n, exactly)."""

    exponent: int
    limbs: Int64Array = field(repr=False)
    denominator: int = 1

    def decimals(self) -> list[list[Decimal]]:
        """[school][leaf] as exact Decimals (`Exact` where a mean does not terminate)."""
        limbs, n, m = self.limbs.shape
        flat = _unscaled(_join(self.limbs.reshape(limbs, n * m)), self.exponent, self.denominator)
        return [[flat[i * m + j] for j in range(m)] for i in range(n)]


def _unscaled(ints: Sequence[int], exponent: int, denominator: int) -> list[Decimal]:
    """Scaled integers back to exact Decimals."""
    if denominator == 1:
        return [Decimal(f"{value}e-{exponent}") for value in ints]
    scale = 10**exponent * denominator
    return [exact(Fraction(value, scale)) for value in ints]


def reconcile_scaled(
    reviews: npt.ArrayLike, exponent: int, policy: Policy, *, judgement: Sequence[bool] | None = None
) -> ScaledPoints:
    """Reconcile complete reviewer points given as integers in units of 10**-exponent.

    `reviews[r, i, j]` is reviewer r's points for school i on leaf j (every reviewer scored
    every leaf; use `reconcile_points` for missing ratings). The result equals
    `reconcile_points` value by value, exactly: a mean of n reviewers is their sum at the
    scale 10**exponent · n (`ScaledPoints.denominator`). `judgement[j]` marks a pass/fail or
    levels leaf, reconciled by the median level (the lower middle) whatever the policy.
    Raises `ReconciliationError` for the panel policy (no automatic value) and for a trimmed
    mean with fewer than 5 reviewers.
    """
    array = np.asarray(reviews)
    if array.ndim != 3 or array.dtype.kind not in "iu":
        raise InputError([Problem("bad_shape", "", "Cần mảng số nguyên (người chấm, trường, tiêu chí).")])
    array = array.astype(np.int64, copy=False)
    if exponent < 0 or (array.size and int(array.min()) < 0):
        raise InputError([Problem("negative_points", "", "Điểm và số chữ số thập phân không được âm.")])
    count = array.shape[0]
    if policy is Policy.PANEL:
        raise ReconciliationError(
            [Problem("panel_no_value", "", "Chính sách hội đồng quyết định không tự tính điểm đề xuất.")]
        )
    if count == 0:
        raise ReconciliationError([Problem("no_reviews", "", "Không có điểm của người chấm nào.")])
    if policy is Policy.TRIMMED_MEAN:
        problem = trimmed_mean_problem(count)
        if problem is not None:
            raise ReconciliationError([Problem("trimmed_mean_too_few", "", problem)])
    if int(np.abs(array).max(initial=0)) * (count + 1) >= _SAFE // LIMB:
        raise InputError([Problem("values_too_large", "", "Điểm quá lớn cho đường tính nhanh; dùng reconcile_points.")])
    reconciled = _reconcile_array(array, count, exponent, policy)
    mask = np.asarray(judgement if judgement is not None else [False] * array.shape[2], dtype=bool)
    if mask.shape != (array.shape[2],):
        raise InputError([Problem("bad_shape", "", "Cần một cờ 'định tính/mức' cho mỗi tiêu chí.")])
    if mask.any():
        lower = np.sort(array[:, :, mask], axis=0)[(count - 1) // 2]
        factor = 10 ** (reconciled.exponent - exponent) * reconciled.denominator
        reconciled.limbs[0][:, mask] = lower * factor
    return reconciled


def _reconcile_array(array: Int64Array, count: int, exponent: int, policy: Policy) -> ScaledPoints:
    """The policy's values of every leaf, one limb at the scale 10**exponent · denominator."""
    if policy is Policy.MEDIAN:
        ordered = np.sort(array, axis=0)
        middle = count // 2
        if count % 2:
            return ScaledPoints(exponent, ordered[middle][np.newaxis].copy())
        pair = ordered[middle - 1] + ordered[middle]
        return ScaledPoints(exponent + 1, (pair * 5)[np.newaxis])  # (a + b)/2 = 5(a + b)/10
    if policy is Policy.TRIMMED_MEAN:
        ordered = np.sort(array, axis=0)
        return _mean(ordered[1:-1].sum(axis=0), count - 2, exponent)
    return _mean(array.sum(axis=0), count, exponent)


def _mean(sums: Int64Array, count: int, exponent: int) -> ScaledPoints:
    """sums / count, exactly: the sums themselves at the scale 10**exponent · count."""
    return ScaledPoints(exponent, _normalise(sums[np.newaxis].astype(np.int64)), count if count > 1 else 1)
