"""Agreement between reviewers per leaf: Krippendorff's alpha, tolerant of missing ratings.

Alpha = 1 − D_o / D_e: the disagreement observed within units over the disagreement
expected by chance among all pairable values (Krippendorff, *Computing Krippendorff's
Alpha-Reliability*, 2011). Here the units are the schools and the coders the reviewers: a
school's reviewers need not be the same as another's, and a school with fewer than two
ratings on a leaf is not pairable and drops out.

The computation is exact (fractions) and only the final alpha is a float, a statistic.
When all pairable values are equal, D_e = 0 and alpha is undefined (0/0): the result says
so (`no_variation`) instead of inventing a value; with fewer than two pairable values it is
`insufficient_data`. Krippendorff's guidance: alpha ≥ 0.800 is reliable, 0.667 is the lowest
conceivable limit for tentative conclusions; leaves under 0.667 are flagged
"make this criterion more concrete" (*cần cụ thể hóa tiêu chí*).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeAlias

from thidua.scoring.engine.decimals import format_vi
from thidua.scoring.engine.model import Framework
from thidua.scoring.engine.reconcile import SchoolReview

Number: TypeAlias = Decimal | int | Fraction | float
ALPHA_THRESHOLD = 0.667


class Level(StrEnum):
    """The level of measurement, which decides the difference function δ²."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


class AlphaStatus(StrEnum):
    """Whether alpha is defined."""

    DEFINED = "defined"
    NO_VARIATION = "no_variation"  # every pairable value is the same: alpha is 0/0
    INSUFFICIENT_DATA = "insufficient_data"  # fewer than two pairable values


@dataclass(frozen=True, slots=True)
class Alpha:
    """Krippendorff's alpha with its parts; `value` is None unless `status` is DEFINED."""

    value: float | None
    exact: Fraction | None
    level: Level
    status: AlphaStatus
    pairable_values: int  # n: values in units with at least two values
    units: int  # units with at least two values
    observed: Fraction | None  # D_o
    expected: Fraction | None  # D_e


def _fraction(value: Number) -> Fraction:
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def krippendorff_alpha(units: Iterable[Iterable[Number | None]], level: Level = Level.INTERVAL) -> Alpha:
    """Alpha of reliability data given unit by unit (each unit: its coders' values, None = missing)."""
    pairable = [
        values for values in ([_fraction(v) for v in unit if v is not None] for unit in units) if len(values) >= 2
    ]
    n = sum(len(values) for values in pairable)
    if n < 2:
        return Alpha(None, None, level, AlphaStatus.INSUFFICIENT_DATA, n, len(pairable), None, None)
    if level is Level.INTERVAL:
        observed_sum, expected_sum = _interval_sums(pairable, n)
    else:
        observed_sum, expected_sum = _coincidence_sums(pairable, level)
    observed = observed_sum / n
    expected = expected_sum / (n * (n - 1))
    if expected == 0:
        return Alpha(None, None, level, AlphaStatus.NO_VARIATION, n, len(pairable), observed, expected)
    exact = 1 - observed / expected
    return Alpha(float(exact), exact, level, AlphaStatus.DEFINED, n, len(pairable), observed, expected)


def _interval_sums(pairable: Sequence[Sequence[Fraction]], n: int) -> tuple[Fraction, Fraction]:
    """Σ_u Σ_{i≠j}(v_i − v_j)²/(m_u − 1) and Σ_{i≠j over all values}(v_i − v_j)², in O(n).

    Σ_{i≠j}(v_i − v_j)² = 2(m·Σv² − (Σv)²) for any m values. The values are brought to one
    common denominator so that the sums are integer arithmetic; only the end is a fraction.
    """
    denominator = 1
    for values in pairable:
        for value in values:
            denominator = math.lcm(denominator, value.denominator)
    scaled: list[list[int]] = [
        [value.numerator * (denominator // value.denominator) for value in values] for values in pairable
    ]
    total, squares = 0, 0
    by_size: dict[int, int] = {}
    for integers in scaled:
        m = len(integers)
        s1 = sum(integers)
        s2 = sum(value * value for value in integers)
        by_size[m] = by_size.get(m, 0) + 2 * (m * s2 - s1 * s1)
        total += s1
        squares += s2
    scale = denominator * denominator
    observed = sum((Fraction(amount, (m - 1) * scale) for m, amount in by_size.items()), Fraction(0))
    return observed, Fraction(2 * (n * squares - total * total), scale)


def _coincidence_sums(pairable: Sequence[Sequence[Fraction]], level: Level) -> tuple[Fraction, Fraction]:
    """Σ_{c,k} o_ck δ²_ck and Σ_{c,k} n_c n_k δ²_ck from the coincidence matrix."""
    coincidences: defaultdict[tuple[Fraction, Fraction], Fraction] = defaultdict(Fraction)
    for values in pairable:
        m = len(values)
        counts = Counter(values)
        for c, count_c in counts.items():
            for k, count_k in counts.items():
                pairs = count_c * (count_c - 1) if c == k else count_c * count_k
                if pairs:
                    coincidences[(c, k)] += Fraction(pairs, m - 1)
    marginals: defaultdict[Fraction, Fraction] = defaultdict(Fraction)
    for (c, _), amount in coincidences.items():
        marginals[c] += amount
    distinct = sorted(marginals)
    position = {value: index for index, value in enumerate(distinct)}
    running = [Fraction(0)]
    for value in distinct:
        running.append(running[-1] + marginals[value])

    def delta2(c: Fraction, k: Fraction) -> Fraction:
        if c == k:
            return Fraction(0)
        if level is Level.NOMINAL:
            return Fraction(1)
        if level is Level.INTERVAL:
            difference = c - k
        elif level is Level.RATIO:
            difference = (c - k) / (c + k) if c + k != 0 else Fraction(0)
        else:  # ordinal: the marginals between c and k, halving the ends
            low, high = sorted((position[c], position[k]))
            difference = running[high + 1] - running[low] - (marginals[c] + marginals[k]) / 2
        return difference * difference

    observed = sum((amount * delta2(c, k) for (c, k), amount in coincidences.items()), Fraction(0))
    expected = sum(
        (marginals[c] * marginals[k] * delta2(c, k) for c in distinct for k in distinct if c != k), Fraction(0)
    )
    return observed, expected


class AgreementStatus(StrEnum):
    """The verdict on one leaf."""

    OK = "ok"
    LOW = "low"  # alpha < threshold: make the criterion more concrete
    NO_VARIATION = "no_variation"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True, slots=True)
class LeafAgreement:
    """Krippendorff's alpha of one leaf across the cluster (units = schools, coders = reviewers)."""

    leaf: str
    alpha: float | None
    status: AgreementStatus
    units: int  # schools with at least two ratings
    ratings: int  # pairable ratings
    threshold: float
    message: str

    @property
    def flagged(self) -> bool:
        """Alpha under the threshold: "make this criterion more concrete"."""
        return self.status is AgreementStatus.LOW


def leaf_agreement(
    framework: Framework,
    schools: Sequence[SchoolReview],
    *,
    threshold: float = ALPHA_THRESHOLD,
    level: Level = Level.INTERVAL,
) -> tuple[LeafAgreement, ...]:
    """Alpha per leaf (framework order); leaves under `threshold` are flagged."""
    limit = Fraction(str(threshold))
    results: list[LeafAgreement] = []
    for leaf in framework.leaves():
        units = [
            [points for _, points in school.leaves[leaf.code].reviews]
            for school in schools
            if leaf.code in school.leaves
        ]
        alpha = krippendorff_alpha(units, level)
        if alpha.status is AlphaStatus.INSUFFICIENT_DATA:
            status = AgreementStatus.INSUFFICIENT_DATA
            message = "Chưa đủ dữ liệu: cần ít nhất một trường có từ 2 người chấm trở lên."
        elif alpha.status is AlphaStatus.NO_VARIATION:
            status = AgreementStatus.NO_VARIATION
            message = (
                "Mọi người chấm cho cùng một điểm ở mọi trường: α không xác định (không có biến thiên). "
                "Người chấm không bất đồng, nhưng tiêu chí cũng không phân biệt được các trường."
            )
        else:
            exact = alpha.exact if alpha.exact is not None else Fraction(0)  # DEFINED: never None
            shown = format_vi(Decimal(repr(float(exact))), places=3)
            if exact < limit:
                status = AgreementStatus.LOW
                message = (
                    f"α = {shown} < {format_vi(Decimal(str(threshold)), places=3)}: người chấm chưa thống nhất; "
                    "cần cụ thể hóa tiêu chí này (hướng dẫn chấm rõ hơn, mức chấm cụ thể hơn)."
                )
            else:
                status = AgreementStatus.OK
                message = f"α = {shown}: người chấm thống nhất."
        results.append(
            LeafAgreement(leaf.code, alpha.value, status, alpha.units, alpha.pairable_values, threshold, message)
        )
    return tuple(results)
