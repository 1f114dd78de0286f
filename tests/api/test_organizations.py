"""API: organisations and successions. Reads for the signed-in, writes for the admin through
the services (audited), refusals as 400 with field messages."""

from __future__ import annotations

import datetime

import pytest

from tests.factories.organizations import OrganizationFactory
from thidua.core.audit import entries_for
from thidua.organizations.models import Organization, Succession

pytestmark = pytest.mark.django_db

MERGER = datetime.date(2025, 7, 1)
NON_ADMINS = ["alice", "bob", "dave", "erin", "frank"]


def org_json(org: Organization, **changes: object) -> dict[str, object]:
    return {
        "id": org.pk,
        "short_code": org.short_code,
        "name": org.name,
        "kind": org.kind,
        "province": org.province,
        "active_from": None,
        "active_to": None,
        "version": 1,
        **changes,
    }


def test_the_api_refuses_anonymous_callers(world, client):
    response = client.get("/api/v1/organizations/")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Chưa có thông tin xác thực: hãy đăng nhập hoặc gửi token."}


def test_organisations_are_listed_in_vietnamese_order(world, client_for):
    response = client_for(world.frank).get("/api/v1/organizations/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert body["results"] == [
        org_json(world.academy),
        org_json(world.school_b),
        org_json(world.school_c),
        org_json(world.school_a),
    ]


def test_an_organisation_is_read_by_its_code(world, client_for):
    response = client_for(world.erin).get("/api/v1/organizations/B/")

    assert response.json() == org_json(world.school_b)


@pytest.mark.parametrize("size", [5, 40])
def test_the_organisation_list_costs_the_same_queries_whatever_its_length(
    world, client_for, django_assert_num_queries, size
):
    OrganizationFactory.create_batch(size)
    client = client_for(world.bob)

    with django_assert_num_queries(4):
        response = client.get("/api/v1/organizations/")

    assert response.json()["count"] == size + 4


def test_the_admin_creates_an_organisation_through_the_service(world, client_for):
    response = client_for(world.carol).post(
        "/api/v1/organizations/",
        {
            "short_code": "dtm",
            "name": "Trường Chính trị tỉnh Đồng Tháp (mới)",
            "kind": "political_school",
            "province": "Đồng Tháp",
            "active_from": "2025-07-01",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    org = Organization.objects.get(short_code="DTM")
    assert response.json() == org_json(org, active_from="2025-07-01")
    (entry,) = entries_for(org)
    assert (entry.actor, entry.action, entry.data["short_code"]) == (world.carol, "organization.create", "DTM")


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"active_from": "2025-07-01", "active_to": "2025-06-30"},
            {"active_to": ["Ngày kết thúc phải sau ngày bắt đầu hoạt động."]},
        ),
        ({"short_code": "b"}, {"short_code": ["Đơn vị có Mã viết tắt đã tồn tại."]}),
        ({"kind": "ministry"}, {"kind": ["“ministry” không phải là một lựa chọn hợp lệ."]}),
    ],
)
def test_a_bad_organisation_is_refused_with_field_messages(world, client_for, data, errors):
    before = Organization.objects.count()

    response = client_for(world.carol).post(
        "/api/v1/organizations/",
        {"short_code": "NEW", "name": "Trường Mới", "kind": "political_school", **data},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert Organization.objects.count() == before


def test_the_admin_updates_an_organisation_and_the_change_is_audited(world, client_for):
    response = client_for(world.carol).patch(
        "/api/v1/organizations/B/", {"active_to": "2025-06-30", "version": 1}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json() == org_json(world.school_b, active_to="2025-06-30", version=2)
    (entry,) = entries_for(world.school_b)
    assert (entry.action, entry.data) == ("organization.update", {"active_to": [None, "2025-06-30"]})


def test_a_stale_organisation_update_is_refused_without_overwriting(world, client_for):
    client = client_for(world.carol)
    client.patch("/api/v1/organizations/B/", {"province": "Cà Mau", "version": 1}, content_type="application/json")

    response = client.patch(
        "/api/v1/organizations/B/", {"province": "Bạc Liêu", "version": 1}, content_type="application/json"
    )

    assert response.status_code == 400
    (message,) = response.json()["non_field_errors"]
    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in message
    world.school_b.refresh_from_db()
    assert (world.school_b.province, world.school_b.version) == ("Cà Mau", 2)


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_the_admin_may_write_organisations(world, client_for, persona):
    client = client_for(getattr(world, persona))

    created = client.post(
        "/api/v1/organizations/",
        {"short_code": "X", "name": "Trường X", "kind": "political_school"},
        content_type="application/json",
    )
    updated = client.patch("/api/v1/organizations/B/", {"name": "Đổi tên"}, content_type="application/json")

    assert (created.status_code, updated.status_code) == (403, 403)
    assert created.json() == {"detail": "Bạn không được cấp quyền để thực hiện hành động này."}
    assert not Organization.objects.filter(short_code="X").exists()
    world.school_b.refresh_from_db()
    assert world.school_b.name == "Trường Chính trị tỉnh Bạc Liêu"


# --- successions --------------------------------------------------------------------------------


@pytest.fixture
def cmm(world):
    org = OrganizationFactory(name="Trường Chính trị tỉnh Cà Mau (mới)", short_code="CMM", active_from=MERGER)
    Succession.objects.create(predecessor=world.school_c, successor=org, effective_date=MERGER, note="Sáp nhập")
    return org


def test_successions_are_listed_with_codes_and_dates(world, cmm, client_for):
    succession = Succession.objects.get()

    response = client_for(world.frank).get("/api/v1/successions/")

    assert response.json()["results"] == [
        {
            "id": succession.pk,
            "predecessor": "C",
            "successor": "CMM",
            "effective_date": "2025-07-01",
            "note": "Sáp nhập",
        }
    ]


def test_the_admin_records_a_succession_audited_on_both_schools(world, cmm, client_for):
    response = client_for(world.carol).post(
        "/api/v1/successions/",
        {"predecessor": "B", "successor": "CMM", "effective_date": "2025-07-01"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["predecessor"] == "B"
    assert [e.action for e in entries_for(cmm)] == ["succession.create"]
    assert [e.action for e in entries_for(world.school_b)] == ["succession.create"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"predecessor": "CMM", "successor": "C"}, "không thể tạo vòng kế thừa"),
        ({"predecessor": "C", "successor": "C"}, "Một đơn vị không thể kế thừa chính nó."),
        ({"predecessor": "C", "successor": "CMM"}, "Quan hệ kế thừa này đã có."),
    ],
)
def test_a_bad_succession_is_refused_with_a_message(world, cmm, client_for, data, message):
    response = client_for(world.carol).post(
        "/api/v1/successions/", {**data, "effective_date": "2025-07-01"}, content_type="application/json"
    )

    assert response.status_code == 400
    (text,) = response.json()["non_field_errors"]
    assert message in text
    assert Succession.objects.count() == 1


def test_a_succession_naming_an_unknown_school_is_refused_on_that_field(world, cmm, client_for):
    response = client_for(world.carol).post(
        "/api/v1/successions/",
        {"predecessor": "NOPE", "successor": "CMM", "effective_date": "2025-07-01"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"predecessor": ["Không có đối tượng nào với short_code=NOPE."]}


def test_the_admin_removes_a_succession_audited(world, cmm, client_for):
    succession = Succession.objects.get()

    response = client_for(world.carol).delete(f"/api/v1/successions/{succession.pk}/")

    assert response.status_code == 204
    assert not Succession.objects.exists()
    assert [e.action for e in entries_for(cmm)] == ["succession.delete"]


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_the_admin_may_write_successions(world, cmm, client_for, persona):
    client = client_for(getattr(world, persona))
    succession = Succession.objects.get()

    created = client.post(
        "/api/v1/successions/",
        {"predecessor": "B", "successor": "CMM", "effective_date": "2025-07-01"},
        content_type="application/json",
    )
    deleted = client.delete(f"/api/v1/successions/{succession.pk}/")

    assert (created.status_code, deleted.status_code) == (403, 403)
    assert list(Succession.objects.values_list("predecessor__short_code", flat=True)) == ["C"]


@pytest.mark.parametrize("size", [5, 40])
def test_the_succession_list_costs_the_same_queries_whatever_its_length(
    world, client_for, django_assert_num_queries, size
):
    for _ in range(size):
        Succession.objects.create(
            predecessor=OrganizationFactory(), successor=OrganizationFactory(), effective_date=MERGER
        )
    client = client_for(world.bob)

    with django_assert_num_queries(4):
        response = client.get("/api/v1/successions/")

    assert response.json()["count"] == size
