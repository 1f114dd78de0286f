"""manage.py prune_files [--days 7] [--dry-run]: delete the stored files (evidence,
attachments, scans) that nothing refers to any more (``core.prune``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from thidua.core.prune import prune_unused


class Command(BaseCommand):
    help = "Xóa các tệp đã lưu (minh chứng, tệp đính kèm, bản quét) không còn được dùng ở đâu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=7, help="chỉ xóa tệp lưu trước đó ít nhất chừng này ngày (mặc định 7)"
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ đếm, không xóa")

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < 0:
            raise CommandError("--days phải là số ngày không âm.", returncode=2)
        pruned = prune_unused(dry_run=dry_run, grace=datetime.timedelta(days=days))
        size = filesizeformat(pruned.size)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(f"{verb} {pruned.count} tệp không còn dùng ({size}).")
