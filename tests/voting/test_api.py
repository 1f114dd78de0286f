"""The API: conferences and ballots for the secretariat, the vote by code without an account;
results are counts, the published list is receipts and choices."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.voting.conftest import candidate_ids, make_ballot
from thidua.voting import services
from thidua.voting.models import Ballot, CastBallot

pytestmark = pytest.mark.django_db


def api_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_secretariat_creates_opens_and_closes_a_ballot_and_gets_codes_once(meeting, world):
    api = api_for(world.alice)
    created = api.post(
        "/api/v1/ballots/",
        {
            "conference": meeting.conference.pk,
            "question": "Suy tôn",
            "preset": "cluster-vote",
            "candidates": ["A", "B"],
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert [c["school"] for c in created.data["candidates"]] == ["A", "B"]
    assert api.post(f"/api/v1/ballots/{pk}/open/").data["present_count"] == 5
    codes = api.post(f"/api/v1/ballots/{pk}/codes/", {"count": 2}, format="json").data["codes"]
    assert len(codes) == 2
    anonymous = api_for()
    shown = anonymous.post("/api/v1/vote/ballot/", {"code": codes[0]}, format="json")
    assert shown.data["question"] == "Suy tôn"
    choice = shown.data["candidates"][0]["id"]
    voted = anonymous.post("/api/v1/vote/", {"code": codes[0], "choices": [choice]}, format="json")
    assert voted.status_code == 201
    again = anonymous.post("/api/v1/vote/", {"code": codes[0], "choices": [choice]}, format="json")
    assert again.status_code == 400
    closed = api.post(f"/api/v1/ballots/{pk}/close/").data
    assert closed["results"]["candidates"][0] == {
        "school": "A",
        "name": "Trường Chính trị tỉnh Tiền Giang",
        "votes": 1,
        "reached": False,
        "elected": False,
    }
    published = api.get(f"/api/v1/ballots/{pk}/published/").data["ballots"]
    assert published == [{"receipt": voted.data["receipt"], "choices": ["Trường Chính trị tỉnh Tiền Giang"]}]


def test_members_read_but_do_not_run_and_other_clusters_see_nothing(meeting, world):
    ballot = make_ballot(meeting, actor=world.alice)
    assert api_for(world.bob).get(f"/api/v1/ballots/{ballot.pk}/").status_code == 200
    assert api_for(world.bob).post(f"/api/v1/ballots/{ballot.pk}/open/").status_code == 403
    assert api_for(world.bob).post(f"/api/v1/ballots/{ballot.pk}/codes/", {"count": 1}).status_code == 403
    assert api_for(world.frank).get(f"/api/v1/ballots/{ballot.pk}/").status_code == 404
    listed = api_for(world.frank).get("/api/v1/conferences/").data
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    created = api_for(world.frank).post(
        "/api/v1/ballots/",
        {"conference": meeting.conference.pk, "question": "x", "preset": "cluster-vote"},
        format="json",
    )
    assert created.status_code == 404
    assert api_for().get("/api/v1/ballots/").status_code in (401, 403)
    assert Ballot.objects.get(pk=ballot.pk).status == "draft"


def test_the_vote_endpoint_refuses_a_wrong_code(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    response = api_for().post(
        "/api/v1/vote/", {"code": "AAAA-BBBB-CCCC-DDDD", "choices": [candidate_ids(ballot)["A"]]}, format="json"
    )
    assert response.status_code == 400
    assert CastBallot.objects.count() == 0


def test_the_secretariat_records_the_conference_and_a_stale_update_is_refused(world):
    api = api_for(world.alice)
    body = {"cluster": "K", "year": 2020, "date": "2020-11-09", "place": "Mỹ Tho", "host": "A"}
    created = api.post("/api/v1/conferences/", body, format="json")
    assert created.status_code == 201
    assert (created.data["host"], created.data["member_schools"], created.data["version"]) == ("A", 2, 1)
    updated = api.post("/api/v1/conferences/", {**body, "place": "Tiền Giang", "version": 1}, format="json")
    assert (updated.data["place"], updated.data["version"]) == ("Tiền Giang", 2)
    stale = api.post("/api/v1/conferences/", {**body, "place": "khác", "version": 1}, format="json")
    assert stale.status_code == 400
    assert api_for(world.bob).post("/api/v1/conferences/", body, format="json").status_code == 403
    assert api_for(world.frank).get(f"/api/v1/conferences/{created.data['id']}/").status_code == 404
    assert api_for(world.frank).post("/api/v1/conferences/", body, format="json").status_code == 404


def test_a_ballot_created_for_an_award_lists_the_schools_eligible_for_its_title(ranked_meeting, world):
    api = api_for(world.alice)
    body = {"conference": ranked_meeting.meeting.conference.pk, "question": "Suy tôn", "preset": "cluster-vote"}

    flag = api.post("/api/v1/ballots/", {**body, "award": "co-hoc-vien"}, format="json")
    certificate = api.post("/api/v1/ballots/", {**body, "award": "bang-khen-giam-doc"}, format="json")

    assert flag.status_code == 201, flag.data
    assert (flag.data["award"], [c["school"] for c in flag.data["candidates"]]) == ("co-hoc-vien", ["B", "E"])
    assert [c["school"] for c in certificate.data["candidates"]] == ["B", "A", "E"]
    unknown = api.post("/api/v1/ballots/", {**body, "award": "khong-co"}, format="json")
    assert (unknown.status_code, list(unknown.data)) == (400, ["award"])


def test_the_api_answers_a_used_code_exactly_as_a_code_never_issued(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    (used,) = services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    services.cast_vote(code=used, candidate_ids=[])
    answers = []
    for code in (used, "AAAA-BBBB-CCCC-DDDD"):
        for path, body in (("/api/v1/vote/ballot/", {"code": code}), ("/api/v1/vote/", {"code": code, "choices": []})):
            response = api_for().post(path, body, format="json")
            answers.append((response.status_code, response.json()))
    assert answers[0] == answers[2]
    assert answers[1] == answers[3]
    assert answers[0][0] == 400
