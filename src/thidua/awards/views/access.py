"""Loading proposals with their permission checks: a proposal the user may not read is a 404
(it does not exist for them); one they may read but not change is a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from thidua.awards import queries
from thidua.awards.models import Proposal

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def get_proposal(request: HttpRequest, pk: int, *, perm: str = "") -> Proposal:
    proposal = queries.proposals().filter(pk=pk).first()
    if proposal is None or not request.user.has_perm("awards.view_proposal", proposal):
        raise Http404
    if perm and not request.user.has_perm(perm, proposal):
        raise PermissionDenied
    return proposal


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
