"""Reading an XLSX workbook into a reference document: the header row of machine keys of each
sheet, its rows as entries, the sheet "Tieu chi" linked by parent codes into groups; never
raises, every problem is collected with its sheet, row and column."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from thidua.core.text import search_key
from thidua.criteria import services
from thidua.criteria.importexport.problems import ImportProblem, Parsed, Where
from thidua.criteria.importexport.xlsx_cells import CellError, _number_text, read_cell, read_number
from thidua.criteria.importexport.xlsx_layout import (
    BONUS_SHEET,
    CONDITION_SHEET,
    EXTRA,
    FRAMEWORK_ROWS,
    FRAMEWORK_SHEET,
    GROUP_COLUMNS,
    NODE_SHEET,
    PENALTY_SHEET,
    REQUIRED_SHEETS,
    SHEETS,
    SheetLayout,
)

MAX_ROWS = 5000  # per sheet: a framework has at most a few hundred rows


def _header(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
