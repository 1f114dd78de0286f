"""The campaign in a real browser (strict CSP): the secretariat of Cluster 9's 2020 year opens
the campaign, reads the progress board and grants a school an extension; a school officer
registers targets and the principal signs the registration off, after which it is read-only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from thidua.accounts.models import User
from thidua.campaigns import services
from thidua.campaigns.models import Extension, Registration, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.organizations.models import ClusterYear

pytestmark = [pytest.mark.browser]

TARGETS = {
    "I.3": "95",
    "II.1": "48",
    "II.2": "3600",
    "II.6": "12,5",
    "III.1": "6",
    "IV.3": "14",
    "IV.4": "5",
    "V.2": "60",
}


def collect_errors(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


def test_the_secretariat_follows_the_schools_and_grants_an_extension(demo, page, live_server, sign_in):
    problems = collect_errors(page)
    sign_in("thuongtruc.tg")

    page.get_by_role("link", name="Đợt thi đua", exact=True).click()
    page.get_by_role("link", name="2020", exact=True).click()
    expect(page.locator("#current-phase")).to_have_text("Tự chấm điểm")
    expect(page.locator("#timeline")).to_contain_text("Hạn chót: 15/10/2020 23:59")

    page.get_by_role("link", name="Tiến độ các trường").click()
    expect(page.locator("#progress tbody tr")).to_have_count(12)
    expect(page.locator("#progress-summary")).to_contain_text("Đăng ký thi đua: 12/12 trường đã ký duyệt.")
    expect(page.locator("#progress-KG")).to_contain_text("Tự chấm điểm:")

    page.get_by_role("link", name="Gia hạn", exact=True).click()
    page.get_by_label("Trường").select_option(label="Trường Chính trị tỉnh Hậu Giang")
    page.get_by_label("Giai đoạn").select_option(label="Tự chấm điểm")
    page.get_by_label("Gia hạn đến").fill("31/12/2099 17:00")
    page.get_by_label("Lý do").fill("Trường đang khắc phục sự cố hệ thống mạng")
    page.get_by_role("button", name="Gia hạn", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Đã gia hạn tự chấm điểm cho Trường Chính trị tỉnh Hậu Giang đến 31/12/2099 17:00."
    )
    expect(page.locator("#extensions tbody tr")).to_have_count(2)
    extension = Extension.objects.get(organization__short_code="HG")
    assert (extension.phase, extension.granted_by.username) == (Phase.SELF_ASSESSMENT, "thuongtruc.tg")
    assert problems == []


def test_a_school_officer_registers_targets_and_the_principal_signs_off(demo, page, live_server, sign_in):
    secretariat = User.objects.get(username="thuongtruc.bl")  # Bạc Liêu heads Cluster 9 in 2021
    campaign = services.create_campaign(
        actor=secretariat,
        cluster_year=ClusterYear.objects.get(cluster__code="C9", year=2021),
        framework=Framework.objects.get(cluster__code="C9", year=2021, status=FrameworkStatus.PUBLISHED),
        deadlines={Phase.REGISTRATION: timezone.now() + datetime.timedelta(days=10)},
    )
    services.move_phase(actor=secretariat, campaign=campaign, to=Phase.REGISTRATION)
    problems = collect_errors(page)

    sign_in("canbo.kg")
    page.goto(f"{live_server.url}/campaigns/C9/2021/")
    page.locator("#school-KG").get_by_role("link", name="Mở bản đăng ký").click()
    expect(page.locator("#registration-status")).to_contain_text("Chưa đăng ký")
    for code, value in TARGETS.items():
        page.locator(f'[name="target_{code}"]').fill(value)
    page.get_by_label("Bằng khen").check()
    page.get_by_label("Danh hiệu khác").fill("Tập thể lao động xuất sắc")
    page.get_by_label("Nội dung cam kết").fill("Trường cam kết hoàn thành vượt mức các chỉ tiêu đã đăng ký.")
    page.get_by_role("button", name="Lưu bản đăng ký").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu bản đăng ký")
    expect(page.locator("#registration-status")).to_contain_text("Đang soạn")
    expect(page.locator('[name="target_II.6"]')).to_have_value("12,5")
    expect(page.locator("#sign-off")).to_have_count(0)  # an officer does not sign off

    page.context.clear_cookies()
    sign_in("hieutruong.kg")
    page.goto(f"{live_server.url}/campaigns/C9/2021/my-registration/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ký duyệt và gửi").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Đã ký duyệt và gửi bản đăng ký thi đua của Trường Chính trị tỉnh Kiên Giang."
    )
    expect(page.locator("#registration-status")).to_contain_text(re.compile(r"Đã ký duyệt\s+bởi Đặng Quốc Hùng lúc"))
    expect(page.locator("#registration-form")).to_have_count(0)
    expect(page.locator("#targets")).to_contain_text("3.600")
    registration = Registration.objects.get(campaign=campaign, organization__short_code="KG")
    assert registration.status == SubmissionStatus.SUBMITTED
    assert registration.aimed_titles == ["Bằng khen", "Tập thể lao động xuất sắc"]
    assert problems == []
