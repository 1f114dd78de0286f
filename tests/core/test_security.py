"""A strict Content-Security-Policy on every page, and pages that need nothing looser."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/audit/",
    "/accounts/me/",
    "/accounts/users/",
    "/accounts/users/new/",
    "/accounts/password/",
    "/orgs/",
    "/orgs/new/",
    "/orgs/A/",
    "/orgs/A/edit/",
    "/orgs/A/profiles/2020/",
    "/clusters/",
    "/clusters/K/",
    "/clusters/K/years/2020/",
    "/clusters/K/years/2020/edit/",
]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_strict_csp_without_unsafe_inline(world, client_for, path):
    response = client_for(world.carol).get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_no_inline_script_or_style_that_the_policy_would_block(world, client_for, path):
    page = client_for(world.carol).get(path).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts, "the page loads its scripts"
    assert all(" src=" in tag for tag in scripts)
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)  # no onclick= and friends


def test_the_login_page_sends_the_strict_csp_to_anonymous_visitors(client):
    response = client.get("/accounts/login/")

    assert directives(response)["script-src"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_api_docs_page_allows_inline_styles_for_swagger_ui_but_never_inline_scripts(world, client_for):
    response = client_for(world.carol).get("/api/v1/docs/")

    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]


def test_pages_may_not_be_framed_or_sniffed(world, client_for):
    response = client_for(world.carol).get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_deployment_check_reports_nothing_with_production_settings(settings, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")  # set for the browser tests only
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 20 + "production-like-secret-key-with-enough-entropy-" + "y" * 20
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    out = StringIO()

    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)

    assert "no issues" in out.getvalue()
