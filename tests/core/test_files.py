"""The platform's file store: the upload limit, a narrower list of kinds, display names,
the hash over the whole file, and content stored once (evidence, attachments and scans
all go through it; their own refusals are tested with them)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files import File

from tests.core import sample_files as sample
from thidua.core import files
from thidua.core.models import StoredFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def refusal(exc_info) -> tuple[str, str]:
    exc = exc_info.value
    return exc.code, " ".join(exc.messages)


def test_the_upload_limit_is_20_mb_unless_configured():
    assert django_settings.EVIDENCE_MAX_UPLOAD_MB == 20
    assert files.max_upload_bytes() == 20 * 1024 * 1024


def test_a_file_growing_past_the_limit_while_read_is_refused_too(world, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    stream = File(io.BytesIO(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)), name="lon.pdf")
    stream.size = 10  # what the client claimed

    with pytest.raises(ValidationError) as exc_info:
        files.store_upload(actor=world.alice, upload=stream)

    assert exc_info.value.code == "too_large"
    assert StoredFile.objects.count() == 0


def test_a_narrower_list_of_kinds_refuses_the_others(world):
    with pytest.raises(ValidationError) as exc_info:
        files.store_upload(
            actor=world.alice, upload=sample.upload("giao-uoc.docx", sample.docx_bytes()), allowed=("pdf", "jpg", "png")
        )

    assert refusal(exc_info) == (
        "type_not_allowed",
        "Không nhận tệp “giao-uoc.docx”: chỉ nhận PDF, JPG, PNG, còn nội dung tệp này là DOCX.",
    )


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Lan\\Desktop\\Báo cáo tổng kết.pdf", "Báo cáo tổng kết.pdf"),
        ("..", ""),
        ("  .an.pdf  ", "an.pdf"),
        ("hoa\u202efdp.exe", "hoafdp.exe"),  # a right-to-left override that disguises the extension
        ("dong\r\nmoi.pdf", "dongmoi.pdf"),
        ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
        ("Ba\u0301o ca\u0301o.pdf", "Báo cáo.pdf"),  # decomposed accents (macOS) composed
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_a_file_name_is_cleaned_to_display_text(raw, clean):
    assert files.clean_name(raw) == clean


def test_the_sha256_is_computed_over_the_whole_file_in_chunks(world):
    content = b"%PDF-1.7\n" + bytes(range(256)) * 20_000  # about 5 MB: many chunks

    stored = files.store_upload(actor=world.alice, upload=sample.upload("lon.pdf", content))

    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == 5_120_009


def test_a_file_left_in_storage_by_a_rolled_back_upload_is_reused_not_copied(world, media):
    content = sample.png_bytes()
    stored = files.store_upload(actor=world.alice, upload=sample.upload("a.png", content))
    path = stored.file.name
    StoredFile.objects.all().delete()  # the row is gone, the file stays (as after a rollback)

    again = files.store_upload(actor=world.alice, upload=sample.upload("b.png", content))

    assert again.file.name == path
    assert len([p for p in (media / "evidence").rglob("*") if p.is_file()]) == 1
