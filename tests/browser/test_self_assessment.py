"""Kiên Giang's self-assessment in the demo (late, with an extension): the officer fills
values and sees the server's total change, uploads evidence; the principal submits; the page
is then read-only. And two people saving the same criterion: the second is told, nothing lost."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser]

PAGE = "/assessments/C9/2020/KG/"


def entry_of(page: Page, code: str):
    return page.locator(f"article.entry[data-code='{code}']")


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, "PDF")
    return buffer.getvalue()


def csp_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    return errors


def test_the_officer_fills_values_sees_the_total_change_uploads_evidence_and_the_principal_submits(
    demo, page, live_server, sign_in, new_context
):
    errors = csp_errors(page)
    sign_in("canbo.kg")
    page.goto(f"{live_server.url}{PAGE}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tự chấm điểm thi đua năm 2020")
    expect(page.locator("#deadline")).to_contain_text("Được gia hạn")
    total = page.locator("#total-points")
    before = total.inner_text()

    # A manual criterion: a value on its step is saved and the server's total changes.
    i4 = entry_of(page, "I.4")
    points = i4.get_by_label("Điểm tự chấm")
    new_value = "0,25" if points.input_value() != "0,25" else "0,5"
    points.fill(new_value)
    points.press("Tab")
    expect(i4.locator(".entry-status")).to_contain_text("Đã lưu lúc")
    expect(page.locator("#save-status")).to_contain_text("Đã lưu I.4")
    expect(total).not_to_have_text(before)
    expect(i4.locator(".entry-points")).to_contain_text(f"{new_value} / 2 điểm")

    # A value off its step is refused with why; the total does not move.
    after = total.inner_text()
    points.fill("1,6")
    points.press("Tab")
    expect(i4.locator(".entry-status")).to_contain_text("không đúng bước 0,25: hãy nhập 1,5 hoặc 1,75")
    expect(points).to_have_value("1,6")  # what was typed stays, to be corrected
    expect(total).to_have_text(after)

    # A level, chosen from the list, and an explanation saved while typing pauses.
    i1 = entry_of(page, "I.1")
    i1.get_by_label("Mức tự đánh giá").select_option("Chưa đạt")
    expect(i1.locator(".entry-status")).to_contain_text("Đã lưu lúc")
    expect(i1.locator(".entry-points")).to_contain_text("0 / 3 điểm")
    i1.get_by_label("Giải thích").fill("Kế hoạch năm ban hành chậm")
    expect(i1.locator(".entry-status")).to_contain_text("Đã lưu lúc", timeout=10_000)

    # Evidence: a PDF uploaded to I.1 appears in its list.
    i1.get_by_text("Thêm minh chứng").click()
    i1.locator("input[type=file]").set_input_files(
        {"name": "ke-hoach-2020.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    i1.get_by_role("button", name="Tải lên").click()
    expect(i1.locator(".evidence-list")).to_contain_text("ke-hoach-2020")

    # The principal signs off; the page is then read-only.
    principal = new_context().new_page()
    principal.goto(f"{live_server.url}/accounts/login/")
    principal.get_by_label("Tên đăng nhập").fill("hieutruong.kg")
    principal.get_by_label("Mật khẩu").fill(_demo_password())
    principal.get_by_role("button", name="Đăng nhập").click()
    principal.goto(f"{live_server.url}{PAGE}")
    principal.get_by_role("link", name=re.compile("Ký duyệt và gửi")).click()
    expect(principal.locator("#unfilled")).to_contain_text("tiêu chí, điều kiện chưa nhập")
    principal.get_by_role("button", name="Ký duyệt và gửi").click()
    expect(principal.get_by_role("alert").first).to_contain_text("Đã gửi bản tự chấm điểm")
    expect(principal.locator("#read-only-notice")).to_contain_text("đã khóa")
    expect(principal.locator("#sheet textarea")).to_have_count(0)

    page.reload()
    expect(page.locator("#read-only-notice")).to_contain_text("đã khóa")
    expect(page.locator("#sheet input[name=value], #sheet select[name=value]")).to_have_count(0)
    expect(entry_of(page, "I.1")).to_contain_text("Kế hoạch năm ban hành chậm")
    assert errors == []


def test_a_save_over_someone_elses_shows_their_value_and_keeps_what_was_typed(
    demo, page, live_server, sign_in, new_context
):
    sign_in("canbo.kg")
    page.goto(f"{live_server.url}{PAGE}")
    principal = new_context().new_page()
    principal.goto(f"{live_server.url}/accounts/login/")
    principal.get_by_label("Tên đăng nhập").fill("hieutruong.kg")
    principal.get_by_label("Mật khẩu").fill(_demo_password())
    principal.get_by_role("button", name="Đăng nhập").click()
    principal.goto(f"{live_server.url}{PAGE}")

    theirs = entry_of(principal, "III.5").get_by_label("Điểm tự chấm")
    theirs.fill("2,75")
    theirs.press("Tab")
    expect(entry_of(principal, "III.5").locator(".entry-status")).to_contain_text("Đã lưu lúc")

    mine = entry_of(page, "III.5")
    mine.get_by_label("Điểm tự chấm").fill("1,25")
    mine.get_by_label("Điểm tự chấm").press("Tab")
    conflict = mine.locator(".stale-conflict")
    expect(conflict).to_contain_text("Người khác đã lưu tiêu chí III.5")
    expect(conflict).to_contain_text("Giá trị của họ: 2,75 — Đặng Quốc Hùng")
    expect(mine.get_by_label("Điểm tự chấm")).to_have_value("1,25")

    mine.get_by_role("button", name="Dùng giá trị của họ").click()
    expect(entry_of(page, "III.5").get_by_label("Điểm tự chấm")).to_have_value("2,75")


def _demo_password() -> str:
    from thidua.accounts.demo_accounts import DEMO_PASSWORD

    return DEMO_PASSWORD


def test_a_school_that_has_not_started_is_shown_so_and_starts_with_one_click(demo, page, live_server, sign_in):
    from thidua.assessments.models import SelfAssessment

    SelfAssessment.objects.filter(organization__short_code="KG", campaign__cluster_year__year=2020).delete()
    sign_in("canbo.kg")
    page.goto(f"{live_server.url}{PAGE}")
    expect(page.locator("#not-started")).to_have_text("Chưa bắt đầu")
    expect(page.locator("article.entry")).to_have_count(0)  # opening the page created nothing

    page.get_by_role("button", name="Bắt đầu tự chấm điểm").click()

    expect(page).to_have_url(f"{live_server.url}{PAGE}")
    expect(page.locator("#not-started")).to_have_count(0)
    expect(entry_of(page, "I.4").get_by_label("Điểm tự chấm")).to_be_editable()
    assert SelfAssessment.objects.filter(organization__short_code="KG", campaign__cluster_year__year=2020).count() == 1
