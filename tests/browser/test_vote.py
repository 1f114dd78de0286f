"""The vote in a real browser (strict CSP): the secretariat of Cluster 9's 2020 year opens a
ballot and prints codes; two delegates vote from separate phone-sized browsers with their
codes; the ballot closes; the tally and the minutes download."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.documents.readers import docx_text, open_docx
from thidua.accounts.models import User
from thidua.organizations.models import ClusterYear
from thidua.voting import queries, services

pytestmark = [pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def collect_errors(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


@pytest.fixture
def conference_ready(demo):
    cluster_year = ClusterYear.objects.get(cluster__code="C9", year=2020)
    secretariat = User.objects.get(username="thuongtruc.tg")
    host = next(m.organization for m in queries.memberships(cluster_year) if m.organization.short_code == "TG")
    conference = services.save_conference(
        actor=secretariat,
        cluster_year=cluster_year,
        date=dt.date(2020, 11, 9),
        place="Mỹ Tho",
        host=host,
        agenda="Bỏ phiếu suy tôn",
        secretary="Lê Minh Tâm",
    )
    for membership in queries.memberships(cluster_year):
        delegate = services.add_delegate(
            actor=secretariat,
            conference=conference,
            name=f"Đại biểu {membership.organization.short_code}",
            organization=membership.organization,
            is_voting=True,
        )
        services.check_in(actor=secretariat, delegate=delegate)
    presets = {p.code: p for p in services.ensure_default_presets()}
    return services.create_ballot(
        actor=secretariat,
        conference=conference,
        question="Suy tôn đơn vị dẫn đầu Cụm",
        preset=presets["cluster-vote"],
        candidates=[m.organization for m in queries.memberships(cluster_year)][:3],
    )


def test_two_delegates_vote_from_phones_and_the_secretariat_closes_and_downloads(
    conference_ready, page, new_context, live_server, sign_in
):
    problems = collect_errors(page)
    sign_in("thuongtruc.tg")
    page.get_by_role("link", name="Hội nghị", exact=True).click()
    page.get_by_role("link", name="C9 — 2020").click()
    expect(page.locator("#attendance-summary")).to_contain_text("Có mặt: 12/12 trường thành viên.")
    page.get_by_role("link", name="Suy tôn đơn vị dẫn đầu Cụm — vòng 1").click()
    page.get_by_role("button", name="Mở bỏ phiếu").click()
    expect(page.locator("#ballot-status")).to_have_text("Đang bỏ phiếu")
    page.get_by_label("Số mã cần in").fill("2")
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Tạo mã và in phiếu").click()
    slips = popup_info.value
    expect(slips.locator("[data-code]")).to_have_count(2)
    expect(slips.locator(".slip-qr svg")).to_have_count(2)
    codes = [c.strip() for c in slips.locator("[data-code]").all_inner_texts()]

    receipts = []
    for code, school in zip(
        codes, ("Trường Chính trị tỉnh Tiền Giang", "Trường Chính trị tỉnh Tiền Giang"), strict=True
    ):
        phone = new_context(**PHONE).new_page()
        phone_problems = collect_errors(phone)
        if not receipts:  # the first delegate scans the QR code: the code arrives in the fragment
            phone.goto(f"{live_server.url}/conference/vote/#ma={code}")
            expect(phone.get_by_label("Mã bỏ phiếu")).to_have_value(code)
        else:  # the second types it, in lower case
            phone.goto(f"{live_server.url}/conference/vote/")
            phone.get_by_label("Mã bỏ phiếu").fill(code.lower())
        phone.get_by_role("button", name="Tiếp tục").click()
        expect(phone.locator("h1")).to_have_text("Suy tôn đơn vị dẫn đầu Cụm")
        phone.get_by_label(school).check()
        expect(phone.locator("[data-choice-count]")).to_have_text("Đã chọn 1/1")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        phone.get_by_role("button", name="Gửi phiếu").click()
        expect(phone.locator("#receipt")).to_be_visible()
        receipts.append(phone.locator("#receipt").inner_text().strip())
        assert phone_problems == []

    page.reload()
    expect(page.locator("#cast-count")).to_have_text("Số phiếu đã nhận: 2")
    page.get_by_role("button", name="Kết thúc bỏ phiếu").click()
    expect(page.locator("#ballot-status")).to_have_text("Đã kết thúc")
    expect(page.locator("#results")).to_contain_text("Trường Chính trị tỉnh Tiền Giang")
    expect(page.locator("#published")).to_contain_text(receipts[0])
    expect(page.locator("#published")).to_contain_text(receipts[1])

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Biên bản kiểm phiếu (DOCX)").click()
    tally = docx_text(open_docx(download_info.value.path().read_bytes()))
    assert "BIÊN BẢN KIỂM PHIẾU" in tally
    assert "Số mã phát ra: 2; số mã đã dùng: 2" in tally

    page.get_by_role("link", name="C9 — 2020").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Biên bản họp Cụm (DOCX)").click()
    minutes = docx_text(open_docx(download_info.value.path().read_bytes()))
    assert "Số trường thành viên có mặt: 12/12." in minutes
    assert problems == []


def test_the_list_of_candidates_follows_the_award_chosen_for_the_ballot(conference_ready, page, live_server, sign_in):
    from tests.factories.results import publish_snapshot
    from thidua.campaigns.models import Campaign
    from thidua.titles import services as award_services

    award_services.install_award_list(actor=None)
    cluster_year = ClusterYear.objects.get(cluster__code="C9", year=2020)
    first, second, third = (m.organization for m in queries.memberships(cluster_year)[:3])
    conditions = [
        {"code": "C.1", "title": "Không có cán bộ bị kỷ luật", "blocks": ["Cờ thi đua", "Bằng khen"]},
        {"code": "C.2", "title": "Hoàn thành xuất sắc nhiệm vụ", "blocks": ["Cờ thi đua"]},
    ]
    results = [
        {"code": first.short_code, "total": "95", "rank": 1, "eligible_titles": ["Cờ thi đua", "Bằng khen"]},
        {"code": second.short_code, "total": "92", "rank": 2, "eligible_titles": ["Bằng khen"]},
        {"code": third.short_code, "total": "90", "rank": 3, "eligible_titles": ["Cờ thi đua", "Bằng khen"]},
    ]
    publish_snapshot(Campaign.objects.get(cluster_year=cluster_year), results, conditions=conditions)
    problems = collect_errors(page)
    sign_in("thuongtruc.tg")
    page.goto(f"{live_server.url}/conference/C9/2020/ballots/new/")
    checkboxes = page.locator("#ballot-candidates input[type=checkbox]")
    expect(checkboxes).to_have_count(3)

    page.get_by_label("Hình thức khen thưởng (nếu có)").select_option(
        label="Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh"
    )

    expect(page.locator("#candidates-title")).to_have_text(
        "Các trường đủ điều kiện xét danh hiệu “Cờ thi đua” theo kết quả đã công bố."
    )
    expect(checkboxes).to_have_count(2)
    expect(page.locator("#ballot-candidates")).not_to_contain_text(second.name)
    page.get_by_role("button", name="Tạo", exact=True).click()
    expect(page.locator("#ballot-award")).to_have_text("Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh")
    expect(page.locator("#candidates li")).to_have_count(2)
    expect(page.locator("#candidates")).to_contain_text(first.name)
    expect(page.locator("#candidates")).to_contain_text(third.name)
    assert problems == []
