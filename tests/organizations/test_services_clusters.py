"""Every change to clusters and cluster years: the happy path, its audit row, its refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories.organizations import ClusterFactory, OrganizationFactory, make_cluster_year
from thidua.core.audit import entries_for
from thidua.core.exceptions import StaleObjectError
from thidua.core.models import AuditEntry
from thidua.organizations import services
from thidua.organizations.models import (
    Cluster,
    ClusterYear,
    Membership,
)

pytestmark = pytest.mark.django_db

MERGER = datetime.date(2025, 7, 1)


def memberships(cluster_year: ClusterYear) -> list[tuple[str, str]]:
    return sorted(cluster_year.memberships.values_list("organization__short_code", "role"))


# --- clusters -----------------------------------------------------------------------------------


def test_create_cluster_saves_and_audits_it(world):
    cluster = services.create_cluster(
        actor=world.carol, code=" c9 ", name="Cụm thi đua số 9", coordinator=world.academy, description="ĐBSCL"
    )

    cluster.refresh_from_db()
    assert (cluster.code, cluster.name, cluster.coordinator, cluster.version) == (
        "C9",
        "Cụm thi đua số 9",
        world.academy,
        1,
    )
    (entry,) = entries_for(cluster)
    assert (entry.actor, entry.action, entry.data) == (
        world.carol,
        "cluster.create",
        {"code": "C9", "name": "Cụm thi đua số 9"},
    )


def test_create_cluster_refuses_a_code_in_use(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_cluster(actor=world.carol, code="k", name="Cụm khác")

    assert list(excinfo.value.message_dict) == ["code"]
    assert Cluster.objects.count() == 2


def test_update_cluster_saves_changes_and_audits_old_and_new(world):
    cluster = services.update_cluster(
        actor=world.carol, cluster=world.cluster, expected_version=1, name="Cụm thi đua số 9", coordinator=None
    )

    cluster.refresh_from_db()
    assert (cluster.name, cluster.coordinator, cluster.version) == ("Cụm thi đua số 9", None, 2)
    (entry,) = entries_for(cluster)
    assert entry.data == {
        "name": ["Cụm thi đua K", "Cụm thi đua số 9"],
        "coordinator": ["Học viện Chính trị quốc gia Hồ Chí Minh", None],
    }


def test_update_cluster_from_a_stale_form_is_refused(world):
    services.update_cluster(actor=world.carol, cluster=world.cluster, expected_version=1, name="Tên mới")

    with pytest.raises(StaleObjectError):
        services.update_cluster(actor=world.carol, cluster=world.cluster, expected_version=1, name="Tên đè")

    world.cluster.refresh_from_db()
    assert (world.cluster.name, world.cluster.version) == ("Tên mới", 2)


def test_update_cluster_without_a_change_writes_nothing(world):
    cluster = services.update_cluster(actor=world.carol, cluster=world.cluster, name="Cụm thi đua K")

    assert cluster.version == 1
    assert not entries_for(world.cluster).exists()


# --- cluster years ------------------------------------------------------------------------------


def test_create_cluster_year_writes_members_head_and_deputies_and_audits_them(world):
    d = OrganizationFactory(short_code="D")

    cy = services.create_cluster_year(
        actor=world.carol,
        cluster=world.cluster,
        year=2022,
        members=[world.school_a, world.school_b, d],
        head=d,
        deputies=[world.school_a],
        theme="Đoàn kết - Đổi mới",
    )

    assert (cy.cluster, cy.year, cy.theme, cy.version) == (world.cluster, 2022, "Đoàn kết - Đổi mới", 1)
    assert memberships(cy) == [("A", "deputy"), ("B", "member"), ("D", "head")]
    (entry,) = entries_for(cy)
    assert (entry.actor, entry.action) == (world.carol, "cluster_year.create")
    assert entry.data == {
        "year": 2022,
        "theme": "Đoàn kết - Đổi mới",
        "members": ["A", "B", "D"],
        "head": "D",
        "deputies": ["A"],
    }


@pytest.mark.parametrize(
    ("composition", "errors"),
    [
        (
            {"members": ["A", "B"], "head": "C"},
            {"head": ["Cụm trưởng (Trường Chính trị tỉnh Cà Mau) phải là thành viên của cụm năm đó."]},
        ),
        (
            {"members": ["A", "B"], "head": "A", "deputies": ["A"]},
            {"deputies": ["Trường Chính trị tỉnh Tiền Giang đã là cụm trưởng, không thể đồng thời là cụm phó."]},
        ),
        (
            {"members": ["A", "B"], "head": "A", "deputies": ["C"]},
            {"deputies": ["Cụm phó Trường Chính trị tỉnh Cà Mau phải là thành viên của cụm năm đó."]},
        ),
        (
            {"members": [], "head": "A"},
            {
                "members": ["Một năm của cụm cần có ít nhất một thành viên."],
                "head": ["Cụm trưởng (Trường Chính trị tỉnh Tiền Giang) phải là thành viên của cụm năm đó."],
            },
        ),
    ],
)
def test_create_cluster_year_refuses_a_bad_composition_and_saves_nothing(world, composition, errors):
    orgs = {"A": world.school_a, "B": world.school_b, "C": world.school_c}

    with pytest.raises(ValidationError) as excinfo:
        services.create_cluster_year(
            actor=world.carol,
            cluster=world.cluster,
            year=2022,
            members=[orgs[c] for c in composition["members"]],
            head=orgs[composition["head"]],
            deputies=[orgs[c] for c in composition.get("deputies", [])],
        )

    assert excinfo.value.message_dict == errors
    assert not ClusterYear.objects.filter(cluster=world.cluster, year=2022).exists()
    assert not AuditEntry.objects.filter(action="cluster_year.create").exists()


def test_create_cluster_year_refuses_a_year_the_cluster_already_has(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_cluster_year(
            actor=world.carol, cluster=world.cluster, year=2020, members=[world.school_b], head=world.school_b
        )

    assert excinfo.value.message_dict == {"year": ["Cụm K đã có năm 2020."]}
    assert memberships(world.year_2020) == [("A", "head"), ("B", "member")]


def test_create_cluster_year_refuses_a_year_out_of_range(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_cluster_year(
            actor=world.carol, cluster=world.cluster, year=1999, members=[world.school_b], head=world.school_b
        )

    assert list(excinfo.value.message_dict) == ["year"]
    assert not ClusterYear.objects.filter(year=1999).exists()


def test_the_same_year_may_exist_in_another_cluster(world):
    cy = services.create_cluster_year(
        actor=world.carol, cluster=ClusterFactory(code="M"), year=2020, members=[world.school_a], head=world.school_a
    )

    assert memberships(cy) == [("A", "head")]


def test_update_cluster_year_replaces_that_years_composition_and_audits_the_change(world):
    d = OrganizationFactory(short_code="D")

    cy = services.update_cluster_year(
        actor=world.carol,
        cluster_year=world.year_2021,
        expected_version=1,
        members=[world.school_a, d],
        head=d,
        deputies=[world.school_a],
        theme="Chủ đề 2021",
    )

    assert memberships(cy) == [("A", "deputy"), ("D", "head")]
    assert cy.version == 2
    (entry,) = entries_for(cy)
    assert (entry.actor, entry.action) == (world.carol, "cluster_year.update")
    assert entry.data == {
        "members": [["A", "B"], ["A", "D"]],
        "head": ["B", "D"],
        "theme": ["Dân chủ - Kỷ cương - Gương mẫu - Sáng tạo - Hiệu quả", "Chủ đề 2021"],
    }


def test_updating_a_later_year_leaves_an_earlier_years_memberships_unchanged(world):
    before = memberships(world.year_2020)

    services.update_cluster_year(
        actor=world.carol,
        cluster_year=world.year_2021,
        members=[world.school_b, world.school_c],
        head=world.school_c,
        deputies=[world.school_b],
        theme=world.year_2021.theme,
    )

    assert memberships(world.year_2020) == before == [("A", "head"), ("B", "member")]
    world.year_2020.refresh_from_db()
    assert world.year_2020.version == 1
    assert not entries_for(world.year_2020).exists()
    assert memberships(world.year_2021) == [("B", "deputy"), ("C", "head")]


def test_update_cluster_year_refuses_a_bad_composition_and_keeps_the_old_one(world):
    with pytest.raises(ValidationError) as excinfo:
        services.update_cluster_year(
            actor=world.carol, cluster_year=world.year_2021, members=[world.school_a], head=world.school_b
        )

    assert list(excinfo.value.message_dict) == ["head"]
    assert memberships(world.year_2021) == [("A", "deputy"), ("B", "head")]


def test_update_cluster_year_from_a_stale_form_is_refused_and_keeps_the_other_edit(world):
    services.update_cluster_year(
        actor=world.carol,
        cluster_year=world.year_2021,
        expected_version=1,
        members=[world.school_a, world.school_b],
        head=world.school_a,
        theme="Sửa trước",
    )

    with pytest.raises(StaleObjectError):
        services.update_cluster_year(
            actor=world.carol,
            cluster_year=world.year_2021,
            expected_version=1,
            members=[world.school_b],
            head=world.school_b,
            theme="Sửa sau",
        )

    world.year_2021.refresh_from_db()
    assert (world.year_2021.theme, world.year_2021.version) == ("Sửa trước", 2)
    assert memberships(world.year_2021) == [("A", "head"), ("B", "member")]


def test_update_cluster_year_without_a_change_writes_nothing(world):
    cy = services.update_cluster_year(
        actor=world.carol,
        cluster_year=world.year_2021,
        members=[world.school_b, world.school_a],
        head=world.school_b,
        deputies=[world.school_a],
        theme=world.year_2021.theme,
    )

    assert cy.version == 1
    assert not entries_for(world.year_2021).exists()


def test_current_composition_reads_members_head_and_deputies_by_code(world):
    assert services.current_composition(world.year_2021) == {"members": ["A", "B"], "head": "B", "deputies": ["A"]}
    assert services.current_composition(world.year_2020) == {"members": ["A", "B"], "head": "A", "deputies": []}


def test_a_cluster_year_with_no_head_reads_as_an_empty_head(world):
    cy = make_cluster_year([world.school_a], head=world.school_b, cluster=world.cluster, year=2023)

    assert services.current_composition(cy) == {"members": ["A"], "head": "", "deputies": []}
    assert Membership.objects.filter(cluster_year=cy).count() == 1
