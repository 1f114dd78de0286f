"""Cluster pages: list, a cluster year by year, one year's members, and the admin's edits."""

from __future__ import annotations

import pytest

from tests.factories.organizations import ClusterFactory, OrganizationFactory, make_cluster_year
from thidua.core.audit import entries_for
from thidua.organizations import services
from thidua.organizations.models import Cluster, ClusterYear

pytestmark = pytest.mark.django_db

NON_ADMINS = ["alice", "bob", "dave", "erin", "frank"]
THEME = "Dân chủ - Kỷ cương - Gương mẫu - Sáng tạo - Hiệu quả"


def roles(cluster_year: ClusterYear) -> list[tuple[str, str]]:
    return sorted(cluster_year.memberships.values_list("organization__short_code", "role"))


@pytest.mark.parametrize(
    "path",
    [
        "/clusters/",
        "/clusters/new/",
        "/clusters/K/",
        "/clusters/K/edit/",
        "/clusters/K/years/new/",
        "/clusters/K/years/2020/",
        "/clusters/K/years/2020/edit/",
    ],
)
def test_cluster_pages_send_anonymous_visitors_to_the_login_page(world, client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


# --- list ---------------------------------------------------------------------------------------


def test_the_cluster_list_shows_code_name_coordinator_and_number_of_years(world, client_for, html):
    response = client_for(world.bob).get("/clusters/")

    assert html.rows(response, "main") == [
        ["K", "Cụm thi đua K", "Học viện Chính trị quốc gia Hồ Chí Minh", "2"],
        ["L", "Cụm thi đua L", "Học viện Chính trị quốc gia Hồ Chí Minh", "1"],
    ]
    assert "Thêm cụm" not in html.text(response)


def test_the_admin_sees_the_button_to_add_a_cluster(world, client_for, html):
    assert "Thêm cụm" in html.text(client_for(world.carol).get("/clusters/"))


@pytest.mark.parametrize("size", [5, 40])
def test_the_cluster_list_costs_the_same_queries_whatever_the_number_of_clusters(
    world, client_for, django_assert_num_queries, size
):
    for _ in range(size):
        cluster = ClusterFactory(coordinator=OrganizationFactory())
        school = OrganizationFactory()
        make_cluster_year([school], head=school, cluster=cluster, year=2020)
        make_cluster_year([school], head=school, cluster=cluster, year=2021)
    client = client_for(world.bob)

    with django_assert_num_queries(5):
        response = client.get("/clusters/")

    assert response.status_code == 200
    assert len(response.context["clusters"]) == size + 2


# --- a cluster, year by year --------------------------------------------------------------------


def test_the_cluster_page_shows_each_year_with_head_deputies_members_and_theme(world, client_for, html):
    response = client_for(world.frank).get("/clusters/k/")

    assert html.rows(response, "cluster-years") == [
        ["2021", "Trường Chính trị tỉnh Bạc Liêu", "Trường Chính trị tỉnh Tiền Giang", "2", THEME],
        ["2020", "Trường Chính trị tỉnh Tiền Giang", "", "2", THEME],
    ]


def test_the_cluster_page_shows_the_membership_matrix_across_years(world, client_for, html):
    d = OrganizationFactory(name="Trường Chính trị tỉnh Sóc Trăng", short_code="D")
    make_cluster_year([d, world.school_a], head=d, deputies=(world.school_a,), cluster=world.cluster, year=2022)

    response = client_for(world.bob).get("/clusters/K/")

    assert html.text(response, "membership-matrix").startswith("Đơn vị 2022 2021 2020")
    assert html.rows(response, "membership-matrix") == [
        ["Trường Chính trị tỉnh Bạc Liêu", "", "T", "●"],
        ["Trường Chính trị tỉnh Sóc Trăng", "T", "", ""],
        ["Trường Chính trị tỉnh Tiền Giang", "P", "P", "T"],
    ]


def test_the_cluster_page_says_so_when_there_is_no_year_yet(world, client_for, html):
    ClusterFactory(code="M", name="Cụm thi đua M")

    response = client_for(world.bob).get("/clusters/M/")

    assert html.rows(response, "cluster-years") == [["Chưa có năm nào."]]
    assert not html.has(response, "membership-matrix")


def test_the_cluster_page_answers_404_for_an_unknown_code(world, client_for):
    assert client_for(world.bob).get("/clusters/ZZ/").status_code == 404


@pytest.mark.parametrize(("persona", "shown"), [("carol", True), ("dave", True), ("alice", False), ("erin", False)])
def test_the_cluster_history_shows_only_to_the_admin_and_the_academy(world, client_for, html, persona, shown):
    services.update_cluster(actor=world.carol, cluster=world.cluster, description="Ghi chú nội bộ")

    response = client_for(getattr(world, persona)).get("/clusters/K/")

    assert html.has(response, "audit") is shown
    assert ("cluster.update" in response.content.decode()) is shown


def test_only_the_admin_sees_the_cluster_edit_buttons(world, client_for, html):
    assert "Sửa cụm Thêm năm" in html.text(client_for(world.carol).get("/clusters/K/"))
    assert "Thêm năm" not in html.text(client_for(world.alice).get("/clusters/K/"))


@pytest.mark.parametrize("size", [5, 40])
def test_the_cluster_page_costs_the_same_queries_whatever_the_number_of_years(
    world, client_for, html, django_assert_num_queries, size
):
    cluster = ClusterFactory(code="BIG", coordinator=world.academy)
    schools = [OrganizationFactory() for _ in range(6)]
    for year in range(2000, 2000 + size):
        make_cluster_year(
            schools, head=schools[year % 6], deputies=(schools[(year + 1) % 6],), cluster=cluster, year=year
        )
    client = client_for(world.carol)

    with django_assert_num_queries(7):
        response = client.get("/clusters/BIG/")

    assert len(html.rows(response, "cluster-years")) == size
    assert len(html.rows(response, "membership-matrix")) == 6


# --- one year -----------------------------------------------------------------------------------


def test_a_years_page_lists_members_with_province_and_role(world, client_for, html):
    response = client_for(world.erin).get("/clusters/K/years/2021/")

    assert "Cụm thi đua K — năm 2021" in html.text(response)
    assert f"Chủ đề thi đua: {THEME}" in html.text(response)
    assert html.rows(response, "members") == [
        ["1", "Trường Chính trị tỉnh Bạc Liêu", "Bạc Liêu", "Cụm trưởng"],
        ["2", "Trường Chính trị tỉnh Tiền Giang", "Tiền Giang", "Cụm phó"],
    ]


def test_a_missing_year_is_not_found(world, client_for):
    assert client_for(world.bob).get("/clusters/K/years/2019/").status_code == 404
    assert client_for(world.bob).get("/clusters/L/years/2021/").status_code == 404


@pytest.mark.parametrize(("persona", "shown"), [("carol", True), ("dave", True), ("bob", False), ("frank", False)])
def test_a_years_history_shows_only_to_the_admin_and_the_academy(world, client_for, html, persona, shown):
    services.update_cluster_year(
        actor=world.carol, cluster_year=world.year_2021, members=[world.school_a, world.school_b], head=world.school_b
    )

    response = client_for(getattr(world, persona)).get("/clusters/K/years/2021/")

    assert html.has(response, "audit") is shown
    assert ("cluster_year.update" in response.content.decode()) is shown


@pytest.mark.parametrize("size", [5, 40])
def test_a_years_page_costs_the_same_queries_whatever_the_number_of_members(
    world, client_for, html, django_assert_num_queries, size
):
    schools = [OrganizationFactory() for _ in range(size)]
    cy = make_cluster_year(schools, head=schools[0], deputies=tuple(schools[1:3]), cluster=world.cluster, year=2022)
    services.update_cluster_year(
        actor=world.carol, cluster_year=cy, members=schools, head=schools[1], deputies=schools[2:4], theme="Mới"
    )
    client = client_for(world.carol)

    with django_assert_num_queries(7):
        response = client.get("/clusters/K/years/2022/")

    assert len(html.rows(response, "members")) == size


# --- create and edit a cluster ------------------------------------------------------------------


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_the_admin_may_create_or_edit_clusters_and_their_years(world, client_for, persona):
    client = client_for(getattr(world, persona))
    year = {"year": 2022, "members": [world.school_a.pk], "head": world.school_a.pk, "version": 1}

    responses = [
        client.get("/clusters/new/"),
        client.post("/clusters/new/", {"code": "X", "name": "Cụm X"}),
        client.get("/clusters/K/edit/"),
        client.post("/clusters/K/edit/", {"code": "K", "name": "Đổi tên", "version": 1}),
        client.get("/clusters/K/years/new/"),
        client.post("/clusters/K/years/new/", year),
        client.get("/clusters/K/years/2021/edit/"),
        client.post("/clusters/K/years/2021/edit/", year),
    ]

    assert [r.status_code for r in responses] == [403] * 8
    assert list(Cluster.objects.values_list("code", "name")) == [("K", "Cụm thi đua K"), ("L", "Cụm thi đua L")]
    assert roles(world.year_2021) == [("A", "deputy"), ("B", "head")]
    assert not ClusterYear.objects.filter(year=2022).exists()


def test_the_admin_creates_a_cluster(world, client_for, html):
    response = client_for(world.carol).post(
        "/clusters/new/",
        {"code": "c9", "name": "Cụm thi đua số 9", "coordinator": world.academy.pk, "description": "ĐBSCL"},
        follow=True,
    )

    assert response.redirect_chain == [("/clusters/C9/", 302)]
    assert "Đã thêm cụm C9." in html.text(response)
    cluster = Cluster.objects.get(code="C9")
    assert (cluster.name, cluster.coordinator, cluster.description) == ("Cụm thi đua số 9", world.academy, "ĐBSCL")
    assert [e.action for e in entries_for(cluster)] == ["cluster.create"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "C 9"}, "Nhập một giá trị hợp lệ."),
        ({"name": ""}, "Trường này là bắt buộc."),
        ({"code": "k"}, "Cụm thi đua có Mã cụm đã tồn tại."),
    ],
)
def test_creating_a_cluster_with_bad_input_explains_and_saves_nothing(world, client_for, html, data, message):
    response = client_for(world.carol).post("/clusters/new/", {"code": "C9", "name": "Cụm 9", **data})

    assert response.status_code == 200
    assert message in html.text(response)
    assert Cluster.objects.count() == 2


def test_submitting_the_new_cluster_form_twice_creates_it_once(world, client_for, html):
    client = client_for(world.carol)

    first = client.post("/clusters/new/", {"code": "C9", "name": "Cụm 9"})
    second = client.post("/clusters/new/", {"code": "C9", "name": "Cụm 9"})

    assert (first.status_code, second.status_code) == (302, 200)
    assert "Cụm thi đua có Mã cụm đã tồn tại." in html.text(second)
    assert Cluster.objects.filter(code="C9").count() == 1


def test_the_admin_edits_a_cluster(world, client_for, html):
    response = client_for(world.carol).post(
        "/clusters/K/edit/", {"code": "K", "name": "Cụm thi đua số 9", "description": "", "version": 1}, follow=True
    )

    assert response.redirect_chain == [("/clusters/K/", 302)]
    assert "Đã lưu thay đổi." in html.text(response)
    world.cluster.refresh_from_db()
    assert (world.cluster.name, world.cluster.coordinator, world.cluster.version) == ("Cụm thi đua số 9", None, 2)


def test_a_stale_cluster_form_is_refused_without_overwriting(world, client_for, html):
    services.update_cluster(actor=world.carol, cluster=world.cluster, name="Tên của người kia")

    response = client_for(world.carol).post(
        "/clusters/K/edit/", {"code": "K", "name": "Tên của tôi", "coordinator": world.academy.pk, "version": 1}
    )

    assert "“Tên của người kia” đã được người khác sửa sau khi bạn mở biểu mẫu này." in html.text(response)
    world.cluster.refresh_from_db()
    assert (world.cluster.name, world.cluster.version) == ("Tên của người kia", 2)


def test_editing_a_cluster_with_bad_input_explains_and_changes_nothing(world, client_for, html):
    response = client_for(world.carol).post("/clusters/K/edit/", {"code": "L", "name": "Cụm K", "version": 1})

    assert "Cụm thi đua có Mã cụm đã tồn tại." in html.text(response)
    world.cluster.refresh_from_db()
    assert (world.cluster.code, world.cluster.version) == ("K", 1)


# --- create and edit a cluster year --------------------------------------------------------------


def test_a_new_year_starts_from_last_years_members_head_and_deputies(world, client_for):
    form = client_for(world.carol).get("/clusters/K/years/new/").context["form"]

    assert form.initial["year"] == 2022
    assert form.initial["theme"] == ""
    assert form.initial["version"] is None
    assert {o.short_code for o in form.initial["members"]} == {"A", "B"}
    assert form.initial["head"] == world.school_b
    assert form.initial["deputies"] == [world.school_a]


def test_the_first_year_of_a_cluster_starts_empty(world, client_for):
    ClusterFactory(code="M")

    form = client_for(world.carol).get("/clusters/M/years/new/").context["form"]

    assert form.initial == {}


def test_the_admin_adds_a_year_with_its_members(world, client_for, html):
    response = client_for(world.carol).post(
        "/clusters/K/years/new/",
        {
            "year": 2022,
            "theme": "Đoàn kết - Đổi mới",
            "members": [world.school_a.pk, world.school_b.pk, world.school_c.pk],
            "head": world.school_c.pk,
            "deputies": [world.school_a.pk, world.school_b.pk],
        },
        follow=True,
    )

    assert response.redirect_chain == [("/clusters/K/years/2022/", 302)]
    assert "Đã lưu năm 2022 của cụm." in html.text(response)
    cy = ClusterYear.objects.get(cluster=world.cluster, year=2022)
    assert cy.theme == "Đoàn kết - Đổi mới"
    assert roles(cy) == [("A", "deputy"), ("B", "deputy"), ("C", "head")]
    assert roles(world.year_2021) == [("A", "deputy"), ("B", "head")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"head": "C"}, "Cụm trưởng (Trường Chính trị tỉnh Cà Mau) phải là thành viên của cụm năm đó."),
        ({"deputies": ["A"]}, "Trường Chính trị tỉnh Tiền Giang đã là cụm trưởng, không thể đồng thời là cụm phó."),
        ({"year": 2021}, "Cụm K đã có năm 2021."),
        ({"year": 1999}, "Đảm bảo giá trị này lớn hơn hoặc bằng với 2000"),
        ({"members": []}, "Trường này là bắt buộc."),
    ],
)
def test_adding_a_year_with_a_bad_composition_explains_and_saves_nothing(world, client_for, html, data, message):
    codes = {"A": world.school_a.pk, "B": world.school_b.pk, "C": world.school_c.pk}
    form = {"year": 2022, "members": ["A", "B"], "head": "A", "deputies": [], **data}
    form["members"] = [codes[c] for c in form["members"]]
    form["deputies"] = [codes[c] for c in form["deputies"]]
    form["head"] = codes[form["head"]]

    response = client_for(world.carol).post("/clusters/K/years/new/", form)

    assert response.status_code == 200
    assert message in html.text(response)
    assert list(world.cluster.years.order_by("year").values_list("year", flat=True)) == [2020, 2021]
    assert roles(world.year_2021) == [("A", "deputy"), ("B", "head")]


def test_submitting_a_new_year_twice_creates_it_once(world, client_for, html):
    client = client_for(world.carol)
    form = {"year": 2022, "members": [world.school_a.pk], "head": world.school_a.pk}

    first = client.post("/clusters/K/years/new/", form)
    second = client.post("/clusters/K/years/new/", form)

    assert (first.status_code, second.status_code) == (302, 200)
    assert "Cụm K đã có năm 2022." in html.text(second)
    assert ClusterYear.objects.filter(cluster=world.cluster, year=2022).count() == 1


def test_the_year_edit_form_opens_with_that_years_composition_and_a_fixed_year(world, client_for):
    form = client_for(world.carol).get("/clusters/K/years/2021/edit/").context["form"]

    assert (form.initial["year"], form.initial["version"], form.initial["head"]) == (2021, 1, world.school_b)
    assert form.initial["deputies"] == [world.school_a]
    assert form.fields["year"].disabled is True


def test_editing_2021_changes_2021_and_leaves_2020_as_it_was(world, client_for, html):
    response = client_for(world.carol).post(
        "/clusters/K/years/2021/edit/",
        {
            "year": 2030,  # the year is fixed: ignored
            "theme": "Chủ đề mới",
            "members": [world.school_b.pk, world.school_c.pk],
            "head": world.school_c.pk,
            "deputies": [world.school_b.pk],
            "version": 1,
        },
        follow=True,
    )

    assert response.redirect_chain == [("/clusters/K/years/2021/", 302)]
    assert html.rows(response, "members") == [
        ["1", "Trường Chính trị tỉnh Bạc Liêu", "Bạc Liêu", "Cụm phó"],
        ["2", "Trường Chính trị tỉnh Cà Mau", "Cà Mau", "Cụm trưởng"],
    ]
    assert roles(world.year_2020) == [("A", "head"), ("B", "member")]
    world.year_2020.refresh_from_db()
    assert (world.year_2020.theme, world.year_2020.version) == (THEME, 1)
    assert not ClusterYear.objects.filter(year=2030).exists()


def test_a_stale_year_form_is_refused_without_overwriting(world, client_for, html):
    services.update_cluster_year(
        actor=world.carol,
        cluster_year=world.year_2021,
        members=[world.school_a, world.school_b],
        head=world.school_a,
        theme="Sửa trước",
    )

    response = client_for(world.carol).post(
        "/clusters/K/years/2021/edit/",
        {"theme": "Sửa sau", "members": [world.school_b.pk], "head": world.school_b.pk, "version": 1},
    )

    assert "“K — 2021” đã được người khác sửa sau khi bạn mở biểu mẫu này." in html.text(response)
    world.year_2021.refresh_from_db()
    assert (world.year_2021.theme, world.year_2021.version) == ("Sửa trước", 2)
    assert roles(world.year_2021) == [("A", "head"), ("B", "member")]


def test_editing_a_year_with_a_bad_composition_explains_and_changes_nothing(world, client_for, html):
    response = client_for(world.carol).post(
        "/clusters/K/years/2021/edit/",
        {"members": [world.school_a.pk], "head": world.school_a.pk, "deputies": [world.school_b.pk], "version": 1},
    )

    assert "Cụm phó Trường Chính trị tỉnh Bạc Liêu phải là thành viên của cụm năm đó." in html.text(response)
    assert roles(world.year_2021) == [("A", "deputy"), ("B", "head")]
