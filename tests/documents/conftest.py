from __future__ import annotations

import datetime as dt

import pytest

from thidua.documents import party_format as pf
from thidua.documents.party_format import Align, Column, Row, RowStyle, cell, para


@pytest.fixture
def minutes() -> pf.Document:
    """A small document with every part: letterhead, title, heading, body, table, signature."""
    table = pf.Table(
        columns=(
            Column("TT", 15, Align.CENTER),
            Column("Đơn vị", 110, Align.LEFT),
            Column("Số phiếu", 40, Align.CENTER),
        ),
        rows=(
            Row((cell("I"), cell("Các trường đồng bằng"), cell("")), RowStyle.GROUP),
            Row((cell("1"), cell("Trường Chính trị tỉnh Tiền Giang"), cell("7"))),
            Row((cell("2"), cell("Trường Chính trị tỉnh Bạc Liêu"), cell("5"))),
            Row((cell("Tổng số phiếu hợp lệ", colspan=2), cell("12")), RowStyle.TOTAL),
        ),
    )
    return pf.Document(
        letterhead=pf.Letterhead(
            organ="Cụm thi đua số 9",
            parent_organ="Học viện Chính trị quốc gia Hồ Chí Minh",
            number="Số 05-BB/CTĐ",
            place="Tiền Giang",
            day=dt.date(2024, 2, 5),
        ),
        title=pf.Title(kind="Biên bản", subject=("kiểm phiếu suy tôn đơn vị dẫn đầu",), note="(Dự thảo)"),
        blocks=(
            pf.Heading("I. Thành phần"),
            pf.body("Hội nghị tổng kết phong trào thi đua Cụm năm 2023 tiến hành kiểm phiếu bầu."),
            para("Kết quả như sau:", pf.Span(" đã kiểm đủ", bold=True), align=Align.CENTER),
            table,
            pf.Heading("Ghi chú", level=2),
        ),
        signature=pf.Signature(
            authority=("T/M Ban kiểm phiếu", "Trưởng ban"),
            name="Nguyễn Thị Hồng Nhung",
            recipients=("Các trường thành viên Cụm", "Lưu Thường trực Cụm."),
        ),
    )
