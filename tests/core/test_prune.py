"""Pruning stored files: only what nothing refers to, stored before the grace period, goes —
from the database and from storage — with an audit row; the command says what it did."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.core import sample_files as files
from tests.factories.assessments import entry_of, make_assessment, make_campaign
from thidua.assessments import evidence
from thidua.core.files import store_upload
from thidua.core.models import AuditEntry, StoredFile
from thidua.core.prune import prune_unused, references, unused_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored(world):
    """Three files stored ten days ago: one on a criterion, one taken off its criterion, one
    never attached."""
    campaign = make_campaign(world.year_2020, framework=None)
    draft = make_assessment(campaign, world.school_a)
    kept = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft, "I.1"), upload=files.upload("a.pdf", files.pdf_bytes())
    )
    removed = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft, "I.1"), upload=files.upload("b.png", files.png_bytes())
    )
    evidence.remove_evidence(actor=world.alice, evidence=removed)
    loose = store_upload(actor=world.alice, upload=files.upload("c.jpg", files.jpg_bytes()))
    StoredFile.objects.update(uploaded_at=timezone.now() - datetime.timedelta(days=10))
    return {"kept": kept.stored_file, "removed": removed.stored_file, "loose": loose}


def test_every_reference_to_a_stored_file_is_found_hidden_ones_included():
    found = {(model._meta.label, name) for model, name in references()}
    assert {
        ("assessments.Evidence", "stored_file"),
        ("reviews.ClarificationMessage", "attachment"),
        ("campaigns.Covenant", "scan"),
    } <= found


def test_only_unreferenced_files_older_than_the_grace_period_are_listed(stored, world):
    assert set(unused_files()) == {stored["removed"], stored["loose"]}
    # A file stored a moment ago may be about to be attached: it stays.
    StoredFile.objects.filter(pk=stored["loose"].pk).update(uploaded_at=timezone.now())
    assert set(unused_files()) == {stored["removed"]}


def test_a_dry_run_counts_and_deletes_nothing(stored):
    pruned = prune_unused(dry_run=True)
    assert (pruned.count, pruned.size) == (2, stored["removed"].size + stored["loose"].size)
    assert StoredFile.objects.count() == 3
    assert default_storage.exists(stored["loose"].file.name)


def test_pruning_deletes_rows_and_bytes_and_audits_the_hashes(stored, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pruned = prune_unused()
    assert pruned.count == 2
    assert list(StoredFile.objects.all()) == [stored["kept"]]
    assert default_storage.exists(stored["kept"].file.name)
    assert not default_storage.exists(stored["removed"].file.name)
    assert not default_storage.exists(stored["loose"].file.name)
    row = AuditEntry.objects.get(action="assessments.files.prune")
    assert sorted(row.data["sha256"]) == sorted([stored["removed"].sha256, stored["loose"].sha256])
    assert prune_unused().count == 0  # nothing left to do


def test_the_command_reports_and_refuses_a_negative_number_of_days(stored, django_capture_on_commit_callbacks):
    out = io.StringIO()
    call_command("prune_files", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Sẽ xóa 2 tệp không còn dùng")
    out = io.StringIO()
    call_command("prune_files", "--days", "30", stdout=out)
    assert out.getvalue().startswith("Đã xóa 0 tệp")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_files", stdout=io.StringIO())
    assert StoredFile.objects.count() == 1
    with pytest.raises(CommandError, match="không âm"):
        call_command("prune_files", "--days", "-1")
