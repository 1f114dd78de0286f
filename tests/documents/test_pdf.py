from __future__ import annotations

import dataclasses

import pytest

from tests.documents.readers import pdf_fonts, pdf_info, pdf_text
from thidua.documents.pdf import DocumentRenderError, html_to_pdf, render_pdf, render_template_pdf


@pytest.fixture
def minutes_pdf(minutes) -> bytes:
    return render_pdf(minutes)


def test_the_pdf_is_an_a4_page_titled_like_the_document(minutes_pdf):
    info = pdf_info(minutes_pdf)

    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert info["Title"] == "Biên bản kiểm phiếu suy tôn đơn vị dẫn đầu"


def test_a_landscape_pdf_turns_the_a4_page(minutes):
    info = pdf_info(render_pdf(dataclasses.replace(minutes, landscape=True)))

    assert info["Page size"] == "841.89 x 595.276 pts (A4)"


def test_liberation_serif_is_embedded_and_no_other_font_is_used(minutes_pdf):
    fonts = pdf_fonts(minutes_pdf)

    assert {name.split("+", 1)[1] for name, _ in fonts} == {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic",  # the level-2 heading
    }
    assert {embedded for _, embedded in fonts} == {"yes"}


def test_the_text_reads_back_with_its_diacritics_in_the_documents_order(minutes_pdf):
    text = pdf_text(minutes_pdf)
    expected = [
        "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH",
        "CỤM THI ĐUA SỐ 9",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 05-BB/CTĐ",
        "Tiền Giang, ngày 05 tháng 02 năm 2024",
        "BIÊN BẢN",
        "kiểm phiếu suy tôn đơn vị dẫn đầu",
        "I. Thành phần",
        "Hội nghị tổng kết phong trào thi đua Cụm năm 2023 tiến hành kiểm phiếu bầu.",
        "Trường Chính trị tỉnh Tiền Giang",
        "Tổng số phiếu hợp lệ",
        "T/M BAN KIỂM PHIẾU",
        "Nguyễn Thị Hồng Nhung",
    ]

    positions = [text.find(item) for item in expected]

    assert -1 not in positions, [item for item, at in zip(expected, positions, strict=True) if at == -1]
    assert positions == sorted(positions)
    assert "Nơi nhận:" in text


def test_a_template_extending_the_base_gets_the_letterhead_and_its_own_content(minutes):
    html_pdf = render_template_pdf("documents/pdf_document.html", {"document": minutes})

    assert "CỤM THI ĐUA SỐ 9" in pdf_text(html_pdf)


def test_nothing_is_fetched_from_the_network():
    html = '<html><body><p>Ảnh</p><img src="http://example.invalid/logo.png"></body></html>'

    with pytest.raises(DocumentRenderError, match=r"example\.invalid"):
        html_to_pdf(html)
