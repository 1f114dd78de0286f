"""Pages of frameworks: the list, the editor page (and its audit list alone), settings, publish,
archive, clone, delete, and the comparison of two editions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from thidua.core.forms import apply_form
from thidua.criteria import queries, services
from thidua.criteria.forms import ArchiveForm, CloneForm, FrameworkForm
from thidua.criteria.models import FrameworkStatus
from thidua.criteria.rules import frameworks_visible_to
from thidua.criteria.views.access import (
    EDITED_EVENT,
    audit_entries,
    editor_context,
    get_framework,
    is_htmx,
    refuse_if_locked,
)
from thidua.criteria.views.diff import diff_rows
from thidua.organizations.models import Cluster


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    cluster = request.GET.get("cluster", "").strip()
    context = {
        "sections": queries.framework_list(request.user, cluster=cluster),
        "clusters": Cluster.objects.order_by("name_sort"),
        "cluster": cluster,
        "can_add": request.user.has_perm("criteria.add_framework"),
    }
    return render(request, "criteria/framework/list.html", context)


@login_required
@permission_required("criteria.add_framework", raise_exception=True)
def framework_create(request: HttpRequest) -> HttpResponse:
    form = FrameworkForm(request.POST or None, user=request.user, initial={"total": 100})
    done = apply_form(request, form, lambda data: services.create_framework(
        actor=request.user, **{name: value for name, value in data.items() if name != "version"}
    ), success=_("Đã tạo bảng tiêu chí. Hãy thêm các nhóm và tiêu chí."))  # fmt: skip
    if done:
        return redirect("criteria:framework_detail", done.result.pk)
    return render(request, "criteria/framework/settings.html", {"form": form, "framework": None})


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    return render(request, "criteria/framework/detail.html", editor_context(request, framework))


@login_required
def framework_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor page's audit list alone, which reloads itself after every edit made by htmx;
    only for those who see it on the page (who may change the framework)."""
    framework = get_framework(request, pk, change=True)
    context = {"framework": framework, "entries": audit_entries(framework), "edited_event": EDITED_EVENT}
    return render(request, "criteria/framework/_audit.html", context)


@login_required
def framework_settings(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    locked = refuse_if_locked(request, framework)
    if locked is not None:
        return locked
    form = FrameworkForm(request.POST or None, user=request.user, initial=FrameworkForm.initial_for(framework))
    if apply_form(request, form, lambda data: services.update_framework(
        actor=request.user, framework=framework, expected_version=data["version"],
        **{name: value for name, value in data.items() if name != "version"},
    ), success=_("Đã lưu thông tin chung của bảng tiêu chí.")):  # fmt: skip
        return redirect("criteria:framework_detail", framework.pk)
    return render(request, "criteria/framework/settings.html", {"form": form, "framework": framework})


@login_required
@require_POST
def framework_publish(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    locked = refuse_if_locked(request, framework)
    if locked is not None:
        return locked
    try:
        services.publish_framework(actor=request.user, framework=framework)
    except services.PublishRefused as exc:
        context = editor_context(request, framework, refused=exc.problems)
        return render(request, "criteria/framework/detail.html", context, status=409)
    messages.success(
        request,
        _(
            "Đã ban hành “%(name)s”. Bảng đã ban hành không sửa được nữa; "
            "muốn thay đổi hãy sao chép thành phiên bản mới."
        )
        % {"name": framework.name},
    )
    return redirect("criteria:framework_detail", framework.pk)


@login_required
def framework_archive(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    form = ArchiveForm(request.POST or None)
    if apply_form(
        request,
        form,
        lambda data: services.archive_framework(actor=request.user, framework=framework, reason=data["reason"]),
        success=_("Đã chuyển bảng tiêu chí vào lưu trữ."),
    ):
        return redirect("criteria:framework_detail", framework.pk)
    return render(request, "criteria/framework/archive.html", {"form": form, "framework": framework})


@login_required
@permission_required("criteria.add_framework", raise_exception=True)
def framework_clone(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    if framework.status == FrameworkStatus.DRAFT:
        messages.error(request, _("Chỉ sao chép được bảng tiêu chí đã ban hành hoặc đã lưu trữ."))
        return redirect("criteria:framework_detail", framework.pk)
    initial: dict[str, Any] = {
        "year": (framework.year + 1) if framework.year else None,
        "cluster": framework.cluster,
    }
    if framework.year and str(framework.year) in framework.name:  # "… năm 2021" becomes "… năm 2022"
        initial["name"] = framework.name.replace(str(framework.year), str(framework.year + 1))
    form = CloneForm(request.POST or None, user=request.user, initial=initial)
    done = apply_form(request, form, lambda data: services.clone_framework(
        actor=request.user, framework=framework, name=data["name"], cluster=data["cluster"], year=data["year"]
    ))  # fmt: skip
    if done:
        clone = done.result
        if form.cleaned_data["cluster"] is None and clone.cluster is not None:  # "no cluster": a shared template
            clone = services.update_framework(actor=request.user, framework=clone, cluster=None)
        messages.success(request, _("Đã tạo phiên bản %(n)s (bản nháp). Hãy sửa rồi ban hành.") % {"n": clone.edition})
        return redirect("criteria:framework_detail", clone.pk)
    return render(request, "criteria/framework/clone.html", {"form": form, "framework": framework})


@login_required
def framework_delete(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk, change=True)
    locked = refuse_if_locked(request, framework)
    if locked is not None:
        return locked
    if request.method == "POST":
        name = str(framework)
        services.delete_framework(actor=request.user, framework=framework)
        messages.success(request, _("Đã xóa bản nháp “%(name)s”.") % {"name": name})
        return redirect("criteria:framework_list")
    node_count = framework.nodes.count()
    return render(request, "criteria/framework/delete.html", {"framework": framework, "node_count": node_count})


@login_required
def framework_diff(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    other_pk = request.GET.get("with", "")
    if other_pk.isdigit():
        old = get_framework(request, int(other_pk))
    elif framework.cloned_from is not None:
        old = get_framework(request, framework.cloned_from.pk)
    else:
        raise Http404
    candidates = (
        (queries.frameworks() & frameworks_visible_to(request.user))
        .exclude(pk=framework.pk)
        .order_by("-year", "name_sort", "-edition")
    )
    changes = services.diff_frameworks(old, framework)
    context = {
        "framework": framework,
        "old": old,
        "rows": diff_rows(changes),
        "candidates": candidates,
        "added": sum(1 for c in changes if c.kind == "added"),
        "removed": sum(1 for c in changes if c.kind == "removed"),
        "changed": sum(1 for c in changes if c.kind == "changed"),
        "total_delta": framework.total - old.total,
    }
    template = "criteria/framework/_diff_table.html" if is_htmx(request) else "criteria/framework/diff.html"
    return render(request, template, context)
