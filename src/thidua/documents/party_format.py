"""A document in the Party's administrative format (thể thức văn bản của Đảng), as data.

A generated document — covenant, criteria table, minutes, submission letter — is described
once as a `Document` (letterhead, title, body blocks, signature) and rendered by
``word.render_docx`` (editable DOCX) and ``pdf.render_pdf`` (PDF for reading) alike, so the
two formats always say the same thing.

The conventions follow the Central Office's guidance on Party documents (Hướng dẫn
36-HD/VPTW): A4 portrait (landscape allowed for wide tables), margins top and bottom
20 mm, left 30 mm, right 15 mm; the heading "ĐẢNG CỘNG SẢN VIỆT NAM" top right, upper case,
bold, 15 pt, with a rule as long as itself beneath; on the left the directly superior organ
(upper case, 14 pt) and the issuing organ (upper case, bold, 14 pt) over an asterisk and the
number ("Số 12-BC/CTĐ"); the place and date in italics under the heading, days below 10 and
the months 1 and 2 written with a leading zero; the document type in upper case bold 15 pt,
the subject in bold 14 pt, a short rule beneath; the body in 14 pt, justified, first lines
indented; tables in 13 pt; the signature block upper case bold; the recipients ("Nơi nhận:")
in 12 pt. Every size here is in points, every length in millimetres.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, TypeAlias

PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10  # where the page number sits, inside the top margin

HEADING_PT = 15  # "ĐẢNG CỘNG SẢN VIỆT NAM"
ORGAN_PT = 14
TYPE_PT = 15  # tên loại văn bản
SUBJECT_PT = 14  # trích yếu
BODY_PT = 14
TABLE_PT = 13
RECIPIENTS_PT = 12
FIRST_LINE_INDENT_MM = 10
PARAGRAPH_AFTER_PT = 6
LINE_SPACING = 1.15  # multiple of single spacing in the body


def text_width_mm(*, landscape: bool = False) -> float:
    """The width between the margins."""
    width = PAGE_HEIGHT_MM if landscape else PAGE_WIDTH_MM
    return float(width - MARGIN_LEFT_MM - MARGIN_RIGHT_MM)


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of spans. `align` None takes the place's default (justified in the body, the
    column's alignment in a table); `indent` indents the first line (body text)."""

    spans: tuple[Span, ...]
    align: Align | None = None
    indent: bool = False
    size: float | None = None  # points; None = the place's default
    keep_with_next: bool = False
    kind: ClassVar[str] = "paragraph"  # for templates, which cannot ask isinstance

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


def para(
    *parts: str | Span,
    bold: bool = False,
    italic: bool = False,
    align: Align | None = None,
    indent: bool = False,
    size: float | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    """A paragraph from strings (styled by `bold`/`italic`) and ready-made spans."""
    spans = tuple(part if isinstance(part, Span) else Span(part, bold=bold, italic=italic) for part in parts)
    return Paragraph(spans, align=align, indent=indent, size=size, keep_with_next=keep_with_next)


def body(text: str) -> Paragraph:
    """A body paragraph: justified, first line indented."""
    return para(text, indent=True)


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading inside the body: level 1 bold ("I. ĐIỂM THƯỞNG"), level 2 bold italic."""

    text: str
    level: int = 1
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width_mm: float
    align: Align = Align.LEFT


class RowStyle(StrEnum):
    NORMAL = "normal"
    GROUP = "group"  # a group's row: bold, kept with the rows below it
    TOTAL = "total"  # a closing total: bold


@dataclass(frozen=True, slots=True)
class Cell:
    paragraphs: tuple[Paragraph, ...]
    colspan: int = 1


def cell(*paragraphs: Paragraph | str, colspan: int = 1) -> Cell:
    """A table cell; strings become plain paragraphs."""
    return Cell(tuple(p if isinstance(p, Paragraph) else para(p) for p in paragraphs), colspan)


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    style: RowStyle = RowStyle.NORMAL


@dataclass(frozen=True, slots=True)
class Table:
    """A ruled table; the header row (column titles) repeats on every page."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    size: float = TABLE_PT
    kind: ClassVar[str] = "table"

    def placed_rows(self) -> list[tuple[Row, list[tuple[Cell, Align]]]]:
        """Each row with each cell's alignment: that of the column the cell starts in."""
        placed: list[tuple[Row, list[tuple[Cell, Align]]]] = []
        for row in self.rows:
            position, cells = 0, []
            for item in row.cells:
                cells.append((item, self.columns[position].align))
                position += item.colspan
            placed.append((row, cells))
        return placed


Block: TypeAlias = Paragraph | Heading | Table


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The top of the first page: organs and number on the left, the Party heading and the
    place and date on the right. `day` None leaves the date to be written by hand
    ("ngày … tháng … năm 2024" when `year` is known)."""

    organ: str
    parent_organ: str = ""
    number: str = ""  # "Số 05-KH/CTĐ"; empty: no number line
    place: str = ""
    day: dt.date | None = None
    year: int | None = None

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.day, year=self.year)


@dataclass(frozen=True, slots=True)
class Title:
    """The document type (tên loại, e.g. "BÁO CÁO"), its subject lines (trích yếu) and an
    optional italic note under them ("(Kèm theo Kế hoạch số …)", "(Dự thảo)")."""

    kind: str
    subject: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Signature:
    """The signing block: authority lines ("T/M THƯỜNG TRỰC CỤM", "TRƯỞNG CỤM") over the space
    for the signature and seal and the signer's name; the recipients list on the left."""

    authority: tuple[str, ...]
    name: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    letterhead: Letterhead
    title: Title
    blocks: tuple[Block, ...] = ()
    signature: Signature | None = None
    landscape: bool = False
    metadata_title: str = ""  # the file's title property; defaults to the title

    @property
    def file_title(self) -> str:
        return self.metadata_title or " ".join((self.title.kind, *self.title.subject)).strip()


def date_line(place: str, day: dt.date | None, *, year: int | None = None) -> str:
    """ "Tiền Giang, ngày 05 tháng 02 năm 2024": days below 10 and the months 1 and 2 take a
    leading zero. Without a day the blanks are left to fill in by hand."""
    where = place.strip() or "…………"
    if day is None:
        return f"{where}, ngày … tháng … năm {year if year is not None else '…'}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{where}, ngày {day.day:02d} tháng {month} năm {day.year}"
