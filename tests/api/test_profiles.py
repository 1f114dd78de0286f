"""API: yearly profiles, private to a school, its secretariat, the Academy and the admin."""

from __future__ import annotations

import pytest

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import OrganizationFactory, ProfileFactory, make_cluster_year
from thidua.accounts.models import Role
from thidua.core.audit import entries_for
from thidua.organizations.models import OrganizationProfile

pytestmark = pytest.mark.django_db

SIZES = {
    "staff": 60,
    "lecturers": 48,
    "lecturers_phd": 5,
    "lecturers_master": 38,
    "principal_lecturers": 12,
    "trainees": 3000,
    "classes": 40,
}


def profile_of(org, year=2020) -> OrganizationProfile:
    return OrganizationProfile.objects.get(organization=org, year=year)


def listed(response) -> list[tuple[str, int]]:
    return [(p["organization"], p["year"]) for p in response.json()["results"]]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("carol", [("B", 2020), ("C", 2020), ("D", 2021), ("A", 2020)]),
        ("dave", [("B", 2020), ("C", 2020), ("D", 2021), ("A", 2020)]),
        ("alice", [("B", 2020), ("A", 2020)]),  # her own, and B as K's 2020 secretariat
        ("bob", [("B", 2020), ("D", 2021), ("A", 2020)]),  # his own, and K's 2021 members
        ("frank", [("C", 2020)]),
        ("gina", [("D", 2021)]),
        ("erin", []),
    ],
)
def test_each_persona_lists_only_the_profiles_they_may_see(world, gina, client_for, persona, visible):
    user = gina if persona == "gina" else getattr(world, persona)

    response = client_for(user).get("/api/v1/profiles/")

    assert listed(response) == visible


def test_a_profile_reads_with_every_size_measure(world, client_for):
    profile = profile_of(world.school_b)

    response = client_for(world.bob).get(f"/api/v1/profiles/{profile.pk}/")

    assert response.json() == {"id": profile.pk, "organization": "B", "year": 2020, **SIZES, "version": 1}


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "alice"])
def test_school_bs_profile_is_readable_by_its_officer_the_academy_and_the_secretariat(world, client_for, persona):
    response = client_for(getattr(world, persona)).get(f"/api/v1/profiles/{profile_of(world.school_b).pk}/")

    assert response.status_code == 200
    assert response.json()["organization"] == "B"


@pytest.mark.parametrize("persona", ["frank", "erin", "gina"])
def test_school_bs_profile_is_not_found_for_anyone_else(world, gina, client_for, persona):
    user = gina if persona == "gina" else getattr(world, persona)

    response = client_for(user).get(f"/api/v1/profiles/{profile_of(world.school_b).pk}/")

    assert response.status_code == 404
    assert "staff" not in response.json()


def test_filtering_by_organisation_cannot_reveal_a_hidden_profile(world, gina, client_for):
    response = client_for(gina).get("/api/v1/profiles/", {"organization": "b"})

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_admin_filters_profiles_by_organisation(world, client_for):
    ProfileFactory(organization=world.school_b, year=2021)

    response = client_for(world.carol).get("/api/v1/profiles/", {"organization": "b"})

    assert listed(response) == [("B", 2021), ("B", 2020)]


def test_an_explicit_secretariat_grant_reads_that_clusters_members(world, client_for):
    grace = UserFactory(password=None)
    grant(grace, Role.CLUSTER_SECRETARIAT, cluster=world.other_cluster, year=2020)

    assert listed(client_for(grace).get("/api/v1/profiles/")) == [("C", 2020)]


@pytest.mark.parametrize("size", [5, 40])
@pytest.mark.parametrize(("persona", "queries"), [("carol", 5), ("alice", 7)])
def test_the_profile_list_costs_the_same_queries_whatever_its_length(
    world, client_for, django_assert_num_queries, size, persona, queries
):
    schools = [OrganizationFactory() for _ in range(size)]
    make_cluster_year([world.school_a, *schools], head=world.school_a, cluster=world.cluster, year=2022)
    for school in schools:
        ProfileFactory(organization=school, year=2022)
    client = client_for(getattr(world, persona))

    with django_assert_num_queries(queries):
        response = client.get("/api/v1/profiles/")

    assert response.json()["count"] >= size


def test_the_admin_creates_a_profile_through_the_service(world, client_for):
    response = client_for(world.carol).post(
        "/api/v1/profiles/", {"organization": "B", "year": 2021, **SIZES, "staff": 61}, content_type="application/json"
    )

    assert response.status_code == 201
    profile = profile_of(world.school_b, 2021)
    assert response.json() == {"id": profile.pk, "organization": "B", "year": 2021, **SIZES, "staff": 61, "version": 1}
    (entry,) = entries_for(world.school_b)
    assert (entry.actor, entry.action, entry.data) == (
        world.carol,
        "profile.create",
        {"year": 2021, **SIZES, "staff": 61},
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"year": 2020}, {"year": ["B đã có hồ sơ năm 2020."]}),
        ({"lecturers": 61}, {"lecturers": ["Số giảng viên (61) không thể lớn hơn tổng số cán bộ, viên chức (60)."]}),
        ({"year": 1999}, {"year": ["Giá trị phải lớn hơn hoặc bằng 2000."]}),
        ({"organization": "NOPE"}, {"organization": ["Không có đối tượng nào với short_code=NOPE."]}),
    ],
)
def test_a_bad_profile_is_refused_with_field_messages(world, client_for, data, errors):
    response = client_for(world.carol).post(
        "/api/v1/profiles/", {"organization": "B", "year": 2021, **SIZES, **data}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert OrganizationProfile.objects.filter(organization=world.school_b).count() == 1


def test_the_admin_updates_a_profile_and_only_changes_are_audited(world, client_for):
    profile = profile_of(world.school_b)

    response = client_for(world.carol).patch(
        f"/api/v1/profiles/{profile.pk}/", {"trainees": 3100, "version": 1}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": profile.pk,
        "organization": "B",
        "year": 2020,
        **SIZES,
        "trainees": 3100,
        "version": 2,
    }
    (entry,) = entries_for(world.school_b)
    assert (entry.action, entry.data) == ("profile.update", {"year": 2020, "trainees": [3000, 3100]})


def test_an_update_cannot_move_a_profile_to_another_year_or_school(world, client_for):
    profile = profile_of(world.school_b)
    client = client_for(world.carol)

    moved_year = client.patch(f"/api/v1/profiles/{profile.pk}/", {"year": 2021}, content_type="application/json")
    moved_org = client.patch(f"/api/v1/profiles/{profile.pk}/", {"organization": "A"}, content_type="application/json")

    assert moved_year.status_code == 400
    assert moved_year.json() == {"year": ["Không thể đổi năm của hồ sơ; hãy tạo hồ sơ cho năm kia."]}
    assert moved_org.status_code == 400
    assert moved_org.json() == {"organization": ["Không thể chuyển hồ sơ sang đơn vị khác."]}
    assert list(OrganizationProfile.objects.filter(organization=world.school_b).values_list("year", flat=True)) == [
        2020
    ]
    assert profile_of(world.school_a).staff == 60


def test_a_full_update_may_repeat_the_same_year_and_school(world, client_for):
    profile = profile_of(world.school_b)

    response = client_for(world.carol).put(
        f"/api/v1/profiles/{profile.pk}/",
        {"organization": "B", "year": 2020, **SIZES, "classes": 41, "version": 1},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert profile_of(world.school_b).classes == 41


def test_a_stale_profile_update_is_refused_without_overwriting(world, client_for):
    profile = profile_of(world.school_b)
    client = client_for(world.carol)
    client.patch(f"/api/v1/profiles/{profile.pk}/", {"staff": 70, "version": 1}, content_type="application/json")

    response = client.patch(
        f"/api/v1/profiles/{profile.pk}/", {"staff": 99, "version": 1}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "đã được người khác sửa" in response.json()["non_field_errors"][0]
    assert (profile_of(world.school_b).staff, profile_of(world.school_b).version) == (70, 2)


@pytest.mark.parametrize("persona", ["alice", "bob", "dave", "erin", "frank"])
def test_only_the_admin_may_write_profiles(world, client_for, persona):
    client = client_for(getattr(world, persona))
    profile = profile_of(world.school_b)

    created = client.post(
        "/api/v1/profiles/", {"organization": "B", "year": 2021, **SIZES}, content_type="application/json"
    )
    updated = client.patch(f"/api/v1/profiles/{profile.pk}/", {"staff": 1}, content_type="application/json")

    assert (created.status_code, updated.status_code) == (403, 403)
    assert list(OrganizationProfile.objects.filter(organization=world.school_b).values_list("year", "staff")) == [
        (2020, 60)
    ]
