"""Yearly profile pages: private to the school, its secretariat, the Academy and the admin."""

from __future__ import annotations

import pytest

from thidua.organizations import services
from thidua.organizations.models import OrganizationProfile

pytestmark = pytest.mark.django_db

NON_ADMINS = ["alice", "bob", "dave", "erin", "frank"]


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "alice"])
def test_a_profile_page_shows_the_size_measures_to_those_who_may_see_them(world, client_for, html, persona):
    response = client_for(getattr(world, persona)).get("/orgs/B/profiles/2020/")

    assert html.text(response) == (
        "B 2020 Trường Chính trị tỉnh Bạc Liêu — hồ sơ năm 2020 "
        "Tổng số cán bộ, viên chức 60 Giảng viên 48 Giảng viên có trình độ tiến sĩ 5 "
        "Giảng viên có trình độ thạc sĩ 38 Giảng viên chính, cao cấp 12 Lượt học viên 3000 Số lớp 40"
    )


@pytest.mark.parametrize("persona", ["frank", "erin", "gina"])
def test_a_profile_page_is_not_found_for_those_who_may_not_see_it(world, gina, client_for, persona):
    user = gina if persona == "gina" else getattr(world, persona)

    response = client_for(user).get("/orgs/B/profiles/2020/")

    assert response.status_code == 404
    assert "Bạc Liêu" not in response.content.decode()


def test_a_missing_profile_year_is_not_found(world, client_for):
    assert client_for(world.bob).get("/orgs/B/profiles/2019/").status_code == 404


PROFILE = {
    "staff": 70,
    "lecturers": 56,
    "lecturers_phd": 6,
    "lecturers_master": 44,
    "principal_lecturers": 15,
    "trainees": 3200,
    "classes": 45,
}


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_the_admin_may_create_or_edit_profiles(world, client_for, persona):
    client = client_for(getattr(world, persona))

    responses = [
        client.get("/orgs/B/profiles/new/"),
        client.post("/orgs/B/profiles/new/", {"year": 2021, **PROFILE}),
        client.get("/orgs/B/profiles/2020/edit/"),
        client.post("/orgs/B/profiles/2020/edit/", {"version": 1, **PROFILE}),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert list(OrganizationProfile.objects.filter(organization=world.school_b).values_list("year", "staff")) == [
        (2020, 60)
    ]


def test_the_admin_adds_a_years_profile(world, client_for, html):
    response = client_for(world.carol).post("/orgs/B/profiles/new/", {"year": 2021, **PROFILE}, follow=True)

    assert response.redirect_chain == [("/orgs/B/", 302)]
    assert "Đã lưu hồ sơ năm 2021." in html.text(response)
    profile = OrganizationProfile.objects.get(organization=world.school_b, year=2021)
    assert profile.size_measures() == PROFILE


def test_adding_a_profile_for_a_year_that_has_one_is_refused(world, client_for, html):
    response = client_for(world.carol).post("/orgs/B/profiles/new/", {"year": 2020, **PROFILE})

    assert "Đơn vị đã có hồ sơ năm 2020; hãy sửa hồ sơ đó." in html.text(response)
    assert OrganizationProfile.objects.get(organization=world.school_b, year=2020).staff == 60


def test_submitting_a_new_profile_twice_saves_it_once(world, client_for, html):
    client = client_for(world.carol)

    first = client.post("/orgs/B/profiles/new/", {"year": 2021, **PROFILE})
    second = client.post("/orgs/B/profiles/new/", {"year": 2021, **PROFILE})

    assert (first.status_code, second.status_code) == (302, 200)
    assert "Đơn vị đã có hồ sơ năm 2021; hãy sửa hồ sơ đó." in html.text(second)
    assert OrganizationProfile.objects.filter(organization=world.school_b, year=2021).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lecturers": 71}, "Số giảng viên (71) không thể lớn hơn tổng số cán bộ, viên chức (70)."),
        ({"lecturers_phd": 57}, "Số này không thể lớn hơn số giảng viên (56)."),
        ({"staff": -1}, "Đảm bảo giá trị này lớn hơn hoặc bằng với 0"),
        ({"classes": "nhiều"}, "Nhập một số nguyên."),
    ],
)
def test_a_profile_with_bad_numbers_explains_and_saves_nothing(world, client_for, html, changes, message):
    response = client_for(world.carol).post("/orgs/B/profiles/new/", {"year": 2021, **PROFILE, **changes})

    assert response.status_code == 200
    assert message in html.text(response)
    assert not OrganizationProfile.objects.filter(organization=world.school_b, year=2021).exists()


def test_the_profile_edit_form_opens_with_the_years_values_and_a_fixed_year(world, client_for):
    form = client_for(world.carol).get("/orgs/B/profiles/2020/edit/").context["form"]

    assert (form.initial["year"], form.initial["staff"], form.initial["version"]) == (2020, 60, 1)
    assert form.fields["year"].disabled is True


def test_the_admin_edits_a_profile(world, client_for, html):
    response = client_for(world.carol).post(
        "/orgs/B/profiles/2020/edit/", {"version": 1, "year": 1999, **PROFILE}, follow=True
    )

    assert "Đã lưu hồ sơ năm 2020." in html.text(response)
    profile = OrganizationProfile.objects.get(organization=world.school_b, year=2020)
    assert (profile.size_measures(), profile.version) == (PROFILE, 2)
    assert not OrganizationProfile.objects.filter(year=1999).exists()


def test_a_stale_profile_form_is_refused_without_overwriting(world, client_for, html):
    services.save_profile(actor=world.carol, organization=world.school_b, year=2020, staff=80)

    response = client_for(world.carol).post("/orgs/B/profiles/2020/edit/", {"version": 1, **PROFILE})

    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in html.text(response)
    profile = OrganizationProfile.objects.get(organization=world.school_b, year=2020)
    assert (profile.staff, profile.trainees, profile.version) == (80, 3000, 2)
