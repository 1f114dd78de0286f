"""A school officer signs in, switches language, and reads the cluster's 2020 members."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_a_school_officer_signs_in_switches_language_and_sees_the_2020_members_with_their_head(
    demo, page, live_server, sign_in
):
    sign_in("canbo.kg")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào, Huỳnh Văn Kiên")
    expect(page.locator("main")).to_contain_text("Cán bộ thi đua trường")

    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Huỳnh Văn Kiên")
    page.get_by_label("Language").select_option("vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    page.get_by_role("link", name="Cụm thi đua", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Cụm thi đua số 9")).click()
    page.get_by_role("link", name="2020", exact=True).first.click()
    members = page.locator("#members tbody tr")
    expect(members).to_have_count(12)
    head_row = page.locator("#members tbody tr", has_text="Cụm trưởng")
    expect(head_row).to_have_count(1)
    expect(head_row).to_contain_text("Trường Chính trị tỉnh Tiền Giang")
    expect(page.locator("#members tbody tr", has_text="Cụm phó")).to_contain_text("Trường Chính trị tỉnh Đồng Tháp")


def test_the_login_form_refuses_a_wrong_password_with_a_clear_message(demo, page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo.kg")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile("tên đăng nhập và mật khẩu", re.IGNORECASE))
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("canbo.kg")
