"""Krippendorff's alpha against published worked examples, degenerate cases, per-leaf flags."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring.engine.builders import D
from thidua.scoring.engine import (
    AgreementStatus,
    AlphaStatus,
    Framework,
    Group,
    Leaf,
    LeafScores,
    Level,
    Rule,
    SchoolReview,
    krippendorff_alpha,
    leaf_agreement,
)
from thidua.scoring.engine.analytics.agreement import _coincidence_sums, _interval_sums

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
# (rows) × 12 units (columns), with missing values; unit 12 has a single value (not pairable).
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
UNITS = [list(unit) for unit in zip(*OBSERVERS, strict=True)]


@pytest.mark.parametrize(
    ("level", "published"),
    [(Level.INTERVAL, 0.849), (Level.NOMINAL, 0.743), (Level.ORDINAL, 0.815), (Level.RATIO, 0.797)],
)
def test_krippendorff_2011_example_with_missing_values(level: Level, published: float) -> None:
    alpha = krippendorff_alpha(UNITS, level)
    assert alpha.status is AlphaStatus.DEFINED
    assert alpha.value == pytest.approx(published, abs=0.0005)
    assert alpha.pairable_values == 40  # 41 values, the lone value of unit 12 is not pairable
    assert alpha.units == 11


def test_interval_alpha_of_the_example_exactly() -> None:
    # n = 40; D_o·n = Σ_u within_u/(m_u − 1); alpha = 1 − D_o/D_e, here 951/1120
    assert krippendorff_alpha(UNITS).exact == Fraction(951, 1120)


def test_krippendorff_2011_binary_example_without_missing_values() -> None:
    # Section A: two observers, ten units, dichotomous data; alpha = 0.095 at every level
    # (with two values, every difference function agrees up to a constant factor).
    ben = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    gerry = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    units = [[a, b] for a, b in zip(ben, gerry, strict=True)]
    for level in Level:
        alpha = krippendorff_alpha(units, level)
        assert alpha.value == pytest.approx(0.095, abs=0.0005)
    assert krippendorff_alpha(units).exact == Fraction(2, 21)  # 1 − 19·4/(14·6)


def test_krippendorff_2011_nominal_example_without_missing_values() -> None:
    # Section B: two observers, twelve units, nominal categories a–e; alpha = 0.692.
    code = {letter: index for index, letter in enumerate("abcde", start=1)}
    first = [code[c] for c in "aabbdcccedda"]
    second = [code[c] for c in "babbbccceddd"]
    units = [[a, b] for a, b in zip(first, second, strict=True)]
    assert krippendorff_alpha(units, Level.NOMINAL).value == pytest.approx(0.692, abs=0.0005)


def test_decimals_are_exact() -> None:
    units = [[D("1.25"), D("1.5")], [D("3"), D("2.75")], [D("0.1"), D("0.2"), None]]
    as_fractions = [[Fraction(v) for v in unit if v is not None] for unit in units]
    assert krippendorff_alpha(units).exact == krippendorff_alpha(as_fractions).exact


def test_no_variation_is_undefined_not_a_crash() -> None:
    alpha = krippendorff_alpha([[2, 2], [2, 2, 2], [2, None]])
    assert alpha.status is AlphaStatus.NO_VARIATION
    assert alpha.value is None
    assert alpha.expected == 0


@pytest.mark.parametrize("units", [[], [[1]], [[1, None], [None, 2]], [[None, None]]])
def test_too_few_pairable_values(units: list[list[int | None]]) -> None:
    alpha = krippendorff_alpha(units)
    assert alpha.status is AlphaStatus.INSUFFICIENT_DATA
    assert alpha.value is None


def test_perfect_agreement_and_systematic_disagreement() -> None:
    assert krippendorff_alpha([[1, 1], [2, 2], [3, 3]]).value == 1.0
    assert krippendorff_alpha([[1, 3], [3, 1]]).value is not None
    assert krippendorff_alpha([[1, 3], [3, 1]]).exact < 0  # worse than chance


unit_values = st.lists(st.one_of(st.none(), st.integers(0, 8)), min_size=1, max_size=5)


@settings(database=None, deadline=None, max_examples=150)
@given(st.lists(unit_values, min_size=1, max_size=10))
def test_interval_closed_form_equals_the_coincidence_matrix(units: list[list[int | None]]) -> None:
    pairable = [[Fraction(v) for v in unit if v is not None] for unit in units]
    pairable = [values for values in pairable if len(values) >= 2]
    n = sum(len(values) for values in pairable)
    if n < 2:
        return
    assert _interval_sums(pairable, n) == _coincidence_sums(pairable, Level.INTERVAL)


@settings(database=None, deadline=None, max_examples=100)
@given(st.lists(unit_values, min_size=2, max_size=10), st.integers(1, 5), st.integers(-3, 3))
def test_interval_alpha_ignores_units_and_origin(units: list[list[int | None]], scale: int, shift: int) -> None:
    moved = [[None if v is None else v * scale + shift for v in unit] for unit in units]
    assert krippendorff_alpha(moved).exact == krippendorff_alpha(units).exact


def leaf_framework() -> Framework:
    leaves = (
        Leaf("A", "Rõ ràng", D(4), Rule.MANUAL),
        Leaf("B", "Mơ hồ", D(4), Rule.MANUAL),
        Leaf("C", "Ai cũng đạt", D(2), Rule.PASS_FAIL),
        Leaf("D", "Một người chấm", D(2), Rule.MANUAL),
    )
    return Framework("F", D(12), (Group("I", "I", D(12), leaves),))


def school(code: str, **leaves: list[str]) -> SchoolReview:
    return SchoolReview(
        code,
        {
            leaf: LeafScores.of(None, {f"r{i}": Decimal(v) for i, v in enumerate(values)})
            for leaf, values in leaves.items()
        },
    )


def test_leaf_agreement_flags_vague_criteria() -> None:
    schools = [
        school("S1", A=["4", "4", "3.5"], B=["1", "4", "2"], C=["2", "2"], D=["1"]),
        school("S2", A=["1", "1", "1.5"], B=["3", "0", "4"], C=["2", "2"], D=["2"]),
        school("S3", A=["2.5", "2", "2.5"], B=["2", "2", "0"], C=["2", "2", "2"]),
    ]
    results = {result.leaf: result for result in leaf_agreement(leaf_framework(), schools)}
    assert results["A"].status is AgreementStatus.OK
    assert results["A"].alpha is not None
    assert results["A"].alpha > 0.9
    assert not results["A"].flagged
    assert results["B"].status is AgreementStatus.LOW
    assert results["B"].flagged
    assert "cần cụ thể hóa tiêu chí" in results["B"].message
    assert results["C"].status is AgreementStatus.NO_VARIATION
    assert results["C"].alpha is None
    assert not results["C"].flagged
    assert results["D"].status is AgreementStatus.INSUFFICIENT_DATA
    assert (results["A"].units, results["A"].ratings) == (3, 9)


def test_threshold_is_a_parameter() -> None:
    schools = [school("S1", A=["4", "3"]), school("S2", A=["1", "1"]), school("S3", A=["2", "3"])]
    alpha = leaf_agreement(leaf_framework(), schools)[0].alpha
    assert alpha is not None
    assert leaf_agreement(leaf_framework(), schools, threshold=alpha + 0.01)[0].flagged
    assert not leaf_agreement(leaf_framework(), schools, threshold=alpha - 0.01)[0].flagged
