"""A commendation proposal in a real browser (strict CSP): the secretariat of Cluster 9's 2020
year creates a proposal for Tiền Giang and submits it; the Academy approves it with a decision
number; Tiền Giang's page then shows the award."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from thidua.accounts.demo_accounts import DEMO_PASSWORD
from thidua.titles import services as title_services

pytestmark = [pytest.mark.browser]

AWARD = "Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh"


def collect_errors(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


def _sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_proposal_goes_from_the_secretariat_to_the_academy_and_onto_the_school_page(
    demo, page, new_context, live_server, sign_in
):
    title_services.install_award_list(actor=None)
    problems = collect_errors(page)
    sign_in("thuongtruc.tg")

    page.get_by_role("link", name="Khen thưởng", exact=True).click()
    page.get_by_role("link", name="Đề nghị C9 năm 2020").click()
    page.get_by_label("Đơn vị được đề nghị").select_option(label="Trường Chính trị tỉnh Tiền Giang")
    page.get_by_label("Hình thức khen thưởng").select_option(label=AWARD)
    page.get_by_label("Căn cứ ghi thêm").fill("Dẫn đầu Cụm thi đua số 9 năm 2020")
    page.get_by_role("button", name="Tạo đề nghị").click()
    expect(page.locator("#proposal-status")).to_have_text("Đang soạn")
    expect(page.locator("#basis")).to_contain_text("Dẫn đầu Cụm thi đua số 9 năm 2020")
    page.locator("#submit").get_by_role("button", name="Trình Học viện").click()
    expect(page.locator("#proposal-status")).to_have_text("Đã trình Học viện")
    proposal_url = page.url

    academy = new_context().new_page()
    academy_problems = collect_errors(academy)
    _sign_in(academy, live_server, "hocvien")
    academy.goto(proposal_url)
    academy.get_by_label("Phê duyệt", exact=True).check()
    academy.get_by_label("Số quyết định").fill("1234-QĐ/HVCTQG")
    academy.get_by_label("Ngày quyết định").fill("15/12/2020")
    academy.get_by_role("button", name="Ghi quyết định").click()
    expect(academy.locator("#proposal-status")).to_have_text("Đã phê duyệt")
    expect(academy.locator("#decision")).to_have_text("Quyết định số 1234-QĐ/HVCTQG ngày 15/12/2020")

    page.goto(f"{live_server.url}/orgs/TG/")
    expect(page.locator("#award-2020-co-hoc-vien")).to_contain_text(AWARD)
    expect(page.locator("#award-2020-co-hoc-vien")).to_contain_text("Quyết định số 1234-QĐ/HVCTQG ngày 15/12/2020")
    assert problems == []
    assert academy_problems == []
