"""The node form (a group, criterion, bonus or penalty item, or condition) with the parameter
fields that fit each scoring rule, and the form that moves a node.

The node form turns what an officer types into ``params`` in the keys of the reference YAML
format (numbers as ints or strings, levels as ``{name: points}``, tiers as
``[[threshold, points], ...]``); keys it does not manage (``source``, imported extras) are
kept unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import BootstrapFormMixin
from thidua.criteria.forms.fields import NumberField, number_input, param_number, style_fields
from thidua.criteria.forms.params import (
    DIRECTION_CHOICES,
    ITEM_KINDS,
    ITEM_RULE_CHOICES,
    MANAGED_KEYS,
    _row_count,
    item_rule_of,
    size_measure_choices,
)
from thidua.criteria.models import CriterionNode, FormulaChoice, NodeKind, RuleChoice
from thidua.scoring.engine.model import TARGET_FORMULAS, Formula, Rule


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
