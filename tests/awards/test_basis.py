"""The basis is filled from the published results and the linked ballot."""

from __future__ import annotations

import datetime

from django.utils import timezone

from thidua.awards.basis import describe
from thidua.reviews.models import CampaignResults
from thidua.voting.models import Ballot, BallotStatus, Candidate, Conference, RulePreset


def _publish(aw):
    CampaignResults.objects.create(
        campaign=aw.campaign,
        published_at=timezone.now(),
        snapshot={
            "schools": [{"code": "A", "name": "x"}, {"code": "B", "name": "y"}],
            "results": [
                {
                    "code": "A",
                    "total": "95.50",
                    "groups": {"I": "18.5"},
                    "rank": 1,
                    "rank_label": "1",
                    "band": "Xuất sắc",
                    "eligible_titles": ["Cờ thi đua"],
                },
                {
                    "code": "B",
                    "total": "90.00",
                    "groups": {"I": "17"},
                    "rank": 2,
                    "rank_label": "2",
                    "band": "Tốt",
                    "eligible_titles": [],
                },
            ],
        },
    )


def _ballot(aw):
    preset = RulePreset.objects.create(code="cum", name="Cụm", quorum="0.66667", threshold="0.5")
    conference = Conference.objects.create(
        cluster_year=aw.world.year_2020, date=datetime.date(2020, 11, 9), place="Tiền Giang", host=aw.world.school_a
    )
    ballot = Ballot.objects.create(
        conference=conference, question="Suy tôn Cờ thi đua", award=aw.awards["co-hoc-vien"], preset=preset,
        electorate_size=2, status=BallotStatus.CLOSED,
    )  # fmt: skip
    first = Candidate.objects.create(ballot=ballot, organization=aw.world.school_a, order=1)
    second = Candidate.objects.create(ballot=ballot, organization=aw.world.school_b, order=2)
    # The voting part keys the counts by the Candidate's id.
    ballot.result = {
        "electorate": 2, "votes_needed": 2,
        "candidates": [
            {"key": str(second.pk), "votes": 0, "reached": False, "elected": False},
            {"key": str(first.pk), "votes": 2, "reached": True, "elected": True},
        ],
    }  # fmt: skip
    ballot.save()
    return ballot


def test_the_basis_comes_from_the_results_and_the_ballot(aw):
    _publish(aw)
    ballot = _ballot(aw)

    proposal = aw.propose(ballot=ballot)

    assert proposal.basis["results"] == {
        "total": "95.50", "rank": "1", "members": 2, "classification": "Xuất sắc",
        "eligible_titles": ["Cờ thi đua"], "groups": [{"code": "I", "title": "", "points": "18.5"}],
    }  # fmt: skip
    assert proposal.basis["vote"] == {
        "ballot_id": ballot.pk, "question": "Suy tôn Cờ thi đua", "round": 1, "electorate": 2, "threshold": "2",
        "votes": 2, "reached": True,
    }  # fmt: skip
    assert describe(proposal.basis) == [
        "Kết quả chấm điểm thi đua: tổng điểm 95,5, xếp thứ 1/2, xếp loại Xuất sắc.",
        "Kết quả bỏ phiếu suy tôn: 2/2 phiếu (ngưỡng 2), đạt.",
    ]


def test_without_results_the_typed_basis_is_kept(aw):
    proposal = aw.propose(note="Xếp thứ nhất theo biên bản họp Cụm")
    assert describe(proposal.basis) == ["Xếp thứ nhất theo biên bản họp Cụm"]
