"""Evidence (minh chứng) of a self-assessment: files and links attached to one criterion.

The file itself is kept by the platform's store (``core.files.store_upload``: type read
from the content, size limit, SHA-256, stored once).

- ``attach_file``, ``attach_link``, ``remove_evidence`` — change one criterion's evidence,
  refused (in this order) when the self-assessment is locked, when the actor may not edit it,
  when the self-assessment phase is closed or its deadline (or the school's extension) has
  passed; each writes an audit row on the self-assessment in the same transaction.

A removed file stays in storage (other criteria may use it; the audit names it by SHA-256);
``manage.py prune_files`` (``core.prune``) deletes the files nothing refers to any more.
``actor=None`` is the system (the demo loader): it skips the permission check, never the
lock, the phase or the deadline (``now`` sets the moment the deadline is checked against).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.assessments.models import (
    AssessmentEntry,
    Evidence,
    EvidenceKind,
    SelfAssessment,
)
from thidua.assessments.services import AssessmentLocked, NotAllowed
from thidua.campaigns.deadlines import ensure_open
from thidua.campaigns.phases import Phase
from thidua.core import audit
from thidua.core.files import clean_name, store_upload, uploader

MAX_TITLE = 300
MAX_URL = 1000


def title_from_name(name: str) -> str:
    """``Báo cáo tổng kết.pdf`` → ``Báo cáo tổng kết``."""
    stem, dot, _ext = name.rpartition(".")
    return (stem if dot and stem else name)[:MAX_TITLE]


# --- attaching ----------------------------------------------------------------------------


def _lock_editable(
    actor: Any, entry: AssessmentEntry, now: datetime.datetime | None
) -> tuple[SelfAssessment, AssessmentEntry]:
    """The entry's self-assessment, locked for this transaction, if its evidence may change:
    refused when it is submitted, when the actor may not edit it, or out of time."""
    assessment = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("campaign__cluster_year__cluster", "organization")
        .get(pk=entry.assessment_id)
    )
    if assessment.is_locked:
        raise AssessmentLocked(assessment)
    if actor is not None and not actor.has_perm("assessments.change_assessment", assessment):
        raise NotAllowed(
            _("Bạn không có quyền sửa minh chứng của %(school)s.") % {"school": assessment.organization.name}
        )
    ensure_open(assessment.campaign, assessment.organization, Phase.SELF_ASSESSMENT, now=now)
    current = AssessmentEntry.objects.select_related("node").get(pk=entry.pk)
    return assessment, current


def _touch(assessment: SelfAssessment) -> None:
    """The self-assessment's ``updated_at`` is the school's last activity."""
    SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())


def _clean_title(title: str | None) -> str:
    text = " ".join((title or "").split())
    if len(text) > MAX_TITLE:
        raise ValidationError({"title": _("Tên minh chứng dài quá %(n)s ký tự.") % {"n": MAX_TITLE}}, code="too_long")
    return text


def _file_data(evidence: Evidence) -> dict[str, Any]:
    stored = evidence.stored_file
    assert stored is not None  # noqa: S101 -- a file evidence always has its stored file (a DB constraint)
    return {
        "original_name": evidence.original_name,
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
    }


@transaction.atomic
def attach_file(
    *, actor: Any, entry: AssessmentEntry, upload: File, title: str = "", now: datetime.datetime | None = None
) -> Evidence:
    """Attach an uploaded file to one criterion (its title defaults to the file's name).

    Refusals: ``AssessmentLocked``, ``NotAllowed``, ``PhaseClosed``/``DeadlinePassed``,
    ``UploadRefused`` (``store_upload``), and a ``ValidationError`` for a title too long or a
    file this criterion already has.
    """
    assessment, entry = _lock_editable(actor, entry, now)
    text = _clean_title(title)
    stored = store_upload(actor=actor, upload=upload)
    name = clean_name(upload.name) or f"minh-chung.{stored.extension}"
    twin = Evidence.objects.filter(entry=entry, stored_file=stored).first()
    if twin is not None:
        raise ValidationError(
            _("Tệp này đã có trong minh chứng của tiêu chí %(code)s (“%(title)s”).")
            % {"code": entry.node.code, "title": twin.title},
            code="duplicate",
        )
    evidence = Evidence.objects.create(
        entry=entry,
        kind=EvidenceKind.FILE,
        title=text or title_from_name(name),
        stored_file=stored,
        original_name=name,
        added_by=uploader(actor),
    )
    _touch(assessment)
    audit.record(
        actor=actor,
        action="assessment.evidence.add",
        obj=assessment,
        data={
            "code": entry.node.code,
            "evidence": evidence.pk,
            "kind": EvidenceKind.FILE,
            "title": evidence.title,
            **_file_data(evidence),
        },
    )
    return evidence


def check_url(url: str | None) -> str:
    """A web address (http or https only), or a ValidationError keyed ``url`` saying why."""
    text = (url or "").strip()
    if not text:
        raise ValidationError({"url": _("Hãy nhập đường dẫn.")}, code="required")
    if len(text) > MAX_URL:
        raise ValidationError({"url": _("Đường dẫn dài quá %(n)s ký tự.") % {"n": MAX_URL}}, code="too_long")
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError as exc:
        raise ValidationError(
            {
                "url": _(
                    "Đường dẫn “%(url)s” không được nhận: chỉ nhận địa chỉ web đầy đủ bắt đầu bằng http:// hoặc "
                    "https:// (ví dụ https://drive.google.com/…)."
                )
                % {"url": text[:100]}
            },
            code="bad_url",
        ) from exc
    return text


@transaction.atomic
def attach_link(
    *, actor: Any, entry: AssessmentEntry, url: str, title: str = "", now: datetime.datetime | None = None
) -> Evidence:
    """Attach a web link (http or https) to one criterion (its title defaults to the link)."""
    assessment, entry = _lock_editable(actor, entry, now)
    text = _clean_title(title)
    address = check_url(url)
    twin = Evidence.objects.filter(entry=entry, kind=EvidenceKind.LINK, url=address).first()
    if twin is not None:
        raise ValidationError(
            {
                "url": _("Đường dẫn này đã có trong minh chứng của tiêu chí %(code)s (“%(title)s”).")
                % {"code": entry.node.code, "title": twin.title}
            },
            code="duplicate",
        )
    evidence = Evidence.objects.create(
        entry=entry, kind=EvidenceKind.LINK, title=text or address[:MAX_TITLE], url=address, added_by=uploader(actor)
    )
    _touch(assessment)
    audit.record(
        actor=actor,
        action="assessment.evidence.add",
        obj=assessment,
        data={
            "code": entry.node.code,
            "evidence": evidence.pk,
            "kind": EvidenceKind.LINK,
            "title": evidence.title,
            "url": address,
        },
    )
    return evidence


@transaction.atomic
def remove_evidence(*, actor: Any, evidence: Evidence, now: datetime.datetime | None = None) -> None:
    """Take one piece of evidence off its criterion (the stored file stays, see above)."""
    current = Evidence.objects.select_related("stored_file").get(pk=evidence.pk)
    assessment, entry = _lock_editable(actor, current.entry, now)
    data: dict[str, Any] = {
        "code": entry.node.code,
        "evidence": current.pk,
        "kind": current.kind,
        "title": current.title,
    }
    data.update(_file_data(current) if current.kind == EvidenceKind.FILE else {"url": current.url})
    current.delete()
    _touch(assessment)
    audit.record(actor=actor, action="assessment.evidence.remove", obj=assessment, data=data)
