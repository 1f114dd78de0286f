from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from thidua.demo import accounts, assessments, campaigns, criteria, organizations
from thidua.demo.awards import load_awards
from thidua.demo.results import load_results
from thidua.demo.reviews import load_reviews
from thidua.demo.voting import load_voting
from thidua.demo.year import advance

# How far the demo goes. Every stage includes the ones before it.
STAGES = ("campaigns", "assessments", "reviews", "results", "conference", "proposals")


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn Cụm 9 (chạy lại nhiều lần không tạo bản sao; --reset để làm lại từ đầu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Xóa toàn bộ dữ liệu rồi nạp lại.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Nạp cả khi không ở chế độ trình diễn (DEMO_MODE/DEBUG tắt) — chỉ dùng cho kiểm thử.",
        )
        parser.add_argument(
            "--stage",
            choices=STAGES,
            default=STAGES[-1],
            help="Năm 2020 của Cụm 9 dừng ở giai đoạn nào (mặc định: đi hết tới đề nghị khen thưởng).",
        )

    def handle(
        self, *args: Any, reset: bool = False, force: bool = False, stage: str = STAGES[-1], **options: Any
    ) -> None:
        # The demo creates an administrator whose password is printed on the login page, and
        # --reset wipes the database: never on a real deployment by accident.
        if not (settings.DEMO_MODE or settings.DEBUG or force):
            raise CommandError(
                "load_demo chỉ chạy ở chế độ trình diễn (DEMO_MODE=1 hoặc DEBUG=1); "
                "dữ liệu trình diễn có tài khoản quản trị với mật khẩu công khai."
            )
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Đã xóa dữ liệu cũ.")
        upto = STAGES.index(stage)
        with transaction.atomic():
            loaded = organizations.load()
            users = accounts.load(loaded)
            criteria.load(loaded)
            campaigns.load(loaded)
            if upto >= STAGES.index("assessments"):
                assessments.load(loaded)
            if upto >= STAGES.index("reviews"):
                advance(loaded, "review")
                load_reviews(loaded)
            if upto >= STAGES.index("results"):
                load_results(loaded)
            if upto >= STAGES.index("conference"):
                advance(loaded, "conference")
                load_voting(loaded)
            if upto >= STAGES.index("proposals"):
                advance(loaded, "proposals")
                load_awards(loaded)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu trình diễn: {len(loaded.organizations)} đơn vị, cụm {loaded.cluster.code} "
                f"({loaded.cluster.years.count()} năm), {len(users)} tài khoản; năm 2020 tới giai đoạn “{stage}”."
            )
        )
