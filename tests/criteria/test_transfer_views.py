"""The import page and the YAML/XLSX downloads of a framework."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.criteria import importexport
from thidua.criteria.builtin import ensure_reference_template
from thidua.criteria.models import Framework

pytestmark = pytest.mark.django_db


def test_academy_staff_imports_the_reference_yaml_as_a_draft(world, client_for):
    template = ensure_reference_template()
    data = importexport.export_yaml(template)
    client = client_for(world.dave)
    before = Framework.objects.count()

    response = client.post(
        "/criteria/import/", {"file": SimpleUploadedFile("bang.yaml", data), "cluster": "", "year": ""}
    )

    assert Framework.objects.count() == before + 1
    created = Framework.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/criteria/{created.pk}/"
    assert created.status == "draft"
    assert created.nodes.count() == template.nodes.count()


def test_a_bad_file_imports_nothing_and_lists_every_problem(world, client_for):
    client = client_for(world.dave)
    before = Framework.objects.count()
    bad = b"framework:\n  name: X\n  total: muoi\ngroups: []\n"

    response = client.post("/criteria/import/", {"file": SimpleUploadedFile("bang.yaml", bad)})

    assert Framework.objects.count() == before
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="import-problems"' in body
    assert "total" in body


def test_an_observer_cannot_open_the_import_page(world, client_for):
    response = client_for(world.erin).get("/criteria/import/")
    assert response.status_code == 403


def test_the_framework_downloads_as_xlsx_and_yaml_attachments_with_nosniff(world, client_for):
    template = ensure_reference_template()
    client = client_for(world.bob)

    xlsx = client.get(f"/criteria/{template.pk}/export/xlsx/")
    yaml_response = client.get(f"/criteria/{template.pk}/export/yaml/")

    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx["Content-Disposition"].startswith("attachment;")
    assert xlsx["X-Content-Type-Options"] == "nosniff"
    assert xlsx.content[:2] == b"PK"
    assert yaml_response["Content-Disposition"].endswith('.yaml"')
    assert "Tỷ lệ học viên tốt nghiệp loại khá, giỏi" in yaml_response.content.decode()


def test_another_clusters_draft_cannot_be_exported(world, client_for):
    from thidua.criteria import services

    draft = services.create_framework(actor=None, name="Nháp cụm L", total=100, cluster=world.other_cluster, year=2020)

    response = client_for(world.bob).get(f"/criteria/{draft.pk}/export/yaml/")

    assert response.status_code == 404
