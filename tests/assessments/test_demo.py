"""The demo's self-assessments: Cluster 9's twelve schools in 2020, in mixed states, with
plausible values for every rule, loaded once however often the demo is loaded."""

from __future__ import annotations

import pytest
from django.utils import timezone

from thidua.assessments import services
from thidua.assessments.inputs import check_value
from thidua.assessments.models import AssessmentEntry, Evidence, EvidenceKind, SelfAssessment
from thidua.campaigns.deadlines import effective_deadline
from thidua.campaigns.phases import Phase
from thidua.core.models import StoredFile
from thidua.criteria.entries import entry_rule
from thidua.demo import accounts, assessments, campaigns, criteria, organizations

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(fast_password_hashing, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo's evidence files go to a throwaway storage
    loaded = organizations.load()
    accounts.load(loaded)
    criteria.load(loaded)
    campaigns.load(loaded)
    assessments.load(loaded)
    return loaded


def states() -> dict[str, str]:
    return dict(SelfAssessment.objects.values_list("organization__short_code", "status"))


def test_the_demo_has_every_school_in_mixed_states_with_plausible_values(demo):
    assert states() == {
        **dict.fromkeys(("AG", "BL", "BT", "CM", "DT", "LA", "ST", "TG", "TV", "VL"), "submitted"),
        "HG": "draft",
        "KG": "draft",
    }
    kg = SelfAssessment.objects.select_related("campaign", "organization").get(organization__short_code="KG")
    due, extended = effective_deadline(kg.campaign, kg.organization, Phase.SELF_ASSESSMENT)
    assert extended
    assert due > timezone.now()
    assert 0 < kg.entries.filter(version__gt=0).count() < kg.entries.count()
    entries = AssessmentEntry.objects.select_related("node", "assessment__organization")
    for entry in entries:
        rule = entry_rule(entry.node)
        check_value(rule, getattr(entry, rule.field))  # every stored value passes its rule
    tg = SelfAssessment.objects.get(organization__short_code="TG")
    leaves = tg.entries.filter(node__kind="leaf")
    assert not leaves.filter(
        points__isnull=True, passed__isnull=True, level="", count__isnull=True, actual__isnull=True
    )
    for assessment in SelfAssessment.objects.filter(status="submitted"):
        result = services.compute(assessment)
        assert result.ok
        assert 50 < result.total <= 100
    assert Evidence.objects.filter(kind=EvidenceKind.LINK).count() > 50
    assert Evidence.objects.filter(kind=EvidenceKind.FILE).count() >= 4
    assert StoredFile.objects.filter(extension__in=["pdf", "png"]).count() >= 2
    assert Evidence.objects.filter(entry__assessment__organization__short_code="HG").count() == 0


def test_loading_again_changes_nothing(demo):
    before = list(AssessmentEntry.objects.order_by("pk").values_list("pk", "version", "points", "level", "actual"))
    evidence = Evidence.objects.count()

    assessments.load(demo)

    assert (
        list(AssessmentEntry.objects.order_by("pk").values_list("pk", "version", "points", "level", "actual")) == before
    )
    assert Evidence.objects.count() == evidence
