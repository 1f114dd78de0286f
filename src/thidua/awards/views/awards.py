"""The award list (danh mục hình thức khen thưởng) and past awards, kept by the Academy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.awards import queries, services
from thidua.awards.forms import AwardRecordForm
from thidua.awards.models import ProposalStatus
from thidua.campaigns.queries import visible_campaigns
from thidua.core.forms import apply_form
from thidua.titles import queries as title_queries
from thidua.titles import services as title_services
from thidua.titles.forms import AwardForm
from thidua.titles.models import Award


def _require_manager(request: HttpRequest) -> None:
    if not request.user.has_perm("titles.manage_awards"):
        raise PermissionDenied


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The award list, and the proposals waiting for the Academy."""
    can_manage = request.user.has_perm("titles.manage_awards")
    waiting = queries.visible_proposals(request.user, status=ProposalStatus.SUBMITTED) if can_manage else []
    campaigns = visible_campaigns(request.user)
    context = {
        "awards": list(title_queries.awards()),
        "can_manage": can_manage,
        "waiting": waiting,
        "campaigns": campaigns,
    }
    return render(request, "awards/award/list.html", context)


@login_required
@require_POST
def install_defaults(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    created = title_services.install_award_list(actor=request.user)
    messages.success(request, _("Đã thêm %(n)s hình thức khen thưởng.") % {"n": created})
    return redirect("awards:index")


@login_required
def award_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_manager(request)
    award = get_object_or_404(Award, pk=pk) if pk is not None else None
    initial = {f: getattr(award, f) for f in title_services.AWARD_FIELDS} if award else {"is_active": True}
    if award is not None:
        initial["version"] = award.version
    form = AwardForm(request.POST or None, initial=initial, award=award)
    if apply_form(request, form, lambda data: title_services.save_award(
        actor=request.user, award=award, expected_version=data.get("version"),
        **{name: value for name, value in data.items() if name != "version"},
    ), success=_("Đã lưu hình thức khen thưởng.")):  # fmt: skip
        return redirect("awards:index")
    status = 400 if form.errors else 200
    return render(request, "awards/award/edit.html", {"form": form, "award": award}, status=status)


@login_required
def record_add(request: HttpRequest) -> HttpResponse:
    """Enter an award received in the past (before the application, or decided elsewhere)."""
    _require_manager(request)
    form = AwardRecordForm(request.POST or None)
    done = apply_form(
        request,
        form,
        lambda data: services.record_award(actor=request.user, **data),
        success=_("Đã ghi nhận khen thưởng."),
    )
    if done:
        return redirect("organizations:organization_detail", done.result.organization.short_code)
    return render(request, "awards/award/record.html", {"form": form}, status=400 if form.errors else 200)
