"""One code, one ballot — also when two submissions race (separate threads, separate database
connections, real transactions; runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.voting.conftest import candidate_ids, make_ballot
from thidua.voting import codes, services
from thidua.voting.models import Ballot, BallotStatus, CastBallot, CastChoice, VoteCode

pytestmark = pytest.mark.django_db(transaction=True)


def _race(code: str, choice: int, runners: int = 2) -> list[object]:
    barrier = threading.Barrier(runners)
    outcomes: list[object] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.cast_vote(code=code, candidate_ids=[choice]))
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_simultaneous_submissions_of_one_code_store_exactly_one_ballot(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    (code,) = services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    choice = candidate_ids(ballot)["A"]
    outcomes = _race(code, choice)
    receipts = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(receipts), len(refused)) == (1, 1)
    assert list(CastBallot.objects.filter(ballot=ballot).values_list("receipt", flat=True)) == receipts
    assert CastChoice.objects.count() == 1
    assert VoteCode.objects.get(ballot=ballot).used is True


def test_many_racing_submissions_of_one_code_still_store_one_ballot(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    (code,) = services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    outcomes = _race(code, candidate_ids(ballot)["B"], runners=4)
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert CastBallot.objects.filter(ballot=ballot).count() == 1


def test_a_vote_racing_the_close_is_either_counted_or_refused_never_stored_after_the_count(meeting, world, monkeypatch):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    first, late = services.generate_codes(actor=world.alice, ballot=ballot, count=2)
    choice = candidate_ids(ballot)["A"]
    services.cast_vote(code=first, candidate_ids=[choice])
    closing, rewrite = threading.Event(), services._rewrite_in_receipt_order

    def slow_rewrite(*args, **kwargs):  # the close has counted and holds its locks: a vote arrives now
        closing.set()
        time.sleep(1)
        rewrite(*args, **kwargs)

    monkeypatch.setattr(services, "_rewrite_in_receipt_order", slow_rewrite)
    outcomes: list[object] = []

    def close() -> None:
        try:
            services.close_ballot(actor=world.alice, ballot=ballot)
        finally:
            connection.close()

    def vote() -> None:
        closing.wait(timeout=10)
        try:
            outcomes.append(services.cast_vote(code=late, candidate_ids=[choice]))
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=close), threading.Thread(target=vote)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    closed = Ballot.objects.get(pk=ballot.pk)
    assert closed.status == BallotStatus.CLOSED
    (outcome,) = outcomes
    assert isinstance(outcome, ValidationError)
    refusals = {"Lượt bỏ phiếu này chưa mở hoặc đã kết thúc."}
    if connection.vendor == "sqlite":  # the test database is shared-cache memory: a second writer is refused at once
        refusals.add("Hệ thống đang bận, hãy gửi lại phiếu.")
    assert outcome.message_dict["code"][0] in refusals
    assert CastBallot.objects.filter(ballot=ballot).count() == closed.result["ballots_counted"] == 1
    assert VoteCode.objects.get(code_hash=codes.code_hash(late)).used is False
