"""Reusable querysets of organisations and clusters."""

from __future__ import annotations

import datetime

import pytest

from tests.factories.organizations import OrganizationFactory, ProfileFactory, make_cluster_year
from thidua.organizations import queries, services
from thidua.organizations.models import Succession

pytestmark = pytest.mark.django_db


def test_organization_list_is_in_vietnamese_order(world):
    names = [o.name for o in queries.organization_list()]

    assert names == [
        "Học viện Chính trị quốc gia Hồ Chí Minh",
        "Trường Chính trị tỉnh Bạc Liêu",
        "Trường Chính trị tỉnh Cà Mau",
        "Trường Chính trị tỉnh Tiền Giang",
    ]


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("bac lieu", ["B"]),
        ("BẠC LIÊU", ["B"]),
        ("tien", ["A"]),
        ("hv", ["HV"]),  # the code, though no name contains "hv"
        ("Cà Mau", ["C"]),
        ("truong chinh tri", ["B", "C", "A"]),
        ("không có", []),
    ],
)
def test_organization_list_finds_by_name_code_or_province(world, q, codes):
    assert [o.short_code for o in queries.organization_list(q=q)] == codes


def test_organization_list_filters_by_kind(world):
    assert [o.short_code for o in queries.organization_list(kind="academy")] == ["HV"]


def test_membership_matrix_lists_each_school_once_with_its_role_per_year(world):
    d = OrganizationFactory(name="Trường Chính trị tỉnh Sóc Trăng", short_code="D")
    make_cluster_year([d], head=d, cluster=world.cluster, year=2019)
    years = list(queries.cluster_years_with_members(world.cluster))

    orgs, rows = queries.membership_matrix(years)

    assert [cy.year for cy in years] == [2021, 2020, 2019]
    assert [o.short_code for o in orgs] == ["B", "D", "A"]
    assert [(row["organization"].short_code, row["cells"]) for row in rows] == [
        ("B", ["head", "member", ""]),
        ("D", ["", "", "head"]),
        ("A", ["deputy", "head", ""]),
    ]


def test_head_of_names_the_head_school_of_a_year(world):
    assert queries.head_of(world.year_2020) == world.school_a
    assert queries.head_of(world.year_2021) == world.school_b


def test_lineage_memberships_and_profiles_include_the_predecessors(world):
    merged = OrganizationFactory(name="Trường Chính trị tỉnh Cà Mau (mới)", short_code="CMM")
    for old in (world.school_b, world.school_c):
        Succession.objects.create(predecessor=old, successor=merged, effective_date=datetime.date(2025, 7, 1))
    make_cluster_year([merged], head=merged, cluster=world.cluster, year=2026)
    ProfileFactory(organization=merged, year=2026)
    lineage = services.lineage_ids(merged)

    memberships = [
        (m.cluster_year.year, m.cluster_year.cluster.code, m.organization.short_code, m.role)
        for m in queries.lineage_memberships(lineage)
    ]
    profiles = [(p.year, p.organization.short_code) for p in queries.lineage_profiles(lineage)]

    assert memberships == [
        (2026, "K", "CMM", "head"),
        (2021, "K", "B", "head"),
        (2020, "K", "B", "member"),
        (2020, "L", "C", "head"),
    ]
    assert profiles == [(2026, "CMM"), (2020, "B"), (2020, "C")]
