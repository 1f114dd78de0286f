"""Editing the nodes of a draft: add, edit (parameter fields re-rendered when the rule
changes), move up/down or into another group, delete.

Every view answers htmx with a partial of the editor page (the form row, the parameter
fields, or the whole editor after a change) and a plain form post with a full page, so the
editor also works without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.core.forms import apply_form
from thidua.criteria import queries, services
from thidua.criteria.forms import MoveForm, NodeForm
from thidua.criteria.models import CriterionNode, Framework, NodeKind
from thidua.criteria.views.access import (
    editor_response,
    get_framework,
    get_node,
    is_htmx,
    refuse_if_locked,
)

COLSPAN = 5


def _groups(framework: Framework) -> list[tuple[CriterionNode, int]]:
    return queries.build_tree(framework).group_choices()


def _render_form(
    request: HttpRequest,
    framework: Framework,
    form: NodeForm,
    *,
    node: CriterionNode | None,
    slot: str,
    action: str,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "framework": framework,
        "form": form,
        "node": node,
        "kind": form.kind,
        "kind_label": NodeKind(form.kind).label,
        "slot": slot,
        "row_id": f"node-{node.pk}" if node is not None else f"slot-{slot}",
        "action": action,
        "inline": is_htmx(request),
        "colspan": COLSPAN,
        "move_targets": _move_targets(framework, node) if node is not None else [],
    }
    template = "criteria/node/_form_row.html" if is_htmx(request) else "criteria/node/form.html"
    return render(request, template, context, status=status)


def _move_targets(framework: Framework, node: CriterionNode) -> list[tuple[CriterionNode, str]]:
    """Groups a node may move into (not itself, not below itself, not its current parent),
    each with its label indented by depth."""
    if node.kind not in (NodeKind.GROUP, NodeKind.LEAF):
        return []
    tree = queries.build_tree(framework)
    below = {node.pk}
    for row in tree.flat_groups():
        if row.node.pk == node.pk:
            below |= {r.node.pk for r in row.descendants()}
    return [
        (group, f"{'— ' * depth}{group.code}. {group.title}")
        for group, depth in tree.group_choices()
        if group.pk not in below and group.pk != node.parent_id
    ]


def _wants_refresh(request: HttpRequest) -> tuple[bool, str]:
    """Whether the post only asks to redraw the form (rule changed, a row added) without saving."""
    add_row = request.POST.get("add_row", "")
    return bool(request.POST.get("refresh") or add_row), add_row


@login_required
def node_create(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    locked = refuse_if_locked(request, framework)
    if locked is not None:
        return locked
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", "")
    if kind not in NodeKind.values:
        raise Http404
    parent_id = source.get("parent", "")
    parent = get_node(framework, int(parent_id)) if parent_id.isdigit() else None
    if parent is not None and parent.kind != NodeKind.GROUP:
        raise Http404
    slot = f"new-in-{parent.pk}" if parent is not None and kind != NodeKind.GROUP else f"new-{kind}"
    action = reverse("criteria:node_create", args=[framework.pk])
    groups = _groups(framework) if kind in (NodeKind.GROUP, NodeKind.LEAF) else []
    if request.method != "POST":
        form = NodeForm(kind=kind, parents=groups, parent=parent, auto_id=f"id_{slot}_%s")
        return _render_form(request, framework, form, node=None, slot=slot, action=action)
    refresh, add_row = _wants_refresh(request)
    if refresh:
        form = NodeForm(kind=kind, parents=groups, redraw=request.POST, add_row=add_row, auto_id=f"id_{slot}_%s")
        return _render_form(request, framework, form, node=None, slot=slot, action=action)
    form = NodeForm(request.POST, kind=kind, parents=groups, auto_id=f"id_{slot}_%s")
    done = apply_form(request, form, lambda data: services.add_node(
        actor=request.user, framework=framework, kind=kind,
        parent=get_node(framework, int(data["parent"])) if data.get("parent") else None, **form.node_values(),
    ))  # fmt: skip
    if done:
        return editor_response(request, framework, focus=done.result)
    return _render_form(request, framework, form, node=None, slot=slot, action=action)


@login_required
def node_edit(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    locked = refuse_if_locked(request, framework)
    if locked is not None:
        return locked
    node = get_node(framework, node_id)
    slot = f"node-{node.pk}"
    action = reverse("criteria:node_edit", args=[framework.pk, node.pk])
    if request.method != "POST":
        return _render_form(
            request,
            framework,
            NodeForm(kind=node.kind, node=node, auto_id=f"id_{slot}_%s"),
            node=node,
            slot=slot,
            action=action,
        )
    refresh, add_row = _wants_refresh(request)
    if refresh:
        form = NodeForm(kind=node.kind, node=node, redraw=request.POST, add_row=add_row, auto_id=f"id_{slot}_%s")
        return _render_form(request, framework, form, node=node, slot=slot, action=action)
    form = NodeForm(request.POST, kind=node.kind, node=node, auto_id=f"id_{slot}_%s")
    if apply_form(request, form, lambda data: services.update_node(
        actor=request.user, node=node, expected_version=data["version"], **form.node_values()
    )):  # fmt: skip
        return editor_response(request, framework, focus=node)
    return _render_form(request, framework, form, node=node, slot=slot, action=action)


@login_required
@require_POST
def node_params(request: HttpRequest, pk: int) -> HttpResponse:
    """The parameter fields for the rule (and formula) just chosen, with what was typed kept."""
    framework = get_framework(request, pk, change=True)
    kind = request.POST.get("kind", "")
    if kind not in NodeKind.values:
        raise Http404
    node_id = request.POST.get("node", "")
    node = get_node(framework, int(node_id)) if node_id.isdigit() else None
    changed = getattr(getattr(request, "htmx", None), "trigger_name", None) or ""
    slot = request.POST.get("slot", "")
    if not re.fullmatch(r"[a-z0-9-]{1,40}", slot):
        raise Http404
    form = NodeForm(
        kind=kind,
        node=node,
        redraw=request.POST,
        add_row=request.POST.get("add_row", ""),
        changed=changed,
        auto_id=f"id_{slot}_%s",
    )
    return render(request, "criteria/node/_params.html", {"form": form, "slot": slot, "framework": framework})


@login_required
@require_POST
def node_move(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    locked = refuse_if_locked(request, framework)
    if locked is not None:
        return locked
    node = get_node(framework, node_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    direction, parent_id = form.cleaned_data["direction"], form.cleaned_data["parent"]
    changed = True
    try:
        if direction:
            services.move_by(actor=request.user, node=node, delta=-1 if direction == "up" else 1)
        elif parent_id == "top":
            services.move_node(actor=request.user, node=node, parent=None)
        elif parent_id.isdigit():
            services.move_node(actor=request.user, node=node, parent=get_node(framework, int(parent_id)))
    except ValidationError as exc:
        changed = False
        for message in exc.messages:
            messages.error(request, message)
    return editor_response(request, framework, focus=node, changed=changed)


@login_required
def node_delete(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    locked = refuse_if_locked(request, framework)
    if locked is not None:
        return locked
    node = get_node(framework, node_id)
    if request.method == "POST":
        services.delete_node(actor=request.user, node=node)
        return editor_response(request, framework)
    tree = queries.build_tree(framework)
    descendants = next((row.descendants() for row in tree.flat_groups() if row.node.pk == node.pk), [])
    context = {
        "framework": framework,
        "node": node,
        "descendants": descendants,
        "colspan": COLSPAN,
    }
    template = "criteria/node/_delete_row.html" if is_htmx(request) else "criteria/node/delete.html"
    return render(request, template, context)
