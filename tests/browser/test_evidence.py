"""A school officer attaches evidence to a criterion in a real browser (htmx, strict CSP): a
file, a refused renamed program, a link, an oversized file stopped before it is sent, and a
removal after confirming."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.core import sample_files as files
from tests.factories.accounts import PASSWORD
from tests.factories.assessments import entry_of, make_assessment, make_campaign
from thidua.assessments.models import Evidence

pytestmark = [pytest.mark.browser]


def test_a_school_officer_adds_and_removes_evidence_on_a_criterion(
    transactional_db, world, settings, tmp_path, page, live_server, sign_in
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    entry = entry_of(make_assessment(make_campaign(world.year_2020), world.school_a), "I.1")
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    sign_in("alice", PASSWORD)
    page.goto(live_server.url + reverse("assessments:evidence_entry", args=[entry.pk]))
    block = page.locator(f"#evidence-{entry.pk}")
    expect(block).to_contain_text("Chưa có minh chứng.")

    block.get_by_text("Thêm minh chứng").click()
    block.get_by_label("Tệp (PDF, DOCX, XLSX, JPG, PNG; tối đa 1 MB)").set_input_files(
        files=[{"name": "Báo cáo tổng kết.pdf", "mimeType": "application/pdf", "buffer": files.pdf_bytes()}]
    )
    block.locator("form.evidence-upload").get_by_label("Tên minh chứng (không bắt buộc)").fill("Báo cáo năm 2020")
    block.get_by_role("button", name="Tải lên").click()
    expect(block).to_contain_text("Đã thêm minh chứng “Báo cáo năm 2020”.")
    expect(block.locator(".evidence-item")).to_have_count(1)
    expect(block.locator("details.evidence-add")).to_have_attribute("open", "")  # still open for the next file

    block.get_by_label("Tệp (PDF, DOCX, XLSX, JPG, PNG; tối đa 1 MB)").set_input_files(
        files=[{"name": "setup.pdf", "mimeType": "application/pdf", "buffer": files.EXE_BYTES}]
    )
    block.get_by_role("button", name="Tải lên").click()
    expect(block.locator(".evidence-refusal")).to_contain_text("nội dung không phải PDF mà là tệp chương trình (EXE)")
    expect(block.locator(".evidence-item")).to_have_count(1)

    big = block.get_by_label("Tệp (PDF, DOCX, XLSX, JPG, PNG; tối đa 1 MB)")
    big.set_input_files(
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * 2_000_000}]
    )
    assert big.evaluate("el => el.validationMessage") == (
        "Tệp “scan.pdf” nặng 1,9\u00a0MB, vượt giới hạn 1 MB cho mỗi tệp. Hãy nén hoặc chia nhỏ tệp rồi tải lên lại."
    )

    link_form = block.locator("form.evidence-link")
    link_form.get_by_label("Hoặc đường dẫn (bắt đầu bằng http:// hoặc https://)").fill("https://tgg.edu.vn/hoi-nghi")
    link_form.get_by_role("button", name="Thêm đường dẫn").click()
    expect(block).to_contain_text("Đã thêm đường dẫn “https://tgg.edu.vn/hoi-nghi”.")
    expect(block.locator(".evidence-item")).to_have_count(2)

    page.once("dialog", lambda dialog: dialog.accept())
    block.get_by_role("button", name="Gỡ “Báo cáo năm 2020”").click()
    expect(block).to_contain_text("Đã gỡ minh chứng “Báo cáo năm 2020”.")
    expect(block.locator(".evidence-item")).to_have_count(1)

    assert list(Evidence.objects.values_list("kind", flat=True)) == ["link"]
    assert problems == []
