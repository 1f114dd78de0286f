"""Forms of the campaign pages: opening a campaign, its settings, deadlines, phase moves,
extensions, a school's registration and the covenant's signed scan.

Numbers are typed the Vietnamese way ("95,5") or with a point; moments as "31/03/2020 17:00"
(a day alone means 23:59 that day: a deadline "on 31/03" lasts the whole day).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.covenants import scan_accept
from thidua.campaigns.models import Campaign, ReconciliationPolicy, Registration
from thidua.campaigns.phases import DEADLINE_PHASES, Phase
from thidua.campaigns.registrations import target_field
from thidua.campaigns.targets import MAX_PLACES, MAX_TARGET, TargetLeaf, clean_titles
from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.forms import NumberField
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.organizations.models import ClusterYear, Organization

_MOMENT = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?\s*$")
END_OF_DAY = datetime.time(23, 59)


def moment_text(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


class MomentField(forms.CharField):
    """A local moment typed "dd/mm/yyyy hh:mm" (or a day alone: 23:59 that day), made aware."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off", "inputmode": "numeric"}),
        )
        kwargs.setdefault("help_text", _("Ví dụ 31/03/2020 17:00; chỉ ghi ngày thì hạn là 23:59 ngày đó."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        match = _MOMENT.match(text)
        if match is None:
            raise ValidationError(
                _("“%(value)s” không đúng dạng ngày giờ: hãy viết dd/mm/yyyy hoặc dd/mm/yyyy hh:mm."),
                code="invalid",
                params={"value": text},
            )
        day, month, year, hour, minute = match.groups()
        try:
            date = datetime.date(int(year), int(month), int(day))
            moment = datetime.time(int(hour), int(minute)) if hour is not None and minute is not None else END_OF_DAY
        except ValueError as exc:
            raise ValidationError(
                _("“%(value)s” không phải là một ngày giờ có thật."), code="invalid", params={"value": text}
            ) from exc
        return timezone.make_aware(datetime.datetime.combine(date, moment))

    def prepare_value(self, value: Any) -> Any:
        return moment_text(value) if isinstance(value, datetime.datetime) else value


class ReminderDaysField(forms.CharField):
    """ "7, 3, 1": the days before each deadline when reminders go out."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Nhắc trước hạn (số ngày)"))
        kwargs.setdefault(
            "help_text", _("Các số ngày cách nhau bởi dấu phẩy, ví dụ 7, 3, 1. Để trống: không gửi thư nhắc.")
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in re.split(r"[,;\s]+", text) if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class VersionedForm(BootstrapFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DeadlineFields(forms.Form):
    """One field per phase with a deadline, named after the phase."""

    registration = MomentField(label=_("Hạn đăng ký thi đua"), required=False, help_text="")
    self_assessment = MomentField(label=_("Hạn tự chấm điểm"), required=False, help_text="")
    review = MomentField(label=_("Hạn chấm chéo"), required=False, help_text="")
    clarification = MomentField(label=_("Hạn giải trình"), required=False, help_text="")

    def deadlines(self) -> dict[str, datetime.datetime | None]:
        return {phase: self.cleaned_data.get(phase) for phase in DEADLINE_PHASES}


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} — {obj.year}" if obj.year else str(obj)


def framework_queryset(cluster_year: ClusterYear) -> Any:
    """Published frameworks of the cluster, or the Academy's, most recent year first."""
    published = Framework.objects.filter(status=FrameworkStatus.PUBLISHED)
    return (published.filter(cluster=cluster_year.cluster) | published.filter(cluster__isnull=True)).order_by(
        "-year", "name_sort", "-edition"
    )


class CampaignCreateForm(BootstrapFormMixin, DeadlineFields):
    framework = FrameworkChoiceField(
        label=_("Bảng tiêu chí"),
        queryset=Framework.objects.none(),
        help_text=_("Chỉ chọn được bảng đã ban hành của cụm (hoặc bảng mẫu của Học viện)."),
    )
    reminder_days = ReminderDaysField(initial="7, 3, 1")

    field_order = ["framework", *DEADLINE_PHASES, "reminder_days"]

    def __init__(self, *args: Any, cluster_year: ClusterYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- narrows the type for mypy
        field.queryset = framework_queryset(cluster_year)
        if not self.is_bound:  # this year's framework of the cluster, when there is one
            field.initial = field.queryset.filter(cluster=cluster_year.cluster, year=cluster_year.year).first()


class CampaignSettingsForm(VersionedForm):
    reminder_days = ReminderDaysField()
    reviewers_per_school = forms.IntegerField(label=_("Số người chấm mỗi trường"), min_value=1, max_value=20)
    discrepancy_share = NumberField(
        label=_("Ngưỡng chênh lệch"),
        help_text=_("Tỷ lệ của điểm tối đa tiêu chí, ví dụ 0,2 là 20 %: lệch hơn thế thì tiêu chí được đánh dấu."),
        positive=True,
        max_value=None,
    )
    reconciliation_policy = forms.ChoiceField(label=_("Cách thống nhất điểm"), choices=ReconciliationPolicy.choices)
    reviewers_visible_to_schools = forms.BooleanField(label=_("Trường được biết ai chấm mình"), required=False)

    framework = FrameworkChoiceField(
        label=_("Bảng tiêu chí"),
        queryset=Framework.objects.none(),
        help_text=_("Đổi được khi đợt thi đua đang ở giai đoạn Chuẩn bị và chưa trường nào đăng ký."),
    )

    field_order = ["framework"]

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- narrows the type for mypy
        field.queryset = framework_queryset(campaign.cluster_year)
        if campaign.phase != Phase.SETUP:
            del self.fields["framework"]

    @staticmethod
    def initial_for(campaign: Campaign) -> dict[str, Any]:
        return {
            "framework": campaign.framework,
            "reminder_days": campaign.reminder_days,
            "reviewers_per_school": campaign.reviewers_per_school,
            "discrepancy_share": campaign.discrepancy_share,
            "reconciliation_policy": campaign.reconciliation_policy,
            "reviewers_visible_to_schools": campaign.reviewers_visible_to_schools,
            "version": campaign.version,
        }


class DeadlinesForm(VersionedForm, DeadlineFields):
    @staticmethod
    def initial_for(campaign: Campaign, deadlines: dict[str, datetime.datetime]) -> dict[str, Any]:
        return {"version": campaign.version, **deadlines}


class PhaseMoveForm(VersionedForm):
    to = forms.ChoiceField(label=_("Chuyển sang giai đoạn"), choices=Phase.choices)
    reason = forms.CharField(
        label=_("Lý do"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionForm(BootstrapFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Trường"), queryset=Organization.objects.none())
    phase = forms.ChoiceField(
        label=_("Giai đoạn"), choices=[(p, Phase(p).label) for p in DEADLINE_PHASES], initial=Phase.SELF_ASSESSMENT
    )
    until = MomentField(label=_("Gia hạn đến"))
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Trường được gia hạn sẽ thấy lý do này."),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 -- narrows the type for mypy
        field.queryset = Organization.objects.filter(memberships__cluster_year=campaign.cluster_year).order_by(
            "name_sort"
        )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RegistrationForm(VersionedForm):
    """Targets (one field per criterion that takes one), aimed titles, commitment."""

    aimed_titles = forms.MultipleChoiceField(
        label=_("Danh hiệu đăng ký"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_titles = forms.CharField(
        label=_("Danh hiệu khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một danh hiệu, ví dụ “Tập thể lao động xuất sắc”."),
    )
    commitment = forms.CharField(
        label=_("Nội dung cam kết"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Được đưa vào giao ước thi đua của Cụm."),
    )

    def __init__(self, *args: Any, leaves: Sequence[TargetLeaf], title_choices: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaves = list(leaves)
        choices_field = self.fields["aimed_titles"]
        assert isinstance(choices_field, forms.MultipleChoiceField)  # noqa: S101 -- narrows the type for mypy
        choices_field.choices = [(t, t) for t in title_choices]
        self.title_choices = list(title_choices)
        for leaf in self.leaves:
            field = NumberField(
                label=f"{leaf.code}. {leaf.title}",
                required=False,
                positive=True,
                max_places=MAX_PLACES,
                max_value=MAX_TARGET,
                help_text=leaf.hint,
            )
            field.widget.attrs.update({"class": "form-control text-end", "aria-describedby": f"unit-{leaf.node.pk}"})
            self.fields[target_field(leaf.code)] = field

    @classmethod
    def initial_for(cls, registration: Registration | None, title_choices: Sequence[str]) -> dict[str, Any]:
        if registration is None:
            return {"version": 0}
        titles = list(registration.aimed_titles or [])
        initial: dict[str, Any] = {
            "version": registration.version,
            "aimed_titles": [t for t in titles if t in title_choices],
            "other_titles": "\n".join(t for t in titles if t not in title_choices),
            "commitment": registration.commitment,
        }
        for target in registration.targets.all():
            initial[target_field(target.node.code)] = target.target
        return initial

    def target_rows(self) -> list[tuple[TargetLeaf, forms.BoundField]]:
        return [(leaf, self[target_field(leaf.code)]) for leaf in self.leaves]

    def cleaned_targets(self) -> dict[str, Any]:
        return {leaf.code: self.cleaned_data.get(target_field(leaf.code)) for leaf in self.leaves}

    def cleaned_titles(self) -> list[str]:
        chosen = list(self.cleaned_data.get("aimed_titles") or [])
        others = (self.cleaned_data.get("other_titles") or "").splitlines()
        return clean_titles([*chosen, *others])


class CovenantUploadForm(BootstrapFormMixin, forms.Form):
    scan = forms.FileField(
        label=_("Bản quét giao ước đã ký"), widget=forms.ClearableFileInput(attrs={"accept": scan_accept()})
    )
    signed_on = forms.DateField(
        label=_("Ngày ký"),
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scan"].help_text = _("PDF, JPG hoặc PNG; tối đa %(mb)s MB.") % {
            "mb": settings.EVIDENCE_MAX_UPLOAD_MB
        }
