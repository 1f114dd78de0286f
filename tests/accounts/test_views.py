"""Account pages: sign-in and out, own profile and password, and the admin's user management."""

from __future__ import annotations

import pytest

from tests.factories.accounts import PASSWORD, UserFactory, grant
from tests.factories.organizations import OrganizationFactory
from thidua.accounts import services
from thidua.accounts.models import Role, RoleAssignment, User
from thidua.core.audit import entries_for

pytestmark = pytest.mark.django_db

LOGIN_REQUIRED = [
    "/accounts/me/",
    "/accounts/password/",
    "/accounts/password/done/",
    "/accounts/users/",
    "/accounts/users/new/",
    "/accounts/users/1/",
]


@pytest.mark.parametrize("path", LOGIN_REQUIRED)
def test_account_pages_send_anonymous_visitors_to_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


# --- signing in and out ---------------------------------------------------------------------


def test_the_login_page_shows_the_sign_in_form(client, html):
    response = client.get("/accounts/login/")

    text = html.text(response)
    assert "Đăng nhập Tên đăng nhập Mật khẩu Đăng nhập" in text
    assert "Tài khoản dùng thử" not in text


def test_signing_in_with_the_right_password_opens_the_home_page(world, client):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world.alice.pk)


def test_signing_in_follows_the_next_page(world, client):
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD, "next": "/clusters/K/"})

    assert response["Location"] == "/clusters/K/"


def test_signing_in_never_follows_a_next_page_on_another_site(world, client):
    response = client.post(
        "/accounts/login/", {"username": "bob", "password": PASSWORD, "next": "https://evil.example/steal"}
    )

    assert response["Location"] == "/"


def test_signing_in_with_a_wrong_password_says_so_and_does_not_sign_in(world, client, html):
    response = client.post("/accounts/login/", {"username": "alice", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác." in html.text(response)
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_is_sent_home_from_the_login_page(world, client_for):
    response = client_for(world.alice).get("/accounts/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signing_out_needs_a_post(world, client_for):
    client = client_for(world.alice)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(world.alice.pk)


def test_signing_out_ends_the_session(world, client_for):
    client = client_for(world.alice)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


# --- own profile and password ------------------------------------------------------------------


def test_my_account_shows_my_name_school_and_grants(world, client_for, html):
    response = client_for(world.alice).get("/accounts/me/")

    text = html.text(response)
    assert "Họ và tên Alice Nguyễn Tên đăng nhập alice Đơn vị công tác Trường Chính trị tỉnh Tiền Giang" in text
    assert html.rows(response, "main") == [
        ["Cán bộ thi đua trường", "Trường Chính trị tỉnh Tiền Giang", "—", "mọi năm"]
    ]
    assert "Thu hồi" not in text


def test_changing_my_password_needs_the_old_one(world, client_for, html):
    client = client_for(world.bob)

    response = client.post(
        "/accounts/password/",
        {"old_password": "khong-dung", "new_password1": "mat-khau-moi-2026!", "new_password2": "mat-khau-moi-2026!"},
    )

    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác. Hãy nhập lại lần nữa" in html.text(response)
    world.bob.refresh_from_db()
    assert world.bob.check_password(PASSWORD) is True


def test_changing_my_password_saves_the_new_one(world, client_for, html):
    client = client_for(world.bob)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "mat-khau-moi-2026!", "new_password2": "mat-khau-moi-2026!"},
        follow=True,
    )

    assert response.redirect_chain == [("/accounts/password/done/", 302)]
    assert "Mật khẩu của bạn đã được đổi." in html.text(response)
    world.bob.refresh_from_db()
    assert world.bob.check_password("mat-khau-moi-2026!") is True


# --- the admin's user management ----------------------------------------------------------------

ADMIN_ONLY_GETS = ["/accounts/users/", "/accounts/users/new/"]


@pytest.mark.parametrize("persona", ["alice", "bob", "dave", "erin", "frank"])
@pytest.mark.parametrize("path", ADMIN_ONLY_GETS)
def test_user_management_is_forbidden_to_everyone_but_the_admin(world, client_for, persona, path):
    response = client_for(getattr(world, persona)).get(path)

    assert response.status_code == 403
    assert b"carol" not in response.content


@pytest.mark.parametrize("persona", ["alice", "dave", "erin"])
def test_a_non_admin_cannot_see_or_change_a_users_grants(world, client_for, persona):
    client = client_for(getattr(world, persona))
    url = f"/accounts/users/{world.bob.pk}/"

    seen = client.get(url)
    granted = client.post(url, {"role": Role.ADMIN})
    revoked = client.post(f"{url}roles/{world.bob.role_assignments.get().pk}/revoke/")
    created = client.post("/accounts/users/new/", {"username": "ke.gian", "full_name": "Kẻ Gian"})

    assert [seen.status_code, granted.status_code, revoked.status_code, created.status_code] == [403] * 4
    assert b"Bob" not in seen.content
    assert not RoleAssignment.objects.filter(user=world.bob, role=Role.ADMIN).exists()
    assert world.bob.role_assignments.count() == 1
    assert not User.objects.filter(username="ke.gian").exists()


def test_user_list_shows_each_user_with_school_and_grants(world, client_for, html):
    response = client_for(world.carol).get("/accounts/users/")

    rows = html.rows(response, "main")
    assert rows == [
        ["alice", "Alice Nguyễn", "Trường Chính trị tỉnh Tiền Giang", "Cán bộ thi đua trường (A)"],
        ["bob", "Bob Trần", "Trường Chính trị tỉnh Bạc Liêu", "Cán bộ thi đua trường (B)"],
        ["carol", "Carol Lê", "—", "Quản trị hệ thống"],
        ["dave", "Dave Phạm", "Học viện Chính trị quốc gia Hồ Chí Minh", "Cán bộ Học viện (HV)"],
        ["erin", "Erin Võ", "—", "Quan sát viên"],
        ["frank", "Frank Đỗ", "Trường Chính trị tỉnh Cà Mau", "Cán bộ thi đua trường (C)"],
    ]


@pytest.mark.parametrize(
    ("q", "usernames"),
    [("fra", ["frank"]), ("bac lieu", ["bob"]), ("Tiền Giang", ["alice"]), ("hoc vien", ["dave"])],
)
def test_user_list_finds_users_by_username_or_school_without_diacritics(world, client_for, html, q, usernames):
    response = client_for(world.carol).get("/accounts/users/", {"q": q})

    assert [row[0] for row in html.rows(response, "main")] == usernames


@pytest.mark.parametrize("size", [5, 40])
def test_user_list_costs_the_same_queries_whatever_the_number_of_users(
    world, client_for, django_assert_num_queries, size
):
    for _ in range(size):
        user = UserFactory(password=None, organization=OrganizationFactory())
        grant(user, Role.SCHOOL_OFFICER, organization=user.organization)
        grant(user, Role.REVIEWER, organization=user.organization, cluster=world.cluster, year=2020)
    client = client_for(world.carol)

    with django_assert_num_queries(6):
        response = client.get("/accounts/users/")

    assert response.status_code == 200


def test_the_new_user_form_lists_its_fields(world, client_for, html):
    text = html.text(client_for(world.carol).get("/accounts/users/new/"))

    for label in ("Tên đăng nhập", "Họ và tên", "Thư điện tử", "Chức vụ", "Đơn vị công tác", "Mật khẩu ban đầu"):
        assert label in text


def test_creating_a_user_saves_them_and_opens_their_page(world, client_for, html):
    response = client_for(world.carol).post(
        "/accounts/users/new/",
        {
            "username": "canbo.dt",
            "full_name": "Nguyễn Thị Đào",
            "email": "dao@example.vn",
            "organization": world.school_a.pk,
            "password": "mat-khau-rat-dai-2026",
        },
        follow=True,
    )

    user = User.objects.get(username="canbo.dt")
    assert response.redirect_chain == [(f"/accounts/users/{user.pk}/", 302)]
    assert "Đã tạo người dùng canbo.dt." in html.text(response)
    assert user.organization == world.school_a
    assert user.check_password("mat-khau-rat-dai-2026") is True
    assert [e.action for e in entries_for(user)] == ["user.create"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "có dấu", "full_name": "X"}, "Chỉ dùng chữ không dấu, số và các ký tự . @ + - _"),
        ({"username": "cán.bộ", "full_name": "X"}, "Chỉ dùng chữ không dấu, số và các ký tự . @ + - _"),
        ({"username": "x", "full_name": ""}, "Trường này là bắt buộc."),
        ({"username": "x", "full_name": "X", "password": "12345678901"}, "Mật khẩu này hoàn toàn là số."),
        ({"username": "x", "full_name": "X", "password": "ngan"}, "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ({"username": "ALICE", "full_name": "X"}, "Tên đăng nhập “ALICE” đã có người dùng."),
    ],
)
def test_creating_a_user_with_bad_input_explains_and_saves_nothing(world, client_for, html, data, message):
    before = User.objects.count()

    response = client_for(world.carol).post("/accounts/users/new/", data)

    assert response.status_code == 200
    assert message in html.text(response)
    assert User.objects.count() == before


def test_submitting_the_new_user_form_twice_creates_one_user(world, client_for, html):
    client = client_for(world.carol)
    data = {"username": "canbo.dt", "full_name": "Nguyễn Thị Đào"}

    first = client.post("/accounts/users/new/", data)
    second = client.post("/accounts/users/new/", data)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Tên đăng nhập “canbo.dt” đã có người dùng." in html.text(second)
    assert User.objects.filter(username="canbo.dt").count() == 1


def test_a_users_page_shows_grants_and_their_history(world, client_for, html):
    services.grant_role(
        actor=world.carol, user=world.bob, role=Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2020
    )

    response = client_for(world.carol).get(f"/accounts/users/{world.bob.pk}/")

    text = html.text(response)
    assert "Bob Trần (bob)" in text
    assert "Đơn vị công tác: Trường Chính trị tỉnh Bạc Liêu" in text
    assert [row[:4] for row in html.rows(response, "main")[:2]] == [
        ["Thường trực Cụm", "—", "K", "2020"],
        ["Cán bộ thi đua trường", "Trường Chính trị tỉnh Bạc Liêu", "—", "mọi năm"],
    ]
    # the data reads in key order, whatever order the database keeps JSON keys in
    assert [row[1:] for row in html.rows(response, "audit")] == [
        ["Carol Lê", "role.grant", "cluster: Cụm thi đua K organization: None role: cluster_secretariat year: 2020"],
    ]


def test_a_users_page_answers_404_for_an_unknown_user(world, client_for):
    assert client_for(world.carol).get("/accounts/users/999999/").status_code == 404


def test_granting_a_role_on_a_users_page_saves_it(world, client_for, html):
    response = client_for(world.carol).post(
        f"/accounts/users/{world.erin.pk}/",
        {"role": Role.CLUSTER_SECRETARIAT, "cluster": world.cluster.pk, "year": 2021},
        follow=True,
    )

    assert response.redirect_chain == [(f"/accounts/users/{world.erin.pk}/", 302)]
    assert "Đã phân quyền." in html.text(response)
    assert RoleAssignment.objects.filter(
        user=world.erin, role=Role.CLUSTER_SECRETARIAT, cluster=world.cluster, year=2021
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": Role.SCHOOL_OFFICER}, "Vai trò “Cán bộ thi đua trường” cần chọn đơn vị."),
        ({"role": Role.CLUSTER_SECRETARIAT, "year": 2020}, "Vai trò Thường trực Cụm cần chọn cụm."),
        (
            {"role": Role.CLUSTER_SECRETARIAT, "cluster": 1, "year": 1999},
            "Đảm bảo giá trị này lớn hơn hoặc bằng với 2000",
        ),
        ({"role": "king"}, "Hãy chọn một lựa chọn hợp lệ. king không phải là một trong các lựa chọn khả thi."),
    ],
)
def test_granting_an_incomplete_role_explains_and_saves_nothing(world, client_for, html, data, message):
    response = client_for(world.carol).post(f"/accounts/users/{world.erin.pk}/", data)

    assert response.status_code == 200
    assert message in html.text(response)
    assert world.erin.role_assignments.count() == 1


def test_submitting_the_same_grant_twice_saves_it_once(world, client_for, html):
    client = client_for(world.carol)
    data = {"role": Role.SCHOOL_LEADER, "organization": world.school_b.pk}

    first = client.post(f"/accounts/users/{world.bob.pk}/", data)
    second = client.post(f"/accounts/users/{world.bob.pk}/", data)

    assert (first.status_code, second.status_code) == (302, 200)
    assert "Người dùng đã có đúng phân quyền này." in html.text(second)
    assert world.bob.role_assignments.filter(role=Role.SCHOOL_LEADER).count() == 1


def test_revoking_a_grant_removes_it_and_records_why(world, client_for, html):
    assignment = world.alice.role_assignments.get()

    response = client_for(world.carol).post(
        f"/accounts/users/{world.alice.pk}/roles/{assignment.pk}/revoke/", {"reason": "nghỉ hưu"}, follow=True
    )

    assert response.redirect_chain == [(f"/accounts/users/{world.alice.pk}/", 302)]
    assert "Đã thu hồi phân quyền." in html.text(response)
    assert not world.alice.role_assignments.exists()
    assert entries_for(world.alice).get().reason == "nghỉ hưu"


def test_revoking_needs_a_post(world, client_for):
    assignment = world.alice.role_assignments.get()

    response = client_for(world.carol).get(f"/accounts/users/{world.alice.pk}/roles/{assignment.pk}/revoke/")

    assert response.status_code == 405
    assert world.alice.role_assignments.exists()


def test_revoking_another_users_grant_through_the_wrong_address_finds_nothing(world, client_for):
    bobs = world.bob.role_assignments.get()

    response = client_for(world.carol).post(f"/accounts/users/{world.alice.pk}/roles/{bobs.pk}/revoke/")

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=bobs.pk).exists()
