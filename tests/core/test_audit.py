"""The audit log: ``record`` writes who, what, which object and why; ``entries_for`` reads one
object's trail."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from tests.factories.accounts import UserFactory
from tests.factories.organizations import ClusterFactory, OrganizationFactory
from thidua.core import audit
from thidua.core.models import AuditEntry
from thidua.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_record_names_the_actor_the_action_the_object_and_the_reason():
    carol = UserFactory(username="carol", full_name="Carol Lê")
    org = OrganizationFactory(name="Trường Chính trị tỉnh Cà Mau", short_code="CM")

    entry = audit.record(
        actor=carol, action="organization.update", obj=org, data={"name": ["a", "b"]}, reason="sai tên"
    )

    entry.refresh_from_db()
    assert entry.actor == carol
    assert entry.actor_name == "Carol Lê"
    assert entry.action == "organization.update"
    assert entry.content_type == ContentType.objects.get_for_model(Organization)
    assert entry.object_id == str(org.pk)
    assert entry.object_repr == "Trường Chính trị tỉnh Cà Mau"
    assert entry.data == {"name": ["a", "b"]}
    assert entry.reason == "sai tên"


def test_an_actor_without_a_full_name_is_named_by_username():
    user = UserFactory(username="kiemtra", full_name="", first_name="", last_name="")

    entry = audit.record(actor=user, action="x")

    assert entry.actor_name == "kiemtra"


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_the_system_is_the_actor_when_no_one_is_signed_in(actor):
    entry = audit.record(actor=actor, action="demo.load")

    assert entry.actor is None
    assert entry.actor_name == "hệ thống"
    assert entry.content_type is None
    assert entry.object_id == ""
    assert entry.object_repr == ""
    assert entry.data == {}


def test_data_is_stored_as_json_with_objects_dates_and_sets_as_text():
    org = OrganizationFactory(name="Trường Chính trị tỉnh Bạc Liêu", short_code="BL")

    entry = audit.record(
        actor=None,
        action="x",
        data={
            "organization": org,
            "date": datetime.date(2025, 7, 1),
            "points": Decimal("12.50"),
            "codes": ("BL", "CM"),
            "nested": {1: {"none": None, "flag": True, "n": 3, "x": 1.5}},
        },
    )

    entry.refresh_from_db()
    assert entry.data == {
        "organization": "Trường Chính trị tỉnh Bạc Liêu",
        "date": "2025-07-01",
        "points": "12.50",
        "codes": ["BL", "CM"],
        "nested": {"1": {"none": None, "flag": True, "n": 3, "x": 1.5}},
    }


def test_a_long_object_name_is_cut_to_300_characters():
    cluster = ClusterFactory(name="C" * 255)
    cluster.name = "Đ" * 400  # what str() gives may be longer than the column

    entry = audit.record(actor=None, action="x", obj=cluster)

    entry.refresh_from_db()
    assert entry.object_repr == "Đ" * 300


def test_entries_for_lists_one_objects_rows_newest_first():
    carol = UserFactory(full_name="Carol Lê")
    a = OrganizationFactory(short_code="A")
    b = OrganizationFactory(short_code="B")
    first = audit.record(actor=carol, action="organization.create", obj=a)
    audit.record(actor=carol, action="organization.create", obj=b)
    second = audit.record(actor=carol, action="organization.update", obj=a)

    rows = list(audit.entries_for(a))

    assert rows == [second, first]


def test_entries_for_does_not_mix_objects_of_another_model_with_the_same_id():
    org = OrganizationFactory()
    cluster = ClusterFactory()
    cluster.pk = org.pk  # same id, different model
    audit.record(actor=None, action="cluster.update", obj=cluster)
    mine = audit.record(actor=None, action="organization.update", obj=org)

    assert list(audit.entries_for(org)) == [mine]


def test_audit_entries_read_as_who_did_what_to_which_object_in_vietnam_time():
    carol = UserFactory(full_name="Carol Lê")
    org = OrganizationFactory(name="Trường Chính trị tỉnh Cà Mau")
    entry = audit.record(actor=carol, action="organization.update", obj=org)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC))
    entry.refresh_from_db()

    assert str(entry) == "02/01/2026 10:04 Carol Lê organization.update Trường Chính trị tỉnh Cà Mau"
