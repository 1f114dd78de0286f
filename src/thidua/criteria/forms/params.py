"""The parameters of a node as the editor offers them: the choices of rule (for bonus and
penalty items) and direction, the labels of a school's size measures, which ``params`` keys the
node form manages per kind, and the rule an item is scored by."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from thidua.criteria.models import NodeKind
from thidua.organizations.models import OrganizationProfile
from thidua.scoring.engine.model import Rule
from thidua.scoring.engine.reference_format import CONDITION_KEYS, ITEM_KEYS, LEAF_KEYS

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
