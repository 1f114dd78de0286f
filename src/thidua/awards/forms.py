"""Forms of the award list, the award history and proposals; every save goes through
``awards.services``."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.awards.models import ProposalStatus
from thidua.campaigns.models import Campaign
from thidua.core.forms import BootstrapFormMixin
from thidua.organizations.models import Organization, OrganizationKind
from thidua.titles.models import Award
from thidua.voting.models import Ballot

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _ballots(campaign: Campaign) -> Any:
    return Ballot.objects.filter(conference__cluster_year=campaign.cluster_year).order_by("id")


class AwardRecordForm(BootstrapFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Organization.objects.none())
    award = forms.ModelChoiceField(label=_("Hình thức khen thưởng"), queryset=Award.objects.none())
    year = forms.IntegerField(label=_("Năm"), min_value=1945, max_value=2100)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.exclude(  # type: ignore[attr-defined]
            kind=OrganizationKind.ACADEMY
        ).order_by("name_sort")
        self.fields["award"].queryset = Award.objects.order_by("name_sort")  # type: ignore[attr-defined]


class ProposalCreateForm(BootstrapFormMixin, forms.Form):
    nominee = forms.ModelChoiceField(label=_("Đơn vị được đề nghị"), queryset=Organization.objects.none())
    award = forms.ModelChoiceField(label=_("Hình thức khen thưởng"), queryset=Award.objects.none())
    ballot = forms.ModelChoiceField(
        label=_("Lượt bỏ phiếu suy tôn"), queryset=Award.objects.none(), required=False,
        help_text=_("Kết quả bỏ phiếu của lượt này được ghi vào căn cứ đề nghị."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Căn cứ ghi thêm"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Khi chưa có kết quả công bố hoặc kết quả bỏ phiếu, hãy ghi căn cứ ở đây."),
    )  # fmt: skip
    achievements = forms.CharField(
        label=_("Thành tích nổi bật (cho báo cáo thành tích)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member_ids = [m.organization_id for m in campaign.cluster_year.memberships.all()]
        self.fields["nominee"].queryset = Organization.objects.filter(pk__in=member_ids).order_by("name_sort")  # type: ignore[attr-defined]
        self.fields["award"].queryset = Award.objects.filter(is_active=True).order_by("level", "name_sort")  # type: ignore[attr-defined]
        self.fields["ballot"].queryset = _ballots(campaign)  # type: ignore[attr-defined]


class ProposalEditForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    ballot = forms.ModelChoiceField(label=_("Lượt bỏ phiếu suy tôn"), queryset=Award.objects.none(), required=False)
    note = forms.CharField(label=_("Căn cứ ghi thêm"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    achievements = forms.CharField(
        label=_("Thành tích nổi bật (cho báo cáo thành tích)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ballot"].queryset = _ballots(campaign)  # type: ignore[attr-defined]


class SubmitForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Lý do vẫn trình khi chưa đủ số năm liên tục"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


DECISIONS = [
    (ProposalStatus.APPROVED, _("Phê duyệt")),
    (ProposalStatus.RETURNED, _("Trả lại để bổ sung")),
    (ProposalStatus.REJECTED, _("Không phê duyệt")),
]


class DecideForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Quyết định"), choices=DECISIONS, widget=forms.RadioSelect)
    decision_number = forms.CharField(
        label=_("Số quyết định"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"placeholder": "1234-QĐ/HVCTQG"}),
    )  # fmt: skip
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS,
        initial=datetime.date.today,
    )  # fmt: skip
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = ""
