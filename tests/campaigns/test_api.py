"""API: campaigns (members read; the secretariat moves phases, sets deadlines, grants
extensions) and registrations (a school edits its own, the principal signs off, the
secretariat reads all). Another school's registration does not exist for the caller (404)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.campaigns.conftest import in_days, register
from thidua.campaigns import services
from thidua.campaigns.models import Deadline, Registration, SubmissionStatus
from thidua.campaigns.phases import Phase

pytestmark = pytest.mark.django_db


def test_members_read_the_campaign_with_deadlines_and_only_their_own_extension(year, client_for, dung):
    for school, days in ((year.world.school_b, 20), (dung.organization, 25)):
        services.grant_extension(
            actor=year.world.alice,
            campaign=year.campaign,
            organization=school,
            phase=Phase.REGISTRATION,
            until=in_days(days),
            reason=f"Lý do của {school.short_code}",
        )

    body = client_for(year.world.bob).get("/api/v1/campaigns/").json()

    [campaign] = body["results"]
    assert {k: campaign[k] for k in ("cluster", "year", "phase", "phase_label", "reminder_days")} == {
        "cluster": "K",
        "year": 2020,
        "phase": "registration",
        "phase_label": "Đăng ký thi đua",
        "reminder_days": [7, 3, 1],
    }
    due = timezone.localtime(Deadline.objects.get(phase="registration").due_at)
    assert campaign["deadlines"]["registration"] == due.isoformat()
    assert campaign["deadlines"]["review"] is None
    assert [(e["school"], e["reason"]) for e in campaign["extensions"]] == [("B", "Lý do của B")]


def test_the_secretariat_reads_every_extension_and_the_phase_history(year, client_for):
    services.grant_extension(
        actor=year.world.alice,
        campaign=year.campaign,
        organization=year.world.school_b,
        phase=Phase.REGISTRATION,
        until=in_days(20),
        reason="Bão",
    )

    body = client_for(year.world.alice).get(f"/api/v1/campaigns/{year.campaign.pk}/").json()

    assert [e["school"] for e in body["extensions"]] == ["B"]
    assert [(m["from"], m["to"], m["reopening"]) for m in body["phase_history"]] == [("setup", "registration", False)]


def test_a_school_of_another_cluster_gets_a_404(year, client_for):
    assert client_for(year.world.frank).get(f"/api/v1/campaigns/{year.campaign.pk}/").status_code == 404


def test_the_secretariat_moves_the_phase_and_a_reopening_without_reason_is_a_400(year, client_for):
    client = client_for(year.world.alice)
    url = f"/api/v1/campaigns/{year.campaign.pk}/move-phase/"

    forward = client.post(url, {"to": "activities"}, content_type="application/json")
    back = client.post(url, {"to": "registration"}, content_type="application/json")

    assert (forward.status_code, forward.json()["phase"]) == (200, "activities")
    assert back.status_code == 400
    assert back.json() == {"reason": ["Mở lại giai đoạn “Đăng ký thi đua” cần ghi lý do (sẽ lưu trong nhật ký)."]}


def test_a_member_school_cannot_move_the_phase(year, client_for):
    response = client_for(year.world.bob).post(
        f"/api/v1/campaigns/{year.campaign.pk}/move-phase/", {"to": "activities"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "Chỉ Thường trực Cụm của năm này làm được việc này."}
    assert year.refresh().phase == Phase.REGISTRATION


def test_the_secretariat_sets_deadlines_and_grants_an_extension(year, client_for):
    client = client_for(year.world.alice)
    campaign_url = f"/api/v1/campaigns/{year.campaign.pk}/"

    deadlines = client.patch(
        f"{campaign_url}deadlines/",
        {"review": "2099-10-25T17:00:00+07:00", "self_assessment": None},
        content_type="application/json",
    )
    extension = client.post(
        f"{campaign_url}extensions/",
        {"school": "b", "phase": "registration", "until": "2099-01-01T17:00:00+07:00", "reason": "Bão"},
        content_type="application/json",
    )

    assert deadlines.json()["deadlines"]["review"] == "2099-10-25T17:00:00+07:00"
    assert deadlines.json()["deadlines"]["self_assessment"] is None
    assert extension.status_code == 201
    assert {k: extension.json()[k] for k in ("school", "phase", "until", "reason")} == {
        "school": "B",
        "phase": "registration",
        "until": "2099-01-01T17:00:00+07:00",
        "reason": "Bão",
    }


def test_an_extension_for_a_school_outside_the_year_is_a_400(year, client_for):
    response = client_for(year.world.alice).post(
        f"/api/v1/campaigns/{year.campaign.pk}/extensions/",
        {"school": "C", "phase": "registration", "until": "2099-01-01T17:00:00+07:00", "reason": "Bão"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"school": ["C không phải thành viên của K — 2020."]}


# --- registrations ------------------------------------------------------------------------


def test_a_school_creates_edits_and_its_principal_signs_off_its_registration(year, client_for):
    client = client_for(year.world.bob)

    created = client.post(
        "/api/v1/registrations/",
        {
            "campaign": year.campaign.pk,
            "school": "B",
            "targets": {"I.1": "40", "I.2": "95.5"},
            "aimed_titles": ["Bằng khen"],
        },
        content_type="application/json",
    )
    pk = created.json()["id"]
    edited = client.patch(
        f"/api/v1/registrations/{pk}/", {"targets": {"I.2": "96"}, "version": 1}, content_type="application/json"
    )
    signed = client_for(year.binh).post(
        f"/api/v1/registrations/{pk}/submit/", {"version": 2}, content_type="application/json"
    )

    assert created.status_code == 201
    assert created.json()["targets"] == {"I.1": "40", "I.2": "95.5"}
    assert edited.json()["targets"] == {"I.1": "40", "I.2": "96"}
    assert (signed.status_code, signed.json()["status"], signed.json()["submitted_by"]) == (200, "submitted", "Bình Lê")


def test_a_stale_api_save_is_a_400_and_changes_nothing(year, client_for):
    registration = register(year, year.world.school_b)
    client = client_for(year.world.bob)
    client.patch(
        f"/api/v1/registrations/{registration.pk}/",
        {"targets": {"I.1": "41"}, "version": 1},
        content_type="application/json",
    )

    response = client.patch(
        f"/api/v1/registrations/{registration.pk}/",
        {"targets": {"I.1": "50"}, "version": 1},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "đã được người khác sửa" in response.json()["non_field_errors"][0]
    assert {t.node.code: t.target for t in Registration.objects.get().targets.select_related("node")}["I.1"] == 41


def test_a_bad_target_is_a_400_naming_its_criterion(year, client_for):
    response = client_for(year.world.bob).post(
        "/api/v1/registrations/",
        {"campaign": year.campaign.pk, "school": "B", "targets": {"I.2": "120", "I.3": "5"}},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "targets": ["Tiêu chí I.3 không nhận chỉ tiêu đăng ký (chỉ các tiêu chí định lượng so với chỉ tiêu mới có)."],
        "target_I.2": ["Chỉ tiêu của I.2 là tỷ lệ phần trăm nên không thể lớn hơn 100."],
    }


def test_an_officer_cannot_sign_off_through_the_api(year, client_for):
    registration = register(year, year.world.school_b)

    response = client_for(year.world.bob).post(f"/api/v1/registrations/{registration.pk}/submit/")

    assert response.status_code == 403
    assert Registration.objects.get().status == SubmissionStatus.DRAFT


def test_a_fellow_member_neither_lists_nor_reads_another_schools_draft(year, client_for, dung):
    registration = register(year, year.world.school_b)
    client = client_for(dung)

    listed = client.get("/api/v1/registrations/").json()
    read = client.get(f"/api/v1/registrations/{registration.pk}/")
    patched = client.patch(
        f"/api/v1/registrations/{registration.pk}/", {"commitment": "x"}, content_type="application/json"
    )

    assert listed["results"] == []
    assert (read.status_code, patched.status_code) == (404, 404)
    assert Registration.objects.get().commitment != "x"


def test_a_fellow_member_cannot_create_another_schools_registration(year, client_for, dung):
    response = client_for(dung).post(
        "/api/v1/registrations/",
        {"campaign": year.campaign.pk, "school": "B", "targets": {"I.1": "40"}},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_the_secretariat_reads_every_registration_and_reopens_one(year, client_for):
    register(year, year.world.school_b, submit=True)
    register(year, year.world.school_a)
    client = client_for(year.world.alice)

    listed = client.get(f"/api/v1/registrations/?campaign={year.campaign.pk}").json()
    pk = Registration.objects.get(organization=year.world.school_b).pk
    reopened = client.post(
        f"/api/v1/registrations/{pk}/reopen/", {"reason": "Sai chỉ tiêu"}, content_type="application/json"
    )

    assert [(r["school"], r["status"]) for r in listed["results"]] == [("B", "submitted"), ("A", "draft")]
    assert reopened.json()["status"] == "draft"
