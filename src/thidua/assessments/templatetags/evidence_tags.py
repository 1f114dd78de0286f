"""What the evidence partial needs whatever page includes it: the upload limit, the file
input's ``accept`` list, a stored file's type label and whether it previews."""

from __future__ import annotations

from django import template
from django.conf import settings

from thidua.assessments.models import Evidence, EvidenceKind
from thidua.core import files

register = template.Library()


@register.simple_tag
def evidence_limit_mb() -> int:
    return int(settings.EVIDENCE_MAX_UPLOAD_MB)


@register.simple_tag
def evidence_max_bytes() -> int:
    return files.max_upload_bytes()


@register.simple_tag
def evidence_accept() -> str:
    return files.accept_attribute()


@register.filter
def evidence_type(item: Evidence) -> str:
    """``PDF``, ``DOCX``, … for a file; "" for a link (the template names links itself)."""
    if item.kind != EvidenceKind.FILE or item.stored_file is None:
        return ""
    kind = files.kind_of(item.stored_file)
    return kind.label if kind is not None else item.stored_file.extension.upper()


@register.filter
def evidence_previewable(item: Evidence) -> bool:
    if item.kind != EvidenceKind.FILE or item.stored_file is None:
        return False
    kind = files.kind_of(item.stored_file)
    return kind is not None and kind.previewable


@register.filter
def evidence_icon(item: Evidence) -> str:
    """A Bootstrap icon name for the evidence's type."""
    if item.kind == EvidenceKind.LINK:
        return "bi-link-45deg"
    extension = item.stored_file.extension if item.stored_file is not None else ""
    return {
        "pdf": "bi-file-earmark-pdf",
        "docx": "bi-file-earmark-word",
        "xlsx": "bi-file-earmark-excel",
        "jpg": "bi-file-earmark-image",
        "png": "bi-file-earmark-image",
    }.get(extension, "bi-file-earmark")
