"""Party-format documents as editable DOCX (python-docx).

`render_docx(document)` writes a whole `party_format.Document`. The builders it is made of —
`new_document`, `add_letterhead`, `add_title`, `add_block`, `add_table`, `add_signature`,
`to_bytes` — are public for documents that need something the model does not say (a form
filled in by hand, a chart image): start from `new_document`, add the standard parts, then
use python-docx directly.

The text is set in "Times New Roman" (Word substitutes a metric-compatible font where it is
missing, such as Liberation Serif); sizes and margins come from `party_format`.
"""

from __future__ import annotations

import io
from typing import Protocol

import docx
from django.utils import timezone
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.font import Font
from docx.text.paragraph import Paragraph as WordParagraph

from thidua.documents import party_format as pf
from thidua.documents.fonts import WORD_FONT

ALIGNMENT = {
    pf.Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    pf.Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    pf.Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
    pf.Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
}
LANGUAGE = "vi-VN"
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
# Children of <w:tblPr> that the schema puts after <w:tblBorders> (Word rejects another order).
TBL_PR_AFTER_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
TWIPS_PER_MM = 1440 / 25.4
SIGNATURE_SPACE_LINES = 4  # room for the signature and the seal


class _ParagraphContainer(Protocol):
    def add_paragraph(self, text: str = "", style: str | None = None) -> WordParagraph: ...


# ---- the document ------------------------------------------------------------------------


def new_document(*, landscape: bool = False, title: str = "") -> WordDocument:
    """An empty A4 document with the Party format's margins, fonts, language and page numbers."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Mm(pf.PAGE_WIDTH_MM), Mm(pf.PAGE_HEIGHT_MM)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = Mm(pf.MARGIN_TOP_MM)
    section.bottom_margin = Mm(pf.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(pf.MARGIN_LEFT_MM)
    section.right_margin = Mm(pf.MARGIN_RIGHT_MM)
    section.header_distance = Mm(pf.HEADER_DISTANCE_MM)
    _set_default_font(document)
    _add_page_numbers(document)
    properties = document.core_properties
    properties.title = title
    properties.author = "Thi đua"
    properties.last_modified_by = "Thi đua"
    properties.comments = ""
    properties.language = LANGUAGE
    now = timezone.now()
    properties.created = now
    properties.modified = now
    return document


def to_bytes(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(document: pf.Document) -> bytes:
    """The whole document as DOCX bytes."""
    word = new_document(landscape=document.landscape, title=document.file_title)
    width = pf.text_width_mm(landscape=document.landscape)
    add_letterhead(word, document.letterhead, width_mm=width)
    add_title(word, document.title)
    for block in document.blocks:
        add_block(word, block)
    if document.signature is not None:
        add_signature(word, document.signature, width_mm=width)
    return to_bytes(word)


def _set_default_font(document: WordDocument) -> None:
    """Times New Roman 14 pt, Vietnamese, for every script slot: in the document defaults (so
    tables and headers inherit it) and in the Normal style. The defaults' theme fonts go, since
    Word prefers a theme font over a named one."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None:
        for old in run_defaults.findall(qn("w:rPr")):
            run_defaults.remove(old)
        properties = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        for slot in FONT_SLOTS:
            fonts.set(qn(slot), WORD_FONT)
        properties.append(fonts)
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), str(pf.BODY_PT * 2))
            properties.append(size)
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), LANGUAGE)
        properties.append(language)
        run_defaults.append(properties)
    normal = document.styles["Normal"]
    _set_font(normal.font, pf.BODY_PT)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.0


def _set_font(font: Font, size: float) -> None:
    """The named font in all four script slots (Vietnamese letters fall in "hAnsi") and the size."""
    font.name = WORD_FONT
    font.size = Pt(size)
    fonts = font.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), WORD_FONT)


def _add_page_numbers(document: WordDocument) -> None:
    """Page numbers centred at the top from page 2 on; none on the first page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# ---- the standard parts ------------------------------------------------------------------


def add_letterhead(document: WordDocument, letterhead: pf.Letterhead, *, width_mm: float | None = None) -> None:
    """Organs, asterisk and number on the left; the Party heading, underlined, and the place
    and date on the right. Two rows, so that the number and the date share a line."""
    width = width_mm if width_mm is not None else pf.text_width_mm()
    left, right = width * 0.42, width * 0.58
    table = _borderless_table(document, rows=2, widths=(left, right))
    organs = table.cell(0, 0)
    lines = []
    if letterhead.parent_organ:
        lines.append(pf.Paragraph((pf.Span(letterhead.parent_organ.upper()),)))
    lines.append(pf.Paragraph((pf.Span(letterhead.organ.upper(), bold=True),)))
    lines.append(pf.Paragraph((pf.Span("*"),)))
    _fill(organs, lines, align=pf.Align.CENTER, size=pf.ORGAN_PT)
    heading = pf.Paragraph((pf.Span(pf.PARTY_HEADING, bold=True, underline=True),))
    _fill(table.cell(0, 1), [heading], align=pf.Align.CENTER, size=pf.HEADING_PT)
    _fill(table.cell(1, 0), [pf.para(letterhead.number)], align=pf.Align.CENTER, size=pf.ORGAN_PT)
    _fill(table.cell(1, 1), [pf.para(letterhead.date_line, italic=True)], align=pf.Align.CENTER, size=pf.ORGAN_PT)
    for row in table.rows:
        for word_cell in row.cells:
            word_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    for word_cell in table.rows[1].cells:
        word_cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def add_title(document: WordDocument, title: pf.Title) -> None:
    """The document type, subject lines, optional note and the short rule under them."""
    kind = add_paragraph(
        document, pf.para(title.kind.upper(), bold=True), default_align=pf.Align.CENTER, size=pf.TYPE_PT
    )
    kind.paragraph_format.space_before = Pt(18)
    kind.paragraph_format.keep_with_next = True
    for line in title.subject:
        subject = add_paragraph(document, pf.para(line, bold=True), default_align=pf.Align.CENTER, size=pf.SUBJECT_PT)
        subject.paragraph_format.keep_with_next = True
    if title.note:
        add_paragraph(document, pf.para(title.note, italic=True), default_align=pf.Align.CENTER, size=pf.SUBJECT_PT)
    rule = add_paragraph(document, pf.para("-----"), default_align=pf.Align.CENTER, size=pf.SUBJECT_PT)
    rule.paragraph_format.space_after = Pt(12)


def add_block(document: WordDocument, block: pf.Block) -> None:
    if isinstance(block, pf.Heading):
        add_heading(document, block)
    elif isinstance(block, pf.Table):
        add_table(document, block)
    else:
        added = add_paragraph(document, block, default_align=pf.Align.JUSTIFY, size=pf.BODY_PT)
        added.paragraph_format.space_after = Pt(pf.PARAGRAPH_AFTER_PT)
        added.paragraph_format.line_spacing = pf.LINE_SPACING


def add_heading(document: WordDocument, heading: pf.Heading) -> None:
    spans = (pf.Span(heading.text, bold=True, italic=heading.level > 1),)
    added = add_paragraph(document, pf.Paragraph(spans, indent=True), default_align=pf.Align.JUSTIFY, size=pf.BODY_PT)
    added.paragraph_format.space_before = Pt(6)
    added.paragraph_format.space_after = Pt(pf.PARAGRAPH_AFTER_PT)
    added.paragraph_format.keep_with_next = True


def add_paragraph(
    container: _ParagraphContainer, paragraph: pf.Paragraph, *, default_align: pf.Align, size: float
) -> WordParagraph:
    """One paragraph with its spans; every run carries the font and size explicitly."""
    added = container.add_paragraph()
    _write(added, paragraph, default_align=default_align, size=size)
    return added


def add_table(document: WordDocument, table: pf.Table) -> WordTable:
    """A ruled table: header row repeated on each page, group rows kept with what follows."""
    widths = tuple(column.width_mm for column in table.columns)
    word_table = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    _layout(word_table, widths)
    _rule_all_borders(word_table)
    _cell_margins(word_table, vertical_mm=1.0, horizontal_mm=1.5)
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = word_table.rows[0]
    _repeat_as_header(header._tr)
    for index, column in enumerate(table.columns):
        _fill(header.cells[index], [pf.para(column.title, bold=True)], align=pf.Align.CENTER, size=table.size)
    for row_index, row in enumerate(table.rows, start=1):
        position = 0
        for source in row.cells:
            target = word_table.cell(row_index, position)
            if source.colspan > 1:
                target = target.merge(word_table.cell(row_index, position + source.colspan - 1))
            column = table.columns[position]
            paragraphs = list(source.paragraphs)
            if row.style is not pf.RowStyle.NORMAL:
                paragraphs = [_emphasised(p) for p in paragraphs]
            written = _fill(target, paragraphs, align=column.align, size=table.size)
            if row.style is pf.RowStyle.GROUP:
                for item in written:
                    item.paragraph_format.keep_with_next = True
            position += source.colspan
    for word_row in word_table.rows[1:]:
        word_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
    for word_row in word_table.rows:
        for word_cell in word_row.cells:
            word_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(pf.PARAGRAPH_AFTER_PT)
    return word_table


def add_signature(document: WordDocument, signature: pf.Signature, *, width_mm: float | None = None) -> None:
    """Recipients on the left, authority, room to sign and the name on the right."""
    width = width_mm if width_mm is not None else pf.text_width_mm()
    table = _borderless_table(document, rows=1, widths=(width * 0.45, width * 0.55))
    left, right = table.cell(0, 0), table.cell(0, 1)
    if signature.recipients:
        lines = [pf.Paragraph((pf.Span("Nơi nhận:", underline=True),), size=pf.ORGAN_PT)]
        lines += [pf.para(f"- {item}") for item in signature.recipients]
        _fill(left, lines, align=pf.Align.LEFT, size=pf.RECIPIENTS_PT)
    authority = [pf.para(line.upper(), bold=True) for line in signature.authority]
    blanks = [pf.para("") for _ in range(SIGNATURE_SPACE_LINES)]
    name = [pf.para(signature.name, bold=True)] if signature.name else []
    _fill(right, [*authority, *blanks, *name], align=pf.Align.CENTER, size=pf.ORGAN_PT)
    for word_cell in table.rows[0].cells:
        word_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# ---- helpers -----------------------------------------------------------------------------


def _write(target: WordParagraph, paragraph: pf.Paragraph, *, default_align: pf.Align, size: float) -> None:
    target.alignment = ALIGNMENT[paragraph.align or default_align]
    points = paragraph.size or size
    if paragraph.indent:
        target.paragraph_format.first_line_indent = Mm(pf.FIRST_LINE_INDENT_MM)
    if paragraph.keep_with_next:
        target.paragraph_format.keep_with_next = True
    for span in paragraph.spans:
        run = target.add_run(span.text)
        run.bold = span.bold or None
        run.italic = span.italic or None
        run.underline = span.underline or None
        _set_font(run.font, points)


def _fill(word_cell: _Cell, paragraphs: list[pf.Paragraph], *, align: pf.Align, size: float) -> list[WordParagraph]:
    """Write paragraphs into a cell, reusing the empty paragraph a new cell has."""
    written: list[WordParagraph] = []
    for index, paragraph in enumerate(paragraphs):
        target = word_cell.paragraphs[0] if index == 0 else word_cell.add_paragraph()
        _write(target, paragraph, default_align=align, size=size)
        written.append(target)
    return written


def _emphasised(paragraph: pf.Paragraph) -> pf.Paragraph:
    spans = tuple(pf.Span(s.text, bold=True, italic=s.italic, underline=s.underline) for s in paragraph.spans)
    return pf.Paragraph(spans, paragraph.align, paragraph.indent, paragraph.size, paragraph.keep_with_next)


def _borderless_table(document: WordDocument, *, rows: int, widths: tuple[float, ...]) -> WordTable:
    table = document.add_table(rows=rows, cols=len(widths))
    _layout(table, widths)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _layout(table: WordTable, widths: tuple[float, ...]) -> None:
    """Fixed column widths (Word and LibreOffice both honour the grid and the cell widths)."""
    table.autofit = False  # writes <w:tblLayout w:type="fixed"/>
    for index, width in enumerate(widths):
        table.columns[index].width = Mm(width)
        for word_cell in table.columns[index].cells:
            word_cell.width = Mm(width)


def _rule_all_borders(table: WordTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *TBL_PR_AFTER_BORDERS)


def _cell_margins(table: WordTable, *, vertical_mm: float, horizontal_mm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge, length in (
        ("top", vertical_mm),
        ("left", horizontal_mm),
        ("bottom", vertical_mm),
        ("right", horizontal_mm),
    ):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(length * TWIPS_PER_MM)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _repeat_as_header(row: CT_Row) -> None:
    properties = row.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))  # the schema's order: cantSplit, then tblHeader
    properties.append(OxmlElement("w:tblHeader"))
