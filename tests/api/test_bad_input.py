"""No 500 from bad input on the API: a non-integer id, an absurd limit or offset, a bad file
parameter each get a clear 4xx (issue #13: found by a property-based run over the schema)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ID_ROUTES = [
    "successions",
    "profiles",
    "cluster-years",
    "frameworks",
    "campaigns",
    "registrations",
    "proposals",
    "self-assessments",
    "clarifications",
    "campaign-results",
    "review-assignments",
    "reviews",
    "conferences",
    "ballots",
]


@pytest.mark.parametrize("route", ID_ROUTES)
def test_a_non_integer_id_is_not_found_not_a_crash(world, client_for, route):
    response = client_for(world.carol).get(f"/api/v1/{route}/abc/")

    assert response.status_code == 404


def test_a_non_integer_framework_in_the_nodes_path_is_not_found(world, client_for):
    assert client_for(world.carol).get("/api/v1/frameworks/abc/nodes/").status_code == 404


@pytest.mark.parametrize("query", ["limit=99999999999999999999", "offset=99999999999999999999", "limit=-1"])
def test_an_absurd_page_is_answered_without_a_crash(world, client_for, query):
    response = client_for(world.carol).get(f"/api/v1/organizations/?{query}")

    assert response.status_code == 200
    assert len(response.json()["results"]) <= 500
