"""Forms of the criteria editor: a framework's settings, its nodes (with parameter fields that
fit each scoring rule), cloning, archiving and "Try it" (thử chấm).

The node form turns what an officer types into ``params`` in the keys of the reference YAML
format (numbers as ints or strings, levels as ``{name: points}``, tiers as
``[[threshold, points], ...]``); keys it does not manage (``source``, imported extras) are
kept unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thidua.accounts.roles import roleset
from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.models import CriterionNode, FormulaChoice, Framework, NodeKind, RuleChoice
from thidua.organizations.models import Cluster, OrganizationProfile
from thidua.scoring.engine.model import TARGET_FORMULAS, Formula, Leaf, Rule
from thidua.scoring.engine.reference_format import CONDITION_KEYS, ITEM_KEYS, LEAF_KEYS

# --- numbers ------------------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_THOUSANDS_ONLY = re.compile(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+")


def parse_number(text: str) -> Decimal:
    """A number typed the Vietnamese way ("0,25", "1.000,5") or with a decimal point ("0.25").

    A lone dot followed by three digits ("1.500") could mean 1,5 or 1500, so it is refused
    with a message that says both readings. Raises ``ValidationError``.
    """
    raw = text
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,5: dots group thousands
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234.5
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise ValidationError(_("“%(value)s” không phải là một số."), code="invalid", params={"value": raw})
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        if not _THOUSANDS_ONLY.fullmatch(text):
            raise ValidationError(_("“%(value)s” không phải là một số."), code="invalid", params={"value": raw})
        text = text.replace(".", "")
    elif _THOUSANDS_ONLY.fullmatch(text):
        whole = text.replace(".", "")
        raise ValidationError(
            _(
                "“%(value)s” có thể hiểu là %(small)s hoặc %(large)s. Hãy viết %(small)s (phần lẻ sau dấu phẩy) "
                "hoặc %(large)s (không dùng dấu chấm)."
            ),
            code="ambiguous",
            params={"value": raw, "small": text.replace(".", ","), "large": whole},
        )
    if not _PLAIN.fullmatch(text):
        raise ValidationError(
            _("“%(value)s” không phải là một số. Hãy viết số như 3 hoặc 0,25."), code="invalid", params={"value": raw}
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover -- the pattern admits only valid numbers
        raise ValidationError(_("“%(value)s” không phải là một số."), code="invalid", params={"value": raw}) from exc


def number_input(value: object) -> str:
    """A stored number as the officer would type it: "0,25" in Vietnamese, "0.25" in English,
    never with a thousands separator (so that it reads back unchanged)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number.normalize():f}" if number else "0"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    language = get_language() or "vi"
    return text.replace(".", ",") if language.startswith("vi") else text


def param_number(value: Decimal) -> int | str:
    """A number for ``params``: an int when whole, else its exact decimal string."""
    if value == value.to_integral_value():
        return int(value)
    return f"{value.normalize():f}"


class NumberField(forms.CharField):
    """A decimal number typed as text, read by ``parse_number``; bounds give clear messages."""

    def __init__(
        self,
        *,
        min_value: Decimal | None = None,
        positive: bool = False,
        max_places: int = 4,
        max_value: Decimal | None = Decimal("99999"),
        **kwargs: Any,
    ) -> None:
        self.min_value, self.positive, self.max_places, self.max_value = min_value, positive, max_places, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        number = parse_number(text)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.max_places:
            raise ValidationError(
                _("Chỉ dùng tối đa %(n)s chữ số sau dấu phẩy."), code="max_places", params={"n": self.max_places}
            )
        if self.positive and number <= 0:
            raise ValidationError(_("Số phải lớn hơn 0."), code="positive")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Số không được nhỏ hơn %(min)s."), code="min_value", params={"min": number_input(self.min_value)}
            )
        if self.max_value is not None and abs(number) > self.max_value:
            raise ValidationError(
                _("Số quá lớn (tối đa %(max)s)."), code="max_value", params={"max": number_input(self.max_value)}
            )
        return number

    def prepare_value(self, value: Any) -> Any:
        return number_input(value) if isinstance(value, Decimal | int | float) else value


# --- frameworks ---------------------------------------------------------------------------


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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cluster"].queryset = editable_clusters(user)  # type: ignore[attr-defined]

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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "cluster" in data and "year" in data:
            self.check_scope(data)
        return data


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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cluster"].queryset = editable_clusters(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "cluster" in data and "year" in data:
            self.check_scope(data)
        return data


class ArchiveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=500)


# --- nodes --------------------------------------------------------------------------------

ITEM_KINDS = (NodeKind.BONUS, NodeKind.PENALTY)
ITEM_RULE_CHOICES = [
    (Rule.COUNT.value, _("Theo số lần (điểm mỗi lần)")),
    (Rule.LEVELS.value, _("Theo mức")),
    (Rule.MANUAL.value, _("Chấm trực tiếp")),
]
DIRECTION_CHOICES = [
    ("higher", _("Cao hơn là tốt hơn")),
    ("lower", _("Thấp hơn là tốt hơn (ví dụ: số ngày chậm, tỷ lệ bỏ học)")),
]
SIZE_LABELS = {
    "staff": _("Số cán bộ, viên chức"),
    "lecturers": _("Số giảng viên"),
    "lecturers_phd": _("Số giảng viên có trình độ tiến sĩ"),
    "lecturers_master": _("Số giảng viên có trình độ thạc sĩ"),
    "principal_lecturers": _("Số giảng viên chính, cao cấp"),
    "trainees": _("Số lượt học viên"),
    "classes": _("Số lớp"),
}


def size_measure_choices() -> list[tuple[str, Any]]:
    """The size measures of a school's yearly profile, with their Vietnamese labels."""
    choices: list[tuple[str, Any]] = []
    for name in OrganizationProfile.SIZE_MEASURES:
        field = OrganizationProfile._meta.get_field(name)
        label = SIZE_LABELS.get(name) or getattr(field, "verbose_name", None) or name
        choices.append((name, label))
    return choices


def size_label(name: str) -> str:
    return str(dict(size_measure_choices()).get(name, name))


# Keys of ``params`` that the form manages per kind; every other key is kept as it was.
_COLUMNS = {"code", "title", "max", "guidance", "evidence", "leaves", "source"}
MANAGED_KEYS = {
    NodeKind.GROUP: set(),
    NodeKind.LEAF: set(LEAF_KEYS) - _COLUMNS,
    NodeKind.BONUS: set(ITEM_KEYS) - _COLUMNS,
    NodeKind.PENALTY: set(ITEM_KEYS) - _COLUMNS,
    NodeKind.CONDITION: set(CONDITION_KEYS) - _COLUMNS,
}
MIN_ROWS = 3


def item_rule_of(params: Mapping[str, Any]) -> str:
    """The rule of a bonus/penalty item as the reference format reads it (count by default)."""
    rule = params.get("rule")
    if rule:
        return str(rule)
    if params.get("levels") and params.get("points_each") is None:
        return Rule.LEVELS.value
    return Rule.COUNT.value


def _row_count(data: Mapping[str, Any] | None, prefix: str, stored: int) -> int:
    """How many rows to show: the stored ones and an empty one, or as many as were posted."""
    if data is None:
        return max(stored + 1, MIN_ROWS)
    indices = [int(key.rsplit("_", 1)[1]) for key in data if re.fullmatch(rf"{prefix}_[0-9]+", key)]
    return max(max(indices, default=-1) + 1, MIN_ROWS)


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap's classes on fields added after ``BootstrapFormMixin.__init__`` ran."""
    for field in form.fields.values():
        widget = field.widget
        if "class" in widget.attrs or isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"


class NodeForm(BootstrapFormMixin, forms.Form):
    """One group, criterion, bonus or penalty item, or condition; the parameter fields follow
    the chosen rule (and formula).

    ``redraw`` (posted data) shows the form again unbound, with what was typed, after the rule
    or formula changed (``changed`` names the field) or a row was asked for (``add_row``:
    "levels" or "tiers"): nothing is validated or saved then.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(
        label=_("Mã"), max_length=30, help_text=_("Ví dụ: I, I.2, I.2.b — duy nhất trong bảng tiêu chí.")
    )
    title = forms.CharField(label=_("Nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        kind: str,
        node: CriterionNode | None = None,
        parents: list[tuple[CriterionNode, int]] | None = None,
        parent: CriterionNode | None = None,
        redraw: Mapping[str, Any] | None = None,
        add_row: str = "",
        changed: str = "",
        **kwargs: Any,
    ) -> None:
        self.kind, self.node = kind, node
        stored: dict[str, Any] = dict(node.params) if node is not None else {}
        if redraw is not None:
            initial = {key: redraw.get(key) for key in redraw}
            if changed == "formula":  # a formula that compares with targets asks schools to register them
                initial["target_registered"] = initial.get("formula") in TARGET_FORMULAS
            kwargs["initial"] = initial
        elif data is None and "initial" not in kwargs:
            kwargs["initial"] = self._initial_from(node, stored, parent)
        super().__init__(data, **kwargs)
        source: Mapping[str, Any] = data if data is not None else self.initial
        self.rule = str(source.get("rule") or "") or self._default_rule()
        self.formula = str(source.get("formula") or "")
        if data is None:
            if self.rule == Rule.QUANTITATIVE and not self.formula:  # a new quantitative criterion
                self.formula = self.initial["formula"] = Formula.RATIO.value
                self.initial["target_registered"] = True
            if not self.initial.get("direction"):
                self.initial["direction"] = "higher"
        posted = data if data is not None else redraw
        self.param_names: list[str] = []
        self.level_rows: list[tuple[str, str]] = []
        self.tier_rows: list[tuple[str, str]] = []
        if kind in (NodeKind.GROUP, NodeKind.LEAF):
            self.fields["max_points"] = NumberField(label=_("Điểm tối đa"), positive=True)
        if node is None and kind in (NodeKind.GROUP, NodeKind.LEAF):
            self._add_parent_field(parents or [])
        if kind == NodeKind.LEAF:
            self.fields["rule"] = forms.ChoiceField(label=_("Cách chấm"), choices=RuleChoice.choices)
            self._add_leaf_params(posted, stored, add_row)
        elif kind in ITEM_KINDS:
            self.fields["rule"] = forms.ChoiceField(label=_("Cách tính"), choices=ITEM_RULE_CHOICES)
            self._add_item_params(posted, stored, add_row)
        elif kind == NodeKind.CONDITION:
            self.fields["blocks"] = forms.CharField(
                label=_("Danh hiệu bị chặn khi không đạt điều kiện"),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Mỗi dòng một danh hiệu, ví dụ: Cờ thi đua."),
                error_messages={"required": _("Nhập ít nhất một danh hiệu.")},
            )
            self.param_names.append("blocks")
        self.fields["guidance"] = forms.CharField(
            label=_("Hướng dẫn chấm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        if kind == NodeKind.LEAF:
            self.fields["evidence"] = forms.CharField(
                label=_("Minh chứng cần có"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        style_fields(self)  # Bootstrap's classes for the fields added after BootstrapFormMixin ran

    # -- construction helpers

    def _default_rule(self) -> str:
        if self.kind == NodeKind.LEAF:
            return Rule.MANUAL.value
        if self.kind in ITEM_KINDS:
            return Rule.COUNT.value
        return ""

    def _initial_from(
        self, node: CriterionNode | None, stored: dict[str, Any], parent: CriterionNode | None
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {"parent": parent.pk if parent is not None else None}
        if node is None:
            if self.kind == NodeKind.LEAF:
                initial["rule"] = Rule.MANUAL.value
            return initial
        initial.update(
            version=node.version,
            code=node.code,
            title=node.title,
            max_points=node.max_points,
            guidance=node.guidance,
            evidence=node.evidence,
        )
        if self.kind == NodeKind.LEAF:
            initial["rule"] = stored.get("rule", Rule.MANUAL.value)
        elif self.kind in ITEM_KINDS:
            initial["rule"] = item_rule_of(stored)
        for key in ("step", "points_each", "cap", "cap_ratio"):
            if stored.get(key) is not None:
                initial[key] = number_input(stored[key])
        for key in ("formula", "per_capita"):
            if stored.get(key):
                initial[key] = stored[key]
        initial["direction"] = stored.get("direction", "higher")
        initial["target_registered"] = bool(stored.get("target_registered"))
        levels = stored.get("levels") or {}
        if isinstance(levels, Mapping):
            for index, (name, points) in enumerate(levels.items()):
                initial[f"level_name_{index}"] = name
                initial[f"level_points_{index}"] = number_input(points)
        tiers = stored.get("tiers") or []
        if isinstance(tiers, list):
            for index, tier in enumerate(tiers):
                if isinstance(tier, list | tuple) and len(tier) == 2:
                    initial[f"tier_threshold_{index}"] = number_input(tier[0])
                    initial[f"tier_points_{index}"] = number_input(tier[1])
        blocks = stored.get("blocks")
        if isinstance(blocks, list):
            initial["blocks"] = "\n".join(str(title) for title in blocks)
        return initial

    def _add_parent_field(self, parents: list[tuple[CriterionNode, int]]) -> None:
        choices = [(str(group.pk), f"{'— ' * depth}{group.code}. {group.title}") for group, depth in parents]
        if self.kind == NodeKind.GROUP:
            choices.insert(0, ("", str(_("(nhóm cấp cao nhất)"))))
        self.fields["parent"] = forms.ChoiceField(
            label=_("Thuộc nhóm"), choices=choices, required=self.kind == NodeKind.LEAF
        )

    def _stored_count(self, key: str) -> int:
        value = self.node.params.get(key) if self.node is not None else None
        return len(value) if isinstance(value, Mapping | list) else 0

    def _add_level_rows(self, data: Mapping[str, Any] | None, add_row: str) -> None:
        rows = _row_count(data, "level_name", self._stored_count("levels")) + (add_row == "levels")
        for index in range(rows):
            self.fields[f"level_name_{index}"] = forms.CharField(
                label=_("Tên mức %(n)s") % {"n": index + 1}, max_length=200, required=False
            )
            self.fields[f"level_points_{index}"] = NumberField(
                label=_("Điểm của mức %(n)s") % {"n": index + 1}, required=False, min_value=Decimal(0)
            )
            self.level_rows.append((f"level_name_{index}", f"level_points_{index}"))

    def _add_tier_rows(self, data: Mapping[str, Any] | None, add_row: str) -> None:
        rows = _row_count(data, "tier_threshold", self._stored_count("tiers")) + (add_row == "tiers")
        for index in range(rows):
            self.fields[f"tier_threshold_{index}"] = NumberField(
                label=_("Ngưỡng %(n)s") % {"n": index + 1}, required=False, max_value=None, max_places=6
            )
            self.fields[f"tier_points_{index}"] = NumberField(
                label=_("Điểm ở ngưỡng %(n)s") % {"n": index + 1}, required=False, min_value=Decimal(0)
            )
            self.tier_rows.append((f"tier_threshold_{index}", f"tier_points_{index}"))

    def _add(self, name: str, field: forms.Field) -> None:
        self.fields[name] = field
        self.param_names.append(name)

    def _add_leaf_params(self, data: Mapping[str, Any] | None, stored: dict[str, Any], add_row: str) -> None:
        rule = self.rule
        if rule == Rule.MANUAL:
            self._add(
                "step",
                NumberField(
                    label=_("Bước chấm"),
                    required=False,
                    positive=True,
                    help_text=_("Ví dụ 0,25: chỉ nhận điểm 0; 0,25; 0,5; … Để trống nếu không quy định bước."),
                ),
            )
        elif rule == Rule.LEVELS:
            self._add_level_rows(data, add_row)
        elif rule == Rule.COUNT:
            self._add(
                "points_each",
                NumberField(label=_("Điểm mỗi lần"), positive=True, help_text=_("Tổng điểm không vượt điểm tối đa.")),
            )
        elif rule == Rule.QUANTITATIVE:
            self._add("formula", forms.ChoiceField(label=_("Công thức"), choices=FormulaChoice.choices))
            self._add(
                "direction",
                forms.ChoiceField(label=_("Chiều so sánh"), choices=DIRECTION_CHOICES, widget=forms.RadioSelect),
            )
            measures = size_measure_choices()
            current = str(stored.get("per_capita") or "")
            if current and current not in dict(measures):  # keep an imported measure selectable
                measures.append((current, current))
            self._add(
                "per_capita",
                forms.ChoiceField(
                    label=_("Tính bình quân theo"),
                    choices=[("", _("Không tính bình quân")), *measures],
                    required=False,
                    help_text=_("Kết quả thực hiện được chia cho số đo này trong hồ sơ năm của trường."),
                ),
            )
            target_help = (
                _("Công thức này so với chỉ tiêu mỗi trường đăng ký đầu năm, nên cần đánh dấu ô này.")
                if self.formula in TARGET_FORMULAS
                else _("Công thức này không dùng chỉ tiêu đăng ký; thường để trống.")
            )
            self._add(
                "target_registered",
                forms.BooleanField(
                    label=_("Các trường đăng ký chỉ tiêu cho tiêu chí này"), required=False, help_text=target_help
                ),
            )
            if self.formula == Formula.RATIO:
                self._add(
                    "cap_ratio",
                    NumberField(
                        label=_("Tỷ lệ tối đa được tính"),
                        required=False,
                        positive=True,
                        help_text=_("1 = tính tối đa 100 % chỉ tiêu; 1,2 = tính tối đa 120 %. Để trống là 1."),
                    ),
                )
            elif self.formula == Formula.THRESHOLDS:
                self._add_tier_rows(data, add_row)

    def _add_item_params(self, data: Mapping[str, Any] | None, stored: dict[str, Any], add_row: str) -> None:
        rule = self.rule
        if rule == Rule.COUNT:
            self._add("points_each", NumberField(label=_("Điểm mỗi lần"), positive=True))
        elif rule == Rule.LEVELS:
            self._add_level_rows(data, add_row)
        elif rule == Rule.MANUAL:
            self._add("step", NumberField(label=_("Bước chấm"), required=False, positive=True))
        self._add(
            "cap",
            NumberField(
                label=_("Tối đa cho mục này"),
                required=False,
                positive=True,
                help_text=_("Để trống nếu mục này không có mức tối đa riêng."),
            ),
        )

    # -- what the template shows

    @property
    def rows_field_names(self) -> set[str]:
        return {name for row in (*self.level_rows, *self.tier_rows) for name in row}

    def level_row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[a], self[b]) for a, b in self.level_rows]

    def tier_row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[a], self[b]) for a, b in self.tier_rows]

    def param_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.param_names]

    # -- cleaning

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()

    def clean_title(self) -> str:
        return " ".join(str(self.cleaned_data["title"]).split())

    def _rows(self, rows: list[tuple[str, str]], *, what: str) -> list[tuple[Any, Decimal]]:
        found: list[tuple[Any, Decimal]] = []
        for first, second in rows:
            a, b = self.cleaned_data.get(first), self.cleaned_data.get(second)
            if first in self.errors or second in self.errors:
                continue
            empty_a = a is None or a == ""
            if empty_a and b is None:
                continue
            if empty_a:
                message = _("Nhập tên mức.") if what == "levels" else _("Nhập ngưỡng.")
                self.add_error(first, message)
            elif b is None:
                self.add_error(second, _("Nhập số điểm."))
            else:
                found.append((a.strip() if isinstance(a, str) else a, b))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.level_rows:
            levels = self._rows(self.level_rows, what="levels")
            names = [name for name, _points in levels]
            for name in {n for n in names if names.count(n) > 1}:
                self.add_error(None, _("Mức «%(name)s» được nhập hai lần.") % {"name": name})
            if not levels and not self._row_errors(self.level_rows):
                self.add_error(self.level_rows[0][0], _("Cần ít nhất một mức (tên và số điểm)."))
            self.levels = levels
        if self.tier_rows:
            tiers = self._rows(self.tier_rows, what="tiers")
            if not tiers and not self._row_errors(self.tier_rows):
                self.add_error(self.tier_rows[0][0], _("Cần ít nhất một ngưỡng (ngưỡng và số điểm)."))
            self.tiers = tiers
        if "blocks" in self.fields and "blocks" in data:
            titles = [line.strip() for line in str(data["blocks"]).splitlines() if line.strip()]
            if not titles:
                self.add_error("blocks", _("Nhập ít nhất một danh hiệu."))
            self.block_titles = titles
        return data

    def _row_errors(self, rows: list[tuple[str, str]]) -> bool:
        return any(name in self.errors for row in rows for name in row)

    def params(self) -> dict[str, Any]:
        """The node's ``params`` in the reference keys (call after ``is_valid()``)."""
        data = self.cleaned_data
        kept = {
            key: value
            for key, value in (self.node.params.items() if self.node is not None else ())
            if key not in MANAGED_KEYS[NodeKind(self.kind)]
        }
        new: dict[str, Any] = {}
        if self.kind == NodeKind.LEAF or (self.kind in ITEM_KINDS and self.rule != Rule.COUNT):
            new["rule"] = self.rule
        for key in ("formula", "per_capita"):
            if data.get(key):
                new[key] = data[key]
        if data.get("direction") == "lower":
            new["direction"] = "lower"
        if self.level_rows:
            new["levels"] = {name: param_number(points) for name, points in self.levels}
        if self.tier_rows:
            new["tiers"] = [[param_number(threshold), param_number(points)] for threshold, points in self.tiers]
        for key in ("step", "points_each", "cap_ratio", "cap"):
            if data.get(key) is not None:
                new[key] = param_number(data[key])
        if data.get("target_registered"):
            new["target_registered"] = True
        if self.kind == NodeKind.CONDITION:
            new["blocks"] = self.block_titles
        return {**kept, **new}

    def node_values(self) -> dict[str, Any]:
        """Keyword arguments for ``services.add_node`` / ``update_node``."""
        data = self.cleaned_data
        return {
            "code": data["code"],
            "title": data["title"],
            "max_points": data.get("max_points"),
            "guidance": data.get("guidance", ""),
            "evidence": data.get("evidence", ""),
            "params": self.params(),
        }


class MoveForm(forms.Form):
    """Up/down among siblings, or into another group."""

    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    parent = forms.CharField(required=False, max_length=20)  # a group's id, or "top"


# --- try it -------------------------------------------------------------------------------

PASSED_CHOICES = [("yes", _("Đạt")), ("no", _("Không đạt"))]
OTHER_ROWS = 3


class TryForm(BootstrapFormMixin, forms.Form):
    """The inputs one school gives a leaf (and, for formulas that compare schools, a few other
    schools' results), to see the points the engine computes."""

    def __init__(self, *args: Any, leaf: Leaf, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaf = leaf
        self.other_rows: list[list[str]] = []
        rule = leaf.rule
        if rule is Rule.MANUAL:
            self.fields["points"] = NumberField(label=_("Điểm chấm"), max_value=None, max_places=10)
        elif rule is Rule.PASS_FAIL:
            self.fields["passed"] = forms.ChoiceField(
                label=_("Kết quả"), choices=PASSED_CHOICES, widget=forms.RadioSelect
            )
        elif rule is Rule.LEVELS:
            self.fields["level"] = forms.ChoiceField(
                label=_("Mức đạt được"), choices=[(name, name) for name, _points in leaf.levels]
            )
        elif rule is Rule.COUNT:
            self.fields["count"] = forms.IntegerField(label=_("Số lần"))
        else:
            self._add_quantitative(leaf)
        style_fields(self)

    def _value_fields(self, suffix: str, *, required: bool, other: int | None = None) -> list[str]:
        """The actual (and target, and size measure) of one school; ``other`` numbers another school."""
        leaf, names = self.leaf, []
        labels = [_("Kết quả thực hiện"), _("Chỉ tiêu đăng ký"), size_label(leaf.per_capita or "")]
        if other is not None:
            labels = [_("Trường khác %(n)s: %(what)s") % {"n": other, "what": str(label).lower()} for label in labels]
        self.fields[f"actual{suffix}"] = NumberField(label=labels[0], required=required, max_value=None, max_places=10)
        names.append(f"actual{suffix}")
        if leaf.uses_target:
            self.fields[f"target{suffix}"] = NumberField(
                label=labels[1], required=required, max_value=None, max_places=10
            )
            names.append(f"target{suffix}")
        if leaf.per_capita:
            self.fields[f"size{suffix}"] = NumberField(
                label=labels[2], required=required, max_value=None, max_places=10
            )
            names.append(f"size{suffix}")
        return names

    def _add_quantitative(self, leaf: Leaf) -> None:
        self._value_fields("", required=True)
        if leaf.formula in (Formula.RELATIVE_TO_BEST, Formula.TARGET_AND_LEADER):
            for index in range(OTHER_ROWS):
                self.other_rows.append(self._value_fields(f"_{index}", required=False, other=index + 1))

    @property
    def compares_schools(self) -> bool:
        return bool(self.other_rows)

    def own_fields(self) -> list[forms.BoundField]:
        others = {name for row in self.other_rows for name in row}
        return [self[name] for name in self.fields if name not in others]

    def other_row_fields(self) -> list[list[forms.BoundField]]:
        return [[self[name] for name in row] for row in self.other_rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index, row in enumerate(self.other_rows):
            values = [data.get(name) for name in row]
            if any(value is not None for value in values) and data.get(row[0]) is None:
                self.add_error(row[0], _("Nhập kết quả thực hiện của trường khác %(n)s.") % {"n": index + 1})
            if self.leaf.per_capita and data.get(row[0]) is not None and data.get(row[-1]) is None:
                self.add_error(row[-1], _("Nhập cả số đo quy mô của trường khác %(n)s.") % {"n": index + 1})
        return data


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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cluster"].queryset = editable_clusters(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "cluster" in data and "year" in data:
            self.check_scope(data)
        return data
