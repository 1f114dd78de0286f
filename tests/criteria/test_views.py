"""The criteria pages: list, editor (tree, validation, node edits by htmx and by plain posts),
publish, archive, clone, delete, try it, diff, print and downloads — for the personas who may
and may not, with drafts of another cluster that must not leak.

alice leads cluster K in 2020 (its secretariat that year); bob leads K in 2021; frank leads
cluster L in 2020; carol is an admin, dave Academy staff, erin an observer.
"""

from __future__ import annotations

import re
import sys
import types
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.core.models import AuditEntry
from thidua.criteria import services
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
HX = {"HTTP_HX_REQUEST": "true"}


# --- building frameworks ------------------------------------------------------------------


def document(leaves: int = 3, *, per_group: int = 10, name: str = "Bảng tiêu chí thử") -> dict:
    """A valid framework: groups of up to ``per_group`` leaves of 1 point each (rules cycle)."""
    rules = [
        {"rule": "manual", "step": "0.25"},
        {"rule": "pass_fail"},
        {"rule": "count", "points_each": "0.5"},
        {"rule": "levels", "levels": {"Tốt": 1, "Đạt": "0.5"}},
    ]
    groups, made = [], 0
    while made < leaves:
        size = min(per_group, leaves - made)
        number = len(groups) + 1
        groups.append(
            {
                "code": f"G{number}",
                "title": f"Nhóm {number}",
                "max": size,
                "leaves": [
                    {
                        "code": f"G{number}.{i + 1}",
                        "title": f"Tiêu chí {number}.{i + 1}",
                        "max": 1,
                        **rules[(made + i) % 4],
                    }
                    for i in range(size)
                ],
            }
        )
        made += size
    return {
        "framework": {"name": name, "total": leaves, "bonus_cap": 5},
        "groups": groups,
        "bonus": [{"code": "B.1", "title": "Khen thưởng đột xuất", "points_each": 2, "cap": 4}],
        "penalty": [{"code": "P.1", "title": "Nộp chậm", "points_each": "0.5", "cap": 3}],
        "conditions": [{"code": "C.1", "title": "Không có kỷ luật", "blocks": ["Cờ thi đua"]}],
    }


def make(world, *, cluster=None, year=2020, leaves=3, published=False, **kwargs) -> Framework:
    framework = services.create_from_document(
        actor=world.dave, document=document(leaves, **kwargs), cluster=cluster, year=year
    )
    if published:
        framework = services.publish_framework(actor=world.dave, framework=framework)
    return framework


def node(framework: Framework, code: str) -> CriterionNode:
    return CriterionNode.objects.get(framework=framework, code=code)


def tree(html, response) -> dict[str, list[str]]:
    """The editor's rows by code (the first cell), across groups, bonus, penalty, conditions."""
    return {row[0]: row for row in html.rows(response, "tree") if len(row) == 5}


def tree_codes(html, response) -> list[str]:
    return [code for code in tree(html, response) if code.startswith("G")]


@pytest.fixture
def k_draft(world) -> Framework:
    """A draft of cluster K for 2020: alice (its secretariat) edits it."""
    return make(world, cluster=world.cluster, year=2020, name="Bảng tiêu chí Cụm K năm 2020")


@pytest.fixture
def l_draft(world) -> Framework:
    """A draft of cluster L: what must not leak to K's officers."""
    return make(world, cluster=world.other_cluster, year=2020, name="Bảng nháp bí mật của Cụm L")


@pytest.fixture
def k_published(world) -> Framework:
    return make(world, cluster=world.cluster, year=2020, published=True, name="Bảng tiêu chí Cụm K đã ban hành")


# --- list ---------------------------------------------------------------------------------


def test_the_list_shows_a_secretariat_the_published_tables_and_their_own_drafts_only(
    world, client_for, html, k_draft, l_draft, k_published
):
    response = client_for(world.alice).get("/criteria/")

    assert [row[0] for row in html.rows(response, "frameworks-drafts")] == ["Bảng tiêu chí Cụm K năm 2020"]
    assert html.rows(response, "frameworks-published")[0][:5] == [
        "Bảng tiêu chí Cụm K đã ban hành",
        "Cụm thi đua K",
        "2020",
        "1",
        "Đã ban hành",
    ]
    assert "Bảng nháp bí mật của Cụm L" not in response.content.decode()


def test_the_list_shows_the_academy_every_draft_and_filters_by_cluster(world, client_for, html, k_draft, l_draft):
    client = client_for(world.dave)

    everything = client.get("/criteria/")
    only_l = client.get("/criteria/?cluster=L")

    assert len(html.rows(everything, "frameworks-drafts")) == 2
    assert [row[0] for row in html.rows(only_l, "frameworks-drafts")] == ["Bảng nháp bí mật của Cụm L"]


def test_the_list_offers_creating_a_framework_only_to_those_who_may(world, client_for, html):
    assert "Tạo bảng tiêu chí mới" in html.text(client_for(world.alice).get("/criteria/"))
    erin_page = client_for(world.erin).get("/criteria/")
    assert "Tạo bảng tiêu chí mới" not in html.text(erin_page)
    assert "Chưa có bảng tiêu chí nào đã ban hành." in html.text(erin_page)


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_the_same_queries_whatever_the_number_of_frameworks(world, client_for, count):
    client = client_for(world.alice)
    for _ in range(count):
        make(world, cluster=world.cluster, year=2020)
    client.get("/criteria/")  # warm the session

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/criteria/")

    assert response.status_code == 200
    assert len(queries) == 6, [q["sql"][:120] for q in queries.captured_queries]


# --- detail / editor ----------------------------------------------------------------------


def test_the_editor_shows_the_tree_with_codes_titles_points_and_how_each_is_scored(world, client_for, html, k_draft):
    response = client_for(world.alice).get(f"/criteria/{k_draft.pk}/")

    rows = tree(html, response)
    assert list(rows) == ["G1", "G1.1", "G1.2", "G1.3", "B.1", "P.1", "C.1"]
    assert rows["G1"][:4] == ["G1", "Nhóm 1", "Nhóm tiêu chí", "3 các mục: 3"]
    assert rows["G1.1"][:4] == [
        "G1.1",
        "Tiêu chí 1.1 Chấm trực tiếp từ 0 đến 1 điểm, bước 0,25.",
        "Chấm trực tiếp",
        "1",
    ]
    assert rows["G1.2"][1] == "Tiêu chí 1.2 Đạt: 1 điểm; không đạt: 0 điểm."
    assert rows["G1.3"][1] == "Tiêu chí 1.3 0,5 điểm mỗi lần, tối đa 1 điểm."
    assert rows["B.1"][:4] == [
        "B.1",
        "Khen thưởng đột xuất Cộng 2 điểm mỗi lần; tối đa 4 điểm.",
        "Điểm thưởng",
        "tối đa 4",
    ]
    assert rows["C.1"][1] == "Không có kỷ luật Không đạt điều kiện thì không được xét: Cờ thi đua."
    assert "Không có vấn đề nào: bảng tiêu chí sẵn sàng ban hành." in html.text(response, "problems")
    assert "Bản nháp Phiên bản 1 · Cụm thi đua K · năm 2020" in html.text(response, "framework-meta")


def test_the_editor_offers_editing_only_to_an_editor_of_a_draft(world, client_for, k_draft, k_published):
    alice = client_for(world.alice)
    draft = alice.get(f"/criteria/{k_draft.pk}/").content.decode()
    published = alice.get(f"/criteria/{k_published.pk}/").content.decode()

    assert 'aria-label="Sửa G1.1"' in draft
    assert "Ban hành</button>" in draft
    assert 'aria-label="Sửa G1.1"' not in published
    assert 'aria-label="Thử chấm G1.1"' in published
    assert "Sao chép thành phiên bản mới cho năm sau" in published


def test_anyone_signed_in_reads_a_published_framework_without_edit_controls(world, client_for, html, k_published):
    response = client_for(world.erin).get(f"/criteria/{k_published.pk}/")

    assert "G1.1" in tree(html, response)
    assert "Sửa G1.1" not in response.content.decode()
    assert "Sao chép thành phiên bản mới" not in response.content.decode()
    assert not html.has(response, "audit")


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_a_draft_of_another_cluster_or_year_does_not_exist_for_those_who_may_not_edit_it(
    world, client_for, l_draft, persona
):
    client = client_for(getattr(world, persona))

    for url in ("", "settings/", "print/", "diff/", f"nodes/{node(l_draft, 'G1.1').pk}/try/", "delete/"):
        response = client.get(f"/criteria/{l_draft.pk}/{url}")
        assert response.status_code == 404, url
        assert "bí mật" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, k_published):
    response = client.get(f"/criteria/{k_published.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/criteria/{k_published.pk}/"


def test_the_validation_panel_lists_errors_and_notices_each_linking_to_its_node(world, client_for, html, k_draft):
    group = node(k_draft, "G1")
    services.update_node(actor=world.dave, node=group, max_points=Decimal(2))  # leaves add 3 > 2: a notice
    services.update_node(actor=world.dave, node=node(k_draft, "G1.1"), params={"rule": "count"})  # an error

    response = client_for(world.alice).get(f"/criteria/{k_draft.pk}/")

    errors = html.text(response, "problems-errors")
    notices = html.text(response, "problems-notices")
    assert "2 lỗi cần sửa" in errors
    assert "Điểm tối đa của các nhóm cộng lại là 2, khác tổng điểm 3 của bảng tiêu chí." in errors
    assert "G1.1 G1.1 chấm theo số lần nhưng chưa có số điểm mỗi lần (points_each)." in errors
    assert "G1 Các tiêu chí của nhóm G1 cộng lại 3 điểm, nhiều hơn mức tối đa 2 của nhóm" in notices
    body = response.content.decode()
    assert f'href="#node-{node(k_draft, "G1.1").pk}"' in body
    assert re.search(r'<button type="submit" class="btn btn-success" disabled', body)
    assert html.text(response, "groups-total").endswith("2 / 3")


def test_a_group_whose_leaves_add_up_to_less_than_its_maximum_is_an_error_on_its_row(world, client_for, html, k_draft):
    services.update_node(actor=world.dave, node=node(k_draft, "G1"), max_points=Decimal(5))
    services.update_framework(actor=world.dave, framework=k_draft, total=Decimal(5))

    response = client_for(world.alice).get(f"/criteria/{k_draft.pk}/")

    assert tree(html, response)["G1"][3] == "5 các mục: 3"
    assert "không trường nào có thể đạt điểm tối đa của nhóm" in tree(html, response)["G1"][1]
    assert 'class="small sum-under"' in response.content.decode()


@pytest.mark.parametrize("leaves", [9, 190])
def test_the_editor_costs_the_same_queries_at_10_and_200_nodes(world, client_for, leaves):
    framework = make(world, cluster=world.cluster, year=2020, leaves=leaves, per_group=19)
    client = client_for(world.alice)
    client.get(f"/criteria/{framework.pk}/")  # warm the session and the content types

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/criteria/{framework.pk}/")

    assert framework.nodes.filter(kind__in=["group", "leaf"]).count() == (10 if leaves == 9 else 200)
    assert response.status_code == 200
    assert len(queries) == 7, [q["sql"] for q in queries.captured_queries]


def test_the_editor_page_has_no_inline_script_or_style(world, client_for, k_draft):
    body = client_for(world.alice).get(f"/criteria/{k_draft.pk}/").content.decode()

    assert " style=" not in body
    assert " onclick=" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)


# --- framework settings, create -----------------------------------------------------------


def test_a_secretariat_creates_a_draft_for_the_cluster_year_they_lead(world, client_for):
    response = client_for(world.alice).post(
        "/criteria/new/", {"name": "Bảng 2020", "total": "100", "cluster": world.cluster.pk, "year": "2020"}
    )

    framework = Framework.objects.get(name="Bảng 2020")
    assert response.status_code == 302
    assert response["Location"] == f"/criteria/{framework.pk}/"
    assert (framework.status, framework.total, framework.cluster, framework.year) == ("draft", 100, world.cluster, 2020)


def test_creating_for_another_cluster_is_refused_with_a_message_and_the_form_keeps_the_input(world, client_for, html):
    response = client_for(world.alice).post(
        "/criteria/new/", {"name": "Bảng của L", "total": "1,5", "cluster": world.other_cluster.pk, "year": "2020"}
    )

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ." in html.text(response)
    assert 'value="Bảng của L"' in response.content.decode()
    assert 'value="1,5"' in response.content.decode()
    assert not Framework.objects.filter(name="Bảng của L").exists()


@pytest.mark.parametrize("persona", ["erin", "frank_no_role"])
def test_creating_a_framework_is_forbidden_without_a_role_that_edits_criteria(world, client_for, persona):
    from tests.factories.accounts import UserFactory

    user = world.erin if persona == "erin" else UserFactory()
    assert client_for(user).get("/criteria/new/").status_code == 403


def test_the_settings_form_saves_name_total_caps_and_description(world, client_for, k_draft):
    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/settings/",
        {
            "version": k_draft.version,
            "name": "Bảng mới tên",
            "total": "3",
            "bonus_cap": "2,5",
            "penalty_cap": "",
            "cluster": world.cluster.pk,
            "year": "2020",
            "description": "Áp dụng từ 01/01/2020.",
        },
    )

    k_draft.refresh_from_db()
    assert response.status_code == 302
    assert (k_draft.name, k_draft.bonus_cap, k_draft.penalty_cap, k_draft.description) == (
        "Bảng mới tên",
        Decimal("2.5"),
        None,
        "Áp dụng từ 01/01/2020.",
    )


def test_a_stale_settings_form_is_refused_without_overwriting(world, client_for, html, k_draft):
    services.update_framework(actor=world.dave, framework=k_draft, name="Đổi bởi người khác")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/settings/",
        {"version": 1, "name": "Tên của tôi", "total": "3", "cluster": world.cluster.pk, "year": "2020"},
    )

    k_draft.refresh_from_db()
    assert k_draft.name == "Đổi bởi người khác"
    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in html.text(response)


def test_a_reader_of_a_published_framework_may_not_change_its_settings(world, client_for, k_published):
    assert client_for(world.bob).get(f"/criteria/{k_published.pk}/settings/").status_code == 403


def test_the_settings_of_a_published_framework_are_refused_to_its_editor_with_the_reason(
    world, client_for, k_published
):
    client = client_for(world.alice)
    response = client.get(f"/criteria/{k_published.pk}/settings/", follow=True)

    assert response.redirect_chain == [(f"/criteria/{k_published.pk}/", 302)]
    assert "đã ban hành nên không thể sửa" in response.content.decode()


# --- nodes --------------------------------------------------------------------------------


def test_the_add_form_for_a_criterion_comes_as_a_row_for_its_group(world, client_for, k_draft):
    group = node(k_draft, "G1")

    response = client_for(world.alice).get(f"/criteria/{k_draft.pk}/nodes/new/?kind=leaf&parent={group.pk}", **HX)

    body = response.content.decode()
    assert body.startswith(f'<tr id="slot-new-in-{group.pk}" class="node-form-row">')
    assert f'<option value="{group.pk}" selected>G1. Nhóm 1</option>' in body
    assert "Thêm tiêu chí" in body


def test_adding_a_criterion_by_htmx_re_renders_the_editor_with_it(world, client_for, html, k_draft):
    group = node(k_draft, "G1")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/new/",
        {
            "kind": "leaf",
            "parent": group.pk,
            "code": "G1.4",
            "title": "Tiêu chí mới",
            "max_points": "2",
            "rule": "count",
            "points_each": "1",
        },
        **HX,
    )

    assert response["HX-Retarget"] == "#editor"
    assert response["HX-Reswap"] == "outerHTML"
    added = node(k_draft, "G1.4")
    assert (added.parent, added.max_points, added.params) == (group, 2, {"rule": "count", "points_each": 1})
    assert tree(html, response)["G1.4"][:4] == [
        "G1.4",
        "Tiêu chí mới 1 điểm mỗi lần, tối đa 2 điểm.",
        "Chấm thẳng (theo số lần)",
        "2",
    ]
    assert "các mục: 5" in tree(html, response)["G1"][3]


def test_adding_without_javascript_redirects_to_the_editor_at_the_new_row(world, client_for, k_draft):
    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/new/",
        {"kind": "condition", "code": "C.2", "title": "Hoàn thành xuất sắc nhiệm vụ", "blocks": "Cờ thi đua"},
    )

    added = node(k_draft, "C.2")
    assert response.status_code == 302
    assert response["Location"] == f"/criteria/{k_draft.pk}/#node-{added.pk}"
    assert added.params == {"blocks": ["Cờ thi đua"]}
    assert AuditEntry.objects.filter(action="criterion.add", data__code="C.2").count() == 1


def test_a_bad_number_re_shows_the_form_row_with_the_message_and_nothing_typed_is_lost(
    world, client_for, html, k_draft
):
    group = node(k_draft, "G1")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/new/",
        {
            "kind": "leaf",
            "parent": group.pk,
            "code": "G1.9",
            "title": "Tỷ lệ giảng viên",
            "max_points": "hai",
            "rule": "quantitative",
            "formula": "thresholds",
            "direction": "higher",
            "tier_threshold_0": "80",
            "tier_points_0": "2",
            "guidance": "Theo báo cáo năm",
        },
        **HX,
    )

    body = response.content.decode()
    assert "HX-Retarget" not in response
    assert body.startswith(f'<tr id="slot-new-in-{group.pk}"')
    assert "“hai” không phải là một số. Hãy viết số như 3 hoặc 0,25." in html.text(response, f"slot-new-in-{group.pk}")
    for kept in (
        'value="hai"',
        'value="80"',
        'value="2"',
        "Theo báo cáo năm",
        "Tỷ lệ giảng viên",
        '<option value="thresholds" selected>',
    ):
        assert kept in body
    assert not CriterionNode.objects.filter(code="G1.9").exists()


def test_a_code_already_used_is_refused_on_the_code_field(world, client_for, html, k_draft):
    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/new/",
        {"kind": "bonus", "code": "G1.1", "title": "Trùng mã", "rule": "count", "points_each": "1"},
    )

    assert response.status_code == 200
    assert "Mã “G1.1” đã có trong bảng tiêu chí này." in html.text(response)


def test_editing_a_criterion_changes_its_rule_and_parameters(world, client_for, k_draft):
    leaf = node(k_draft, "G1.2")
    client = client_for(world.alice)

    form = client.get(f"/criteria/{k_draft.pk}/nodes/{leaf.pk}/edit/", **HX).content.decode()
    response = client.post(
        f"/criteria/{k_draft.pk}/nodes/{leaf.pk}/edit/",
        {
            "version": leaf.version,
            "code": "G1.2",
            "title": "Xếp loại",
            "max_points": "1",
            "rule": "levels",
            "level_name_0": "Tốt",
            "level_points_0": "1",
            "level_name_1": "Khá",
            "level_points_1": "0,5",
        },
        **HX,
    )

    leaf.refresh_from_db()
    assert form.startswith(f'<tr id="node-{leaf.pk}" class="node-form-row">')
    assert response["HX-Retarget"] == "#editor"
    assert (leaf.title, leaf.params) == ("Xếp loại", {"rule": "levels", "levels": {"Tốt": 1, "Khá": "0.5"}})


def test_a_stale_node_form_is_refused_without_overwriting(world, client_for, html, k_draft):
    leaf = node(k_draft, "G1.2")
    services.update_node(actor=world.dave, node=leaf, title="Sửa bởi Học viện")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/{leaf.pk}/edit/",
        {"version": 1, "code": "G1.2", "title": "Của tôi", "max_points": "1", "rule": "pass_fail"},
    )

    leaf.refresh_from_db()
    assert leaf.title == "Sửa bởi Học viện"
    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in html.text(response)


def test_switching_the_rule_redraws_only_the_parameter_fields_keeping_what_was_typed(world, client_for, k_draft):
    leaf = node(k_draft, "G1.2")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/params/",
        {"kind": "leaf", "node": leaf.pk, "slot": f"node-{leaf.pk}", "rule": "quantitative", "code": "G1.2"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="rule",
    )

    body = response.content.decode()
    assert body.lstrip().startswith(f'<div id="params-node-{leaf.pk}" class="node-params">')
    assert '<option value="ratio" selected>' in body
    assert "Tỷ lệ tối đa được tính" in body
    assert "Số giảng viên" in body
    assert "is-invalid" not in body


def test_without_javascript_the_refresh_button_redraws_the_form_for_the_new_rule_without_saving(
    world, client_for, k_draft
):
    leaf = node(k_draft, "G1.2")

    response = client_for(world.alice).post(
        f"/criteria/{k_draft.pk}/nodes/{leaf.pk}/edit/",
        {
            "version": leaf.version,
            "code": "G1.2",
            "title": "Đổi tên",
            "max_points": "1",
            "rule": "levels",
            "refresh": "1",
        },
    )

    leaf.refresh_from_db()
    body = response.content.decode()
    assert "Các mức và số điểm" in body
    assert "Đổi tên" in body
    assert leaf.title == "Tiêu chí 1.2"


def test_moving_a_criterion_down_and_into_another_group(world, client_for, html):
    framework = make(world, cluster=world.cluster, year=2020, leaves=12)
    client = client_for(world.alice)
    first = node(framework, "G1.1")

    client.post(f"/criteria/{framework.pk}/nodes/{first.pk}/move/", {"direction": "down"}, **HX)
    response = client.post(
        f"/criteria/{framework.pk}/nodes/{first.pk}/move/", {"parent": node(framework, "G2").pk}, **HX
    )

    codes = tree_codes(html, response)
    assert codes[:3] == ["G1", "G1.2", "G1.3"]
    assert codes[-4:] == ["G2", "G2.1", "G2.2", "G1.1"]


def test_moving_up_without_javascript_redirects_back(world, client_for, k_draft):
    second = node(k_draft, "G1.2")

    response = client_for(world.alice).post(f"/criteria/{k_draft.pk}/nodes/{second.pk}/move/", {"direction": "up"})

    assert response["Location"] == f"/criteria/{k_draft.pk}/#node-{second.pk}"
    assert list(k_draft.nodes.filter(parent__code="G1").order_by("order").values_list("code", flat=True)) == [
        "G1.2",
        "G1.1",
        "G1.3",
    ]


def test_deleting_a_group_asks_first_naming_what_goes_with_it_then_deletes(world, client_for, html, k_draft):
    group = node(k_draft, "G1")
    client = client_for(world.alice)

    ask = client.get(f"/criteria/{k_draft.pk}/nodes/{group.pk}/delete/", **HX)
    response = client.post(f"/criteria/{k_draft.pk}/nodes/{group.pk}/delete/", **HX)

    assert html.text(ask, f"node-{group.pk}").startswith("Xóa “G1. Nhóm 1”? Cả 3 mục bên trong cũng bị xóa.")
    assert response["HX-Retarget"] == "#editor"
    assert not k_draft.nodes.filter(code__startswith="G1").exists()
    assert "Chưa có nhóm tiêu chí nào." in html.text(response, "tree")


def test_a_node_of_another_framework_is_not_found_through_this_one(world, client_for, k_draft):
    other = make(world, cluster=world.cluster, year=2020)

    response = client_for(world.alice).get(f"/criteria/{k_draft.pk}/nodes/{node(other, 'G1.1').pk}/edit/")

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["bob", "frank"])
def test_node_edits_on_a_draft_of_another_cluster_or_year_are_not_found(world, client_for, k_draft, persona):
    client = client_for(getattr(world, persona))
    leaf = node(k_draft, "G1.1")

    responses = [
        client.get(f"/criteria/{k_draft.pk}/nodes/new/?kind=leaf"),
        client.post(
            f"/criteria/{k_draft.pk}/nodes/{leaf.pk}/edit/",
            {"code": "X", "title": "X", "max_points": "1", "rule": "pass_fail"},
        ),
        client.post(f"/criteria/{k_draft.pk}/nodes/{leaf.pk}/move/", {"direction": "down"}),
        client.post(f"/criteria/{k_draft.pk}/nodes/{leaf.pk}/delete/"),
        client.post(f"/criteria/{k_draft.pk}/nodes/params/", {"kind": "leaf", "slot": "x"}),
        client.post(f"/criteria/{k_draft.pk}/publish/"),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    assert CriterionNode.objects.get(pk=leaf.pk).code == "G1.1"


def test_node_edits_on_a_published_framework_are_forbidden_to_a_reader(world, client_for, k_published):
    leaf = node(k_published, "G1.1")

    response = client_for(world.erin).post(f"/criteria/{k_published.pk}/nodes/{leaf.pk}/delete/")

    assert response.status_code == 403
    assert CriterionNode.objects.filter(pk=leaf.pk).exists()


def test_node_edits_on_a_published_framework_are_refused_to_its_editor_with_the_reason(world, client_for, k_published):
    leaf = node(k_published, "G1.1")

    response = client_for(world.dave).post(f"/criteria/{k_published.pk}/nodes/{leaf.pk}/delete/", **HX)

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/criteria/{k_published.pk}/"
    assert CriterionNode.objects.filter(pk=leaf.pk).exists()


# --- publish, archive, clone, delete ------------------------------------------------------


def test_publishing_a_valid_draft_makes_it_the_published_edition(world, client_for, k_draft):
    response = client_for(world.alice).post(f"/criteria/{k_draft.pk}/publish/", follow=True)

    k_draft.refresh_from_db()
    assert (k_draft.status, k_draft.published_by) == ("published", world.alice)
    assert "Đã ban hành “Bảng tiêu chí Cụm K năm 2020”." in response.content.decode()


def test_publishing_with_errors_is_refused_listing_every_error(world, client_for, html, k_draft):
    services.update_framework(actor=world.dave, framework=k_draft, total=Decimal(7))

    response = client_for(world.alice).post(f"/criteria/{k_draft.pk}/publish/")

    k_draft.refresh_from_db()
    assert response.status_code == 409
    assert k_draft.status == FrameworkStatus.DRAFT
    assert html.text(response, "publish-refused") == (
        "Chưa ban hành được: còn 1 lỗi cần sửa. "
        "Điểm tối đa của các nhóm cộng lại là 3, khác tổng điểm 7 của bảng tiêu chí."
    )


def test_archiving_a_published_framework_with_a_reason(world, client_for, k_published):
    response = client_for(world.alice).post(f"/criteria/{k_published.pk}/archive/", {"reason": "Đã có bảng mới"})

    k_published.refresh_from_db()
    assert response.status_code == 302
    assert k_published.status == FrameworkStatus.ARCHIVED
    assert AuditEntry.objects.get(action="framework.archive").reason == "Đã có bảng mới"


def test_archiving_is_forbidden_to_a_reader(world, client_for, k_published):
    assert client_for(world.erin).post(f"/criteria/{k_published.pk}/archive/").status_code == 403


def test_cloning_for_next_year_makes_a_new_draft_edition(world, client_for, html, k_published):
    client = client_for(world.bob)  # bob leads K in 2021

    form = client.get(f"/criteria/{k_published.pk}/clone/")
    response = client.post(
        f"/criteria/{k_published.pk}/clone/", {"name": "", "year": "2021", "cluster": world.cluster.pk}
    )

    clone = Framework.objects.get(cloned_from=k_published)
    assert 'value="2021"' in form.content.decode()
    assert response["Location"] == f"/criteria/{clone.pk}/"
    assert (clone.status, clone.edition, clone.year, clone.cluster) == ("draft", 2, 2021, world.cluster)
    assert clone.nodes.count() == k_published.nodes.count()


def test_cloning_into_a_year_the_user_does_not_lead_is_refused(world, client_for, html, k_published):
    response = client_for(world.bob).post(
        f"/criteria/{k_published.pk}/clone/", {"name": "", "year": "2020", "cluster": world.cluster.pk}
    )

    assert response.status_code == 200
    assert "Bạn chỉ soạn được bảng tiêu chí của cụm (và năm) mà bạn làm Thường trực Cụm." in html.text(response)
    assert not Framework.objects.filter(cloned_from=k_published).exists()


def test_a_draft_is_not_cloned(world, client_for, k_draft):
    response = client_for(world.alice).get(f"/criteria/{k_draft.pk}/clone/")

    assert response.status_code == 302
    assert not Framework.objects.filter(cloned_from=k_draft).exists()


def test_deleting_a_draft_asks_then_deletes(world, client_for, html, k_draft):
    client = client_for(world.alice)

    ask = client.get(f"/criteria/{k_draft.pk}/delete/")
    response = client.post(f"/criteria/{k_draft.pk}/delete/")

    assert "Xóa hẳn bản nháp “Bảng tiêu chí Cụm K năm 2020 (phiên bản 1)” cùng 7 mục của nó?" in html.text(ask)
    assert response["Location"] == "/criteria/"
    assert not Framework.objects.filter(pk=k_draft.pk).exists()


def test_a_published_framework_is_not_deleted(world, client_for, k_published):
    client_for(world.dave).post(f"/criteria/{k_published.pk}/delete/")

    assert Framework.objects.filter(pk=k_published.pk).exists()


# --- try it -------------------------------------------------------------------------------


def try_leaf(client, framework, code, data=None):
    leaf = node(framework, code)
    url = f"/criteria/{framework.pk}/nodes/{leaf.pk}/try/"
    return client.post(url, data, **HX) if data is not None else client.get(url, **HX)


def test_try_it_on_a_manual_criterion_shows_the_points_and_the_explanation(world, client_for, html, k_published):
    response = try_leaf(client_for(world.erin), k_published, "G1.1", {"points": "0,75"})

    assert html.text(response, f"try-box-{node(k_published, 'G1.1').pk}").endswith(
        "0,75 điểm / tối đa 1 Chấm trực tiếp: 0,75/1 điểm"
    )


def test_try_it_refuses_points_off_the_step_with_the_engines_message(world, client_for, html, k_published):
    response = try_leaf(client_for(world.erin), k_published, "G1.1", {"points": "0,3"})

    assert "Không tính được điểm: Điểm 0,3 không đúng bước 0,25 (gần nhất: 0,25 hoặc 0,5)" in html.text(
        response, f"try-{node(k_published, 'G1.1').pk}"
    )


@pytest.mark.parametrize(
    ("code", "data", "expected"),
    [
        ("G1.2", {"passed": "yes"}, "1 điểm / tối đa 1 Đạt → 1 điểm"),
        ("G1.3", {"count": "5"}, "1 điểm / tối đa 1 5 × 0,5 điểm = 2,5 điểm, vượt mức tối đa 1 → 1 điểm"),
        ("G1.4", {"level": "Đạt"}, "0,5 điểm / tối đa 1 Mức «Đạt» → 0,5 điểm (tối đa 1)"),
    ],
)
def test_try_it_on_each_simple_rule(world, client_for, html, code, data, expected):
    framework = make(world, cluster=world.cluster, year=2020, leaves=4, published=True)

    response = try_leaf(client_for(world.alice), framework, code, data)

    assert html.text(response, f"try-box-{node(framework, code).pk}").endswith(expected)


def quantitative_framework(world, **entry) -> Framework:
    doc = {
        "framework": {"name": "Định lượng", "total": 4},
        "groups": [
            {
                "code": "I",
                "title": "Nhóm",
                "max": 4,
                "leaves": [{"code": "I.1", "title": "Chỉ số", "max": 4, "rule": "quantitative", **entry}],
            }
        ],
    }
    return services.create_from_document(actor=world.dave, document=doc, cluster=world.cluster, year=2020)


def test_try_it_on_a_per_capita_ratio_divides_by_the_size_measure(world, client_for, html):
    framework = quantitative_framework(world, formula="ratio", target_registered=True, per_capita="lecturers")

    response = try_leaf(client_for(world.alice), framework, "I.1", {"actual": "120", "target": "6", "size": "25"})

    assert html.text(response, "try-box-" + str(node(framework, "I.1").pk)).endswith(
        "3,2 điểm / tối đa 4 Bình quân 120 ÷ 25 giảng viên = 4,8; thực hiện 4,8/6 = 80 % chỉ tiêu → 4 × 0,8 = 3,2 điểm"
    )


def test_try_it_refuses_a_zero_size_measure_clearly(world, client_for, html):
    framework = quantitative_framework(world, formula="relative_to_best", per_capita="lecturers")

    response = try_leaf(client_for(world.alice), framework, "I.1", {"actual": "12", "size": "0"})

    assert (
        "Không tính được điểm: Trường đang thử: Số đo quy mô 'lecturers' (giảng viên) bằng 0; không thể chia bình quân."
        in html.text(response, f"try-{node(framework, 'I.1').pk}")
    )


def test_try_it_relative_to_best_compares_with_the_other_schools_typed(world, client_for, html):
    framework = quantitative_framework(world, formula="relative_to_best")

    response = try_leaf(client_for(world.alice), framework, "I.1", {"actual": "6", "actual_0": "8", "actual_1": "4"})

    text = html.text(response, f"try-box-{node(framework, 'I.1').pk}")
    assert "3 điểm / tối đa 4 Đạt 6; cao nhất cụm 8 → 4 × 6/8 = 3 điểm" in text
    assert html.rows(response, f"try-box-{node(framework, 'I.1').pk}") == [
        ["Trường khác 1", "4", "Đạt 8; cao nhất cụm 8 → 4 × 8/8 = 4 điểm"],
        ["Trường khác 2", "2", "Đạt 4; cao nhất cụm 8 → 4 × 4/8 = 2 điểm"],
    ]


def test_try_it_target_and_leader_uses_each_schools_own_target(world, client_for, html):
    framework = quantitative_framework(world, formula="target_and_leader", target_registered=True)

    response = try_leaf(
        client_for(world.alice), framework, "I.1", {"actual": "12", "target": "10", "actual_0": "15", "target_0": "10"}
    )

    assert "2,8 điểm / tối đa 4 Vượt chỉ tiêu 20 % (12/10); trường dẫn đầu vượt chỉ tiêu 50 %" in html.text(
        response, f"try-box-{node(framework, 'I.1').pk}"
    )


def test_try_it_on_a_criterion_with_errors_says_what_to_fix_first(world, client_for, html, k_draft):
    services.update_node(actor=world.dave, node=node(k_draft, "G1.3"), params={"rule": "count"})

    response = try_leaf(client_for(world.alice), k_draft, "G1.3")

    assert html.text(response, f"try-box-{node(k_draft, 'G1.3').pk}") == (
        "Tiêu chí này còn lỗi nên chưa thử chấm được: "
        "G1.3 chấm theo số lần nhưng chưa có số điểm mỗi lần (points_each)."
    )


def test_try_it_without_javascript_is_a_page_of_its_own(world, client_for, html, k_published):
    leaf = node(k_published, "G1.2")

    response = client_for(world.erin).post(f"/criteria/{k_published.pk}/nodes/{leaf.pk}/try/", {"passed": "no"})

    assert html.text(response, "main").startswith("Bảng tiêu chí")
    assert "0 điểm / tối đa 1 Không đạt → 0 điểm" in html.text(response)


def test_try_it_is_only_for_criteria(world, client_for, k_published):
    response = client_for(world.erin).get(f"/criteria/{k_published.pk}/nodes/{node(k_published, 'G1').pk}/try/")

    assert response.status_code == 404


# --- diff ---------------------------------------------------------------------------------


def test_the_diff_lists_added_removed_and_changed_nodes_old_to_new(world, client_for, html, k_published):
    clone = services.clone_framework(actor=world.dave, framework=k_published, year=2021)
    services.delete_node(actor=world.dave, node=node(clone, "G1.3"))
    services.update_node(
        actor=world.dave, node=node(clone, "G1.1"), max_points=Decimal(2), params={"rule": "manual", "step": "0.5"}
    )
    services.add_node(
        actor=world.dave, framework=clone, kind="bonus", code="B.2", title="Sáng kiến", params={"points_each": 1}
    )

    page = client_for(world.dave).get(f"/criteria/{clone.pk}/")
    response = client_for(world.dave).get(f"/criteria/{clone.pk}/diff/")

    assert "So sánh với phiên bản trước" in page.content.decode()
    assert html.rows(response, "diff-table") == [
        ["Thêm mới", "B.2", "Sáng kiến", "", ""],
        ["Sửa", "G1.1", "Tiêu chí 1.1", "Điểm tối đa: 1 → 2 Bước chấm: 0,25 → 0,5", "+1"],
        ["Bỏ", "G1.3", "Tiêu chí 1.3", "", "-1"],
    ]
    assert html.text(response, "diff-summary") == "1 mục thêm mới · 1 mục bị bỏ · 1 mục được sửa · tổng điểm: 3 → 3"


def test_the_diff_with_a_framework_the_user_may_not_read_is_not_found(world, client_for, k_published, l_draft):
    response = client_for(world.alice).get(f"/criteria/{k_published.pk}/diff/?with={l_draft.pk}")

    assert response.status_code == 404


# --- print and downloads ------------------------------------------------------------------


def test_the_printable_table_lists_what_each_school_strives_for(world, client_for, html, k_published):
    services_node = node(k_published, "G1.1")
    CriterionNode.objects.filter(pk=services_node.pk).update(evidence="Biên bản", guidance="Chấm theo kết quả")

    response = client_for(world.erin).get(f"/criteria/{k_published.pk}/print/")

    assert html.rows(response, "print-groups")[:2] == [
        ["G1", "Nhóm 1", "3", "", "", ""],
        ["G1.1", "Tiêu chí 1.1", "1", "Chấm trực tiếp từ 0 đến 1 điểm, bước 0,25.", "Biên bản", "Chấm theo kết quả"],
    ]
    assert html.rows(response, "print-penalty") == [["P.1", "Nộp chậm", "Trừ 0,5 điểm mỗi lần; tối đa 3 điểm.", ""]]
    assert f'href="/criteria/{k_published.pk}/print/docx/"' in response.content.decode()


@pytest.fixture
def documents(monkeypatch):
    """The document functions, replaced: they are another part's work, tested there."""
    try:
        import thidua.criteria.documents as module
    except ModuleNotFoundError:
        module = types.ModuleType("thidua.criteria.documents")
        monkeypatch.setitem(sys.modules, "thidua.criteria.documents", module)
    calls = []
    monkeypatch.setattr(
        module, "criteria_table_docx", lambda fw: calls.append(("docx", fw.pk)) or b"DOCX", raising=False
    )
    monkeypatch.setattr(module, "criteria_table_pdf", lambda fw: calls.append(("pdf", fw.pk)) or b"%PDF", raising=False)
    return calls


@pytest.mark.parametrize(
    ("kind", "content_type", "body"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"DOCX"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_the_criteria_table_downloads_as_an_attachment(
    world, client_for, k_published, documents, kind, content_type, body
):
    response = client_for(world.erin).get(f"/criteria/{k_published.pk}/print/{kind}/")

    assert response.content == body
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"] == f'attachment; filename="bang-tieu-chi-cum-k-da-ban-hanh-phien-ban-1.{kind}"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert documents == [(kind, k_published.pk)]


def test_a_download_of_another_clusters_draft_is_not_found(world, client_for, l_draft, documents):
    responses = [client_for(world.alice).get(f"/criteria/{l_draft.pk}/print/{kind}/") for kind in ("docx", "pdf")]

    assert [r.status_code for r in responses] == [404, 404]
    assert documents == []


@pytest.mark.parametrize("leaves", [9, 190])
def test_the_print_and_diff_pages_cost_the_same_queries_whatever_the_size(world, client_for, leaves):
    old = make(world, cluster=world.cluster, year=2020, leaves=leaves, per_group=19, published=True)
    new = services.clone_framework(actor=world.dave, framework=old, year=2021)
    services.update_node(actor=world.dave, node=node(new, "G1.1"), title="Đổi nội dung")
    client = client_for(world.dave)
    client.get(f"/criteria/{new.pk}/print/")

    counts = []
    for url in (f"/criteria/{new.pk}/print/", f"/criteria/{new.pk}/diff/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts == [6, 9]
