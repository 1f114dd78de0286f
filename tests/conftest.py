"""Shared fixtures: a small two-cluster world and personas for every role.

alice — school officer of school A (head of cluster K's 2020 year → secretariat that year)
bob   — school officer of school B (member of K 2020)
carol — admin; dave — Academy staff; erin — observer; frank — officer of school C (another cluster)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import ClusterFactory, OrganizationFactory, ProfileFactory, make_cluster_year
from thidua.accounts.models import Role, User
from thidua.criteria import compiled
from thidua.organizations.models import Cluster, ClusterYear, Organization


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Every test starts in the site's language: a request made with another language (the
    language cookie, an Accept-Language test) leaves it active in the thread, as Django does
    between requests, and messages compared in Vietnamese would otherwise depend on test order."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_compiled_frameworks():
    """Every test starts with no compiled framework cached: ids of rolled-back rows are reused
    by the next test, so a (framework id, version) key could name another test's framework."""
    compiled.clear_cache()
    yield
    compiled.clear_cache()


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


@pytest.fixture
def fast_password_hashing(settings):
    """MD5 instead of argon2 (about 0.2 s a hash) for tests that create many users; the test
    of the configured hashers themselves does not use it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


from html.parser import HTMLParser  # noqa: E402 -- kept with the page helpers below


class _Element(HTMLParser):
    """The text, and the table rows, inside the element with one id. Tags other than inline
    formatting separate words, as a browser would show adjacent badges or cells."""

    INLINE = frozenset({"a", "abbr", "b", "code", "em", "i", "small", "strong", "sub", "sup"})

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.tag: str | None = None
        self.depth = 0
        self.done = False
        self.parts: list[str] = []
        self.rows: list[list[str]] = []
        self.in_body = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if self.tag is None:
            if dict(attrs).get("id") == self.element_id:
                self.tag, self.depth = tag, 1
            return
        if tag == self.tag:
            self.depth += 1
        self._separate(tag)
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.done or self.tag is None:
            return
        self._separate(tag)
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        if tag == self.tag:
            self.depth -= 1
            if self.depth == 0:
                self.done = True

    def _separate(self, tag: str) -> None:
        if tag not in self.INLINE:
            self.handle_data(" ")

    def handle_data(self, data: str) -> None:
        if self.tag is not None and not self.done:
            self.parts.append(data)
            if self.cell is not None:
                self.cell.append(data)


class Html:
    """Read a response as a person would: the text of an element, or a table's body rows."""

    @staticmethod
    def _parse(response, element_id: str) -> _Element:
        parser = _Element(element_id)
        parser.feed(response.content.decode())
        assert parser.tag is not None, f"no element with id {element_id!r} on the page"
        return parser

    def text(self, response, element_id: str = "main") -> str:
        """The element's text, whitespace collapsed ("" is never returned for a missing id)."""
        return " ".join("".join(self._parse(response, element_id).parts).split())

    def rows(self, response, element_id: str) -> list[list[str]]:
        """The ``<tbody>`` rows of the table (or section) with that id, as lists of cell texts."""
        return self._parse(response, element_id).rows

    def has(self, response, element_id: str) -> bool:
        parser = _Element(element_id)
        parser.feed(response.content.decode())
        return parser.tag is not None


@pytest.fixture
def html() -> Html:
    """``html.text(response, "main")``, ``html.rows(response, "members")``, ``html.has(response, "audit")``."""
    return Html()


from thidua.organizations.models import Membership, MembershipRole  # noqa: E402 -- for the fixture below


@pytest.fixture
def gina(world) -> User:
    """gina — officer of school D, a plain member of K in 2021 beside A and B (neither head nor
    deputy): the fellow member from whom B's private data must stay hidden."""
    school_d = OrganizationFactory(name="Trường Chính trị tỉnh Sóc Trăng", short_code="D", province="Sóc Trăng")
    Membership.objects.create(cluster_year=world.year_2021, organization=school_d, role=MembershipRole.MEMBER)
    ProfileFactory(organization=school_d, year=2021, staff=51)
    user = UserFactory(username="gina", full_name="Gina Huỳnh", organization=school_d)
    grant(user, Role.SCHOOL_OFFICER, organization=school_d)
    return user


@pytest.fixture
def keep_db_connection(monkeypatch):
    """Run a command through run_from_argv (real exit codes) without it closing the test's
    database connection at the end — which on PostgreSQL would end the test transaction."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
