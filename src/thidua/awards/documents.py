"""The commendation dossier's documents, in the Party's format (DOCX to edit, PDF to read):

- the submission letter (tờ trình) of a cluster year: the cluster's secretariat asks the
  Academy to commend the year's proposals, listed with their basis;
- the achievement report (báo cáo thành tích) of one nominee, following the structure of the
  government's templates: I. situation and tasks (đặc điểm, tình hình); II. achievements, with
  the year's indicators from the data (total, rank, group points, key quantitative results);
  III. awards received (across succession).

The text comes from the data; the officer edits the DOCX afterwards where needed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from thidua.awards.basis import describe, format_points
from thidua.awards.history import records_of_lineage
from thidua.awards.models import Proposal, ProposalStatus
from thidua.awards.queries import proposals_of_year
from thidua.campaigns.models import Campaign
from thidua.documents import party_format as pf
from thidua.documents.party_format import Align, Column, Row, cell
from thidua.documents.pdf import render_pdf
from thidua.documents.word import render_docx
from thidua.organizations.models import Organization, OrganizationProfile
from thidua.results.models import FinalScore

LETTER_COLUMNS = (
    Column("TT", 10, Align.CENTER),
    Column("Đơn vị được đề nghị", 50, Align.LEFT),
    Column("Hình thức khen thưởng", 45, Align.LEFT),
    Column("Căn cứ (điểm, xếp hạng, bỏ phiếu)", 60, Align.LEFT),
)
GROUP_COLUMNS = (
    Column("Mã", 15, Align.CENTER),
    Column("Nhóm tiêu chí", 115, Align.LEFT),
    Column("Điểm", 35, Align.CENTER),
)
KEY_COLUMNS = (
    Column("Mã", 15, Align.CENTER),
    Column("Chỉ tiêu", 100, Align.LEFT),
    Column("Kết quả thực hiện", 25, Align.CENTER),
    Column("Điểm", 25, Align.CENTER),
)
HISTORY_COLUMNS = (
    Column("Năm", 15, Align.CENTER),
    Column("Hình thức khen thưởng", 65, Align.LEFT),
    Column("Số, ngày quyết định", 45, Align.LEFT),
    Column("Đơn vị nhận", 40, Align.LEFT),
)
KEY_RESULTS_LIMIT = 15


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def decision_text(number: str, day: Any) -> str:
    """ "Quyết định số 1234-QĐ/HVCTQG ngày 15/12/2020"."""
    if not number:
        return ""
    return f"Quyết định số {number}" + (f" ngày {_date(day)}" if day else "")


# ---- the submission letter ---------------------------------------------------------------


def submission_letter(campaign: Campaign, proposals: list[Proposal] | None = None) -> pf.Document:
    cy = campaign.cluster_year
    cluster = cy.cluster
    rows = proposals if proposals is not None else proposals_of_year(campaign)
    head = next((m.organization for m in cy.memberships.all() if m.role == "head"), None)
    blocks: list[pf.Block] = [
        pf.body(
            f"Căn cứ kết quả chấm điểm, xếp hạng thi đua năm {cy.year} và kết quả bỏ phiếu suy tôn tại Hội nghị "
            f"tổng kết công tác thi đua, khen thưởng năm {cy.year} của {cluster.name}"
            + (f" (chủ đề: “{cy.theme}”)" if cy.theme else "")
            + ","
        ),
        pf.body(
            f"Thường trực {cluster.name} kính trình Học viện Chính trị quốc gia Hồ Chí Minh xem xét, "
            f"khen thưởng {len(rows)} tập thể có thành tích xuất sắc năm {cy.year}, cụ thể như sau:"
        ),
    ]
    table_rows = []
    for index, proposal in enumerate(rows, start=1):
        basis_lines = describe(proposal.basis) or ["—"]
        table_rows.append(
            Row((cell(str(index)), cell(proposal.nominee.name), cell(proposal.award.name), cell(*basis_lines)))
        )
    if not table_rows:
        table_rows.append(Row((cell("Chưa có đề nghị khen thưởng nào.", colspan=4),)))
    blocks.append(pf.Table(LETTER_COLUMNS, tuple(table_rows)))
    blocks.append(
        pf.body(
            "Hồ sơ kèm theo gồm: báo cáo thành tích của từng tập thể, bảng kết quả chấm điểm thi đua, "
            "biên bản họp Cụm và biên bản kiểm phiếu."
        )
    )
    blocks.append(pf.body(f"Thường trực {cluster.name} kính trình Học viện xem xét, quyết định."))
    coordinator = cluster.coordinator
    return pf.Document(
        letterhead=pf.Letterhead(
            organ=f"Thường trực {cluster.name}",
            parent_organ=head.name if head else (coordinator.name if coordinator else ""),
            place=head.province if head else "",
            day=None,
            year=cy.year,
        ),
        title=pf.Title(kind="TỜ TRÌNH", subject=(f"Về việc đề nghị khen thưởng năm {cy.year}",)),
        blocks=tuple(blocks),
        signature=pf.Signature(
            authority=("T/M THƯỜNG TRỰC CỤM", "TRƯỞNG CỤM"),
            recipients=(
                "Học viện Chính trị quốc gia Hồ Chí Minh (để trình)",
                "Các trường thành viên Cụm",
                "Lưu Thường trực Cụm.",
            ),
        ),
        metadata_title=f"Tờ trình đề nghị khen thưởng năm {cy.year} — {cluster.name}",
    )


def submission_letter_docx(campaign: Campaign) -> bytes:
    return render_docx(submission_letter(campaign))


def submission_letter_pdf(campaign: Campaign) -> bytes:
    return render_pdf(submission_letter(campaign))


# ---- the achievement report --------------------------------------------------------------


def _group_rows(proposal: Proposal) -> list[tuple[str, str, str]]:
    """(code, title, points) per criteria group: from the basis, else from the final scores."""
    from thidua.criteria.models import CriterionNode

    titles = dict(
        CriterionNode.objects.filter(framework_id=proposal.campaign.framework_id, parent__isnull=True).values_list(
            "code", "title"
        )
    )
    results = proposal.basis.get("results") or {}
    groups = results.get("groups") or []
    if groups:
        return [(g["code"], g.get("title") or titles.get(g["code"], ""), format_points(g["points"])) for g in groups]
    sums: dict[str, Decimal] = {}
    for top, top_parent, points in FinalScore.objects.filter(
        campaign=proposal.campaign, school=proposal.nominee
    ).values_list("node__parent__code", "node__parent__parent__code", "points"):
        group = top_parent or top or ""
        sums[group] = sums.get(group, Decimal(0)) + points
    return [(code, titles.get(code, ""), format_points(total)) for code, total in sorted(sums.items()) if code]


def _key_results(proposal: Proposal) -> list[tuple[str, str, str, str]]:
    """The quantitative criteria with a reported result (self-assessment) and their final points."""
    from thidua.assessments.models import AssessmentEntry

    finals = dict(
        FinalScore.objects.filter(campaign=proposal.campaign, school=proposal.nominee).values_list("node_id", "points")
    )
    entries = (
        AssessmentEntry.objects.filter(
            assessment__campaign=proposal.campaign, assessment__organization=proposal.nominee, actual__isnull=False
        )
        .select_related("node")
        .order_by("node__order", "node__code")[:KEY_RESULTS_LIMIT]
    )
    rows = []
    for entry in entries:
        points = finals.get(entry.node_id, entry.points)
        rows.append(
            (
                entry.node.code,
                entry.node.title,
                format_points(entry.actual),
                format_points(points) if points is not None else "",
            )
        )
    return rows


def _situation(proposal: Proposal, nominee: Organization, year: int) -> list[pf.Block]:
    blocks: list[pf.Block] = [pf.Heading("I. ĐẶC ĐIỂM, TÌNH HÌNH"), pf.Heading("1. Đặc điểm", level=2)]
    blocks.append(
        pf.body(
            f"{nominee.name}"
            + (f" (tỉnh, thành phố: {nominee.province})" if nominee.province else "")
            + f" là thành viên của {proposal.campaign.cluster_year.cluster.name} năm {year}."
        )
    )
    profile = OrganizationProfile.objects.filter(organization=nominee, year=year).first()
    if profile is not None:
        blocks.append(
            pf.body(
                f"Năm {year}, trường có {profile.staff} cán bộ, viên chức, trong đó {profile.lecturers} giảng viên "
                f"({profile.lecturers_phd} tiến sĩ, {profile.lecturers_master} thạc sĩ, {profile.principal_lecturers} "
                f"giảng viên chính, cao cấp); đã mở {profile.classes} lớp với {profile.trainees} lượt học viên."
            )
        )
    blocks.append(pf.Heading("2. Chức năng, nhiệm vụ", level=2))
    blocks.append(
        pf.body(
            "Trường có chức năng đào tạo, bồi dưỡng cán bộ lãnh đạo, quản lý của hệ thống chính trị ở địa phương; "
            "nghiên cứu khoa học, tổng kết thực tiễn góp phần xây dựng đường lối, chủ trương của Đảng, chính sách, "
            "pháp luật của Nhà nước."
        )
    )
    return blocks


def achievement_report(proposal: Proposal) -> pf.Document:
    nominee = proposal.nominee
    year = proposal.campaign.cluster_year.year
    blocks = _situation(proposal, nominee, year)
    blocks.append(pf.Heading("II. THÀNH TÍCH ĐẠT ĐƯỢC"))
    blocks.append(pf.Heading(f"1. Kết quả thực hiện các chỉ tiêu thi đua năm {year}", level=2))
    lines = describe({k: v for k, v in proposal.basis.items() if k != "note"})
    blocks += [pf.body(line) for line in lines] or [pf.body("Chưa có kết quả chấm điểm đã công bố.")]
    groups = _group_rows(proposal)
    if groups:
        blocks.append(pf.para("Điểm theo nhóm tiêu chí:", italic=True))
        blocks.append(pf.Table(GROUP_COLUMNS, tuple(Row((cell(c), cell(t), cell(p))) for c, t, p in groups)))
    key_results = _key_results(proposal)
    if key_results:
        blocks.append(pf.para("Một số chỉ tiêu chủ yếu:", italic=True))
        blocks.append(
            pf.Table(KEY_COLUMNS, tuple(Row((cell(c), cell(t), cell(a), cell(p))) for c, t, a, p in key_results))
        )
    blocks.append(pf.Heading("2. Thành tích nổi bật", level=2))
    achievements = [line for line in proposal.achievements.splitlines() if line.strip()]
    blocks += [pf.body(line) for line in achievements] or [pf.body("(Đơn vị bổ sung thành tích nổi bật.)")]
    if proposal.basis.get("note"):
        blocks.append(pf.body(str(proposal.basis["note"])))
    blocks.append(pf.Heading("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN"))
    records = [r for r in records_of_lineage(nominee) if r.year < year or r.proposal_id == proposal.pk]
    if records:
        rows = tuple(
            Row(
                (
                    cell(str(r.year)),
                    cell(r.award.name),
                    cell(decision_text(r.decision_number, r.decision_date)),
                    cell(r.organization.name),
                )
            )
            for r in records
        )
        blocks.append(pf.Table(HISTORY_COLUMNS, rows))
    else:
        blocks.append(pf.body("Chưa có hình thức khen thưởng nào được ghi nhận."))
    check = proposal.basis.get("history_check")
    if check and not check.get("met", True) and proposal.basis.get("override_reason"):
        blocks.append(pf.body(f"Lưu ý về điều kiện số năm liên tục: {proposal.basis['override_reason']}"))
    if proposal.status == ProposalStatus.APPROVED and proposal.decision_number:
        blocks.append(
            pf.body(f"Đã được khen thưởng theo {decision_text(proposal.decision_number, proposal.decision_date)}.")
        )
    return pf.Document(
        letterhead=pf.Letterhead(
            organ=nominee.name,
            parent_organ=f"Tỉnh ủy {nominee.province}" if nominee.province else "",
            place=nominee.province,
            day=None,
            year=year,
        ),
        title=pf.Title(
            kind="BÁO CÁO THÀNH TÍCH",
            subject=(f"Đề nghị tặng {proposal.award.name}", f"năm {year}"),
        ),
        blocks=tuple(blocks),
        signature=pf.Signature(authority=("T/M BAN GIÁM HIỆU", "HIỆU TRƯỞNG")),
        metadata_title=f"Báo cáo thành tích {nominee.name} năm {year}",
    )


def achievement_report_docx(proposal: Proposal) -> bytes:
    return render_docx(achievement_report(proposal))


def achievement_report_pdf(proposal: Proposal) -> bytes:
    return render_pdf(achievement_report(proposal))
