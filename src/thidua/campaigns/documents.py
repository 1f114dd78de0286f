"""The covenant (giao ước thi đua) as DOCX and PDF, from the cluster year and the registrations.

The document follows the Party's administrative format (``documents.party_format``): the
cluster and its coordinator in the letterhead, the place (the head school's province) and the
day it was signed (blank to fill in by hand until then); the theme; the member schools; the
common commitments; each school's aimed titles and its own commitment; and one signature block
per member school ("T/M TRƯỜNG …", "HIỆU TRƯỞNG"), two to a row.

Both formats are built from the same ``Covenant`` description, so they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as WordDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from thidua.campaigns.models import Campaign, Covenant, Registration, SubmissionStatus
from thidua.documents import party_format as pf
from thidua.documents import word
from thidua.documents.party_format import Align, Column, Row, cell, para
from thidua.documents.pdf import render_template_pdf
from thidua.organizations.models import Membership, MembershipRole, Organization

DOCUMENT_KIND = "Giao ước thi đua"
ROLE_ORDER: dict[str, int] = {MembershipRole.HEAD: 0, MembershipRole.DEPUTY: 1, MembershipRole.MEMBER: 2}
ROLE_WORDS: dict[str, str] = {
    MembershipRole.HEAD: "Cụm trưởng",
    MembershipRole.DEPUTY: "Cụm phó",
    MembershipRole.MEMBER: "Thành viên",
}
SIGNATURES_PER_ROW = 2
SIGNATURE_BLANK_LINES = 4

MEMBER_COLUMNS = (
    Column("TT", 12, Align.CENTER),
    Column("Đơn vị", 118, Align.LEFT),
    Column("Vai trò", 35, Align.CENTER),
)
PLEDGE_COLUMNS = (
    Column("TT", 12, Align.CENTER),
    Column("Đơn vị", 52, Align.LEFT),
    Column("Danh hiệu đăng ký", 40, Align.LEFT),
    Column("Cam kết của trường", 61, Align.LEFT),
)
COMMON_COMMITMENTS = (
    "Lãnh đạo, chỉ đạo thực hiện tốt nhiệm vụ chính trị được giao; tổ chức phong trào thi đua "
    "thiết thực, hiệu quả, gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Phấn đấu hoàn thành và hoàn thành vượt mức các chỉ tiêu đã đăng ký theo bảng tiêu chí chấm điểm "
    "thi đua của Cụm năm {year}.",
    "Tham gia đầy đủ các hoạt động chung của Cụm; chia sẻ kinh nghiệm, phối hợp, giúp đỡ nhau cùng tiến bộ.",
    "Tự chấm điểm trung thực, khách quan, có đủ minh chứng và gửi đúng thời hạn; tham gia chấm chéo "
    "công tâm, đúng hướng dẫn.",
    "Thực hiện nghiêm chế độ thông tin, báo cáo với Thường trực Cụm và Học viện.",
)


@dataclass(frozen=True)
class Signer:
    organization: Organization
    role: str

    @property
    def authority(self) -> tuple[str, ...]:
        return (f"T/M {self.organization.name}", "Hiệu trưởng")


@dataclass(frozen=True)
class CovenantDocument:
    document: pf.Document
    signers: tuple[Signer, ...]


def _members(campaign: Campaign) -> list[Membership]:
    rows = list(
        Membership.objects.filter(cluster_year=campaign.cluster_year)
        .select_related("organization")
        .order_by("organization__name_sort")
    )
    return sorted(rows, key=lambda m: ROLE_ORDER.get(m.role, 3))


def covenant_document(campaign: Campaign) -> CovenantDocument:
    """What both formats render: the Party-format document and the signers."""
    cluster_year = campaign.cluster_year
    cluster = cluster_year.cluster
    members = _members(campaign)
    registrations = {
        r.organization_id: r for r in Registration.objects.filter(campaign=campaign, status=SubmissionStatus.SUBMITTED)
    }
    covenant = Covenant.objects.filter(campaign=campaign).first()
    head = next((m.organization for m in members if m.role == MembershipRole.HEAD), None)
    coordinator = cluster.coordinator
    year = cluster_year.year
    letterhead = pf.Letterhead(
        organ=cluster.name,
        parent_organ=coordinator.name if coordinator else "",
        place=head.province if head else "",
        day=covenant.signed_on if covenant is not None else None,
        year=year,
    )
    title = pf.Title(kind=DOCUMENT_KIND, subject=(f"Năm {year}",))
    coordinator_name = coordinator.name if coordinator else "cơ quan điều phối"
    blocks: list[pf.Block] = [
        pf.body(
            "Căn cứ Luật Thi đua, khen thưởng và các văn bản hướng dẫn thi hành; căn cứ hướng dẫn tổ chức "
            f"phong trào thi đua của {coordinator_name} đối với các cụm thi đua;"
        ),
        pf.body(f"Các trường thành viên {cluster.name} thống nhất ký giao ước thi đua năm {year}"),
    ]
    if cluster_year.theme:
        blocks.append(pf.body("với chủ đề:"))
        blocks.append(para(f"“{cluster_year.theme}”", bold=True, align=Align.CENTER))
    blocks.append(pf.Heading("I. Các trường thành viên Cụm"))
    blocks.append(
        pf.Table(
            MEMBER_COLUMNS,
            tuple(
                Row((cell(str(i)), cell(m.organization.name), cell(ROLE_WORDS.get(m.role, ""))))
                for i, m in enumerate(members, start=1)
            ),
        )
    )
    blocks.append(pf.Heading("II. Nội dung giao ước"))
    blocks += [pf.body(f"{i}. {text.format(year=year)}") for i, text in enumerate(COMMON_COMMITMENTS, start=1)]
    blocks.append(pf.Heading("III. Danh hiệu đăng ký và cam kết của từng trường"))
    blocks.append(pf.Table(PLEDGE_COLUMNS, tuple(_pledge_row(i, m, registrations) for i, m in enumerate(members, 1))))
    blocks.append(
        pf.body(
            f"Giao ước này được lập thành {len(members) + 1} bản: mỗi trường thành viên giữ một bản, "
            "một bản gửi Học viện để báo cáo. Các trường cam kết thực hiện nghiêm túc nội dung đã giao ước."
        )
    )
    document = pf.Document(
        letterhead=letterhead,
        title=title,
        blocks=tuple(blocks),
        metadata_title=f"{DOCUMENT_KIND} {cluster.name} năm {year}",
    )
    return CovenantDocument(document, tuple(Signer(m.organization, m.role) for m in members))


def _pledge_row(index: int, member: Membership, registrations: dict[int, Registration]) -> Row:
    registration = registrations.get(member.organization_id)
    if registration is None:  # a draft stays the school's own: it is not printed
        return Row((cell(str(index)), cell(member.organization.name), cell("Chưa ký duyệt đăng ký"), cell("")))
    titles = [para(f"- {t}") for t in registration.aimed_titles] or [para("")]
    commitment = [para(line) for line in registration.commitment.splitlines() if line.strip()] or [para("")]
    return Row((cell(str(index)), cell(member.organization.name), cell(*titles), cell(*commitment)))


# ---- DOCX ----------------------------------------------------------------------------------


def covenant_docx(campaign: Campaign) -> bytes:
    """The covenant as an editable DOCX."""
    built = covenant_document(campaign)
    document = built.document
    out = word.new_document(title=document.file_title)
    width = pf.text_width_mm()
    word.add_letterhead(out, document.letterhead, width_mm=width)
    word.add_title(out, document.title)
    for block in document.blocks:
        word.add_block(out, block)
    _add_signatures_docx(out, built.signers, width)
    return word.to_bytes(out)


def _add_signatures_docx(out: WordDocument, signers: tuple[Signer, ...], width: float) -> None:
    heading = word.add_paragraph(
        out, para("Đại diện các trường ký giao ước".upper(), bold=True), default_align=Align.CENTER, size=pf.ORGAN_PT
    )
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True
    rows = (len(signers) + SIGNATURES_PER_ROW - 1) // SIGNATURES_PER_ROW
    table = out.add_table(rows=rows, cols=SIGNATURES_PER_ROW)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    column_width = Mm(width / SIGNATURES_PER_ROW)
    for column in table.columns:
        column.width = column_width
        for word_cell in column.cells:
            word_cell.width = column_width
    for index, signer in enumerate(signers):
        target = table.cell(index // SIGNATURES_PER_ROW, index % SIGNATURES_PER_ROW)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        lines = [para(line.upper(), bold=True) for line in signer.authority]
        lines += [para("") for _ in range(SIGNATURE_BLANK_LINES)]
        first = target.paragraphs[0]
        for line in lines:
            written = word.add_paragraph(target, line, default_align=Align.CENTER, size=pf.TABLE_PT)
            written.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first._p.getparent().remove(first._p)  # the empty paragraph every new cell starts with
    for word_row in table.rows:
        word_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# ---- PDF -----------------------------------------------------------------------------------


def covenant_pdf(campaign: Campaign) -> bytes:
    """The covenant as a PDF for reading and printing, fonts embedded."""
    built = covenant_document(campaign)
    rows = [built.signers[i : i + SIGNATURES_PER_ROW] for i in range(0, len(built.signers), SIGNATURES_PER_ROW)]
    return render_template_pdf("campaigns/covenant/pdf.html", {"document": built.document, "signer_rows": rows})
