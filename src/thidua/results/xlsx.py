"""The results table as XLSX: one sheet of ranks and totals (rounded for display, and the exact
value), one sheet of final points per leaf."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from thidua.core.xlsx import append_row
from thidua.results.compute import Computed
from thidua.scoring.engine.decimals import round_display


def results_xlsx(computed: Computed) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Kết quả"
    campaign = computed.basis.campaign
    append_row(
        sheet, [f"Kết quả chấm điểm thi đua {campaign.cluster_year.cluster.name} năm {campaign.cluster_year.year}"]
    )
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, [])
    append_row(sheet, ["Hạng", "Mã trường", "Tên trường", "Tổng điểm", "Tổng điểm (chính xác)", "Xếp loại",
                  "Khoảng hạng", "Đủ điều kiện danh hiệu"])  # fmt: skip
    for column in sheet[3]:
        column.font = Font(bold=True)
    intervals = {}
    if computed.analytics is not None:
        intervals = {s.school: s.interval for s in computed.analytics.confidence.schools}
    for school in computed.result.schools:
        interval = intervals.get(school.code)
        append_row(sheet, [
            school.rank_label, school.code, computed.names.get(school.code, ""), float(round_display(school.total)),
            str(school.total), computed.bands.get(school.code, ""),
            f"{interval[0]}–{interval[1]}" if interval else "", ", ".join(school.eligibility.eligible_titles),
        ])  # fmt: skip
    sheet.column_dimensions["C"].width = 40
    leaves = computed.basis.leaf_codes()
    points = book.create_sheet("Điểm từng tiêu chí")
    append_row(points, ["Mã trường", *leaves])
    for school in computed.result.schools:
        append_row(points, [school.code, *(float(round_display(school.leaves[code].points)) for code in leaves)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
