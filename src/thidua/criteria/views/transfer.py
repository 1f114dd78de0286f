"""Import a framework from a file, and export one as YAML or XLSX."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from thidua.criteria import importexport
from thidua.criteria.forms import ImportForm
from thidua.criteria.views.access import get_framework
from thidua.criteria.views.documents import file_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YAML = "application/yaml; charset=utf-8"


@login_required
@permission_required("criteria.add_framework", raise_exception=True)
def framework_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    problems: list[importexport.ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importexport.MAX_IMPORT_BYTES:
            problems = [importexport.too_large()]
        else:
            try:
                framework = importexport.import_file(
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name or "",
                    cluster=form.cleaned_data.get("cluster"),
                    year=form.cleaned_data.get("year"),
                )
            except importexport.ImportProblems as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("Đã nhập “%(name)s” thành bản nháp. Hãy kiểm tra rồi ban hành.") % {"name": framework.name},
                )
                return redirect("criteria:framework_detail", framework.pk)
    return render(request, "criteria/framework/import.html", {"form": form, "problems": problems})


def _export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    framework = get_framework(request, pk)
    if extension == "xlsx":
        response = HttpResponse(importexport.export_xlsx(framework), content_type=XLSX)
    else:
        response = HttpResponse(importexport.export_yaml(framework), content_type=YAML)
    response["Content-Disposition"] = content_disposition_header(True, file_name(framework, extension)) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def framework_export_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "yaml")


@login_required
def framework_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")
