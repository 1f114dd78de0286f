"""The awards API: the list (Academy writes), proposals (secretariat creates and submits, the
Academy decides), the award history across succession."""

from __future__ import annotations

import datetime

from tests.factories.organizations import OrganizationFactory
from thidua.awards.models import AwardRecord
from thidua.organizations import services as org_services


def test_everyone_reads_the_award_list_and_only_the_academy_writes(aw, client_for):
    client = client_for(aw.world.bob)
    response = client.get("/api/v1/awards/")
    assert response.json()["count"] == 7
    assert response.json()["results"][0]["name"] == "Bằng khen của Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh"
    payload = {"code": "bang-khen-bo", "name": "Bằng khen của Bộ trưởng", "level": "government"}
    assert client.post("/api/v1/awards/", payload, content_type="application/json").status_code == 403
    response = client_for(aw.world.dave).post("/api/v1/awards/", payload, content_type="application/json")
    assert (response.status_code, response.json()["name"]) == (201, "Bằng khen của Bộ trưởng")


def test_the_proposal_workflow_through_the_api(aw, client_for):
    alice = client_for(aw.world.alice)
    response = alice.post(
        "/api/v1/proposals/",
        {"cluster": "K", "year": 2020, "nominee": "A", "award": "co-hoc-vien", "note": "Dẫn đầu Cụm"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["basis_text"]) == ("draft", ["Dẫn đầu Cụm"])
    pk, version = body["id"], body["version"]

    response = alice.post(f"/api/v1/proposals/{pk}/submit/", {"version": version}, content_type="application/json")
    assert response.json()["status"] == "submitted"
    stale = alice.post(f"/api/v1/proposals/{pk}/submit/", {"version": version}, content_type="application/json")
    assert stale.status_code == 403  # no longer a draft

    dave = client_for(aw.world.dave)
    response = dave.post(
        f"/api/v1/proposals/{pk}/decide/",
        {"outcome": "approved", "decision_number": "1234-QĐ/HVCTQG", "decision_date": "2020-12-15", "version": version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "vừa được người khác thay đổi" in str(response.json())
    response = dave.post(
        f"/api/v1/proposals/{pk}/decide/",
        {
            "outcome": "approved",
            "decision_number": "1234-QĐ/HVCTQG",
            "decision_date": "2020-12-15",
            "version": version + 1,
        },
        content_type="application/json",
    )
    assert (response.json()["status"], response.json()["decision_number"]) == ("approved", "1234-QĐ/HVCTQG")


def test_a_draft_is_a_404_for_another_cluster_and_absent_from_its_list(aw, client_for):
    proposal = aw.propose()
    frank = client_for(aw.world.frank)
    assert frank.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert frank.get("/api/v1/proposals/").json()["results"] == []
    response = frank.post(
        "/api/v1/proposals/",
        {"cluster": "K", "year": 2020, "nominee": "A", "award": "bang-khen-giam-doc"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_award_history_includes_predecessors(aw, client_for):
    tg = OrganizationFactory(name="Trường Chính trị tỉnh Tiền Giang (cũ)", short_code="TG")
    dtm = OrganizationFactory(name="Trường Chính trị tỉnh Đồng Tháp (mới)", short_code="DTM")
    org_services.add_succession(actor=None, predecessor=tg, successor=dtm, effective_date=datetime.date(2025, 7, 1))
    AwardRecord.objects.create(organization=tg, award=aw.awards["co-hoc-vien"], year=2019)
    AwardRecord.objects.create(organization=tg, award=aw.awards["co-hoc-vien"], year=2020)

    response = client_for(aw.world.bob).get("/api/v1/award-history/?organization=DTM")

    assert [(r["organization"], r["year"]) for r in response.json()["results"]] == [("TG", 2020), ("TG", 2019)]
    denied = client_for(aw.world.bob).post(
        "/api/v1/award-history/",
        {"organization": "DTM", "award": "co-hoc-vien", "year": 2026},
        content_type="application/json",
    )
    assert denied.status_code == 403
    created = client_for(aw.world.dave).post(
        "/api/v1/award-history/",
        {"organization": "DTM", "award": "co-hoc-vien", "year": 2026},
        content_type="application/json",
    )
    assert (created.status_code, created.json()["organization_name"]) == (201, "Trường Chính trị tỉnh Đồng Tháp (mới)")


def test_a_patch_keeps_the_fields_it_leaves_out(aw, client_for):
    proposal = aw.propose(note="Dẫn đầu Cụm", achievements="Vượt kế hoạch")
    response = client_for(aw.world.alice).patch(
        f"/api/v1/proposals/{proposal.pk}/", {"note": "Dẫn đầu Cụm, 95,5 điểm"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["basis"]["note"], response.json()["achievements"]) == (
        "Dẫn đầu Cụm, 95,5 điểm",
        "Vượt kế hoạch",
    )


def test_a_stale_award_update_is_refused(aw, client_for):
    client = client_for(aw.world.dave)
    url = "/api/v1/awards/co-hoc-vien/"
    read = client.get(url).json()
    assert read["version"] == 1
    assert (
        client.patch(
            url, {"name": "Cờ thi đua của Học viện", "version": 1}, content_type="application/json"
        ).status_code
        == 200
    )
    stale = client.patch(url, {"name": "Cờ (bản cũ)", "version": 1}, content_type="application/json")
    assert stale.status_code == 400
    assert "vừa được người khác sửa" in stale.json()["non_field_errors"][0]
    assert client.get(url).json() | {"version": None} == read | {"name": "Cờ thi đua của Học viện", "version": None}
    # a client that sends no version is not checked (as for every other record of the API)
    assert client.patch(url, {"name": "Cờ thi đua"}, content_type="application/json").json()["version"] == 3
