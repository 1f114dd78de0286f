"""Writing XLSX rows where every text is text: openpyxl turns a string that begins with "=" into a
live formula, so a label such as "=HYPERLINK(...)" typed by a user would run in every reader's
Excel. Every XLSX export appends its rows through `append_row`."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """Append the values as a row; every string is stored as a text cell, never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING
