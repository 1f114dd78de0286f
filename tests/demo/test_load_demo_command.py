"""``load_demo`` again and again: idempotent; ``--reset`` rebuilds from scratch."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories.organizations import OrganizationFactory
from thidua.accounts.models import RoleAssignment, User
from thidua.core.models import AuditEntry
from thidua.organizations.models import (
    Cluster,
    ClusterYear,
    Membership,
    Organization,
    OrganizationProfile,
    Succession,
)


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, force=True, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Organization, Succession, OrganizationProfile, Cluster, ClusterYear, Membership, User, RoleAssignment)
    return {model.__name__: model.objects.count() for model in models}


# One test, three loads: the whole demo takes seconds to load, so the command's two promises
# are checked on the same run. Transactional, as the command runs: its flush commits.
@pytest.mark.django_db(transaction=True)
def test_loading_again_changes_nothing_and_reset_rebuilds_from_scratch():
    load()
    first, audit_rows = counts(), AuditEntry.objects.count()

    again = load()

    assert counts() == first
    assert AuditEntry.objects.count() == audit_rows
    assert again == (
        "Dữ liệu trình diễn: 21 đơn vị, cụm C9 (3 năm), 9 tài khoản; năm 2020 tới giai đoạn “proposals”.\n"
    )

    OrganizationFactory(short_code="EXTRA")
    Organization.objects.filter(short_code="TG").update(name="Tên bị sửa")

    reset = load("--reset")

    assert reset == "Đã xóa dữ liệu cũ.\n" + again
    assert counts() == first
    assert not Organization.objects.filter(short_code="EXTRA").exists()
    assert Organization.objects.get(short_code="TG").name == "Trường Chính trị tỉnh Tiền Giang"


@pytest.mark.django_db
def test_load_demo_refuses_outside_demo_mode_without_force(settings):
    from django.core.management.base import CommandError

    from thidua.organizations.models import Organization

    settings.DEMO_MODE = False
    settings.DEBUG = False

    with pytest.raises(CommandError, match="chế độ trình diễn"):
        call_command("load_demo")

    assert Organization.objects.count() == 0
