from __future__ import annotations

import datetime as dt

from thidua.documents import party_format as pf
from thidua.documents.party_format import Align, Column, Row, cell


def test_the_date_line_pads_days_below_ten_and_the_first_two_months():
    assert pf.date_line("Tiền Giang", dt.date(2024, 2, 5)) == "Tiền Giang, ngày 05 tháng 02 năm 2024"
    assert pf.date_line("Cần Thơ", dt.date(2025, 1, 20)) == "Cần Thơ, ngày 20 tháng 01 năm 2025"
    assert pf.date_line("Hà Nội", dt.date(2018, 4, 3)) == "Hà Nội, ngày 03 tháng 4 năm 2018"
    assert pf.date_line("Vĩnh Long", dt.date(2024, 12, 31)) == "Vĩnh Long, ngày 31 tháng 12 năm 2024"


def test_the_date_line_leaves_blanks_to_fill_by_hand():
    assert pf.date_line("Tiền Giang", None, year=2024) == "Tiền Giang, ngày … tháng … năm 2024"
    assert pf.date_line("", None) == "…………, ngày … tháng … năm …"


def test_a_cell_takes_the_alignment_of_the_column_it_starts_in():
    table = pf.Table(
        columns=(Column("A", 10, Align.CENTER), Column("B", 10, Align.LEFT), Column("C", 10, Align.RIGHT)),
        rows=(Row((cell("x", colspan=2), cell("y"))), Row((cell("1"), cell("2"), cell("3")))),
    )

    placed = [[align for _, align in cells] for _, cells in table.placed_rows()]

    assert placed == [[Align.CENTER, Align.RIGHT], [Align.CENTER, Align.LEFT, Align.RIGHT]]


def test_the_text_width_leaves_the_margins():
    assert pf.text_width_mm() == 165
    assert pf.text_width_mm(landscape=True) == 252


def test_the_file_title_defaults_to_the_type_and_subject():
    document = pf.Document(pf.Letterhead(organ="Cụm"), pf.Title("Báo cáo", ("tổng kết năm 2024",)))

    assert document.file_title == "Báo cáo tổng kết năm 2024"
