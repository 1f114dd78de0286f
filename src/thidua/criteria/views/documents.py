"""The criteria table for print (HTML with print styles) and its DOCX and PDF downloads."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from thidua.core.text import search_key
from thidua.criteria import documents, queries
from thidua.criteria.models import Framework
from thidua.criteria.views.access import get_framework

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@login_required
def framework_print(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    return render(
        request, "criteria/framework/print.html", {"framework": framework, "tree": queries.build_tree(framework)}
    )


def file_name(framework: Framework, extension: str) -> str:
    """ "bang-tieu-chi-cum-9-2021-phien-ban-2.docx": plain ASCII, readable, stable."""
    words = re.sub(r"[^a-z0-9]+", "-", search_key(framework.name)).strip("-")[:80] or "bang-tieu-chi"
    return f"{words}-phien-ban-{framework.edition}.{extension}"


def _download(
    framework: Framework, make: Callable[[Framework], bytes], content_type: str, extension: str
) -> HttpResponse:
    response = HttpResponse(make(framework), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name(framework, extension)) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def framework_docx(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    return _download(framework, documents.criteria_table_docx, DOCX, "docx")


@login_required
def framework_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework(request, pk)
    return _download(framework, documents.criteria_table_pdf, PDF, "pdf")
