"""manage.py export_results --cluster C9 --year 2020 -o PATH.json: the campaign's full results
export (framework, inputs, reviewers' inputs and points, final scores, results) — as published
once the results are — which ``python -m thidua.scoring verify PATH.json`` recomputes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.campaigns.models import Campaign
from thidua.results.export import published_export
from thidua.scoring.verify import fingerprint


class Command(BaseCommand):
    help = "Xuất toàn bộ kết quả của một đợt thi đua ra JSON (để kiểm tra lại bằng python -m thidua.scoring verify)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cluster", required=True, help="mã cụm, ví dụ C9")
        parser.add_argument("--year", required=True, type=int, help="năm, ví dụ 2020")
        parser.add_argument("-o", "--output", required=True, type=Path, help="tệp JSON ghi ra")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = (
            Campaign.objects.select_related("cluster_year__cluster", "framework")
            .filter(cluster_year__cluster__code=options["cluster"], cluster_year__year=options["year"])
            .first()
        )
        if campaign is None:
            raise CommandError(f"Không có đợt thi đua của cụm {options['cluster']} năm {options['year']}.")
        document = published_export(campaign)
        path: Path = options["output"]
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"Đã ghi {path} ({len(document['schools'])} trường).")
        self.stdout.write(f"Dấu vân tay (SHA-256): {fingerprint(document)}")
