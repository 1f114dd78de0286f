"""The dossier of a proposal (hồ sơ đề nghị khen thưởng) as one ZIP, and the year's dossiers.

A proposal's ZIP holds: the submission letter of its year (DOCX and PDF), the nominee's
achievement report (DOCX and PDF), the results table (XLSX), and the conference minutes and the
tally minutes (DOCX and PDF) once the conference and its closed ballots exist. A ``README.txt``
lists what is inside and names anything that could not be produced, with why.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from thidua.awards.documents import (
    achievement_report_docx,
    achievement_report_pdf,
    submission_letter_docx,
    submission_letter_pdf,
)
from thidua.awards.models import Proposal
from thidua.awards.queries import proposals_of_year
from thidua.campaigns.models import Campaign
from thidua.core.text import search_key
from thidua.results.compute import compute
from thidua.results.models import FinalScore
from thidua.results.rules import is_published
from thidua.results.snapshot import read_published
from thidua.results.xlsx import results_xlsx
from thidua.voting.documents import (
    conference_minutes_docx,
    conference_minutes_pdf,
    tally_minutes_docx,
    tally_minutes_pdf,
)
from thidua.voting.models import Ballot, Conference

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", search_key(text)).strip("-") or "don-vi"


# ---- the results table -------------------------------------------------------------------


def results_rows(campaign: Campaign) -> list[dict[str, Any]]:
    """Rows of the results table: the published snapshot if any, else the final scores' sums."""
    names = {m.organization.short_code: m.organization.name for m in campaign.cluster_year.memberships.all()}
    published = read_published(campaign)
    if published is not None:
        return [
            {
                "code": row.code,
                "name": names.get(row.code, row.code),
                "total": str(row.total),
                "rank": row.rank_label,
                "band": row.band,
            }
            for row in published.rows
        ]
    sums: dict[str, Decimal] = {}
    for code, points in FinalScore.objects.filter(campaign=campaign).values_list("school__short_code", "points"):
        sums[code] = sums.get(code, Decimal(0)) + points
    ordered = sorted(sums.items(), key=lambda kv: -kv[1])
    return [
        {"code": code, "name": names.get(code, code), "total": str(total), "rank": str(i), "band": ""}
        for i, (code, total) in enumerate(ordered, start=1)
    ]


def results_table_xlsx(campaign: Campaign) -> bytes:
    """The results table of a campaign (bảng kết quả chấm điểm thi đua) as XLSX: the results
    part's table once the results are published, else a plain table of the final scores' sums
    (marked as provisional)."""
    if is_published(campaign):
        return results_xlsx(compute(campaign, analytics=False))
    cy = campaign.cluster_year
    book = Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has its first sheet
        sheet = book.create_sheet()
    sheet.title = "Kết quả"
    sheet.append([f"BẢNG KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {cy.year} — {cy.cluster.name.upper()} (chưa công bố)"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(["TT", "Mã", "Đơn vị", "Tổng điểm", "Xếp hạng", "Xếp loại"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for index, row in enumerate(results_rows(campaign), start=1):
        total: Any = row["total"]
        with contextlib.suppress(ArithmeticError):
            total = float(Decimal(total))
        sheet.append([index, row["code"], row["name"], total, row["rank"], row["band"]])
    for column, width in zip("ABCDEF", (6, 8, 45, 12, 10, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- the voting part's minutes -----------------------------------------------------------

MINUTES_BUILDERS: dict[str, Callable[[Conference], bytes]] = {
    "docx": conference_minutes_docx,
    "pdf": conference_minutes_pdf,
}
TALLY_BUILDERS: dict[str, Callable[[Ballot], bytes]] = {"docx": tally_minutes_docx, "pdf": tally_minutes_pdf}


def _conference(campaign: Campaign) -> Conference | None:
    return Conference.objects.filter(cluster_year=campaign.cluster_year).first()


# ---- the ZIP -----------------------------------------------------------------------------


def _add_proposal(archive: zipfile.ZipFile, proposal: Proposal, prefix: str, contents: list[str]) -> None:
    stem = f"bao-cao-thanh-tich-{slug(proposal.nominee.short_code)}-{slug(proposal.award.code)}"
    archive.writestr(f"{prefix}{stem}.docx", achievement_report_docx(proposal))
    archive.writestr(f"{prefix}{stem}.pdf", achievement_report_pdf(proposal))
    contents.append(
        f"{prefix}{stem}.docx, .pdf — Báo cáo thành tích của {proposal.nominee.name} ({proposal.award.name})"
    )


def _add_year(archive: zipfile.ZipFile, campaign: Campaign, contents: list[str], missing: list[str]) -> None:
    year = campaign.cluster_year.year
    archive.writestr(f"to-trinh-{year}.docx", submission_letter_docx(campaign))
    archive.writestr(f"to-trinh-{year}.pdf", submission_letter_pdf(campaign))
    contents.append(f"to-trinh-{year}.docx, .pdf — Tờ trình đề nghị khen thưởng năm {year}")
    archive.writestr(f"bang-ket-qua-{year}.xlsx", results_table_xlsx(campaign))
    contents.append(f"bang-ket-qua-{year}.xlsx — Bảng kết quả chấm điểm thi đua năm {year}")
    conference = _conference(campaign)
    if conference is not None:
        for ext, build_minutes in MINUTES_BUILDERS.items():
            archive.writestr(f"bien-ban-hop-cum-{year}.{ext}", build_minutes(conference))
        contents.append(f"bien-ban-hop-cum-{year} — Biên bản họp Cụm")
    else:
        missing.append("Biên bản họp Cụm: chưa có hội nghị tổng kết.")
    ballots = list(conference.ballots.filter(status="closed")) if conference is not None else []
    for ballot in ballots:
        stem = f"bien-ban-kiem-phieu-{year}-{ballot.pk}"
        for ext, build_tally in TALLY_BUILDERS.items():
            archive.writestr(f"{stem}.{ext}", build_tally(ballot))
        contents.append(f"{stem} — Biên bản kiểm phiếu: {ballot.question} (vòng {ballot.round_number})")
    if not ballots:
        missing.append("Biên bản kiểm phiếu: chưa có lượt bỏ phiếu đã kết thúc.")


def _readme(title: str, contents: list[str], missing: list[str]) -> str:
    lines = [title, "", "Nội dung:"] + [f"- {c}" for c in contents]
    if missing:
        lines += ["", "Còn thiếu (bổ sung bằng tay trước khi gửi):"] + [f"- {m}" for m in missing]
    return "\r\n".join(lines) + "\r\n"


def proposal_dossier_zip(proposal: Proposal) -> bytes:
    """One proposal's whole dossier."""
    out = io.BytesIO()
    contents: list[str] = []
    missing: list[str] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_year(archive, proposal.campaign, contents, missing)
        _add_proposal(archive, proposal, "", contents)
        year = proposal.campaign.cluster_year.year
        title = f"HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG: {proposal.award.name} — {proposal.nominee.name} — năm {year}"
        archive.writestr("README.txt", _readme(title, contents, missing))
    return out.getvalue()


def year_dossiers_zip(campaign: Campaign) -> tuple[bytes, int]:
    """Every proposal of a cluster year: the shared documents once, each nominee in its folder."""
    out = io.BytesIO()
    contents: list[str] = []
    missing: list[str] = []
    rows = proposals_of_year(campaign)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_year(archive, campaign, contents, missing)
        for proposal in rows:
            _add_proposal(
                archive, proposal, f"{slug(proposal.nominee.short_code)}-{slug(proposal.award.code)}/", contents
            )
        cy = campaign.cluster_year
        archive.writestr(
            "README.txt", _readme(f"HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG NĂM {cy.year} — {cy.cluster.name}", contents, missing)
        )
    return out.getvalue(), len(rows)
