"""Pages for clusters and their years."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from thidua.core.audit import entries_for
from thidua.core.forms import add_service_errors, apply_form
from thidua.organizations import queries, services
from thidua.organizations.forms import ClusterForm, ClusterYearForm
from thidua.organizations.models import Cluster, ClusterYear, Membership, MembershipRole


def get_cluster(code: str) -> Cluster:
    return get_object_or_404(Cluster.objects.select_related("coordinator"), code=code.upper())


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    return render(request, "organizations/cluster/list.html", {"clusters": queries.cluster_list()})


@login_required
def cluster_detail(request: HttpRequest, code: str) -> HttpResponse:
    cluster = get_cluster(code)
    years = list(queries.cluster_years_with_members(cluster))
    _orgs, rows = queries.membership_matrix(years)
    can_audit = request.user.has_perm("accounts.view_audit_log")
    context = {
        "cluster": cluster,
        "years": years,
        "matrix": rows,
        "entries": entries_for(cluster)[:50] if can_audit else [],
        "can_audit": can_audit,
    }
    return render(request, "organizations/cluster/detail.html", context)


@login_required
def cluster_year_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    cluster = get_cluster(code)
    cluster_year = get_object_or_404(ClusterYear, cluster=cluster, year=year)
    memberships = (
        Membership.objects.filter(cluster_year=cluster_year)
        .select_related("organization")
        .order_by("organization__name_sort")
    )
    can_audit = request.user.has_perm("accounts.view_audit_log") or request.user.has_perm(
        "organizations.change_cluster"
    )
    context = {
        "cluster": cluster,
        "cy": cluster_year,
        "memberships": memberships,
        "entries": entries_for(cluster_year)[:50] if can_audit else [],
        "can_audit": can_audit,
    }
    return render(request, "organizations/cluster/year_detail.html", context)


@login_required
@permission_required("organizations.change_cluster", raise_exception=True)
def cluster_create(request: HttpRequest) -> HttpResponse:
    form = ClusterForm(request.POST or None)
    done = apply_form(request, form, lambda data: services.create_cluster(
        actor=request.user, **{k: v for k, v in data.items() if k != "version"}
    ))  # fmt: skip
    if done:
        messages.success(request, _("Đã thêm cụm %(code)s.") % {"code": done.result.code})
        return redirect("organizations:cluster_detail", done.result.code)
    return render(request, "organizations/cluster/form.html", {"form": form, "cluster": None})


@login_required
@permission_required("organizations.change_cluster", raise_exception=True)
def cluster_edit(request: HttpRequest, code: str) -> HttpResponse:
    cluster = get_cluster(code)
    initial = {
        "code": cluster.code,
        "name": cluster.name,
        "coordinator": cluster.coordinator,
        "description": cluster.description,
        "version": cluster.version,
    }
    form = ClusterForm(request.POST or None, initial=initial)
    done = apply_form(request, form, lambda data: services.update_cluster(
        actor=request.user, cluster=cluster, expected_version=data["version"],
        **{k: v for k, v in data.items() if k != "version"},
    ), success=_("Đã lưu thay đổi."))  # fmt: skip
    if done:
        return redirect("organizations:cluster_detail", done.result.code)
    return render(request, "organizations/cluster/form.html", {"form": form, "cluster": cluster})


def _year_initial(cy: ClusterYear) -> dict[str, Any]:
    rows = list(cy.memberships.select_related("organization"))
    return {
        "year": cy.year,
        "theme": cy.theme,
        "notes": cy.notes,
        "version": cy.version,
        "members": [m.organization for m in rows],
        "head": next((m.organization for m in rows if m.role == MembershipRole.HEAD), None),
        "deputies": [m.organization for m in rows if m.role == MembershipRole.DEPUTY],
    }


@login_required
@permission_required("organizations.change_cluster", raise_exception=True)
def cluster_year_edit(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    cluster = get_cluster(code)
    cluster_year = get_object_or_404(ClusterYear, cluster=cluster, year=year) if year else None
    initial: dict[str, Any] = _year_initial(cluster_year) if cluster_year else {}
    if cluster_year is None:
        latest = cluster.years.order_by("-year").first()
        if latest is not None:  # start from last year's members: membership rarely changes
            initial = {**_year_initial(latest), "year": latest.year + 1, "theme": "", "notes": "", "version": None}
    form = ClusterYearForm(request.POST or None, initial=initial, cluster_year=cluster_year)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        composition = {
            "members": list(data["members"]),
            "head": data["head"],
            "deputies": list(data["deputies"]),
            "theme": data["theme"],
            "notes": data["notes"],
        }
        try:
            if cluster_year is None:
                cluster_year = services.create_cluster_year(
                    actor=request.user, cluster=cluster, year=data["year"], **composition
                )
            else:
                cluster_year = services.update_cluster_year(
                    actor=request.user, cluster_year=cluster_year, expected_version=version, **composition
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu năm %(y)s của cụm.") % {"y": cluster_year.year})
            return redirect("organizations:cluster_year_detail", cluster.code, cluster_year.year)
    return render(
        request, "organizations/cluster/year_form.html", {"form": form, "cluster": cluster, "cy": cluster_year}
    )
