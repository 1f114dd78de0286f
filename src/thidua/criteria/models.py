"""Criteria frameworks (bảng tiêu chí chấm điểm): versioned trees of groups and criteria.

A node keeps its scoring rule's parameters in ``params`` in the keys of the reference YAML
format (numbers as strings), so that one conversion (``convert.py``) turns a stored framework
into the engine's ``Framework`` and into every export format. Published frameworks are
immutable: services refuse to change them.
"""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from thidua.core.fields import OrderedJSONField
from thidua.core.models import NamedModel
from thidua.organizations.models import Cluster


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


# Points and targets: exact decimals with up to 4 places (the engine computes exactly and
# rounds only for display).
POINTS: Digits = {"max_digits": 9, "decimal_places": 4}


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã ban hành")
    ARCHIVED = "archived", pgettext_lazy("framework status", "Lưu trữ")


class Framework(NamedModel):
    """One edition (phiên bản) of a criteria framework."""

    total = models.DecimalField(_("tổng điểm"), **POINTS)
    bonus_cap = models.DecimalField(_("điểm thưởng tối đa"), null=True, blank=True, **POINTS)
    penalty_cap = models.DecimalField(_("điểm trừ tối đa"), null=True, blank=True, **POINTS)
    description = models.TextField(_("mô tả"), blank=True)
    edition = models.PositiveIntegerField(_("phiên bản"), default=1)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    cloned_from = models.ForeignKey(
        "self", verbose_name=_("sao chép từ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="clones"
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cụm sử dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frameworks",
        help_text=_("Để trống: bảng do Học viện quản lý, dùng làm mẫu."),
    )
    year = models.PositiveIntegerField(
        _("năm áp dụng"), null=True, blank=True, help_text=_("Năm thi đua mà bảng này dùng cho (nếu có).")
    )
    is_template = models.BooleanField(_("là mẫu có sẵn"), default=False)
    extra = OrderedJSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bảng tiêu chí")
        verbose_name_plural = _("bảng tiêu chí")
        ordering = ["name_sort", "-edition"]

    def __str__(self) -> str:
        return f"{self.name} (phiên bản {self.edition})"

    @property
    def is_editable(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class NodeKind(models.TextChoices):
    GROUP = "group", _("Nhóm tiêu chí")
    LEAF = "leaf", _("Tiêu chí")
    BONUS = "bonus", _("Điểm thưởng")
    PENALTY = "penalty", _("Điểm trừ")
    CONDITION = "condition", _("Điều kiện")


class RuleChoice(models.TextChoices):
    MANUAL = "manual", _("Chấm trực tiếp")
    PASS_FAIL = "pass_fail", _("Định tính (đạt / không đạt)")
    LEVELS = "levels", _("Theo mức")
    COUNT = "count", _("Chấm thẳng (theo số lần)")
    QUANTITATIVE = "quantitative", _("Định lượng (so với chỉ tiêu)")


class FormulaChoice(models.TextChoices):
    RATIO = "ratio", _("Tỷ lệ thực hiện so với chỉ tiêu")
    THRESHOLDS = "thresholds", _("Theo ngưỡng")
    RELATIVE_TO_BEST = "relative_to_best", _("So với đơn vị cao nhất cụm")
    TARGET_AND_LEADER = "target_and_leader", _("Vượt chỉ tiêu và đơn vị dẫn đầu")


class CriterionNode(models.Model):
    """A group, criterion, bonus or penalty item, or condition of a framework."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(_("loại"), max_length=10, choices=NodeKind.choices)
    code = models.CharField(_("mã"), max_length=30)
    title = models.CharField(_("nội dung"), max_length=500)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    evidence = models.TextField(_("minh chứng cần có"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), null=True, blank=True, **POINTS)
    params = OrderedJSONField(_("tham số"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("mục của bảng tiêu chí")
        verbose_name_plural = _("mục của bảng tiêu chí")
        ordering = ["framework_id", "kind", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def rule(self) -> str:
        return str(self.params.get("rule", ""))
