"""Forms of the self-assessment pages: one criterion's input (read for its rule by
``inputs.read_value``), the reason to reopen, and the XLSX upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.assessments.inputs import MAX_EXPLANATION, check_value, read_value
from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.entries import EntryRule

MAX_XLSX_BYTES = 5 * 1024 * 1024


class EntryForm(forms.Form):
    """One criterion's input: ``value`` read for the rule, the explanation, the version the
    page was opened with (optimistic concurrency)."""

    value = forms.CharField(required=False, max_length=300, strip=True)
    explanation = forms.CharField(required=False, max_length=MAX_EXPLANATION, strip=True)
    version = forms.IntegerField(min_value=0)
    # "Save mine anyway" after a conflict: the version of the other person's save, seen.
    confirm_version = forms.IntegerField(min_value=0, required=False)

    def __init__(self, *args: Any, rule: EntryRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule

    def clean_value(self) -> Any:
        raw = self.cleaned_data.get("value")
        value = read_value(self.rule, raw)
        check_value(self.rule, value)
        return value

    def service_values(self) -> dict[str, Any]:
        """The keyword arguments of ``services.save_entry`` for this form."""
        return {self.rule.field: self.cleaned_data["value"], "explanation": self.cleaned_data["explanation"]}

    @property
    def expected_version(self) -> int:
        confirmed = self.cleaned_data.get("confirm_version")
        return int(confirmed if confirmed is not None else self.cleaned_data["version"])

    def first_error(self) -> str:
        for errors in self.errors.values():
            for message in errors:
                return str(message)
        return ""


class ReopenForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Lý do được ghi vào nhật ký và trường sẽ thấy."),
    )


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) đã điền"),
        help_text=_("Tệp tải về từ trang này, đã điền cột “Giá trị tự chấm” và “Giải thích”."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_XLSX_BYTES:
            raise ValidationError(_("Tệp lớn quá 5 MB; tệp tự chấm điểm thường chỉ vài chục KB."))
        return upload
