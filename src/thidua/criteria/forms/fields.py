"""Field building blocks of the criteria forms: numbers typed the Vietnamese way ("0,25",
"1.000,5") or with a decimal point, read by ``parse_number`` and shown back by
``number_input``; ``NumberField``; and ``style_fields`` for fields a form adds late."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_PLAIN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_THOUSANDS_ONLY = re.compile(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+")


def parse_number(text: str) -> Decimal:
    """A number typed the Vietnamese way ("0,25", "1.000,5") or with a decimal point ("0.25").

    A lone dot followed by three digits ("1.500") could mean 1,5 or 1500, so it is refused
    with a message that says both readings. Raises ``ValidationError``.
    """
    raw = text
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,5: dots group thousands
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234.5
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise ValidationError(_("“%(value)s” không phải là một số."), code="invalid", params={"value": raw})
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        if not _THOUSANDS_ONLY.fullmatch(text):
            raise ValidationError(_("“%(value)s” không phải là một số."), code="invalid", params={"value": raw})
        text = text.replace(".", "")
    elif _THOUSANDS_ONLY.fullmatch(text):
        whole = text.replace(".", "")
        raise ValidationError(
            _(
                "“%(value)s” có thể hiểu là %(small)s hoặc %(large)s. Hãy viết %(small)s (phần lẻ sau dấu phẩy) "
                "hoặc %(large)s (không dùng dấu chấm)."
            ),
            code="ambiguous",
            params={"value": raw, "small": text.replace(".", ","), "large": whole},
        )
    if not _PLAIN.fullmatch(text):
        raise ValidationError(
            _("“%(value)s” không phải là một số. Hãy viết số như 3 hoặc 0,25."), code="invalid", params={"value": raw}
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover -- the pattern admits only valid numbers
        raise ValidationError(_("“%(value)s” không phải là một số."), code="invalid", params={"value": raw}) from exc


def number_input(value: object) -> str:
    """A stored number as the officer would type it: "0,25" in Vietnamese, "0.25" in English,
    never with a thousands separator (so that it reads back unchanged)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number.normalize():f}" if number else "0"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    language = get_language() or "vi"
    return text.replace(".", ",") if language.startswith("vi") else text


def param_number(value: Decimal) -> int | str:
    """A number for ``params``: an int when whole, else its exact decimal string."""
    if value == value.to_integral_value():
        return int(value)
    return f"{value.normalize():f}"


class NumberField(forms.CharField):
    """A decimal number typed as text, read by ``parse_number``; bounds give clear messages."""

    def __init__(
        self,
        *,
        min_value: Decimal | None = None,
        positive: bool = False,
        max_places: int = 4,
        max_value: Decimal | None = Decimal("99999"),
        **kwargs: Any,
    ) -> None:
        self.min_value, self.positive, self.max_places, self.max_value = min_value, positive, max_places, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        number = parse_number(text)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.max_places:
            raise ValidationError(
                _("Chỉ dùng tối đa %(n)s chữ số sau dấu phẩy."), code="max_places", params={"n": self.max_places}
            )
        if self.positive and number <= 0:
            raise ValidationError(_("Số phải lớn hơn 0."), code="positive")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Số không được nhỏ hơn %(min)s."), code="min_value", params={"min": number_input(self.min_value)}
            )
        if self.max_value is not None and abs(number) > self.max_value:
            raise ValidationError(
                _("Số quá lớn (tối đa %(max)s)."), code="max_value", params={"max": number_input(self.max_value)}
            )
        return number

    def prepare_value(self, value: Any) -> Any:
        return number_input(value) if isinstance(value, Decimal | int | float) else value


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap's classes on fields added after ``BootstrapFormMixin.__init__`` ran."""
    for field in form.fields.values():
        widget = field.widget
        if "class" in widget.attrs or isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"
