"""The covenant page: the generated DOCX and PDF, the signed scan (upload and download)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from thidua.campaigns import services
from thidua.campaigns.documents import covenant_docx, covenant_pdf
from thidua.campaigns.forms import CovenantUploadForm
from thidua.campaigns.models import Campaign, Covenant
from thidua.campaigns.views.access import DOCX, PDF, get_campaign
from thidua.core.forms import apply_form
from thidua.core.text import search_key


def file_stem(campaign: Campaign) -> str:
    """ "giao-uoc-thi-dua-c9-2020": plain ASCII, readable."""
    code = re.sub(r"[^a-z0-9]+", "-", search_key(campaign.cluster_year.cluster.code)).strip("-") or "cum"
    return f"giao-uoc-thi-dua-{code}-{campaign.cluster_year.year}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def covenant_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    can_manage = request.user.has_perm("campaigns.manage_campaign", campaign)
    covenant = Covenant.objects.filter(campaign=campaign).select_related("scan", "uploaded_by").first()
    form = CovenantUploadForm(request.POST or None, request.FILES or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if apply_form(request, form, lambda data: services.upload_covenant_scan(
            actor=request.user, campaign=campaign, upload=data["scan"], signed_on=data["signed_on"],
        ), success=_("Đã lưu bản quét giao ước đã ký.")):  # fmt: skip
            return redirect("campaigns:covenant", campaign.cluster_year.cluster.code, campaign.cluster_year.year)
    context = {"campaign": campaign, "covenant": covenant, "form": form, "can_manage": can_manage}
    return render(
        request, "campaigns/covenant/detail.html", context, status=400 if form is not None and form.errors else 200
    )


@login_required
def covenant_download_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    return _attachment(covenant_docx(campaign), DOCX, f"{file_stem(campaign)}.docx")


@login_required
def covenant_download_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    return _attachment(covenant_pdf(campaign), PDF, f"{file_stem(campaign)}.pdf")


@login_required
def covenant_scan(request: HttpRequest, code: str, year: int) -> FileResponse:
    """The signed scan, as an attachment of the type recognised at upload."""
    campaign = get_campaign(request, code, year)
    covenant = Covenant.objects.filter(campaign=campaign).select_related("scan").first()
    if covenant is None or covenant.scan is None:
        raise Http404
    stored = covenant.scan
    name = f"{file_stem(campaign)}-ban-ky.{stored.extension}"
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=name, content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
