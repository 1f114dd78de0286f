"""The demo's Cluster 9 2020 campaign: 2020 deadlines, registrations of all 12 schools signed
off with reproducible targets, the covenant signed in 2020, the phase at self-assessment, and
Kiên Giang's extension running into the present so that the demo can be tried out. (One test:
loading the demo takes a while.)"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from thidua.campaigns import queries
from thidua.campaigns.common import when
from thidua.campaigns.models import Campaign, Covenant, Extension, Registration, SubmissionStatus
from thidua.campaigns.phases import Phase

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_tells_cluster_9s_2020_year_and_loading_it_again_changes_nothing():
    call_command("load_demo", force=True, stage="assessments", verbosity=0)
    call_command("load_demo", force=True, stage="assessments", verbosity=0)

    campaign = Campaign.objects.get()
    assert (campaign.cluster_year.cluster.code, campaign.cluster_year.year) == ("C9", 2020)
    assert campaign.framework.name == "Bảng tiêu chí chấm điểm thi đua Cụm thi đua số 9 năm 2020"
    assert campaign.phase == Phase.SELF_ASSESSMENT
    assert {phase: when(due) for phase, due in queries.deadlines_by_phase(campaign).items()} == {
        "registration": "31/03/2020 23:59",
        "self_assessment": "15/10/2020 23:59",
        "review": "25/10/2020 23:59",
        "clarification": "31/10/2020 23:59",
    }
    assert [(m.from_phase, m.to_phase, m.actor_name) for m in queries.phase_history(campaign)] == [
        ("setup", "registration", "Lê Minh Tâm"),
        ("registration", "activities", "Lê Minh Tâm"),
        ("activities", "self_assessment", "Lê Minh Tâm"),
    ]

    registrations = Registration.objects.filter(campaign=campaign)
    assert registrations.count() == 12
    assert set(registrations.values_list("status", flat=True)) == {SubmissionStatus.SUBMITTED}
    assert {timezone.localdate(r.submitted_at).strftime("%m/%Y") for r in registrations} == {"03/2020"}
    kg = registrations.get(organization__short_code="KG")
    assert kg.submitted_by.username == "hieutruong.kg"
    assert {t.node.code: t.target for t in kg.targets.select_related("node")} == {
        "I.3": Decimal(90),
        "II.1": Decimal(51),
        "II.2": Decimal(2430),
        "II.6": Decimal(12),
        "III.1": Decimal(10),
        "IV.3": Decimal(10),
        "IV.4": Decimal(3),
        "V.2": Decimal(70),
    }
    assert kg.aimed_titles == ["Bằng khen", "Tập thể lao động xuất sắc"]

    covenant = Covenant.objects.select_related("scan").get(campaign=campaign)
    assert covenant.signed_on == datetime.date(2020, 4, 3)
    assert covenant.scan.content_type == "application/pdf"

    extension = Extension.objects.get(campaign=campaign)
    assert (extension.organization.short_code, extension.phase) == ("KG", Phase.SELF_ASSESSMENT)
    assert extension.until > timezone.now() + datetime.timedelta(days=29)
