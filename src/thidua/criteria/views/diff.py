"""The comparison of two editions in words: each changed field (and each parameter of the
scoring rule) as "old → new", with Vietnamese names and values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from thidua.criteria.forms import DIRECTION_CHOICES, ITEM_RULE_CHOICES, size_label
from thidua.criteria.models import FormulaChoice, NodeKind, RuleChoice
from thidua.criteria.services import Change
from thidua.criteria.templatetags.criteria_tags import points

FIELD_LABELS = {
    "title": gettext_lazy("Nội dung"),
    "max_points": gettext_lazy("Điểm tối đa"),
    "guidance": gettext_lazy("Hướng dẫn chấm"),
    "evidence": gettext_lazy("Minh chứng cần có"),
    "kind": gettext_lazy("Loại"),
    "parent": gettext_lazy("Thuộc nhóm"),
}
PARAM_LABELS = {
    "rule": gettext_lazy("Cách chấm"),
    "formula": gettext_lazy("Công thức"),
    "direction": gettext_lazy("Chiều so sánh"),
    "levels": gettext_lazy("Các mức"),
    "tiers": gettext_lazy("Các ngưỡng"),
    "step": gettext_lazy("Bước chấm"),
    "points_each": gettext_lazy("Điểm mỗi lần"),
    "target_registered": gettext_lazy("Các trường đăng ký chỉ tiêu"),
    "per_capita": gettext_lazy("Tính bình quân theo"),
    "cap_ratio": gettext_lazy("Tỷ lệ tối đa được tính"),
    "cap": gettext_lazy("Tối đa cho mục"),
    "blocks": gettext_lazy("Danh hiệu bị chặn"),
    "source": gettext_lazy("Nguồn số liệu"),
}
NUMBER_KEYS = frozenset({"max_points", "step", "points_each", "cap", "cap_ratio"})
KIND_LABELS = {
    "added": gettext_lazy("Thêm mới"),
    "removed": gettext_lazy("Bỏ"),
    "changed": pgettext_lazy("a criterion changed between two versions", "Sửa"),
}


def show_value(key: str, value: Any) -> str:
    """A stored value the way an officer reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if key == "rule":
        labels = {**dict(ITEM_RULE_CHOICES), **dict(RuleChoice.choices)}
        return str(labels.get(value, value))
    if key == "formula":
        return str(dict(FormulaChoice.choices).get(value, value))
    if key == "direction":
        return str(dict(DIRECTION_CHOICES).get(value, value))
    if key == "kind":
        return str(dict(NodeKind.choices).get(value, value))
    if key == "per_capita":
        return size_label(str(value))
    if key == "levels" and isinstance(value, Mapping):
        return "; ".join(f"«{name}» {points(p)}" for name, p in value.items())
    if key == "tiers" and isinstance(value, list):
        return "; ".join(
            f"{points(t[0])} → {points(t[1])}" for t in value if isinstance(t, list | tuple) and len(t) == 2
        )
    if key == "blocks" and isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, int | float | Decimal) or key in NUMBER_KEYS:
        return points(value)
    return str(value)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class DiffRow:
    kind: str
    kind_label: str
    code: str
    title: str
    fields: list[FieldChange]
    points_delta: Decimal


def _field_changes(fields: Mapping[str, tuple[Any, Any]]) -> list[FieldChange]:
    found: list[FieldChange] = []
    for name, (old, new) in fields.items():
        if name == "params":
            old_params = old if isinstance(old, Mapping) else {}
            new_params = new if isinstance(new, Mapping) else {}
            for key in dict.fromkeys([*old_params, *new_params]):
                if old_params.get(key) != new_params.get(key):
                    label = str(PARAM_LABELS.get(key, key))
                    found.append(
                        FieldChange(label, show_value(key, old_params.get(key)), show_value(key, new_params.get(key)))
                    )
            continue
        found.append(FieldChange(str(FIELD_LABELS.get(name, name)), show_value(name, old), show_value(name, new)))
    return found


def diff_rows(changes: list[Change]) -> list[DiffRow]:
    return [
        DiffRow(
            change.kind,
            str(KIND_LABELS[change.kind]),
            change.code,
            change.title,
            _field_changes(change.fields),
            change.points_delta,
        )
        for change in changes
    ]
