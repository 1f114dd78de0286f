"""Campaign pages: the list, a campaign's timeline, and what the secretariat runs — opening a
campaign, its settings, deadlines, phase moves and extensions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns import phases, queries, services
from thidua.campaigns.forms import (
    CampaignCreateForm,
    CampaignSettingsForm,
    DeadlinesForm,
    ExtensionForm,
    PhaseMoveForm,
    ReasonForm,
)
from thidua.campaigns.models import Campaign, Covenant, Extension, SubmissionStatus
from thidua.campaigns.views.access import get_campaign
from thidua.core.audit import entries_for
from thidua.core.forms import apply_form
from thidua.organizations.models import ClusterYear

AUDIT_ROWS = 30


def _back(campaign: Campaign, name: str = "campaigns:detail") -> HttpResponse:
    cy = campaign.cluster_year
    return redirect(name, cy.cluster.code, cy.year)


def _first_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    rows = queries.visible_campaigns(request.user)
    by_cluster: dict[int, dict[str, Any]] = {}
    for campaign in rows:
        cluster = campaign.cluster_year.cluster
        by_cluster.setdefault(cluster.pk, {"cluster": cluster, "campaigns": []})["campaigns"].append(campaign)
    groups = sorted(by_cluster.values(), key=lambda g: g["cluster"].name_sort)
    context = {"groups": groups, "creatable": queries.creatable_cluster_years(request.user)}
    return render(request, "campaigns/campaign/list.html", context)


@login_required
def campaign_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    cluster_year = get_object_or_404(
        ClusterYear.objects.select_related("cluster"), cluster__code=code.upper(), year=year
    )
    if not request.user.has_perm("campaigns.add_campaign", cluster_year):
        raise PermissionDenied
    existing = Campaign.objects.filter(cluster_year=cluster_year).first()
    if existing is not None:
        messages.info(request, _("%(cy)s đã có đợt thi đua.") % {"cy": cluster_year})
        return _back(existing)
    form = CampaignCreateForm(request.POST or None, cluster_year=cluster_year)
    done = apply_form(request, form, lambda data: services.create_campaign(
        actor=request.user, cluster_year=cluster_year, framework=data["framework"], deadlines=form.deadlines(),
        reminder_days=data["reminder_days"],
    ))  # fmt: skip
    if done:
        campaign = done.result
        messages.success(request, _("Đã mở đợt thi đua %(c)s. Đợt đang ở giai đoạn Chuẩn bị.") % {"c": campaign})
        return _back(campaign)
    return render(request, "campaigns/campaign/create.html", {"form": form, "cy": cluster_year})


@login_required
def campaign_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    user = request.user
    can_manage = user.has_perm("campaigns.manage_campaign", campaign)
    my_schools = queries.member_schools(campaign, user)
    deadlines = queries.deadlines_by_phase(campaign)
    my_extensions = queries.extensions_of(campaign, my_schools) if my_schools else []
    registrations = {r.organization_id: r for r in campaign.registrations.filter(organization__in=my_schools)}
    here = phases.index(campaign.phase)
    context = {
        "campaign": campaign,
        "cy": campaign.cluster_year,
        "head": queries.head_of(campaign),
        "steps": queries.timeline(campaign, deadlines, my_extensions),
        "my_schools": [(school, registrations.get(school.pk)) for school in my_schools],
        "my_extensions": my_extensions,
        "can_manage": can_manage,
        "can_follow": user.has_perm("campaigns.view_progress", campaign),
        "next_phase": phases.ORDER[here + 1] if here + 1 < len(phases.ORDER) else None,
        "next_label": phases.Phase(phases.ORDER[here + 1]).label if here + 1 < len(phases.ORDER) else "",
        "self_assessment_open": phases.is_at_or_after(campaign.phase, phases.Phase.SELF_ASSESSMENT),
        "earlier_phases": [(p, phases.Phase(p).label) for p in phases.ORDER[:here]],
        "history": queries.phase_history(campaign),
        "covenant": Covenant.objects.filter(campaign=campaign).select_related("scan").first(),
        "SUBMITTED": SubmissionStatus.SUBMITTED,
        "entries": list(entries_for(campaign)[:AUDIT_ROWS]) if can_manage else [],
    }
    return render(request, "campaigns/campaign/detail.html", context)


@login_required
def campaign_settings(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year, manage=True)
    form = CampaignSettingsForm(
        request.POST or None, campaign=campaign, initial=CampaignSettingsForm.initial_for(campaign)
    )
    if apply_form(request, form, lambda data: services.update_campaign(
        actor=request.user, campaign=campaign, expected_version=data["version"],
        **{name: value for name, value in data.items() if name != "version"},
    ), success=_("Đã lưu thiết lập của đợt thi đua.")):  # fmt: skip
        return _back(campaign)
    return render(request, "campaigns/campaign/settings.html", {"form": form, "campaign": campaign})


@login_required
def campaign_deadlines(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year, manage=True)
    initial = DeadlinesForm.initial_for(campaign, queries.deadlines_by_phase(campaign))
    form = DeadlinesForm(request.POST or None, initial=initial)
    if apply_form(request, form, lambda data: services.set_deadlines(
        actor=request.user, campaign=campaign, deadlines=form.deadlines(), expected_version=data["version"],
    ), success=_("Đã lưu hạn chót.")):  # fmt: skip
        return _back(campaign)
    return render(request, "campaigns/campaign/deadlines.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_phase(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year, manage=True)
    form = PhaseMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu chuyển giai đoạn không hợp lệ."))
        return _back(campaign)
    try:
        moved = services.move_phase(
            actor=request.user,
            campaign=campaign,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        messages.error(request, _first_message(exc))
    else:
        messages.success(
            request, _("Đợt thi đua đã chuyển sang giai đoạn “%(phase)s”.") % {"phase": moved.get_phase_display()}
        )
    return _back(campaign)


@login_required
def campaign_extensions(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year, manage=True)
    form = ExtensionForm(request.POST or None, campaign=campaign)
    done = apply_form(request, form, lambda data: services.grant_extension(
        actor=request.user, campaign=campaign, organization=data["organization"], phase=data["phase"],
        until=data["until"], reason=data["reason"],
    ))  # fmt: skip
    if done:
        extension = done.result
        messages.success(
            request,
            _("Đã gia hạn %(phase)s cho %(org)s đến %(until)s.")
            % {
                "phase": extension.get_phase_display().lower(),
                "org": extension.organization,
                "until": services.when(extension.until),
            },
        )
        return redirect("campaigns:extensions", campaign.cluster_year.cluster.code, campaign.cluster_year.year)
    context = {
        "campaign": campaign,
        "form": form,
        "extensions": queries.extensions_of(campaign),
        "deadlines": queries.deadlines_by_phase(campaign),
        "revoke_form": ReasonForm(),
    }
    return render(request, "campaigns/campaign/extensions.html", context)


@login_required
@require_POST
def extension_revoke(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    campaign = get_campaign(request, code, year, manage=True)
    extension = get_object_or_404(Extension.objects.select_related("organization"), pk=pk, campaign=campaign)
    services.revoke_extension(actor=request.user, extension=extension, reason=request.POST.get("reason", ""))
    messages.success(request, _("Đã thu hồi gia hạn của %(org)s.") % {"org": extension.organization})
    return redirect("campaigns:extensions", campaign.cluster_year.cluster.code, campaign.cluster_year.year)
