"""The audit log page."""

from __future__ import annotations

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.organizations import OrganizationFactory
from thidua.core import audit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["carol", "dave"])
def test_audit_log_shows_who_did_what_to_which_object(world, client_for, html, persona):
    audit.record(
        actor=world.carol,
        action="organization.update",
        obj=world.school_b,
        data={"province": ["Bạc Liêu", "Cà Mau"]},
        reason="sáp nhập",
    )

    response = client_for(getattr(world, persona)).get("/audit/")

    rows = html.rows(response, "main")
    assert len(rows) == 1
    _when, actor, action, obj, content = rows[0]
    assert (actor, action, obj) == ("Carol Lê", "organization.update", "Trường Chính trị tỉnh Bạc Liêu")
    assert content == "province: ['Bạc Liêu', 'Cà Mau'] Lý do: sáp nhập"


@pytest.mark.parametrize("persona", ["alice", "bob", "erin", "frank"])
def test_audit_log_is_forbidden_to_schools_and_observers(world, client_for, persona):
    audit.record(actor=world.carol, action="organization.update", obj=world.school_b, data={"secret": "x"})

    response = client_for(getattr(world, persona)).get("/audit/")

    assert response.status_code == 403
    assert b"organization.update" not in response.content


def test_audit_log_filters_by_the_start_of_the_action(world, client_for, html):
    audit.record(actor=world.carol, action="organization.update", obj=world.school_a)
    audit.record(actor=world.carol, action="cluster.update", obj=world.cluster)
    audit.record(actor=world.carol, action="role.grant", obj=world.bob)

    response = client_for(world.carol).get("/audit/", {"action": "cluster."})

    assert [row[2] for row in html.rows(response, "main")] == ["cluster.update"]


def test_audit_log_pages_by_fifty_newest_first(world, client_for, html):
    for i in range(55):
        audit.record(actor=world.carol, action=f"test.{i:02d}")

    first = client_for(world.carol).get("/audit/")
    second = client_for(world.carol).get("/audit/", {"page": 2})

    assert [row[2] for row in html.rows(first, "main")][:2] == ["test.54", "test.53"]
    assert len(html.rows(first, "main")) == 50
    assert [row[2] for row in html.rows(second, "main")] == ["test.04", "test.03", "test.02", "test.01", "test.00"]
    assert "Trang 2/2" in html.text(second)


@pytest.mark.parametrize("size", [5, 40])
def test_audit_log_costs_the_same_queries_whatever_its_length(world, client_for, django_assert_num_queries, size):
    for i in range(size):
        user = UserFactory(password=None)
        org = OrganizationFactory()
        audit.record(actor=user, action="organization.update", obj=org, data={"n": i})
    client = client_for(world.dave)

    with django_assert_num_queries(6):
        response = client.get("/audit/")

    assert response.status_code == 200


def test_audit_log_page_links_keep_the_filter(world, client_for):
    for i in range(55):
        audit.record(actor=world.carol, action=f"cluster.update{i:02d}")
    audit.record(actor=world.carol, action="role.grant")

    response = client_for(world.carol).get("/audit/", {"action": "cluster."})

    assert 'href="?action=cluster.&amp;page=2"' in response.content.decode()
