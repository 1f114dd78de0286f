"""Forms of the conference and the vote; services do the checking that needs the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.organizations.models import Organization
from thidua.titles.models import Award
from thidua.voting.models import Ballot, BallotMethod, Candidate, RulePreset
from thidua.voting.services import MAX_CODES_PER_BATCH

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ConferenceForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("Ngày họp"), widget=DATE_INPUT, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    host = OrganizationChoice(label=_("Đơn vị đăng cai"), queryset=Organization.objects.none())
    chair = forms.CharField(label=_("Chủ trì"), max_length=200, required=False)
    secretary = forms.CharField(label=_("Thư ký"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Chương trình"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi dòng một nội dung."),
    )
    notes = forms.CharField(label=_("Ghi chép cho biên bản"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, members: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Organization.objects.filter(pk__in=[o.pk for o in members]).order_by(  # type: ignore[attr-defined]
            "name_sort"
        )


class DelegateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=200)
    position = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    organization = OrganizationChoice(
        label=_("Đơn vị"), queryset=Organization.objects.none(), required=False, empty_label=_("— khách mời —")
    )
    is_voting = forms.BooleanField(label=_("Đại diện bỏ phiếu của đơn vị"), required=False)

    def __init__(self, *args: Any, members: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in members]
        ).order_by("name_sort")


class BallotForm(BootstrapFormMixin, forms.Form):
    question = forms.CharField(label=_("Nội dung bỏ phiếu"), max_length=500)
    preset = forms.ModelChoiceField(label=_("Quy tắc bỏ phiếu"), queryset=RulePreset.objects.none())
    method = forms.ChoiceField(label=_("Hình thức"), choices=BallotMethod.choices)
    max_choices = forms.IntegerField(label=_("Số đơn vị mỗi đại biểu được chọn tối đa"), min_value=1, initial=1)
    award = forms.ModelChoiceField(
        label=_("Hình thức khen thưởng (nếu có)"),
        queryset=Award.objects.filter(is_active=True),
        required=False,
        help_text=_("Danh sách đơn vị dưới đây được lập lại theo hình thức khen thưởng đã chọn."),
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được bỏ phiếu"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mặc định: các trường đủ điều kiện theo thứ tự xếp hạng."),
    )
    # The award the list of candidates was drawn for ("" = none): a list drawn for another award
    # than the one submitted is drawn again instead of being saved (see views.ballot_create).
    drawn_for = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, cluster_id: int, candidates: list[Organization], redraw_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if redraw_url:
            self.fields["award"].widget.attrs.update(
                {
                    "hx-get": redraw_url,
                    "hx-trigger": "change",
                    "hx-target": "#ballot-candidates",
                    "hx-swap": "outerHTML",
                }
            )
        self.fields["preset"].queryset = RulePreset.objects.filter(  # type: ignore[attr-defined]
            Q(cluster__isnull=True) | Q(cluster_id=cluster_id)
        ).order_by("cluster_id", "name")
        self.fields["candidates"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in candidates]
        )
        self.candidate_order = [o.pk for o in candidates]
        self.fields["candidates"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]

    def ordered_candidates(self) -> list[Organization]:
        chosen = {o.pk: o for o in self.cleaned_data["candidates"]}
        return [chosen[pk] for pk in self.candidate_order if pk in chosen]


class CodesForm(BootstrapFormMixin, forms.Form):
    count = forms.IntegerField(label=_("Số mã cần in"), min_value=1, max_value=MAX_CODES_PER_BATCH)


class VoteForm(forms.Form):
    code = forms.CharField(
        label=_("Mã bỏ phiếu"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-uppercase font-monospace",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX-XXXX",
            }
        ),
    )


class ChoicesForm(forms.Form):
    choices = forms.ModelMultipleChoiceField(
        label=_("Đơn vị bạn tín nhiệm"),
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        field = self.fields["choices"]
        field.queryset = ballot.candidates.select_related("organization")  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: c.organization.name  # type: ignore[attr-defined]

    def clean_choices(self) -> Any:
        chosen = self.cleaned_data["choices"]
        if len(chosen) > self.ballot.max_choices:
            raise forms.ValidationError(_("Chỉ được chọn tối đa %(n)s đơn vị.") % {"n": self.ballot.max_choices})
        return chosen


class PaperTallyForm(BootstrapFormMixin, forms.Form):
    ballots_issued = forms.IntegerField(label=_("Số phiếu phát ra"), min_value=0)
    ballots_returned = forms.IntegerField(label=_("Số phiếu thu về"), min_value=0)
    invalid = forms.IntegerField(label=_("Số phiếu không hợp lệ"), min_value=0, initial=0)

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = list(ballot.candidates.select_related("organization"))
        for cand in self.candidates:
            self.fields[f"c{cand.pk}"] = forms.IntegerField(
                label=cand.organization.name, min_value=0, widget=forms.NumberInput(attrs={"class": "form-control"})
            )

    def counts(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.CharField(
        label=_("Quyết định của Cụm trưởng và các Cụm phó"), widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class PresetForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200)
    quorum = forms.DecimalField(label=_("Tỷ lệ có mặt tối thiểu (0–1)"), max_digits=6, decimal_places=5)
    threshold = forms.DecimalField(label=_("Tỷ lệ phiếu để trúng (0–1)"), max_digits=6, decimal_places=5)
    threshold_strict = forms.BooleanField(label=_("Phải vượt (lớn hơn) tỷ lệ"), required=False)
    max_rounds = forms.IntegerField(label=_("Số vòng tối đa"), min_value=1, max_value=5)
    absentee_written_votes = forms.BooleanField(
        label=_("Tính phiếu bằng văn bản của thành viên vắng mặt"), required=False
    )
