"""The self-assessment API: read per visibility (404 for what is not theirs), update entries
at a version (409 with the other person's values when stale, 400 with the reason when
refused), submit and reopen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.assessments.conftest import register, save
from thidua.assessments import services
from thidua.assessments.models import SelfAssessment
from thidua.campaigns.models import SubmissionStatus

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(sheet, rest: str = "") -> str:
    return f"/api/v1/self-assessments/{sheet.assessment_b.pk}/{rest}"


def test_the_school_reads_its_assessment_with_the_engines_points(sheet):
    register(sheet.campaign, sheet.world.school_b, {"II.1": "10"})
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.75"), explanation="Có kế hoạch")
    save(sheet.world.bob, sheet.entry("II.1"), actual=Decimal("8"))

    response = api(sheet.world.bob).get(url(sheet))

    assert response.status_code == 200
    data = response.json()
    assert (data["cluster"], data["year"], data["school"], data["status"]) == ("K", 2020, "B", "draft")
    assert data["total"] == "4.95"
    assert data["groups"]["I"] == "1.75"
    assert (data["can_edit"], data["can_submit"]) == (True, False)
    entries = {entry["code"]: entry for entry in data["entries"]}
    assert len(entries) == 37
    assert entries["I.4"] | {"updated_at": None} == {
        "id": sheet.entry("I.4").pk, "code": "I.4", "kind": "leaf",
        "title": "Tổ chức phong trào thi đua, khen thưởng tại trường", "rule": "manual", "field": "points",
        "max": "2", "value": "1.75", "target": None, "explanation": "Có kế hoạch", "version": 1,
        "updated_at": None, "updated_by": "Bob Trần", "points": "1.75", "condition": None,
        "points_explanation": "Chấm trực tiếp: 1,75/2 điểm", "problem": "", "evidence": [],
    }  # fmt: skip
    assert (entries["II.1"]["value"], entries["II.1"]["target"], entries["II.1"]["points"]) == ("8", "10", "3.2")


def test_another_school_asking_for_a_draft_record_gets_404(sheet):
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.75"))
    client = api(sheet.world.alice)

    responses = [
        client.get(url(sheet)),
        client.get(url(sheet, "entries/")),
        client.get(url(sheet, "entries/I.4/")),
        client.patch(url(sheet, "entries/I.4/"), {"value": "0", "version": 1}, format="json"),
        client.post(url(sheet, "submit/")),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert client.get("/api/v1/self-assessments/").json()["results"] == []
    assert sheet.entry("I.4").points == Decimal("1.75")


def test_after_submission_the_secretariat_reads_it_and_lists_it(sheet):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)
    client = api(sheet.world.alice)

    detail = client.get(url(sheet))
    listed = client.get("/api/v1/self-assessments/?cluster=k&year=2020").json()

    assert detail.status_code == 200
    assert detail.json()["can_reopen"] is True
    assert [row["school"] for row in listed["results"]] == ["B"]


def test_an_entry_is_updated_at_its_version(sheet):
    response = api(sheet.world.bob).patch(
        url(sheet, "entries/I.4/"), {"value": "1,5", "explanation": "Có kế hoạch", "version": 0}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["value"], response.json()["version"], response.json()["points"]) == ("1.5", 1, "1.5")
    assert sheet.entry("I.4").points == Decimal("1.5")


def test_a_stale_update_is_a_409_with_the_other_persons_values(sheet):
    save(sheet.binh, sheet.entry("I.4"), points=Decimal("0.5"), explanation="Của hiệu trưởng")

    response = api(sheet.world.bob).patch(url(sheet, "entries/I.4/"), {"value": 1.5, "version": 0}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("Người khác đã lưu tiêu chí I.4 trong lúc bạn sửa")
    assert body["current"] | {"updated_at": None} == {
        "value": "0.5", "explanation": "Của hiệu trưởng", "version": 1, "updated_by": "Bình Lê", "updated_at": None,
    }  # fmt: skip
    assert sheet.entry("I.4").points == Decimal("0.5")


def test_a_refused_value_is_a_400_with_the_reason(sheet):
    client = api(sheet.world.bob)

    off_step = client.patch(url(sheet, "entries/I.4/"), {"value": "1.6", "version": 0}, format="json")
    level = client.patch(url(sheet, "entries/I.1/"), {"value": "Xuất sắc", "version": 0}, format="json")
    no_version = client.patch(url(sheet, "entries/I.4/"), {"value": "1"}, format="json")

    assert off_step.status_code == 400
    assert off_step.json() == {
        "value": ["Điểm 1,6 không đúng bước 0,25: hãy nhập 1,5 hoặc 1,75. Điểm không được làm tròn tự động."]
    }
    assert level.status_code == 400
    assert level.json()["value"][0].startswith("Mức “Xuất sắc” không có trong thang chấm")
    assert no_version.status_code == 400
    assert "version" in no_version.json()
    assert sheet.entry("I.4").points is None


def test_a_locked_assessment_refuses_updates(sheet):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    response = api(sheet.world.bob).patch(url(sheet, "entries/I.4/"), {"value": 1, "version": 0}, format="json")

    assert response.status_code == 400
    assert "đã được gửi nên không sửa được nữa" in response.json()["non_field_errors"][0]


def test_submit_is_for_the_principal_and_reopen_for_the_secretariat_with_a_reason(sheet):
    assert api(sheet.world.bob).post(url(sheet, "submit/")).status_code == 403

    submitted = api(sheet.binh).post(url(sheet, "submit/"))
    no_reason = api(sheet.world.alice).post(url(sheet, "reopen/"), {"reason": ""}, format="json")
    reopened = api(sheet.world.alice).post(url(sheet, "reopen/"), {"reason": "Bổ sung số liệu"}, format="json")

    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": ["Hãy ghi lý do mở lại."]}
    assert (reopened.status_code, reopened.json()["status"]) == (200, "draft")
    assert SelfAssessment.objects.get(pk=sheet.assessment_b.pk).status == SubmissionStatus.DRAFT


def test_a_school_starts_its_own_assessment_only(sheet):
    started = api(sheet.world.alice).post(
        "/api/v1/self-assessments/", {"cluster": "K", "year": 2020, "school": "A"}, format="json"
    )
    refused = api(sheet.world.alice).post(
        "/api/v1/self-assessments/", {"cluster": "K", "year": 2020, "school": "B"}, format="json"
    )

    assert (started.status_code, started.json()["school"]) == (201, "A")
    assert refused.status_code == 404
