"""Decimal arithmetic of the engine: one context, exact sums, rounding only for display.

Every number the engine computes with is a `Decimal`. Sums, differences, products and caps
are exact. A quotient (ratio, per-capita value, share of the best) is exact when it
terminates within 20 decimal places and is otherwise rounded half-up at the 20th place; that
value is the leaf's point value from then on, so every later sum is exact again. Rounding to
2 decimals (half-up) happens only in `round_display` / `display` / `format_vi`, never inside.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

# One context for the whole engine, created once. Public entry points run inside
# `decimal.localcontext(ENGINE_CONTEXT)` so that operators never depend on the caller's
# (thread-local) context.
ENGINE_CONTEXT = Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
QUANTUM = Decimal("1e-20")
CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
HUNDRED = Decimal(100)

_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def quotient(numerator: Decimal, denominator: Decimal) -> Decimal:
    """`numerator / denominator`, rounded half-up at the 20th decimal place if it must be.

    The denominator must not be zero (callers check; the context traps it otherwise).
    """
    return ENGINE_CONTEXT.divide(numerator, denominator).quantize(QUANTUM, context=ENGINE_CONTEXT)


def parse_decimal(value: object) -> Decimal:
    """A finite Decimal from an int, a Decimal, a numeric string ("2.5") or a float.

    A float is converted through its shortest repr (`2.5` → `Decimal("2.5")`), never
    through its binary value, so a YAML `0.1` is exactly 0.1. Booleans are refused.
    Raises ValueError with a Vietnamese message.
    """
    if isinstance(value, bool):
        raise ValueError(f"cần một số, không phải giá trị đúng/sai ({value!r})")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"không phải là số (viết dạng 12 hoặc 12.5): {value!r}")
        result = Decimal(text)
    else:
        raise ValueError(f"cần một số, nhận được {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"số không hữu hạn: {value!r}")
    return result


def round_display(value: Decimal) -> Decimal:
    """The value rounded half-up to 2 decimals: for display and export only."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP, context=ENGINE_CONTEXT)
    return rounded if rounded else abs(rounded)  # never "-0.00"


def display(value: Decimal) -> str:
    """The display string of points: half-up, exactly 2 decimals, dot separator ("2.70")."""
    return f"{round_display(value):f}"


def exact_str(value: Decimal) -> str:
    """The full-precision string of a value, without exponent or trailing zeros ("2.7")."""
    if not value:
        return "0"
    return f"{value.normalize(ENGINE_CONTEXT):f}"


def format_vi(value: Decimal, places: int | None = 2) -> str:
    """A number the Vietnamese way, rounded half-up: "1.234,5" (dot thousands, comma decimals).

    Trailing zeros are dropped ("2,7", "3"); `places=None` shows the value unrounded (for
    inputs as entered). Used in explanations and messages.
    """
    if places is None:
        rounded = value
    else:
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=ENGINE_CONTEXT)
    text = f"{abs(rounded).normalize(ENGINE_CONTEXT):f}" if rounded else "0"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if rounded < 0 else ""
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def approx_sign(value: Decimal, places: int = 2) -> str:
    """ "=" when `format_vi(value, places)` shows the value exactly, "≈" when it rounds."""
    exact = value == value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=ENGINE_CONTEXT)
    return "=" if exact else "≈"
