"""``manage.py import_self_assessment PATH.xlsx --actor USERNAME``: upload a filled
self-assessment workbook as that person, through the same checks as the page (values, lock,
permission, phase and deadline). Any problem imports nothing, lists every problem and exits
with a non-zero status."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.assessments import xlsx
from thidua.criteria.importexport import ImportProblems


class Command(BaseCommand):
    help = (
        "Nhập bản tự chấm điểm từ tệp Excel đã điền, với quyền của một người dùng; "
        "tệp có lỗi không được nhập và mọi lỗi được liệt kê."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Tệp .xlsx tải về từ trang Tự chấm điểm (hoặc export_self_assessment).")
        parser.add_argument("--actor", required=True, help="Tên đăng nhập của người nhập (cán bộ thi đua của trường).")

    def handle(self, *args: Any, path: str, actor: str, **options: Any) -> None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.") from exc
        user = get_user_model().objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng đang hoạt động tên đăng nhập “{actor}”.")
        try:
            assessment = xlsx.assessment_of(data)
            result = xlsx.import_xlsx(actor=user, assessment=assessment, data=data)
        except ImportProblems as exc:
            self._fail(exc.messages)
        if result.changed:
            self.stdout.write(", ".join(result.changed))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {len(result.changed)} tiêu chí vào bản tự chấm điểm của {assessment.organization.name} "
                f"({result.unchanged} tiêu chí không đổi)."
            )
        )

    def _fail(self, lines: list[str]) -> NoReturn:
        for line in lines[1:]:
            self.stderr.write(f"  - {line}")
        raise CommandError(lines[0])
