"""Campaign pages: the list, the timeline with deadlines and the school's own extension, and the
secretariat's pages (opening a campaign, deadlines, phase moves, extensions)."""

from __future__ import annotations

import pytest

from tests.campaigns.conftest import DOCUMENT, in_days, publish
from thidua.campaigns import services
from thidua.campaigns.common import when
from thidua.campaigns.models import Campaign, Deadline, Extension
from thidua.campaigns.phases import Phase

pytestmark = pytest.mark.django_db

URL = "/campaigns/K/2020/"


@pytest.mark.parametrize("path", ["/campaigns/", URL, f"{URL}progress/", f"{URL}registrations/B/", f"{URL}covenant/"])
def test_campaign_pages_send_anonymous_visitors_to_the_login_page(year, client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_the_list_shows_the_campaigns_of_the_users_clusters_by_cluster_and_year(year, client_for, html, dung):
    response = client_for(dung).get("/campaigns/")

    assert html.rows(response, "campaigns-K") == [
        [
            "2020",
            "Dân chủ - Kỷ cương - Gương mẫu - Sáng tạo - Hiệu quả",
            "Bảng tiêu chí Cụm K năm 2020",
            "Đăng ký thi đua",
        ]
    ]
    assert not html.has(response, "creatable")


def test_a_school_of_another_cluster_neither_lists_nor_opens_the_campaign(year, client_for, html):
    client = client_for(year.world.frank)

    assert not html.has(client.get("/campaigns/"), "campaigns-K")
    assert client.get(URL).status_code == 404


def test_the_secretariat_is_offered_to_open_the_campaigns_its_years_lack(year, client_for, html):
    response = client_for(year.world.bob).get("/campaigns/")  # B heads K in 2021

    assert html.text(response, "creatable") == "Năm của cụm chưa có đợt thi đua Cụm thi đua K — 2021: Mở đợt thi đua"


def test_the_secretariat_opens_a_campaign_with_a_published_framework_and_deadlines(year, client_for):
    framework = publish(
        {**DOCUMENT, "framework": {"name": "Bảng 2021", "total": 20}}, cluster=year.world.cluster, year=2021
    )
    client = client_for(year.world.bob)

    response = client.post(
        "/campaigns/K/2021/new/",
        {
            "framework": framework.pk,
            "registration": "31/03/2021",
            "self_assessment": "15/10/2021 17:00",
            "review": "",
            "clarification": "",
            "reminder_days": "5, 2",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/campaigns/K/2021/"
    campaign = Campaign.objects.get(cluster_year=year.world.year_2021)
    assert campaign.reminder_days == [5, 2]
    assert sorted((d.phase, when(d.due_at)) for d in campaign.deadlines.all()) == [
        ("registration", "31/03/2021 23:59"),
        ("self_assessment", "15/10/2021 17:00"),
    ]


def test_a_badly_typed_deadline_is_refused_and_the_form_keeps_what_was_typed(year, client_for, html):
    framework = publish(
        {**DOCUMENT, "framework": {"name": "Bảng 2021", "total": 20}}, cluster=year.world.cluster, year=2021
    )

    response = client_for(year.world.bob).post(
        "/campaigns/K/2021/new/",
        {
            "framework": framework.pk,
            "registration": "31/02/2021",
            "self_assessment": "15-10-2021",
            "reminder_days": "7",
        },
    )

    assert response.status_code == 200
    text = html.text(response)
    assert "“31/02/2021” không phải là một ngày giờ có thật." in text
    assert "“15-10-2021” không đúng dạng ngày giờ: hãy viết dd/mm/yyyy hoặc dd/mm/yyyy hh:mm." in text
    assert 'value="15-10-2021"' in response.content.decode()
    assert not Campaign.objects.filter(cluster_year=year.world.year_2021).exists()


def test_only_the_secretariat_of_that_year_opens_its_campaign(year, client_for):
    assert client_for(year.world.alice).get("/campaigns/K/2021/new/").status_code == 403


def test_the_timeline_shows_every_phase_with_its_deadline_and_the_current_one(year, client_for, html):
    response = client_for(year.world.bob).get(URL)

    rows = html.text(response, "timeline")
    due = when(Deadline.objects.get(phase=Phase.REGISTRATION).due_at)
    assert rows.startswith(f"Chuẩn bị Đã qua Đăng ký thi đua Hạn chót: {due} Đang diễn ra Hoạt động trong năm")
    assert html.text(response, "current-phase") == "Đăng ký thi đua"
    assert not html.has(response, "phase-control")


def test_a_schools_extension_is_shown_to_that_school_and_not_to_another(year, client_for, html, dung):
    extension = services.grant_extension(
        actor=year.world.alice,
        campaign=year.campaign,
        organization=year.world.school_b,
        phase=Phase.REGISTRATION,
        until=in_days(20),
        reason="Hiệu trưởng đi công tác nước ngoài",
    )

    seen_by_b = html.text(client_for(year.world.bob).get(URL), "school-B")
    seen_by_d = client_for(dung).get(URL)

    assert seen_by_b.endswith(
        f"Trường được gia hạn đăng ký thi đua đến {when(extension.until)}. Lý do: Hiệu trưởng đi công tác nước ngoài"
    )
    assert "Hiệu trưởng đi công tác" not in seen_by_d.content.decode()
    assert "Gia hạn cho B" not in html.text(seen_by_d, "timeline")


def test_the_secretariat_moves_the_campaign_forward_and_the_history_shows_it(year, client_for, html):
    client = client_for(year.world.alice)

    response = client.post(f"{URL}phase/", {"to": "activities", "version": year.campaign.version}, follow=True)

    assert year.refresh().phase == Phase.ACTIVITIES
    assert "Đợt thi đua đã chuyển sang giai đoạn “Hoạt động trong năm”." in html.text(response)
    assert [row[2:4] for row in html.rows(response, "phase-history")] == [
        ["Chuẩn bị", "Đăng ký thi đua"],
        ["Đăng ký thi đua", "Hoạt động trong năm"],
    ]


def test_reopening_without_a_reason_is_refused_on_the_page(year, client_for, html):
    campaign = services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)

    response = client_for(year.world.alice).post(
        f"{URL}phase/", {"to": "registration", "reason": "", "version": campaign.version}, follow=True
    )

    assert "Mở lại giai đoạn “Đăng ký thi đua” cần ghi lý do (sẽ lưu trong nhật ký)." in html.text(response)
    assert year.refresh().phase == Phase.ACTIVITIES


def test_reopening_with_a_reason_is_recorded_in_the_history(year, client_for, html):
    campaign = services.move_phase(actor=year.world.alice, campaign=year.campaign, to=Phase.ACTIVITIES)

    response = client_for(year.world.alice).post(
        f"{URL}phase/", {"to": "registration", "reason": "B xin sửa chỉ tiêu", "version": campaign.version}, follow=True
    )

    assert year.refresh().phase == Phase.REGISTRATION
    assert html.rows(response, "phase-history")[-1][2:] == [
        "Hoạt động trong năm",
        "Đăng ký thi đua mở lại",
        "B xin sửa chỉ tiêu",
    ]


def test_a_school_officer_cannot_move_the_phase(year, client_for):
    response = client_for(year.world.bob).post(f"{URL}phase/", {"to": "activities"})

    assert response.status_code == 403
    assert year.refresh().phase == Phase.REGISTRATION


def test_the_secretariat_grants_an_extension_on_its_page(year, client_for, html):
    client = client_for(year.world.alice)

    response = client.post(
        f"{URL}extensions/",
        {"organization": year.world.school_b.pk, "phase": "registration", "until": "31/12/2099 17:00", "reason": "Bão"},
        follow=True,
    )

    assert html.rows(response, "extensions")[0][:5] == [
        "Trường Chính trị tỉnh Bạc Liêu",
        "Đăng ký thi đua",
        when(Deadline.objects.get(phase=Phase.REGISTRATION).due_at),
        "31/12/2099 17:00",
        "Bão Alice Nguyễn · " + when(Extension.objects.get().granted_at),
    ]


def test_an_extension_before_the_common_deadline_is_refused_on_the_form(year, client_for, html):
    response = client_for(year.world.alice).post(
        f"{URL}extensions/",
        {"organization": year.world.school_b.pk, "phase": "registration", "until": "01/01/2020", "reason": "Bão"},
    )

    due = when(Deadline.objects.get(phase=Phase.REGISTRATION).due_at)
    assert f"Ngày gia hạn phải sau hạn chung của giai đoạn “Đăng ký thi đua” ({due})." in html.text(
        response, "extension-form"
    )
    assert not Extension.objects.exists()


@pytest.mark.parametrize("page", ["settings/", "deadlines/", "extensions/"])
def test_the_secretariat_pages_are_refused_to_a_member_school(year, client_for, page):
    assert client_for(year.world.bob).get(f"{URL}{page}").status_code == 403


def test_the_deadlines_page_saves_new_deadlines(year, client_for):
    response = client_for(year.world.alice).post(
        f"{URL}deadlines/",
        {"registration": "30/04/2099", "self_assessment": "15/10/2099 17:00", "version": year.campaign.version},
    )

    assert response.status_code == 302
    assert sorted((d.phase, when(d.due_at)) for d in Deadline.objects.all()) == [
        ("registration", "30/04/2099 23:59"),
        ("self_assessment", "15/10/2099 17:00"),
    ]


def test_the_settings_page_refuses_a_stale_form_and_keeps_the_newer_values(year, client_for, html):
    stale = year.campaign.version
    services.update_campaign(actor=year.world.alice, campaign=year.campaign, reminder_days=[2])

    response = client_for(year.world.alice).post(
        f"{URL}settings/",
        {
            "reminder_days": "9",
            "reviewers_per_school": 3,
            "discrepancy_share": "0,2",
            "reconciliation_policy": "mean",
            "version": stale,
        },
    )

    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in html.text(response)
    assert 'value="9"' in response.content.decode()
    assert year.refresh().reminder_days == [2]


def test_the_campaign_page_is_in_english_when_the_user_chose_english(year, client_for, html):
    client = client_for(year.world.bob)
    client.cookies["django_language"] = "en"

    response = client.get(URL)

    assert html.text(response, "current-phase") == "Emulation registration"
    assert "Phase history" in html.text(response)
    assert "Open the registration" in html.text(response, "school-B")


@pytest.mark.parametrize("size", [2, 20])
def test_the_campaign_list_costs_the_same_queries_whatever_the_number_of_campaigns(
    year, client_for, django_assert_num_queries, size
):
    from tests.factories.organizations import ClusterFactory, OrganizationFactory, make_cluster_year

    for _ in range(size):
        school = OrganizationFactory()
        cluster_year = make_cluster_year([school], head=school, cluster=ClusterFactory(), year=2020)
        framework = publish(DOCUMENT, cluster=cluster_year.cluster, year=2020)
        services.create_campaign(actor=None, cluster_year=cluster_year, framework=framework)
    client = client_for(year.world.carol)

    with django_assert_num_queries(6):
        response = client.get("/campaigns/")

    assert sum(len(g["campaigns"]) for g in response.context["groups"]) == size + 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_extensions_page_costs_the_same_queries_whatever_the_number_of_extensions(
    year, client_for, django_assert_num_queries, size
):
    from tests.factories.organizations import OrganizationFactory
    from thidua.organizations.models import Membership

    for _ in range(size):
        school = OrganizationFactory()
        Membership.objects.create(cluster_year=year.world.year_2020, organization=school)
        services.grant_extension(
            actor=year.world.alice,
            campaign=year.campaign,
            organization=school,
            phase=Phase.REGISTRATION,
            until=in_days(30),
            reason="Bão",
        )
    client = client_for(year.world.alice)

    with django_assert_num_queries(9):
        response = client.get(f"{URL}extensions/")

    assert len(response.context["extensions"]) == size
