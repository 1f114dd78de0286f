"""Shared fixtures: a small two-cluster world and personas for every role.

alice — school officer of school A (head of cluster K's 2020 year → secretariat that year)
bob   — school officer of school B (member of K 2020)
carol — admin; dave — Academy staff; erin — observer; frank — officer of school C (another cluster)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import ClusterFactory, OrganizationFactory, ProfileFactory, make_cluster_year
from thidua.accounts.models import Role, User
from thidua.organizations.models import Cluster, ClusterYear, Organization


@dataclass
class World:
    school_a: Organization
    school_b: Organization
    school_c: Organization
    academy: Organization
    cluster: Cluster
    other_cluster: Cluster
    year_2020: ClusterYear
    year_2021: ClusterYear
    alice: User
    bob: User
    carol: User
    dave: User
    erin: User
    frank: User


@pytest.fixture
def world(db) -> World:
    academy = OrganizationFactory(kind="academy", name="Học viện Chính trị quốc gia Hồ Chí Minh", short_code="HV")
    a = OrganizationFactory(name="Trường Chính trị tỉnh Tiền Giang", short_code="A", province="Tiền Giang")
    b = OrganizationFactory(name="Trường Chính trị tỉnh Bạc Liêu", short_code="B", province="Bạc Liêu")
    c = OrganizationFactory(name="Trường Chính trị tỉnh Cà Mau", short_code="C", province="Cà Mau")
    cluster = ClusterFactory(code="K", name="Cụm thi đua K", coordinator=academy)
    other = ClusterFactory(code="L", name="Cụm thi đua L", coordinator=academy)
    y2020 = make_cluster_year([a, b], head=a, cluster=cluster, year=2020)
    y2021 = make_cluster_year([a, b], head=b, deputies=(a,), cluster=cluster, year=2021)
    make_cluster_year([c], head=c, cluster=other, year=2020)
    for org in (a, b, c):
        ProfileFactory(organization=org, year=2020)
    alice = UserFactory(username="alice", full_name="Alice Nguyễn", organization=a)
    bob = UserFactory(username="bob", full_name="Bob Trần", organization=b)
    carol = UserFactory(username="carol", full_name="Carol Lê")
    dave = UserFactory(username="dave", full_name="Dave Phạm", organization=academy)
    erin = UserFactory(username="erin", full_name="Erin Võ")
    frank = UserFactory(username="frank", full_name="Frank Đỗ", organization=c)
    grant(alice, Role.SCHOOL_OFFICER, organization=a)
    grant(bob, Role.SCHOOL_OFFICER, organization=b)
    grant(carol, Role.ADMIN)
    grant(dave, Role.ACADEMY_STAFF, organization=academy)
    grant(erin, Role.OBSERVER)
    grant(frank, Role.SCHOOL_OFFICER, organization=c)
    return World(a, b, c, academy, cluster, other, y2020, y2021, alice, bob, carol, dave, erin, frank)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as that user."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in
