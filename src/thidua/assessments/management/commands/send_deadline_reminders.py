"""Enqueue today's deadline reminders, one task per campaign that has work with a deadline.

Run daily (cron, e.g. at 07:00): ``manage.py send_deadline_reminders``. Running it again the
same day sends nothing twice: every reminder sent is recorded per school, phase and day.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thidua.assessments.reminders import REMINDED_PHASES
from thidua.assessments.tasks import send_campaign_reminders
from thidua.campaigns.models import Campaign


class Command(BaseCommand):
    help = (
        "Xếp hàng gửi thư nhắc hạn hôm nay cho các trường chưa hoàn thành (chạy hằng ngày; "
        "chạy lại trong ngày không gửi trùng)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày gửi (dd/mm/yyyy), mặc định hôm nay; dùng để gửi bù.")

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        day = timezone.localdate()
        if date:
            try:
                day = datetime.datetime.strptime(date, "%d/%m/%Y").date()  # noqa: DTZ007 -- a calendar day, no time
            except ValueError as exc:
                raise CommandError(f"Ngày “{date}” không đúng dạng dd/mm/yyyy.") from exc
        campaigns = Campaign.objects.filter(phase__in=REMINDED_PHASES, deadlines__phase__in=REMINDED_PHASES).distinct()
        count = 0
        for campaign in campaigns.select_related("cluster_year__cluster"):
            send_campaign_reminders.enqueue(campaign.pk, day.isoformat())
            count += 1
        self.stdout.write(f"Đã xếp hàng nhắc hạn ngày {day:%d/%m/%Y} cho {count} đợt thi đua.")
