"""Numbers: parsing without float drift, half-up display rounding, Vietnamese formatting."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

from tests.scoring.engine.builders import D, actual, quantitative
from thidua.scoring.engine import (
    InputError,
    display,
    exact_str,
    format_vi,
    parse_decimal,
    round_display,
    score_leaf_in_cluster,
)

SRC = Path(__file__).resolve().parents[3] / "src"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2.675", "2.68"),
        ("2.665", "2.67"),
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("-0.001", "0.00"),
        ("10", "10.00"),
    ],
)
def test_display_rounds_half_up_to_two_decimals(value: str, shown: str) -> None:
    assert display(D(value)) == shown


def test_round_display_returns_a_decimal_with_two_places() -> None:
    assert round_display(D("3.14159")) == D("3.14")
    assert round_display(D("3.14159")).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2.7", "2,7"), ("3.00", "3"), ("1234.5", "1.234,5"), ("1000000", "1.000.000"), ("-0.125", "-0,13"), ("0", "0")],
)
def test_format_vi_writes_numbers_the_vietnamese_way(value: str, shown: str) -> None:
    assert format_vi(D(value)) == shown


def test_format_vi_can_show_a_value_unrounded() -> None:
    assert format_vi(D("1.3333"), places=None) == "1,3333"


def test_exact_str_drops_trailing_zeros_and_never_uses_an_exponent() -> None:
    assert [exact_str(D(v)) for v in ["2.70", "100", "1E+2", "0.00", "0.66666666666666666667"]] == [
        "2.7",
        "100",
        "100",
        "0",
        "0.66666666666666666667",
    ]


@pytest.mark.parametrize(
    ("value", "parsed"), [(0.1, "0.1"), (3, "3"), ("2.50", "2.50"), (" 7 ", "7"), (D("1.5"), "1.5")]
)
def test_parse_decimal_reads_numbers_exactly(value: object, parsed: str) -> None:
    assert str(parse_decimal(value)) == parsed


@pytest.mark.parametrize("value", [True, "1,5", "abc", "nan", None, [1], D("NaN"), float("inf")])
def test_parse_decimal_refuses_what_is_not_a_finite_number(value: object) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_decimal(value)


def test_results_do_not_depend_on_the_callers_decimal_context() -> None:
    leaf = quantitative("R", "7", "ratio", target_registered=True)

    with localcontext() as context:
        context.prec = 3
        [result] = score_leaf_in_cluster(leaf, [actual("123456.789", "234567.891")], [{}])

    exact = Fraction(7) * Fraction("123456.789") / Fraction("234567.891")
    assert abs(Fraction(result.points) - exact) <= Fraction(1, 2 * 10**20)
    assert result.explanation == "Thực hiện 123.456,789/234.567,891 = 52,63 % chỉ tiêu → 7 × 0,5263 ≈ 3,68 điểm"


def test_one_leaf_can_be_scored_for_a_cluster_to_try_it() -> None:
    leaf = quantitative("II.1", "8", "target_and_leader", target_registered=True)

    results = score_leaf_in_cluster(leaf, [actual("60", "48"), actual("55", "50")], [{}, {}], school_codes=["TG", "DT"])

    assert [(r.points, r.explanation) for r in results] == [
        (D(8), "Vượt chỉ tiêu 25 % (60/48), dẫn đầu cụm → 8 điểm (tối đa)"),
        (D("5.6"), "Vượt chỉ tiêu 10 % (55/50); trường dẫn đầu vượt chỉ tiêu 25 % → ½ × 8 + ½ × 8 × 10/25 = 5,6 điểm"),
    ]


def test_trying_one_leaf_names_the_school_of_a_refused_input() -> None:
    leaf = quantitative("R", "3", "ratio", target_registered=True)

    with pytest.raises(InputError) as caught:
        score_leaf_in_cluster(leaf, [actual("-1", "5")], [{}], school_codes=["TG"])

    assert [(p.school, p.node, p.code) for p in caught.value.problems] == [("TG", "R", "negative_actual")]


def test_the_engine_never_imports_django() -> None:
    code = (
        "import sys, thidua.scoring.engine, thidua.scoring.__main__;"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )

    completed = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)}, check=False
    )

    assert completed.returncode == 0, completed.stderr


def test_decimal_is_the_only_number_type_in_results() -> None:
    leaf = quantitative("R", "3", "ratio", target_registered=True)

    [result] = score_leaf_in_cluster(leaf, [actual("1", "3")], [{}])

    assert type(result.points) is Decimal
