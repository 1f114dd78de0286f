"""The conference and the vote through the services: attendance, codes, casting, closing,
paper double entry, rounds, the decision, and a closed ballot that cannot change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.voting.conftest import candidate_ids, make_ballot
from thidua.core.models import AuditEntry
from thidua.organizations.models import Organization
from thidua.voting import codes, queries, services
from thidua.voting.models import Ballot, BallotMethod, BallotStatus, CastBallot, VoteCode

pytestmark = pytest.mark.django_db


def test_attendance_counts_member_schools_checked_in_and_not_guests(meeting):
    assert queries.present_members(meeting.conference).__len__() == 5


def test_opening_fixes_electorate_present_count_and_rules(meeting, world):
    ballot = make_ballot(meeting, actor=world.alice)
    ballot = services.open_ballot(actor=world.alice, ballot=ballot)
    assert (ballot.electorate_size, ballot.present_count, ballot.status) == (6, 5, BallotStatus.OPEN)
    assert ballot.rules_snapshot["quorum"] == "2/3"
    assert ballot.rules_snapshot["threshold"] == "1/2"


def test_the_default_candidates_are_the_members_when_no_results_are_published(meeting, world):
    ballot = make_ballot(meeting, actor=world.alice)
    assert sorted(candidate_ids(ballot)) == ["A", "B", "D", "E", "F", "G"]
    assert queries.default_candidates(world.year_2020).from_results is False


def test_codes_are_stored_only_as_hashes(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    plain = services.generate_codes(actor=world.alice, ballot=ballot, count=5)
    assert len(set(plain)) == 5
    assert all(codes.looks_like_code(c) for c in plain)
    stored = set(VoteCode.objects.filter(ballot=ballot).values_list("code_hash", flat=True))
    assert stored == {codes.code_hash(c) for c in plain}
    assert not any(c in str(AuditEntry.objects.values_list("data", flat=True)) for c in plain)


def test_codes_are_issued_only_against_delegates_checked_in(meeting, world):
    # six members, five delegates checked in (G absent): a sixth code would vote for G
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    with pytest.raises(ValidationError, match="số đại biểu có quyền bỏ phiếu đã điểm danh \\(5\\); đã có 0 mã"):
        services.generate_codes(actor=world.alice, ballot=ballot, count=6)
    services.generate_codes(actor=world.alice, ballot=ballot, count=5)
    with pytest.raises(ValidationError, match="đã có 5 mã"):
        services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    assert VoteCode.objects.filter(ballot=ballot).count() == 5


def test_before_the_opening_codes_follow_the_attendance_at_that_moment(meeting, world):
    draft = make_ballot(meeting, actor=world.alice)
    with pytest.raises(ValidationError, match="\\(5\\)"):
        services.generate_codes(actor=world.alice, ballot=draft, count=6)


def test_an_electronic_vote_elects_with_more_than_half_of_all_members(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    ids = candidate_ids(ballot)
    plain = services.generate_codes(actor=world.alice, ballot=ballot, count=5)
    receipts = [services.cast_vote(code=c, candidate_ids=[ids["A"]]) for c in plain[:4]]
    receipts.append(services.cast_vote(code=plain[4].lower().replace("-", " "), candidate_ids=[ids["B"]]))
    ballot = services.close_ballot(actor=world.alice, ballot=ballot)
    rows = {r.short_code: (r.votes, r.reached, r.elected) for r in queries.result_rows(ballot)}
    assert rows["A"] == (4, True, True)  # 4 of 6 members: more than half
    assert rows["B"] == (1, False, False)
    assert ballot.result["votes_needed"] == 4
    assert ballot.result["quorum_needed"] == 4
    assert ballot.result["ballots_counted"] == 5
    published = queries.published_ballots(ballot)
    assert [p.receipt for p in published] == sorted(receipts)
    assert (
        sorted(p.choices for p in published)
        == [("Trường Chính trị tỉnh Bạc Liêu",)] + [("Trường Chính trị tỉnh Tiền Giang",)] * 4
    )


def test_a_code_votes_once(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    (code,) = services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    services.cast_vote(code=code, candidate_ids=[])
    with pytest.raises(ValidationError, match="không đúng hoặc đã được dùng"):
        services.cast_vote(code=code, candidate_ids=[])
    assert CastBallot.objects.filter(ballot=ballot).count() == 1


def test_a_vote_with_too_many_choices_or_foreign_candidates_is_refused_and_the_code_stays_unused(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    other = make_ballot(meeting, actor=world.alice)
    ids = candidate_ids(ballot)
    (code,) = services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    with pytest.raises(ValidationError, match="tối đa 1"):
        services.cast_vote(code=code, candidate_ids=[ids["A"], ids["B"]])
    with pytest.raises(ValidationError, match="không thuộc"):
        services.cast_vote(code=code, candidate_ids=[candidate_ids(other)["A"]])
    assert VoteCode.objects.get(ballot=ballot).used is False
    assert CastBallot.objects.count() == 0


def test_a_code_cannot_vote_before_the_open_or_after_the_close(meeting, world):
    ballot = make_ballot(meeting, actor=world.alice)
    (code,) = services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    with pytest.raises(ValidationError, match="chưa mở hoặc đã kết thúc"):
        services.cast_vote(code=code, candidate_ids=[])
    services.open_ballot(actor=world.alice, ballot=ballot)
    services.close_ballot(actor=world.alice, ballot=ballot)
    with pytest.raises(ValidationError, match="chưa mở hoặc đã kết thúc"):
        services.cast_vote(code=code, candidate_ids=[])


def test_a_closed_ballot_cannot_change(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    services.close_ballot(actor=world.alice, ballot=ballot)
    ballot.refresh_from_db()
    for attempt in (
        lambda: services.generate_codes(actor=world.alice, ballot=ballot, count=1),
        lambda: services.open_ballot(actor=world.alice, ballot=ballot),
        lambda: services.close_ballot(actor=world.alice, ballot=ballot),
        lambda: services.guard_closed(ballot),
    ):
        with pytest.raises(ValidationError):
            attempt()
    paper = make_ballot(meeting, actor=world.alice, method=BallotMethod.PAPER)
    services.open_ballot(actor=world.alice, ballot=paper)
    ids = candidate_ids(paper)
    for n, teller in ((1, world.alice), (2, world.carol)):
        services.enter_paper_tally(
            actor=teller,
            ballot=paper,
            entry_number=n,
            counts=dict.fromkeys(ids.values(), 0),
            ballots_issued=5,
            ballots_returned=5,
            invalid=0,
        )
    services.close_ballot(actor=world.alice, ballot=paper)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.enter_paper_tally(
            actor=world.alice,
            ballot=paper,
            entry_number=1,
            counts=dict.fromkeys(ids.values(), 1),
            ballots_issued=5,
            ballots_returned=5,
            invalid=0,
        )


def _paper(meeting, world, first, second):
    ballot = services.open_ballot(
        actor=world.alice, ballot=make_ballot(meeting, actor=world.alice, method=BallotMethod.PAPER)
    )
    ids = candidate_ids(ballot)
    for n, teller, counts in ((1, world.alice, first), (2, world.carol, second)):
        full = {ids[k]: counts.get(k, 0) for k in ids}
        services.enter_paper_tally(
            actor=teller,
            ballot=ballot,
            entry_number=n,
            counts=full,
            ballots_issued=5,
            ballots_returned=5,
            invalid=counts.get("invalid", 0),
        )
    return ballot


def test_a_paper_tally_is_accepted_when_both_entries_agree(meeting, world):
    ballot = _paper(meeting, world, {"A": 4, "B": 1}, {"A": 4, "B": 1})
    ballot = services.close_ballot(actor=world.alice, ballot=ballot)
    assert {r.short_code: r.votes for r in queries.result_rows(ballot)}["A"] == 4
    assert ballot.result["elected"] == [str(candidate_ids(ballot)["A"])]


def test_a_paper_tally_that_disagrees_is_refused_and_the_differences_are_shown_field_by_field(meeting, world):
    ballot = _paper(meeting, world, {"A": 4, "B": 1}, {"A": 3, "B": 2, "invalid": 0})
    with pytest.raises(ValidationError, match="khớp nhau"):
        services.close_ballot(actor=world.alice, ballot=ballot)
    diffs = queries.tally_differences(
        list(ballot.tallies.all()), list(ballot.candidates.select_related("organization"))
    )
    assert [(d.label, d.first, d.second) for d in diffs] == [
        ("Trường Chính trị tỉnh Tiền Giang", 4, 3),
        ("Trường Chính trị tỉnh Bạc Liêu", 1, 2),
    ]
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN


def test_the_same_teller_cannot_enter_both_counts(meeting, world):
    ballot = services.open_ballot(
        actor=world.alice, ballot=make_ballot(meeting, actor=world.alice, method=BallotMethod.PAPER)
    )
    ids = candidate_ids(ballot)
    counts = dict.fromkeys(ids.values(), 0)
    services.enter_paper_tally(
        actor=world.alice, ballot=ballot, entry_number=1, counts=counts, ballots_issued=5, ballots_returned=5, invalid=0
    )
    with pytest.raises(ValidationError, match="hai người kiểm phiếu khác nhau"):
        services.enter_paper_tally(
            actor=world.alice,
            ballot=ballot,
            entry_number=2,
            counts=counts,
            ballots_issued=5,
            ballots_returned=5,
            invalid=0,
        )


def test_a_tie_goes_to_a_second_round_and_then_the_head_and_deputies_decide(meeting, world):
    ballot = _paper(meeting, world, {"A": 2, "B": 2, "D": 1}, {"A": 2, "B": 2, "D": 1})
    ballot = services.close_ballot(actor=world.alice, ballot=ballot)
    ids = candidate_ids(ballot)
    assert ballot.result["next_round"] == [str(ids["A"]), str(ids["B"])]
    with pytest.raises(ValidationError):
        services.record_decision(actor=world.alice, ballot=ballot, decision="x", reason="y")
    second = services.start_next_round(actor=world.alice, ballot=ballot)
    assert (second.round_number, second.previous_round_id) == (2, ballot.pk)
    assert sorted(candidate_ids(second)) == ["A", "B"]
    with pytest.raises(ValidationError, match="đã được tạo"):
        services.start_next_round(actor=world.alice, ballot=ballot)
    services.open_ballot(actor=world.alice, ballot=second)
    ids2 = candidate_ids(second)
    for n, teller in ((1, world.alice), (2, world.carol)):
        services.enter_paper_tally(
            actor=teller,
            ballot=second,
            entry_number=n,
            counts={ids2["A"]: 3, ids2["B"]: 2},
            ballots_issued=5,
            ballots_returned=5,
            invalid=0,
        )
    second = services.close_ballot(actor=world.alice, ballot=second)
    assert second.result["elected"] == []  # 3 of 6 is not more than half of the members
    assert second.result["needs_decision"] is True
    decided = services.record_decision(
        actor=world.alice,
        ballot=second,
        decision="Đề nghị Trường Chính trị tỉnh Tiền Giang",
        reason="Tổng điểm cao nhất Cụm và nhiều phiếu hơn ở vòng 2",
    )
    assert decided.decision == "Đề nghị Trường Chính trị tỉnh Tiền Giang"
    with pytest.raises(ValidationError, match="không sửa được"):
        services.record_decision(actor=world.alice, ballot=second, decision="khác", reason="khác")
    entry = AuditEntry.objects.filter(action="voting.decision_recorded").get()
    assert entry.reason == "Tổng điểm cao nhất Cụm và nhiều phiếu hơn ở vòng 2"


def test_absent_members_written_votes_count_for_the_council(meeting, world):
    ballot = make_ballot(meeting, actor=world.alice, preset="council-flag")
    ballot = services.open_ballot(actor=world.alice, ballot=ballot)
    ids = candidate_ids(ballot)
    plain = services.generate_codes(actor=world.alice, ballot=ballot, count=5)
    for c in plain:
        services.cast_vote(code=c, candidate_ids=[ids["A"]])
    services.record_written_vote(actor=world.alice, ballot=ballot, candidate_ids=[ids["A"]])
    with pytest.raises(ValidationError, match="Đã đủ phiếu"):
        services.record_written_vote(actor=world.alice, ballot=ballot, candidate_ids=[ids["A"]])
    ballot = services.close_ballot(actor=world.alice, ballot=ballot)
    assert (ballot.result["participants"], ballot.result["votes_needed"]) == (6, 5)  # 80 % of 6 = 4.8 → 5
    assert {r.short_code: r.votes for r in queries.result_rows(ballot)}["A"] == 6


def test_the_cluster_vote_refuses_written_votes(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    with pytest.raises(ValidationError, match="không tính phiếu bằng văn bản"):
        services.record_written_vote(actor=world.alice, ballot=ballot, candidate_ids=[])


def test_a_cluster_adjusts_its_own_copy_of_a_preset(meeting, world):
    copy = services.copy_preset(actor=world.alice, preset=meeting.presets["cluster-vote"], cluster_year=world.year_2020)
    from decimal import Decimal

    services.update_preset(actor=world.alice, preset=copy, threshold=Decimal("0.6"))
    copy.refresh_from_db()
    assert (copy.cluster_id, copy.threshold) == (world.cluster.pk, Decimal("0.6"))
    with pytest.raises(ValidationError, match="mặc định"):
        services.update_preset(actor=world.alice, preset=meeting.presets["cluster-vote"], threshold=Decimal("0.6"))


def test_stale_conference_edits_are_refused(meeting, world):
    with pytest.raises(ValidationError, match="vừa lưu"):
        services.save_conference(
            actor=world.alice,
            cluster_year=world.year_2020,
            date=meeting.conference.date,
            place="x",
            host=world.school_a,
            version=meeting.conference.version - 1,
        )


def _in_order(ballot):
    return [c.organization.short_code for c in ballot.candidates.select_related("organization")]


def test_a_ballot_for_an_award_lists_the_schools_eligible_for_its_title(ranked_meeting, world):
    meeting = ranked_meeting.meeting
    flag = make_ballot(meeting, actor=world.alice, award=ranked_meeting.flag)
    certificate = make_ballot(meeting, actor=world.alice, award=ranked_meeting.certificate)
    without = make_ballot(meeting, actor=world.alice)
    assert (_in_order(flag), flag.award) == (["B", "E"], ranked_meeting.flag)
    assert _in_order(certificate) == ["B", "A", "E"]  # A is blocked for the Cờ thi đua only
    assert _in_order(without) == ["B", "A", "E"]  # eligible for some title
    assert [c.basis["total"] for c in certificate.candidates.all()] == ["96.5", "91.25", "88.5"]


def test_the_next_round_keeps_the_award(ranked_meeting, world):
    ballot = make_ballot(ranked_meeting.meeting, actor=world.alice, award=ranked_meeting.flag)
    ballot = services.open_ballot(actor=world.alice, ballot=ballot)
    ids = candidate_ids(ballot)
    for code, choice in zip(services.generate_codes(actor=world.alice, ballot=ballot, count=4), "BBEE", strict=True):
        services.cast_vote(code=code, candidate_ids=[ids[choice]])
    ballot = services.close_ballot(actor=world.alice, ballot=ballot)
    second = services.start_next_round(actor=world.alice, ballot=ballot)
    assert (second.award, _in_order(second)) == (ranked_meeting.flag, ["B", "E"])


def test_schools_chosen_by_hand_keep_their_rank_and_total_even_when_not_eligible(ranked_meeting, world):
    chosen = [Organization.objects.get(short_code=c) for c in ("D", "B", "G")]
    ballot = make_ballot(ranked_meeting.meeting, actor=world.alice, award=ranked_meeting.flag, candidates=chosen)
    assert [(c.organization.short_code, c.basis.get("rank")) for c in ballot.candidates.all()] == [
        ("D", 3),
        ("B", 1),
        ("G", None),
    ]


def test_a_ballot_with_more_ballots_cast_than_delegates_present_refuses_to_close_and_says_why(meeting, world):
    # five of six members present; the desk prints six codes and casts them all for A
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    ids = candidate_ids(ballot)
    # codes are capped at the delegates present; a sixth code slipped in all the same (defence in depth)
    plain = [*services.generate_codes(actor=world.alice, ballot=ballot, count=5), codes.new_code()]
    VoteCode.objects.create(ballot=ballot, code_hash=codes.code_hash(plain[-1]))
    for code in plain:
        services.cast_vote(code=code, candidate_ids=[ids["A"]])
    with pytest.raises(ValidationError, match="6 phiếu được kiểm vượt số đại biểu có mặt \\(5\\)"):
        services.close_ballot(actor=world.alice, ballot=ballot)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN


def test_a_paper_tally_with_more_ballots_returned_than_delegates_present_is_refused(meeting, world):
    ballot = services.open_ballot(
        actor=world.alice, ballot=make_ballot(meeting, actor=world.alice, method=BallotMethod.PAPER)
    )
    ids = candidate_ids(ballot)
    with pytest.raises(ValidationError, match="6 phiếu được kiểm vượt số đại biểu có mặt \\(5\\)"):
        services.enter_paper_tally(
            actor=world.alice,
            ballot=ballot,
            entry_number=1,
            counts={ids[k]: (6 if k == "A" else 0) for k in ids},
            ballots_issued=6,
            ballots_returned=6,
            invalid=0,
        )
    assert ballot.tallies.count() == 0


def test_a_paper_tally_with_more_approvals_than_places_times_ballots_is_refused(meeting, world):
    # one place, five valid ballots: at most five approvals in all, here six
    ballot = services.open_ballot(
        actor=world.alice, ballot=make_ballot(meeting, actor=world.alice, method=BallotMethod.PAPER)
    )
    ids = candidate_ids(ballot)
    with pytest.raises(ValidationError, match="6 lượt chọn vượt số chỗ × số phiếu hợp lệ \\(5\\)"):
        services.enter_paper_tally(
            actor=world.alice,
            ballot=ballot,
            entry_number=1,
            counts={ids[k]: {"A": 3, "B": 3}.get(k, 0) for k in ids},
            ballots_issued=5,
            ballots_returned=5,
            invalid=0,
        )
    assert ballot.tallies.count() == 0
