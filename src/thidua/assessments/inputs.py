"""What a school enters for one criterion, by its rule: reading it from text (a form, an XLSX
cell, JSON) and checking it — the same checks for the page, the API and the XLSX import.

Each entry of a self-assessment stores only the field its node's rule reads:

======================  ===========  ==============================================
node                    field        accepted
======================  ===========  ==============================================
leaf, manual            ``points``   a number in [0, max] on the step (not rounded)
leaf, pass/fail         ``passed``   yes / no
leaf, levels            ``level``    one of the rubric's level names
leaf, count             ``count``    a whole number ≥ 0
leaf, quantitative      ``actual``   a number ≥ 0 (the target comes from registration)
bonus/penalty item      its rule's   count, level, or points ≥ 0 on the step
condition               ``passed``   met / not met
======================  ===========  ==============================================

A blank value clears the entry. Numbers are read with a comma or a dot as the decimal
separator ("0,25" or "0.25"); there is no thousands separator.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.core.text import search_key
from thidua.criteria.entries import EntryRule

# Re-exported for api/reviews.py only (api/ is another engineer's area in issue #10): the lead
# points that import at thidua.criteria.entries at merge time and drops this line.
from thidua.criteria.entries import entry_rule as entry_rule
from thidua.scoring.engine import (
    AdjustmentItem,
    Condition,
    Leaf,
    LeafInput,
)
from thidua.scoring.engine.decimals import format_vi
from thidua.scoring.engine.rules import RefusedInputError, score_adjustment_item, score_simple_leaf

VALUE_FIELDS = ("points", "passed", "level", "count", "actual")
# What the database can hold (DecimalField(max_digits=9, decimal_places=4), PositiveIntegerField).
MAX_NUMBER = Decimal("99999.9999")
MAX_PLACES = 4
MAX_COUNT = 1_000_000
MAX_EXPLANATION = 5000

_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?")
# "3.000" or "1,500": a thousands separator or a decimal one? Refused rather than guessed.
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}([.,][0-9]{3})+")
_DIGITS = re.compile(r"[0-9]+")
YES_WORDS = frozenset({"yes", "y", "co", "dat", "1", "true", "x", "met"})
NO_WORDS = frozenset({"no", "n", "khong", "khong dat", "chua dat", "0", "false", "not met"})


# --- reading raw values -------------------------------------------------------------------


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def read_number(raw: Any) -> Decimal:
    """A number from a form, a cell or JSON: 2, 2.5, "2,5", "2.5"; refuses anything else."""
    if isinstance(raw, bool):
        raise ValidationError(_("Cần nhập một số, không phải đúng/sai."), code="not_a_number")
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str) and _AMBIGUOUS.fullmatch(raw.strip()):
        raise ValidationError(
            _(
                "“%(value)s” có thể hiểu theo hai cách. Hãy viết số không có dấu phân cách hàng nghìn "
                "(ví dụ 3000) và dùng dấu phẩy cho phần thập phân (ví dụ 3,5)."
            )
            % {"value": raw.strip()},
            code="ambiguous_number",
        )
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()):
        value = Decimal(raw.strip().replace(",", "."))
    else:
        shown = str(raw).strip()
        raise ValidationError(
            _("“%(value)s” không phải là số. Hãy nhập số, dùng dấu phẩy cho phần thập phân (ví dụ 2,5).")
            % {"value": shown},
            code="not_a_number",
        )
    if not value.is_finite():
        raise ValidationError(_("Số không hợp lệ."), code="not_a_number")
    return value


def read_count(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValidationError(_("Số lần phải là số nguyên từ 0 trở lên."), code="bad_count")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float | Decimal):
        try:
            if Decimal(str(raw)) == int(raw):
                return int(raw)
        except (ValueError, InvalidOperation, OverflowError):
            pass
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
        return int(raw.strip())
    raise ValidationError(
        _("“%(value)s” không phải số lần: hãy nhập một số nguyên từ 0 trở lên (không có dấu chấm, dấu phẩy).")
        % {"value": str(raw).strip()},
        code="bad_count",
    )


def read_yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    key = search_key(str(raw))
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise ValidationError(
        _("“%(value)s” không hợp lệ: chọn “Đạt” hoặc “Không đạt”.") % {"value": str(raw).strip()}, code="bad_yes_no"
    )


def read_level(rule: EntryRule, raw: Any) -> str:
    """A level name as the rubric writes it (case, accents and spaces forgiven)."""
    text = " ".join(str(raw).split())
    names = rule.level_names
    if text in names:
        return text
    by_key = {search_key(name): name for name in names}
    found = by_key.get(search_key(text))
    if found is not None:
        return found
    raise ValidationError(unknown_level(rule, text), code="unknown_level")


def unknown_level(rule: EntryRule, level: str) -> str:
    names = ", ".join(f"“{name}”" for name in rule.level_names)
    return _("Mức “%(level)s” không có trong thang chấm; chọn một trong các mức: %(names)s.") % {
        "level": level,
        "names": names,
    }


def read_value(rule: EntryRule, raw: Any) -> Any:
    """The typed value of ``raw`` for the rule (None for a blank); raises ValidationError."""
    if _blank(raw):
        return None
    if rule.field in ("points", "actual"):
        return read_number(raw)
    if rule.field == "count":
        return read_count(raw)
    if rule.field == "passed":
        return read_yes_no(raw)
    return read_level(rule, raw)


def stored_value(rule: EntryRule, value: Any) -> Any:
    """The value as the model stores it: a blank level is "" (the field is not nullable)."""
    if rule.field == "level" and value is None:
        return ""
    return value


# --- checking typed values ----------------------------------------------------------------


def _number_fits(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES and value != value.quantize(Decimal(1).scaleb(-MAX_PLACES)):
        raise ValidationError(
            _("Chỉ nhập tối đa %(n)s chữ số sau dấu phẩy.") % {"n": MAX_PLACES}, code="too_many_places"
        )
    if abs(value) > MAX_NUMBER:
        raise ValidationError(
            _("Số %(value)s quá lớn (tối đa %(max)s).") % {"value": vi(value), "max": vi(MAX_NUMBER)}, code="too_large"
        )


def vi(value: Decimal) -> str:
    """A number as entered, written the Vietnamese way ("0,25")."""
    return format_vi(value, places=None)


def check_step(value: Decimal, step: Decimal | None) -> None:
    if step is None or step <= 0 or value % step == 0:
        return
    lower = (value // step) * step
    raise ValidationError(
        _(
            "Điểm %(value)s không đúng bước %(step)s: hãy nhập %(lower)s hoặc %(upper)s. "
            "Điểm không được làm tròn tự động."
        )
        % {"value": vi(value), "step": vi(step), "lower": vi(lower), "upper": vi(lower + step)},
        code="off_step",
    )


def check_value(rule: EntryRule, value: Any) -> None:
    """Refuse a typed value the rule does not accept, with a message; a blank is fine."""
    if value is None or (rule.field == "level" and value == ""):
        return
    item = rule.item
    if rule.field == "points":
        if not isinstance(value, Decimal):
            raise ValidationError(_("Điểm phải là một số."), code="not_a_number")
        _number_fits(value)
        top = rule.max_points
        if value < 0:
            raise ValidationError(_("Điểm không được âm."), code="out_of_range")
        if top is not None and value > top:
            raise ValidationError(
                _("Điểm %(value)s vượt quá điểm tối đa %(max)s của tiêu chí (được nhập từ 0 đến %(max)s).")
                % {"value": vi(value), "max": vi(top)},
                code="out_of_range",
            )
        check_step(value, rule.step)
    elif rule.field == "actual":
        if not isinstance(value, Decimal):
            raise ValidationError(_("Số liệu thực hiện phải là một số."), code="not_a_number")
        _number_fits(value)
        if value < 0:
            raise ValidationError(_("Số liệu thực hiện không được âm."), code="out_of_range")
    elif rule.field == "count":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(_("Số lần phải là số nguyên từ 0 trở lên."), code="bad_count")
        if value > MAX_COUNT:
            raise ValidationError(_("Số lần quá lớn (tối đa %(n)s).") % {"n": MAX_COUNT}, code="too_large")
    elif rule.field == "passed":
        if not isinstance(value, bool):
            raise ValidationError(_("Chọn “Đạt” hoặc “Không đạt”."), code="bad_yes_no")
    elif not isinstance(value, str) or value not in rule.level_names:
        raise ValidationError(unknown_level(rule, str(value)), code="unknown_level")
    _engine_agrees(rule, item, value)


def _engine_agrees(rule: EntryRule, item: Leaf | AdjustmentItem | Condition, value: Any) -> None:
    """The engine's own check of the input (a safety net: the checks above say it first)."""
    if isinstance(item, Condition) or rule.is_quantitative:
        return
    given = LeafInput(**{rule.field: value})
    try:
        if isinstance(item, Leaf):
            score_simple_leaf(item, given, explain=False)
        else:
            score_adjustment_item(item, given, explain=False)
    except RefusedInputError as refused:
        raise ValidationError(refused.message, code=refused.code) from refused


def display_value(rule: EntryRule, value: Any) -> str:
    """A stored value as a reader sees it: "2,5", "Đạt", "Tốt", "3 lần"; "" when blank."""
    if value is None or value == "":
        return ""
    if rule.field == "passed":
        return _("Đạt") if value else _("Không đạt")
    if rule.field in ("points", "actual"):
        return vi(Decimal(value).normalize())
    return str(value)


def input_text(rule: EntryRule, value: Any) -> str:
    """A stored value as an input field shows it, so that saving it again reads the same
    value: no thousands separator, a comma for decimals ("3000", "2,5"); "yes"/"no"."""
    if value is None or value == "":
        return ""
    if rule.field == "passed":
        return "yes" if value else "no"
    if rule.field in ("points", "actual"):
        return f"{Decimal(value).normalize():f}".replace(".", ",")
    return str(value)


def cell_value(rule: EntryRule, value: Any) -> Any:
    """A stored value for an XLSX cell (numbers stay numbers)."""
    if value is None or value == "":
        return None
    if rule.field == "passed":
        return _("Đạt") if value else _("Không đạt")
    if rule.field in ("points", "actual"):
        number = Decimal(value).normalize()
        return int(number) if number == number.to_integral_value() else float(number)
    return value


def how_to_enter(rule: EntryRule) -> str:
    """What to type for this rule, in one short sentence (the page's hint, the XLSX column)."""
    item = rule.item
    if rule.is_condition:
        return _("Chọn “Đạt” (đáp ứng điều kiện) hoặc “Không đạt”.")
    if rule.field == "passed":
        return _("Chọn “Đạt” hoặc “Không đạt”.")
    if rule.field == "level":
        return _("Chọn một mức: %(names)s.") % {"names": ", ".join(rule.level_names)}
    if rule.field == "count":
        return _("Số lần (số nguyên từ 0 trở lên).")
    if rule.field == "actual":
        text = _("Số liệu thực hiện (số từ 0 trở lên).")
        if rule.per_capita:
            text += " " + _("Nhập tổng số; hệ thống tự chia bình quân theo hồ sơ năm của trường.")
        return text
    step = rule.step
    if isinstance(item, Leaf):
        text = _("Số điểm từ 0 đến %(max)s") % {"max": vi(item.max_points)}
    else:
        text = _("Số điểm từ 0 trở lên")
    if step is not None:
        text += ", " + _("bước %(step)s") % {"step": vi(step)}
    return text + "."
