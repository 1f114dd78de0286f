"""The basis is filled from the published results and the linked ballot."""

from __future__ import annotations

import datetime

from tests.factories.results import publish_snapshot
from thidua.awards.basis import describe
from thidua.voting.models import Ballot, BallotStatus, Candidate, Conference, RulePreset


def _publish(aw):
    publish_snapshot(
        aw.campaign,
        [
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


def _publish_titles(aw):
    """A is blocked for the Cờ thi đua (C.2 not met), B for nothing."""
    from tests.voting.conftest import CERTIFICATE, FLAG, publish_results

    publish_results(
        aw.campaign,
        [
            {"code": "B", "total": "96", "rank": 1, "eligible_titles": [FLAG, CERTIFICATE]},
            {"code": "A", "total": "91", "rank": 2, "eligible_titles": [CERTIFICATE]},
        ],
        condition_results={"A": {"C.1": True, "C.2": False}, "B": {"C.1": True, "C.2": True}},
    )


def test_a_proposal_for_a_title_the_nominee_is_blocked_for_shows_a_warning(aw, client_for):
    from django.urls import reverse

    _publish_titles(aw)

    flag = aw.propose(code="co-hoc-vien")

    assert flag.basis["title_check"] == {
        "title": "Cờ thi đua",
        "eligible": False,
        "conditions": ["C.2 «Tập thể được đánh giá hoàn thành xuất sắc nhiệm vụ trong năm»"],
    }
    html = client_for(aw.world.alice).get(reverse("awards:proposal", args=[flag.pk])).content.decode()
    assert '<div class="alert alert-warning" id="title-check" role="status">' in html
    assert (
        "Theo kết quả đã công bố, đơn vị chưa đủ điều kiện xét danh hiệu “Cờ thi đua” (tương ứng với Cờ thi đua "
        "của Học viện Chính trị quốc gia Hồ Chí Minh). Điều kiện chưa đạt: C.2 «Tập thể được đánh giá hoàn thành "
        "xuất sắc nhiệm vụ trong năm»."
    ) in html


def test_the_same_nominee_is_eligible_for_the_certificate_and_an_award_without_a_title_is_not_checked(aw):
    _publish_titles(aw)

    certificate = aw.propose(code="bang-khen-giam-doc")
    medal = aw.propose(code="huan-chuong-lao-dong-3")
    flag_for_b = aw.propose(nominee=aw.world.school_b, code="co-hoc-vien")

    assert certificate.basis["title_check"] == {"title": "Bằng khen", "eligible": True, "conditions": []}
    assert "title_check" not in medal.basis
    assert flag_for_b.basis["title_check"]["eligible"] is True


def test_proposals_and_ballots_apply_one_rule(aw):
    from thidua.awards.basis import check_title
    from thidua.voting import queries

    _publish_titles(aw)
    for code in ("co-hoc-vien", "bang-khen-giam-doc", "huan-chuong-lao-dong-3"):
        award = aw.awards[code]
        listed = {r.organization for r in queries.default_candidates(aw.world.year_2020, award=award).rows}
        for school in (aw.world.school_a, aw.world.school_b):
            check = check_title(campaign=aw.campaign, nominee=school, award=award)
            assert (check is None or check.eligible) == (school in listed), (code, school.short_code)
