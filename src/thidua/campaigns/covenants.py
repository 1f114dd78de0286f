"""The covenant (giao ước thi đua): the signed scan kept with the campaign.

The document itself is generated from data (``campaigns.documents``); once the member schools
have signed the printed copy, the secretariat uploads the scan. It is stored by the platform's file
store (``core.files.store_upload``: type read from the content — PDF, JPG or PNG —,
size limit, SHA-256, stored once through Django's storage API) and replaces any earlier scan
(the audit log keeps the earlier hash).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.campaigns.common import lock_campaign
from thidua.campaigns.models import Campaign, Covenant
from thidua.core import audit
from thidua.core.files import accept_attribute, clean_name, store_upload

SCAN_KINDS = ("pdf", "jpg", "png")


def scan_accept() -> str:
    """The file input's ``accept`` list for a scan."""
    return accept_attribute(SCAN_KINDS)


@transaction.atomic
def upload_covenant_scan(*, actor: Any, campaign: Campaign, upload: UploadedFile, signed_on: datetime.date) -> Covenant:
    """Keep the signed covenant's scan (PDF, JPG or PNG) and the day it was signed."""
    locked = lock_campaign(campaign)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": [_("Ngày ký không thể sau hôm nay.")]}, code="future")
    if signed_on.year < locked.cluster_year.year - 1:
        raise ValidationError(
            {
                "signed_on": [
                    _("Ngày ký %(day)s quá sớm so với năm thi đua %(year)s.")
                    % {"day": signed_on.strftime("%d/%m/%Y"), "year": locked.cluster_year.year}
                ]
            },
            code="too_early",
        )
    stored = store_upload(actor=actor, upload=upload, allowed=SCAN_KINDS)
    covenant, _created = Covenant.objects.select_for_update().get_or_create(campaign=locked)
    previous = covenant.scan.sha256 if covenant.scan_id and covenant.scan else None
    covenant.scan = stored
    covenant.signed_on = signed_on
    covenant.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    covenant.uploaded_at = timezone.now()
    covenant.save()
    audit.record(
        actor=actor,
        action="covenant.upload",
        obj=locked,
        data={
            "file": clean_name(upload.name),
            "sha256": stored.sha256,
            "size": stored.size,
            "signed_on": signed_on.strftime("%d/%m/%Y"),
            "previous_sha256": previous,
        },
    )
    return covenant
