"""Evidence pages: the per-criterion list and its forms (htmx partial and plain posts),
downloads and previews that check permission with data that could leak, and their headers."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core import sample_files as files
from tests.factories.assessments import entry_of, make_assessment, make_campaign
from thidua.assessments import evidence
from thidua.assessments.models import Evidence
from thidua.campaigns.models import SubmissionStatus
from thidua.core.models import AuditEntry, StoredFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/assessments/K/2020/A/"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def campaign(world):
    return make_campaign(world.year_2020)


@pytest.fixture
def draft_a(campaign, world):
    return make_assessment(campaign, world.school_a)


@pytest.fixture
def draft_b(campaign, world):
    return make_assessment(campaign, world.school_b)


@pytest.fixture
def report_a(world, draft_a):
    """School A's PDF on I.1 (a draft)."""
    return evidence.attach_file(
        actor=world.alice,
        entry=entry_of(draft_a, "I.1"),
        upload=files.upload("Báo cáo tổng kết.pdf", files.pdf_bytes()),
        title="Báo cáo tổng kết năm 2020",
    )


def submit(assessment) -> None:
    type(assessment).objects.filter(pk=assessment.pk).update(status=SubmissionStatus.SUBMITTED)


def url(name: str, pk: int) -> str:
    return reverse(f"assessments:evidence_{name}", args=[pk])


def body(response) -> bytes:
    """A file response's bytes (read to the end and closed, as a server would)."""
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


# --- the list and its forms ---------------------------------------------------------------


def test_an_upload_through_htmx_returns_the_criterion_list_with_the_new_file(world, draft_a, client_for, html):
    entry = entry_of(draft_a, "I.1")
    content = files.pdf_bytes()
    sha = hashlib.sha256(content).hexdigest()

    response = client_for(world.alice).post(
        url("upload", entry.pk), {"file": files.upload("Quyết định khen thưởng.pdf", content), "title": ""}, **HTMX
    )

    assert response.status_code == 200
    assert response.templates[0].name == "assessments/evidence/_entry_evidence.html"
    item = Evidence.objects.get()
    text = html.text(response, f"evidence-{entry.pk}")
    assert text.startswith("Đã thêm minh chứng “Quyết định khen thưởng”. Quyết định khen thưởng PDF 1,4 KB")
    assert f"Quyết định khen thưởng.pdf · SHA-256 {sha[:12]}… · Alice Nguyễn," in text
    assert f'title="SHA-256: {sha}"' in response.content.decode()
    assert f'href="{url("preview", item.pk)}"' in response.content.decode()
    assert 'value="/assessments/K/2020/A/"' in response.content.decode()  # where a plain post would return
    assert response["HX-Trigger"] == f'{{"evidenceChanged": {{"entry": {entry.pk}}}}}'


def test_a_refused_upload_shows_why_and_keeps_the_other_evidence_and_the_title(
    world, draft_a, report_a, client_for, html
):
    entry = entry_of(draft_a, "I.1")

    response = client_for(world.alice).post(
        url("upload", entry.pk), {"file": files.upload("setup.pdf", files.EXE_BYTES), "title": "Tờ trình"}, **HTMX
    )

    assert response.status_code == 200
    assert html.text(response, f"evidence-{entry.pk}").startswith(
        "Tệp “setup.pdf” mang đuôi .pdf nhưng nội dung không phải PDF mà là tệp chương trình (EXE). "
        "Tệp có thể đã bị đổi tên; hãy chọn đúng tệp gốc. Báo cáo tổng kết năm 2020 PDF"
    )
    assert 'value="Tờ trình"' in response.content.decode()
    assert "HX-Trigger" not in response
    assert list(Evidence.objects.values_list("pk", flat=True)) == [report_a.pk]


def test_an_upload_without_a_file_asks_for_one(world, draft_a, client_for, html):
    entry = entry_of(draft_a, "I.1")

    response = client_for(world.alice).post(url("upload", entry.pk), {"title": "x"}, **HTMX)

    assert html.text(response, f"evidence-{entry.pk}").startswith("Hãy chọn tệp cần tải lên. Chưa có minh chứng.")


def test_a_large_docx_spooled_to_a_temporary_file_is_read_and_kept(world, draft_a, client_for, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # anything larger goes to a temporary file
    entry = entry_of(draft_a, "I.1")
    buffer = io.BytesIO(files.docx_bytes())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/media/image1.png", random.Random(4).randbytes(300_000), zipfile.ZIP_STORED)
    content = buffer.getvalue()

    response = client_for(world.alice).post(
        url("upload", entry.pk), {"file": files.upload("Kỷ yếu.docx", content)}, **HTMX
    )

    assert response.status_code == 200
    stored = StoredFile.objects.get()
    assert (stored.content_type, stored.size, stored.sha256) == (
        files.DOCX_TYPE,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )


def test_an_empty_file_through_the_page_is_refused_by_name(world, draft_a, client_for, html):
    entry = entry_of(draft_a, "I.1")

    response = client_for(world.alice).post(url("upload", entry.pk), {"file": files.upload("rong.pdf", b"")}, **HTMX)

    assert html.text(response, f"evidence-{entry.pk}").startswith(
        "Tệp “rong.pdf” rỗng (0 byte). Hãy chọn lại tệp. Chưa có minh chứng."
    )


def test_an_oversized_upload_through_the_page_is_refused_with_the_limit(world, draft_a, client_for, html, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    entry = entry_of(draft_a, "I.1")

    response = client_for(world.alice).post(
        url("upload", entry.pk), {"file": files.upload("scan.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024))}, **HTMX
    )

    assert html.text(response, f"evidence-{entry.pk}").startswith(
        "Tệp “scan.pdf” nặng 3,0 MB, vượt giới hạn 1 MB cho mỗi tệp."
    )
    assert StoredFile.objects.count() == 0


def test_a_plain_form_upload_returns_to_the_page_it_came_from_with_a_message(world, draft_a, client_for):
    entry = entry_of(draft_a, "I.1")
    client = client_for(world.alice)

    response = client.post(
        url("upload", entry.pk),
        {"file": files.upload("a.png", files.png_bytes()), "title": "Ảnh", "next": "/assessments/K/2020/A/"},
    )
    unsafe = client.post(
        url("upload", entry.pk),
        {"file": files.upload("b.png", files.png_bytes("blue")), "next": "https://evil.example/"},
    )

    assert (response.status_code, response["Location"]) == (302, "/assessments/K/2020/A/")
    assert (unsafe.status_code, unsafe["Location"]) == (302, url("entry", entry.pk))
    page = client.get(url("entry", entry.pk))
    assert [str(m) for m in page.context["messages"]] == ["Đã thêm minh chứng “Ảnh”.", "Đã thêm minh chứng “b”."]


def test_a_link_is_added_and_a_bad_one_refused_in_the_partial(world, draft_a, client_for, html):
    entry = entry_of(draft_a, "I.2")
    client = client_for(world.alice)

    added = client.post(
        url("add_link", entry.pk), {"url": "https://tgg.edu.vn/hoi-nghi", "title": "Tin hội nghị"}, **HTMX
    )
    refused = client.post(url("add_link", entry.pk), {"url": "javascript:alert(1)", "title": "x"}, **HTMX)

    assert html.text(added, f"evidence-{entry.pk}").startswith(
        "Đã thêm đường dẫn “Tin hội nghị”. Tin hội nghị Đường dẫn https://tgg.edu.vn/hoi-nghi · Alice Nguyễn,"
    )
    assert html.text(refused, f"evidence-{entry.pk}").startswith(
        "Đường dẫn “javascript:alert(1)” không được nhận: chỉ nhận địa chỉ web đầy đủ bắt đầu bằng http:// hoặc "
        "https:// (ví dụ https://drive.google.com/…). Tin hội nghị"
    )
    assert 'rel="noopener noreferrer nofollow"' in refused.content.decode()
    assert list(Evidence.objects.values_list("url", flat=True)) == ["https://tgg.edu.vn/hoi-nghi"]


def test_removing_evidence_returns_the_list_without_it(world, draft_a, report_a, client_for, html):
    entry = entry_of(draft_a, "I.1")

    response = client_for(world.alice).post(url("remove", report_a.pk), **HTMX)

    assert html.text(response, f"evidence-{entry.pk}").startswith(
        "Đã gỡ minh chứng “Báo cáo tổng kết năm 2020”. Chưa có minh chứng."
    )
    assert Evidence.objects.count() == 0
    assert AuditEntry.objects.filter(action="assessment.evidence.remove", actor=world.alice).count() == 1


def test_a_submitted_self_assessment_refuses_an_upload_and_shows_no_forms(world, draft_a, report_a, client_for, html):
    entry = entry_of(draft_a, "I.1")
    submit(draft_a)
    client = client_for(world.alice)

    response = client.post(url("upload", entry.pk), {"file": files.upload("b.png", files.png_bytes())}, **HTMX)
    removal = client.post(url("remove", report_a.pk), **HTMX)

    assert html.text(response, f"evidence-{entry.pk}").startswith(
        "Bản tự chấm điểm của Trường Chính trị tỉnh Tiền Giang đã được gửi nên không sửa được nữa."
    )
    assert html.text(removal, f"evidence-{entry.pk}").startswith(
        "Bản tự chấm điểm của Trường Chính trị tỉnh Tiền Giang"
    )
    content = response.content.decode()
    assert "evidence-upload" not in content
    assert url("remove", report_a.pk) not in content
    assert list(Evidence.objects.values_list("pk", flat=True)) == [report_a.pk]


def test_the_evidence_page_shows_what_is_required_and_the_list(world, draft_a, report_a, client_for, html):
    entry = entry_of(draft_a, "I.1")

    response = client_for(world.alice).get(url("entry", entry.pk))

    assert html.text(response, "evidence-heading") == "Minh chứng — I.1. Tiêu chí I.1"
    assert html.text(response, "evidence-required") == "Minh chứng cần có: Báo cáo, quyết định"
    assert html.text(response, f"evidence-item-{report_a.pk}").startswith(
        "Báo cáo tổng kết năm 2020 PDF 1,4 KB · Báo cáo tổng kết.pdf · SHA-256"
    )
    assert "assessments/evidence.js" in response.content.decode()


def test_the_evidence_list_takes_the_same_number_of_queries_for_1_and_10_files(world, draft_a, client_for):
    entry = entry_of(draft_a, "I.1")
    client = client_for(world.alice)

    def queries_with(count: int) -> int:
        while Evidence.objects.filter(entry=entry).count() < count:
            n = Evidence.objects.count()
            evidence.attach_file(
                actor=world.alice, entry=entry, upload=files.upload(f"{n}.png", files.png_bytes(f"#{n:06x}"))
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("entry", entry.pk), HTTP_HX_REQUEST="true").status_code == 200
        return len(captured)

    assert queries_with(1) == queries_with(10)


# --- download and preview: who -------------------------------------------------------------


def test_the_owner_school_downloads_its_file_as_an_attachment(world, report_a, client_for):
    response = client_for(world.alice).get(url("download", report_a.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Bao cao tong ket.pdf"; '
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Length"] == str(report_a.stored_file.size)
    assert body(response) == files.pdf_bytes()


def test_the_secretariat_downloads_a_school_file_only_after_submission(world, draft_b, client_for):
    # alice's school A heads cluster K in 2020: she is that year's secretariat.
    content = files.docx_bytes()
    item = evidence.attach_file(actor=world.bob, entry=entry_of(draft_b, "I.1"), upload=files.upload("b.docx", content))
    client = client_for(world.alice)

    before = client.get(url("download", item.pk))
    submit(draft_b)
    after = client.get(url("download", item.pk))

    assert before.status_code == 404
    assert after.status_code == 200
    assert after["Content-Type"] == files.DOCX_TYPE
    assert body(after) == content


@pytest.mark.parametrize("view", ["download", "preview", "remove"])
def test_another_school_gets_404_for_a_draft_file(world, report_a, client_for, view):
    client = client_for(world.bob)

    response = client.post(url(view, report_a.pk)) if view == "remove" else client.get(url(view, report_a.pk))

    assert response.status_code == 404
    assert Evidence.objects.filter(pk=report_a.pk).exists()


def test_another_school_gets_404_for_a_draft_criterion(world, draft_a, client_for):
    entry = entry_of(draft_a, "I.1")
    client = client_for(world.bob)

    page = client.get(url("entry", entry.pk))
    posted = client.post(url("upload", entry.pk), {"file": files.upload("a.pdf", files.pdf_bytes())})
    linked = client.post(url("add_link", entry.pk), {"url": "https://a.vn/"})

    assert (page.status_code, posted.status_code, linked.status_code) == (404, 404, 404)
    assert Evidence.objects.count() == 0


def test_a_school_of_another_cluster_gets_404_even_after_submission(world, draft_a, report_a, client_for):
    submit(draft_a)

    response = client_for(world.frank).get(url("download", report_a.pk))

    assert response.status_code == 404


def test_a_reader_who_may_not_edit_cannot_post(world, draft_b, client_for):
    entry = entry_of(draft_b, "I.1")
    submit(draft_b)  # the secretariat (alice) now reads it

    page = client_for(world.alice).get(url("entry", entry.pk))
    posted = client_for(world.alice).post(url("add_link", entry.pk), {"url": "https://a.vn/"}, **HTMX)

    assert page.status_code == 200
    assert "evidence-upload" not in page.content.decode()
    assert posted.status_code == 200
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize("view", ["download", "preview"])
def test_an_anonymous_visitor_is_sent_to_sign_in(report_a, client, view):
    response = client.get(url(view, report_a.pk))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url(view, report_a.pk)}"


def test_a_link_has_nothing_to_download(world, draft_a, client_for):
    link = evidence.attach_link(actor=world.alice, entry=entry_of(draft_a, "I.1"), url="https://a.vn/", title="")

    assert client_for(world.alice).get(url("download", link.pk)).status_code == 404


# --- preview -------------------------------------------------------------------------------


def test_a_pdf_previews_inline_in_a_sandbox(world, report_a, client_for):
    response = client_for(world.alice).get(url("preview", report_a.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="Bao cao tong ket.pdf";')
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == files.pdf_bytes()


def test_an_image_previews_inline(world, draft_a, client_for):
    item = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("anh.jpg", files.jpg_bytes())
    )

    response = client_for(world.alice).get(url("preview", item.pk))

    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "image/jpeg",
        "inline; filename=\"anh.jpg\"; filename*=UTF-8''anh.jpg",
    )
    assert body(response) == files.jpg_bytes()


def test_a_spreadsheet_preview_is_a_download(world, draft_a, client_for):
    item = evidence.attach_file(
        actor=world.alice, entry=entry_of(draft_a, "I.1"), upload=files.upload("so-lieu.xlsx", files.xlsx_bytes())
    )

    response = client_for(world.alice).get(url("preview", item.pk))

    assert (response.status_code, response["Location"]) == (302, url("download", item.pk))
