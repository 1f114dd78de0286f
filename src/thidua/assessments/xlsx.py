"""The offline round trip of a self-assessment: download it as XLSX, fill it without the
product, upload it back.

The workbook has the sheet “Tự chấm điểm” (one row per criterion, bonus and penalty item and
condition, with its group rows for reading), a “Hướng dẫn” sheet in Vietnamese, and a hidden
sheet naming the campaign and the school. Only two columns are editable — “Giá trị tự chấm”
and “Giải thích”; the sheet is protected (without a password: it guards against slips, not
people) and the version each row was downloaded at sits in a hidden column.

Uploading reads every row first and goes through the same checks as the page
(``inputs.read_value``/``check_value``, then ``services.save_entry``: lock, permission,
phase and deadline). A bad cell imports nothing: every problem is named with its sheet, row
and column. A row changed on the site after the download, and changed in the file too, is a
conflict (nothing is overwritten); an unchanged row is skipped, so uploading the same file
twice is harmless.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.assessments import queries, services
from thidua.assessments.inputs import (
    MAX_EXPLANATION,
    cell_value,
    check_value,
    display_value,
    how_to_enter,
    read_value,
    stored_value,
)
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.core import audit
from thidua.core.text import search_key
from thidua.criteria.entries import EntryRule
from thidua.criteria.importexport import ImportProblem, ImportProblems
from thidua.criteria.models import NodeKind
from thidua.criteria.templatetags.criteria_tags import rule_label

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 3000
SHEET = "Tự chấm điểm"
GUIDE_SHEET = "Hướng dẫn"
META_SHEET = "_thong_tin"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


def columns() -> tuple[Column, ...]:
    return (
        Column("code", _("Mã"), 9),
        Column("title", _("Nội dung"), 55),
        Column("rule", _("Cách chấm"), 22),
        Column("max", _("Điểm tối đa"), 10),
        Column("how", _("Cách nhập"), 34),
        Column("value", _("Giá trị tự chấm"), 18),
        Column("target", _("Chỉ tiêu đăng ký"), 14),
        Column("explanation", _("Giải thích"), 50),
        Column("version", _("Phiên bản (không sửa)"), 8),
    )


def _letter(key: str) -> str:
    keys = [column.key for column in columns()]
    return get_column_letter(keys.index(key) + 1)


def filename_for(assessment: SelfAssessment, extension: str = "xlsx") -> str:
    cy = assessment.campaign.cluster_year
    return f"tu-cham-diem-{cy.cluster.code}-{cy.year}-{assessment.organization.short_code}.{extension}".lower()


# --- export -------------------------------------------------------------------------------


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def export_xlsx(assessment: SelfAssessment) -> bytes:
    """The school's self-assessment as a workbook to fill offline."""
    sheet_data = queries.load_sheet(assessment)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    cols = columns()
    for index, column in enumerate(cols, start=1):
        cell = sheet.cell(1, index, column.label)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    validations: dict[str, DataValidation] = {}
    row_number = 1

    def add(values: dict[str, Any], *, editable: bool = False, heading: bool = False) -> int:
        nonlocal row_number
        row_number += 1
        for index, column in enumerate(cols, start=1):
            value = values.get(column.key)
            cell = sheet.cell(row_number, index)
            if value is not None:
                cell.value = _text(value) if isinstance(value, str) else value
                if isinstance(value, str):
                    cell.data_type = "s"  # a text beginning with "=" stays text, never a formula
            cell.alignment = WRAP
            if heading:
                cell.font, cell.fill = HEADER_FONT, GROUP_FILL
            if editable and column.key in ("value", "explanation"):
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
        return row_number

    for group in sheet_data.all_groups():
        add({"code": group.node.code, "title": group.node.title, "max": _number(group.node.max_points)}, heading=True)
        for child in group.children:
            if child.is_entry:
                _entry_row(add, child, validations)  # type: ignore[arg-type]
    for title, rows in (
        (_("ĐIỂM THƯỞNG"), sheet_data.bonus),
        (_("ĐIỂM TRỪ"), sheet_data.penalty),
        (_("ĐIỀU KIỆN XÉT DANH HIỆU"), sheet_data.conditions),
    ):
        if rows:
            add({"title": title}, heading=True)
            for entry_row in rows:
                _entry_row(add, entry_row, validations)
    for validation in validations.values():
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions[_letter("version")].hidden = True
    _protect(sheet)
    _guide(book.create_sheet(GUIDE_SHEET), assessment)
    _meta(book.create_sheet(META_SHEET), assessment)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    number = value.normalize()
    return int(number) if number == number.to_integral_value() else float(number)


def _entry_row(add: Any, row: queries.EntryRow, validations: dict[str, DataValidation]) -> None:
    rule = row.rule
    if rule is None:
        return
    node = row.node
    label = rule_label(node) if node.kind == NodeKind.LEAF else str(NodeKind(node.kind).label)
    top = rule.max_points if rule.is_leaf else getattr(rule.item, "cap", None)
    target: Any = None
    if rule.uses_target:
        target = _number(row.target) if row.target is not None else _("chưa đăng ký")
    number = add(
        {
            "code": node.code,
            "title": node.title,
            "rule": label,
            "max": _number(top),
            "how": how_to_enter(rule),
            "value": cell_value(rule, row.value),
            "target": target,
            "explanation": row.entry.explanation or None,
            "version": row.entry.version,
        },
        editable=True,
    )
    _validate(validations, rule, f"{_letter('value')}{number}")


def _validate(validations: dict[str, DataValidation], rule: EntryRule, where: str) -> None:
    """Excel's own drop-down lists and number checks (the upload checks everything again)."""
    if rule.field == "passed":
        key, make = "yes-no", lambda: _list_validation([_("Đạt"), _("Không đạt")])
    elif rule.field == "level":
        names = rule.level_names
        if any('"' in name or "," in name for name in names) or len(",".join(names)) > 250:
            return
        key, make = "levels:" + "|".join(names), lambda: _list_validation(names)
    elif rule.field == "count":
        key, make = "count", lambda: _number_validation("whole", _("Số lần phải là số nguyên từ 0 trở lên."))
    else:
        return
    if key not in validations:
        validations[key] = make()
    validations[key].add(where)


def _list_validation(choices: list[str]) -> DataValidation:
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    validation.error = _("Hãy chọn một giá trị trong danh sách.")
    validation.errorTitle = _("Giá trị không hợp lệ")
    validation.showErrorMessage = True
    return validation


def _number_validation(kind: str, message: str) -> DataValidation:
    validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    validation.error = message
    validation.errorTitle = _("Giá trị không hợp lệ")
    validation.showErrorMessage = True
    return validation


def _protect(sheet: Any) -> None:
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # False = allowed: widen columns, resize rows
    protection.formatRows = False
    protection.formatCells = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _guide(sheet: Any, assessment: SelfAssessment) -> None:
    cy = assessment.campaign.cluster_year
    lines = [
        _("HƯỚNG DẪN ĐIỀN BẢN TỰ CHẤM ĐIỂM"),
        "",
        _("Trường: %(school)s") % {"school": assessment.organization.name},
        _("Cụm thi đua: %(cluster)s — năm %(year)s") % {"cluster": cy.cluster.name, "year": cy.year},
        _("Tải về lúc: %(when)s") % {"when": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")},
        "",
        _("1. Chỉ điền hai cột có nền vàng ở sheet “Tự chấm điểm”: “Giá trị tự chấm” và “Giải thích”."),
        _("   Các cột khác được khóa; đừng thêm, xóa hay đổi thứ tự dòng, cột."),
        _("2. Cột “Cách nhập” nói cần nhập gì cho từng tiêu chí:"),
        _(
            "   — chấm trực tiếp: số điểm, đúng bước điểm (ví dụ 1,75 khi bước là 0,25); "
            "điểm sai bước không được làm tròn mà bị từ chối;"
        ),
        _("   — định tính và điều kiện: chọn “Đạt” hoặc “Không đạt”;"),
        _("   — theo mức: chọn đúng tên một mức trong danh sách;"),
        _("   — chấm thẳng: số lần, là số nguyên;"),
        _("   — định lượng: số liệu thực hiện; chỉ tiêu đăng ký chỉ để xem, không sửa ở đây."),
        _("3. Số thập phân dùng dấu phẩy (2,5); không dùng dấu phân cách hàng nghìn (viết 3000, không viết 3.000)."),
        _("4. Để trống ô “Giá trị tự chấm” nghĩa là xóa giá trị đã nhập của tiêu chí đó."),
        _("5. Tải tệp lên ở trang Tự chấm điểm của trường (nút “Nhập từ Excel”)."),
        _(
            "   Nếu có ô sai, hệ thống không nhập gì cả và liệt kê từng ô sai (sheet, dòng, cột) "
            "để sửa rồi tải lên lại."
        ),
        _(
            "   Dòng nào đã có người sửa trên hệ thống sau khi tải tệp về mà tệp cũng sửa khác đi "
            "sẽ bị báo trùng, không ghi đè."
        ),
        _("6. Minh chứng (tệp, đường dẫn) đính kèm trên trang web, không qua tệp Excel này."),
    ]
    for number, line in enumerate(lines, start=1):
        sheet.cell(number, 1, line)
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 120
    sheet.protection.sheet = True


def _meta(sheet: Any, assessment: SelfAssessment) -> None:
    cy = assessment.campaign.cluster_year
    rows = [
        ("campaign", assessment.campaign_id),
        ("cluster", cy.cluster.code),
        ("year", cy.year),
        ("school", assessment.organization.short_code),
        ("exported_at", timezone.now().isoformat()),
    ]
    for number, (key, value) in enumerate(rows, start=1):
        sheet.cell(number, 1, key)
        sheet.cell(number, 2, value)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    entry: AssessmentEntry
    rule: EntryRule
    version: int
    values: dict[str, Any]


@dataclass
class ImportResult:
    changed: list[str]
    unchanged: int


def _problem(row: int | None, column: str | None, message: str, sheet: str | None = SHEET) -> ImportProblem:
    return ImportProblem(sheet, row, column, message)


def _open(data: bytes) -> tuple[dict[str, list[tuple[Any, ...]]], list[ImportProblem]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises assorted errors (zip, XML, key) for a file that is not a workbook
        return {}, [_problem(None, None, _("Tệp không phải là tệp Excel (.xlsx) hợp lệ."), sheet=None)]
    try:
        by_key = {search_key(name): name for name in book.sheetnames}
        found: dict[str, list[tuple[Any, ...]]] = {}
        problems: list[ImportProblem] = []
        for wanted in (SHEET, META_SHEET):
            name = by_key.get(search_key(wanted))
            if name is None:
                problems.append(
                    _problem(
                        None,
                        None,
                        _("không có sheet này trong tệp. Hãy dùng tệp tải về từ trang Tự chấm điểm."),
                        sheet=wanted,
                    )
                )
                continue
            rows: list[tuple[Any, ...]] = []
            for values in book[name].iter_rows(values_only=True, max_col=20):
                if len(rows) > MAX_ROWS:
                    problems.append(_problem(None, None, _("quá %(n)s dòng.") % {"n": MAX_ROWS}, sheet=wanted))
                    break
                rows.append(tuple(values))
            found[wanted] = rows
        return found, problems
    finally:
        book.close()


def _check_meta(rows: list[tuple[Any, ...]], assessment: SelfAssessment) -> list[ImportProblem]:
    meta = {str(row[0]).strip(): row[1] for row in rows if len(row) >= 2 and row[0] is not None}
    school = str(meta.get("school") or "")
    same = (
        str(meta.get("campaign") or "") == str(assessment.campaign_id) and school == assessment.organization.short_code
    )
    if same:
        return []
    return [
        _problem(
            None,
            None,
            _(
                "Tệp này là bản tự chấm điểm của trường “%(file_school)s” (cụm %(cluster)s, năm %(year)s), "
                "không phải của %(school)s trong đợt thi đua này."
            )
            % {
                "file_school": school or "?",
                "cluster": meta.get("cluster") or "?",
                "year": meta.get("year") or "?",
                "school": assessment.organization.name,
            },
            sheet=META_SHEET,
        )
    ]


def assessment_of(data: bytes) -> SelfAssessment:
    """The self-assessment a downloaded file belongs to (its hidden sheet names it); raises
    ``ImportProblems`` when the file is not one of ours or names no existing one."""
    sheets, problems = _open(data)
    if problems or META_SHEET not in sheets:
        raise ImportProblems(problems)
    meta = {str(row[0]).strip(): row[1] for row in sheets[META_SHEET] if len(row) >= 2 and row[0] is not None}
    campaign_id = _code(meta.get("campaign"))
    found = (
        queries.assessments()
        .filter(
            campaign_id=int(campaign_id) if campaign_id.isdigit() else 0,
            organization__short_code=_code(meta.get("school")),
        )
        .first()
    )
    if found is None:
        raise ImportProblems(
            [_problem(None, None, _("Tệp không ứng với bản tự chấm điểm nào trên hệ thống."), sheet=META_SHEET)]
        )
    return found


def _headers(row: tuple[Any, ...]) -> dict[str, int]:
    """Column index by key, found from the header texts (so a moved column is still read)."""
    wanted = {search_key(column.label): column.key for column in columns()}
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = wanted.get(search_key(str(value or "")))
        if key is not None and key not in found:
            found[key] = index
    return found


def _code(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def read_changes(assessment: SelfAssessment, data: bytes) -> tuple[list[Change], int, list[ImportProblem]]:
    """Every changed row of the file, checked; the number of unchanged rows; the problems."""
    sheets, problems = _open(data)
    if SHEET not in sheets or META_SHEET not in sheets:
        return [], 0, problems
    problems += _check_meta(sheets[META_SHEET], assessment)
    rows = sheets[SHEET]
    header = _headers(rows[0]) if rows else {}
    missing = [
        column
        for column in columns()
        if column.key in ("code", "value", "explanation", "version") and column.key not in header
    ]
    for column in missing:
        problems.append(_problem(1, None, _("thiếu cột “%(label)s”.") % {"label": column.label}))
    if missing:
        return [], 0, problems
    sheet = queries.load_sheet(assessment)
    entries = {row.node.code: row for row in sheet.rows()}
    group_codes = {group.node.code for group in sheet.all_groups()}
    letters = {key: get_column_letter(index + 1) for key, index in header.items()}
    seen: dict[str, int] = {}
    changes: list[Change] = []
    unchanged = 0
    for number, values in enumerate(rows[1:], start=2):

        def cell(key: str, values: tuple[Any, ...] = values) -> Any:
            index = header[key]
            return values[index] if index < len(values) else None

        code = _code(cell("code"))
        raw_value, raw_text = cell("value"), cell("explanation")
        if not code:
            if not _empty(raw_value) or not _empty(raw_text):
                problems.append(_problem(number, letters["code"], _("dòng có giá trị nhưng không có mã tiêu chí.")))
            continue
        if code in group_codes:
            if not _empty(raw_value):
                problems.append(
                    _problem(
                        number, letters["value"], _("%(code)s là nhóm tiêu chí, không nhập giá trị.") % {"code": code}
                    )
                )
            continue
        found = entries.get(code)
        if found is None or found.rule is None:
            problems.append(
                _problem(
                    number,
                    letters["code"],
                    _("không có tiêu chí mã “%(code)s” trong bảng tiêu chí của đợt này.") % {"code": code},
                )
            )
            continue
        if code in seen:
            problems.append(
                _problem(
                    number,
                    letters["code"],
                    _("mã “%(code)s” đã có ở dòng %(row)s.") % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = number
        change, row_problems = _read_row(found, found.rule, number, letters, (raw_value, raw_text, cell("version")))
        problems += row_problems
        if change is None:
            if not row_problems:
                unchanged += 1
            continue
        changes.append(change)
    return changes, unchanged, problems


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_row(
    found: queries.EntryRow,
    rule: EntryRule,
    number: int,
    letters: dict[str, str],
    raw: tuple[Any, Any, Any],
) -> tuple[Change | None, list[ImportProblem]]:
    """One criterion's row: its change (None if unchanged or refused) and its problems."""
    raw_value, raw_text, raw_version = raw
    problems: list[ImportProblem] = []
    value: Any = None
    try:
        value = read_value(rule, raw_value)
        check_value(rule, value)
    except ValidationError as exc:
        problems.append(_problem(number, letters["value"], f"{found.node.code}: {exc.messages[0]}"))
    text = "" if _empty(raw_text) else str(raw_text).replace("\r\n", "\n").strip()
    if len(text) > MAX_EXPLANATION:
        problems.append(
            _problem(number, letters["explanation"], _("giải thích dài quá %(n)s ký tự.") % {"n": MAX_EXPLANATION})
        )
    try:
        version = int(str(raw_version).strip()) if not _empty(raw_version) else None
    except ValueError:
        version = None
    if version is None:
        problems.append(_problem(number, letters["version"], _("cột phiên bản bị xóa hoặc sửa; hãy tải tệp mới về.")))
    if problems or version is None:
        return None, problems
    entry = found.entry
    values = {rule.field: stored_value(rule, value), "explanation": text}
    if all(getattr(entry, name) == new for name, new in values.items()):
        return None, []
    if version != entry.version:
        who = entry.updated_by.get_full_name() if entry.updated_by else _("hệ thống")
        when = date_format(timezone.localtime(entry.updated_at), "SHORT_DATETIME_FORMAT")
        current = display_value(rule, getattr(entry, rule.field)) or _("(để trống)")
        problems.append(
            _problem(
                number,
                letters["value"],
                _(
                    "%(code)s đã được sửa trên hệ thống sau khi tải tệp về (%(who)s, lúc %(when)s; giá trị hiện tại: "
                    "%(value)s). Không ghi đè: hãy tải tệp mới về hoặc sửa trên trang."
                )
                % {"code": found.node.code, "who": who, "when": when, "value": current},
            )
        )
        return None, problems
    return Change(entry, rule, version, values), []


def import_xlsx(*, actor: Any, assessment: SelfAssessment, data: bytes) -> ImportResult:
    """Import a filled workbook; raises ``ImportProblems`` (nothing saved) on any problem."""
    changes, unchanged, problems = read_changes(assessment, data)
    try:
        services.check_can_edit(actor, assessment)
    except (ValidationError, PermissionDenied) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        problems.insert(0, ImportProblem(None, None, None, message))
    if problems:
        raise ImportProblems(problems)
    saved: list[str] = []
    try:
        with transaction.atomic():
            for change in changes:
                services.save_entry(actor=actor, entry=change.entry, expected_version=change.version, **change.values)
                saved.append(change.entry.node.code)
            if saved:
                audit.record(
                    actor=actor,
                    action="assessment.import",
                    obj=assessment,
                    data={"changed": saved, "unchanged": unchanged},
                )
    except (ValidationError, PermissionDenied) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        raise ImportProblems([ImportProblem(None, None, None, message)]) from exc
    return ImportResult(saved, unchanged)
