"""Background tasks of self-assessment (django-tasks; the database backend runs them in
``manage.py db_worker``). Thin: ids in, one service call."""

from __future__ import annotations

import datetime

from django_tasks import task

from thidua.assessments.reminders import send_deadline_reminders
from thidua.campaigns.models import Campaign


@task()
def send_campaign_reminders(campaign_id: int, day: str) -> int:
    """E-mail the reminders due on ``day`` (ISO date) for one campaign; the number sent."""
    campaign = Campaign.objects.select_related("cluster_year__cluster").get(pk=campaign_id)
    return len(send_deadline_reminders(campaign=campaign, today=datetime.date.fromisoformat(day)))
