"""The editor's audit list (nhật ký thay đổi) follows htmx edits: every saved node change made by
htmx triggers ``frameworkEdited``, and the list reloads itself from a fragment view that only
the framework's editors may read.

alice leads cluster K in 2020 (its secretariat that year) and edits K's 2020 draft; bob leads K
in 2021; erin is an observer; dave (Academy staff) built the frameworks.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.criteria import services
from thidua.criteria.models import CriterionNode, Framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
HX = {"HTTP_HX_REQUEST": "true"}
EVENT = "frameworkEdited"
NEW_BONUS = {"kind": "bonus", "code": "B.2", "title": "Sáng kiến", "rule": "count", "points_each": "1"}


def document(name: str) -> dict:
    leaves = [
        {"code": f"G1.{i}", "title": f"Tiêu chí 1.{i}", "max": 1, "rule": "manual", "step": "0.25"} for i in (1, 2)
    ]
    return {
        "framework": {"name": name, "total": 2},
        "groups": [{"code": "G1", "title": "Nhóm 1", "max": 2, "leaves": leaves}],
        "bonus": [{"code": "B.1", "title": "Khen thưởng đột xuất", "points_each": 2, "cap": 4}],
    }


def make(world, *, cluster, name: str, published: bool = False) -> Framework:
    framework = services.create_from_document(actor=world.dave, document=document(name), cluster=cluster, year=2020)
    return services.publish_framework(actor=world.dave, framework=framework) if published else framework


def node(framework: Framework, code: str) -> CriterionNode:
    return CriterionNode.objects.get(framework=framework, code=code)


@pytest.fixture
def k_draft(world) -> Framework:
    return make(world, cluster=world.cluster, name="Bảng tiêu chí Cụm K năm 2020")


def audit_url(framework: Framework) -> str:
    return f"/criteria/{framework.pk}/audit/"


def audit_actions(html, response) -> list[list[str]]:
    """The audit rows as (who, action, what) — the time column left out."""
    return [row[1:] for row in html.rows(response, "audit")]


# --- the edit responses trigger the event --------------------------------------------------


def edit_by_htmx(client, framework: Framework, edit: str):
    base = f"/criteria/{framework.pk}/nodes"
    if edit == "create":
        return client.post(f"{base}/new/", NEW_BONUS, **HX)
    bonus = node(framework, "B.1")
    if edit == "update":
        data = {
            "version": bonus.version,
            "code": "B.1",
            "title": "Khen thưởng đột xuất (sửa)",
            "rule": "count",
            "points_each": "2",
        }
        return client.post(f"{base}/{bonus.pk}/edit/", data, **HX)
    leaf = node(framework, "G1.2")
    if edit == "move":
        return client.post(f"{base}/{leaf.pk}/move/", {"direction": "up"}, **HX)
    return client.post(f"{base}/{leaf.pk}/delete/", **HX)


@pytest.mark.parametrize(
    ("edit", "action"),
    [
        ("create", "criterion.add"),
        ("update", "criterion.update"),
        ("move", "criterion.move"),
        ("delete", "criterion.delete"),
    ],
)
def test_every_saved_htmx_edit_triggers_the_event_the_audit_list_reloads_on(
    world, client_for, html, k_draft, edit, action
):
    client = client_for(world.alice)

    response = edit_by_htmx(client, k_draft, edit)
    fragment = client.get(audit_url(k_draft), **HX)

    assert response["HX-Retarget"] == "#editor"
    assert json.loads(response["HX-Trigger"]) == {EVENT: {}}
    assert audit_actions(html, fragment)[0][:2] == ["Alice Nguyễn", action]


def test_an_invalid_edit_triggers_nothing(world, client_for, k_draft):
    bonus = node(k_draft, "B.1")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/{bonus.pk}/edit/",
        {"version": bonus.version, "code": "B.1", "title": "", "rule": "count", "points_each": "2"},
        **HX,
    )

    assert "HX-Trigger" not in response
    assert "node-form-row" in response.content.decode()


def test_a_refused_move_triggers_nothing(world, client_for, k_draft):
    first, second = node(k_draft, "G1.1"), node(k_draft, "G1.2")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/{first.pk}/move/", {"parent": str(second.pk)}, **HX
    )

    assert response["HX-Retarget"] == "#editor"
    assert "HX-Trigger" not in response
    assert node(k_draft, "G1.1").parent_id == node(k_draft, "G1").pk


def test_an_edit_without_javascript_redirects_without_the_event(world, client_for, k_draft):
    response = client_for(world.alice).post(f"/criteria/{k_draft.pk}/nodes/new/", NEW_BONUS)

    assert response.status_code == 302
    assert "HX-Trigger" not in response


# --- the audit list and its fragment --------------------------------------------------------


def test_the_editor_page_wraps_the_audit_list_so_that_it_reloads_on_the_event(world, client_for, html, k_draft):
    body = client_for(world.alice).get(f"/criteria/{k_draft.pk}/").content.decode()

    assert (
        f'<div id="framework-audit" hx-get="/criteria/{k_draft.pk}/audit/" '
        f'hx-trigger="{EVENT} from:body" hx-swap="outerHTML">'
    ) in body


def test_the_fragment_is_the_audit_list_alone_newest_first(world, client_for, html, k_draft):
    services.update_node(actor=world.dave, node=node(k_draft, "B.1"), title="Khen thưởng (sửa bởi Học viện)")
    client = client_for(world.alice)
    edit_by_htmx(client, k_draft, "create")

    response = client.get(audit_url(k_draft), **HX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="framework-audit" hx-get=')
    assert "<html" not in body
    assert "criteria-tree" not in body
    assert audit_actions(html, response) == [
        ["Alice Nguyễn", "criterion.add", "code: B.2 kind: bonus"],
        [
            "Dave Phạm",
            "criterion.update",
            "code: B.1 title: ['Khen thưởng đột xuất', 'Khen thưởng (sửa bởi Học viện)']",
        ],
        ["Dave Phạm", "framework.import", "source:"],
    ]


def test_an_officer_who_reads_a_framework_but_may_not_change_it_is_refused_the_audit_list(world, client_for):
    published = make(world, cluster=world.cluster, name="Bảng đã ban hành", published=True)

    for persona in ("bob", "erin"):
        response = client_for(getattr(world, persona)).get(audit_url(published), **HX)
        assert response.status_code == 403, persona
        assert "framework.publish" not in response.content.decode()


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_the_audit_list_of_a_draft_the_user_may_not_read_does_not_exist_for_them(world, client_for, persona):
    secret = make(world, cluster=world.other_cluster, name="Bảng nháp bí mật của Cụm L")
    services.update_node(actor=world.dave, node=node(secret, "B.1"), title="Thưởng bí mật")

    response = client_for(getattr(world, persona)).get(audit_url(secret), **HX)

    assert response.status_code == 404
    assert "bí mật" not in response.content.decode()
    assert "criterion.update" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world, k_draft):
    response = client.get(audit_url(k_draft))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={audit_url(k_draft)}"


@pytest.mark.parametrize("edits", [1, 40])
def test_the_audit_list_costs_the_same_queries_at_2_and_41_entries(world, client_for, html, k_draft, edits):
    bonus = node(k_draft, "B.1")
    for index in range(edits):
        services.update_node(actor=world.dave, node=bonus, title=f"Khen thưởng lần {index}")
        bonus.refresh_from_db()
    client = client_for(world.alice)
    client.get(audit_url(k_draft))  # warm the session and the content types

    with CaptureQueriesContext(connection) as queries:
        response = client.get(audit_url(k_draft), **HX)

    assert len(html.rows(response, "audit")) == min(edits + 1, 30)
    assert len(queries) == 6, [q["sql"][:300] for q in queries.captured_queries]
