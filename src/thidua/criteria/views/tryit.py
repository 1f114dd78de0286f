""" "Try it" (thử chấm): type one school's input for a criterion (and a few other schools'
results where the formula compares schools), or for a bonus or penalty item (điểm thưởng,
điểm trừ), and see the engine's points and explanation.

The node is read and validated by the engine and scored with the engine's own functions
(``score_leaf_in_cluster`` for a criterion, ``score_adjustment_item`` for an item, with the
item's cap): the points are exactly those a real computation gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from thidua.criteria.compiled import compile_framework
from thidua.criteria.entries import read_node
from thidua.criteria.forms import TryForm, TryItemForm
from thidua.criteria.models import CriterionNode, Framework, NodeKind
from thidua.criteria.views.access import get_framework, get_node, is_htmx
from thidua.scoring.engine import (
    AdjustmentItem,
    Condition,
    FormatError,
    InputError,
    Leaf,
    LeafInput,
    LeafResult,
    Problem,
    Rule,
    Severity,
    score_leaf_in_cluster,
    validate_item,
    validate_leaf,
)
from thidua.scoring.engine.rules import RefusedInputError, score_adjustment_item

COLSPAN = 5
ITEM_SECTIONS = {NodeKind.BONUS: "bonus", NodeKind.PENALTY: "penalty"}


def engine_node(framework: Framework, node: CriterionNode) -> Leaf | AdjustmentItem | Condition:
    """The engine's reading of one node: from the compiled framework once it is published
    (cached), else of the node alone, since a draft is tried node by node whatever state its
    other nodes are in. Raises ``FormatError`` if the node is malformed."""
    if not framework.is_editable:
        return compile_framework(framework).rules[node.code].item
    return read_node(node)


def engine_leaf(framework: Framework, node: CriterionNode) -> tuple[Leaf | None, list[Problem]]:
    """The engine's reading of one stored criterion, and its errors (which prevent trying it)."""
    try:
        leaf = engine_node(framework, node)
    except FormatError as exc:
        return None, list(exc.problems)
    if not isinstance(leaf, Leaf):  # pragma: no cover -- the view tries leaves here
        return None, []
    errors = [p for p in validate_leaf(leaf) if p.severity == Severity.ERROR]
    return (None if errors else leaf), errors


def engine_item(framework: Framework, node: CriterionNode) -> tuple[AdjustmentItem | None, list[Problem]]:
    """The engine's reading of one stored bonus or penalty item, and its errors (which prevent
    trying it)."""
    try:
        item = engine_node(framework, node)
    except FormatError as exc:
        return None, list(exc.problems)
    if not isinstance(item, AdjustmentItem):  # pragma: no cover -- the view tries items here
        return None, []
    errors = [p for p in validate_item(item) if p.severity == Severity.ERROR]
    return (None if errors else item), errors


@dataclass
class Outcome:
    label: str
    result: LeafResult


@dataclass
class ItemOutcome:
    """The points of a bonus or penalty item, its own cap, and the framework's cap on the sum
    of all bonus (or all penalty) points."""

    result: LeafResult
    cap: Decimal | None
    total_cap: Decimal | None


def _inputs(form: TryForm, leaf: Leaf) -> tuple[list[LeafInput], list[dict[str, Decimal]], list[str]]:
    data = form.cleaned_data
    rule = leaf.rule
    if rule is Rule.MANUAL:
        return [LeafInput(points=data["points"])], [{}], [_("Trường đang thử")]
    if rule is Rule.PASS_FAIL:
        return [LeafInput(passed=data["passed"] == "yes")], [{}], [_("Trường đang thử")]
    if rule is Rule.LEVELS:
        return [LeafInput(level=data["level"])], [{}], [_("Trường đang thử")]
    if rule is Rule.COUNT:
        return [LeafInput(count=data["count"])], [{}], [_("Trường đang thử")]
    values, profiles, labels = [], [], []
    rows = [("", _("Trường đang thử"))] + [
        (f"_{i}", _("Trường khác %(n)s") % {"n": i + 1}) for i in range(len(form.other_rows))
    ]
    for suffix, label in rows:
        actual = data.get(f"actual{suffix}")
        if actual is None:
            continue
        values.append(LeafInput(actual=actual, target=data.get(f"target{suffix}")))
        size = data.get(f"size{suffix}")
        profiles.append({leaf.per_capita: size} if leaf.per_capita and size is not None else {})
        labels.append(label)
    return values, profiles, labels


def _item_input(form: TryItemForm) -> LeafInput:
    data = form.cleaned_data
    rule = form.item.rule
    if rule is Rule.COUNT:
        return LeafInput(count=data["count"])
    if rule is Rule.LEVELS:
        return LeafInput(level=data["level"])
    return LeafInput(points=data["points"])


def _try_leaf(request: HttpRequest, framework: Framework, node: CriterionNode) -> dict[str, Any]:
    leaf, errors = engine_leaf(framework, node)
    form = TryForm(request.POST or None, leaf=leaf, auto_id=f"id_try{node.pk}_%s") if leaf is not None else None
    outcomes: list[Outcome] = []
    refused: list[Problem] = []
    if form is not None and leaf is not None and request.method == "POST" and form.is_valid():
        values, profiles, labels = _inputs(form, leaf)
        try:
            results = score_leaf_in_cluster(leaf, values, profiles, school_codes=labels)
        except InputError as exc:
            refused = list(exc.problems)
        else:
            outcomes = [Outcome(label, result) for label, result in zip(labels, results, strict=True)]
    return {"form": form, "leaf_errors": errors, "outcomes": outcomes, "refused": refused}


def _try_item(request: HttpRequest, framework: Framework, node: CriterionNode) -> dict[str, Any]:
    item, errors = engine_item(framework, node)
    form = TryItemForm(request.POST or None, item=item, auto_id=f"id_try{node.pk}_%s") if item is not None else None
    outcome: ItemOutcome | None = None
    refused: list[Problem] = []
    if form is not None and item is not None and request.method == "POST" and form.is_valid():
        try:
            result = score_adjustment_item(item, _item_input(form), explain=True)
        except RefusedInputError as exc:
            refused = [Problem(exc.code, item.code, exc.message)]
        else:
            total_cap = framework.bonus_cap if node.kind == NodeKind.BONUS else framework.penalty_cap
            outcome = ItemOutcome(result, item.cap, total_cap)
    return {"form": form, "leaf_errors": errors, "item_outcome": outcome, "refused": refused, "is_item": True}


@login_required
def node_try(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    """Try a criterion, or a bonus or penalty item: an inline row (htmx) or a page of its own."""
    framework = get_framework(request, pk)
    node = get_node(framework, node_id)
    if node.kind != NodeKind.LEAF and node.kind not in ITEM_SECTIONS:
        raise Http404
    context: dict[str, Any] = {"framework": framework, "node": node, "colspan": COLSPAN, "closed": False}
    if request.GET.get("close"):
        context["closed"] = True
        return render(request, "criteria/node/_try_row.html", context)
    context.update(
        _try_leaf(request, framework, node) if node.kind == NodeKind.LEAF else _try_item(request, framework, node)
    )
    context["inline"] = is_htmx(request)
    template = "criteria/node/_try_row.html" if is_htmx(request) else "criteria/node/try.html"
    return render(request, template, context)
