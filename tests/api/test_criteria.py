"""API: criteria frameworks and their nodes. Published frameworks are read by everyone signed
in; a draft exists only for those who may edit it (404 for the others); every write goes
through the services; refusals are 400 with the problems in words."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
import yaml
from openpyxl import load_workbook
from rest_framework.fields import DateTimeField

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import OrganizationFactory
from thidua.accounts.models import Role
from thidua.core.audit import entries_for
from thidua.criteria import services
from thidua.criteria.builtin import REFERENCE_PATH, ensure_reference_template, reference_document
from thidua.criteria.importexport import canonical_document, export_xlsx
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus
from thidua.organizations.models import Membership, MembershipRole

pytestmark = pytest.mark.django_db

TEMPLATE_NAME = "Bảng tiêu chí chấm điểm thi đua Cụm các trường chính trị (mẫu tham khảo)"


@pytest.fixture
def grace(world):
    """A school officer of a member school of K 2020 that is not the head: no secretariat rights."""
    school = OrganizationFactory(short_code="D", name="Trường Chính trị tỉnh Long An")
    Membership.objects.create(cluster_year=world.year_2020, organization=school, role=MembershipRole.MEMBER)
    user = UserFactory(username="grace", full_name="Grace Huỳnh", organization=school)
    grant(user, Role.SCHOOL_OFFICER, organization=school)
    return user


@pytest.fixture
def fw(world):
    """The published template; K's draft for 2020 (alice's to edit) and L's draft for 2020 (frank's)."""
    template = ensure_reference_template()
    k2020 = services.clone_framework(
        actor=None, framework=template, name="Bảng tiêu chí Cụm K năm 2020", cluster=world.cluster, year=2020
    )
    l2020 = services.clone_framework(
        actor=None, framework=template, name="Bảng tiêu chí Cụm L năm 2020", cluster=world.other_cluster, year=2020
    )
    return SimpleNamespace(template=template, k2020=k2020, l2020=l2020)


def when(value) -> str | None:
    return DateTimeField().to_representation(value) if value else None


def framework_json(framework: Framework, **changes: object) -> dict[str, object]:
    framework = Framework.objects.select_related("cluster").get(pk=framework.pk)
    return {
        "id": framework.pk,
        "name": framework.name,
        "total": "100",
        "bonus_cap": "10",
        "penalty_cap": "10",
        "description": "",
        "cluster": framework.cluster.code if framework.cluster else None,
        "year": framework.year,
        "edition": framework.edition,
        "status": framework.status,
        "is_template": framework.is_template,
        "cloned_from": framework.cloned_from_id,
        "created_at": when(framework.created_at),
        "published_at": when(framework.published_at),
        "version": framework.version,
        "can_change": False,
        **changes,
    }


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def url(framework: Framework, action: str = "") -> str:
    return f"/api/v1/frameworks/{framework.pk}/" + (f"{action}/" if action else "")


def node_of(framework: Framework, code: str) -> CriterionNode:
    return CriterionNode.objects.get(framework=framework, code=code)


# --- reading ------------------------------------------------------------------------------


def test_the_api_refuses_anonymous_callers(world, fw, client):
    response = client.get("/api/v1/frameworks/")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Chưa có thông tin xác thực: hãy đăng nhập hoặc gửi token."}


def test_a_school_officer_sees_published_frameworks_but_no_draft(fw, grace, client_for):
    response = client_for(grace).get("/api/v1/frameworks/")

    assert response.json()["count"] == 1
    assert response.json()["results"] == [framework_json(fw.template, status="published", is_template=True)]


def test_the_secretariat_sees_the_drafts_of_its_own_cluster_only(world, fw, client_for):
    response = client_for(world.alice).get("/api/v1/frameworks/")

    assert names(response) == ["Bảng tiêu chí Cụm K năm 2020", TEMPLATE_NAME]
    assert response.json()["results"][0] == framework_json(
        fw.k2020, cluster="K", year=2020, edition=2, status="draft", can_change=True
    )


def test_academy_staff_see_every_framework(world, fw, client_for):
    response = client_for(world.dave).get("/api/v1/frameworks/")

    assert names(response) == ["Bảng tiêu chí Cụm K năm 2020", "Bảng tiêu chí Cụm L năm 2020", TEMPLATE_NAME]


def test_the_list_filters_by_cluster_year_and_status(world, fw, client_for):
    client = client_for(world.dave)

    assert names(client.get("/api/v1/frameworks/?cluster=l")) == ["Bảng tiêu chí Cụm L năm 2020"]
    assert names(client.get("/api/v1/frameworks/?cluster=-")) == [TEMPLATE_NAME]
    assert names(client.get("/api/v1/frameworks/?year=2021")) == []
    assert names(client.get("/api/v1/frameworks/?status=published")) == [TEMPLATE_NAME]


@pytest.mark.parametrize("user", ["frank", "grace", "erin"])
def test_a_draft_of_another_cluster_does_not_exist_for_those_who_may_not_edit_it(world, fw, grace, client_for, user):
    client = client_for(grace if user == "grace" else getattr(world, user))

    responses = [
        client.get(url(fw.k2020)),
        client.get(url(fw.k2020, "validate")),
        client.get(url(fw.k2020, "export") + "?format=yaml"),
        client.get(f"/api/v1/frameworks/{fw.k2020.pk}/nodes/"),
        client.get(url(fw.template, "diff") + f"?other={fw.k2020.pk}"),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert responses[0].json() == {"detail": "No Framework matches the given query."}


@pytest.mark.parametrize("size", [3, 12])
def test_the_framework_list_costs_the_same_queries_whatever_its_length(
    world, fw, client_for, django_assert_num_queries, size
):
    for year in range(size):
        draft = services.create_framework(
            actor=None, name=f"Bảng {year}", total=100, cluster=world.cluster, year=2020 if year % 2 else None
        )
        if year % 3 == 0:
            services.add_node(actor=None, framework=draft, kind="group", code="I", title="I", max_points=100)
    client = client_for(world.alice)

    with django_assert_num_queries(6):  # the drafts the user may edit are filtered in the list's query
        response = client.get("/api/v1/frameworks/")

    assert response.json()["count"] == size + 2


@pytest.mark.parametrize("size", [1, 6])
def test_the_node_list_costs_the_same_queries_whatever_the_framework_s_size(
    world, fw, client_for, django_assert_num_queries, size
):
    for index in range(size):
        services.add_node(
            actor=None, framework=fw.k2020, kind="group", code=f"X{index}", title="Nhóm thêm", max_points=1
        )
    client = client_for(world.alice)

    with django_assert_num_queries(6):  # the framework is read with one filtered query
        response = client.get(f"/api/v1/frameworks/{fw.k2020.pk}/nodes/")

    assert len(response.json()) == 44 + size


def test_nodes_come_in_tree_order_with_their_parent_s_code(world, fw, client_for):
    response = client_for(world.erin).get(f"/api/v1/frameworks/{fw.template.pk}/nodes/")

    rows = response.json()
    assert [row["code"] for row in rows[:6]] == ["I", "I.1", "I.2", "I.3", "I.4", "II"]
    assert [row["code"] for row in rows[-7:]] == ["B.1", "B.2", "B.3", "P.1", "P.2", "C.1", "C.2"]
    leaf = node_of(fw.template, "I.1")
    assert rows[1] == {
        "id": leaf.pk,
        "kind": "leaf",
        "code": "I.1",
        "title": "Xây dựng và thực hiện kế hoạch công tác năm, quy chế làm việc",
        "parent": "I",
        "max_points": "3",
        "params": {"rule": "levels", "levels": {"Tốt": 3, "Khá": 2, "Đạt": 1, "Chưa đạt": 0}},
        "guidance": "",
        "evidence": "",
        "order": 1,
        "version": 1,
    }
    assert rows[0]["parent"] is None


# --- creating and changing ----------------------------------------------------------------


def test_a_school_officer_who_is_not_secretariat_cannot_create_or_change(fw, grace, client_for):
    client = client_for(grace)

    created = client.post(
        "/api/v1/frameworks/", {"name": "Bảng của tôi", "total": "100"}, content_type="application/json"
    )
    changed = client.patch(url(fw.template), {"name": "Đổi"}, content_type="application/json")
    imported = client.post("/api/v1/frameworks/import/", {"file": io.BytesIO(REFERENCE_PATH.read_bytes())})

    assert [created.status_code, changed.status_code, imported.status_code] == [403, 403, 403]
    assert created.json() == {"detail": "Bạn không được cấp quyền để thực hiện hành động này."}
    assert Framework.objects.count() == 3


def test_the_secretariat_creates_a_draft_for_its_own_cluster_and_year(world, fw, client_for):
    response = client_for(world.alice).post(
        "/api/v1/frameworks/",
        {"name": "Bảng mới", "total": "100", "cluster": "K", "year": 2020},
        content_type="application/json",
    )

    created = Framework.objects.get(name="Bảng mới")
    assert response.status_code == 201
    assert response.json() == framework_json(
        created, cluster="K", year=2020, edition=1, status="draft", bonus_cap=None, penalty_cap=None, can_change=True
    )
    assert entries_for(created).get().actor == world.alice


@pytest.mark.parametrize(("cluster", "year"), [("L", 2020), (None, None), ("K", 2021)])
def test_the_secretariat_cannot_create_for_another_cluster_year_or_for_the_academy(
    world, fw, client_for, cluster, year
):
    response = client_for(world.alice).post(
        "/api/v1/frameworks/",
        {"name": "Bảng mới", "total": "100", "cluster": cluster, "year": year},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Bạn chỉ tạo hoặc chuyển được bảng tiêu chí cho cụm và năm mà mình làm Thường trực Cụm; "
        "bảng không thuộc cụm nào do Học viện quản lý."
    }


def test_a_secretariat_of_another_cluster_cannot_edit_the_draft_it_cannot_see(world, fw, client_for):
    client = client_for(world.frank)

    changed = client.patch(url(fw.k2020), {"name": "Đổi"}, content_type="application/json")
    published = client.post(url(fw.k2020, "publish"))
    node = client.patch(
        f"/api/v1/frameworks/{fw.k2020.pk}/nodes/{node_of(fw.k2020, 'I.1').pk}/",
        {"title": "Đổi"},
        content_type="application/json",
    )

    assert [changed.status_code, published.status_code, node.status_code] == [404, 404, 404]
    assert Framework.objects.get(pk=fw.k2020.pk).name == "Bảng tiêu chí Cụm K năm 2020"


def test_the_secretariat_cannot_move_its_draft_to_another_cluster(world, fw, client_for):
    response = client_for(world.alice).patch(url(fw.k2020), {"cluster": "L"}, content_type="application/json")

    assert response.status_code == 403
    assert Framework.objects.get(pk=fw.k2020.pk).cluster == world.cluster


def test_academy_staff_change_a_cluster_s_draft_through_the_service(world, fw, client_for):
    response = client_for(world.dave).patch(
        url(fw.k2020), {"name": "Bảng K 2020 (sửa)", "version": 1}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json() == framework_json(fw.k2020, name="Bảng K 2020 (sửa)", version=2, can_change=True)
    entry = entries_for(fw.k2020).first()
    assert (entry.action, entry.actor, entry.data) == (
        "framework.update",
        world.dave,
        {"name": ["Bảng tiêu chí Cụm K năm 2020", "Bảng K 2020 (sửa)"]},
    )


def test_a_stale_version_is_refused(world, fw, client_for):
    services.update_framework(actor=None, framework=fw.k2020, name="Ai đó đã sửa")

    response = client_for(world.alice).patch(
        url(fw.k2020), {"name": "Tôi sửa", "version": 1}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "“Ai đó đã sửa (phiên bản 2)” đã được người khác sửa sau khi bạn mở biểu mẫu này. Thay đổi của bạn "
            "chưa được lưu; hãy tải lại trang để xem bản mới nhất rồi sửa lại."
        ]
    }


def test_a_published_framework_cannot_change(world, fw, client_for):
    client = client_for(world.dave)

    changed = client.patch(url(fw.template), {"name": "Đổi"}, content_type="application/json")
    node = client.delete(f"/api/v1/frameworks/{fw.template.pk}/nodes/{node_of(fw.template, 'I.1').pk}/")

    locked = (
        "“"
        + TEMPLATE_NAME
        + " (phiên bản 1)” đã ban hành nên không thể sửa. Hãy sao chép thành phiên bản mới để chỉnh sửa."
    )
    assert changed.status_code == 400
    assert changed.json() == {"non_field_errors": [locked]}
    assert node.json() == {"non_field_errors": [locked]}
    assert CriterionNode.objects.filter(framework=fw.template).count() == 44


def test_someone_who_may_read_but_not_change_a_published_framework_gets_403(world, fw, client_for):
    response = client_for(world.frank).post(url(fw.template, "archive"), {"reason": "x"})

    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền sửa bảng tiêu chí này."}


def test_a_draft_can_be_deleted_by_its_editor(world, fw, client_for):
    response = client_for(world.alice).delete(url(fw.k2020))

    assert response.status_code == 204
    assert not Framework.objects.filter(pk=fw.k2020.pk).exists()


# --- actions ------------------------------------------------------------------------------


def test_publishing_an_invalid_draft_is_refused_with_every_problem(world, fw, client_for):
    services.update_node(actor=None, node=node_of(fw.k2020, "I.2"), max_points=1)

    response = client_for(world.alice).post(url(fw.k2020, "publish"))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Chưa thể ban hành: còn 1 lỗi cần sửa.",
        "problems": [
            {
                "code": "children_below_group",
                "node": "I",
                "message": "Các tiêu chí của nhóm I cộng lại chỉ 9 điểm, ít hơn mức tối đa 10 của nhóm: không trường "
                "nào có thể đạt điểm tối đa của nhóm.",
                "severity": "error",
            }
        ],
    }
    assert Framework.objects.get(pk=fw.k2020.pk).status == FrameworkStatus.DRAFT


def test_the_secretariat_publishes_its_draft_and_then_it_can_be_archived(world, fw, client_for):
    client = client_for(world.alice)

    published = client.post(url(fw.k2020, "publish"))
    archived = client.post(url(fw.k2020, "archive"), {"reason": "Hết năm"}, content_type="application/json")

    assert published.json()["status"] == "published"
    assert published.json()["published_at"] == when(Framework.objects.get(pk=fw.k2020.pk).published_at)
    assert archived.json()["status"] == "archived"
    assert entries_for(fw.k2020).first().reason == "Hết năm"


def test_the_secretariat_clones_the_template_into_its_cluster_s_year(world, fw, client_for):
    response = client_for(world.bob).post(
        url(fw.template, "clone"),
        {"name": "Bảng K 2021", "cluster": "K", "year": 2021},
        content_type="application/json",
    )

    clone = Framework.objects.get(name="Bảng K 2021")
    assert response.status_code == 201
    assert response.json() == framework_json(
        clone, cluster="K", year=2021, edition=4, status="draft", cloned_from=fw.template.pk, can_change=True
    )
    assert canonical_document(clone)["groups"] == reference_document()["groups"]


def test_cloning_into_a_cluster_the_user_does_not_run_is_refused(world, fw, client_for):
    response = client_for(world.frank).post(url(fw.template, "clone"), {"cluster": "K", "year": 2020})

    assert response.status_code == 403
    assert Framework.objects.count() == 3


def test_validate_lists_the_problems_as_json(world, fw, client_for):
    services.update_node(actor=None, node=node_of(fw.k2020, "I.4"), params={"rule": "manual", "step": 0.75})

    response = client_for(world.alice).get(url(fw.k2020, "validate"))

    assert response.json() == {
        "valid": False,
        "errors": 1,
        "notices": 0,
        "problems": [
            {
                "code": "max_not_multiple_of_step",
                "node": "I.4",
                "message": "Điểm tối đa 2 của I.4 không chia hết cho bước chấm 0,75.",
                "severity": "error",
            }
        ],
    }


def test_the_diff_shows_what_changed_since_the_other_framework(world, fw, client_for):
    services.update_node(actor=None, node=node_of(fw.k2020, "I.1"), max_points=2, title="Kế hoạch năm")
    services.update_node(actor=None, node=node_of(fw.k2020, "I.2"), max_points=3)

    response = client_for(world.alice).get(url(fw.k2020, "diff") + f"?other={fw.template.pk}")

    assert response.json() == {
        "from": fw.template.pk,
        "to": fw.k2020.pk,
        "changes": [
            {
                "kind": "changed",
                "code": "I.1",
                "title": "Kế hoạch năm",
                "fields": {
                    "title": ["Xây dựng và thực hiện kế hoạch công tác năm, quy chế làm việc", "Kế hoạch năm"],
                    "max_points": ["3", "2"],
                },
                "points_delta": "-1",
            },
            {
                "kind": "changed",
                "code": "I.2",
                "title": node_of(fw.k2020, "I.2").title,
                "fields": {"max_points": ["2", "3"]},
                "points_delta": "1",
            },
        ],
    }


def test_the_diff_needs_the_other_framework(world, fw, client_for):
    response = client_for(world.alice).get(url(fw.k2020, "diff"))

    assert response.status_code == 400
    assert response.json() == {"other": ["Cần số hiệu (id) của bảng tiêu chí để so sánh."]}


def test_export_serves_yaml_and_xlsx_as_attachments(world, fw, client_for):
    client = client_for(world.erin)

    as_yaml = client.get(url(fw.template, "export") + "?format=yaml")
    as_xlsx = client.get(url(fw.template, "export") + "?format=xlsx")
    refused = client.get(url(fw.template, "export") + "?format=pdf")

    assert as_yaml["Content-Type"] == "application/yaml"
    assert as_yaml["Content-Disposition"] == f'attachment; filename="bang-tieu-chi-{fw.template.pk}-phien-ban-1.yaml"'
    assert yaml.safe_load(as_yaml.content) == reference_document()
    assert as_xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert as_xlsx["Content-Disposition"] == f'attachment; filename="bang-tieu-chi-{fw.template.pk}-phien-ban-1.xlsx"'
    assert load_workbook(io.BytesIO(as_xlsx.content)).sheetnames[:2] == ["Khung", "Tieu chi"]
    assert refused.status_code == 400
    assert refused.json() == {"format": ["Chọn yaml hoặc xlsx."]}


def test_an_upload_imports_a_draft_for_the_secretariat_s_cluster(world, fw, client_for):
    upload = io.BytesIO(export_xlsx(fw.template))
    upload.name = "bang.xlsx"

    response = client_for(world.alice).post(
        "/api/v1/frameworks/import/", {"file": upload, "cluster": "K", "year": 2020}
    )

    created = Framework.objects.get(pk=response.json()["id"])
    assert response.status_code == 201
    assert response.json() == framework_json(
        created, cluster="K", year=2020, edition=1, status="draft", can_change=True
    )
    assert canonical_document(created) == reference_document()
    assert entries_for(created).get().data == {"source": "bang.xlsx"}


def test_a_bad_upload_is_refused_with_every_problem_and_imports_nothing(world, fw, client_for):
    book = load_workbook(io.BytesIO(export_xlsx(fw.template)))
    book["Tieu chi"]["E7"] = "mười"
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "sai.xlsx"

    response = client_for(world.dave).post("/api/v1/frameworks/import/", {"file": upload})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Không nhập được tệp: 1 lỗi, chưa có gì được lưu.",
        "problems": [
            {
                "sheet": "Tieu chi",
                "row": 7,
                "column": "E (max)",
                "message": "“mười” không phải là số.",
                "text": "Sheet Tieu chi, dòng 7, cột E (max): “mười” không phải là số.",
            }
        ],
    }
    assert Framework.objects.count() == 3


# --- nodes --------------------------------------------------------------------------------


def test_the_secretariat_adds_changes_moves_and_deletes_nodes_of_its_draft(world, fw, client_for):
    client = client_for(world.alice)
    base = f"/api/v1/frameworks/{fw.k2020.pk}/nodes/"

    added = client.post(
        base,
        {
            "kind": "leaf",
            "code": "I.5",
            "title": "Mới",
            "parent": "I",
            "max_points": "1",
            "params": {"rule": "pass_fail"},
        },
        content_type="application/json",
    )
    node_id = added.json()["id"]
    changed = client.patch(f"{base}{node_id}/", {"title": "Mới (sửa)", "version": 1}, content_type="application/json")
    moved = client.post(f"{base}{node_id}/move/", {"parent": "II", "position": 0}, content_type="application/json")
    deleted = client.delete(f"{base}{node_id}/")

    assert added.status_code == 201
    assert added.json() == {
        "id": node_id,
        "kind": "leaf",
        "code": "I.5",
        "title": "Mới",
        "parent": "I",
        "max_points": "1",
        "params": {"rule": "pass_fail"},
        "guidance": "",
        "evidence": "",
        "order": 5,
        "version": 1,
    }
    assert (changed.json()["title"], changed.json()["version"]) == ("Mới (sửa)", 2)
    assert (moved.json()["parent"], moved.json()["order"]) == ("II", 1)
    assert deleted.status_code == 204
    assert [e.action for e in entries_for(fw.k2020)[:4]] == [
        "criterion.delete",
        "criterion.move",
        "criterion.update",
        "criterion.add",
    ]


def test_a_node_refused_by_the_service_answers_with_the_field_s_message(world, fw, client_for):
    client = client_for(world.alice)
    base = f"/api/v1/frameworks/{fw.k2020.pk}/nodes/"

    duplicate = client.post(
        base, {"kind": "leaf", "code": "I.1", "title": "Trùng", "parent": "I"}, content_type="application/json"
    )
    no_parent = client.post(
        base, {"kind": "leaf", "code": "I.9", "title": "X", "parent": "XX"}, content_type="application/json"
    )
    reparent = client.patch(f"{base}{node_of(fw.k2020, 'I.1').pk}/", {"parent": "II"}, content_type="application/json")

    assert duplicate.json() == {"code": ["Mã “I.1” đã có trong bảng tiêu chí này."]}
    assert no_parent.json() == {"parent": ["Không có mục mã “XX” trong bảng tiêu chí này."]}
    assert reparent.json() == {"parent": ["Để chuyển mục sang nhóm khác, dùng thao tác move."]}


def test_a_node_of_another_framework_is_not_found_under_this_one(world, fw, client_for):
    response = client_for(world.alice).get(f"/api/v1/frameworks/{fw.k2020.pk}/nodes/{node_of(fw.template, 'I.1').pk}/")

    assert response.status_code == 404
