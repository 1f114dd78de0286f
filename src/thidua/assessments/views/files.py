"""Downloads and uploads of a self-assessment: the XLSX to fill offline and its upload, and
the report as DOCX or PDF. Every one checks permission like the page (404 for a school that
is not the user's to read)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.assessments import documents, xlsx
from thidua.assessments.forms import ImportForm
from thidua.assessments.models import SelfAssessment
from thidua.assessments.views.access import get_assessment, started
from thidua.assessments.views.pages import page_url, sheet_context
from thidua.criteria.importexport import ImportProblems

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@started
def xlsx_export(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    assessment = get_assessment(request, cluster, year, school)
    return _download(xlsx.export_xlsx(assessment), xlsx.XLSX_MEDIA_TYPE, xlsx.filename_for(assessment))


@login_required
@started
def xlsx_import(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    assessment = get_assessment(request, cluster, year, school)
    if not request.user.has_perm("assessments.change_assessment", assessment):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = xlsx.import_xlsx(actor=request.user, assessment=assessment, data=form.cleaned_data["file"].read())
        except ImportProblems as exc:
            problems = [str(problem) for problem in exc.problems]
        else:
            if result.changed:
                messages.success(
                    request,
                    ngettext(
                        "Đã nhập %(n)s tiêu chí từ tệp Excel: %(codes)s.",
                        "Đã nhập %(n)s tiêu chí từ tệp Excel: %(codes)s.",
                        len(result.changed),
                    )
                    % {"n": len(result.changed), "codes": ", ".join(result.changed)},
                )
            else:
                messages.info(request, _("Tệp không có thay đổi nào so với dữ liệu trên hệ thống."))
            return redirect(page_url(assessment))
    context = sheet_context(request, assessment, form=form, problems=problems)
    return render(request, "assessments/assessment/import.html", context, status=422 if problems else 200)


def _report(
    request: HttpRequest,
    cluster: str,
    year: int,
    school: str,
    make: Callable[[SelfAssessment], bytes],
    content_type: str,
    extension: str,
) -> HttpResponse:
    assessment = get_assessment(request, cluster, year, school)
    name = xlsx.filename_for(assessment, extension).replace("tu-cham-diem", "bao-cao-tu-cham-diem")
    return _download(make(assessment), content_type, name)


@login_required
@started
def report_docx(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    return _report(request, cluster, year, school, documents.report_docx, DOCX, "docx")


@login_required
@started
def report_pdf(request: HttpRequest, cluster: str, year: int, school: str) -> HttpResponse:
    return _report(request, cluster, year, school, documents.report_pdf, PDF, "pdf")
