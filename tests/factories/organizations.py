from __future__ import annotations

import factory

from thidua.organizations.models import (
    Cluster,
    ClusterYear,
    Membership,
    MembershipRole,
    Organization,
    OrganizationProfile,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = "political_school"
    name = factory.Sequence(lambda n: f"Trường Chính trị tỉnh Số {n}")
    short_code = factory.Sequence(lambda n: f"S{n:03d}")
    province = factory.Sequence(lambda n: f"Tỉnh {n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationProfile

    organization = factory.SubFactory(OrganizationFactory)
    year = 2020
    staff = 60
    lecturers = 48
    lecturers_phd = 5
    lecturers_master = 38
    principal_lecturers = 12
    trainees = 3000
    classes = 40


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    code = factory.Sequence(lambda n: f"K{n}")
    name = factory.Sequence(lambda n: f"Cụm thi đua số {n}")


class ClusterYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterYear

    cluster = factory.SubFactory(ClusterFactory)
    year = 2020
    theme = "Dân chủ - Kỷ cương - Gương mẫu - Sáng tạo - Hiệu quả"


def make_cluster_year(
    members: list[Organization], head: Organization, deputies: tuple[Organization, ...] = (), **kwargs: object
) -> ClusterYear:
    """A cluster year with its memberships (head and deputies among the members)."""
    cy = ClusterYearFactory(**kwargs)
    for org in members:
        role = (
            MembershipRole.HEAD if org == head else MembershipRole.DEPUTY if org in deputies else MembershipRole.MEMBER
        )
        Membership.objects.create(cluster_year=cy, organization=org, role=role)
    return cy
