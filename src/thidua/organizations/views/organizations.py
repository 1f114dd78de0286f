"""Pages for organisations: list, detail with history across succession, and the admin's edits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from thidua.core.audit import entries_for
from thidua.core.forms import add_service_errors, apply_form
from thidua.organizations import queries, services
from thidua.organizations.forms import OrganizationForm, ProfileForm, SuccessionForm
from thidua.organizations.models import Organization, OrganizationKind, OrganizationProfile, Succession


def get_organization(code: str) -> Organization:
    return get_object_or_404(Organization, short_code=code.upper())


def get_organization_private(request: HttpRequest, code: str) -> Organization:
    """The organisation, if the user may see its private data; otherwise a 404 (not a 403
    that would confirm what exists)."""
    org = get_organization(code)
    if not request.user.has_perm("organizations.view_organization_private", org):
        raise Http404
    return org


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    page = Paginator(queries.organization_list(q=q, kind=kind), 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "kind": kind, "kinds": OrganizationKind.choices}
    template = (
        "organizations/organization/_list_table.html"
        if getattr(request, "htmx", False)
        else "organizations/organization/list.html"
    )
    return render(request, template, context)


@login_required
def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    org = get_organization(code)
    lineage = services.lineage_ids(org)
    can_private = request.user.has_perm("organizations.view_organization_private", org)
    context = {
        "org": org,
        "predecessors": Succession.objects.filter(successor=org).select_related("predecessor"),
        "successors": Succession.objects.filter(predecessor=org).select_related("successor"),
        "memberships": queries.lineage_memberships(lineage),
        "lineage_count": len(lineage),
        "can_private": can_private,
        "profiles": queries.lineage_profiles(lineage) if can_private else [],
        "entries": entries_for(org)[:50] if can_private else [],
    }
    return render(request, "organizations/organization/detail.html", context)


def _org_initial(org: Organization) -> dict[str, object]:
    return {
        "kind": org.kind,
        "name": org.name,
        "short_code": org.short_code,
        "province": org.province,
        "active_from": org.active_from,
        "active_to": org.active_to,
        "version": org.version,
    }


@login_required
@permission_required("organizations.change_organization", raise_exception=True)
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    done = apply_form(request, form, lambda data: services.create_organization(
        actor=request.user,
        **{k: v for k, v in data.items() if k not in ("version", "province")},
        province=data.get("province") or "",
    ))  # fmt: skip
    if done:
        messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": done.result.name})
        return redirect("organizations:organization_detail", done.result.short_code)
    return render(request, "organizations/organization/form.html", {"form": form, "org": None})


@login_required
@permission_required("organizations.change_organization", raise_exception=True)
def organization_edit(request: HttpRequest, code: str) -> HttpResponse:
    org = get_organization(code)
    form = OrganizationForm(request.POST or None, initial=_org_initial(org))
    done = apply_form(request, form, lambda data: services.update_organization(
        actor=request.user, organization=org, expected_version=data["version"],
        **{k: v for k, v in data.items() if k != "version"},
    ), success=_("Đã lưu thay đổi."))  # fmt: skip
    if done:
        return redirect("organizations:organization_detail", done.result.short_code)
    return render(request, "organizations/organization/form.html", {"form": form, "org": org})


@login_required
@permission_required("organizations.change_organization", raise_exception=True)
def succession_add(request: HttpRequest, code: str) -> HttpResponse:
    successor = get_organization(code)
    form = SuccessionForm(request.POST or None)
    if apply_form(
        request,
        form,
        lambda data: services.add_succession(actor=request.user, successor=successor, **data),
        success=_("Đã ghi nhận đơn vị tiền thân."),
    ):
        return redirect("organizations:organization_detail", successor.short_code)
    return render(request, "organizations/organization/succession_form.html", {"form": form, "org": successor})


@login_required
@permission_required("organizations.change_organization", raise_exception=True)
@require_POST
def succession_delete(request: HttpRequest, code: str, succession_id: int) -> HttpResponse:
    org = get_organization(code)
    succession = get_object_or_404(
        Succession.objects.select_related("predecessor", "successor"), pk=succession_id, successor=org
    )
    services.remove_succession(actor=request.user, succession=succession, reason=request.POST.get("reason", ""))
    messages.success(request, _("Đã xóa quan hệ kế thừa."))
    return redirect("organizations:organization_detail", org.short_code)


@login_required
def profile_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    org = get_organization_private(request, code)
    profile = get_object_or_404(OrganizationProfile, organization=org, year=year)
    return render(request, "organizations/organization/profile_detail.html", {"org": org, "profile": profile})


@login_required
@permission_required("organizations.change_organization", raise_exception=True)
def profile_edit(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    org = get_organization(code)
    profile = get_object_or_404(OrganizationProfile, organization=org, year=year) if year else None
    form = ProfileForm.for_profile(profile, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        target_year = profile.year if profile else data.pop("year")
        data.pop("year", None)
        if profile is None and OrganizationProfile.objects.filter(organization=org, year=target_year).exists():
            form.add_error("year", _("Đơn vị đã có hồ sơ năm %(y)s; hãy sửa hồ sơ đó.") % {"y": target_year})
        else:
            try:
                services.save_profile(
                    actor=request.user,
                    organization=org,
                    year=target_year,
                    expected_version=version if profile else None,
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu hồ sơ năm %(y)s.") % {"y": target_year})
                return redirect("organizations:organization_detail", org.short_code)
    return render(
        request, "organizations/organization/profile_form.html", {"form": form, "org": org, "profile": profile}
    )
