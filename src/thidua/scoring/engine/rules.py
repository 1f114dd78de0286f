"""The per-school scoring rules: manual, pass/fail, levels, count, and bonus/penalty items.

Each function turns one school's input into a `LeafResult` with a Vietnamese explanation,
or raises `RefusedInputError` with a message (a value off its step, out of range, an unknown level …).
Nothing is rounded here: refused values are refused, not corrected.
"""

from __future__ import annotations

from decimal import Decimal

from thidua.scoring.engine.decimals import ZERO, format_vi
from thidua.scoring.engine.model import AdjustmentItem, Leaf, LeafInput, Rule
from thidua.scoring.engine.results import LeafResult

_FIELDS = ("points", "passed", "level", "count", "actual", "target")
INPUT_FIELD = {
    Rule.MANUAL: "points",
    Rule.PASS_FAIL: "passed",
    Rule.LEVELS: "level",
    Rule.COUNT: "count",
    Rule.QUANTITATIVE: "actual",
}
_RULE_NAME = {
    Rule.MANUAL: "chấm trực tiếp",
    Rule.PASS_FAIL: "định tính (đạt/không đạt)",
    Rule.LEVELS: "chấm theo mức",
    Rule.COUNT: "chấm thẳng theo số lần",
    Rule.QUANTITATIVE: "định lượng",
}


class RefusedInputError(Exception):
    """An input the engine refuses, with a stable code and a Vietnamese message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def fmt(value: Decimal) -> str:
    """A computed number for an explanation: Vietnamese format, 2 decimals at most."""
    return format_vi(value)


def fmt_input(value: Decimal) -> str:
    """An entered number for an explanation or message, shown exactly as entered."""
    return format_vi(value, places=None)


def is_empty(value: LeafInput | None) -> bool:
    """Whether nothing was entered (the leaf then scores 0 and is marked missing)."""
    return value is None or all(getattr(value, name) is None for name in _FIELDS)


def check_fields(value: LeafInput, rule: Rule, allowed: tuple[str, ...]) -> None:
    """Refuse fields that the rule does not read (e.g. a level for a manual leaf)."""
    for name in _FIELDS:
        if name not in allowed and getattr(value, name) is not None:
            wanted = " và ".join(f"'{field}'" for field in allowed)
            raise RefusedInputError(
                "wrong_input_field",
                f"Quy tắc {_RULE_NAME[rule]} nhận {wanted}, không nhận '{name}'.",
            )


def missing_result(code: str, *, explain: bool) -> LeafResult:
    """The result of a leaf with no input: 0 points, marked missing."""
    return LeafResult(code, ZERO, "Chưa có số liệu → 0 điểm" if explain else "", missing=True)


def _required(rule: Rule) -> RefusedInputError:
    name = INPUT_FIELD[rule]
    return RefusedInputError("missing_input_field", f"Quy tắc {_RULE_NAME[rule]} cần '{name}'.")


def _parameter_missing(code: str, name: str) -> AssertionError:
    return AssertionError(f"{code}: {name} is missing; validate the framework first")


def check_step(points: Decimal, step: Decimal | None) -> None:
    """Refuse points that are not a multiple of the step, naming the two nearest valid values."""
    if step is not None and points % step:
        lower = (points // step) * step
        raise RefusedInputError(
            "off_step",
            f"Điểm {fmt_input(points)} không đúng bước {fmt_input(step)} (gần nhất: "
            f"{fmt_input(lower)} hoặc {fmt_input(lower + step)}); điểm không được làm tròn tự động.",
        )


def level_points(levels: tuple[tuple[str, Decimal], ...], level: str) -> Decimal:
    """The points of a named level; refuses a level the rubric does not have."""
    for name, points in levels:
        if name == level:
            return points
    names = ", ".join(f"«{name}»" for name, _ in levels)
    raise RefusedInputError("unknown_level", f"Mức «{level}» không có trong thang chấm (các mức: {names}).")


def count_of(value: LeafInput) -> int:
    """The number of occurrences, which must be a whole number ≥ 0."""
    count = value.count
    if count is None:
        raise _required(Rule.COUNT)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise RefusedInputError("bad_count", f"Số lần phải là số nguyên không âm, nhận được {count!r}.")
    return count


def score_simple_leaf(leaf: Leaf, value: LeafInput, *, explain: bool) -> LeafResult:
    """Points of a manual, pass/fail, levels or count leaf for one school's input."""
    rule = leaf.rule
    check_fields(value, rule, (INPUT_FIELD[rule],))
    top = leaf.max_points
    if rule is Rule.MANUAL:
        points = value.points
        if points is None:
            raise _required(rule)
        if points < 0 or points > top:
            raise RefusedInputError(
                "out_of_range",
                f"Điểm {fmt_input(points)} nằm ngoài khoảng cho phép [0; {fmt_input(top)}].",
            )
        check_step(points, leaf.step)
        text = f"Chấm trực tiếp: {fmt_input(points)}/{fmt_input(top)} điểm" if explain else ""
        return LeafResult(leaf.code, points, text)
    if rule is Rule.PASS_FAIL:
        if value.passed is None:
            raise _required(rule)
        if not isinstance(value.passed, bool):
            raise RefusedInputError("bad_passed", f"'passed' phải là đúng/sai, nhận được {value.passed!r}.")
        points = top if value.passed else ZERO
        text = ("Đạt" if value.passed else "Không đạt") + f" → {fmt(points)} điểm" if explain else ""
        return LeafResult(leaf.code, points, text)
    if rule is Rule.LEVELS:
        level = value.level
        if level is None:
            raise _required(rule)
        points = level_points(leaf.levels, level)
        text = f"Mức «{level}» → {fmt(points)} điểm (tối đa {fmt(top)})" if explain else ""
        return LeafResult(leaf.code, points, text)
    if rule is Rule.COUNT:
        count = count_of(value)
        each = leaf.points_each
        if each is None:
            raise _parameter_missing(leaf.code, "points_each")
        raw = each * count
        points = min(raw, top)
        text = _count_text(count, each, raw, top) if explain else ""
        return LeafResult(leaf.code, points, text)
    raise AssertionError(rule)  # quantitative leaves are scored in quantitative.py


def _count_text(count: int, each: Decimal, raw: Decimal, cap: Decimal | None) -> str:
    text = f"{count} × {fmt(each)} điểm = {fmt(raw)} điểm"
    if cap is not None and raw > cap:
        text += f", vượt mức tối đa {fmt(cap)} → {fmt(cap)} điểm"
    return text


def score_adjustment_item(item: AdjustmentItem, value: LeafInput, *, explain: bool) -> LeafResult:
    """Points of a bonus or penalty item for one school, after the item's own cap."""
    rule = item.rule
    check_fields(value, rule, (INPUT_FIELD[rule],))
    cap = item.cap
    if rule is Rule.COUNT:
        count = count_of(value)
        each = item.points_each
        if each is None:
            raise _parameter_missing(item.code, "points_each")
        raw = each * count
        text = _count_text(count, each, raw, cap) if explain else ""
    elif rule is Rule.LEVELS:
        level = value.level
        if level is None:
            raise _required(rule)
        raw = level_points(item.levels, level)
        text = f"Mức «{level}» → {fmt(raw)} điểm" if explain else ""
        if explain and cap is not None and raw > cap:
            text += f", vượt mức tối đa {fmt(cap)} → {fmt(cap)} điểm"
    elif rule is Rule.MANUAL:
        if value.points is None:
            raise _required(rule)
        raw = value.points
        if raw < 0:
            raise RefusedInputError("out_of_range", f"Điểm {fmt_input(raw)} không được âm.")
        check_step(raw, item.step)
        text = f"Chấm trực tiếp {fmt_input(raw)} điểm" if explain else ""
        if explain and cap is not None and raw > cap:
            text += f", vượt mức tối đa {fmt(cap)} → {fmt(cap)} điểm"
    else:
        raise AssertionError(rule)
    points = raw if cap is None or raw <= cap else cap
    return LeafResult(item.code, points, text)
