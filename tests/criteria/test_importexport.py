"""Import and export of frameworks: YAML in the reference format and the XLSX layout for
Excel. Round trips give the same framework; a bad file imports nothing and names every
problem's sheet, row and column (for YAML: its line and path)."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from thidua.core.audit import entries_for
from thidua.criteria import importexport, services
from thidua.criteria.builtin import REFERENCE_PATH, reference_document
from thidua.criteria.importexport import ImportProblem, ImportProblems, export_xlsx, export_yaml, import_file
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def reference() -> Framework:
    return import_file(actor=None, data=REFERENCE_PATH.read_bytes(), filename=REFERENCE_PATH.name)


def workbook_of(framework: Framework):
    return load_workbook(io.BytesIO(export_xlsx(framework)))


def saved(book) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def problems_of(data: bytes, filename: str) -> list[str]:
    """The problems of importing the file, as the user reads them; asserts nothing was saved."""
    count = Framework.objects.count()
    with pytest.raises(ImportProblems) as refused:
        import_file(actor=None, data=data, filename=filename)
    assert Framework.objects.count() == count
    return [str(problem) for problem in refused.value.problems]


# --- round trips --------------------------------------------------------------------------


def test_the_reference_file_imports_as_a_draft_that_exports_the_same_document(reference):
    document = importexport.canonical_document(Framework.objects.get(pk=reference.pk))

    assert document == reference_document()
    assert reference.status == FrameworkStatus.DRAFT
    assert CriterionNode.objects.filter(framework=reference).count() == 44


def test_a_yaml_export_imports_back_to_the_identical_framework(reference):
    exported = export_yaml(reference)

    again = import_file(actor=None, data=exported, filename="bang.yaml")

    assert importexport.canonical_document(again) == reference_document()
    assert export_yaml(again) == exported


def test_an_xlsx_export_imports_back_to_the_identical_framework(reference):
    again = import_file(actor=None, data=export_xlsx(reference), filename="bang.xlsx")

    assert importexport.canonical_document(again) == reference_document()
    assert export_yaml(again) == export_yaml(reference)


def test_the_yaml_export_is_the_reference_format_with_a_heading_comment(reference):
    text = export_yaml(reference).decode()

    assert text.splitlines()[:5] == [
        "# Bảng tiêu chí chấm điểm thi đua Cụm các trường chính trị (mẫu tham khảo) (phiên bản 1) — Bản nháp",
        "framework:",
        "  name: Bảng tiêu chí chấm điểm thi đua Cụm các trường chính trị (mẫu tham khảo)",
        "  total: 100",
        "  bonus_cap: 10",
    ]
    assert yaml.safe_load(text) == reference_document()


def test_multi_line_guidance_is_exported_as_a_literal_block_and_survives_both_formats(reference):
    leaf = CriterionNode.objects.get(framework=reference, code="I.4")
    leaf.guidance = "Chấm theo biên bản:\n- có kế hoạch: 1 điểm\n- có tổng kết: 1 điểm\n"
    leaf.save()

    text = export_yaml(reference).decode()
    from_yaml = import_file(actor=None, data=text.encode(), filename="g.yaml")
    from_xlsx = import_file(actor=None, data=export_xlsx(reference), filename="g.xlsx")

    assert "    guidance: |\n      Chấm theo biên bản:\n      - có kế hoạch: 1 điểm\n" in text
    assert CriterionNode.objects.get(framework=from_yaml, code="I.4").guidance == leaf.guidance
    assert CriterionNode.objects.get(framework=from_xlsx, code="I.4").guidance == leaf.guidance


def test_the_xlsx_has_a_sheet_per_part_each_with_vietnamese_labels_over_machine_keys(reference):
    book = workbook_of(reference)
    rows = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}

    assert book.sheetnames == ["Khung", "Tieu chi", "Diem thuong", "Diem tru", "Dieu kien", "Huong dan"]
    assert rows["Khung"] == [
        ("Thông tin", "Giá trị", "Khóa"),
        ("label", "value", "key"),
        ("Tên bảng tiêu chí", "Bảng tiêu chí chấm điểm thi đua Cụm các trường chính trị (mẫu tham khảo)", "name"),
        ("Tổng điểm", 100, "total"),
        ("Điểm thưởng tối đa", 10, "bonus_cap"),
        ("Điểm trừ tối đa", 10, "penalty_cap"),
    ]
    assert rows["Tieu chi"][1] == (
        "code", "parent", "kind", "title", "max", "rule", "formula", "direction", "step", "points_each",
        "levels", "tiers", "target_registered", "per_capita", "cap_ratio", "source", "guidance", "evidence", "extra",
    )  # fmt: skip
    assert rows["Tieu chi"][0][:5] == ("Mã", "Mã nhóm cha", "Loại (nhóm/tiêu chí)", "Nội dung", "Điểm tối đa")
    assert rows["Tieu chi"][2][:6] == ("I", None, "group", "Lãnh đạo, quản lý; thể chế và quy chế", 10, None)
    assert rows["Tieu chi"][3][:11] == (
        "I.1", "I", "leaf", "Xây dựng và thực hiện kế hoạch công tác năm, quy chế làm việc", 3, "levels",
        None, None, None, None, "Tốt=3; Khá=2; Đạt=1; Chưa đạt=0",
    )  # fmt: skip
    ii4 = next(row for row in rows["Tieu chi"] if row[0] == "II.4")
    assert (ii4[6], ii4[11]) == ("thresholds", "80:4; 60:3; 40:2; 0:1")
    ii6 = next(row for row in rows["Tieu chi"] if row[0] == "II.6")
    assert (ii6[12], ii6[13], ii6[14]) == ("có", "lecturers", "1.0")
    assert rows["Diem thuong"][2] == (
        "B.1", "Được khen thưởng đột xuất, chuyên đề từ cấp tỉnh trở lên (2 điểm/lần)", None, None, None, 2, 4,
        None, None, None,
    )  # fmt: skip
    assert rows["Dieu kien"][2][:3] == (
        "C.1",
        "Không có cán bộ, viên chức bị kỷ luật từ khiển trách trở lên",
        "Cờ thi đua; Bằng khen",
    )
    assert len(rows["Tieu chi"]) == 2 + 7 + 30


def test_a_text_beginning_with_an_equals_sign_is_exported_as_text_not_a_formula(reference):
    CriterionNode.objects.filter(framework=reference, code="I.2").update(title='=HYPERLINK("http://x")')

    cell = workbook_of(reference)["Tieu chi"]["D5"]

    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_an_officer_may_write_vietnamese_names_commas_and_leave_the_kind_blank(reference):
    book = workbook_of(reference)
    sheet = book["Tieu chi"]
    sheet["C3"] = None  # group I: a top-level row is a group
    sheet["C4"] = None  # I.1: a row under a group is a criterion
    sheet["F5"] = "Định tính"  # I.2
    sheet["F7"] = "Chấm trực tiếp"  # I.4
    sheet["I7"] = "0,25"
    sheet["K4"] = "Tốt=3\nKhá=2,5\nĐạt=1\nChưa đạt=0"

    framework = import_file(actor=None, data=saved(book), filename="sua.xlsx")

    document = importexport.canonical_document(framework)
    leaves = document["groups"][0]["leaves"]
    assert leaves[0]["levels"] == {"Tốt": 3, "Khá": 2.5, "Đạt": 1, "Chưa đạt": 0}
    assert leaves[1]["rule"] == "pass_fail"
    assert (leaves[3]["rule"], leaves[3]["step"]) == ("manual", 0.25)
    assert document["groups"][0]["code"] == "I"


def test_the_rows_of_a_group_may_come_after_its_criteria_and_keep_the_row_order():
    book = Workbook()
    meta = book.active
    meta.title = "Khung"
    for row in (("key", "value"), ("name", "Bảng nhỏ"), ("total", 5)):
        meta.append(row)
    nodes = book.create_sheet("Tieu chi")
    nodes.append(("code", "parent", "title", "max", "rule", "step"))
    nodes.append(("A.2", "A", "Thứ hai", 2, "pass_fail", None))
    nodes.append(("A.1", "A", "Thứ nhất", 3, "manual", 0.5))
    nodes.append(("A", None, "Nhóm A", 5, None, None))

    framework = import_file(actor=None, data=saved(book), filename="nho.xlsx")

    assert importexport.canonical_document(framework) == {
        "framework": {"name": "Bảng nhỏ", "total": 5},
        "groups": [
            {
                "code": "A",
                "title": "Nhóm A",
                "max": 5,
                "leaves": [
                    {"code": "A.2", "title": "Thứ hai", "max": 2, "rule": "pass_fail"},
                    {"code": "A.1", "title": "Thứ nhất", "max": 3, "rule": "manual", "step": 0.5},
                ],
            }
        ],
    }


def test_an_import_is_audited_with_its_file_name_and_takes_the_cluster_and_year(world):
    framework = import_file(
        actor=world.alice, data=REFERENCE_PATH.read_bytes(), filename="bang-2020.yaml", cluster=world.cluster, year=2020
    )

    entry = entries_for(framework).get()
    assert (entry.action, entry.actor, entry.data) == ("framework.import", world.alice, {"source": "bang-2020.yaml"})
    assert (framework.cluster, framework.year, framework.is_template) == (world.cluster, 2020, False)


# --- bad files ----------------------------------------------------------------------------


def test_text_where_a_number_belongs_is_named_by_sheet_row_and_column(reference):
    book = workbook_of(reference)
    book["Tieu chi"]["E7"] = "mười"

    assert problems_of(saved(book), "sai.xlsx") == ["Sheet Tieu chi, dòng 7, cột E (max): “mười” không phải là số."]


def test_wrong_columns_are_listed_unknown_and_missing(reference):
    book = workbook_of(reference)
    book["Tieu chi"]["E2"] = "diem"
    book["Diem thuong"]["C2"] = "cach cham"

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Tieu chi, dòng 2: thiếu cột “max”.",
        "Sheet Tieu chi, dòng 2, cột E: cột “diem” không có trong mẫu; các cột được dùng: code, parent, kind, "
        "title, max, rule, formula, direction, step, points_each, levels, tiers, target_registered, per_capita, "
        "cap_ratio, source, guidance, evidence, extra.",
        "Sheet Diem thuong, dòng 2, cột C: cột “cach cham” không có trong mẫu; các cột được dùng: code, title, "
        "rule, levels, step, points_each, cap, source, guidance, extra.",
    ]


def test_a_sheet_without_its_machine_header_row_is_refused(reference):
    book = workbook_of(reference)
    book["Tieu chi"].delete_rows(2)

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Tieu chi: không tìm thấy dòng tên cột máy đọc (code, parent, kind, title, max, rule, formula, "
        "direction, step, points_each, levels, tiers, target_registered, per_capita, cap_ratio, source, guidance, "
        "evidence, extra)."
    ]


def test_a_missing_sheet_is_named(reference):
    book = workbook_of(reference)
    del book["Khung"]

    assert problems_of(saved(book), "sai.xlsx") == ["Sheet Khung: không có sheet này trong tệp."]


def test_duplicate_codes_are_named_with_the_row_of_their_first_use(reference):
    book = workbook_of(reference)
    book["Tieu chi"]["A9"] = "I.1"
    book["Dieu kien"]["A3"] = "B.1"

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Tieu chi, dòng 9, cột A (code): mã “I.1” đã dùng ở dòng 4.",
        "Sheet Dieu kien, dòng 3, cột A (code): mã “B.1” đã dùng ở mục khác.",
    ]


def test_an_unknown_rule_is_refused_with_the_rules_to_choose_from(reference):
    book = workbook_of(reference)
    book["Tieu chi"]["F5"] = "bầu chọn"

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Tieu chi, dòng 5, cột F (rule): giá trị 'bầu chọn' không hợp lệ; chọn một trong: manual, pass_fail, "
        "levels, count, quantitative."
    ]


def test_a_parent_code_that_does_not_exist_and_a_criterion_outside_any_group_are_refused(reference):
    book = workbook_of(reference)
    book["Tieu chi"]["B4"] = "IX"
    book["Tieu chi"]["B5"] = None
    book["Tieu chi"]["B6"] = "I.1"

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Tieu chi, dòng 4, cột B (parent): không có nhóm mã “IX” trong sheet.",
        "Sheet Tieu chi, dòng 5, cột B (parent): tiêu chí phải nằm trong một nhóm: ghi mã nhóm cha vào đây.",
        "Sheet Tieu chi, dòng 6, cột B (parent): “I.1” là tiêu chí, không phải nhóm, nên không chứa mục con.",
    ]


def test_every_problem_of_a_file_is_listed_at_once_in_reading_order(reference):
    book = workbook_of(reference)
    book["Khung"]["B4"] = "một trăm"
    book["Tieu chi"]["F3"] = "manual"  # a group has no rule
    book["Tieu chi"]["K4"] = "Tốt=3; Khá"
    book["Tieu chi"]["M6"] = "có lẽ"
    book["Tieu chi"]["D8"] = "x" * 501
    book["Tieu chi"]["S9"] = "{note"
    book["Diem thuong"]["G3"] = "4 điểm"

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Khung, dòng 4, cột B (value): “một trăm” không phải là số.",
        "Sheet Tieu chi, dòng 3, cột F (rule): nhóm I không dùng cột này; để trống (chỉ tiêu chí mới có cách chấm).",
        "Sheet Tieu chi, dòng 4, cột K (levels): “Khá” không đúng dạng “Tên mức=điểm; …”.",
        "Sheet Tieu chi, dòng 6, cột M (target_registered): “có lẽ” không phải là có/không.",
        "Sheet Tieu chi, dòng 8, cột D (title): dài 501 ký tự, tối đa 500.",
        "Sheet Tieu chi, dòng 9, cột S (extra): không phải JSON hợp lệ (Expecting property name enclosed in "
        "double quotes).",
        "Sheet Diem thuong, dòng 3, cột G (cap): “4 điểm” không phải là số.",
    ]


def test_a_required_value_left_empty_is_named_at_its_cell(reference):
    book = workbook_of(reference)
    book["Tieu chi"]["E4"] = None
    book["Tieu chi"]["F5"] = None

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Tieu chi, dòng 4, cột E (max): bắt buộc phải có (một số).",
        "Sheet Tieu chi, dòng 5, cột F (rule): bắt buộc phải có (một chuỗi).",
    ]


def test_bytes_that_are_not_an_xlsx_are_refused():
    assert problems_of(b"\x00\x01\x02 not a workbook", "bang.xlsx") == [
        "Tệp “bang.xlsx” không phải là tệp Excel (.xlsx) hay YAML hợp lệ."
    ]
    assert problems_of(b"PK\x03\x04 a broken zip", "bang.xlsx") == ["Tệp không phải là tệp Excel (.xlsx) hợp lệ."]
    assert problems_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "bang.xls") == [
        "Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy mở và lưu lại thành .xlsx."
    ]
    assert problems_of(b"", "bang.yaml") == ["Tệp trống."]


def test_a_yaml_that_does_not_parse_is_refused_with_its_line():
    data = b"framework:\n  name: Thu\n  total: [100\ngroups: []\n"

    assert problems_of(data, "bang.yaml") == ["Dòng 4: YAML không đọc được (cột 7): expected ',' or ']', but got ':'."]


def test_a_billion_laughs_yaml_is_refused_before_its_aliases_are_expanded():
    lines = ['a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    data = ("\n".join(lines) + "\n").encode()
    started = time.monotonic()

    problems = problems_of(data, "bang.yaml")

    assert problems == ["Dòng 2: YAML không được dùng bí danh (*tên): hãy viết giá trị đầy đủ."]
    assert time.monotonic() - started < 1


def test_a_yaml_export_never_writes_aliases_even_for_repeated_values(reference):
    assert b"&id" not in export_yaml(reference)
    assert b"*id" not in export_yaml(reference)


def test_a_yaml_that_is_not_a_framework_is_refused():
    assert problems_of("Xin chào".encode(), "bang.yaml") == [
        "Dòng 1: cần một đối tượng (các cặp khóa: giá trị, khóa là chuỗi)."
    ]
    assert problems_of(b"name: Tr\xe2\xf4ng\n", "bang.yaml") == [  # Windows-1252, not UTF-8
        "Tệp không phải là YAML (UTF-8) hay Excel (.xlsx)."
    ]


def test_the_engine_s_problems_in_a_yaml_are_named_by_line_and_path():
    text = REFERENCE_PATH.read_text(encoding="utf-8")
    text = text.replace("max: 2, rule: pass_fail}", "max: hai, rule: pass_fai}", 1)
    text = text.replace("code: I.4,", "code: I.1,")

    assert problems_of(text.encode(), "bang.yaml") == [
        "Dòng 16, groups[0].leaves[1].max: không phải là số (viết dạng 12 hoặc 12.5): 'hai'.",
        "Dòng 16, groups[0].leaves[1].rule: giá trị 'pass_fai' không hợp lệ; chọn một trong: manual, pass_fail, "
        "levels, count, quantitative.",
    ]


def test_a_code_used_twice_in_a_yaml_is_named_by_line():
    text = REFERENCE_PATH.read_text(encoding="utf-8").replace("code: I.4,", "code: I.1,")

    assert problems_of(text.encode(), "bang.yaml") == [
        "Dòng 18, groups[0].leaves[3].code: mã “I.1” đã dùng ở mục trước; mỗi mã phải là duy nhất."
    ]


def test_an_import_problem_reads_as_a_sentence_and_as_json():
    problem = ImportProblem("Tieu chi", 7, "E (max)", "“mười” không phải là số.")

    assert str(problem) == "Sheet Tieu chi, dòng 7, cột E (max): “mười” không phải là số."
    assert problem.as_dict() == {
        "sheet": "Tieu chi",
        "row": 7,
        "column": "E (max)",
        "message": "“mười” không phải là số.",
    }
    assert ImportProblems([problem]).messages == [
        "Không nhập được tệp: 1 lỗi, chưa có gì được lưu.",
        "Sheet Tieu chi, dòng 7, cột E (max): “mười” không phải là số.",
    ]


def test_an_oversized_file_is_refused_before_it_is_read():
    data = b"#" * (importexport.MAX_IMPORT_BYTES + 1)

    assert problems_of(data, "bang.yaml") == ["Tệp lớn hơn 5 MB."]


def test_cells_are_read_as_an_officer_types_them():
    number = importexport.Column("max", "", "number")

    assert importexport.read_cell(number, "2,5") == Decimal("2.5")
    assert importexport.read_cell(number, 0.1) == Decimal("0.1")
    assert importexport.read_cell(importexport.Column("tiers", "", "tiers"), "80:4; 62,5:3") == [
        [Decimal(80), Decimal(4)],
        [Decimal("62.5"), Decimal(3)],
    ]
    assert importexport.read_cell(importexport.Column("blocks", "", "list"), "Cờ thi đua;\nBằng khen") == [
        "Cờ thi đua",
        "Bằng khen",
    ]
    assert importexport.read_cell(importexport.Column("code", "", "ident"), 1.0) == "1"


def test_groups_that_contain_each_other_and_an_unknown_kind_are_refused(reference):
    book = workbook_of(reference)
    sheet = book["Tieu chi"]
    sheet["B3"] = "II"  # group I under group II …
    sheet["B8"] = "I"  # … and group II under group I
    sheet["C4"] = "mục"

    assert problems_of(saved(book), "sai.xlsx") == [
        "Sheet Tieu chi, dòng 3, cột B (parent): các nhóm cha chứa lẫn nhau thành vòng lặp.",
        "Sheet Tieu chi, dòng 4, cột C (kind): “mục” không phải group hay leaf.",
        "Sheet Tieu chi, dòng 8, cột B (parent): các nhóm cha chứa lẫn nhau thành vòng lặp.",
    ]


def test_a_draft_still_under_construction_is_exported_as_stored():
    draft = services.create_framework(actor=None, name="Đang soạn", total=Decimal(10))
    group = services.add_node(actor=None, framework=draft, kind="group", code="I", title="Nhóm I", max_points=10)
    services.add_node(actor=None, framework=draft, kind="leaf", code="I.1", title="Chưa chọn cách chấm", parent=group)

    as_yaml = yaml.safe_load(export_yaml(draft))
    rows = list(load_workbook(io.BytesIO(export_xlsx(draft)))["Tieu chi"].iter_rows(min_row=3, values_only=True))

    assert as_yaml == {
        "framework": {"name": "Đang soạn", "total": 10},
        "groups": [
            {"code": "I", "title": "Nhóm I", "max": 10, "leaves": [{"code": "I.1", "title": "Chưa chọn cách chấm"}]}
        ],
    }
    assert [row[:6] for row in rows] == [
        ("I", None, "group", "Nhóm I", 10, None),
        ("I.1", "I", "leaf", "Chưa chọn cách chấm", None, None),
    ]
