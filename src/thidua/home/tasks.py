"""What waits for the signed-in person ("Việc cần làm"): one function per kind of work, each a
constant number of queries, each reading the owning app's ``*_visible_to`` filter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.accounts.roles import roleset
from thidua.assessments.rules import assessments_visible_to
from thidua.campaigns.models import Deadline, Extension, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.campaigns.rules import officer_school_ids


@dataclass(frozen=True)
class Task:
    """One piece of work: what it is, for whom (school, cluster, year), and where to do it."""

    label: str
    school: str
    cluster: str
    year: int
    url: str
    due_at: datetime.datetime | None = None


def assessments_to_fill(user: Any) -> list[Task]:
    """The draft self-assessments of the person's own schools (one query)."""
    drafts = (
        assessments_visible_to(user)
        .filter(organization_id__in=officer_school_ids(roleset(user)), status=SubmissionStatus.DRAFT)
        .select_related("organization", "campaign__cluster_year__cluster")
        .annotate(
            deadline_at=Subquery(
                Deadline.objects.filter(campaign_id=OuterRef("campaign_id"), phase=Phase.SELF_ASSESSMENT).values(
                    "due_at"
                )[:1]
            ),
            extended_to=Subquery(
                Extension.objects.filter(
                    campaign_id=OuterRef("campaign_id"),
                    organization_id=OuterRef("organization_id"),
                    phase=Phase.SELF_ASSESSMENT,
                ).values("until")[:1]
            ),
        )
        .order_by("-campaign__cluster_year__year", "organization__name_sort")
    )
    return [
        Task(
            label=_("Bản tự chấm điểm cần hoàn thành"),
            school=a.organization.name,
            cluster=a.campaign.cluster_year.cluster.name,
            year=a.campaign.cluster_year.year,
            url=reverse(
                "assessments:detail",
                args=[a.campaign.cluster_year.cluster.code, a.campaign.cluster_year.year, a.organization.short_code],
            ),
            due_at=_effective(a.deadline_at, a.extended_to),
        )
        for a in drafts
    ]


def _effective(deadline: datetime.datetime | None, extension: datetime.datetime | None) -> datetime.datetime | None:
    """The school's deadline as ``campaigns.deadlines.effective_deadline`` reads it."""
    if extension is not None and (deadline is None or extension > deadline):
        return extension
    return deadline


def tasks_for(user: Any) -> list[Task]:
    """Everything that waits for the person, in the order of the kinds above."""
    return assessments_to_fill(user)
