"""Forms of the peer-review pages: one criterion's review input, the reviewer declaring a
conflict of interest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.assessments.inputs import read_value
from thidua.assessments.services import UNSET
from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.entries import EntryRule
from thidua.reviews.services import MAX_COMMENT, is_own_rule

MODES = (("", _("— chưa chọn —")), ("confirm", _("Xác nhận số liệu của trường")), ("correct", _("Sửa số liệu")))


class ReviewEntryForm(forms.Form):
    """One criterion: the mode (confirm / correct; not used on manual and levels items), the
    value (own points or level, or the corrected input), the comment, the version."""

    mode = forms.ChoiceField(choices=MODES, required=False)
    value = forms.CharField(required=False, max_length=300, strip=True)
    comment = forms.CharField(required=False, max_length=MAX_COMMENT, strip=True)
    version = forms.IntegerField(min_value=0)

    def __init__(self, *args: Any, rule: EntryRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule

    def clean_value(self) -> Any:
        return read_value(self.rule, self.cleaned_data.get("value"))

    def service_values(self) -> dict[str, Any]:
        """The keyword arguments of ``services.save_entry``."""
        data = self.cleaned_data
        values: dict[str, Any] = {"comment": data["comment"]}
        if is_own_rule(self.rule):
            values["value"] = data["value"]
            return values
        mode = data.get("mode") or ""
        if mode == "confirm":
            values["confirmed"] = True
        elif mode == "correct":
            values["confirmed"] = False
            values["value"] = data["value"]
        else:
            values["confirmed"] = None if data["value"] is None else UNSET
            if data["value"] is not None:
                values["value"] = data["value"]
        return values

    def first_error(self) -> str:
        for errors in self.errors.values():
            for message in errors:
                return str(message)
        return ""


class ConflictForm(BootstrapFormMixin, forms.Form):
    school = forms.ChoiceField(label=_("Trường có xung đột lợi ích"))
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, schools: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["school"]).choices = schools
