"""The "Try it" forms (thử chấm): the inputs one school gives a leaf (and, for formulas that
compare schools, a few other schools' results), or a bonus or penalty item (điểm thưởng, điểm
trừ), to see the points the engine computes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.forms.fields import NumberField, style_fields
from thidua.criteria.forms.params import size_label
from thidua.scoring.engine.model import AdjustmentItem, Formula, Leaf, Rule

PASSED_CHOICES = [("yes", _("Đạt")), ("no", _("Không đạt"))]
OTHER_ROWS = 3
MAX_COUNT = 1_000_000
MAX_POINTS = Decimal(99999)


class LevelField(forms.ChoiceField):
    """A level of a rubric; a level the rubric does not have is refused naming those it has."""

    def __init__(self, *, levels: tuple[tuple[str, Any], ...], **kwargs: Any) -> None:
        self.level_names = [name for name, _points in levels]
        super().__init__(choices=[(name, name) for name in self.level_names], **kwargs)

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
        if value and value not in self.level_names:
            raise ValidationError(
                _("Mức «%(value)s» không có trong thang chấm (các mức: %(levels)s)."),
                code="invalid_choice",
                params={"value": value, "levels": ", ".join(f"«{name}»" for name in self.level_names)},
            )


def level_field(levels: tuple[tuple[str, Any], ...]) -> LevelField:
    return LevelField(label=_("Mức đạt được"), levels=levels)


def count_field() -> forms.IntegerField:
    """A number of occurrences; a negative one is left to the engine, which says why it refuses it."""
    return forms.IntegerField(
        label=_("Số lần"),
        max_value=MAX_COUNT,
        error_messages={
            "invalid": _("Số lần phải là một số nguyên, ví dụ 3."),
            "max_value": _("Số lần quá lớn (tối đa %(limit_value)s)."),
        },
    )


class TryForm(BootstrapFormMixin, forms.Form):
    """The inputs one school gives a leaf (and, for formulas that compare schools, a few other
    schools' results), to see the points the engine computes."""

    def __init__(self, *args: Any, leaf: Leaf, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaf = leaf
        self.other_rows: list[list[str]] = []
        rule = leaf.rule
        if rule is Rule.MANUAL:
            self.fields["points"] = NumberField(label=_("Điểm chấm"), max_value=None, max_places=10)
        elif rule is Rule.PASS_FAIL:
            self.fields["passed"] = forms.ChoiceField(
                label=_("Kết quả"), choices=PASSED_CHOICES, widget=forms.RadioSelect
            )
        elif rule is Rule.LEVELS:
            self.fields["level"] = level_field(leaf.levels)
        elif rule is Rule.COUNT:
            self.fields["count"] = count_field()
        else:
            self._add_quantitative(leaf)
        style_fields(self)

    def _value_fields(self, suffix: str, *, required: bool, other: int | None = None) -> list[str]:
        """The actual (and target, and size measure) of one school; ``other`` numbers another school."""
        leaf, names = self.leaf, []
        labels = [_("Kết quả thực hiện"), _("Chỉ tiêu đăng ký"), size_label(leaf.per_capita or "")]
        if other is not None:
            labels = [_("Trường khác %(n)s: %(what)s") % {"n": other, "what": str(label).lower()} for label in labels]
        self.fields[f"actual{suffix}"] = NumberField(label=labels[0], required=required, max_value=None, max_places=10)
        names.append(f"actual{suffix}")
        if leaf.uses_target:
            self.fields[f"target{suffix}"] = NumberField(
                label=labels[1], required=required, max_value=None, max_places=10
            )
            names.append(f"target{suffix}")
        if leaf.per_capita:
            self.fields[f"size{suffix}"] = NumberField(
                label=labels[2], required=required, max_value=None, max_places=10
            )
            names.append(f"size{suffix}")
        return names

    def _add_quantitative(self, leaf: Leaf) -> None:
        self._value_fields("", required=True)
        if leaf.formula in (Formula.RELATIVE_TO_BEST, Formula.TARGET_AND_LEADER):
            for index in range(OTHER_ROWS):
                self.other_rows.append(self._value_fields(f"_{index}", required=False, other=index + 1))

    @property
    def compares_schools(self) -> bool:
        return bool(self.other_rows)

    def own_fields(self) -> list[forms.BoundField]:
        others = {name for row in self.other_rows for name in row}
        return [self[name] for name in self.fields if name not in others]

    def other_row_fields(self) -> list[list[forms.BoundField]]:
        return [[self[name] for name in row] for row in self.other_rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index, row in enumerate(self.other_rows):
            values = [data.get(name) for name in row]
            if any(value is not None for value in values) and data.get(row[0]) is None:
                self.add_error(row[0], _("Nhập kết quả thực hiện của trường khác %(n)s.") % {"n": index + 1})
            if self.leaf.per_capita and data.get(row[0]) is not None and data.get(row[-1]) is None:
                self.add_error(row[-1], _("Nhập cả số đo quy mô của trường khác %(n)s.") % {"n": index + 1})
        return data


class TryItemForm(BootstrapFormMixin, forms.Form):
    """The input one school gives a bonus or penalty item (điểm thưởng, điểm trừ): a number of
    occurrences, a level, or points, by the item's rule."""

    compares_schools = False

    def __init__(self, *args: Any, item: AdjustmentItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        if item.rule is Rule.COUNT:
            self.fields["count"] = count_field()
        elif item.rule is Rule.LEVELS:
            self.fields["level"] = level_field(item.levels)
        else:
            # Bounded (unlike a criterion's points, which its maximum bounds): the step check
            # divides, and the engine's decimals cannot divide numbers of 30 digits.
            self.fields["points"] = NumberField(label=_("Số điểm"), max_value=MAX_POINTS, max_places=10)
        style_fields(self)

    def own_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields]
