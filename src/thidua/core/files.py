"""Stored files (tệp lưu trữ) of the platform: what is accepted and how it is kept.

Evidence (``assessments.evidence``), a clarification's attachment (``reviews.clarify``) and a
covenant's signed scan (``campaigns.covenants``) all keep their files here.

- ``store_upload`` — keep an uploaded file once by its content: refused when it is empty,
  larger than ``settings.EVIDENCE_MAX_UPLOAD_MB``, of a type read from its bytes that is not
  PDF, DOCX, XLSX, JPG or PNG, or named with an extension that disagrees with its content
  (a renamed program, a text file named ``.pdf``). The SHA-256 is computed while streaming;
  the same content is stored once (an existing ``StoredFile`` is reused); the storage path
  is the hash (``evidence/ab/abcd…``), never the user's file name, which is only kept,
  cleaned (``clean_name``), as display text. Storage goes through Django's storage API
  (filesystem, or S3-compatible by setting). ``allowed=`` narrows the accepted kinds (a
  signed scan: PDF, JPG or PNG).

``manage.py prune_files`` (``core.prune``) deletes the files nothing refers to any more.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from thidua.core.models import StoredFile, stored_file_path

MAX_NAME = 255
HEAD_BYTES = 8192
CONTENT_TYPES_CAP = 256 * 1024  # read at most this much of a DOCX/XLSX's [Content_Types].xml


@dataclass(frozen=True)
class FileKind:
    """A type of file the platform accepts (evidence, attachments, scans)."""

    code: str  # also the stored extension
    label: str
    content_type: str
    extensions: tuple[str, ...]
    previewable: bool


KINDS: dict[str, FileKind] = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", ("pdf",), True),
        FileKind(
            "docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), False
        ),
        FileKind("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), False),
        FileKind("jpg", "JPG", "image/jpeg", ("jpg", "jpeg"), True),
        FileKind("png", "PNG", "image/png", ("png",), True),
    )
}
ALL_KINDS: tuple[str, ...] = tuple(KINDS)

_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_MAIN = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, and password-protected .docx/.xlsx


class UploadRefused(ValidationError):  # noqa: N818 -- reads as what happened, like PhaseClosed
    """An upload that is not kept, with the reason in words (``code`` says which)."""


def max_upload_bytes() -> int:
    return int(settings.EVIDENCE_MAX_UPLOAD_MB) * 1024 * 1024


def accept_attribute(allowed: Iterable[str] = ALL_KINDS) -> str:
    """The file input's ``accept`` list: ``.pdf,.docx,.xlsx,.jpg,.jpeg,.png``."""
    return ",".join(f".{ext}" for code in allowed for ext in KINDS[code].extensions)


def kind_of(stored: StoredFile) -> FileKind | None:
    return KINDS.get(stored.extension)


# --- names --------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r'[<>:"|?*]')


def clean_name(raw: str | None) -> str:
    """The user's file name as display text: the last path segment only (``../../etc/x.pdf``
    → ``x.pdf``, ``C:\\Users\\…\\x.pdf`` → ``x.pdf``), without control or direction-override
    characters, reserved punctuation, leading dots or runs of spaces, at most 255 characters
    (the extension kept). It never reaches the storage path."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(_FORBIDDEN.sub("_", name).split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: MAX_NAME - len(ext) - 1].rstrip(' .')}.{ext}"
        else:
            name = name[:MAX_NAME].rstrip(" .")
    return name


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


# --- what the content is ------------------------------------------------------------------


@dataclass(frozen=True)
class Detected:
    """What the bytes of a file are: an accepted kind, or a description for the refusal."""

    kind: FileKind | None
    found: str
    code: str = "type_not_allowed"


def _read_head(upload: IO[bytes] | File) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return bytes(head)


def _office_kind(upload: IO[bytes] | File) -> Detected:
    """A ZIP is a DOCX or XLSX only when its ``[Content_Types].xml`` declares a Word document
    or a workbook as its main part and that part (``word/document.xml``, ``xl/workbook.xml``)
    is in the archive. Nothing is decompressed but that small declaration."""
    source = upload.file if isinstance(upload, File) else upload
    if source is None:
        return Detected(None, _("tệp nén ZIP bị hỏng"))
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return Detected(None, _("tệp nén ZIP"))
            with archive.open("[Content_Types].xml") as handle:
                declared = handle.read(CONTENT_TYPES_CAP)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return Detected(None, _("tệp nén ZIP bị hỏng"))
    finally:
        upload.seek(0)
    if any(marker in declared for marker in _MACRO_MAIN):
        return Detected(None, _("tài liệu Office có macro (DOCM/XLSM)"), code="macro")
    if _DOCX_MAIN in declared and "word/document.xml" in names:
        return Detected(KINDS["docx"], KINDS["docx"].label)
    if _XLSX_MAIN in declared and "xl/workbook.xml" in names:
        return Detected(KINDS["xlsx"], KINDS["xlsx"].label)
    return Detected(None, _("tệp nén ZIP"))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a multi-byte character cut at the end of the sample
    return True


def detect(upload: IO[bytes] | File) -> Detected:
    """The kind of file from its first bytes (and, for ZIPs, their declared parts)."""
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return Detected(KINDS["pdf"], KINDS["pdf"].label)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected(KINDS["png"], KINDS["png"].label)
    if head.startswith(b"\xff\xd8\xff"):
        return Detected(KINDS["jpg"], KINDS["jpg"].label)
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    if head.startswith(_OLE2):
        return Detected(
            None, _("tài liệu Word/Excel định dạng cũ (DOC/XLS) hoặc có đặt mật khẩu"), code="legacy_office"
        )
    if head.startswith(b"MZ"):
        return Detected(None, _("tệp chương trình (EXE)"))
    guess = filetype.guess(head)
    if guess is not None:
        return Detected(None, str(guess.extension).upper())
    if _looks_like_text(head):
        return Detected(None, _("văn bản thuần"))
    return Detected(None, _("loại không nhận ra được"))


# --- storing ------------------------------------------------------------------------------


def _refuse(message: str, code: str) -> UploadRefused:
    return UploadRefused(message, code=code)


def _check_kind(name: str, detected: Detected, allowed: tuple[str, ...]) -> FileKind:
    """The accepted kind, or a refusal saying why: the content is not an accepted type, the
    extension promises a type the content is not, or the extension disagrees with it."""
    ext = extension_of(name)
    labels = ", ".join(KINDS[code].label for code in allowed)
    promised = next((KINDS[code] for code in allowed if ext in KINDS[code].extensions), None)
    kind = detected.kind
    if kind is None or kind.code not in allowed:
        if detected.code == "legacy_office" or ext in ("doc", "xls"):
            raise _refuse(
                _(
                    "Không nhận tệp “%(name)s”: đây là %(found)s. Hãy mở tệp bằng Word hoặc Excel, chọn "
                    "“Lưu thành” (Save As) định dạng .docx hoặc .xlsx, bỏ mật khẩu nếu có, rồi tải lên lại."
                )
                % {"name": name, "found": detected.found},
                "legacy_office",
            )
        if detected.code == "macro":
            raise _refuse(
                _(
                    "Không nhận tệp “%(name)s”: đây là %(found)s. Hãy lưu lại thành .docx hoặc .xlsx "
                    "(không có macro) rồi tải lên lại."
                )
                % {"name": name, "found": detected.found},
                "macro",
            )
        if promised is not None:
            raise _refuse(
                _(
                    "Tệp “%(name)s” mang đuôi .%(ext)s nhưng nội dung không phải %(expected)s mà là %(found)s. "
                    "Tệp có thể đã bị đổi tên; hãy chọn đúng tệp gốc."
                )
                % {"name": name, "ext": ext, "expected": promised.label, "found": detected.found},
                "not_what_it_claims",
            )
        raise _refuse(
            _("Không nhận tệp “%(name)s”: chỉ nhận %(labels)s, còn nội dung tệp này là %(found)s.")
            % {"name": name, "labels": labels, "found": detected.found},
            "type_not_allowed",
        )
    if ext not in kind.extensions:
        raise _refuse(
            _(
                "Tệp “%(name)s” có nội dung là %(found)s nhưng %(ext)s. Hãy đổi tên tệp cho có đuôi "
                ".%(right)s rồi tải lên lại."
            )
            % {
                "name": name,
                "found": kind.label,
                "ext": (_("mang đuôi .%(ext)s") % {"ext": ext}) if ext else _("không có đuôi"),
                "right": kind.extensions[0],
            },
            "extension_mismatch",
        )
    return kind


def _hash_and_size(upload: File, name: str, limit: int) -> tuple[str, int]:
    """SHA-256 and size, read in chunks; refused as soon as the size passes the limit."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise _too_large(name, max(size, upload.size or 0))
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _too_large(name: str, size: int) -> UploadRefused:
    return _refuse(
        _(
            "Tệp “%(name)s” nặng %(size)s, vượt giới hạn %(limit)s MB cho mỗi tệp. "
            "Hãy nén, giảm độ phân giải bản quét hoặc chia nhỏ tệp rồi tải lên lại."
        )
        % {"name": name, "size": filesizeformat(size), "limit": settings.EVIDENCE_MAX_UPLOAD_MB},
        "too_large",
    )


def uploader(actor: Any) -> Any:
    """The user to name as a file's uploader: ``None`` for the system or an anonymous actor."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def store_upload(*, actor: Any, upload: File, allowed: Iterable[str] = ALL_KINDS) -> StoredFile:
    """Keep an uploaded file once by its content, or refuse it with why (``UploadRefused``).

    ``allowed`` narrows the accepted kinds (codes of ``KINDS``: e.g. ``("pdf", "jpg",
    "png")`` for a signed scan). Not audited here: the caller records what the file is used
    for, with its SHA-256, size and type.
    """
    allowed = tuple(allowed)
    name = clean_name(upload.name) or _("(không tên)")
    declared = upload.size
    if declared == 0:
        raise _refuse(_("Tệp “%(name)s” rỗng (0 byte). Hãy chọn lại tệp.") % {"name": name}, "empty")
    limit = max_upload_bytes()
    if declared is not None and declared > limit:
        raise _too_large(name, declared)
    kind = _check_kind(name, detect(upload), allowed)
    sha256, size = _hash_and_size(upload, name, limit)
    if size == 0:
        raise _refuse(_("Tệp “%(name)s” rỗng (0 byte). Hãy chọn lại tệp.") % {"name": name}, "empty")
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    stored = StoredFile(
        sha256=sha256, size=size, content_type=kind.content_type, extension=kind.code, uploaded_by=uploader(actor)
    )
    path = stored_file_path(stored, "")
    storage = stored.file.storage
    if storage.exists(path) and storage.size(path) == size:
        stored.file.name = path  # left by an earlier attempt whose transaction rolled back
    else:
        if storage.exists(path):  # a partial write: replace it
            storage.delete(path)
        stored.file.save(path, upload, save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:  # the same content stored by a concurrent upload
        return StoredFile.objects.get(sha256=sha256)
    return stored
