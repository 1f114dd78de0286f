"""Party-format documents as PDF (WeasyPrint), with Liberation Serif embedded.

`render_pdf(document)` renders a `party_format.Document` through
``documents/pdf_document.html``. A document with its own layout extends
``documents/pdf_base.html`` (page, fonts, letterhead, title, signature) and calls
`render_template_pdf(template, context)`; `html_to_pdf` turns any HTML string into a PDF.

Nothing is fetched from the network: only ``file:`` and ``data:`` URLs are allowed, and the
fonts are loaded from the TTF files `fonts.serif_faces()` found, by absolute path.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher
from weasyprint.urls import FatalURLFetchingError

from thidua.documents import party_format as pf
from thidua.documents.fonts import serif_faces

ALLOWED_PROTOCOLS = ("file", "data")


class DocumentRenderError(RuntimeError):
    """A resource of the document could not be loaded (a missing file, a remote URL)."""


def page_context(*, landscape: bool = False) -> dict[str, Any]:
    """What ``pdf_base.html`` needs besides the document: fonts, page size and margins."""
    return {
        "font_faces": serif_faces(),
        "page": {
            "size": "A4 landscape" if landscape else "A4",
            "top": pf.MARGIN_TOP_MM,
            "bottom": pf.MARGIN_BOTTOM_MM,
            "left": pf.MARGIN_LEFT_MM,
            "right": pf.MARGIN_RIGHT_MM,
            "header": pf.HEADER_DISTANCE_MM,
        },
        "pt": {
            "heading": pf.HEADING_PT,
            "organ": pf.ORGAN_PT,
            "type": pf.TYPE_PT,
            "subject": pf.SUBJECT_PT,
            "body": pf.BODY_PT,
            "table": pf.TABLE_PT,
            "recipients": pf.RECIPIENTS_PT,
            "after": pf.PARAGRAPH_AFTER_PT,
        },
        "indent_mm": pf.FIRST_LINE_INDENT_MM,
    }


def render_pdf(document: pf.Document) -> bytes:
    """The whole document as PDF bytes."""
    return render_template_pdf("documents/pdf_document.html", {"document": document})


def render_template_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template that extends ``documents/pdf_base.html``; `context["document"]` (a
    `party_format.Document`) supplies the letterhead, title, signature and orientation."""
    document = context.get("document")
    landscape = bool(getattr(document, "landscape", False))
    html = render_to_string(template, {**page_context(landscape=landscape), **context})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """HTML to PDF with local resources only; a missing font stops the rendering."""
    fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, fail_on_errors=True)
    try:
        result = HTML(string=html, url_fetcher=fetcher).write_pdf()
    except FatalURLFetchingError as error:  # a BaseException: turn it into an ordinary error
        cause = error.__cause__ or error
        raise DocumentRenderError(f"Không tạo được PDF: {error} ({cause})") from error
    if result is None:  # only when a target file is given
        raise AssertionError("write_pdf returned no bytes")
    return bytes(result)
