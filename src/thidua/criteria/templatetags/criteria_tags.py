"""Template helpers of the criteria pages: points as a reader expects them, and how a node is
scored, in words (the tree, the printable table and the diff use the same sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from thidua.criteria.forms import ITEM_KINDS, item_rule_of, size_label
from thidua.criteria.models import CriterionNode, FormulaChoice, NodeKind, RuleChoice
from thidua.scoring.engine.decimals import format_vi, round_display

register = template.Library()


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def points(value: object) -> str:
    """A number of points: "1.000", "0,25" in Vietnamese; "1,000", "0.25" in English."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if (get_language() or "vi").startswith("vi"):
        return format_vi(number, places=None)
    text = f"{number.normalize():,f}" if number else "0"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def score(value: object) -> str:
    """Computed points for display: rounded half-up to 2 decimals (the engine's only rounding)."""
    number = _decimal(value)
    if number is None:
        return ""
    if (get_language() or "vi").startswith("vi"):
        return format_vi(number)
    return points(round_display(number))


def _levels_text(levels: object) -> str:
    if not isinstance(levels, Mapping) or not levels:
        return _("chưa có mức nào")
    return "; ".join(
        _("«%(name)s» %(points)s điểm") % {"name": name, "points": points(value)} for name, value in levels.items()
    )


def _tiers_text(tiers: object, *, lower: bool) -> str:
    if not isinstance(tiers, list) or not tiers:
        return _("chưa có ngưỡng nào")
    parts = []
    for tier in tiers:
        if isinstance(tier, list | tuple) and len(tier) == 2:
            template_ = _("từ %(t)s trở xuống: %(p)s điểm") if lower else _("từ %(t)s trở lên: %(p)s điểm")
            parts.append(template_ % {"t": points(tier[0]), "p": points(tier[1])})
    return "; ".join(parts) + "; " + _("còn lại: 0 điểm")


def _quantitative_text(params: Mapping[str, Any], maximum: Decimal | None) -> str:
    formula = params.get("formula")
    top = points(maximum)
    lower = params.get("direction") == "lower"
    if formula == FormulaChoice.RATIO:
        cap = _decimal(params.get("cap_ratio")) or Decimal(1)
        text = (
            _("Tỷ lệ so với chỉ tiêu đăng ký: %(max)s × chỉ tiêu ÷ thực hiện")
            if lower
            else _("Tỷ lệ so với chỉ tiêu đăng ký: %(max)s × thực hiện ÷ chỉ tiêu")
        ) % {"max": top}
        text += ", " + _("tính tối đa %(pct)s %% chỉ tiêu") % {"pct": points(cap * 100)}
    elif formula == FormulaChoice.THRESHOLDS:
        text = _("Theo ngưỡng: %(tiers)s") % {"tiers": _tiers_text(params.get("tiers"), lower=lower)}
    elif formula == FormulaChoice.RELATIVE_TO_BEST:
        text = (
            _("So với trường tốt nhất cụm: %(max)s × kết quả thấp nhất cụm ÷ kết quả của trường")
            if lower
            else _("So với trường tốt nhất cụm: %(max)s × kết quả của trường ÷ kết quả cao nhất cụm")
        ) % {"max": top}
    elif formula == FormulaChoice.TARGET_AND_LEADER:
        half = points((maximum or Decimal(0)) / 2)
        text = _(
            "So với chỉ tiêu đăng ký và trường dẫn đầu: chưa đạt chỉ tiêu → %(half)s × thực hiện ÷ chỉ tiêu; "
            "đạt đúng chỉ tiêu → %(half)s; trường vượt chỉ tiêu nhiều nhất cụm → %(max)s; trường vượt khác → "
            "%(half)s + %(half)s × mức vượt ÷ mức vượt của trường dẫn đầu"
        ) % {"max": top, "half": half}
    else:
        return _("Định lượng: chưa chọn công thức.")
    if lower and formula != FormulaChoice.RELATIVE_TO_BEST:
        text += " " + _("(thấp hơn là tốt hơn)")
    if params.get("per_capita"):
        text += ". " + _("Tính bình quân: chia kết quả cho %(measure)s của trường") % {
            "measure": size_label(str(params["per_capita"])).lower()
        }
    return text + "."


def _item_text(node: CriterionNode) -> str:
    params = node.params
    verb = _("Cộng") if node.kind == NodeKind.BONUS else _("Trừ")
    rule = item_rule_of(params)
    if rule == "levels":
        text = _("%(verb)s theo mức: %(levels)s") % {"verb": verb, "levels": _levels_text(params.get("levels"))}
    elif rule == "manual":
        text = _("%(verb)s số điểm chấm trực tiếp") % {"verb": verb}
        if params.get("step") is not None:
            text += ", " + _("bước %(step)s") % {"step": points(params["step"])}
    else:
        each = params.get("points_each")
        text = (
            _("%(verb)s %(each)s điểm mỗi lần") % {"verb": verb, "each": points(each)}
            if each is not None
            else _("%(verb)s theo số lần: chưa có số điểm mỗi lần") % {"verb": verb}
        )
    if params.get("cap") is not None:
        text += "; " + _("tối đa %(cap)s điểm") % {"cap": points(params["cap"])}
    return text + "."


def describe_node(node: CriterionNode) -> str:
    """How a node is scored, in one or two Vietnamese sentences."""
    params = node.params
    if node.kind == NodeKind.GROUP:
        return ""
    if node.kind == NodeKind.CONDITION:
        blocks = params.get("blocks") or []
        if not blocks:
            return _("Điều kiện chưa chặn danh hiệu nào.")
        return _("Không đạt điều kiện thì không được xét: %(titles)s.") % {"titles": ", ".join(map(str, blocks))}
    if node.kind in ITEM_KINDS:
        return _item_text(node)
    top = points(node.max_points)
    rule = params.get("rule")
    if rule == RuleChoice.MANUAL:
        text = _("Chấm trực tiếp từ 0 đến %(max)s điểm") % {"max": top}
        if params.get("step") is not None:
            text += ", " + _("bước %(step)s") % {"step": points(params["step"])}
        return text + "."
    if rule == RuleChoice.PASS_FAIL:
        return _("Đạt: %(max)s điểm; không đạt: 0 điểm.") % {"max": top}
    if rule == RuleChoice.LEVELS:
        return _("Theo mức: %(levels)s.") % {"levels": _levels_text(params.get("levels"))}
    if rule == RuleChoice.COUNT:
        each = params.get("points_each")
        if each is None:
            return _("Theo số lần: chưa có số điểm mỗi lần.")
        return _("%(each)s điểm mỗi lần, tối đa %(max)s điểm.") % {"each": points(each), "max": top}
    if rule == RuleChoice.QUANTITATIVE:
        return _quantitative_text(params, node.max_points)
    return _("Chưa chọn cách chấm.")


@register.filter
def how_scored(node: CriterionNode) -> str:
    return describe_node(node)


@register.filter
def rule_label(node: CriterionNode) -> str:
    """The short name of a node's rule (or its kind for groups and conditions)."""
    if node.kind == NodeKind.LEAF:
        rule = node.params.get("rule", "")
        if rule == RuleChoice.QUANTITATIVE and node.params.get("formula") in FormulaChoice.values:
            return str(FormulaChoice(node.params["formula"]).label)
        return str(RuleChoice(rule).label) if rule in RuleChoice.values else _("Chưa chọn cách chấm")
    return str(NodeKind(node.kind).label)
