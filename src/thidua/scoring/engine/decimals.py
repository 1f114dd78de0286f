"""Exact arithmetic of the engine: one context, no rounding inside, rounding only for display.

Every number the engine computes with is a `Decimal`. Sums, differences, products and caps
are exact. A quotient (ratio, per-capita value, share of the best, a mean of reviewers) is a
plain `Decimal` when it terminates and otherwise an `Exact`: a `Decimal` subclass that carries
the exact rational value (`Exact.fraction`, e.g. 26/3). Its arithmetic and comparisons use the
fraction, so 1/3 + 2/3 is exactly 1 (a plain Decimal again) and two totals that are equal
are equal, whatever route led to them. As a Decimal (its digits, `str`, `quantize`, a database
DecimalField) it reads as the value rounded half-up at the 20th decimal place
(8.66666666666666666667), which is what exports and stored values show. Rounding to 2
decimals (half-up, from the exact value) happens only in `round_display` / `display` /
`format_vi`, never inside.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction

# One context for the whole engine, created once. Public entry points run inside
# `decimal.localcontext(ENGINE_CONTEXT)` so that operators never depend on the caller's
# (thread-local) context.
ENGINE_CONTEXT = Context(
    prec=60,
    rounding=ROUND_HALF_UP,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
HUNDRED = Decimal(100)

_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def as_fraction(value: Decimal | int | Fraction) -> Fraction:
    """The exact rational value of a Decimal (plain or `Exact`), an int or a Fraction."""
    if isinstance(value, Exact):
        return value.fraction
    if isinstance(value, Fraction):
        return value
    return Fraction(value)


def exact(value: Fraction) -> Decimal:
    """The Decimal of a rational: plain when its decimal expansion terminates, else `Exact`."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return Exact(value)
    places = max(twos, fives)
    digits = value.numerator * 10**places // value.denominator
    return Decimal(digits).scaleb(-places) if places else Decimal(digits)


class Exact(Decimal):
    """A rational value whose decimal expansion does not terminate (26/3), kept exactly.

    It is a `Decimal`, so it goes wherever a point value goes (a result, a DecimalField, a
    JSON string), and there it reads as its value rounded half-up at the 20th decimal place.
    Arithmetic with Decimals, ints and Fractions and every comparison use `fraction`; a
    result that terminates comes back as a plain Decimal. Build one with `exact()` or
    `quotient()`, never directly.
    """

    __slots__ = ("fraction",)
    fraction: Fraction

    def __new__(cls, value: Fraction) -> Exact:
        rounded = _round_fraction(value, 20)
        made = Decimal.__new__(cls, rounded)
        made.fraction = value
        return made

    def __reduce__(self) -> tuple[object, tuple[int, int]]:  # type: ignore[override]  # rebuilt from the fraction
        return _exact_of, (self.fraction.numerator, self.fraction.denominator)

    def __copy__(self) -> Exact:
        return self

    def __deepcopy__(self, memo: object) -> Exact:
        return self

    def __repr__(self) -> str:
        return f"Exact({self.fraction.numerator}/{self.fraction.denominator})"

    def __hash__(self) -> int:
        return hash(self.fraction)

    def __bool__(self) -> bool:
        return bool(self.fraction)

    def __neg__(self, context: object = None) -> Decimal:
        return exact(-self.fraction)

    def __pos__(self, context: object = None) -> Decimal:
        return self

    def __abs__(self, round: bool = True, context: object = None) -> Decimal:
        return exact(abs(self.fraction))

    def __add__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__add__)

    def __radd__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__radd__)

    def __sub__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__sub__)

    def __rsub__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__rsub__)

    def __mul__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__mul__)

    def __rmul__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__rmul__)

    def __truediv__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__truediv__)

    def __rtruediv__(self, other: object, context: object = None) -> Decimal:
        return _apply(self, other, Fraction.__rtruediv__)

    def __eq__(self, other: object) -> bool:
        fraction = _other_fraction(other)
        return fraction is not None and self.fraction == fraction

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: object) -> bool:
        return self.fraction < _comparable(other)

    def __le__(self, other: object) -> bool:
        return self.fraction <= _comparable(other)

    def __gt__(self, other: object) -> bool:
        return self.fraction > _comparable(other)

    def __ge__(self, other: object) -> bool:
        return self.fraction >= _comparable(other)


def _exact_of(numerator: int, denominator: int) -> Decimal:
    return exact(Fraction(numerator, denominator))


def _other_fraction(other: object) -> Fraction | None:
    if isinstance(other, Decimal):
        return as_fraction(other) if other.is_finite() else None
    if isinstance(other, (int, Fraction)):
        return Fraction(other)
    return None


def _comparable(other: object) -> Fraction:
    fraction = _other_fraction(other)
    if fraction is None:
        raise TypeError(f"cannot compare an exact value with {other!r}")
    return fraction


def _apply(value: Exact, other: object, operation: object) -> Decimal:
    fraction = _other_fraction(other)
    if fraction is None:
        return NotImplemented  # type: ignore[no-any-return]
    return exact(operation(value.fraction, fraction))  # type: ignore[operator]


def _round_fraction(value: Fraction, places: int) -> Decimal:
    """A rational rounded half-up (away from zero on a half) to `places` decimals, exactly."""
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def quotient(numerator: Decimal, denominator: Decimal) -> Decimal:
    """`numerator / denominator`, exactly: a plain Decimal when it terminates, else `Exact`.

    The denominator must not be zero (callers check; a zero raises ZeroDivisionError).
    """
    if not isinstance(numerator, Exact) and not isinstance(denominator, Exact):
        context = ENGINE_CONTEXT.copy()
        context.clear_flags()
        result = context.divide(numerator, denominator)
        if not context.flags[Inexact]:
            return result
    return exact(as_fraction(numerator) / as_fraction(denominator))


def _rounded(value: Decimal, places: int) -> Decimal:
    """The value rounded half-up to `places` decimals, from its exact value."""
    if isinstance(value, Exact):
        return _round_fraction(value.fraction, places)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=ENGINE_CONTEXT)


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
    rounded = _rounded(value, 2)
    return rounded if rounded else abs(rounded)  # never "-0.00"


def display(value: Decimal) -> str:
    """The display string of points: half-up, exactly 2 decimals, dot separator ("2.70")."""
    return f"{round_display(value):f}"


def exact_str(value: Decimal) -> str:
    """The full-precision string of a value, without exponent or trailing zeros ("2.7"); an
    `Exact` value's 20-decimal rounding ("8.66666666666666666667", see `fraction_str`)."""
    if not value:
        return "0"
    return f"{value.normalize(ENGINE_CONTEXT):f}"


def fraction_str(value: Decimal) -> str:
    """The exact value as text: `exact_str` when it terminates, else "numerator/denominator"
    ("26/3"); `parse_exact` reads it back."""
    if isinstance(value, Exact):
        return f"{value.fraction.numerator}/{value.fraction.denominator}"
    return exact_str(value)


def parse_exact(text: str) -> Decimal:
    """A value written by `fraction_str`: "2.5" or "26/3" (ValueError otherwise)."""
    numerator, slash, denominator = text.partition("/")
    if not slash:
        return parse_decimal(text)
    if not re.fullmatch(r"-?[0-9]+", numerator.strip()) or not re.fullmatch(r"[0-9]+", denominator.strip()):
        raise ValueError(f"không phải là phân số (viết dạng 26/3): {text!r}")
    if int(denominator) == 0:
        raise ValueError(f"mẫu số bằng 0: {text!r}")
    return exact(Fraction(int(numerator), int(denominator)))


def format_vi(value: Decimal, places: int | None = 2) -> str:
    """A number the Vietnamese way, rounded half-up: "1.234,5" (dot thousands, comma decimals).

    Trailing zeros are dropped ("2,7", "3"); `places=None` shows the value unrounded (for
    inputs as entered). Used in explanations and messages.
    """
    if places is None:
        rounded = value
    else:
        rounded = _rounded(value, places)
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
    return "=" if value == _rounded(value, places) else "≈"
