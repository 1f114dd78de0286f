"""Organisation pages: list, detail across succession, the admin's edits and successions."""

from __future__ import annotations

import datetime

import pytest

from tests.factories.organizations import ClusterFactory, OrganizationFactory, ProfileFactory, make_cluster_year
from thidua.core.audit import entries_for
from thidua.organizations import services
from thidua.organizations.models import Organization, Succession

pytestmark = pytest.mark.django_db

MERGER = datetime.date(2025, 7, 1)
NON_ADMINS = ["alice", "bob", "dave", "erin", "frank"]


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/",
        "/orgs/new/",
        "/orgs/A/",
        "/orgs/A/edit/",
        "/orgs/A/predecessors/add/",
        "/orgs/A/profiles/new/",
        "/orgs/A/profiles/2020/",
        "/orgs/A/profiles/2020/edit/",
    ],
)
def test_organisation_pages_send_anonymous_visitors_to_the_login_page(world, client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


# --- list ---------------------------------------------------------------------------------------


def test_the_list_shows_every_organisation_in_vietnamese_order(world, client_for, html):
    response = client_for(world.frank).get("/orgs/")

    assert html.rows(response, "org-table") == [
        ["Học viện Chính trị quốc gia Hồ Chí Minh", "HV", world.academy.province, "Học viện", "… – nay", ""],
        ["Trường Chính trị tỉnh Bạc Liêu", "B", "Bạc Liêu", "Trường chính trị", "… – nay", ""],
        ["Trường Chính trị tỉnh Cà Mau", "C", "Cà Mau", "Trường chính trị", "… – nay", ""],
        ["Trường Chính trị tỉnh Tiền Giang", "A", "Tiền Giang", "Trường chính trị", "… – nay", ""],
    ]
    assert "Thêm đơn vị" not in html.text(response)


def test_the_list_shows_dates_and_successions(world, client_for, html):
    services.update_organization(actor=None, organization=world.school_a, active_to=datetime.date(2025, 6, 30))
    dtm = OrganizationFactory(name="Trường Chính trị tỉnh Đồng Tháp (mới)", short_code="DTM", active_from=MERGER)
    Succession.objects.create(predecessor=world.school_a, successor=dtm, effective_date=MERGER)

    rows = html.rows(client_for(world.alice).get("/orgs/", {"q": "tien giang"}), "org-table")
    new_rows = html.rows(client_for(world.alice).get("/orgs/", {"q": "DTM"}), "org-table")

    assert rows == [
        [
            "Trường Chính trị tỉnh Tiền Giang",
            "A",
            "Tiền Giang",
            "Trường chính trị",
            "… – 30/06/2025",
            "→ Trường Chính trị tỉnh Đồng Tháp (mới)",
        ]
    ]
    assert new_rows[0][4:] == ["01/07/2025 – nay", "← A"]


def test_the_admin_sees_the_button_to_add_an_organisation(world, client_for, html):
    assert "Thêm đơn vị" in html.text(client_for(world.carol).get("/orgs/"))


def test_the_list_searches_without_diacritics(world, client_for, html):
    OrganizationFactory(name="Trường Chính trị thành phố Đà Nẵng", short_code="DN")

    rows = html.rows(client_for(world.bob).get("/orgs/", {"q": "nang"}), "org-table")

    assert [row[0] for row in rows] == ["Trường Chính trị thành phố Đà Nẵng"]


def test_the_list_says_so_when_nothing_matches(world, client_for, html):
    rows = html.rows(client_for(world.bob).get("/orgs/", {"q": "zzz"}), "org-table")

    assert rows == [["Không tìm thấy đơn vị nào."]]


def test_the_htmx_search_answers_with_the_table_only(world, client_for, html):
    response = client_for(world.bob).get("/orgs/", {"q": "ca mau"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert "navbar" not in page
    assert "Trường Chính trị tỉnh Cà Mau" in page
    assert "Trường Chính trị tỉnh Bạc Liêu" not in page


def test_the_list_filters_by_kind(world, client_for, html):
    rows = html.rows(client_for(world.bob).get("/orgs/", {"kind": "academy"}), "org-table")

    assert [row[1] for row in rows] == ["HV"]


def test_the_list_pages_by_fifty(world, client_for, html):
    for i in range(60):
        OrganizationFactory(name=f"Đơn vị {i:02d}", short_code=f"U{i:02d}")

    first = client_for(world.bob).get("/orgs/")
    second = client_for(world.bob).get("/orgs/", {"page": 2})

    assert len(html.rows(first, "org-table")) == 50
    assert len(html.rows(second, "org-table")) == 14
    assert "Trang 2/2" in html.text(second)


def _many_organisations(size: int) -> None:
    for i in range(size):
        old = OrganizationFactory()
        new = OrganizationFactory(active_from=MERGER)
        Succession.objects.create(predecessor=old, successor=new, effective_date=MERGER)
        if i % 2:
            Succession.objects.create(predecessor=OrganizationFactory(), successor=new, effective_date=MERGER)


@pytest.mark.parametrize("size", [5, 40])
def test_the_list_costs_the_same_queries_whatever_the_number_of_organisations(
    world, client_for, django_assert_num_queries, size
):
    _many_organisations(size)
    client = client_for(world.bob)

    with django_assert_num_queries(8):
        response = client.get("/orgs/")

    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 40])
def test_the_htmx_search_costs_the_same_queries_whatever_the_number_of_organisations(
    world, client_for, django_assert_num_queries, size
):
    _many_organisations(size)
    client = client_for(world.bob)

    with django_assert_num_queries(8):
        response = client.get("/orgs/", {"q": "truong"}, headers={"HX-Request": "true"})

    assert response.status_code == 200


# --- detail -------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_organisation_and_its_memberships_year_by_year(world, client_for, html):
    response = client_for(world.frank).get("/orgs/a/")

    text = html.text(response)
    assert "Trường Chính trị tỉnh Tiền Giang Trường chính trị · A · Tiền Giang · … – nay" in text
    assert html.rows(response, "memberships") == [
        ["2021", "K", "Trường Chính trị tỉnh Tiền Giang", "Cụm phó"],
        ["2020", "K", "Trường Chính trị tỉnh Tiền Giang", "Cụm trưởng"],
    ]


def test_the_detail_page_answers_404_for_an_unknown_code(world, client_for):
    assert client_for(world.carol).get("/orgs/XYZ/").status_code == 404


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "alice"])
def test_the_detail_page_shows_profiles_and_history_to_those_who_may_see_them(world, client_for, html, persona):
    services.update_organization(actor=world.carol, organization=world.school_b, province="Cà Mau")

    response = client_for(getattr(world, persona)).get("/orgs/B/")

    assert [row[:9] for row in html.rows(response, "profiles")] == [
        ["2020", "B", "60", "48", "5", "38", "12", "3000", "40"]
    ]
    assert [row[1:3] for row in html.rows(response, "audit")] == [["Carol Lê", "organization.update"]]


@pytest.mark.parametrize("persona", ["frank", "erin", "gina"])
def test_the_detail_page_hides_profiles_and_history_from_others(world, gina, client_for, html, persona):
    services.update_organization(actor=world.carol, organization=world.school_b, province="Bí mật")
    user = gina if persona == "gina" else getattr(world, persona)

    response = client_for(user).get("/orgs/B/")

    assert response.status_code == 200
    assert not html.has(response, "profiles")
    assert not html.has(response, "audit")
    page = response.content.decode()
    assert "3000" not in page
    assert "organization.update" not in page
    assert "/orgs/B/profiles/2020/" not in page


def test_the_admin_sees_edit_links_others_do_not(world, client_for, html):
    admin = html.text(client_for(world.carol).get("/orgs/B/"))
    officer = html.text(client_for(world.bob).get("/orgs/B/"))

    assert "Sửa Thêm đơn vị tiền thân Thêm hồ sơ năm" in admin
    assert "Thêm đơn vị tiền thân" not in officer
    assert [row[-1] for row in html.rows(client_for(world.bob).get("/orgs/B/"), "profiles")] == [""]


@pytest.fixture
def merged(world):
    """Cà Mau (mới), formed on 01/07/2025 from B (Bạc Liêu) and C (Cà Mau), heads K in 2026."""
    cmm = OrganizationFactory(
        name="Trường Chính trị tỉnh Cà Mau (mới)", short_code="CMM", province="Cà Mau", active_from=MERGER
    )
    for old in (world.school_b, world.school_c):
        Succession.objects.create(predecessor=old, successor=cmm, effective_date=MERGER, note="Sáp nhập")
    make_cluster_year([cmm, world.school_a], head=cmm, cluster=world.cluster, year=2026)
    ProfileFactory(organization=cmm, year=2026, staff=99)
    return cmm


def test_a_merged_schools_page_shows_its_predecessors_memberships(world, merged, client_for, html):
    response = client_for(world.erin).get("/orgs/CMM/")

    assert "Kế thừa, sáp nhập" in html.text(response)
    assert html.text(response, "succession") == (
        "Kế thừa, sáp nhập Từ 01/07/2025 tiếp nhận Trường Chính trị tỉnh Bạc Liêu — Sáp nhập "
        "Từ 01/07/2025 tiếp nhận Trường Chính trị tỉnh Cà Mau — Sáp nhập"
    )
    assert html.rows(response, "memberships") == [
        ["2026", "K", "Trường Chính trị tỉnh Cà Mau (mới)", "Cụm trưởng"],
        ["2021", "K", "Trường Chính trị tỉnh Bạc Liêu", "Cụm trưởng"],
        ["2020", "K", "Trường Chính trị tỉnh Bạc Liêu", "Thành viên"],
        ["2020", "L", "Trường Chính trị tỉnh Cà Mau", "Cụm trưởng"],
    ]
    assert "(gồm cả các đơn vị tiền thân)" in html.text(response, "memberships")


def test_a_merged_schools_page_shows_its_predecessors_profiles_to_those_allowed(world, merged, client_for, html):
    response = client_for(world.dave).get("/orgs/CMM/")

    assert [row[:3] for row in html.rows(response, "profiles")] == [
        ["2026", "CMM", "99"],
        ["2020", "B", "60"],
        ["2020", "C", "60"],
    ]


def test_a_predecessors_page_points_to_its_successor(world, merged, client_for, html):
    response = client_for(world.bob).get("/orgs/B/")

    assert html.text(response, "succession") == (
        "Kế thừa, sáp nhập Từ 01/07/2025 sáp nhập vào Trường Chính trị tỉnh Cà Mau (mới)"
    )
    assert [row[0] for row in html.rows(response, "memberships")] == ["2021", "2020"]


def test_a_merged_schools_page_hides_profiles_from_a_predecessors_neighbour(world, merged, gina, client_for, html):
    response = client_for(gina).get("/orgs/CMM/")

    assert not html.has(response, "profiles")
    assert len(html.rows(response, "memberships")) == 4


@pytest.mark.parametrize("size", [5, 40])
def test_the_detail_page_costs_the_same_queries_whatever_the_lineage_and_history(
    world, client_for, html, django_assert_num_queries, size
):
    merged = OrganizationFactory(short_code="NEW")
    cluster = ClusterFactory()
    for year in range(2000, 2000 + size):
        old = OrganizationFactory()
        Succession.objects.create(predecessor=old, successor=merged, effective_date=MERGER)
        make_cluster_year([old, merged], head=old, cluster=cluster, year=year)
        ProfileFactory(organization=old, year=year)
        services.update_organization(actor=world.carol, organization=merged, province=f"Tỉnh {year}")
    client = client_for(world.carol)

    with django_assert_num_queries(11):
        response = client.get("/orgs/NEW/")

    assert len(html.rows(response, "memberships")) == 2 * size
    assert len(html.rows(response, "profiles")) == size
    assert len(html.rows(response, "audit")) == size


# --- create and edit ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_the_admin_may_create_or_edit_organisations(world, client_for, persona):
    client = client_for(getattr(world, persona))
    data = {"kind": "political_school", "name": "Trường Mạo Danh", "short_code": "MD", "version": 1}

    responses = [
        client.get("/orgs/new/"),
        client.post("/orgs/new/", data),
        client.get("/orgs/A/edit/"),
        client.post("/orgs/A/edit/", {**data, "short_code": "A"}),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert not Organization.objects.filter(name="Trường Mạo Danh").exists()


def test_the_admin_creates_an_organisation(world, client_for, html):
    response = client_for(world.carol).post(
        "/orgs/new/",
        {
            "kind": "political_school",
            "name": "Trường Chính trị tỉnh Đồng Tháp (mới)",
            "short_code": "dtm",
            "province": "Đồng Tháp",
            "active_from": "01/07/2025",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/orgs/DTM/", 302)]
    assert "Đã thêm đơn vị Trường Chính trị tỉnh Đồng Tháp (mới)." in html.text(response)
    org = Organization.objects.get(short_code="DTM")
    assert (org.name, org.province, org.active_from) == ("Trường Chính trị tỉnh Đồng Tháp (mới)", "Đồng Tháp", MERGER)
    assert [e.action for e in entries_for(org)] == ["organization.create"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"short_code": "D T"}, "Mã chỉ gồm chữ cái không dấu, chữ số, dấu - và _."),
        ({"active_from": "01/07/2025", "active_to": "30/06/2025"}, "Ngày kết thúc phải sau ngày bắt đầu hoạt động."),
        ({"active_from": "31/02/2025"}, "Nhập một ngày hợp lệ."),
        ({"name": ""}, "Trường này là bắt buộc."),
        ({"short_code": "b"}, "Đơn vị có Mã viết tắt đã tồn tại."),
    ],
)
def test_creating_an_organisation_with_bad_input_explains_and_saves_nothing(world, client_for, html, data, message):
    before = Organization.objects.count()
    form = {"kind": "political_school", "name": "Trường Mới", "short_code": "NEW", **data}

    response = client_for(world.carol).post("/orgs/new/", form)

    assert response.status_code == 200
    assert message in html.text(response)
    assert Organization.objects.count() == before


def test_submitting_the_new_organisation_form_twice_creates_it_once(world, client_for, html):
    client = client_for(world.carol)
    form = {"kind": "political_school", "name": "Trường Mới", "short_code": "NEW"}

    first = client.post("/orgs/new/", form)
    second = client.post("/orgs/new/", form)

    assert (first.status_code, second.status_code) == (302, 200)
    assert "Đơn vị có Mã viết tắt đã tồn tại." in html.text(second)
    assert Organization.objects.filter(short_code="NEW").count() == 1


def _edit_form(org: Organization, **changes: object) -> dict[str, object]:
    return {
        "kind": org.kind,
        "name": org.name,
        "short_code": org.short_code,
        "province": org.province,
        "active_from": "",
        "active_to": "",
        "version": org.version,
        **changes,
    }


def test_the_edit_form_opens_with_the_current_values_and_version(world, client_for):
    form = client_for(world.carol).get("/orgs/B/edit/").context["form"]

    assert form.initial["name"] == "Trường Chính trị tỉnh Bạc Liêu"
    assert form.initial["version"] == 1


def test_the_admin_edits_an_organisation(world, client_for, html):
    response = client_for(world.carol).post(
        "/orgs/B/edit/", _edit_form(world.school_b, active_to="30/06/2025"), follow=True
    )

    assert response.redirect_chain == [("/orgs/B/", 302)]
    assert "Đã lưu thay đổi." in html.text(response)
    world.school_b.refresh_from_db()
    assert (world.school_b.active_to, world.school_b.version) == (datetime.date(2025, 6, 30), 2)


def test_a_stale_edit_form_is_refused_without_overwriting(world, client_for, html):
    stale = _edit_form(world.school_b, name="Tên đè lên")
    services.update_organization(actor=world.carol, organization=world.school_b, province="Cà Mau")

    response = client_for(world.carol).post("/orgs/B/edit/", stale)

    assert response.status_code == 200
    assert "“Trường Chính trị tỉnh Bạc Liêu” đã được người khác sửa sau khi bạn mở biểu mẫu này." in html.text(response)
    world.school_b.refresh_from_db()
    assert (world.school_b.name, world.school_b.province, world.school_b.version) == (
        "Trường Chính trị tỉnh Bạc Liêu",
        "Cà Mau",
        2,
    )


def test_editing_with_bad_input_explains_and_changes_nothing(world, client_for, html):
    response = client_for(world.carol).post("/orgs/B/edit/", _edit_form(world.school_b, short_code="A"))

    assert "Đơn vị có Mã viết tắt đã tồn tại." in html.text(response)
    world.school_b.refresh_from_db()
    assert (world.school_b.short_code, world.school_b.version) == ("B", 1)


# --- succession ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_the_admin_may_record_or_remove_a_succession(world, merged, client_for, persona):
    client = client_for(getattr(world, persona))
    succession = Succession.objects.get(predecessor=world.school_b)

    responses = [
        client.get("/orgs/CMM/predecessors/add/"),
        client.post("/orgs/CMM/predecessors/add/", {"predecessor": world.school_a.pk, "effective_date": "01/07/2025"}),
        client.post(f"/orgs/CMM/predecessors/{succession.pk}/delete/"),
    ]

    assert [r.status_code for r in responses] == [403] * 3
    assert Succession.objects.filter(successor=merged).count() == 2


def test_the_admin_records_a_predecessor(world, client_for, html):
    cmm = OrganizationFactory(short_code="CMM", name="Trường Chính trị tỉnh Cà Mau (mới)")

    response = client_for(world.carol).post(
        "/orgs/CMM/predecessors/add/",
        {"predecessor": world.school_b.pk, "effective_date": "01/07/2025", "note": "Nghị quyết 202/2025/QH15"},
        follow=True,
    )

    assert response.redirect_chain == [("/orgs/CMM/", 302)]
    assert "Đã ghi nhận đơn vị tiền thân." in html.text(response)
    succession = Succession.objects.get(successor=cmm)
    assert (succession.predecessor, succession.effective_date, succession.note) == (
        world.school_b,
        MERGER,
        "Nghị quyết 202/2025/QH15",
    )


@pytest.mark.parametrize(
    ("predecessor", "message"),
    [
        ("CMM", "Một đơn vị không thể kế thừa chính nó."),
        ("B", "Quan hệ kế thừa này đã có."),
    ],
)
def test_recording_a_bad_predecessor_explains_and_saves_nothing(world, merged, client_for, html, predecessor, message):
    org = Organization.objects.get(short_code=predecessor)

    response = client_for(world.carol).post(
        "/orgs/CMM/predecessors/add/", {"predecessor": org.pk, "effective_date": "01/07/2025"}
    )

    assert response.status_code == 200
    assert message in html.text(response)
    assert Succession.objects.count() == 2


def test_recording_a_cycle_of_succession_is_refused(world, merged, client_for, html):
    response = client_for(world.carol).post(
        "/orgs/B/predecessors/add/", {"predecessor": merged.pk, "effective_date": "01/07/2025"}
    )

    assert "không thể tạo vòng kế thừa" in html.text(response)
    assert not Succession.objects.filter(successor=world.school_b).exists()


def test_the_admin_removes_a_succession(world, merged, client_for, html):
    succession = Succession.objects.get(predecessor=world.school_b)

    response = client_for(world.carol).post(
        f"/orgs/CMM/predecessors/{succession.pk}/delete/", {"reason": "nhầm"}, follow=True
    )

    assert response.redirect_chain == [("/orgs/CMM/", 302)]
    assert "Đã xóa quan hệ kế thừa." in html.text(response)
    assert list(Succession.objects.filter(successor=merged).values_list("predecessor__short_code", flat=True)) == ["C"]
    assert entries_for(merged).first().reason == "nhầm"


def test_removing_a_succession_needs_a_post_to_the_successors_address(world, merged, client_for):
    succession = Succession.objects.get(predecessor=world.school_b)
    client = client_for(world.carol)

    by_get = client.get(f"/orgs/CMM/predecessors/{succession.pk}/delete/")
    elsewhere = client.post(f"/orgs/A/predecessors/{succession.pk}/delete/")

    assert (by_get.status_code, elsewhere.status_code) == (405, 404)
    assert Succession.objects.filter(pk=succession.pk).exists()


def test_the_list_page_links_keep_the_search_and_the_kind(world, client_for, html):
    for i in range(55):
        OrganizationFactory(name=f"Trường {i:02d}", short_code=f"U{i:02d}", kind="other")

    response = client_for(world.bob).get("/orgs/", {"q": "truong", "kind": "other"})
    second = client_for(world.bob).get("/orgs/", {"q": "truong", "kind": "other", "page": 2})

    assert 'href="?q=truong&amp;kind=other&amp;page=2"' in response.content.decode()
    assert [row[0] for row in html.rows(second, "org-table")] == [f"Trường {i}" for i in range(50, 55)]
