"""How the API writes an entry's numbers: exact decimal strings without padding."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def exact_number(value: Decimal | None) -> str | None:
    """A decimal as an exact string without padding ("1.75", "3000"); None stays None."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def entry_value(field: str, value: Any) -> Any:
    """An entry's input for JSON: points and actual figures as exact strings, blanks as None."""
    if value is None or value == "":
        return None
    if field in ("points", "actual"):
        return exact_number(value)
    return value
