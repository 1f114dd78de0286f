"""Each award names its title in the criteria framework (danh hiệu tương ứng trong bảng tiêu
chí): the default list carries it, migration 0003 fills it into awards already installed, and
the Academy edits it in the pages and the API."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from thidua.awards import services
from thidua.awards.catalogue import AWARD_LIST
from thidua.awards.models import Award

EXPECTED = {
    "co-hoc-vien": "Cờ thi đua",
    "bang-khen-giam-doc": "Bằng khen",
    "co-ubnd-tinh": "Cờ thi đua",
    "bang-khen-ubnd-tinh": "Bằng khen",
    "bang-khen-thu-tuong": "Bằng khen",
    "co-chinh-phu": "Cờ thi đua",
    "huan-chuong-lao-dong-3": "",
}

migration = importlib.import_module("thidua.awards.migrations.0003_award_framework_title")


def test_every_flag_maps_to_the_flag_and_every_certificate_to_the_certificate():
    assert {spec["code"]: spec["framework_title"] for spec in AWARD_LIST} == EXPECTED
    assert {code: title for code, title in EXPECTED.items() if title} == migration.CATALOGUE_TITLES


@pytest.mark.django_db
def test_installing_the_default_list_sets_the_titles():
    services.install_award_list(actor=None)
    assert dict(Award.objects.values_list("code", "framework_title")) == EXPECTED


@pytest.mark.django_db
def test_the_data_migration_fills_blank_titles_of_the_default_awards_only():
    Award.objects.create(code="co-hoc-vien", name="Cờ thi đua của Học viện", level="academy")
    Award.objects.create(code="bang-khen-thu-tuong", name="Bằng khen của Thủ tướng", level="government")
    Award.objects.create(code="co-chinh-phu", name="Cờ thi đua của Chính phủ", level="government", framework_title="Cờ")
    Award.objects.create(code="co-bo", name="Cờ thi đua của Bộ", level="government")

    migration.fill_framework_titles(apps, None)

    assert dict(Award.objects.values_list("code", "framework_title")) == {
        "co-hoc-vien": "Cờ thi đua",
        "bang-khen-thu-tuong": "Bằng khen",
        "co-chinh-phu": "Cờ",  # set by the Academy: kept
        "co-bo": "",  # not in the default list: left for the Academy to map
    }


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_fills_the_awards_installed_before():
    executor = MigrationExecutor(connection)
    before, after = [("awards", "0002_initial")], [("awards", "0003_award_framework_title")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("awards", "Award")
        old.objects.create(code="co-ubnd-tinh", name="Cờ thi đua của Ủy ban nhân dân tỉnh", level="province")
        old.objects.create(code="bang-khen-ubnd-tinh", name="Bằng khen của Chủ tịch", level="province")
        executor.loader.build_graph()
        executor.migrate(after)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert dict(Award.objects.values_list("code", "framework_title")) == {
        "co-ubnd-tinh": "Cờ thi đua",
        "bang-khen-ubnd-tinh": "Bằng khen",
    }


@pytest.mark.django_db
def test_the_academy_edits_the_title_in_the_pages_and_the_api(world, client_for, fast_password_hashing):
    services.install_award_list(actor=None)
    award = Award.objects.get(code="huan-chuong-lao-dong-3")
    client = client_for(world.dave)
    page = client.get(reverse("awards:award_edit", args=[award.pk]))
    assert page.context["form"]["framework_title"].value() == ""
    data = {"code": award.code, "name": award.name, "level": award.level, "consecutive_years": 2}
    data |= {"prerequisite": award.prerequisite_id, "framework_title": "  Huân chương  ", "is_active": "on"}

    response = client.post(reverse("awards:award_edit", args=[award.pk]), data)

    award.refresh_from_db()
    assert (response.status_code, award.framework_title) == (302, "Huân chương")
    assert '<td class="award-framework-title">Huân chương</td>' in client.get(reverse("awards:index")).content.decode()
    api = client.patch(
        f"/api/v1/awards/{award.code}/", {"framework_title": "Cờ thi đua"}, content_type="application/json"
    )
    assert (api.status_code, api.json()["framework_title"]) == (200, "Cờ thi đua")
    award.refresh_from_db()
    assert award.framework_title == "Cờ thi đua"
    assert client_for(world.bob).get("/api/v1/awards/co-hoc-vien/").json()["framework_title"] == "Cờ thi đua"
