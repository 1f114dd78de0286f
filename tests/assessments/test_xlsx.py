"""The offline round trip: download the self-assessment as XLSX, fill it, upload it back; a
bad cell imports nothing and every problem is named with its sheet, row and column."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from tests.assessments.conftest import register, save
from thidua.assessments import services, xlsx
from thidua.assessments.models import AssessmentEntry
from thidua.campaigns.models import Deadline
from thidua.core.models import AuditEntry
from thidua.criteria.importexport import ImportProblems

pytestmark = pytest.mark.django_db


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def fill(data: bytes, values: dict[str, object], *, explanations: dict[str, str] | None = None) -> bytes:
    """The workbook with "Giá trị tự chấm" (F) and "Giải thích" (H) set for the given codes."""
    book = workbook(data)
    sheet = book[xlsx.SHEET]
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    for code, value in values.items():
        sheet.cell(rows[code], 6).value = value
    for code, text in (explanations or {}).items():
        sheet.cell(rows[code], 8).value = text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row_of(data: bytes, code: str) -> int:
    sheet = workbook(data)[xlsx.SHEET]
    return next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row, 1).value == code)


def problems_of(sheet, data: bytes, actor=None) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        xlsx.import_xlsx(actor=actor or sheet.world.bob, assessment=sheet.assessment_b, data=data)
    return [str(problem) for problem in caught.value.problems]


def stored_values(sheet) -> dict[str, tuple]:
    return {
        e.node.code: (e.points, e.passed, e.level, e.count, e.actual, e.explanation, e.version)
        for e in AssessmentEntry.objects.filter(assessment=sheet.assessment_b).select_related("node")
    }


# --- export -------------------------------------------------------------------------------


def test_the_download_has_a_row_per_criterion_an_instructions_sheet_and_protected_columns(sheet):
    register(sheet.campaign, sheet.world.school_b, {"II.1": "10"})
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.75"), explanation="Có kế hoạch")

    data = xlsx.export_xlsx(sheet.assessment_b)

    book = workbook(data)
    assert book.sheetnames == ["Tự chấm điểm", "Hướng dẫn", "_thong_tin"]
    assert book["_thong_tin"].sheet_state == "hidden"
    main = book[xlsx.SHEET]
    assert [c.value for c in main[1]] == [
        "Mã", "Nội dung", "Cách chấm", "Điểm tối đa", "Cách nhập", "Giá trị tự chấm", "Chỉ tiêu đăng ký",
        "Giải thích", "Phiên bản (không sửa)",
    ]  # fmt: skip
    i4 = [c.value for c in main[row_of(data, "I.4")]]
    assert i4 == [
        "I.4", "Tổ chức phong trào thi đua, khen thưởng tại trường", "Chấm trực tiếp", 2,
        "Số điểm từ 0 đến 2, bước 0,25.", 1.75, None, "Có kế hoạch", 1,
    ]  # fmt: skip
    assert main.cell(row_of(data, "II.1"), 7).value == 10
    assert main.cell(row_of(data, "I.3"), 7).value == "chưa đăng ký"
    assert main.protection.sheet is True
    assert main.cell(row_of(data, "I.4"), 6).protection.locked is False
    assert main.cell(row_of(data, "I.4"), 8).protection.locked is False
    assert main.cell(row_of(data, "I.4"), 2).protection.locked is True
    assert main.column_dimensions["I"].hidden is True
    codes = [main.cell(row, 1).value for row in range(2, main.max_row + 1)]
    assert codes.count("I.1") == 1
    assert {"I", "VII", "B.1", "P.2", "C.2"} <= set(codes)
    assert "Chỉ điền hai cột có nền vàng" in "\n".join(str(c.value) for c in book["Hướng dẫn"]["A"])


# --- the round trip -----------------------------------------------------------------------


def test_a_filled_file_imports_every_value_through_the_same_checks(sheet):
    data = fill(
        xlsx.export_xlsx(sheet.assessment_b),
        {
            "I.1": "khá",
            "I.2": "Đạt",
            "I.4": 1.75,
            "II.1": 12,
            "II.3": "4",
            "II.4": "85,5",
            "C.1": "Không đạt",
            "B.3": "Mức 1",
        },
        explanations={"I.4": "Có kế hoạch thi đua năm"},
    )

    result = xlsx.import_xlsx(actor=sheet.world.bob, assessment=sheet.assessment_b, data=data)

    assert result.changed == ["I.1", "I.2", "I.4", "II.1", "II.3", "II.4", "B.3", "C.1"]
    values = stored_values(sheet)
    assert values["I.1"][2] == "Khá"
    assert values["I.2"][1] is True
    assert values["I.4"][0] == Decimal("1.75")
    assert values["I.4"][5] == "Có kế hoạch thi đua năm"
    assert values["II.1"][4] == Decimal("12")
    assert values["II.3"][3] == 4
    assert values["II.4"][4] == Decimal("85.5")
    assert values["C.1"][1] is False
    assert values["B.3"][2] == "Mức 1"
    assert AuditEntry.objects.filter(action="assessment.entry.save").count() == 8
    assert AuditEntry.objects.get(action="assessment.import").data["changed"] == result.changed


def test_importing_the_same_file_twice_changes_nothing_the_second_time(sheet):
    data = fill(xlsx.export_xlsx(sheet.assessment_b), {"I.4": 1.5})
    xlsx.import_xlsx(actor=sheet.world.bob, assessment=sheet.assessment_b, data=data)

    again = xlsx.import_xlsx(actor=sheet.world.bob, assessment=sheet.assessment_b, data=data)

    assert again.changed == []
    assert sheet.entry("I.4").version == 1


def test_a_blank_cell_clears_the_value(sheet):
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.5"))
    data = fill(xlsx.export_xlsx(sheet.assessment_b), {"I.4": None})

    xlsx.import_xlsx(actor=sheet.world.bob, assessment=sheet.assessment_b, data=data)

    assert sheet.entry("I.4").points is None


# --- malformed files: nothing imported, every problem named -------------------------------


def test_bad_cells_import_nothing_and_are_each_named_with_sheet_row_and_column(sheet):
    exported = xlsx.export_xlsx(sheet.assessment_b)
    data = fill(exported, {"I.2": "Đạt", "II.2": "nhiều", "I.1": "Xuất sắc", "I.4": 1.6, "II.3": 2.5})
    before = stored_values(sheet)

    problems = problems_of(sheet, data)

    assert problems == [
        f"Sheet Tự chấm điểm, dòng {row_of(data, 'I.1')}, cột F: I.1: Mức “Xuất sắc” không có trong thang chấm; "
        "chọn một trong các mức: “Tốt”, “Khá”, “Đạt”, “Chưa đạt”.",
        f"Sheet Tự chấm điểm, dòng {row_of(data, 'I.4')}, cột F: I.4: Điểm 1,6 không đúng bước 0,25: hãy nhập 1,5 "
        "hoặc 1,75. Điểm không được làm tròn tự động.",
        f"Sheet Tự chấm điểm, dòng {row_of(data, 'II.2')}, cột F: II.2: “nhiều” không phải là số. Hãy nhập số, "
        "dùng dấu phẩy cho phần thập phân (ví dụ 2,5).",
        f"Sheet Tự chấm điểm, dòng {row_of(data, 'II.3')}, cột F: II.3: “2.5” không phải số lần: hãy nhập một số "
        "nguyên từ 0 trở lên (không có dấu chấm, dấu phẩy).",
    ]
    assert stored_values(sheet) == before  # the good I.2 row was not imported either


def test_a_workbook_without_the_self_assessment_sheet_is_refused(sheet):
    book = workbook(xlsx.export_xlsx(sheet.assessment_b))
    book[xlsx.SHEET].title = "Trang tính 1"
    buffer = io.BytesIO()
    book.save(buffer)

    assert problems_of(sheet, buffer.getvalue()) == [
        "Sheet Tự chấm điểm: không có sheet này trong tệp. Hãy dùng tệp tải về từ trang Tự chấm điểm."
    ]


def test_a_file_that_is_not_an_xlsx_is_refused(sheet):
    assert problems_of(sheet, b"%PDF-1.4 not a workbook") == ["Tệp không phải là tệp Excel (.xlsx) hợp lệ."]


def test_another_schools_file_is_refused(sheet):
    assessment_a = sheet.assessment(sheet.world.school_a)
    data = fill(xlsx.export_xlsx(assessment_a), {"I.4": 1})

    problems = problems_of(sheet, data)

    assert problems == [
        "Sheet _thong_tin: Tệp này là bản tự chấm điểm của trường “A” (cụm K, năm 2020), không phải của "
        "Trường Chính trị tỉnh Bạc Liêu trong đợt thi đua này."
    ]


def test_a_row_changed_on_the_site_since_the_download_is_a_conflict_and_nothing_is_overwritten(sheet):
    exported = xlsx.export_xlsx(sheet.assessment_b)
    save(sheet.binh, sheet.entry("I.4"), points=Decimal("0.5"))
    data = fill(exported, {"I.4": 1.5, "I.2": "Đạt"})

    problems = problems_of(sheet, data)

    assert len(problems) == 1
    assert problems[0].startswith(
        f"Sheet Tự chấm điểm, dòng {row_of(data, 'I.4')}, cột F: I.4 đã được sửa trên hệ thống sau khi tải tệp về "
        "(Bình Lê, lúc"
    )
    assert "giá trị hiện tại: 0,5). Không ghi đè" in problems[0]
    assert sheet.entry("I.4").points == Decimal("0.5")
    assert sheet.entry("I.2").passed is None


def test_a_locked_assessment_imports_nothing(sheet):
    data = fill(xlsx.export_xlsx(sheet.assessment_b), {"I.4": 1.5})
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    problems = problems_of(sheet, data)

    assert problems[0].startswith("Bản tự chấm điểm của Trường Chính trị tỉnh Bạc Liêu đã được gửi")
    assert sheet.entry("I.4").points is None


def test_an_actor_who_may_not_edit_imports_nothing(sheet):
    data = fill(xlsx.export_xlsx(sheet.assessment_b), {"I.4": 1.5})

    assert problems_of(sheet, data, actor=sheet.world.alice) == [
        "Bạn không có quyền sửa bản tự chấm điểm của Trường Chính trị tỉnh Bạc Liêu."
    ]


def test_an_upload_after_the_deadline_imports_nothing(sheet):
    data = fill(xlsx.export_xlsx(sheet.assessment_b), {"I.4": 1.5})
    Deadline.objects.filter(campaign=sheet.campaign).update(due_at=timezone.now() - datetime.timedelta(hours=2))

    problems = problems_of(sheet, data)

    assert problems[0].startswith("Đã quá hạn tự chấm điểm")
    assert sheet.entry("I.4").points is None


# --- through the page ---------------------------------------------------------------------


def test_uploading_a_filled_file_on_the_page_saves_it(sheet, client_for):
    data = fill(xlsx.export_xlsx(sheet.assessment_b), {"I.4": 1.25})

    response = client_for(sheet.world.bob).post(
        "/assessments/K/2020/B/xlsx/import/", {"file": SimpleUploadedFile("tu-cham.xlsx", data)}
    )

    assert response.status_code == 302
    assert sheet.entry("I.4").points == Decimal("1.25")


def test_uploading_a_bad_file_on_the_page_lists_every_problem(sheet, client_for, html):
    data = fill(xlsx.export_xlsx(sheet.assessment_b), {"I.1": "Xuất sắc", "I.4": 1.6})

    response = client_for(sheet.world.bob).post(
        "/assessments/K/2020/B/xlsx/import/", {"file": SimpleUploadedFile("tu-cham.xlsx", data)}
    )

    assert response.status_code == 422
    text = html.text(response, "import-problems")
    assert text.startswith("Không nhập được tệp: 2 lỗi, chưa có gì được lưu.")
    assert f"dòng {row_of(data, 'I.1')}, cột F: I.1: Mức “Xuất sắc”" in text
    assert f"dòng {row_of(data, 'I.4')}, cột F: I.4: Điểm 1,6" in text


def test_the_download_is_an_attachment_with_nosniff(sheet, client_for):
    response = client_for(sheet.world.bob).get("/assessments/K/2020/B/xlsx/")

    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_MEDIA_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="tu-cham-diem-k-2020-b.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert workbook(response.content).sheetnames[0] == "Tự chấm điểm"
