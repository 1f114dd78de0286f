"""``export_self_assessment`` and ``import_self_assessment``: the offline round trip from the
command line; a bad file, a locked state or an actor who may not edit exits non-zero with
the list of problems."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.assessments.test_xlsx import fill, row_of
from thidua.assessments import services
from thidua.assessments.management.commands.import_self_assessment import Command as ImportCommand

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]


def export(tmp_path, school="B") -> bytes:
    path = tmp_path / "tu-cham.xlsx"
    call_command("export_self_assessment", cluster="K", year=2020, school=school, output=str(path))
    return path.read_bytes()


def run_import(tmp_path, data: bytes, actor: str, capsys) -> tuple[int, str, str]:
    """Run the command as ``manage.py`` would (its exit status included)."""
    path = tmp_path / "da-dien.xlsx"
    path.write_bytes(data)
    try:
        ImportCommand().run_from_argv(["manage.py", "import_self_assessment", str(path), "--actor", actor])
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_export_writes_the_schools_workbook(sheet, tmp_path, capsys):
    data = export(tmp_path)

    assert data[:2] == b"PK"
    assert "Đã xuất bản tự chấm điểm của Trường Chính trị tỉnh Bạc Liêu (K 2020)" in capsys.readouterr().out


def test_export_of_an_unknown_campaign_or_school_fails_with_a_message(sheet, tmp_path):
    with pytest.raises(CommandError, match=r"Không có đợt thi đua của cụm K năm 2019\."):
        call_command("export_self_assessment", cluster="K", year=2019, school="B", output=str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match=r"Không có đơn vị mã ZZ\."):
        call_command("export_self_assessment", cluster="K", year=2020, school="ZZ", output=str(tmp_path / "x.xlsx"))


def test_import_saves_the_filled_values_as_the_actor(sheet, tmp_path, capsys):
    data = fill(export(tmp_path), {"I.4": 1.25, "I.1": "Tốt"})

    status, out, err = run_import(tmp_path, data, "bob", capsys)

    assert (status, err) == (0, "")
    assert "Đã nhập 2 tiêu chí vào bản tự chấm điểm của Trường Chính trị tỉnh Bạc Liêu" in out
    assert sheet.entry("I.4").points == Decimal("1.25")
    assert sheet.entry("I.4").updated_by == sheet.world.bob


def test_a_bad_file_exits_non_zero_listing_every_problem_and_imports_nothing(sheet, tmp_path, capsys):
    data = fill(export(tmp_path), {"I.4": 1.6, "II.2": "nhiều", "I.2": "Đạt"})

    status, _out, err = run_import(tmp_path, data, "bob", capsys)

    assert status == 1
    assert "Không nhập được tệp: 2 lỗi, chưa có gì được lưu." in err
    assert f"Sheet Tự chấm điểm, dòng {row_of(data, 'I.4')}, cột F: I.4: Điểm 1,6 không đúng bước 0,25" in err
    assert f"Sheet Tự chấm điểm, dòng {row_of(data, 'II.2')}, cột F: II.2: “nhiều” không phải là số." in err
    assert sheet.entry("I.2").passed is None


def test_a_locked_assessment_exits_non_zero(sheet, tmp_path, capsys):
    data = fill(export(tmp_path), {"I.4": 1})
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    status, _out, err = run_import(tmp_path, data, "bob", capsys)

    assert status == 1
    assert "Bản tự chấm điểm của Trường Chính trị tỉnh Bạc Liêu đã được gửi nên không sửa được nữa." in err
    assert sheet.entry("I.4").points is None


def test_an_actor_who_may_not_edit_exits_non_zero(sheet, tmp_path, capsys):
    data = fill(export(tmp_path), {"I.4": 1})

    status, _out, err = run_import(tmp_path, data, "alice", capsys)

    assert status == 1
    assert "Bạn không có quyền sửa bản tự chấm điểm của Trường Chính trị tỉnh Bạc Liêu." in err
    assert sheet.entry("I.4").points is None


def test_an_unknown_actor_or_a_file_that_is_not_a_workbook_exits_non_zero(sheet, tmp_path, capsys):
    data = export(tmp_path)

    assert run_import(tmp_path, data, "nobody", capsys)[0] == 1
    status, _out, err = run_import(tmp_path, b"not a workbook", "bob", capsys)
    assert status == 1
    assert "Tệp không phải là tệp Excel (.xlsx) hợp lệ." in err
