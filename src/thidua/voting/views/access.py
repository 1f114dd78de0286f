"""Loading conferences and ballots with their permission checks (404 for what the user may not
read, 403 for what they may read but not run)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from thidua.organizations.models import ClusterYear
from thidua.voting import queries
from thidua.voting.models import Ballot, Conference

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def get_cluster_year(request: HttpRequest, code: str, year: int) -> ClusterYear:
    return get_object_or_404(ClusterYear.objects.select_related("cluster"), cluster__code=code.upper(), year=year)


def get_conference(request: HttpRequest, code: str, year: int, *, manage: bool = False) -> Conference:
    conference = get_object_or_404(
        queries.conferences(), cluster_year__cluster__code=code.upper(), cluster_year__year=year
    )
    if not request.user.has_perm("voting.view_conference", conference):
        raise Http404
    if manage and not request.user.has_perm("voting.manage_conference", conference):
        raise PermissionDenied
    return conference


def get_ballot(request: HttpRequest, code: str, year: int, pk: int, *, manage: bool = False) -> Ballot:
    conference = get_conference(request, code, year, manage=manage)
    ballot = get_object_or_404(queries.ballots_of(conference), pk=pk)
    ballot.conference = conference
    return ballot


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
