"""``manage.py export_self_assessment --cluster C9 --year 2020 --school KG -o PATH.xlsx``: a
school's self-assessment as the XLSX to fill offline (the one the page downloads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.assessments import services, xlsx
from thidua.campaigns.models import Campaign
from thidua.organizations.models import Organization


class Command(BaseCommand):
    help = "Xuất bản tự chấm điểm của một trường ra tệp Excel (.xlsx) để điền ngoài hệ thống."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cluster", required=True, help="Mã cụm, ví dụ C9.")
        parser.add_argument("--year", required=True, type=int, help="Năm thi đua, ví dụ 2020.")
        parser.add_argument("--school", required=True, help="Mã viết tắt của trường, ví dụ KG.")
        parser.add_argument("-o", "--output", required=True, help="Đường dẫn tệp .xlsx sẽ ghi.")

    def handle(self, *args: Any, cluster: str, year: int, school: str, output: str, **options: Any) -> None:
        campaign = (
            Campaign.objects.select_related("cluster_year__cluster")
            .filter(cluster_year__cluster__code=cluster.upper(), cluster_year__year=year)
            .first()
        )
        if campaign is None:
            raise CommandError(f"Không có đợt thi đua của cụm {cluster} năm {year}.")
        organization = Organization.objects.filter(short_code=school.upper()).first()
        if organization is None:
            raise CommandError(f"Không có đơn vị mã {school}.")
        try:
            assessment = services.ensure_assessment(actor=None, campaign=campaign, organization=organization)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        path = Path(output)
        try:
            path.write_bytes(xlsx.export_xlsx(assessment))
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc.strerror}.") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Đã xuất bản tự chấm điểm của {organization.name} ({cluster} {year}) ra {path}.")
        )
