"""API authentication by token, and the OpenAPI schema and its documentation page."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from django.test import Client
from rest_framework.authtoken.models import Token

from thidua.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_a_token_signs_a_client_in_without_a_session(world, client):
    token = Token.objects.create(user=world.frank)

    response = client.get("/api/v1/organizations/C/", headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 200
    assert response.json()["name"] == "Trường Chính trị tỉnh Cà Mau"


def test_a_token_carries_its_users_permissions_only(world, client):
    token = Token.objects.create(user=world.frank)

    response = client.post(
        "/api/v1/organizations/",
        {"short_code": "X", "name": "Trường X", "kind": "political_school"},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )

    assert response.status_code == 403
    assert not Organization.objects.filter(short_code="X").exists()


def test_the_admins_token_writes_without_a_csrf_token(world):
    token = Token.objects.create(user=world.carol)
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/organizations/",
        {"short_code": "X", "name": "Trường X", "kind": "political_school"},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )

    assert response.status_code == 201
    assert Organization.objects.get(short_code="X").name == "Trường X"


def test_a_session_write_without_a_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.carol)

    response = client.post(
        "/api/v1/organizations/",
        {"short_code": "X", "name": "Trường X", "kind": "political_school"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not Organization.objects.filter(short_code="X").exists()


def test_an_unknown_token_is_refused(world, client):
    response = client.get("/api/v1/organizations/", headers={"Authorization": "Token not-a-real-token"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Token không hợp lệ."}


def test_an_inactive_users_token_is_refused(world, client):
    token = Token.objects.create(user=world.frank)
    world.frank.is_active = False
    world.frank.save()

    response = client.get("/api/v1/organizations/", headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 401


def test_the_schema_is_an_openapi_3_document_describing_every_endpoint(world, client_for):
    response = client_for(world.bob).get("/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Thi đua API"
    assert {
        "/api/v1/organizations/",
        "/api/v1/organizations/{short_code}/",
        "/api/v1/successions/",
        "/api/v1/successions/{id}/",
        "/api/v1/profiles/",
        "/api/v1/profiles/{id}/",
        "/api/v1/clusters/",
        "/api/v1/clusters/{code}/",
        "/api/v1/cluster-years/",
        "/api/v1/cluster-years/{id}/",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/cluster-years/"]) == {"get", "post"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_is_available_as_json(world, client_for):
    response = client_for(world.bob).get("/api/v1/schema/", {"format": "json"})

    assert json.loads(response.content)["openapi"].startswith("3.")


def test_the_docs_page_is_html_served_from_the_application_itself(world, client_for):
    response = client_for(world.bob).get("/api/v1/docs/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "<title>Thi đua API</title>" in page
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(src.startswith("/") for src in sources), sources  # no CDN
