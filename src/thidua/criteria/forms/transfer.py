"""The import form: a framework uploaded as YAML or XLSX, for a cluster and year the user may
edit (the formats are read by ``criteria.importexport``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.forms.frameworks import _ScopeMixin
from thidua.organizations.models import Cluster


class ImportForm(_ScopeMixin, BootstrapFormMixin, forms.Form):
    """Upload a framework as YAML (reference format) or XLSX (documented sheet layout)."""

    file = forms.FileField(
        label=_("Tệp bảng tiêu chí"),
        help_text=_("Tệp YAML theo mẫu tham khảo hoặc tệp Excel (.xlsx) theo bố cục đã hướng dẫn."),
    )
    cluster = forms.ModelChoiceField(
        label=_("Cụm sử dụng"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("(không thuộc cụm nào — bảng mẫu chung)"),
    )
    year = forms.IntegerField(label=_("Năm áp dụng"), min_value=2000, max_value=2100, required=False)
