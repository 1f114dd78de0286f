"""Forms of the secretariat's assignment page: generating from a seed, adding and removing
one assignment, recording a conflict of interest declared to it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin


class GenerateForm(BootstrapFormMixin, forms.Form):
    seed = forms.IntegerField(
        label=_("Số hạt giống (seed)"),
        min_value=0,
        max_value=2**31,
        initial=2020,
        help_text=_("Cùng một số luôn cho cùng một phân công; ghi lại số này để kiểm chứng."),
    )


class AddAssignmentForm(BootstrapFormMixin, forms.Form):
    school = forms.ChoiceField(label=_("Trường được chấm"))
    reviewer = forms.ChoiceField(label=_("Người chấm"))
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=2000)

    def __init__(self, *args: Any, schools: list[tuple[int, str]], reviewers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["school"]).choices = schools
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = reviewers


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=2000)


class SecretariatConflictForm(BootstrapFormMixin, forms.Form):
    """The secretariat records a conflict of interest declared to it (e.g. on paper)."""

    reviewer = forms.ChoiceField(label=_("Người chấm"))
    school = forms.ChoiceField(label=_("Trường có xung đột lợi ích"))
    reason = forms.CharField(label=_("Lý do"), max_length=2000)

    def __init__(self, *args: Any, schools: list[tuple[int, str]], reviewers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["school"]).choices = schools
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = reviewers
