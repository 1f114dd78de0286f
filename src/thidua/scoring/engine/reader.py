"""Reading loosely typed documents (parsed JSON or YAML) into typed values, collecting problems.

Every problem names its path in the document ("groups[0].leaves[2].max") and says in
Vietnamese what was expected, so a bad file gets the full list at once, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from thidua.scoring.engine.decimals import parse_decimal
from thidua.scoring.engine.errors import Problem, Severity

E = TypeVar("E", bound=StrEnum)


def join(path: str, key: str | int) -> str:
    """The path of a key or index below `path`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Reader:
    """Collects format problems while reading values out of a parsed document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        """Record a problem at `path`."""
        self.problems.append(Problem("format", path, message, Severity.ERROR))

    def mapping(self, value: object, path: str) -> Mapping[str, object] | None:
        """The value as a mapping with string keys, or None (problem recorded)."""
        if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
            self.error(path, "cần một đối tượng (các cặp khóa: giá trị, khóa là chuỗi).")
            return None
        return value

    def sequence(self, value: object, path: str) -> Sequence[object] | None:
        """The value as a list, or None (problem recorded)."""
        if not isinstance(value, list | tuple):
            self.error(path, "cần một danh sách.")
            return None
        return value

    def keys(self, data: Mapping[str, object], path: str, allowed: Sequence[str]) -> None:
        """Record a problem for each key outside `allowed`."""
        for key in data:
            if key not in allowed:
                self.error(join(path, key), f"khóa không hợp lệ; các khóa được dùng: {', '.join(allowed)}.")

    def string(self, data: Mapping[str, object], key: str, path: str, *, required: bool = False) -> str | None:
        """A string value, or None if absent (a problem if required) or of another type."""
        value = data.get(key)
        if value is None:
            if required:
                self.error(join(path, key), "bắt buộc phải có (một chuỗi).")
            return None
        if not isinstance(value, str):
            self.error(join(path, key), f"cần một chuỗi, nhận được {_kind(value)}.")
            return None
        return value

    def number(self, data: Mapping[str, object], key: str, path: str, *, required: bool = False) -> Decimal | None:
        """A Decimal value (number or numeric string), or None."""
        value = data.get(key)
        if value is None:
            if required:
                self.error(join(path, key), "bắt buộc phải có (một số).")
            return None
        return self.decimal(value, join(path, key))

    def decimal(self, value: object, path: str) -> Decimal | None:
        """A value as a Decimal, or None (problem recorded)."""
        try:
            return parse_decimal(value)
        except ValueError as exc:
            self.error(path, f"{exc}.")
            return None

    def boolean(self, data: Mapping[str, object], key: str, path: str) -> bool | None:
        """A true/false value, or None."""
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(join(path, key), f"cần true hoặc false, nhận được {_kind(value)}.")
            return None
        return value

    def choice(
        self, data: Mapping[str, object], key: str, path: str, enum: type[E], *, required: bool = False
    ) -> E | None:
        """One of an enumeration's values, or None."""
        text = self.string(data, key, path, required=required)
        if text is None:
            return None
        try:
            return enum(text)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.error(join(path, key), f"giá trị {text!r} không hợp lệ; chọn một trong: {allowed}.")
            return None


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return f"số {value}"
    if isinstance(value, str):
        return f"chuỗi {value!r}"
    if isinstance(value, list | tuple):
        return "một danh sách"
    if isinstance(value, Mapping):
        return "một đối tượng"
    return type(value).__name__
