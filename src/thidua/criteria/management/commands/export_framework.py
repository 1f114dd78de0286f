"""``manage.py export_framework ID --format yaml|xlsx -o PATH``: a framework as a file
(docs/criteria-formats.md); without ``-o`` the YAML is written to standard output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.criteria.importexport import export_xlsx, export_yaml
from thidua.criteria.models import Framework


class Command(BaseCommand):
    help = "Xuất một bảng tiêu chí ra tệp YAML hoặc Excel (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework_id", metavar="ID", type=int, help="Số hiệu (id) của bảng tiêu chí.")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=("yaml", "xlsx"),
            help="Mặc định: theo đuôi tệp -o, nếu không thì yaml.",
        )
        parser.add_argument("-o", "--output", help="Tệp ghi ra (để trống: YAML ra màn hình).")

    def handle(
        self, *args: Any, framework_id: int, file_format: str | None, output: str | None, **options: Any
    ) -> None:
        framework = Framework.objects.filter(pk=framework_id).first()
        if framework is None:
            raise CommandError(f"Không có bảng tiêu chí #{framework_id}.")
        chosen = file_format or ("xlsx" if output and output.lower().endswith(".xlsx") else "yaml")
        if chosen == "xlsx" and not output:
            raise CommandError("Tệp Excel cần tên tệp ghi ra: -o TỆP.xlsx.")
        data = export_xlsx(framework) if chosen == "xlsx" else export_yaml(framework)
        if not output:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc.strerror}.") from exc
        self.stdout.write(self.style.SUCCESS(f"Đã xuất bảng tiêu chí #{framework.pk} “{framework.name}” ra {output}."))
