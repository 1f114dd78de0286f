"""The award form (the Academy): one award of the list, with the version it was read at."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.titles.models import Award, AwardLevel


class AwardForm(BootstrapFormMixin, forms.Form):
    code = forms.SlugField(label=_("Mã"), max_length=50)
    name = forms.CharField(label=_("Tên hình thức khen thưởng"), max_length=255)
    level = forms.ChoiceField(label=_("Cấp"), choices=AwardLevel.choices)
    consecutive_years = forms.IntegerField(
        label=_("Số năm liên tục cần có"), required=False, min_value=1, max_value=10,
        help_text=_("Để trống nếu không có điều kiện về số năm liên tục."),
    )  # fmt: skip
    prerequisite = forms.ModelChoiceField(
        label=_("Danh hiệu phải có các năm trước"), queryset=Award.objects.none(), required=False,
        help_text=_("Để trống: cần chính hình thức này các năm trước."),
    )  # fmt: skip
    framework_title = forms.CharField(
        label=_("Danh hiệu tương ứng trong bảng tiêu chí"), max_length=200, required=False,
        help_text=Award._meta.get_field("framework_title").help_text,
    )  # fmt: skip
    is_active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the version read

    def __init__(self, *args: Any, award: Award | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Award.objects.order_by("name_sort")
        if award is not None:
            others = others.exclude(pk=award.pk)
        self.fields["prerequisite"].queryset = others  # type: ignore[attr-defined]
