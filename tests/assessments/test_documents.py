"""The self-assessment report (DOCX and PDF), read back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.assessments.conftest import save
from tests.documents.readers import docx_text, open_docx, pdf_fonts, pdf_text
from thidua.assessments import documents, services
from thidua.assessments.models import Evidence, EvidenceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(sheet):
    bob = sheet.world.bob
    save(bob, sheet.entry("I.1"), level="Tốt", explanation="Kế hoạch số 12-KH/TCT ngày 05/01/2020")
    save(bob, sheet.entry("I.4"), points=Decimal("1.75"))
    save(bob, sheet.entry("II.3"), count=6)
    save(bob, sheet.entry("P.1"), count=1)
    save(bob, sheet.entry("C.1"), passed=True)
    Evidence.objects.create(
        entry=sheet.entry("I.1"),
        kind=EvidenceKind.LINK,
        title="Kế hoạch công tác năm 2020",
        url="https://example.org/kh",
    )
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)
    sheet.assessment_b.refresh_from_db()
    return sheet


def test_the_docx_report_has_the_party_format_the_criteria_and_the_total(filled):
    text = docx_text(open_docx(documents.report_docx(filled.assessment_b)))

    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "TRƯỜNG CHÍNH TRỊ TỈNH BẠC LIÊU" in text
    assert "TỈNH ỦY BẠC LIÊU" in text
    assert "BÁO CÁO" in text
    assert "Kết quả tự chấm điểm thi đua năm 2020" in text
    assert "Xây dựng và thực hiện kế hoạch công tác năm, quy chế làm việc" in text
    assert "Kế hoạch số 12-KH/TCT ngày 05/01/2020" in text
    assert "Minh chứng: Kế hoạch công tác năm 2020." in text
    # I: 3 + 1,75; II: 6 × 0,5 = 3; penalty 0,5 → 7,25
    assert "Tổng điểm tự chấm: 7,25/100 điểm (điểm các nhóm 7,75 + điểm thưởng 0 − điểm trừ 0,5)." in text
    assert "Bình Lê" in text


def test_the_pdf_report_says_the_same_with_fonts_embedded(filled):
    data = documents.report_pdf(filled.assessment_b)

    text = pdf_text(data)
    assert data[:5] == b"%PDF-"
    assert "Kết quả tự chấm điểm thi đua năm 2020" in text
    assert "Tổng điểm tự chấm: 7,25/100 điểm" in text
    assert all(embedded == "yes" for _name, embedded in pdf_fonts(data))


def test_a_draft_report_says_it_is_a_draft(sheet):
    text = docx_text(open_docx(documents.report_docx(sheet.assessment_b)))

    assert "(Bản nháp — chưa gửi Thường trực Cụm)" in text
    assert "ngày … tháng … năm 2020" in text


def test_the_report_downloads_are_attachments(filled, client_for):
    client = client_for(filled.world.bob)

    docx = client.get("/assessments/K/2020/B/report.docx")
    pdf = client.get("/assessments/K/2020/B/report.pdf")

    assert docx["Content-Disposition"] == 'attachment; filename="bao-cao-tu-cham-diem-k-2020-b.docx"'
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-Type-Options"] == "nosniff"
