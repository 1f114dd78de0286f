"""Default candidates: the eligible schools in rank order from the published results."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories.assessments import make_campaign
from thidua.reviews.models import CampaignResults
from thidua.voting import queries

pytestmark = pytest.mark.django_db


def test_default_candidates_follow_the_published_ranking_and_skip_the_ineligible(world, fast_password_hashing):
    campaign = make_campaign(world.year_2020)
    CampaignResults.objects.create(
        campaign=campaign,
        published_at=timezone.now(),
        snapshot={
            "schools": [{"code": "A"}, {"code": "B"}],
            "results": [
                {"code": "B", "total": "96.5", "rank": 1, "rank_label": "1", "eligible_titles": ["Cờ thi đua"]},
                {
                    "code": "A",
                    "total": "91.25",
                    "rank": 2,
                    "rank_label": "2",
                    "eligible_titles": ["Cờ thi đua"],
                    "rank_interval": [1, 2],
                },
            ],
        },
    )
    default = queries.default_candidates(world.year_2020)
    assert default.from_results is True
    assert [(r.organization.short_code, r.basis["total"], r.basis["rank"]) for r in default.rows] == [
        ("B", "96.5", 1),
        ("A", "91.25", 2),
    ]
    assert (default.rows[1].basis["rank_low"], default.rows[1].basis["rank_high"]) == (1, 2)
    CampaignResults.objects.filter(campaign=campaign).update(
        snapshot={"results": [{"code": "B", "rank": 1, "eligible_titles": []}, {"code": "A", "rank": 2}]}
    )
    assert [r.organization.short_code for r in queries.default_candidates(world.year_2020).rows] == ["A"]


def test_without_published_results_the_members_are_the_candidates(world):
    default = queries.default_candidates(world.year_2020)
    assert default.from_results is False
    assert [r.organization.short_code for r in default.rows] == ["A", "B"]


def test_candidates_show_the_rank_intervals_published_with_the_results(world, fast_password_hashing):
    campaign = make_campaign(world.year_2020)
    CampaignResults.objects.create(
        campaign=campaign,
        published_at=timezone.now(),
        snapshot={
            "results": [
                {"code": "B", "total": "96.5", "rank": 1, "eligible_titles": ["Cờ thi đua"]},
                {"code": "A", "total": "91.25", "rank": 2, "eligible_titles": ["Cờ thi đua"]},
            ],
            "rank_intervals": {"A": [1, 3], "B": [1, 1]},
        },
    )

    rows = queries.default_candidates(world.year_2020).rows

    assert [(r.organization.short_code, r.basis["rank_low"], r.basis["rank_high"]) for r in rows] == [
        ("B", 1, 1),
        ("A", 1, 3),
    ]
