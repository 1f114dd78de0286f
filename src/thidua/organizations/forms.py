from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.organizations.models import ClusterYear, Organization, OrganizationKind, OrganizationProfile

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class VersionedForm(BootstrapFormMixin, forms.Form):
    """A form that carries the version of the object it was opened on (stale-form check)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OrganizationForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=OrganizationKind.choices)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    short_code = forms.RegexField(
        label=_("Mã viết tắt"),
        max_length=20,
        regex=r"^[A-Za-z0-9_-]+$",
        error_messages={"invalid": _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu - và _.")},
    )
    province = forms.CharField(label=_("Tỉnh, thành phố"), max_length=100, required=False)
    active_from = forms.DateField(label=_("Hoạt động từ ngày"), required=False, widget=DATE_WIDGET)
    active_to = forms.DateField(label=_("Hoạt động đến ngày"), required=False, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end < start:
            self.add_error("active_to", _("Ngày kết thúc phải sau ngày bắt đầu hoạt động."))
        return data


class SuccessionForm(BootstrapFormMixin, forms.Form):
    predecessor = forms.ModelChoiceField(
        label=_("Đơn vị tiền thân"), queryset=Organization.objects.order_by("name_sort")
    )
    effective_date = forms.DateField(label=_("Ngày hiệu lực"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class ProfileForm(VersionedForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    staff = forms.IntegerField(label=_("Tổng số cán bộ, viên chức"), min_value=0, max_value=100000)
    lecturers = forms.IntegerField(label=_("Giảng viên"), min_value=0, max_value=100000)
    lecturers_phd = forms.IntegerField(label=_("Giảng viên có trình độ tiến sĩ"), min_value=0, max_value=100000)
    lecturers_master = forms.IntegerField(label=_("Giảng viên có trình độ thạc sĩ"), min_value=0, max_value=100000)
    principal_lecturers = forms.IntegerField(label=_("Giảng viên chính, cao cấp"), min_value=0, max_value=100000)
    trainees = forms.IntegerField(label=_("Lượt học viên"), min_value=0, max_value=10000000)
    classes = forms.IntegerField(label=_("Số lớp"), min_value=0, max_value=100000)

    @classmethod
    def for_profile(cls, profile: OrganizationProfile | None, data: Any = None) -> ProfileForm:
        initial = {"year": profile.year, "version": profile.version, **profile.size_measures()} if profile else {}
        form = cls(data, initial=initial)
        if profile is not None:
            form.fields["year"].disabled = True
        return form


class ClusterForm(VersionedForm):
    code = forms.RegexField(label=_("Mã cụm"), max_length=20, regex=r"^[A-Za-z0-9_-]+$")
    name = forms.CharField(label=_("Tên cụm"), max_length=255)
    coordinator = forms.ModelChoiceField(
        label=_("Cơ quan điều phối"), queryset=Organization.objects.order_by("name_sort"), required=False
    )
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ClusterYearForm(VersionedForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    theme = forms.CharField(label=_("Chủ đề thi đua"), max_length=500, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Thành viên"), queryset=Organization.objects.order_by("name_sort"), widget=forms.CheckboxSelectMultiple
    )
    head = forms.ModelChoiceField(label=_("Cụm trưởng"), queryset=Organization.objects.order_by("name_sort"))
    deputies = forms.ModelMultipleChoiceField(
        label=_("Cụm phó"),
        queryset=Organization.objects.order_by("name_sort"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, cluster_year: ClusterYear | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cluster_year is not None:
            self.fields["year"].disabled = True
