"""The covenant (giao ước thi đua): generated as DOCX and PDF from the cluster year — theme,
members, commitments, one signature block per school — and its signed scan kept and served
only to the campaign's members, as an attachment."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.campaigns.conftest import THEME, register
from tests.documents.readers import docx_text, open_docx, pdf_text
from thidua.campaigns import services
from thidua.campaigns.documents import covenant_docx, covenant_pdf
from thidua.campaigns.models import Covenant
from thidua.core.audit import entries_for

pytestmark = pytest.mark.django_db

URL = "/campaigns/K/2020/covenant/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_docx_names_the_theme_every_member_and_a_signature_block_per_school(year):
    register(year, year.world.school_a, submit=True, titles=("Cờ thi đua",))
    register(year, year.world.school_b, titles=("Bằng khen",))  # a draft: not printed

    text = docx_text(open_docx(covenant_docx(year.campaign)))

    assert "GIAO ƯỚC THI ĐUA" in text
    assert "Năm 2020" in text
    assert f"“{THEME}”" in text
    assert "Trường Chính trị tỉnh Tiền Giang" in text
    assert "Trường Chính trị tỉnh Bạc Liêu" in text
    assert "Trường Chính trị tỉnh Tiền Giang cam kết hoàn thành vượt mức chỉ tiêu." in text
    assert "Trường Chính trị tỉnh Bạc Liêu cam kết" not in text
    assert "Chưa ký duyệt đăng ký" in text
    assert "ĐẠI DIỆN CÁC TRƯỜNG KÝ GIAO ƯỚC" in text
    assert text.count("HIỆU TRƯỞNG") == 2
    assert "T/M TRƯỜNG CHÍNH TRỊ TỈNH TIỀN GIANG" in text
    assert "T/M TRƯỜNG CHÍNH TRỊ TỈNH BẠC LIÊU" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Tiền Giang, ngày … tháng … năm 2020" in text


def test_the_docx_carries_the_signing_day_once_the_scan_is_kept(year):
    services.upload_covenant_scan(
        actor=year.world.alice,
        campaign=year.campaign,
        upload=SimpleUploadedFile("giao-uoc.pdf", PDF_BYTES),
        signed_on=datetime.date(2020, 4, 3),
    )

    assert "Tiền Giang, ngày 03 tháng 4 năm 2020" in docx_text(open_docx(covenant_docx(year.campaign)))


def test_the_pdf_says_the_same_with_its_diacritics(year):
    register(year, year.world.school_a, submit=True, titles=("Cờ thi đua",))

    text = pdf_text(covenant_pdf(year.campaign))

    assert "GIAO ƯỚC THI ĐUA" in text
    assert f"“{THEME}”" in text
    assert "Trường Chính trị tỉnh Tiền Giang" in text
    assert "Trường Chính trị tỉnh Bạc Liêu" in text
    assert "Cờ thi đua" in text
    assert "T/M TRƯỜNG CHÍNH TRỊ TỈNH TIỀN GIANG" in text
    assert "T/M TRƯỜNG CHÍNH TRỊ TỈNH BẠC LIÊU" in text
    assert text.count("HIỆU TRƯỞNG") == 2


@pytest.mark.parametrize(("suffix", "kind"), [("giao-uoc.docx", "docx"), ("giao-uoc.pdf", "pdf")])
def test_members_download_the_covenant_as_an_attachment(year, client_for, suffix, kind):
    response = client_for(year.world.bob).get(f"{URL}{suffix}")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="giao-uoc-thi-dua-k-2020.{kind}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_school_of_another_cluster_cannot_download_it(year, client_for):
    assert client_for(year.world.frank).get(f"{URL}giao-uoc.docx").status_code == 404


def test_the_secretariat_uploads_the_signed_scan_and_members_download_it(year, client_for, html):
    response = client_for(year.world.alice).post(
        URL, {"scan": SimpleUploadedFile("Giao ước đã ký.pdf", PDF_BYTES), "signed_on": "03/04/2020"}, follow=True
    )

    covenant = Covenant.objects.select_related("scan").get()
    assert covenant.signed_on == datetime.date(2020, 4, 3)
    assert len(covenant.scan.sha256) == 64
    assert "Đã lưu bản quét giao ước đã ký." in html.text(response)
    assert f"SHA-256: {covenant.scan.sha256}" in html.text(response, "covenant-scan")
    entry = entries_for(year.campaign).filter(action="covenant.upload").get()
    assert (entry.data["file"], entry.data["sha256"]) == ("Giao ước đã ký.pdf", covenant.scan.sha256)

    download = client_for(year.world.bob).get(f"{URL}scan/")
    assert download["Content-Disposition"] == 'attachment; filename="giao-uoc-thi-dua-k-2020-ban-ky.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_scan_that_is_not_a_pdf_or_an_image_is_refused_with_why(year, client_for, html):
    response = client_for(year.world.alice).post(
        URL, {"scan": SimpleUploadedFile("giao-uoc.pdf", b"MZ\x90\x00 not a pdf at all"), "signed_on": "03/04/2020"}
    )

    assert response.status_code == 400
    assert "giao-uoc.pdf" in html.text(response, "covenant-upload")
    assert not Covenant.objects.exists()


def test_a_signing_day_in_the_future_is_refused(year, client_for, html):
    response = client_for(year.world.alice).post(
        URL, {"scan": SimpleUploadedFile("scan.png", PNG_BYTES), "signed_on": "01/01/2099"}
    )

    assert "Ngày ký không thể sau hôm nay." in html.text(response, "covenant-upload")
    assert not Covenant.objects.exists()


def test_a_member_school_neither_uploads_nor_sees_the_upload_form(year, client_for, html):
    client = client_for(year.world.bob)

    page = client.get(URL)
    refused = client.post(URL, {"scan": SimpleUploadedFile("scan.pdf", PDF_BYTES), "signed_on": "03/04/2020"})

    assert not html.has(page, "covenant-upload")
    assert refused.status_code == 403
    assert not Covenant.objects.exists()


def test_the_scan_is_a_404_before_it_is_uploaded_and_for_a_non_member(year, client_for):
    services.upload_covenant_scan(
        actor=year.world.alice,
        campaign=year.campaign,
        upload=SimpleUploadedFile("scan.pdf", PDF_BYTES),
        signed_on=datetime.date(2020, 4, 3),
    )

    assert client_for(year.world.frank).get(f"{URL}scan/").status_code == 404
    Covenant.objects.all().delete()
    assert client_for(year.world.bob).get(f"{URL}scan/").status_code == 404
