"""One code, one ballot — also when two submissions race (separate threads, separate database
connections, real transactions; runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.voting.conftest import candidate_ids, make_ballot
from thidua.voting import services
from thidua.voting.models import CastBallot, CastChoice, VoteCode

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
