"""Real small files of every accepted type, and files that only pretend to be one, for the
file store and evidence tests (made in memory: nothing is read from disk)."""

from __future__ import annotations

import io
import time
import zipfile

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FIXED_DATE = time.gmtime(1_606_809_600)  # 01/12/2020, as Pillow writes PDF dates


def _image(fmt: str, color: str = "red", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, fmt, **options)
    return buffer.getvalue()


def pdf_bytes(color: str = "red") -> bytes:
    """A real one-page PDF (an image saved as PDF by Pillow), the same bytes on every call."""
    return _image("PDF", color, creationDate=FIXED_DATE, modDate=FIXED_DATE)


def png_bytes(color: str = "red") -> bytes:
    return _image("PNG", color)


def jpg_bytes(color: str = "red") -> bytes:
    return _image("JPEG", color)


def docx_bytes(text: str = "Báo cáo tổng kết năm 2020") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(value: str = "Số lớp bồi dưỡng") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = value
    workbook.active["B1"] = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def random_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("anh/hinh-1.txt", "không phải tài liệu Word")
    return buffer.getvalue()


def macro_docx_bytes() -> bytes:
    """A Word document with macros (DOCM) named as if it were a DOCX."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            archive.writestr(item, data)
    return buffer.getvalue()


EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode.\r\n"
)
TEXT_BYTES = "Đây là văn bản thường, không phải PDF.\n".encode()
OLE2_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
