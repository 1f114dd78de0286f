"""Submitting a self-assessment (the principal) and reopening it (the secretariat)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thidua.assessments import services
from thidua.assessments.forms import ReopenForm
from thidua.assessments.views.access import get_assessment, started
from thidua.assessments.views.pages import page_url, sheet_context
from thidua.core.forms import apply_form


@login_required
@started
def assessment_submit(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    """GET: what is still missing, and the confirmation; POST: submit and lock."""
    assessment = get_assessment(request, cluster, year, school)
    if not request.user.has_perm("assessments.submit_assessment", assessment):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.submit(actor=request.user, assessment=assessment)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _(
                    "Đã gửi bản tự chấm điểm tới Thường trực Cụm. Bản tự chấm đã khóa; "
                    "nếu cần sửa, hãy đề nghị Thường trực Cụm mở lại."
                ),
            )
            return redirect(page_url(assessment))
    return render(request, "assessments/assessment/submit.html", sheet_context(request, assessment))


@login_required
@started
def assessment_reopen(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    assessment = get_assessment(request, cluster, year, school)
    if not request.user.has_perm("assessments.reopen_assessment", assessment):
        raise PermissionDenied
    form = ReopenForm(request.POST or None)
    if apply_form(
        request,
        form,
        lambda data: services.reopen(actor=request.user, assessment=assessment, reason=data["reason"]),
        success=_("Đã mở lại bản tự chấm điểm; trường có thể sửa và gửi lại."),
    ):
        return redirect(page_url(assessment))
    context = sheet_context(request, assessment, form=form)
    return render(request, "assessments/assessment/reopen.html", context)
