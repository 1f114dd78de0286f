"""The rule presets: the defaults (read-only) and the cluster's own adjusted copies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.forms import apply_form
from thidua.voting import services
from thidua.voting.forms import PresetForm
from thidua.voting.models import RulePreset
from thidua.voting.views.access import get_conference


@login_required
def preset_list(request: HttpRequest, code: str, year: int) -> HttpResponse:
    conference = get_conference(request, code, year)
    services.ensure_default_presets()
    cluster = conference.cluster_year.cluster
    presets = RulePreset.objects.filter(Q(cluster__isnull=True) | Q(cluster=cluster)).order_by("code", "cluster_id")
    context = {
        "conference": conference,
        "presets": presets,
        "can_manage": request.user.has_perm("voting.manage_conference", conference),
    }
    return render(request, "voting/presets/list.html", context)


@login_required
@require_POST
def preset_copy(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    conference = get_conference(request, code, year, manage=True)
    preset = get_object_or_404(RulePreset, pk=pk, cluster__isnull=True)
    copy = services.copy_preset(actor=request.user, preset=preset, cluster_year=conference.cluster_year)
    messages.success(request, _("Đã sao chép thành quy tắc của Cụm."))
    return redirect("voting:preset_edit", code, year, copy.pk)


@login_required
def preset_edit(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    conference = get_conference(request, code, year, manage=True)
    preset = get_object_or_404(RulePreset, pk=pk, cluster=conference.cluster_year.cluster)
    initial = {
        f: getattr(preset, f)
        for f in ("name", "quorum", "threshold", "threshold_strict", "max_rounds", "absentee_written_votes")
    }
    form = PresetForm(request.POST or None, initial=initial)
    if apply_form(
        request,
        form,
        lambda data: services.update_preset(actor=request.user, preset=preset, **data),
        success=_("Đã lưu quy tắc của Cụm."),
    ):
        return redirect("voting:presets", code, year)
    context = {"conference": conference, "preset": preset, "form": form}
    return render(request, "voting/presets/edit.html", context, status=400 if form.errors else 200)
