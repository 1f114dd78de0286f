"""Clarification → reconciliation → publication → explanation in a real browser (strict CSP):
the school answers a clarification, the secretariat overrides one leaf with a reason, accepts
the rest, locks and publishes, and the school reads its explanation page (charts drawn by the
static script, reviewer names hidden)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.accounts import PASSWORD
from tests.reviews.results_world import build
from thidua.campaigns.models import Campaign, Deadline
from thidua.campaigns.phases import Phase
from thidua.results.models import FinalScore, FinalSource
from thidua.reviews import clarify

pytestmark = [pytest.mark.browser]

SELF = {"A": {"I.1": "8", "I.2": "9", "II.1": "7"}, "B": {"I.1": "10", "I.2": "6", "II.1": "5"}}
REVIEWS = {
    "A": [{"I.1": "8", "I.2": "9", "II.1": "7"}, {"I.1": "7", "I.2": "9", "II.1": "7"}],
    "B": [{"I.1": "5", "I.2": "6", "II.1": "5"}, {"I.1": "6", "I.2": "6", "II.1": "5"}],
}


def _login(new_context, live_server, username):
    page = new_context().new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    return page, errors


def test_clarify_reconcile_publish_explain(transactional_db, settings, tmp_path, new_context, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build(SELF, REVIEWS, phase=Phase.CLARIFICATION, cluster_code="W")
    Deadline.objects.create(campaign=world.campaign, phase=Phase.CLARIFICATION,
                            due_at=timezone.now() + datetime.timedelta(days=3))  # fmt: skip
    school_b, officer_b = world.schools[1], world.officers[1]
    clarify.ask(actor=world.secretariat, campaign=world.campaign, school=school_b, node=world.node("I.1"),
                question="Đề nghị giải trình điểm tự chấm 10 của tiêu chí I.1.")  # fmt: skip
    args = ["W", 2020]

    # The school answers.
    page, errors_b = _login(new_context, live_server, officer_b.username)
    page.goto(live_server.url + reverse("reviews:clarifications", args=args))
    expect(page.get_by_text("Đề nghị giải trình điểm tự chấm 10")).to_be_visible()
    page.get_by_label("Nội dung giải trình").fill("Trường có quyết định khen thưởng cấp tỉnh kèm theo.")
    page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.get_by_text("Đã gửi nội dung giải trình.")).to_be_visible()

    # The secretariat reconciles: one override with its reason, the rest accepted; lock; publish.
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Phase.RECONCILIATION)
    sec, errors_s = _login(new_context, live_server, world.secretariat.username)
    sec.goto(live_server.url + reverse("results:reconciliation", args=args))
    row = sec.locator("#leaf-B-I\\.1")
    expect(row).to_contain_text("Tự chấm lệch thẩm định")
    expect(row).to_contain_text("Giám khảo Nguyễn")  # the secretariat sees reviewer names
    row.get_by_text("Quyết định điểm khác").click()
    row.get_by_label("Điểm").fill("8")
    row.get_by_label("Lý do (bắt buộc)").fill("Giải trình có quyết định khen thưởng cấp tỉnh.")
    row.get_by_role("button", name="Ghi điểm quyết định").click()
    expect(sec.get_by_text("Đã ghi điểm quyết định cho B I.1.")).to_be_visible()
    # The unflagged leaves are drawn when their list is opened.
    sec.locator("#unflagged-list summary").click()
    expect(sec.locator("#unflagged tbody tr[id^='leaf-']").first).to_be_visible()
    sec.get_by_role("button", name="Chấp nhận đề xuất của mọi tiêu chí không chênh lệch").click()
    expect(sec.get_by_text("Còn 0/6 tiêu chí chưa có điểm thống nhất.")).to_be_visible()
    sec.get_by_role("button", name="Khóa điểm thống nhất").click()
    expect(sec.get_by_text("Đã khóa điểm thống nhất.")).to_be_visible()
    sec.goto(live_server.url + reverse("results:results", args=args))
    sec.get_by_role("button", name="Công bố kết quả").click()
    expect(sec.get_by_text("Đã công bố kết quả.")).to_be_visible()
    final = FinalScore.objects.get(campaign=world.campaign, school=school_b, node__code="I.1")
    assert final.source == FinalSource.OVERRIDE

    # The school reads its explanation.
    page.goto(live_server.url + reverse("results:results_school", args=[*args, "B"]))
    expect(page.locator("#summary")).to_contain_text("Tổng điểm 19")  # 8 + 6 + 5
    expect(page.locator("#gap")).to_contain_text("Trường xếp ngay trên")
    expect(page.get_by_text("Giải trình có quyết định khen thưởng cấp tỉnh.")).to_be_visible()
    assert "Giám khảo Nguyễn" not in page.content()
    page.wait_for_function("() => document.getElementById('chart-profile').width > 0")
    assert not [e for e in errors_b + errors_s if "Content Security Policy" in e], errors_b + errors_s
