"""``manage.py import_framework PATH [--cluster C9] [--year 2020] [--publish]``: a new framework
from a YAML or XLSX file (docs/criteria-formats.md), as a draft or published."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from thidua.criteria import services
from thidua.criteria.importexport import ImportProblems, import_file
from thidua.organizations.models import Cluster


class Command(BaseCommand):
    help = "Nhập bảng tiêu chí từ tệp YAML hoặc Excel (.xlsx); tệp có lỗi không được nhập và mọi lỗi được liệt kê."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Tệp .yaml/.yml hoặc .xlsx.")
        parser.add_argument("--cluster", help="Mã cụm sử dụng bảng (để trống: bảng của Học viện).")
        parser.add_argument("--year", type=int, help="Năm thi đua áp dụng.")
        parser.add_argument("--publish", action="store_true", help="Ban hành ngay (chỉ khi bảng không còn lỗi).")

    def handle(
        self, *args: Any, path: str, cluster: str | None, year: int | None, publish: bool, **options: Any
    ) -> None:
        source = Path(path)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.") from exc
        target = None
        if cluster:
            target = Cluster.objects.filter(code=cluster.upper()).first()
            if target is None:
                raise CommandError(f"Không có cụm mã {cluster}.")
        try:
            with transaction.atomic():
                framework = import_file(actor=None, data=data, filename=source.name, cluster=target, year=year)
                if publish:
                    framework = services.publish_framework(actor=None, framework=framework)
        except ImportProblems as exc:
            self._fail(exc.messages)
        except services.PublishRefused as exc:
            self._fail(
                [*exc.messages, "Chưa nhập gì: sửa tệp rồi nhập lại, hoặc nhập không có --publish để sửa trên trang."]
            )
        state = "đã ban hành" if publish else "bản nháp"
        self.stdout.write(f"{framework.pk}\t{framework.name}")
        self.stdout.write(self.style.SUCCESS(f"Đã nhập bảng tiêu chí #{framework.pk} ({state})."))

    def _fail(self, lines: list[str]) -> NoReturn:
        for line in lines[1:]:
            self.stderr.write(f"  - {line}")
        raise CommandError(lines[0])
