from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.awards.dossier import year_dossiers_zip
from thidua.campaigns.models import Campaign


class Command(BaseCommand):
    help = "Ghi hồ sơ đề nghị khen thưởng của một năm của Cụm ra một tệp ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cluster", required=True, help="Mã Cụm, ví dụ C9.")
        parser.add_argument("--year", required=True, type=int, help="Năm thi đua, ví dụ 2020.")
        parser.add_argument("-o", "--output", required=True, help="Đường dẫn tệp ZIP cần ghi.")

    def handle(self, *args: Any, cluster: str, year: int, output: str, **options: Any) -> None:
        campaign = (
            Campaign.objects.select_related("cluster_year__cluster")
            .filter(cluster_year__cluster__code=cluster.upper(), cluster_year__year=year)
            .first()
        )
        if campaign is None:
            raise CommandError(f"Không có đợt thi đua của Cụm {cluster} năm {year}.")
        content, count = year_dossiers_zip(campaign)
        path = Path(output)
        if path.parent and not path.parent.exists():
            raise CommandError(f"Thư mục {path.parent} không tồn tại.")
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {count} hồ sơ đề nghị vào {path}."))
