"""Every change to organisations and clusters: the happy path, its audit row, its refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories.organizations import OrganizationFactory
from thidua.core.audit import entries_for
from thidua.core.exceptions import StaleObjectError
from thidua.core.models import AuditEntry
from thidua.organizations import services
from thidua.organizations.models import (
    ClusterYear,
    Organization,
    OrganizationProfile,
    Succession,
)

pytestmark = pytest.mark.django_db

MERGER = datetime.date(2025, 7, 1)


def memberships(cluster_year: ClusterYear) -> list[tuple[str, str]]:
    return sorted(cluster_year.memberships.values_list("organization__short_code", "role"))


# --- organisations ------------------------------------------------------------------------------


def test_create_organization_saves_it_with_a_normalised_code(world):
    org = services.create_organization(
        actor=world.carol,
        kind="political_school",
        name="Trường Chính trị tỉnh Đồng Tháp (mới)",
        short_code=" dtm ",
        province="Đồng Tháp",
        active_from=MERGER,
    )

    org.refresh_from_db()
    assert (org.short_code, org.name, org.kind, org.province) == (
        "DTM",
        "Trường Chính trị tỉnh Đồng Tháp (mới)",
        "political_school",
        "Đồng Tháp",
    )
    assert (org.active_from, org.active_to, org.version) == (MERGER, None, 1)
    assert org.name_search == "truong chinh tri tinh dong thap moi"


def test_create_organization_audits_what_was_saved(world):
    org = services.create_organization(
        actor=world.carol, kind="political_school", name="Trường X", short_code="x1", active_from=MERGER
    )

    (entry,) = entries_for(org)
    assert (entry.actor, entry.action) == (world.carol, "organization.create")
    assert entry.data == {
        "kind": "political_school",
        "name": "Trường X",
        "short_code": "X1",
        "province": "",
        "active_from": "2025-07-01",
        "active_to": None,
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"short_code": "a"}, "short_code"),  # taken by school A, whatever the case
        ({"kind": "ministry"}, "kind"),
        ({"name": ""}, "name"),
        ({"active_from": datetime.date(2025, 7, 1), "active_to": datetime.date(2025, 6, 30)}, "active_to"),
    ],
)
def test_create_organization_refuses_bad_values_and_saves_nothing(world, values, field):
    before = (Organization.objects.count(), AuditEntry.objects.count())
    data = {"kind": "political_school", "name": "Trường Y", "short_code": "Y", **values}

    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(actor=world.carol, **data)

    assert field in excinfo.value.message_dict
    assert (Organization.objects.count(), AuditEntry.objects.count()) == before


def test_reversed_activity_dates_are_explained_in_words(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(
            actor=world.carol,
            kind="political_school",
            name="Trường Y",
            short_code="Y",
            active_from=datetime.date(2025, 7, 1),
            active_to=datetime.date(2025, 6, 30),
        )

    assert excinfo.value.message_dict == {"active_to": ["Ngày kết thúc phải sau ngày bắt đầu hoạt động."]}


def test_every_bad_value_is_reported_at_once(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organization(
            actor=world.carol,
            kind="political_school",
            name="",
            short_code="A",
            active_from=datetime.date(2025, 7, 1),
            active_to=datetime.date(2025, 6, 30),
        )

    assert sorted(excinfo.value.message_dict) == ["active_to", "name", "short_code"]


def test_update_organization_saves_changes_bumps_the_version_and_audits_old_and_new(world):
    org = services.update_organization(
        actor=world.carol,
        organization=world.school_b,
        expected_version=1,
        name="Trường Chính trị tỉnh Bạc Liêu (cũ)",
        province="Bạc Liêu",
        active_to=datetime.date(2025, 6, 30),
    )

    org.refresh_from_db()
    assert (org.name, org.version, org.active_to) == (
        "Trường Chính trị tỉnh Bạc Liêu (cũ)",
        2,
        datetime.date(2025, 6, 30),
    )
    (entry,) = entries_for(org)
    assert (entry.actor, entry.action) == (world.carol, "organization.update")
    assert entry.data == {
        "name": ["Trường Chính trị tỉnh Bạc Liêu", "Trường Chính trị tỉnh Bạc Liêu (cũ)"],
        "active_to": [None, "2025-06-30"],
    }


def test_update_organization_without_a_change_writes_nothing(world):
    org = services.update_organization(actor=world.carol, organization=world.school_b, name=world.school_b.name)

    assert org.version == 1
    assert not entries_for(world.school_b).exists()


def test_update_organization_from_a_stale_form_is_refused_and_keeps_the_other_edit(world):
    services.update_organization(actor=world.carol, organization=world.school_b, expected_version=1, province="X")

    with pytest.raises(StaleObjectError) as excinfo:
        services.update_organization(
            actor=world.carol, organization=world.school_b, expected_version=1, province="Y", name="Đè"
        )

    assert excinfo.value.code == "stale"
    assert "đã được người khác sửa sau khi bạn mở biểu mẫu này" in excinfo.value.messages[0]
    world.school_b.refresh_from_db()
    assert (world.school_b.province, world.school_b.name, world.school_b.version) == (
        "X",
        "Trường Chính trị tỉnh Bạc Liêu",
        2,
    )
    assert entries_for(world.school_b).count() == 1


def test_update_organization_refuses_a_code_taken_by_another_and_saves_nothing(world):
    with pytest.raises(ValidationError) as excinfo:
        services.update_organization(actor=world.carol, organization=world.school_b, short_code="a", name="Đổi")

    assert list(excinfo.value.message_dict) == ["short_code"]
    world.school_b.refresh_from_db()
    assert (world.school_b.short_code, world.school_b.name, world.school_b.version) == (
        "B",
        "Trường Chính trị tỉnh Bạc Liêu",
        1,
    )


# --- succession ---------------------------------------------------------------------------------


@pytest.fixture
def mergers(db):
    """Cluster 9's 2025 mergers, as organisations: TG+DT→DTM, CM+BL→CMM, VL+BT+TV→VLM."""
    orgs = {code: OrganizationFactory(short_code=code) for code in ("TG", "DT", "CM", "BL", "VL", "BT", "TV")}
    for new, olds in {"DTM": ("DT", "TG"), "CMM": ("CM", "BL"), "VLM": ("VL", "BT", "TV")}.items():
        orgs[new] = OrganizationFactory(short_code=new, active_from=MERGER)
        for old in olds:
            Succession.objects.create(predecessor=orgs[old], successor=orgs[new], effective_date=MERGER)
    return orgs


def test_lineage_of_a_merged_school_is_itself_then_its_predecessors(mergers):
    lineage = services.lineage_ids(mergers["VLM"])

    assert lineage[0] == mergers["VLM"].pk
    assert sorted(lineage[1:]) == sorted(mergers[c].pk for c in ("VL", "BT", "TV"))


def test_lineage_follows_older_mergers_transitively(mergers):
    my_tho = OrganizationFactory(short_code="MT")
    Succession.objects.create(predecessor=my_tho, successor=mergers["TG"], effective_date=datetime.date(2004, 1, 1))

    lineage = services.lineage_ids(mergers["DTM"])

    assert set(lineage) == {mergers["DTM"].pk, mergers["DT"].pk, mergers["TG"].pk, my_tho.pk}
    assert len(lineage) == 4


def test_lineage_of_a_predecessor_does_not_include_its_successor(mergers):
    assert services.lineage_ids(mergers["TG"]) == [mergers["TG"].pk]
    assert services.lineage_ids(mergers["CMM"]) != services.lineage_ids(mergers["DTM"])


def test_add_succession_links_the_two_and_audits_on_both(world):
    dtm = OrganizationFactory(short_code="DTM")

    succession = services.add_succession(
        actor=world.carol, predecessor=world.school_a, successor=dtm, effective_date=MERGER, note="Sáp nhập"
    )

    assert (succession.predecessor, succession.successor, succession.effective_date, succession.note) == (
        world.school_a,
        dtm,
        MERGER,
        "Sáp nhập",
    )
    expected = {"predecessor": "A", "successor": "DTM", "effective_date": "2025-07-01"}
    for org in (dtm, world.school_a):
        (entry,) = entries_for(org)
        assert (entry.actor, entry.action, entry.data) == (world.carol, "succession.create", expected)


def test_a_school_cannot_succeed_itself(world):
    with pytest.raises(ValidationError) as excinfo:
        services.add_succession(
            actor=world.carol, predecessor=world.school_a, successor=world.school_a, effective_date=MERGER
        )

    assert excinfo.value.messages == ["Một đơn vị không thể kế thừa chính nó."]
    assert not Succession.objects.exists()


def test_a_succession_that_would_close_a_cycle_is_refused(mergers):
    with pytest.raises(ValidationError) as excinfo:
        services.add_succession(actor=None, predecessor=mergers["DTM"], successor=mergers["TG"], effective_date=MERGER)

    assert excinfo.value.code == "cycle"
    assert "không thể tạo vòng kế thừa" in excinfo.value.messages[0]
    assert not Succession.objects.filter(predecessor=mergers["DTM"]).exists()


def test_a_longer_cycle_is_refused_too(mergers):
    my_tho = OrganizationFactory(short_code="MT")
    Succession.objects.create(predecessor=my_tho, successor=mergers["TG"], effective_date=datetime.date(2004, 1, 1))

    with pytest.raises(ValidationError) as excinfo:
        services.add_succession(actor=None, predecessor=mergers["DTM"], successor=my_tho, effective_date=MERGER)

    assert excinfo.value.code == "cycle"


def test_the_same_succession_twice_is_refused(mergers):
    before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.add_succession(actor=None, predecessor=mergers["TG"], successor=mergers["DTM"], effective_date=MERGER)

    assert excinfo.value.messages == ["Quan hệ kế thừa này đã có."]
    assert Succession.objects.filter(predecessor=mergers["TG"]).count() == 1
    assert AuditEntry.objects.count() == before


def test_remove_succession_unlinks_and_audits_the_reason_on_both(world, mergers):
    succession = Succession.objects.get(predecessor=mergers["TG"], successor=mergers["DTM"])

    services.remove_succession(actor=world.carol, succession=succession, reason="nhập nhầm")

    assert not Succession.objects.filter(pk=succession.pk).exists()
    assert services.lineage_ids(mergers["DTM"]) == [mergers["DTM"].pk, mergers["DT"].pk]
    for org in (mergers["DTM"], mergers["TG"]):
        (entry,) = entries_for(org)
        assert (entry.action, entry.reason) == ("succession.delete", "nhập nhầm")
        assert entry.data == {"predecessor": "TG", "successor": "DTM", "effective_date": "2025-07-01"}


# --- yearly profiles --------------------------------------------------------------------------

SIZES = {
    "staff": 70,
    "lecturers": 56,
    "lecturers_phd": 6,
    "lecturers_master": 44,
    "principal_lecturers": 15,
    "trainees": 3200,
    "classes": 45,
}


def test_save_profile_creates_a_years_profile_and_audits_every_measure(world):
    profile = services.save_profile(actor=world.carol, organization=world.school_a, year=2021, **SIZES)

    profile.refresh_from_db()
    assert profile.size_measures() == SIZES
    assert (profile.year, profile.version) == (2021, 1)
    (entry,) = entries_for(world.school_a)
    assert (entry.actor, entry.action) == (world.carol, "profile.create")
    assert entry.data == {"year": 2021, **SIZES}


def test_save_profile_updates_the_existing_year_and_audits_only_what_changed(world):
    profile = services.save_profile(
        actor=world.carol, organization=world.school_a, year=2020, expected_version=1, staff=75, lecturers=50
    )

    profile.refresh_from_db()
    assert (profile.staff, profile.lecturers, profile.trainees, profile.version) == (75, 50, 3000, 2)
    assert OrganizationProfile.objects.filter(organization=world.school_a).count() == 1
    (entry,) = entries_for(world.school_a)
    assert entry.action == "profile.update"
    assert entry.data == {"year": 2020, "staff": [60, 75], "lecturers": [48, 50]}


def test_save_profile_without_a_change_writes_nothing(world):
    profile = services.save_profile(actor=world.carol, organization=world.school_a, year=2020, staff=60)

    assert profile.version == 1
    assert not entries_for(world.school_a).exists()


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"staff": 40, "lecturers": 48},
            {"lecturers": ["Số giảng viên (48) không thể lớn hơn tổng số cán bộ, viên chức (40)."]},
        ),
        ({"lecturers_phd": 49}, {"lecturers_phd": ["Số này không thể lớn hơn số giảng viên (48)."]}),
        ({"principal_lecturers": 50}, {"principal_lecturers": ["Số này không thể lớn hơn số giảng viên (48)."]}),
    ],
)
def test_save_profile_refuses_inconsistent_numbers_and_keeps_the_old_ones(world, values, errors):
    with pytest.raises(ValidationError) as excinfo:
        services.save_profile(actor=world.carol, organization=world.school_a, year=2020, **values)

    assert excinfo.value.message_dict == errors
    profile = OrganizationProfile.objects.get(organization=world.school_a, year=2020)
    assert (profile.staff, profile.lecturers, profile.version) == (60, 48, 1)
    assert not entries_for(world.school_a).exists()


def test_a_new_profile_with_more_lecturers_than_staff_is_not_created(world):
    with pytest.raises(ValidationError):
        services.save_profile(actor=world.carol, organization=world.school_a, year=2021, staff=10, lecturers=11)

    assert not OrganizationProfile.objects.filter(organization=world.school_a, year=2021).exists()


def test_a_profile_for_a_year_out_of_range_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        services.save_profile(actor=world.carol, organization=world.school_a, year=1999, staff=10)

    assert list(excinfo.value.message_dict) == ["year"]


def test_save_profile_from_a_stale_form_is_refused_and_keeps_the_other_edit(world):
    services.save_profile(actor=world.carol, organization=world.school_a, year=2020, expected_version=1, staff=80)

    with pytest.raises(StaleObjectError):
        services.save_profile(actor=world.carol, organization=world.school_a, year=2020, expected_version=1, staff=99)

    profile = OrganizationProfile.objects.get(organization=world.school_a, year=2020)
    assert (profile.staff, profile.version) == (80, 2)
