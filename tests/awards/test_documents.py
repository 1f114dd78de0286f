"""The submission letter, the achievement report, the dossier ZIP and ``build_dossier``,
read back (python-docx, pdftotext, zipfile)."""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
from django.core.management import call_command
from django.urls import reverse

from tests.documents.readers import pdf_text
from thidua.awards import services
from thidua.awards.documents import achievement_report_docx, achievement_report_pdf, submission_letter_docx
from thidua.awards.dossier import proposal_dossier_zip
from thidua.awards.models import AwardRecord, ProposalStatus


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _approved(aw):
    AwardRecord.objects.create(
        organization=aw.world.school_a, award=aw.awards["bang-khen-giam-doc"], year=2019,
        decision_number="1789-QĐ/HVCTQG", decision_date=datetime.date(2019, 12, 20),
    )  # fmt: skip
    proposal = aw.propose(note="Tổng điểm 95,5; xếp thứ nhất", achievements="Mở 45 lớp bồi dưỡng, vượt 12,5% kế hoạch")
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    return services.decide_proposal(
        actor=aw.world.dave, proposal=proposal, expected_version=None, outcome=ProposalStatus.APPROVED,
        decision_number="1234-QĐ/HVCTQG", decision_date=datetime.date(2020, 12, 15),
    )  # fmt: skip


def test_the_submission_letter_lists_the_years_proposals(aw):
    aw.propose(note="Tổng điểm 95,5")
    aw.propose(nominee=aw.world.school_b, code="bang-khen-giam-doc", note="Xếp thứ hai")

    text = _text(submission_letter_docx(aw.campaign))

    assert "TỜ TRÌNH" in text
    assert "Về việc đề nghị khen thưởng năm 2020" in text
    assert "Trường Chính trị tỉnh Tiền Giang" in text
    assert "Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh" in text
    assert "Trường Chính trị tỉnh Bạc Liêu" in text
    assert "Bằng khen của Giám đốc Học viện" in text
    assert "khen thưởng 2 tập thể" in text
    assert "Tổng điểm 95,5" in text


def test_the_achievement_report_has_the_three_parts_and_the_history(aw, tmp_path):
    proposal = _approved(aw)

    text = _text(achievement_report_docx(proposal))

    assert "BÁO CÁO THÀNH TÍCH" in text
    assert "I. ĐẶC ĐIỂM, TÌNH HÌNH" in text
    assert "II. THÀNH TÍCH ĐẠT ĐƯỢC" in text
    assert "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN" in text
    assert "Năm 2020, trường có 60 cán bộ, viên chức, trong đó 48 giảng viên" in text
    assert "Mở 45 lớp bồi dưỡng, vượt 12,5% kế hoạch" in text
    assert "Quyết định số 1789-QĐ/HVCTQG ngày 20/12/2019" in text
    assert "Quyết định số 1234-QĐ/HVCTQG ngày 15/12/2020" in text

    pdf = pdf_text(achievement_report_pdf(proposal))
    assert "BÁO CÁO THÀNH TÍCH" in pdf
    assert "Tiền Giang" in pdf
    assert "1234-QĐ/HVCTQG" in pdf


def test_the_dossier_zip_holds_every_document_and_names_what_is_missing(aw):
    proposal = _approved(aw)

    archive = zipfile.ZipFile(io.BytesIO(proposal_dossier_zip(proposal)))

    assert sorted(archive.namelist()) == [
        "README.txt", "bang-ket-qua-2020.xlsx", "bao-cao-thanh-tich-a-co-hoc-vien.docx",
        "bao-cao-thanh-tich-a-co-hoc-vien.pdf", "to-trinh-2020.docx", "to-trinh-2020.pdf",
    ]  # fmt: skip
    readme = archive.read("README.txt").decode()
    assert "Biên bản họp Cụm: chưa có hội nghị tổng kết." in readme
    assert "Biên bản kiểm phiếu" in readme


def test_the_dossier_download_is_refused_to_a_fellow_member(aw, client_for):
    proposal = _approved(aw)
    assert client_for(aw.world.bob).get(reverse("awards:proposal_zip", args=[proposal.pk])).status_code == 403
    response = client_for(aw.world.dave).get(reverse("awards:proposal_zip", args=[proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"


def test_build_dossier_writes_the_years_proposals(aw, tmp_path):
    _approved(aw)
    aw.propose(nominee=aw.world.school_b, code="bang-khen-giam-doc")
    out = tmp_path / "hs.zip"

    call_command("build_dossier", "--cluster", "k", "--year", "2020", "-o", str(out))

    names = zipfile.ZipFile(out).namelist()
    assert "a-co-hoc-vien/bao-cao-thanh-tich-a-co-hoc-vien.docx" in names
    assert "b-bang-khen-giam-doc/bao-cao-thanh-tich-b-bang-khen-giam-doc.pdf" in names
    assert "to-trinh-2020.docx" in names
    assert "README.txt" in names


def test_the_dossier_includes_the_voting_minutes_when_there_is_a_closed_ballot(aw):
    from tests.awards.test_basis import _ballot

    ballot = _ballot(aw)
    proposal = aw.propose(ballot=ballot)

    archive = zipfile.ZipFile(io.BytesIO(proposal_dossier_zip(proposal)))

    names = set(archive.namelist())
    assert {"bien-ban-hop-cum-2020.docx", "bien-ban-hop-cum-2020.pdf"} <= names
    assert {f"bien-ban-kiem-phieu-2020-{ballot.pk}.docx", f"bien-ban-kiem-phieu-2020-{ballot.pk}.pdf"} <= names
    assert "Còn thiếu" not in archive.read("README.txt").decode()
