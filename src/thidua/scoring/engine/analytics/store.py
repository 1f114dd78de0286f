"""Analytics as JSON and back, so that published results keep the analytics computed at
publication (seeded, so a recomputation gives the same figures; stored so that pages do not
repeat 2 × 1,000 resamples on every request).

The codec follows the dataclasses' type hints: Decimal and Fraction as exact strings (a
Decimal that does not terminate, an `Exact`, as "26/3"; the 20-decimal strings of reports
stored before read back as written), enums
by value, tuples as lists, floats as JSON numbers (which keep every bit of a float).
`report_from_json(report_to_json(r)) == r` for every report.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import Field, fields, is_dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from thidua.scoring.engine.analytics.report import AnalyticsReport
from thidua.scoring.engine.decimals import fraction_str, parse_exact

FORMAT = 1


def report_to_json(report: AnalyticsReport) -> dict[str, Any]:
    data = _encode(report)
    assert isinstance(data, dict)  # noqa: S101 - a dataclass encodes as a mapping
    return {"format": FORMAT, **data}


def report_from_json(data: Mapping[str, Any]) -> AnalyticsReport:
    """The report back; raises ValueError (or KeyError/TypeError) for a stored shape this
    version does not read, so that the caller recomputes instead."""
    if data.get("format") != FORMAT:
        raise ValueError(f"stored analytics format {data.get('format')!r}")
    report = _decode(AnalyticsReport, data)
    assert isinstance(report, AnalyticsReport)  # noqa: S101
    return report


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return fraction_str(value)  # "2.5", or "26/3" for an exact value that does not terminate
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    return value


@cache
def _fields_of(kind: type) -> tuple[tuple[Field[Any], Any], ...]:
    """A dataclass's init fields with their resolved types (resolving is the slow part)."""
    hints = get_type_hints(kind)
    return tuple((f, hints[f.name]) for f in fields(kind) if f.init)


def _decode(kind: Any, data: Any) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        if data is None:
            return None
        options = [arg for arg in get_args(kind) if arg is not type(None)]
        return _decode(options[0], data)
    if origin is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in data)
        if len(args) != len(data):
            raise ValueError(f"expected {len(args)} values, found {len(data)}")
        return tuple(_decode(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        _key, item_kind = get_args(kind)
        return {str(key): _decode(item_kind, item) for key, item in data.items()}
    if isinstance(kind, type) and is_dataclass(kind):
        return kind(**{f.name: _decode(hint, data[f.name]) for f, hint in _fields_of(kind)})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is Decimal:
        return parse_exact(str(data))
    if kind is Fraction:
        return Fraction(str(data))
    if kind is float:
        return float(data)
    if kind is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise TypeError(f"expected an integer, found {data!r}")
        return data
    if kind is bool:
        return bool(data)
    if kind is str:
        return str(data)
    raise TypeError(f"cannot read {kind!r}")
