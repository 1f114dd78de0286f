"""The commands import_framework and export_framework: what they print and how they exit."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import ManagementUtility, call_command
from openpyxl import load_workbook

from thidua.criteria.builtin import REFERENCE_PATH, reference_document
from thidua.criteria.importexport import canonical_document, export_xlsx, import_file
from thidua.criteria.models import Framework, FrameworkStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing", "keep_db_connection")]

NAME = "Bảng tiêu chí chấm điểm thi đua Cụm các trường chính trị (mẫu tham khảo)"


def run(*argv: str) -> int:
    """The command as run from a shell: its exit code (0 when it does not exit)."""
    try:
        ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_importing_prints_the_new_framework_s_id_and_name(capsys):
    code = run("import_framework", str(REFERENCE_PATH))

    framework = Framework.objects.get()
    out = capsys.readouterr().out
    assert code == 0
    assert out == f"{framework.pk}\t{NAME}\nĐã nhập bảng tiêu chí #{framework.pk} (bản nháp).\n"
    assert framework.status == FrameworkStatus.DRAFT
    assert canonical_document(framework) == reference_document()


def test_importing_for_a_cluster_and_year_and_publishing(world, capsys):
    code = run("import_framework", str(REFERENCE_PATH), "--cluster", "k", "--year", "2021", "--publish")

    framework = Framework.objects.get()
    assert code == 0
    assert (framework.cluster, framework.year, framework.status) == (world.cluster, 2021, FrameworkStatus.PUBLISHED)
    assert capsys.readouterr().out.endswith(f"Đã nhập bảng tiêu chí #{framework.pk} (đã ban hành).\n")


def test_a_bad_file_exits_non_zero_listing_every_problem_and_imports_nothing(tmp_path, capsys):
    framework = import_file(actor=None, data=REFERENCE_PATH.read_bytes(), filename="ref.yaml")
    book = load_workbook(io.BytesIO(export_xlsx(framework)))
    book["Tieu chi"]["E7"] = "mười"
    book["Tieu chi"]["A9"] = "I.1"
    path = tmp_path / "sai.xlsx"
    book.save(path)

    code = run("import_framework", str(path))

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err == (
        "  - Sheet Tieu chi, dòng 7, cột E (max): “mười” không phải là số.\n"
        "  - Sheet Tieu chi, dòng 9, cột A (code): mã “I.1” đã dùng ở dòng 4.\n"
        "CommandError: Không nhập được tệp: 2 lỗi, chưa có gì được lưu.\n"
    )
    assert Framework.objects.count() == 1


def test_publishing_a_framework_with_errors_imports_nothing(tmp_path, capsys):
    document = reference_document()
    document["framework"]["total"] = 90
    path = tmp_path / "bang.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    code = run("import_framework", str(path), "--publish")

    assert code == 1
    assert capsys.readouterr().err == (
        "  - Điểm tối đa của các nhóm cộng lại là 100, khác tổng điểm 90 của bảng tiêu chí.\n"
        "  - Chưa nhập gì: sửa tệp rồi nhập lại, hoặc nhập không có --publish để sửa trên trang.\n"
        "CommandError: Chưa thể ban hành: còn 1 lỗi cần sửa.\n"
    )
    assert Framework.objects.count() == 0


def test_an_unknown_cluster_or_a_missing_file_is_refused(tmp_path, capsys):
    assert run("import_framework", str(REFERENCE_PATH), "--cluster", "X9") == 1
    assert capsys.readouterr().err == "CommandError: Không có cụm mã X9.\n"
    assert run("import_framework", str(tmp_path / "khong-co.yaml")) == 1
    assert (
        capsys.readouterr().err
        == f"CommandError: Không đọc được tệp {tmp_path / 'khong-co.yaml'}: No such file or directory.\n"
    )


def test_exporting_writes_yaml_or_xlsx_that_import_back_identically(tmp_path):
    framework = import_file(actor=None, data=REFERENCE_PATH.read_bytes(), filename="ref.yaml")
    out = io.StringIO()

    call_command("export_framework", str(framework.pk), "--format", "yaml", "-o", str(tmp_path / "a.yaml"), stdout=out)
    call_command("export_framework", str(framework.pk), "-o", str(tmp_path / "a.xlsx"), stdout=out)

    assert out.getvalue() == (
        f"Đã xuất bảng tiêu chí #{framework.pk} “{NAME}” ra {tmp_path / 'a.yaml'}.\n"
        f"Đã xuất bảng tiêu chí #{framework.pk} “{NAME}” ra {tmp_path / 'a.xlsx'}.\n"
    )
    for name in ("a.yaml", "a.xlsx"):
        again = import_file(actor=None, data=(tmp_path / name).read_bytes(), filename=name)
        assert canonical_document(again) == reference_document()


def test_exporting_without_an_output_file_prints_the_yaml(capsys):
    framework = import_file(actor=None, data=REFERENCE_PATH.read_bytes(), filename="ref.yaml")

    code = run("export_framework", str(framework.pk))

    assert code == 0
    assert yaml.safe_load(capsys.readouterr().out) == reference_document()


def test_exporting_an_unknown_framework_or_xlsx_to_the_screen_is_refused(capsys):
    framework = import_file(actor=None, data=REFERENCE_PATH.read_bytes(), filename="ref.yaml")

    assert run("export_framework", "999999") == 1
    assert capsys.readouterr().err == "CommandError: Không có bảng tiêu chí #999999.\n"
    assert run("export_framework", str(framework.pk), "--format", "xlsx") == 1
    assert capsys.readouterr().err == "CommandError: Tệp Excel cần tên tệp ghi ra: -o TỆP.xlsx.\n"
