"""Loading frameworks and nodes with their permission checks, and the editor's responses.

A framework the user may not read is a 404 (a draft of another cluster does not exist for
them); one they may read but not change is a 403.

After a change made by htmx, the response triggers the ``frameworkEdited`` event
(``HX-Trigger``); the editor page's audit list listens for it and reloads itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import reswap, retarget, trigger_client_event

from thidua.core.audit import entries_for
from thidua.core.models import AuditEntry
from thidua.criteria import queries
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus
from thidua.criteria.services import FrameworkLocked
from thidua.scoring.engine.errors import Problem

AUDIT_ROWS = 30
EDITED_EVENT = "frameworkEdited"


def get_framework(request: HttpRequest, pk: int, *, change: bool = False) -> Framework:
    """The framework if the user may read it (else 404) and, with ``change``, edit it (else 403)."""
    framework = get_object_or_404(queries.frameworks(), pk=pk)
    if not request.user.has_perm("criteria.view_framework", framework):
        raise Http404
    if change and not request.user.has_perm("criteria.change_framework", framework):
        raise PermissionDenied
    return framework


def get_node(framework: Framework, node_id: int) -> CriterionNode:
    """A node of this framework (a node of another framework is a 404)."""
    return get_object_or_404(CriterionNode.objects.select_related("parent"), pk=node_id, framework=framework)


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def refuse_if_locked(request: HttpRequest, framework: Framework) -> HttpResponse | None:
    """A redirect with the reason when the framework is no longer a draft, else None."""
    if framework.status == FrameworkStatus.DRAFT:
        return None
    messages.error(request, FrameworkLocked(framework).messages[0])
    response: HttpResponse = redirect("criteria:framework_detail", framework.pk)
    if is_htmx(request):  # a full page: the status (and every button) has changed
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("criteria:framework_detail", args=[framework.pk])
    return response


def editor_context(
    request: HttpRequest, framework: Framework, *, refused: list[Problem] | None = None
) -> dict[str, Any]:
    """What the editor page and its partials show; the tree comes from one query of nodes."""
    user = request.user
    can_change = user.has_perm("criteria.change_framework", framework)
    previous = framework.cloned_from
    return {
        "framework": framework,
        "tree": queries.build_tree(framework),
        "can_change": can_change,
        "editable": can_change and framework.is_editable,
        "can_clone": user.has_perm("criteria.add_framework") and framework.status != FrameworkStatus.DRAFT,
        "previous": previous if previous is not None and user.has_perm("criteria.view_framework", previous) else None,
        "refused": refused or [],
        "entries": audit_entries(framework) if can_change else [],
        "edited_event": EDITED_EVENT,
    }


def audit_entries(framework: Framework) -> list[AuditEntry]:
    """The latest changes of the framework, newest first, as the editor's audit list shows them."""
    return list(entries_for(framework)[:AUDIT_ROWS])


def editor_response(
    request: HttpRequest, framework: Framework, *, focus: CriterionNode | None = None, changed: bool = True
) -> HttpResponse:
    """After a change: the re-rendered editor (htmx), or the editor page (a plain form post).

    With htmx, a change that was saved (``changed``) also triggers ``EDITED_EVENT`` so that the
    audit list reloads."""
    if is_htmx(request):
        response = render(request, "criteria/framework/_editor.html", editor_context(request, framework))
        retarget(response, "#editor")
        if changed:
            trigger_client_event(response, EDITED_EVENT)
        return reswap(response, "outerHTML")
    url = reverse("criteria:framework_detail", args=[framework.pk])
    return redirect(f"{url}#node-{focus.pk}" if focus is not None and focus.pk else url)
