"""The self-assessment report of a school (báo cáo kết quả tự chấm điểm thi đua), as DOCX and
PDF in the Party's document format (``thidua.documents``).

Per group, each criterion with its maximum, what the school entered (and its registered
target), the points the engine gives, and the explanation with the titles of its evidence;
then bonus, penalty, the eligibility conditions and the total. The points are those of the
live computation (``services.compute``): this school's only, never another school's figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from thidua.assessments import queries
from thidua.assessments.models import SelfAssessment
from thidua.campaigns.models import SubmissionStatus
from thidua.documents import party_format as pf
from thidua.documents.party_format import Align, Column, Row, RowStyle, cell, para
from thidua.documents.pdf import render_pdf
from thidua.documents.word import render_docx
from thidua.scoring.engine.decimals import format_vi

# Portrait A4 leaves 165 mm between the margins.
CRITERIA_COLUMNS = (
    Column("Mã", 13, Align.CENTER),
    Column("Nội dung tiêu chí", 52, Align.LEFT),
    Column("Điểm tối đa", 15, Align.CENTER),
    Column("Trường tự đánh giá", 26, Align.CENTER),
    Column("Điểm tự chấm", 16, Align.CENTER),
    Column("Giải thích, minh chứng", 43, Align.LEFT),
)
CONDITION_COLUMNS = (
    Column("Mã", 13, Align.CENTER),
    Column("Điều kiện", 83, Align.LEFT),
    Column("Tự đánh giá", 26, Align.CENTER),
    Column("Giải thích, minh chứng", 43, Align.LEFT),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def report_docx(assessment: SelfAssessment) -> bytes:
    return render_docx(report(assessment))


def report_pdf(assessment: SelfAssessment) -> bytes:
    return render_pdf(report(assessment))


def _points(value: Decimal | None) -> str:
    return "" if value is None else format_vi(value)


def _max(value: Decimal | None) -> str:
    return "" if value is None else format_vi(value, places=None)


def _notes(row: queries.EntryRow) -> tuple[pf.Paragraph, ...]:
    parts: list[pf.Paragraph] = []
    if row.entry.explanation:
        parts.extend(para(line) for line in row.entry.explanation.splitlines() if line.strip())
    titles = [evidence.title for evidence in row.evidence]
    if titles:
        parts.append(para(pf.Span("Minh chứng: ", italic=True), "; ".join(titles) + "."))
    if row.score is not None and row.score.problem:
        parts.append(para(row.score.problem, italic=True))
    return tuple(parts) or (para(""),)


def _entered(row: queries.EntryRow) -> str:
    text = row.value_text or "—"
    if row.rule is not None and row.rule.uses_target:
        target = f"chỉ tiêu {format_vi(row.target, places=None)}" if row.target is not None else "chưa đăng ký chỉ tiêu"
        text = f"{text} ({target})"
    return text


def _entry_row(row: queries.EntryRow, top: Decimal | None) -> Row:
    return Row(
        (
            cell(row.node.code),
            cell(row.node.title),
            cell(_max(top)),
            cell(_entered(row)),
            cell(_points(row.points)),
            pf.Cell(_notes(row)),
        )
    )


def _criteria_table(sheet: queries.Sheet) -> pf.Table:
    rows: list[Row] = []
    for group in sheet.all_groups():
        result = group.result
        rows.append(
            Row(
                (
                    cell(para(group.node.code, bold=True)),
                    cell(para(group.node.title, bold=True)),
                    cell(para(_max(group.node.max_points), bold=True)),
                    cell(""),
                    cell(para(_points(result.points if result else None), bold=True)),
                    cell(
                        para(
                            "Vượt tối đa của nhóm, tính bằng điểm tối đa." if result and result.capped else "",
                            italic=True,
                        )
                    ),
                ),
                RowStyle.GROUP,
            )
        )
        rows.extend(
            _entry_row(child, child.rule.max_points if child.rule else None)
            for child in group.children
            if isinstance(child, queries.EntryRow)
        )
    total = sheet.result.groups_total
    rows.append(
        Row(
            (
                cell(""),
                cell(para("Cộng điểm các nhóm tiêu chí", bold=True)),
                cell(para(_max(sheet.assessment.campaign.framework.total), bold=True)),
                cell(""),
                cell(para(_points(total), bold=True)),
                cell(""),
            ),
            RowStyle.TOTAL,
        )
    )
    return pf.Table(CRITERIA_COLUMNS, tuple(rows))


def _adjustment_table(rows: list[queries.EntryRow], total: Decimal, label: str) -> pf.Table:
    body = [_entry_row(row, getattr(row.rule.item, "cap", None) if row.rule else None) for row in rows]
    body.append(
        Row(
            (
                cell(""),
                cell(para(label, bold=True)),
                cell(""),
                cell(""),
                cell(para(_points(total), bold=True)),
                cell(""),
            ),
            RowStyle.TOTAL,
        )
    )
    return pf.Table(CRITERIA_COLUMNS, tuple(body))


def _conditions_table(rows: list[queries.EntryRow]) -> pf.Table:
    return pf.Table(
        CONDITION_COLUMNS,
        tuple(
            Row((cell(row.node.code), cell(row.node.title), cell(row.value_text or "—"), pf.Cell(_notes(row))))
            for row in rows
        ),
    )


def report(assessment: SelfAssessment) -> pf.Document:
    """The document both formats render."""
    sheet = queries.load_sheet(assessment)
    campaign = assessment.campaign
    cy = campaign.cluster_year
    school = assessment.organization
    result = sheet.result
    blocks: list[pf.Block] = [
        pf.body(
            f"Căn cứ {campaign.framework.name} (phiên bản {campaign.framework.edition}) của {cy.cluster.name}, "
            f"{school.name} tự chấm điểm kết quả thực hiện nhiệm vụ năm {cy.year} như sau:"
        )
    ]
    number = 0

    def heading(text: str) -> None:
        nonlocal number
        blocks.append(pf.Heading(f"{ROMAN[number]}. {text}"))
        number += 1

    heading("ĐIỂM TỰ CHẤM THEO TIÊU CHÍ")
    blocks.append(_criteria_table(sheet))
    if sheet.bonus:
        heading("ĐIỂM THƯỞNG")
        blocks.append(_adjustment_table(sheet.bonus, result.bonus_points, "Cộng điểm thưởng (sau mức tối đa)"))
    if sheet.penalty:
        heading("ĐIỂM TRỪ")
        blocks.append(_adjustment_table(sheet.penalty, result.penalty_points, "Cộng điểm trừ (sau mức tối đa)"))
    if sheet.conditions:
        heading("ĐIỀU KIỆN XÉT DANH HIỆU")
        blocks.append(_conditions_table(sheet.conditions))
    heading("TỔNG ĐIỂM TỰ CHẤM")
    if result.ok:
        blocks.append(
            pf.body(
                f"Tổng điểm tự chấm: {format_vi(result.total)}/{_max(campaign.framework.total)} điểm "
                f"(điểm các nhóm {format_vi(result.groups_total)} + điểm thưởng {format_vi(result.bonus_points)} "
                f"− điểm trừ {format_vi(result.penalty_points)})."
            )
        )
        blocked = result.eligibility.blocked if result.eligibility is not None else ()
        for title in blocked:
            blocks.append(pf.body(f"Chưa đủ điều kiện xét danh hiệu “{title.title}”: {title.explanation}."))
    else:
        blocks.append(pf.body(f"Chưa tính được tổng điểm: {result.error}"))
    blocks.append(pf.body(f"Đã nhập {sheet.filled_count}/{sheet.required_count} tiêu chí và điều kiện."))
    submitted = assessment.status == SubmissionStatus.SUBMITTED
    day = timezone.localdate(assessment.submitted_at) if submitted and assessment.submitted_at else None
    signer = assessment.submitted_by.get_full_name() if submitted and assessment.submitted_by else ""
    return pf.Document(
        letterhead=pf.Letterhead(
            organ=school.name,
            parent_organ=f"Tỉnh ủy {school.province}" if school.province else "",
            number="Số      -BC/TCT",
            place=school.province,
            day=day,
            year=None if day else cy.year,
        ),
        title=pf.Title(
            "Báo cáo",
            (f"Kết quả tự chấm điểm thi đua năm {cy.year}", f"{cy.cluster.name}"),
            note="" if submitted else "(Bản nháp — chưa gửi Thường trực Cụm)",
        ),
        blocks=tuple(blocks),
        signature=pf.Signature(
            authority=("T/M Ban Giám hiệu", "Hiệu trưởng"),
            name=signer,
            recipients=(f"Thường trực {cy.cluster.name},", "Lưu VT."),
        ),
        metadata_title=f"Báo cáo tự chấm điểm thi đua năm {cy.year} — {school.name}",
    )
