"""Stored files nobody uses any more (tệp không còn dùng), and removing them.

A file is stored once by its content (``StoredFile``) and referenced by evidence, by a
clarification's attachment, by a covenant's signed scan — by any foreign key to
``StoredFile``, found from the models themselves so that a reference added later is never
missed. Taking evidence off a criterion leaves its file (another criterion may use it, and a
file being attached has no reference yet for a moment); ``unused_files`` lists the files that
no row refers to and that were stored before a grace period, and ``prune_unused`` deletes them
from storage and the database, with one audit row naming each by SHA-256.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from thidua.core import audit
from thidua.core.models import StoredFile

GRACE = datetime.timedelta(days=7)


def references() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that is a foreign key or one-to-one to StoredFile, including
    hidden ones (``related_name="+"``) and the history tables'."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=True):
            if getattr(field, "concrete", False) and field.is_relation and field.related_model is StoredFile:
                found.append((model, field.name))
    return found


def unused_files(
    *, now: datetime.datetime | None = None, grace: datetime.timedelta = GRACE
) -> models.QuerySet[StoredFile]:
    """Files stored before ``now - grace`` that no row refers to."""
    now = now or timezone.now()
    used = Q()
    for model, name in references():
        used |= Q(pk__in=model._default_manager.filter(**{f"{name}__isnull": False}).values(f"{name}_id"))
    return StoredFile.objects.filter(uploaded_at__lt=now - grace).exclude(used).order_by("uploaded_at", "pk")


@dataclass
class Pruned:
    count: int
    size: int


def prune_unused(
    *, dry_run: bool = False, now: datetime.datetime | None = None, grace: datetime.timedelta = GRACE
) -> Pruned:
    """Delete the unused files (rows and stored bytes); ``dry_run`` only counts them."""
    files = list(unused_files(now=now, grace=grace))
    total = Pruned(len(files), sum(f.size for f in files))
    if dry_run or not files:
        return total
    with transaction.atomic():
        # Checked again under lock: a file attached since the list was read stays.
        still_unused = set(unused_files(now=now, grace=grace).select_for_update().values_list("pk", flat=True))
        files = [f for f in files if f.pk in still_unused]
        names = [f.file.name for f in files]
        StoredFile.objects.filter(pk__in=[f.pk for f in files]).delete()
        audit.record(
            actor=None,
            action="assessments.files.prune",
            data={"count": len(files), "sha256": [f.sha256 for f in files]},
        )
        storage = StoredFile._meta.get_field("file").storage

        def delete_bytes() -> None:  # once the rows are gone for good
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_bytes)
    return Pruned(len(files), sum(f.size for f in files))
