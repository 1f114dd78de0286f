"""The secretariat's progress board (``assessments.progress``): every member school's
registration and self-assessment state."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.assessments.progress import progress_board
from thidua.campaigns import queries
from thidua.campaigns.phases import Phase
from thidua.campaigns.views.access import get_campaign, require_progress


@login_required
def progress(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign = get_campaign(request, code, year)
    require_progress(request, campaign)
    rows = progress_board(campaign)
    deadlines = queries.deadlines_by_phase(campaign)
    context = {
        "campaign": campaign,
        "rows": rows,
        "registration_due": deadlines.get(Phase.REGISTRATION),
        "assessment_due": deadlines.get(Phase.SELF_ASSESSMENT),
        "registered": sum(1 for r in rows if r.registration_state == "submitted"),
        "assessed": sum(1 for r in rows if r.assessment_state == "submitted"),
    }
    return render(request, "assessments/progress/board.html", context)
