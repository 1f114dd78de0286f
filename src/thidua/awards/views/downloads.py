"""The dossier's files: the year's submission letter, a nominee's achievement report, the ZIPs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from thidua.awards import documents, dossier
from thidua.awards.views.access import DOCX, PDF, attachment, get_proposal
from thidua.campaigns.models import Campaign
from thidua.campaigns.views.access import get_campaign


def _year_campaign(request: HttpRequest, code: str, year: int) -> Campaign:
    """The year's documents list every proposal, drafts included: the secretariat, the Academy
    and the administrator only."""
    campaign = get_campaign(request, code, year)
    if not (request.user.has_perm("awards.add_proposal", campaign) or request.user.has_perm("titles.manage_awards")):
        raise PermissionDenied
    return campaign


@login_required
def letter_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _year_campaign(request, code, year)
    return attachment(documents.submission_letter_docx(campaign), DOCX, f"to-trinh-{code.lower()}-{year}.docx")


@login_required
def letter_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _year_campaign(request, code, year)
    return attachment(documents.submission_letter_pdf(campaign), PDF, f"to-trinh-{code.lower()}-{year}.pdf")


@login_required
def year_zip(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = _year_campaign(request, code, year)
    content, _count = dossier.year_dossiers_zip(campaign)
    return attachment(content, dossier.ZIP, f"ho-so-khen-thuong-{code.lower()}-{year}.zip")


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk)
    stem = f"bao-cao-thanh-tich-{dossier.slug(proposal.nominee.short_code)}-{proposal.campaign.cluster_year.year}"
    return attachment(documents.achievement_report_docx(proposal), DOCX, f"{stem}.docx")


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk)
    stem = f"bao-cao-thanh-tich-{dossier.slug(proposal.nominee.short_code)}-{proposal.campaign.cluster_year.year}"
    return attachment(documents.achievement_report_pdf(proposal), PDF, f"{stem}.pdf")


@login_required
def proposal_zip(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal(request, pk)
    if not (
        request.user.has_perm("awards.add_proposal", proposal.campaign) or request.user.has_perm("titles.manage_awards")
    ):
        raise PermissionDenied
    stem = f"ho-so-{dossier.slug(proposal.nominee.short_code)}-{proposal.campaign.cluster_year.year}"
    return attachment(dossier.proposal_dossier_zip(proposal), dossier.ZIP, f"{stem}.zip")
