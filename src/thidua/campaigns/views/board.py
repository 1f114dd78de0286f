"""What the secretariat follows in the campaign itself: the table of every registration.
(The progress board, which also reads the self-assessments, is ``assessments.views.progress``.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.campaigns import queries
from thidua.campaigns.views.access import get_campaign, require_progress


@login_required
def registrations(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    require_progress(request, campaign)
    leaves, rows = queries.registration_table(campaign)
    context = {
        "campaign": campaign,
        "leaves": leaves,
        "rows": rows,
        "submitted": sum(1 for r in rows if r.registration and r.registration.status == "submitted"),
    }
    return render(request, "campaigns/registration/table.html", context)
