from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from thidua.demo import accounts, campaigns, criteria, organizations


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn Cụm 9 (chạy lại nhiều lần không tạo bản sao; --reset để làm lại từ đầu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Xóa toàn bộ dữ liệu rồi nạp lại.")

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Đã xóa dữ liệu cũ.")
        with transaction.atomic():
            loaded = organizations.load()
            users = accounts.load(loaded)
            criteria.load(loaded)
            campaigns.load(loaded)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu trình diễn: {len(loaded.organizations)} đơn vị, cụm {loaded.cluster.code} "
                f"({loaded.cluster.years.count()} năm), {len(users)} tài khoản."
            )
        )
