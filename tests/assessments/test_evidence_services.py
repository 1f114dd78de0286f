"""Evidence services: what an upload must be to be kept, stored once by content under its
hash, attached and removed only while the self-assessment is editable, every change audited."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.core import sample_files as files
from tests.factories.assessments import entry_of, make_assessment, make_campaign
from thidua.assessments import evidence
from thidua.assessments.models import Evidence
from thidua.assessments.services import AssessmentLocked, NotAllowed
from thidua.campaigns.deadlines import DeadlinePassed, PhaseClosed
from thidua.campaigns.phases import Phase
from thidua.core.models import AuditEntry, StoredFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

LIMIT_HINT = "Hãy nén, giảm độ phân giải bản quét hoặc chia nhỏ tệp rồi tải lên lại."
RENAMED_HINT = "Tệp có thể đã bị đổi tên; hãy chọn đúng tệp gốc."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def campaign(world):
    return make_campaign(world.year_2020, framework=None)


@pytest.fixture
def draft_a(campaign, world):
    return make_assessment(campaign, world.school_a)


def refusal(exc_info) -> tuple[str, str]:
    exc = exc_info.value
    return exc.code, " ".join(exc.messages)


def nothing_kept() -> bool:
    return StoredFile.objects.count() == 0 and Evidence.objects.count() == 0


# --- refusals -----------------------------------------------------------------------------


def test_an_oversized_file_is_refused_naming_the_limit_and_its_size(world, draft_a, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = files.upload("Báo cáo.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024 // 2))

    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=big)

    assert refusal(exc_info) == (
        "too_large",
        f"Tệp “Báo cáo.pdf” nặng 1,5\xa0MB, vượt giới hạn 1 MB cho mỗi tệp. {LIMIT_HINT}",
    )
    assert nothing_kept()


def test_an_empty_file_is_refused(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("rong.pdf", b""))

    assert refusal(exc_info) == ("empty", "Tệp “rong.pdf” rỗng (0 byte). Hãy chọn lại tệp.")
    assert nothing_kept()


def test_a_renamed_executable_is_refused_as_not_the_pdf_it_claims(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(
            actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("setup.pdf", files.EXE_BYTES)
        )

    assert refusal(exc_info) == (
        "not_what_it_claims",
        f"Tệp “setup.pdf” mang đuôi .pdf nhưng nội dung không phải PDF mà là tệp chương trình (EXE). {RENAMED_HINT}",
    )
    assert nothing_kept()


def test_a_text_file_named_pdf_is_refused_as_not_a_pdf(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(
            actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("quyet-dinh.pdf", files.TEXT_BYTES)
        )

    assert refusal(exc_info) == (
        "not_what_it_claims",
        f"Tệp “quyet-dinh.pdf” mang đuôi .pdf nhưng nội dung không phải PDF mà là văn bản thuần. {RENAMED_HINT}",
    )
    assert nothing_kept()


def test_a_random_zip_named_docx_is_refused_as_not_a_docx(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(
            actor=world.alice,
            entry=entry_of(draft_a, "I.1"),
            upload=files.upload("bao-cao.docx", files.random_zip_bytes()),
        )

    assert refusal(exc_info) == (
        "not_what_it_claims",
        f"Tệp “bao-cao.docx” mang đuôi .docx nhưng nội dung không phải DOCX mà là tệp nén ZIP. {RENAMED_HINT}",
    )
    assert nothing_kept()


def test_a_word_document_with_macros_named_docx_is_refused(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(
            actor=world.alice,
            entry=entry_of(draft_a, "I.1"),
            upload=files.upload("ke-hoach.docx", files.macro_docx_bytes()),
        )

    assert refusal(exc_info) == (
        "macro",
        "Không nhận tệp “ke-hoach.docx”: đây là tài liệu Office có macro (DOCM/XLSM). "
        "Hãy lưu lại thành .docx hoặc .xlsx (không có macro) rồi tải lên lại.",
    )


def test_an_old_word_document_is_refused_with_how_to_convert_it(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(
            actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("to-trinh.doc", files.OLE2_BYTES)
        )

    assert refusal(exc_info) == (
        "legacy_office",
        "Không nhận tệp “to-trinh.doc”: đây là tài liệu Word/Excel định dạng cũ (DOC/XLS) hoặc có đặt mật khẩu. "
        "Hãy mở tệp bằng Word hoặc Excel, chọn “Lưu thành” (Save As) định dạng .docx hoặc .xlsx, bỏ mật khẩu "
        "nếu có, rồi tải lên lại.",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "anh-chup.pdf",
            files.png_bytes(),
            "Tệp “anh-chup.pdf” có nội dung là PNG nhưng mang đuôi .pdf. "
            "Hãy đổi tên tệp cho có đuôi .png rồi tải lên lại.",
        ),
        (
            "bang-diem.docx",
            files.xlsx_bytes(),
            "Tệp “bang-diem.docx” có nội dung là XLSX nhưng mang đuôi .docx. "
            "Hãy đổi tên tệp cho có đuôi .xlsx rồi tải lên lại.",
        ),
        (
            "quyet-dinh",
            files.pdf_bytes(),
            "Tệp “quyet-dinh” có nội dung là PDF nhưng không có đuôi. "
            "Hãy đổi tên tệp cho có đuôi .pdf rồi tải lên lại.",
        ),
    ],
)
def test_an_extension_that_disagrees_with_the_content_is_refused(world, draft_a, name, content, message):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload(name, content))

    assert refusal(exc_info) == ("extension_mismatch", message)
    assert nothing_kept()


def test_a_type_that_is_not_accepted_is_refused_listing_what_is(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(
            actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("setup.exe", files.EXE_BYTES)
        )

    assert refusal(exc_info) == (
        "type_not_allowed",
        "Không nhận tệp “setup.exe”: chỉ nhận PDF, DOCX, XLSX, JPG, PNG, "
        "còn nội dung tệp này là tệp chương trình (EXE).",
    )


# --- names and paths ----------------------------------------------------------------------


def test_a_path_traversal_name_never_reaches_the_storage_path(world, draft_a, media):
    content = files.pdf_bytes()
    sha = hashlib.sha256(content).hexdigest()
    hostile = File(io.BytesIO(content), name="../../etc/passwd.pdf")  # not cleaned by Django on the way in

    item = evidence.attach_file(actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=hostile)

    assert item.stored_file.file.name == f"evidence/{sha[:2]}/{sha}"
    assert item.original_name == "passwd.pdf"
    assert item.title == "passwd"
    assert (media / "evidence" / sha[:2] / sha).read_bytes() == content
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]


# --- accepted files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "content_type", "extension"),
    [
        ("Báo cáo tổng kết.pdf", files.pdf_bytes, "application/pdf", "pdf"),
        ("Ảnh hội nghị.PNG", files.png_bytes, "image/png", "png"),
        ("anh-le-khai-giang.jpg", files.jpg_bytes, "image/jpeg", "jpg"),
        ("anh-tap-huan.jpeg", files.jpg_bytes, "image/jpeg", "jpg"),
        ("Kế hoạch.docx", files.docx_bytes, files.DOCX_TYPE, "docx"),
        ("Số liệu.xlsx", files.xlsx_bytes, files.XLSX_TYPE, "xlsx"),
    ],
)
def test_a_real_file_of_each_accepted_type_is_kept_with_its_hash(
    world, draft_a, media, name, make, content_type, extension
):
    content = make()

    item = evidence.attach_file(actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload(name, content))

    stored = item.stored_file
    sha = hashlib.sha256(content).hexdigest()
    assert (stored.sha256, stored.size, stored.content_type, stored.extension) == (
        sha,
        len(content),
        content_type,
        extension,
    )
    assert stored.uploaded_by == world.alice
    assert (item.kind, item.original_name, item.title, item.added_by) == (
        "file",
        name,
        name.rsplit(".", 1)[0],
        world.alice,
    )
    with default_storage.open(stored.file.name) as handle:
        assert handle.read() == content


def test_the_same_file_attached_to_two_criteria_is_stored_once(world, draft_a, media):
    content = files.pdf_bytes()

    first = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("a.pdf", content)
    )
    second = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft_a, "I.2"), upload=files.upload("ban sao.pdf", content), title="Bản sao"
    )

    assert StoredFile.objects.count() == 1
    assert first.stored_file_id == second.stored_file_id
    assert list(Evidence.objects.order_by("pk").values_list("entry__node__code", "title", "original_name")) == [
        ("I.1", "a", "a.pdf"),
        ("I.2", "Bản sao", "ban sao.pdf"),
    ]
    assert [p.name for p in (media / "evidence").rglob("*") if p.is_file()] == [first.stored_file.sha256]


def test_the_same_file_twice_on_one_criterion_is_refused(world, draft_a):
    content = files.pdf_bytes()
    entry = entry_of(draft_a, "I.1")
    evidence.attach_file(actor=world.alice, entry=entry, upload=files.upload("a.pdf", content), title="Quyết định")

    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(actor=world.alice, entry=entry, upload=files.upload("a (1).pdf", content))

    assert refusal(exc_info) == ("duplicate", "Tệp này đã có trong minh chứng của tiêu chí I.1 (“Quyết định”).")
    assert Evidence.objects.count() == 1


def test_a_title_longer_than_300_characters_is_refused(world, draft_a):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_file(
            actor=world.alice,
            entry=entry_of(draft_a, "I.1"),
            upload=files.upload("a.pdf", files.pdf_bytes()),
            title="x" * 301,
        )

    assert exc_info.value.message_dict == {"title": ["Tên minh chứng dài quá 300 ký tự."]}
    assert nothing_kept()


# --- links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://may-chu/bao-cao.pdf",
        "file:///C:/bao-cao.pdf",
        "data:text/html,<b>x</b>",
        "drive.google.com/x",
    ],
)
def test_a_link_is_refused_unless_it_is_http_or_https(world, draft_a, url):
    with pytest.raises(ValidationError) as exc_info:
        evidence.attach_link(actor=world.alice, entry=entry_of(draft_a, "I.1"), url=url, title="Báo cáo")

    assert exc_info.value.message_dict == {
        "url": [
            f"Đường dẫn “{url}” không được nhận: chỉ nhận địa chỉ web đầy đủ bắt đầu bằng http:// hoặc https:// "
            "(ví dụ https://drive.google.com/…)."
        ]
    }
    assert Evidence.objects.count() == 0


def test_an_http_or_https_link_is_attached_with_its_title(world, draft_a):
    entry = entry_of(draft_a, "I.1")

    named = evidence.attach_link(
        actor=world.alice, entry=entry, url=" https://tgg.edu.vn/tin-tuc/hoi-nghi ", title=" Tin hội nghị "
    )
    bare = evidence.attach_link(actor=world.alice, entry=entry, url="http://example.vn/a", title="")

    assert (named.kind, named.url, named.title, named.stored_file) == (
        "link",
        "https://tgg.edu.vn/tin-tuc/hoi-nghi",
        "Tin hội nghị",
        None,
    )
    assert (bare.url, bare.title) == ("http://example.vn/a", "http://example.vn/a")


# --- when evidence may change -------------------------------------------------------------


def test_a_submitted_self_assessment_refuses_uploads_and_removals(world, campaign):
    draft = make_assessment(campaign, world.school_a)
    kept = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft, "I.1"), upload=files.upload("a.pdf", files.pdf_bytes())
    )
    locked = make_assessment(campaign, world.school_a, submitted=True)
    message = (
        "Bản tự chấm điểm của Trường Chính trị tỉnh Tiền Giang đã được gửi nên không sửa được nữa. "
        "Nếu cần sửa, hãy đề nghị Thường trực Cụm mở lại."
    )

    with pytest.raises(AssessmentLocked) as upload_refused:
        evidence.attach_file(
            actor=world.alice, entry=entry_of(locked, "I.2"), upload=files.upload("b.png", files.png_bytes())
        )
    with pytest.raises(AssessmentLocked) as link_refused:
        evidence.attach_link(actor=world.alice, entry=entry_of(locked, "I.2"), url="https://a.vn/", title="")
    with pytest.raises(AssessmentLocked) as removal_refused:
        evidence.remove_evidence(actor=world.alice, evidence=kept)

    assert {refusal(upload_refused), refusal(link_refused), refusal(removal_refused)} == {("locked", message)}
    assert list(Evidence.objects.values_list("pk", flat=True)) == [kept.pk]
    assert StoredFile.objects.count() == 1


def test_evidence_is_refused_after_the_deadline_naming_it(world):
    due = datetime.datetime(2020, 11, 30, 17, 0, tzinfo=datetime.UTC)
    campaign = make_campaign(world.year_2020, due_at=due)
    draft = make_assessment(campaign, world.school_a)

    with pytest.raises(DeadlinePassed) as exc_info:
        evidence.attach_file(
            actor=world.alice,
            entry=entry_of(draft, "I.1"),
            upload=files.upload("a.pdf", files.pdf_bytes()),
            now=due + datetime.timedelta(minutes=1),
        )

    assert exc_info.value.messages == [
        "Đã quá hạn tự chấm điểm (01/12/2020 00:00). Hãy liên hệ Thường trực Cụm nếu cần gia hạn."
    ]
    assert nothing_kept()


def test_evidence_is_refused_outside_the_self_assessment_phase(world):
    campaign = make_campaign(world.year_2020, phase=Phase.REGISTRATION)
    draft = make_assessment(campaign, world.school_a)

    with pytest.raises(PhaseClosed):
        evidence.attach_link(actor=world.alice, entry=entry_of(draft, "I.1"), url="https://a.vn/", title="")

    assert Evidence.objects.count() == 0


def test_another_school_may_not_attach_evidence(world, draft_a):
    with pytest.raises(NotAllowed) as exc_info:
        evidence.attach_file(
            actor=world.bob, entry=entry_of(draft_a, "I.1"), upload=files.upload("a.pdf", files.pdf_bytes())
        )

    assert str(exc_info.value) == "Bạn không có quyền sửa minh chứng của Trường Chính trị tỉnh Tiền Giang."
    assert nothing_kept()


def test_removing_evidence_keeps_the_stored_file_for_other_criteria(world, draft_a):
    content = files.pdf_bytes()
    first = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("a.pdf", content)
    )
    second = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft_a, "I.2"), upload=files.upload("a.pdf", content)
    )

    evidence.remove_evidence(actor=world.alice, evidence=first)

    assert list(Evidence.objects.values_list("pk", flat=True)) == [second.pk]
    assert default_storage.exists(second.stored_file.file.name)


# --- audit --------------------------------------------------------------------------------


def test_every_change_writes_an_audit_row_with_the_hash_size_and_type(world, draft_a):
    content = files.pdf_bytes()
    sha = hashlib.sha256(content).hexdigest()
    before = timezone.now()
    item = evidence.attach_file(
        actor=world.alice,
        entry=entry_of(draft_a, "I.1"),
        upload=files.upload("Báo cáo.pdf", content),
        title="Báo cáo năm",
    )
    link = evidence.attach_link(actor=world.alice, entry=entry_of(draft_a, "I.2"), url="https://a.vn/x", title="Tin")
    evidence.remove_evidence(actor=world.alice, evidence=item)

    rows = list(AuditEntry.objects.filter(action__startswith="assessment.evidence.").order_by("pk"))
    assert [(r.action, r.actor, r.object_id, r.data) for r in rows] == [
        (
            "assessment.evidence.add",
            world.alice,
            str(draft_a.pk),
            {
                "code": "I.1",
                "evidence": item.pk,
                "kind": "file",
                "title": "Báo cáo năm",
                "original_name": "Báo cáo.pdf",
                "sha256": sha,
                "size": len(content),
                "content_type": "application/pdf",
            },
        ),
        (
            "assessment.evidence.add",
            world.alice,
            str(draft_a.pk),
            {"code": "I.2", "evidence": link.pk, "kind": "link", "title": "Tin", "url": "https://a.vn/x"},
        ),
        (
            "assessment.evidence.remove",
            world.alice,
            str(draft_a.pk),
            {
                "code": "I.1",
                "evidence": item.pk,
                "kind": "file",
                "title": "Báo cáo năm",
                "original_name": "Báo cáo.pdf",
                "sha256": sha,
                "size": len(content),
                "content_type": "application/pdf",
            },
        ),
    ]
    draft_a.refresh_from_db()
    assert draft_a.updated_at >= before
