"""Forms of a framework as a whole: its settings, cloning and archiving, and the clusters (and
years) a user may keep frameworks for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.accounts.roles import roleset
from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.forms.fields import NumberField
from thidua.criteria.models import Framework
from thidua.organizations.models import Cluster


def editable_clusters(user: Any) -> Any:
    """The clusters a user may keep frameworks for: all for the Academy, else those they lead."""
    rs = roleset(user)
    clusters = Cluster.objects.order_by("name_sort")
    if rs.is_admin or rs.is_academy:
        return clusters
    ids = {cluster_id for cluster_id, _year in rs.led_cluster_years}
    ids |= {g.cluster_id for g in rs.grants if g.role == "cluster_secretariat" and g.cluster_id is not None}
    return clusters.filter(pk__in=ids)


class _ScopeMixin:
    """Refuse a cluster and year the user could not edit afterwards (no handing a draft over to
    another cluster, no locking oneself out)."""

    user: Any
    add_error: Any
    fields: Any

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cluster"].queryset = editable_clusters(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # type: ignore[misc]
        if "cluster" in data and "year" in data:
            self.check_scope(data)
        return data

    def check_scope(self, data: dict[str, Any]) -> None:
        probe = Framework(cluster=data.get("cluster"), year=data.get("year"))
        if not self.user.has_perm("criteria.change_framework", probe):
            self.add_error(
                "cluster",
                _(
                    "Bạn chỉ soạn được bảng tiêu chí của cụm (và năm) mà bạn làm Thường trực Cụm. "
                    "Để trống ô cụm là bảng mẫu chung do Học viện quản lý."
                ),
            )


class FrameworkForm(_ScopeMixin, BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Tên bảng tiêu chí"), max_length=255)
    total = NumberField(label=_("Tổng điểm"), positive=True, help_text=_("Thường là 100 hoặc 1000 điểm."))
    bonus_cap = NumberField(
        label=_("Điểm thưởng tối đa"), required=False, min_value=Decimal(0), help_text=_("Để trống nếu không giới hạn.")
    )
    penalty_cap = NumberField(
        label=_("Điểm trừ tối đa"), required=False, min_value=Decimal(0), help_text=_("Để trống nếu không giới hạn.")
    )
    cluster = forms.ModelChoiceField(
        label=_("Cụm sử dụng"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("(không thuộc cụm nào — bảng mẫu chung)"),
    )
    year = forms.IntegerField(label=_("Năm áp dụng"), min_value=2000, max_value=2100, required=False)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, framework: Framework) -> dict[str, Any]:
        return {
            "version": framework.version,
            "name": framework.name,
            "total": framework.total,
            "bonus_cap": framework.bonus_cap,
            "penalty_cap": framework.penalty_cap,
            "cluster": framework.cluster,
            "year": framework.year,
            "description": framework.description,
        }


class CloneForm(_ScopeMixin, BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên bảng mới"), max_length=255, required=False, help_text=_("Để trống: giữ tên cũ.")
    )
    year = forms.IntegerField(label=_("Năm áp dụng"), min_value=2000, max_value=2100)
    cluster = forms.ModelChoiceField(
        label=_("Cụm sử dụng"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("(không thuộc cụm nào — bảng mẫu chung)"),
    )


class ArchiveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=500)
