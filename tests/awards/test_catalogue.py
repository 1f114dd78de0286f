"""Each award names its title in the criteria framework (danh hiệu tương ứng trong bảng tiêu
chí): the default list carries it, a fresh catalogue has it, and the Academy edits it in the
pages and the API."""

from __future__ import annotations

import pytest
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


def test_every_flag_maps_to_the_flag_and_every_certificate_to_the_certificate():
    assert {spec["code"]: spec["framework_title"] for spec in AWARD_LIST} == EXPECTED


@pytest.mark.django_db
def test_installing_the_default_list_sets_the_titles():
    services.install_award_list(actor=None)
    assert dict(Award.objects.values_list("code", "framework_title")) == EXPECTED


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
