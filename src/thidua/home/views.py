"""The home page (trang chủ): what the signed-in person works with."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.accounts.roles import roleset
from thidua.home import queries, tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    rs = roleset(request.user)
    return render(
        request,
        "home/home.html",
        {
            "my_clusters": queries.clusters_for_home(rs),
            "my_schools": queries.organizations_by_ids(rs.school_ids),
            "tasks": tasks.tasks_for(request.user),
        },
    )
