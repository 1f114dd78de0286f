"""The results table (bảng tổng hợp kết quả chấm điểm thi đua) as DOCX and PDF in the Party's
administrative format, both built from one ``party_format.Document``."""

from __future__ import annotations

from thidua.documents import party_format as pf
from thidua.documents.party_format import Align, Column, Row, RowStyle, cell
from thidua.documents.pdf import render_pdf
from thidua.documents.word import render_docx
from thidua.organizations.models import MembershipRole
from thidua.results.compute import Computed
from thidua.scoring.engine.decimals import format_vi

DOCUMENT_KIND = "Báo cáo"
COLUMNS = (
    Column("Hạng", 14, Align.CENTER),
    Column("Đơn vị", 70, Align.LEFT),
    Column("Tổng điểm", 24, Align.CENTER),
    Column("Xếp loại", 25, Align.CENTER),
    Column("Khoảng hạng", 22, Align.CENTER),
    Column("Đủ điều kiện danh hiệu", 40, Align.LEFT),
)


def results_document(computed: Computed) -> pf.Document:
    campaign = computed.basis.campaign
    cluster_year = campaign.cluster_year
    cluster = cluster_year.cluster
    head = next((m.organization for m in cluster_year.memberships.all() if m.role == MembershipRole.HEAD), None)
    coordinator = cluster.coordinator
    intervals = {}
    if computed.analytics is not None:
        intervals = {s.school: s.interval for s in computed.analytics.confidence.schools}
    rows = []
    for school in computed.result.schools:
        low_high = intervals.get(school.code)
        rows.append(
            Row(
                (
                    cell(school.rank_label),
                    cell(computed.names.get(school.code, school.code)),
                    cell(format_vi(school.total)),
                    cell(computed.bands.get(school.code, "")),
                    cell(f"{low_high[0]}–{low_high[1]}" if low_high else "—"),
                    cell(", ".join(school.eligibility.eligible_titles) or "—"),
                ),
                RowStyle.NORMAL,
            )
        )
    blocks: list[pf.Block] = [
        pf.body(
            f"Căn cứ bảng tiêu chí chấm điểm thi đua năm {cluster_year.year} và kết quả chấm chéo, thống nhất "
            f"điểm của các trường thành viên, Thường trực {cluster.name} tổng hợp kết quả chấm điểm thi đua "
            "như sau:"
        ),
        pf.Table(COLUMNS, tuple(rows)),
        pf.body(
            "Thứ hạng có dấu “=” là các trường bằng điểm sau khi đã xét thứ tự ưu tiên của đợt. Khoảng hạng "
            "là khoảng tin cậy 95 % của thứ hạng khi lấy mẫu lại các người chấm."
        ),
    ]
    return pf.Document(
        letterhead=pf.Letterhead(
            organ=cluster.name,
            parent_organ=coordinator.name if coordinator else "",
            place=head.province if head else "",
            year=cluster_year.year,
        ),
        title=pf.Title(kind=DOCUMENT_KIND, subject=(f"Kết quả chấm điểm thi đua năm {cluster_year.year}",)),
        blocks=tuple(blocks),
        signature=pf.Signature(
            authority=("T/M THƯỜNG TRỰC CỤM", "TRƯỞNG CỤM"),
            recipients=("Học viện;", "Các trường thành viên;", "Lưu: VT."),
        ),
        metadata_title=f"Kết quả chấm điểm thi đua {cluster.name} năm {cluster_year.year}",
    )


def results_pdf(computed: Computed) -> bytes:
    return render_pdf(results_document(computed))


def results_docx(computed: Computed) -> bytes:
    return render_docx(results_document(computed))
