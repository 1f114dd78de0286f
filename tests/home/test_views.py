"""The home page (trang chủ)."""

from __future__ import annotations

import pytest

from tests.factories.accounts import UserFactory
from thidua.accounts.roles import roleset
from thidua.home import queries

pytestmark = pytest.mark.django_db


def test_home_redirects_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_greets_a_school_officer_with_their_roles_cluster_and_school(world, client_for, html):
    response = client_for(world.alice).get("/")

    text = html.text(response)
    assert "Xin chào, Alice Nguyễn" in text
    assert "Vai trò của bạn: Thường trực Cụm Cán bộ thi đua trường" in text
    assert "Cụm thi đua của bạn Cụm thi đua K (K) Đơn vị của bạn" in text
    assert "Đơn vị của bạn Trường Chính trị tỉnh Tiền Giang" in text
    assert "Cụm thi đua L" not in text


def test_home_lists_only_the_cluster_of_an_officer_of_another_cluster(world, client_for, html):
    text = html.text(client_for(world.frank).get("/"))

    assert "Cụm thi đua của bạn Cụm thi đua L (L) Đơn vị của bạn Trường Chính trị tỉnh Cà Mau" in text
    assert "Cụm thi đua K" not in text


@pytest.mark.parametrize(("persona", "role"), [("carol", "Quản trị hệ thống"), ("erin", "Quan sát viên")])
def test_home_lists_every_cluster_for_the_admin_and_the_observer(world, client_for, html, persona, role):
    text = html.text(client_for(getattr(world, persona)).get("/"))

    assert f"Vai trò của bạn: {role}" in text
    assert "Cụm thi đua của bạn Cụm thi đua K (K) Cụm thi đua L (L) Đơn vị của bạn" in text
    assert "Bạn không thuộc đơn vị thành viên nào." in text


def test_home_tells_a_user_without_roles_they_have_none(db, client_for, html):
    text = html.text(client_for(UserFactory(full_name="Người Mới")).get("/"))

    assert "Vai trò của bạn: chưa được phân quyền" in text
    assert "Không có cụm nào." in text


def test_home_clusters_follow_the_users_roles(world, gina):
    def codes(user):
        return [c.code for c in queries.clusters_for_home(roleset(user))]

    assert codes(world.carol) == codes(world.dave) == codes(world.erin) == ["K", "L"]
    assert codes(world.alice) == codes(world.bob) == codes(gina) == ["K"]
    assert codes(world.frank) == ["L"]


def test_organizations_by_ids_are_in_vietnamese_order(world):
    ids = [world.school_a.pk, world.school_b.pk]

    assert [o.short_code for o in queries.organizations_by_ids(ids)] == ["B", "A"]
