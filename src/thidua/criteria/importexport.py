"""Import and export of criteria frameworks (nhập / xuất bảng tiêu chí).

Two formats, both described for users in ``docs/criteria-formats.md``:

- **YAML** in the reference format (the built-in template's): exported canonically, so export
  → import → export gives the same document;
- **XLSX** for emulation officers who edit in Excel: a sheet "Khung" (name, total, caps), a
  sheet "Tieu chi" (one row per group or criterion, its parent's code in a column), sheets
  "Diem thuong", "Diem tru", "Dieu kien". Each sheet has a row of Vietnamese labels and,
  under it, the machine-readable header row of reference-format keys that the import reads.

An import builds a reference document, has the engine read it, and saves through
``services.create_from_document`` (audited). A bad file saves nothing and raises
``ImportProblems`` listing every problem with its sheet, row and column (for YAML: its line
and path in the document).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.core.text import search_key
from thidua.criteria import services
from thidua.criteria.convert import framework_document
from thidua.criteria.models import Framework
from thidua.organizations.models import Cluster
from thidua.scoring.engine.errors import FormatError, Problem
from thidua.scoring.engine.reference_format import framework_from_reference, framework_to_reference

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # per sheet: a framework has at most a few hundred rows
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YAML_MEDIA_TYPE = "application/yaml"


# --- problems -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an imported file: where (sheet, row, column — for YAML the line and the
    path in the document) and what, in Vietnamese."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = [f"Sheet {self.sheet}"] if self.sheet else []
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}" if self.sheet else self.column)
        where = ", ".join(parts)
        return f"{where[:1].upper()}{where[1:]}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


class ImportProblems(ValidationError):  # noqa: N818 -- named for what it carries, as the API documents it
    """The file was refused; ``problems`` lists every reason. Nothing was saved."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = list(problems)
        heading = _("Không nhập được tệp: %(n)s lỗi, chưa có gì được lưu.") % {"n": len(self.problems)}
        super().__init__([heading, *(str(p) for p in self.problems)], code="invalid")


# --- export -------------------------------------------------------------------------------


def canonical_document(framework: Framework) -> dict[str, Any]:
    """The framework as a canonical reference document; a draft the engine cannot read yet
    (a criterion without a rule, say) is exported as stored, so that work is never lost."""
    document = framework_document(framework)
    try:
        return framework_to_reference(framework_from_reference(document))
    except FormatError:
        return document


class _Dumper(yaml.SafeDumper):
    """Multi-line texts (guidance) as literal blocks, everything else as PyYAML writes it."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not value.endswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def export_yaml(framework: Framework) -> bytes:
    """The framework as YAML in the reference format (canonical, UTF-8)."""
    header = f"# {framework} — {framework.get_status_display()}\n"
    body = yaml.dump(canonical_document(framework), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return (header + body).encode("utf-8")


def filename_for(framework: Framework, extension: str) -> str:
    """An ASCII file name for a download: "bang-tieu-chi-12-phien-ban-2.xlsx"."""
    return f"bang-tieu-chi-{framework.pk}-phien-ban-{framework.edition}.{extension}"


# --- the XLSX layout ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the machine-readable header (a reference-format key)
    label: str  # the Vietnamese header above it
    kind: str  # how a cell is read: text, ident, choice, number, levels, tiers, bool, list, extra
    width: int = 12
    required: bool = False


@dataclass(frozen=True)
class SheetLayout:
    name: str
    columns: tuple[Column, ...]
    section: str  # framework | nodes | bonus | penalty | conditions

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


EXTRA = Column("extra", "Khóa khác (JSON)", "extra", 20)
FRAMEWORK_SHEET = SheetLayout(
    "Khung",
    (
        Column("label", "Thông tin", "text", 28),
        Column("value", "Giá trị", "text", 70, required=True),
        Column("key", "Khóa", "ident", 14, required=True),
    ),
    "framework",
)
NODE_SHEET = SheetLayout(
    "Tieu chi",
    (
        Column("code", "Mã", "ident", 9, required=True),
        Column("parent", "Mã nhóm cha", "ident", 9, required=True),
        Column("kind", "Loại (nhóm/tiêu chí)", "choice", 9),
        Column("title", "Nội dung", "text", 60, required=True),
        Column("max", "Điểm tối đa", "number", 9, required=True),
        Column("rule", "Cách chấm", "choice", 13, required=True),
        Column("formula", "Công thức", "choice", 17),
        Column("direction", "Chiều", "choice", 9),
        Column("step", "Bước chấm", "number", 8),
        Column("points_each", "Điểm mỗi lần", "number", 9),
        Column("levels", "Các mức (Tên=điểm; …)", "levels", 32),
        Column("tiers", "Các ngưỡng (ngưỡng:điểm; …)", "tiers", 22),
        Column("target_registered", "Có chỉ tiêu đăng ký", "bool", 10),
        Column("per_capita", "Bình quân theo", "ident", 12),
        Column("cap_ratio", "Tỷ lệ trần", "number", 8),
        Column("source", "Nguồn dữ liệu", "ident", 18),
        Column("guidance", "Hướng dẫn chấm", "text", 40),
        Column("evidence", "Minh chứng cần có", "text", 40),
        EXTRA,
    ),
    "nodes",
)
_ITEM_COLUMNS = (
    Column("code", "Mã", "ident", 9, required=True),
    Column("title", "Nội dung", "text", 60, required=True),
    Column("rule", "Cách chấm", "choice", 13),
    Column("levels", "Các mức (Tên=điểm; …)", "levels", 28),
    Column("step", "Bước chấm", "number", 8),
    Column("points_each", "Điểm mỗi lần", "number", 9),
    Column("cap", "Tối đa", "number", 8),
    Column("source", "Nguồn dữ liệu", "ident", 18),
    Column("guidance", "Hướng dẫn chấm", "text", 40),
    EXTRA,
)
BONUS_SHEET = SheetLayout("Diem thuong", _ITEM_COLUMNS, "bonus")
PENALTY_SHEET = SheetLayout("Diem tru", _ITEM_COLUMNS, "penalty")
CONDITION_SHEET = SheetLayout(
    "Dieu kien",
    (
        Column("code", "Mã", "ident", 9, required=True),
        Column("title", "Nội dung", "text", 60, required=True),
        Column("blocks", "Danh hiệu bị chặn (; …)", "list", 36, required=True),
        Column("guidance", "Hướng dẫn chấm", "text", 40),
        EXTRA,
    ),
    "conditions",
)
SHEETS = (FRAMEWORK_SHEET, NODE_SHEET, BONUS_SHEET, PENALTY_SHEET, CONDITION_SHEET)
COLUMN_KEYS = frozenset(c.key for layout in SHEETS for c in layout.columns)
REQUIRED_SHEETS = (FRAMEWORK_SHEET, NODE_SHEET)
FRAMEWORK_ROWS = {  # key: (label, is a number)
    "name": ("Tên bảng tiêu chí", False),
    "total": ("Tổng điểm", True),
    "bonus_cap": ("Điểm thưởng tối đa", True),
    "penalty_cap": ("Điểm trừ tối đa", True),
}
GROUP_COLUMNS = frozenset({"code", "parent", "kind", "title", "max", "guidance", "extra"})
HELP_SHEET = "Huong dan"
HELP_LINES = (
    "Cách điền tệp bảng tiêu chí (xem thêm docs/criteria-formats.md)",
    "",
    "• Dòng 1 của mỗi sheet là tên cột tiếng Việt; dòng 2 là tên cột máy đọc — đừng sửa hay xóa dòng 2.",
    "• Sheet Khung: tên bảng, tổng điểm, điểm thưởng tối đa, điểm trừ tối đa (cột Khóa giữ nguyên).",
    "• Sheet Tieu chi: mỗi dòng một nhóm (group) hoặc tiêu chí (leaf); nhóm lớn để trống «Mã nhóm cha»,",
    "  tiêu chí ghi mã nhóm chứa nó. Thứ tự các dòng là thứ tự trong bảng.",
    "• Cách chấm (rule): manual (chấm trực tiếp), pass_fail (đạt/không đạt), levels (theo mức),",
    "  count (chấm thẳng theo số lần), quantitative (định lượng, cần Công thức).",
    "• Công thức (formula): ratio, thresholds, relative_to_best, target_and_leader; Chiều: higher/lower.",
    "• Các mức: «Tốt=3; Khá=2; Đạt=1; Chưa đạt=0». Các ngưỡng: «80:4; 60:3; 40:2; 0:1».",
    "• Có chỉ tiêu đăng ký: «có» hoặc để trống. Số thập phân viết 0,5 hoặc 0.5.",
    "• Sheet Diem thuong, Diem tru: mỗi dòng một mục (Điểm mỗi lần, Tối đa). Sheet Dieu kien: danh hiệu",
    "  bị chặn cách nhau bằng dấu chấm phẩy.",
    "• Tệp có lỗi sẽ không được nhập; hệ thống liệt kê mọi lỗi kèm sheet, dòng và cột.",
)
CHOICES = {  # column key: machine values (the import also takes the Vietnamese aliases below)
    "kind": ("group", "leaf"),
    "rule": ("manual", "pass_fail", "levels", "count", "quantitative"),
    "formula": ("ratio", "thresholds", "relative_to_best", "target_and_leader"),
    "direction": ("higher", "lower"),
}
ITEM_RULES = ("count", "levels", "manual")
ALIASES = {
    "kind": {"nhom": "group", "nhom tieu chi": "group", "tieu chi": "leaf"},
    "rule": {
        "cham truc tiep": "manual",
        "dinh tinh": "pass_fail",
        "dat khong dat": "pass_fail",
        "theo muc": "levels",
        "muc": "levels",
        "cham thang": "count",
        "theo so lan": "count",
        "dinh luong": "quantitative",
    },
    "formula": {
        "ty le": "ratio",
        "theo nguong": "thresholds",
        "nguong": "thresholds",
        "so voi don vi cao nhat": "relative_to_best",
        "vuot chi tieu va dan dau": "target_and_leader",
    },
    "direction": {"cao hon la tot hon": "higher", "cao": "higher", "thap hon la tot hon": "lower", "thap": "lower"},
}
TRUE_WORDS = frozenset({"co", "x", "true", "1", "yes", "dung"})
FALSE_WORDS = frozenset({"khong", "false", "0", "no", "sai"})


# --- XLSX export --------------------------------------------------------------------------


HEADER_FONT = Font(bold=True)
KEY_FONT = Font(italic=True, size=9, color="666666")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def export_xlsx(framework: Framework) -> bytes:
    """The framework as an Excel workbook in the layout above."""
    document = canonical_document(framework)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet  # noqa: S101 -- narrows the type
    sheet.title = FRAMEWORK_SHEET.name
    meta = document.get("framework", {})
    rows = [[FRAMEWORK_ROWS.get(key, (key, False))[0], _cell_value(value, "text"), key] for key, value in meta.items()]
    _fill(sheet, FRAMEWORK_SHEET, rows)
    node_rows: list[list[Any]] = []

    def walk(entry: Mapping[str, Any], parent: str) -> None:
        is_group = "leaves" in entry
        node_rows.append(_row(NODE_SHEET, entry, parent=parent, kind="group" if is_group else "leaf"))
        for child in entry.get("leaves", ()):
            walk(child, str(entry["code"]))

    for group in document.get("groups", ()):
        walk(group, "")
    _fill(book.create_sheet(NODE_SHEET.name), NODE_SHEET, node_rows)
    for layout in (BONUS_SHEET, PENALTY_SHEET, CONDITION_SHEET):
        entries = document.get(layout.section, ())
        _fill(book.create_sheet(layout.name), layout, [_row(layout, entry) for entry in entries])
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 110
    for line in HELP_LINES:
        help_sheet.append([line])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _row(layout: SheetLayout, entry: Mapping[str, Any], **fixed: str) -> list[Any]:
    """One entry as the cells of a row; keys without a column go to the JSON column "extra"."""
    used = GROUP_COLUMNS if fixed.get("kind") == "group" else {c.key for c in layout.columns}
    used = used - {"parent", "kind", "extra"}
    extra = {k: v for k, v in entry.items() if k not in used and k != "leaves"}
    cells: list[Any] = []
    for column in layout.columns:
        if column.key in fixed:
            cells.append(fixed[column.key])
        elif column is EXTRA:
            cells.append(json.dumps(extra, ensure_ascii=False) if extra else None)
        elif column.key in used:
            cells.append(_cell_value(entry.get(column.key), column.kind))
        else:
            cells.append(None)
    return cells


def _cell_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "levels" and isinstance(value, Mapping):
        return "; ".join(f"{name}={points}" for name, points in value.items())
    if kind == "tiers" and isinstance(value, list):
        return "; ".join(
            ":".join(str(part) for part in tier) if isinstance(tier, list) else str(tier) for tier in value
        )
    if kind == "list" and isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if kind == "bool" and isinstance(value, bool):
        return "có" if value else None
    if isinstance(value, float) and value.is_integer():
        return repr(value)  # "1.0" as text: Excel would store the number 1 and lose the ".0"
    if isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _fill(sheet: Any, layout: SheetLayout, rows: Iterable[list[Any]]) -> None:
    sheet.append([c.label for c in layout.columns])
    sheet.append([c.key for c in layout.columns])
    for index, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet.cell(1, index).font = HEADER_FONT
        sheet.cell(1, index).fill = HEADER_FILL
        sheet.cell(1, index).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(2, index).font = KEY_FONT
    last = 2
    for cells in rows:
        last += 1
        for index, value in enumerate(cells, start=1):
            if value is None:
                continue
            cell = sheet.cell(last, index)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # a text beginning with "=" stays text, never a formula
                if "\n" in value or len(value) > 40:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B3" if layout.section != "framework" else "A3"
    last += 200  # room for added rows that keep the drop-down lists
    for index, column in enumerate(layout.columns, start=1):
        choices = CHOICES.get(column.key, ("có",) if column.kind == "bool" else None)
        if column.key == "rule" and layout.section in ("bonus", "penalty"):
            choices = ITEM_RULES
        if choices is None:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
        validation.showErrorMessage = False  # the Vietnamese aliases are accepted too
        validation.add(f"{letter}3:{letter}{last}")
        sheet.add_data_validation(validation)


# --- reading cells ------------------------------------------------------------------------


class CellError(Exception):
    """A cell that cannot be read; the message says why, in Vietnamese."""


_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?")


def read_number(value: Any) -> Decimal:
    """A cell as a number: Excel numbers, or text like "2", "0,5", "0.5"."""
    if isinstance(value, bool):
        raise CellError(_("cần một số, không phải giá trị đúng/sai."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip()
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(text):
        return Decimal(text.replace(",", "."))
    if not isinstance(value, str):
        raise CellError(_("“%(v)s” là ngày tháng, không phải là số.") % {"v": value})
    raise CellError(_("“%(v)s” không phải là số.") % {"v": text})


def _number_text(value: Any) -> str:
    """A cell as an identifier: numbers typed as such (1, 1.5) read as "1", "1.5"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _pairs(text: str, separator: str, what: str) -> list[tuple[str, str]]:
    pairs = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        name, sep, number = part.rpartition(separator)
        if not sep or not name.strip():
            raise CellError(_("“%(p)s” không đúng dạng %(what)s.") % {"p": part.strip(), "what": what})
        pairs.append((name.strip(), number.strip()))
    return pairs


def read_cell(column: Column, value: Any) -> Any:
    """A non-empty cell as its reference-format value; raises ``CellError``."""
    if column.kind == "number":
        return read_number(value)
    if column.kind == "text":
        return value if isinstance(value, str) else _number_text(value)
    if column.kind == "ident":
        return _number_text(value)
    if column.kind == "choice":
        text = _number_text(value)
        key = search_key(text)
        for choice in CHOICES[column.key]:
            if key == search_key(choice):
                return choice
        return ALIASES[column.key].get(key, text)  # an unknown value is refused by the engine, named
    if column.kind == "bool":
        if isinstance(value, bool):
            return value
        word = search_key(_number_text(value))
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise CellError(_("“%(v)s” không phải là có/không.") % {"v": value})
    if column.kind == "levels":
        pairs = _pairs(str(value), "=", _("“Tên mức=điểm; …”"))
        return {name: _pair_number(number, name) for name, number in pairs}
    if column.kind == "tiers":
        pairs = _pairs(str(value), ":", _("“ngưỡng:điểm; …”"))
        return [[_pair_number(threshold, threshold), _pair_number(points, threshold)] for threshold, points in pairs]
    if column.kind == "list":
        return [part.strip() for part in re.split(r"[;\n]", str(value)) if part.strip()]
    return _read_extra(value)


def _pair_number(text: str, where: str) -> Decimal:
    try:
        return read_number(text)
    except CellError as exc:
        raise CellError(f"{where}: {exc}") from exc


def _read_extra(value: Any) -> dict[str, Any]:
    try:
        data = json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise CellError(_("không phải JSON hợp lệ (%(e)s).") % {"e": exc.msg}) from exc
    if not isinstance(data, dict):
        raise CellError(_('cần một đối tượng JSON {"khóa": giá trị}.'))
    return data


def _header(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- XLSX import --------------------------------------------------------------------------


@dataclass
class Where:
    """Where an entry of the built document came from, to name its problems."""

    sheet: str | None
    row: int | None
    columns: dict[str, str] = field(default_factory=dict)  # key -> "E (max)" or a YAML path
    default: str | None = None


@dataclass
class Parsed:
    """A file read into a reference document, with the problems found on the way."""

    document: Any
    places: dict[str, Where] = field(default_factory=dict)  # document path -> where (XLSX)
    problems: list[ImportProblem] = field(default_factory=list)
    yaml_root: yaml.Node | None = None  # the composed YAML, to find a path's line
    missing: set[tuple[str, str]] = field(default_factory=set)  # (sheet, key) of missing columns


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]  # key -> raw cell value (non-empty only)
    where: Where


class _SheetReader:
    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed

    def problem(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        self.parsed.problems.append(ImportProblem(sheet, row, column, message))

    def rows(self, layout: SheetLayout, values: list[tuple[Any, ...]]) -> list[_Row]:
        """The data rows of a sheet by machine key; problems for a missing or unknown header."""
        anchor = next(c.key for c in layout.columns if c.required)
        header_index = next(
            (i for i, row in enumerate(values[:3]) if any(_header(v) == anchor for v in row)),
            None,
        )
        if header_index is None:
            keys = ", ".join(c.key for c in layout.columns)
            self.problem(layout.name, None, None, _("không tìm thấy dòng tên cột máy đọc (%(k)s).") % {"k": keys})
            return []
        header_row = header_index + 1
        positions: dict[str, int] = {}
        for index, raw in enumerate(values[header_index]):
            if _is_empty(raw):
                continue
            key, letter = _header(raw), get_column_letter(index + 1)
            if layout.column(key) is None:
                known = ", ".join(c.key for c in layout.columns)
                self.problem(
                    layout.name,
                    header_row,
                    letter,
                    _("cột “%(k)s” không có trong mẫu; các cột được dùng: %(known)s.") % {"k": raw, "known": known},
                )
            elif key in positions:
                self.problem(layout.name, header_row, letter, _("cột “%(k)s” bị lặp.") % {"k": key})
            else:
                positions[key] = index
        for column in layout.columns:
            if column.required and column.key not in positions:
                self.problem(layout.name, header_row, None, _("thiếu cột “%(k)s”.") % {"k": column.key})
                self.parsed.missing.add((layout.name, column.key))
        labels = {key: f"{get_column_letter(i + 1)} ({key})" for key, i in positions.items()}
        rows = []
        for offset, row in enumerate(values[header_index + 1 :], start=header_row + 1):
            cells = {key: row[i] for key, i in positions.items() if i < len(row) and not _is_empty(row[i])}
            if cells:
                rows.append(_Row(offset, cells, Where(layout.name, offset, labels)))
        return rows

    def entry(self, layout: SheetLayout, row: _Row, skip: Iterable[str] = ()) -> dict[str, Any]:
        """A row as a reference-format entry; an unreadable cell is a problem and is passed on
        as written (so the engine does not also call it missing)."""
        entry: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for column in layout.columns:
            if column.key not in row.cells or column.key in skip:
                continue
            raw = row.cells[column.key]
            try:
                value = read_cell(column, raw)
                unfit = services.text_too_long(column.key, value)
                if column.key == "max" and unfit is None:
                    unfit = services.points_unfit(value)
                if unfit:
                    raise CellError(unfit)
            except CellError as exc:
                self.problem(layout.name, row.number, row.where.columns[column.key], str(exc))
                value = raw
            if column is EXTRA and isinstance(value, dict):
                extra = value
            elif column is not EXTRA:
                entry[column.key] = value
        for key, value in extra.items():
            if key in entry or layout.column(key) is not None:
                self.problem(
                    layout.name,
                    row.number,
                    row.where.columns["extra"],
                    _("khóa “%(k)s” đã có cột riêng; ghi vào cột đó.") % {"k": key},
                )
            else:
                entry[key] = value
        return entry


def read_xlsx(data: bytes) -> Parsed:
    """An XLSX file as a reference document (never raises: problems are collected)."""
    parsed = Parsed(document=None)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises assorted errors (zip, XML, key) for a file that is not a workbook
        parsed.problems.append(ImportProblem(None, None, None, _("Tệp không phải là tệp Excel (.xlsx) hợp lệ.")))
        return parsed
    try:
        by_key = {search_key(name): name for name in book.sheetnames}
        values: dict[str, list[tuple[Any, ...]]] = {}
        for layout in SHEETS:
            name = by_key.get(search_key(layout.name))
            if name is None:
                if layout in REQUIRED_SHEETS:
                    parsed.problems.append(ImportProblem(layout.name, None, None, _("không có sheet này trong tệp.")))
                continue
            rows: list[tuple[Any, ...]] = []
            for row in book[name].iter_rows(values_only=True, max_col=40):
                if len(rows) > MAX_ROWS:
                    parsed.problems.append(
                        ImportProblem(layout.name, None, None, _("quá %(n)s dòng.") % {"n": MAX_ROWS})
                    )
                    break
                rows.append(tuple(row))
            values[layout.name] = rows
    finally:
        book.close()
    reader = _SheetReader(parsed)
    parsed.places["framework"] = Where(FRAMEWORK_SHEET.name, None)
    document: dict[str, Any] = {"framework": _read_framework_sheet(reader, values.get(FRAMEWORK_SHEET.name))}
    document["groups"] = _read_node_sheet(reader, values.get(NODE_SHEET.name))
    seen_codes = {str(path_code) for path_code in _codes(document["groups"])}
    for layout in (BONUS_SHEET, PENALTY_SHEET, CONDITION_SHEET):
        if layout.name not in values:
            continue
        entries: list[dict[str, Any]] = []
        for row in reader.rows(layout, values[layout.name]):
            entry = reader.entry(layout, row)
            code = entry.get("code")
            if code in seen_codes:
                reader.problem(
                    layout.name,
                    row.number,
                    row.where.columns["code"],
                    _("mã “%(c)s” đã dùng ở mục khác.") % {"c": code},
                )
                continue
            if code is not None:
                seen_codes.add(code)
            parsed.places[f"{layout.section}[{len(entries)}]"] = row.where
            entries.append(entry)
        if entries:
            document[layout.section] = entries
    parsed.document = document
    return parsed


def _codes(entries: list[dict[str, Any]]) -> Iterable[Any]:
    for entry in entries:
        yield entry.get("code")
        yield from _codes(entry.get("leaves", []))


def _read_framework_sheet(reader: _SheetReader, values: list[tuple[Any, ...]] | None) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if values is None:
        return meta
    rows = reader.rows(FRAMEWORK_SHEET, values)
    sheet = FRAMEWORK_SHEET.name
    for row in rows:
        key = _number_text(row.cells.get("key", "")).strip()
        value_column = row.where.columns.get("value")
        if not key:
            if "value" in row.cells:
                reader.problem(sheet, row.number, row.where.columns.get("key"), _("thiếu khóa cho giá trị ở dòng này."))
            continue
        if key in meta:
            reader.problem(sheet, row.number, row.where.columns.get("key"), _("khóa “%(k)s” bị lặp.") % {"k": key})
            continue
        reader.parsed.places[f"framework.{key}"] = Where(sheet, row.number, default=value_column)
        raw = row.cells.get("value")
        if raw is None:
            continue
        if key in FRAMEWORK_ROWS and FRAMEWORK_ROWS[key][1]:
            try:
                meta[key] = read_number(raw)
                unfit = services.points_unfit(meta[key])
                if unfit:
                    raise CellError(unfit)
            except CellError as exc:
                reader.problem(sheet, row.number, value_column, str(exc))
                meta[key] = raw
        elif key == "name" or not isinstance(raw, str):
            meta[key] = raw if isinstance(raw, str | bool | int | float) else str(raw)
            if services.text_too_long(key, meta[key]):
                reader.problem(sheet, row.number, value_column, services.text_too_long(key, meta[key]) or "")
        else:
            meta[key] = _maybe_json(raw)
    return meta


def _maybe_json(text: str) -> Any:
    """Another key's value in the sheet Khung: JSON if it reads as a list or object, else text."""
    if text.lstrip()[:1] in ("[", "{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def _read_node_sheet(reader: _SheetReader, values: list[tuple[Any, ...]] | None) -> list[dict[str, Any]]:
    """The sheet Tieu chi as the document's groups: rows linked by their parent's code."""
    if values is None:
        return []
    sheet = NODE_SHEET.name
    rows: list[_Row] = []
    first_row: dict[str, int] = {}
    for row in reader.rows(NODE_SHEET, values):
        code = _number_text(row.cells.get("code", ""))
        column = row.where.columns.get("code")
        if not code:
            reader.problem(sheet, row.number, column, _("thiếu mã."))
        elif code in first_row:
            reader.problem(
                sheet, row.number, column, _("mã “%(c)s” đã dùng ở dòng %(r)s.") % {"c": code, "r": first_row[code]}
            )
        else:
            first_row[code] = row.number
            rows.append(row)
    kinds: dict[str, str] = {}
    parents: dict[str, str] = {}
    named_as_parent = {_number_text(r.cells["parent"]) for r in rows if "parent" in r.cells}
    for row in rows:
        code = _number_text(row.cells["code"])
        parent = _number_text(row.cells.get("parent", ""))
        kind = read_cell(NODE_SHEET.columns[2], row.cells["kind"]) if "kind" in row.cells else ""
        if kind not in ("", "group", "leaf"):
            reader.problem(
                sheet, row.number, row.where.columns["kind"], _("“%(v)s” không phải group hay leaf.") % {"v": kind}
            )
            kind = ""
        kinds[code] = kind or ("group" if not parent or code in named_as_parent else "leaf")
        parents[code] = parent
    by_code = {_number_text(row.cells["code"]): row for row in rows}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for row in rows:
        code = _number_text(row.cells["code"])
        parent = parents[code]
        column = row.where.columns.get("parent")
        if not parent:
            if kinds[code] == "leaf":
                reader.problem(
                    sheet, row.number, column, _("tiêu chí phải nằm trong một nhóm: ghi mã nhóm cha vào đây.")
                )
            else:
                roots.append(code)
        elif parent not in by_code:
            reader.problem(sheet, row.number, column, _("không có nhóm mã “%(p)s” trong sheet.") % {"p": parent})
        elif kinds[parent] != "group":
            reader.problem(
                sheet,
                row.number,
                column,
                _("“%(p)s” là tiêu chí, không phải nhóm, nên không chứa mục con.") % {"p": parent},
            )
        else:
            children.setdefault(parent, []).append(code)
    reached: set[str] = set()

    def build(code: str, path: str) -> dict[str, Any]:
        reached.add(code)
        row = by_code[code]
        reader.parsed.places[path] = row.where
        if kinds[code] == "group":
            for key in row.cells.keys() - GROUP_COLUMNS:
                reader.problem(
                    sheet,
                    row.number,
                    row.where.columns[key],
                    _("nhóm %(c)s không dùng cột này; để trống (chỉ tiêu chí mới có cách chấm).") % {"c": code},
                )
            entry = reader.entry(NODE_SHEET, row, skip=("parent", "kind", *(row.cells.keys() - GROUP_COLUMNS)))
            entry["leaves"] = [
                build(child, f"{path}.leaves[{index}]") for index, child in enumerate(children.get(code, []))
            ]
            return entry
        return reader.entry(NODE_SHEET, row, skip=("parent", "kind"))

    groups = [build(code, f"groups[{index}]") for index, code in enumerate(roots)]
    for row in rows:  # a row never reached sits under a group of a cycle; name the cycle's groups
        code = _number_text(row.cells["code"])
        if code not in reached and _in_cycle(code, parents):
            reader.problem(
                sheet, row.number, row.where.columns.get("parent"), _("các nhóm cha chứa lẫn nhau thành vòng lặp.")
            )
    return groups


def _in_cycle(code: str, parents: Mapping[str, str]) -> bool:
    """Whether following the parents from ``code`` comes back to it."""
    seen: set[str] = set()
    current = parents.get(code, "")
    while current and current not in seen:
        if current == code:
            return True
        seen.add(current)
        current = parents.get(current, "")
    return False


# --- YAML import --------------------------------------------------------------------------


_PATH_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def read_yaml(data: bytes) -> Parsed:
    """A YAML (or JSON) file as a document; problems name the line."""
    parsed = Parsed(document=None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.problems.append(ImportProblem(None, None, None, _("Tệp không phải là YAML (UTF-8) hay Excel (.xlsx).")))
        return parsed
    try:
        parsed.document = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        where = _(" (cột %(c)s)") % {"c": mark.column + 1} if mark is not None else ""
        parsed.problems.append(
            ImportProblem(
                None,
                mark.line + 1 if mark is not None else None,
                None,
                _("YAML không đọc được%(where)s: %(reason)s.") % {"where": where, "reason": reason},
            )
        )
        return parsed
    if parsed.document is None:
        parsed.problems.append(ImportProblem(None, None, None, _("Tệp trống.")))
        return parsed
    parsed.yaml_root = root
    return parsed


def yaml_line(root: yaml.Node, path: str) -> int:
    """The line (from 1) of a document path in the composed YAML, or of its deepest part found."""
    node = root
    for index, key in _PATH_TOKEN.findall(path):
        child = None
        if index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            child = node.value[int(index)]
        elif key and isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


# --- import -------------------------------------------------------------------------------


def locate(parsed: Parsed, problem: Problem) -> ImportProblem | None:
    """An engine problem (its node is a document path) at its sheet, row and column; None for
    a value missing only because its whole column is (that is reported once, for the column)."""
    path = problem.node
    if parsed.yaml_root is not None:
        return ImportProblem(None, yaml_line(parsed.yaml_root, path), path or None, problem.message)
    best = ""
    for candidate in parsed.places:
        if (path == candidate or path.startswith((f"{candidate}.", f"{candidate}["))) and len(candidate) > len(best):
            best = candidate
    if not best:
        return ImportProblem(None, None, path or None, problem.message)
    where = parsed.places[best]
    rest = path[len(best) :].lstrip(".")
    key = _PATH_TOKEN.findall(rest)[0][1] if rest else ""
    if where.sheet is not None and (where.sheet, key) in parsed.missing:
        return None
    column = where.columns.get(key) if key else where.default
    if column is None and key and key not in COLUMN_KEYS:
        column = where.columns.get("extra")  # a key without its own column is written there
    message = problem.message
    if rest and rest != key:
        message = f"{rest}: {message}"
    elif key and column is None:
        message = f"{key}: {message}"
    return ImportProblem(where.sheet, where.row, column, message)


def too_large() -> ImportProblem:
    return ImportProblem(None, None, None, _("Tệp lớn hơn %(n)s MB.") % {"n": MAX_IMPORT_BYTES // (1024 * 1024)})


def read_file(data: bytes, filename: str) -> Parsed:
    """The file read by its content (an XLSX is a zip) or, failing that, its extension."""
    suffix = PurePath(filename).suffix.lower()
    if not data:
        return Parsed(None, problems=[ImportProblem(None, None, None, _("Tệp trống."))])
    if len(data) > MAX_IMPORT_BYTES:
        return Parsed(None, problems=[too_large()])
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        message = _("Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy mở và lưu lại thành .xlsx.")
        return Parsed(None, problems=[ImportProblem(None, None, None, message)])
    if suffix in (".xlsx", ".xlsm") or b"\x00" in data:
        message = _("Tệp “%(f)s” không phải là tệp Excel (.xlsx) hay YAML hợp lệ.") % {"f": filename}
        return Parsed(None, problems=[ImportProblem(None, None, None, message)])
    return read_yaml(data)


def check(parsed: Parsed) -> list[ImportProblem]:
    """Every problem of a parsed file: the reader's, then the engine's and the storage's, each
    at its place (a problem already reported at the same cell is not repeated)."""
    problems = list(parsed.problems)
    if parsed.document is None:
        return problems
    try:
        canonical = framework_to_reference(framework_from_reference(parsed.document))
    except FormatError as exc:
        found = list(exc.problems)
    else:
        found = services.storage_problems(canonical)
    taken = {(p.sheet, p.row, p.column) for p in problems}
    for problem in found:
        located = locate(parsed, problem)
        if located is None:
            continue
        if located.sheet is None or (located.sheet, located.row, located.column) not in taken:
            problems.append(located)
    return sorted(problems, key=_reading_order)


_SHEET_ORDER = {layout.name: index for index, layout in enumerate(SHEETS)}


def _reading_order(problem: ImportProblem) -> tuple[int, int, int]:
    """Sheet by sheet in the workbook's order, then row, then column (as a person reads); the
    sort is stable, so problems of one place keep the order they were found in."""
    sheet = _SHEET_ORDER.get(problem.sheet or "", -1)
    letters = (problem.column or "").split(" ")[0]
    column = sum(26**i * (ord(c) - 64) for i, c in enumerate(reversed(letters))) if letters.isalpha() else 0
    return (sheet, problem.row or 0, column)


def import_file(
    *, actor: Any, data: bytes, filename: str, cluster: Cluster | None = None, year: int | None = None
) -> Framework:
    """A new draft framework from a YAML or XLSX file; raises ``ImportProblems`` (nothing saved)."""
    parsed = read_file(data, filename)
    problems = check(parsed)
    if problems:
        raise ImportProblems(problems)
    try:
        return services.create_from_document(
            actor=actor, document=parsed.document, cluster=cluster, year=year, source=filename
        )
    except FormatError as exc:  # checked above; kept for a document the checks let through
        located = [locate(parsed, problem) or ImportProblem(None, None, None, str(problem)) for problem in exc.problems]
        raise ImportProblems(located) from exc
