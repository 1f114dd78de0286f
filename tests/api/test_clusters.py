"""API: clusters and cluster years (members, head, deputies by school code)."""

from __future__ import annotations

import pytest

from tests.factories.organizations import ClusterFactory, OrganizationFactory, make_cluster_year
from thidua.core.audit import entries_for
from thidua.organizations.models import Cluster, ClusterYear

pytestmark = pytest.mark.django_db

NON_ADMINS = ["alice", "bob", "dave", "erin", "frank"]
THEME = "Dân chủ - Kỷ cương - Gương mẫu - Sáng tạo - Hiệu quả"


def roles(cluster_year: ClusterYear) -> list[tuple[str, str]]:
    return sorted(cluster_year.memberships.values_list("organization__short_code", "role"))


def year_json(cy: ClusterYear, **changes: object) -> dict[str, object]:
    return {"id": cy.pk, "cluster": "K", "year": cy.year, "theme": THEME, "notes": "", "version": 1, **changes}


# --- clusters -----------------------------------------------------------------------------------


def test_clusters_are_listed_with_their_coordinator_code(world, client_for):
    response = client_for(world.erin).get("/api/v1/clusters/")

    common = {"coordinator": "HV", "description": "", "version": 1}
    assert response.json()["results"] == [
        {"id": world.cluster.pk, "code": "K", "name": "Cụm thi đua K", **common},
        {"id": world.other_cluster.pk, "code": "L", "name": "Cụm thi đua L", **common},
    ]


def test_a_cluster_is_read_by_its_code(world, client_for):
    response = client_for(world.alice).get("/api/v1/clusters/L/")

    assert response.json()["name"] == "Cụm thi đua L"


@pytest.mark.parametrize("size", [5, 40])
def test_the_cluster_list_costs_the_same_queries_whatever_its_length(
    world, client_for, django_assert_num_queries, size
):
    for _ in range(size):
        ClusterFactory(coordinator=OrganizationFactory())
    client = client_for(world.bob)

    with django_assert_num_queries(4):
        response = client.get("/api/v1/clusters/")

    assert response.json()["count"] == size + 2


def test_the_admin_creates_and_renames_a_cluster_through_the_service(world, client_for):
    client = client_for(world.carol)

    created = client.post(
        "/api/v1/clusters/",
        {"code": "c9", "name": "Cụm thi đua số 9", "coordinator": "HV"},
        content_type="application/json",
    )
    renamed = client.patch("/api/v1/clusters/C9/", {"name": "Cụm 9", "version": 1}, content_type="application/json")

    assert created.status_code == 201
    assert renamed.status_code == 200
    cluster = Cluster.objects.get(code="C9")
    assert renamed.json() == {
        "id": cluster.pk,
        "code": "C9",
        "name": "Cụm 9",
        "coordinator": "HV",
        "description": "",
        "version": 2,
    }
    assert [e.action for e in entries_for(cluster)] == ["cluster.update", "cluster.create"]


def test_a_duplicate_cluster_code_is_refused_on_that_field(world, client_for):
    response = client_for(world.carol).post(
        "/api/v1/clusters/", {"code": "k", "name": "Cụm K2"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"code": ["Cụm thi đua có Mã cụm đã tồn tại."]}
    assert Cluster.objects.count() == 2


def test_a_stale_cluster_update_is_refused_without_overwriting(world, client_for):
    client = client_for(world.carol)
    client.patch("/api/v1/clusters/K/", {"name": "Trước", "version": 1}, content_type="application/json")

    response = client.patch("/api/v1/clusters/K/", {"name": "Sau", "version": 1}, content_type="application/json")

    assert response.status_code == 400
    assert "đã được người khác sửa" in response.json()["non_field_errors"][0]
    world.cluster.refresh_from_db()
    assert world.cluster.name == "Trước"


# --- cluster years ------------------------------------------------------------------------------


def test_cluster_years_list_members_head_and_deputies_by_code(world, client_for):
    response = client_for(world.frank).get("/api/v1/cluster-years/", {"cluster": "k"})

    assert response.json()["results"] == [
        year_json(world.year_2020, members=["A", "B"], head="A", deputies=[]),
        year_json(world.year_2021, members=["A", "B"], head="B", deputies=["A"]),
    ]


def test_a_cluster_year_is_read_by_its_id(world, client_for):
    response = client_for(world.bob).get(f"/api/v1/cluster-years/{world.year_2021.pk}/")

    assert response.json() == year_json(world.year_2021, members=["A", "B"], head="B", deputies=["A"])


@pytest.mark.parametrize("size", [5, 40])
def test_the_cluster_year_list_costs_the_same_queries_whatever_its_length(
    world, client_for, django_assert_num_queries, size
):
    schools = [OrganizationFactory() for _ in range(4)]
    cluster = ClusterFactory()
    for year in range(2000, 2000 + size):
        make_cluster_year(schools, head=schools[0], deputies=(schools[1],), cluster=cluster, year=year)
    client = client_for(world.bob)

    with django_assert_num_queries(5):
        response = client.get("/api/v1/cluster-years/")

    assert response.json()["count"] == size + 3


def test_the_admin_creates_a_cluster_year_through_the_service(world, client_for):
    response = client_for(world.carol).post(
        "/api/v1/cluster-years/",
        {"cluster": "K", "year": 2022, "members": ["A", "B", "C"], "head": "C", "deputies": ["A"], "theme": "Mới"},
        content_type="application/json",
    )

    assert response.status_code == 201
    cy = ClusterYear.objects.get(cluster=world.cluster, year=2022)
    assert response.json() == year_json(cy, theme="Mới", members=["A", "B", "C"], head="C", deputies=["A"])
    (entry,) = entries_for(cy)
    assert (entry.actor, entry.action) == (world.carol, "cluster_year.create")


def test_a_school_listed_twice_is_one_member(world, client_for):
    response = client_for(world.carol).post(
        "/api/v1/cluster-years/",
        {"cluster": "K", "year": 2022, "members": ["A", "B", "A"], "head": "A", "deputies": ["B", "B"]},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert roles(ClusterYear.objects.get(cluster=world.cluster, year=2022)) == [("A", "head"), ("B", "deputy")]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"head": "C"}, {"head": ["Cụm trưởng (Trường Chính trị tỉnh Cà Mau) phải là thành viên của cụm năm đó."]}),
        (
            {"deputies": ["A"]},
            {"deputies": ["Trường Chính trị tỉnh Tiền Giang đã là cụm trưởng, không thể đồng thời là cụm phó."]},
        ),
        ({"year": 2021}, {"year": ["Cụm K đã có năm 2021."]}),
        ({"members": ["A", "ZZ"]}, {"members": ["Không có đối tượng nào với short_code=ZZ."]}),
        ({"head": None}, {"head": ["Trường này không được để trống (null)."]}),
    ],
)
def test_a_bad_cluster_year_is_refused_with_field_messages(world, client_for, data, errors):
    response = client_for(world.carol).post(
        "/api/v1/cluster-years/",
        {"cluster": "K", "year": 2022, "members": ["A", "B"], "head": "A", **data},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert list(world.cluster.years.values_list("year", flat=True).order_by("year")) == [2020, 2021]


def test_patching_a_years_theme_keeps_its_members(world, client_for):
    response = client_for(world.carol).patch(
        f"/api/v1/cluster-years/{world.year_2021.pk}/",
        {"theme": "Chủ đề mới", "version": 1},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == year_json(
        world.year_2021, theme="Chủ đề mới", members=["A", "B"], head="B", deputies=["A"], version=2
    )
    assert (entries_for(world.year_2021).get().data) == {"theme": [THEME, "Chủ đề mới"]}


def test_patching_2021s_members_leaves_2020_unchanged(world, client_for):
    response = client_for(world.carol).patch(
        f"/api/v1/cluster-years/{world.year_2021.pk}/",
        {"members": ["B", "C"], "head": "C", "deputies": ["B"]},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert roles(world.year_2021) == [("B", "deputy"), ("C", "head")]
    assert roles(world.year_2020) == [("A", "head"), ("B", "member")]


def test_patching_members_without_the_head_is_refused(world, client_for):
    response = client_for(world.carol).patch(
        f"/api/v1/cluster-years/{world.year_2021.pk}/", {"members": ["A"]}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "head": ["Cụm trưởng (Trường Chính trị tỉnh Bạc Liêu) phải là thành viên của cụm năm đó."]
    }
    assert roles(world.year_2021) == [("A", "deputy"), ("B", "head")]


def test_a_stale_cluster_year_update_is_refused_without_overwriting(world, client_for):
    client = client_for(world.carol)
    url = f"/api/v1/cluster-years/{world.year_2021.pk}/"
    client.patch(url, {"theme": "Trước", "version": 1}, content_type="application/json")

    response = client.patch(
        url, {"theme": "Sau", "head": "A", "deputies": [], "version": 1}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "đã được người khác sửa" in response.json()["non_field_errors"][0]
    world.year_2021.refresh_from_db()
    assert world.year_2021.theme == "Trước"
    assert roles(world.year_2021) == [("A", "deputy"), ("B", "head")]


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_the_admin_may_write_clusters_and_their_years(world, client_for, persona):
    client = client_for(getattr(world, persona))

    responses = [
        client.post("/api/v1/clusters/", {"code": "X", "name": "X"}, content_type="application/json"),
        client.patch("/api/v1/clusters/K/", {"name": "Đổi"}, content_type="application/json"),
        client.post(
            "/api/v1/cluster-years/",
            {"cluster": "K", "year": 2022, "members": ["A"], "head": "A"},
            content_type="application/json",
        ),
        client.patch(f"/api/v1/cluster-years/{world.year_2021.pk}/", {"head": "A"}, content_type="application/json"),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert list(Cluster.objects.values_list("code", "name")) == [("K", "Cụm thi đua K"), ("L", "Cụm thi đua L")]
    assert not ClusterYear.objects.filter(year=2022).exists()
    assert roles(world.year_2021) == [("A", "deputy"), ("B", "head")]
