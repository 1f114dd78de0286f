from __future__ import annotations

import dataclasses

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from tests.documents.readers import docx_paragraph_texts, docx_runs, docx_text, open_docx
from thidua.documents.word import render_docx


def _mm(length: Length | None) -> float:
    """A length in millimetres to 0.1 mm (Word stores twips, so Mm(10) comes back as 10.001)."""
    assert length is not None
    return round(length.mm, 1)


def test_the_page_is_a4_portrait_with_the_party_formats_margins(minutes):
    section = open_docx(render_docx(minutes)).sections[0]

    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (_mm(section.top_margin), _mm(section.bottom_margin)) == (20, 20)
    assert (_mm(section.left_margin), _mm(section.right_margin)) == (30, 15)


def test_a_landscape_document_turns_the_a4_page(minutes):
    section = open_docx(render_docx(dataclasses.replace(minutes, landscape=True))).sections[0]

    assert (_mm(section.page_width), _mm(section.page_height)) == (297, 210)
    assert section.orientation == WD_ORIENT.LANDSCAPE


def test_the_text_is_times_new_roman_14_pt_in_vietnamese_by_default(minutes):
    document = open_docx(render_docx(minutes))
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    language = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))

    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Times New Roman"}
    assert language.get(qn("w:val")) == "vi-VN"


def test_every_run_is_times_new_roman_and_sized_by_the_format(minutes):
    runs = docx_runs(open_docx(render_docx(minutes)))
    sizes = {run.text: run.font.size.pt for run in runs}

    assert {run.font.name for run in runs} == {"Times New Roman"}
    assert sizes["ĐẢNG CỘNG SẢN VIỆT NAM"] == 15  # the Party heading
    assert sizes["BIÊN BẢN"] == 15  # the document type
    assert sizes["Hội nghị tổng kết phong trào thi đua Cụm năm 2023 tiến hành kiểm phiếu bầu."] == 14
    assert sizes["Trường Chính trị tỉnh Tiền Giang"] == 13  # tables
    assert sizes["- Các trường thành viên Cụm"] == 12  # recipients
    assert set(sizes.values()) <= {12, 13, 14, 15}


def test_the_letterhead_has_the_organs_the_party_heading_the_number_and_the_date(minutes):
    document = open_docx(render_docx(minutes))
    letterhead = document.tables[0]
    heading = letterhead.cell(0, 1).paragraphs[0].runs[0]
    date = letterhead.cell(1, 1).paragraphs[0].runs[0]

    assert [p.text for p in letterhead.cell(0, 0).paragraphs] == [
        "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH",
        "CỤM THI ĐUA SỐ 9",
        "*",
    ]
    assert letterhead.cell(0, 0).paragraphs[1].runs[0].bold is True
    assert (heading.text, heading.bold, heading.underline) == ("ĐẢNG CỘNG SẢN VIỆT NAM", True, True)
    assert letterhead.cell(1, 0).text == "Số 05-BB/CTĐ"
    assert (date.text, date.italic) == ("Tiền Giang, ngày 05 tháng 02 năm 2024", True)


def test_the_title_body_and_headings_follow_the_letterhead(minutes):
    document = open_docx(render_docx(minutes))
    texts = [p.text for p in document.paragraphs if p.text]

    assert texts[:6] == [
        "BIÊN BẢN",
        "kiểm phiếu suy tôn đơn vị dẫn đầu",
        "(Dự thảo)",
        "-----",
        "I. Thành phần",
        "Hội nghị tổng kết phong trào thi đua Cụm năm 2023 tiến hành kiểm phiếu bầu.",
    ]
    body = next(p for p in document.paragraphs if p.text.startswith("Hội nghị"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert _mm(body.paragraph_format.first_line_indent) == 10
    mixed = next(p for p in document.paragraphs if p.text.startswith("Kết quả"))
    assert [(r.text, r.bold) for r in mixed.runs] == [("Kết quả như sau:", None), (" đã kiểm đủ", True)]
    assert mixed.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_a_table_repeats_its_header_row_and_merges_spanned_cells(minutes):
    table = open_docx(render_docx(minutes)).tables[1]
    header = table.rows[0]._tr.trPr

    assert [c.text for c in table.rows[0].cells] == ["TT", "Đơn vị", "Số phiếu"]
    assert header.find(qn("w:tblHeader")) is not None
    assert [c.text for c in table.rows[2].cells] == ["1", "Trường Chính trị tỉnh Tiền Giang", "7"]
    assert [c.text for c in table.rows[4].cells] == ["Tổng số phiếu hợp lệ", "Tổng số phiếu hợp lệ", "12"]
    assert table.rows[4].cells[0]._tc is table.rows[4].cells[1]._tc
    assert table.rows[1].cells[1].paragraphs[0].runs[0].bold is True  # a group row
    assert table.rows[1].cells[1].paragraphs[0].paragraph_format.keep_with_next is True
    assert [round(c.width.mm) for c in table.rows[2].cells] == [15, 110, 40]


def test_the_signature_block_has_authority_name_and_recipients(minutes):
    signature = open_docx(render_docx(minutes)).tables[-1]
    right = [p.text for p in signature.cell(0, 1).paragraphs if p.text]
    left = [p.text for p in signature.cell(0, 0).paragraphs]

    assert right == ["T/M BAN KIỂM PHIẾU", "TRƯỞNG BAN", "Nguyễn Thị Hồng Nhung"]
    assert left == ["Nơi nhận:", "- Các trường thành viên Cụm", "- Lưu Thường trực Cụm."]


def test_pages_after_the_first_are_numbered_at_the_top(minutes):
    section = open_docx(render_docx(minutes)).sections[0]

    assert section.different_first_page_header_footer is True
    assert section.header._element.find(".//" + qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
    assert section.first_page_header.paragraphs[0].text == ""


def test_the_file_properties_carry_the_title_and_language(minutes):
    properties = open_docx(render_docx(minutes)).core_properties

    assert properties.title == "Biên bản kiểm phiếu suy tôn đơn vị dẫn đầu"
    assert properties.language == "vi-VN"
    assert properties.author == "Thi đua"


def test_every_text_of_the_document_is_in_the_file(minutes):
    text = docx_text(open_docx(render_docx(minutes)))

    for expected in ("Các trường đồng bằng", "Trường Chính trị tỉnh Bạc Liêu", "Ghi chú", "TRƯỞNG BAN"):
        assert expected in text
    assert "Ghi chú" in docx_paragraph_texts(open_docx(render_docx(minutes)))
