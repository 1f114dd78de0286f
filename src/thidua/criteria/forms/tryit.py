"""The "Try it" form (thử chấm): the inputs one school gives a leaf, and for formulas that
compare schools a few other schools' results, to see the points the engine computes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.forms.fields import NumberField, style_fields
from thidua.criteria.forms.params import size_label
from thidua.scoring.engine.model import Formula, Leaf, Rule

PASSED_CHOICES = [("yes", _("Đạt")), ("no", _("Không đạt"))]
OTHER_ROWS = 3


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
            self.fields["level"] = forms.ChoiceField(
                label=_("Mức đạt được"), choices=[(name, name) for name, _points in leaf.levels]
            )
        elif rule is Rule.COUNT:
            self.fields["count"] = forms.IntegerField(label=_("Số lần"))
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
