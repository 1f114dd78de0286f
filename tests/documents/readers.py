"""Reading generated documents back: DOCX through python-docx, PDF through poppler's tools."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.document import Document as WordDocument


def open_docx(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


def docx_paragraph_texts(document: WordDocument) -> list[str]:
    """Every paragraph's text, body and table cells (merged cells once), in order."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                texts += [p.text for p in cell.paragraphs]
    return texts


def docx_text(document: WordDocument) -> str:
    return "\n".join(docx_paragraph_texts(document))


def docx_runs(document: WordDocument) -> list:
    """Every run in the body and in table cells."""
    runs = [run for p in document.paragraphs for run in p.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                runs += [run for p in cell.paragraphs for run in p.runs]
    return runs


def _poppler(tool: str, data: bytes, *args: str) -> str:
    executable = shutil.which(tool)
    if executable is None:
        raise AssertionError(f"{tool} is missing: install Debian's poppler-utils")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(data)
        result = subprocess.run(  # noqa: S603 -- a fixed local tool on a file we wrote
            [executable, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
            text=True,
        )
    return result.stdout


def pdf_text(data: bytes) -> str:
    """The PDF's text in drawing order (so a table cell's lines stay together), with runs of
    whitespace (line breaks inside cells) made single spaces."""
    return " ".join(_poppler("pdftotext", data, "-raw", "-enc", "UTF-8").split())


def pdf_fonts(data: bytes) -> list[tuple[str, str]]:
    """(font name, embedded "yes"/"no") for each font `pdffonts` lists."""
    lines = _poppler("pdffonts", data).splitlines()[2:]
    fonts = []
    for line in lines:
        fields = line.split()
        # name, type (1–2 words), encoding, emb, sub, uni, object, generation
        fonts.append((fields[0], fields[-5]))
    return fonts


def pdf_info(data: bytes) -> dict[str, str]:
    info = {}
    for line in _poppler("pdfinfo", data).splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info
