"""The Cluster 9 demo as ``load_demo`` builds it from cluster9.yaml (see test_load_demo_command
for loading it again and resetting it)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.test import override_settings

from thidua.accounts.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from thidua.accounts.models import Role, RoleAssignment, User
from thidua.accounts.roles import roleset
from thidua.core.models import AuditEntry
from thidua.demo import accounts, organizations
from thidua.demo.organizations import plausible_profile, reference
from thidua.organizations.models import (
    Cluster,
    ClusterYear,
    Membership,
    Organization,
    OrganizationProfile,
    Succession,
)
from thidua.organizations.services import lineage_ids

pytestmark = pytest.mark.django_db

CLUSTER9_CODES = {"TG", "DT", "BL", "LA", "BT", "VL", "ST", "TV", "CM", "HG", "AG", "KG"}
MERGED = {"DTM", "CMM", "AGM", "VLM", "CTM", "TNM"}


def counts() -> dict[str, int]:
    models = (Organization, Succession, OrganizationProfile, Cluster, ClusterYear, Membership, User, RoleAssignment)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The foundation of the demo (organisations, Cluster 9, accounts) as ``load_demo`` builds it,
    loaded once for this module's read-only checks and rolled back after them (each test still
    runs in its own savepoint). The later parts (criteria, campaigns, …) have their own tests."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock(), transaction.atomic():
        accounts.load(organizations.load())
        yield
        transaction.set_rollback(True)


def roles_of(cluster_year: ClusterYear) -> dict[str, str]:
    return dict(cluster_year.memberships.values_list("organization__short_code", "role"))


def test_the_demo_has_the_expected_size(demo, db):
    assert counts() == {
        "Organization": 1 + 12 + 2 + 6,  # the Academy, Cluster 9's schools, CT and TN, the merged six
        "Succession": 14,
        "OrganizationProfile": 12 + 12 + 6,
        "Cluster": 1,
        "ClusterYear": 3,
        "Membership": 12 + 12 + 6,
        "User": len(DEMO_ACCOUNTS),
        "RoleAssignment": len(DEMO_ACCOUNTS),
    }


def test_the_twelve_schools_have_the_codes_names_and_provinces_of_cluster9_yaml(demo, db):
    schools = reference()["schools"]

    loaded = {o.short_code: [o.name, o.province] for o in Organization.objects.filter(short_code__in=schools)}

    assert set(schools) == CLUSTER9_CODES
    assert loaded == schools


def test_cluster9_2020_is_headed_by_tg_with_dt_as_deputy(demo, db):
    cy = ClusterYear.objects.get(cluster__code="C9", year=2020)

    assert roles_of(cy) == dict.fromkeys(CLUSTER9_CODES, "member") | {"TG": "head", "DT": "deputy"}
    assert cy.theme == "Dân chủ - Kỷ cương - Gương mẫu - Sáng tạo - Hiệu quả"


def test_cluster9_2021_is_headed_by_bl_with_bt_and_dt_as_deputies(demo, db):
    cy = ClusterYear.objects.get(cluster__code="C9", year=2021)

    assert roles_of(cy) == dict.fromkeys(CLUSTER9_CODES, "member") | {"BL": "head", "BT": "deputy", "DT": "deputy"}


def test_cluster9_2026_has_the_six_merged_schools(demo, db):
    cy = ClusterYear.objects.get(cluster__code="C9", year=2026)

    assert set(roles_of(cy)) == MERGED
    assert Organization.objects.get(short_code="VLM").name == "Trường Chính trị Phạm Hùng tỉnh Vĩnh Long"


def test_the_cluster_is_coordinated_by_the_academy(demo, db):
    cluster = Cluster.objects.get(code="C9")

    assert cluster.name == "Cụm thi đua số 9 — các trường chính trị khu vực Đồng bằng sông Cửu Long"
    assert cluster.coordinator.name == "Học viện Chính trị quốc gia Hồ Chí Minh"
    assert list(cluster.years.order_by("year").values_list("year", flat=True)) == [2020, 2021, 2026]


def test_every_succession_takes_effect_on_1_july_2025(demo, db):
    pairs = set(Succession.objects.values_list("predecessor__short_code", "successor__short_code"))

    assert set(Succession.objects.values_list("effective_date", flat=True)) == {datetime.date(2025, 7, 1)}
    assert pairs == {
        ("DT", "DTM"), ("TG", "DTM"),
        ("CM", "CMM"), ("BL", "CMM"),
        ("AG", "AGM"), ("KG", "AGM"),
        ("VL", "VLM"), ("BT", "VLM"), ("TV", "VLM"),
        ("ST", "CTM"), ("HG", "CTM"), ("CT", "CTM"),
        ("LA", "TNM"), ("TN", "TNM"),
    }  # fmt: skip


def test_old_schools_close_the_day_before_the_merger_and_new_ones_open_on_it(demo, db):
    old = Organization.objects.filter(short_code__in=CLUSTER9_CODES)
    new = Organization.objects.filter(short_code__in=MERGED)

    assert set(old.values_list("active_to", flat=True)) == {datetime.date(2025, 6, 30)}
    assert set(new.values_list("active_from", flat=True)) == {datetime.date(2025, 7, 1)}


def test_a_merged_schools_lineage_reaches_its_predecessors(demo, db):
    dtm = Organization.objects.get(short_code="DTM")

    codes = set(Organization.objects.filter(pk__in=lineage_ids(dtm)).values_list("short_code", flat=True))

    assert codes == {"DTM", "DT", "TG"}


def test_profiles_are_consistent_and_reproducible(demo, db):
    for profile in OrganizationProfile.objects.all():
        assert profile.lecturers <= profile.staff
        assert max(profile.lecturers_phd, profile.lecturers_master, profile.principal_lecturers) <= profile.lecturers

    stored = OrganizationProfile.objects.get(organization__short_code="TG", year=2020).size_measures()

    assert stored == plausible_profile("TG", 2020) == plausible_profile("TG", 2020)
    assert stored != plausible_profile("TG", 2021)


def test_there_is_one_demo_account_for_every_role(demo, db):
    # The secretariat is no grant: it comes from being an officer of the year's head school.
    assert {a.role for a in RoleAssignment.objects.all()} == set(Role.values) - {Role.CLUSTER_SECRETARIAT}
    accounts = {u.username: u for u in User.objects.all()}
    assert set(accounts) == {a["username"] for a in DEMO_ACCOUNTS}
    for account in DEMO_ACCOUNTS:
        user = accounts[account["username"]]
        assert user.full_name == account["full_name"]
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.role_assignments.values_list("role", flat=True)) == [account["role"]]


def test_every_role_of_the_product_is_held_by_some_demo_account(demo, db):
    held = set()
    for user in User.objects.all():
        held |= roleset(user).roles()

    assert held == set(Role.values)


@pytest.mark.parametrize(
    ("username", "school"),
    [
        ("thuongtruc.tg", "TG"),
        ("thuongtruc.bl", "BL"),
        ("canbo.kg", "KG"),
        ("hieutruong.kg", "KG"),
        ("chamcheo.cm", "CM"),
        ("daibieu.st", "ST"),
    ],
)
def test_school_accounts_belong_to_their_school(demo, db, username, school):
    user = User.objects.get(username=username)

    assert user.organization.short_code == school
    assert user.role_assignments.get().organization.short_code == school


def test_the_demo_tg_officer_is_secretariat_of_c9_in_2020_but_not_2021(demo, db):
    cluster = Cluster.objects.get(code="C9")

    rs = roleset(User.objects.get(username="thuongtruc.tg"))

    assert rs.is_secretariat(cluster.pk, 2020) is True
    assert rs.is_secretariat(cluster.pk, 2021) is False


def test_the_demo_bl_officer_is_secretariat_of_c9_in_2021_but_not_2020(demo, db):
    cluster = Cluster.objects.get(code="C9")

    rs = roleset(User.objects.get(username="thuongtruc.bl"))

    assert (rs.is_secretariat(cluster.pk, 2020), rs.is_secretariat(cluster.pk, 2021)) == (False, True)


def test_the_demo_admin_can_use_the_django_admin(demo, db):
    quantri = User.objects.get(username="quantri")

    assert (quantri.is_staff, quantri.is_superuser) == (True, True)
    assert roleset(quantri).is_admin is True


def test_the_demo_is_loaded_through_the_services_with_an_audit_trail(demo, db):
    foundation = AuditEntry.objects.filter(
        action__regex=r"^(organization|succession|profile|cluster|cluster_year|user|role)\."
    )

    assert foundation.filter(action="organization.create").count() == Organization.objects.count()
    assert foundation.filter(action="succession.create").count() == 2 * Succession.objects.count()
    assert foundation.filter(action="cluster_year.create").count() == 3
    assert foundation.filter(action="user.create").count() == len(DEMO_ACCOUNTS)
    assert set(foundation.values_list("actor_name", flat=True)) == {"hệ thống"}
