"""Export as an Excel workbook in the layout of ``xlsx_layout``: one row per entry, keys without
a column of their own as JSON in the column "extra", drop-down lists on the choice columns and
a help sheet."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.criteria.importexport.xlsx_layout import (
    BONUS_SHEET,
    CHOICES,
    CONDITION_SHEET,
    EXTRA,
    FRAMEWORK_ROWS,
    FRAMEWORK_SHEET,
    GROUP_COLUMNS,
    HELP_LINES,
    HELP_SHEET,
    ITEM_RULES,
    NODE_SHEET,
    PENALTY_SHEET,
    SheetLayout,
)
from thidua.criteria.importexport.yaml_export import canonical_document
from thidua.criteria.models import Framework

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FONT = Font(bold=True)
KEY_FONT = Font(italic=True, size=9, color="666666")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def export_xlsx(framework: Framework) -> bytes:
    """The framework as an Excel workbook in the layout of ``xlsx_layout``."""
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
