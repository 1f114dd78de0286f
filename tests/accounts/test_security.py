"""Sign-in security: demo accounts only in demo mode, and throttled password guessing."""

from __future__ import annotations

import pytest

from tests.factories.accounts import PASSWORD, UserFactory
from thidua.accounts.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_lists_no_demo_account_outside_demo_mode(settings, client, html):
    settings.DEMO_MODE = False

    response = client.get("/accounts/login/")

    text = html.text(response)
    assert "Tài khoản dùng thử" not in text
    assert DEMO_PASSWORD not in text
    assert "quantri" not in text


def test_the_login_page_lists_one_demo_account_per_role_in_demo_mode(settings, client, html):
    settings.DEMO_MODE = True

    response = client.get("/accounts/login/")

    text = html.text(response)
    assert f"Mật khẩu chung cho mọi tài khoản: {DEMO_PASSWORD}" in text
    rows = html.rows(response, "main")
    assert [row[0] for row in rows] == [a["username"] for a in DEMO_ACCOUNTS]
    assert rows[0] == ["quantri", "Quản trị hệ thống (Học viện)"]


def test_the_sixth_attempt_after_five_wrong_passwords_is_refused_even_when_right(client, html):
    UserFactory(username="alice")
    failures = [
        client.post("/accounts/login/", {"username": "alice", "password": f"sai-{i}"}).status_code for i in range(5)
    ]

    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert failures[:4] == [200] * 4
    assert response.status_code == 429
    assert "Bạn đã nhập sai mật khẩu quá nhiều lần." in html.text(response)
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_for_one_username_do_not_lock_out_another(client):
    UserFactory(username="alice")
    UserFactory(username="bob")
    for i in range(5):
        client.post("/accounts/login/", {"username": "alice", "password": f"sai-{i}"})

    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_four_wrong_passwords_still_allow_the_right_one(client):
    alice = UserFactory(username="alice")
    for i in range(4):
        client.post("/accounts/login/", {"username": "alice", "password": f"sai-{i}"})

    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
