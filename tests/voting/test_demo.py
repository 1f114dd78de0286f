"""The demo conference: Cluster 9's 2020 conference with all twelve schools and a completed
electronic ballot for the leading school; loading twice changes nothing."""

from __future__ import annotations

import pytest

from thidua.demo import accounts, organizations
from thidua.demo.voting import QUESTION, load_voting
from thidua.voting import queries
from thidua.voting.models import Ballot, BallotStatus, CastBallot, Conference, VoteCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(fast_password_hashing):
    loaded = organizations.load()
    accounts.load(loaded)
    return loaded


def test_the_demo_conference_has_its_attendance_and_a_closed_ballot(loaded):
    load_voting(loaded)
    load_voting(loaded)
    conference = Conference.objects.get()
    assert conference.date.strftime("%d/%m/%Y") == "09/11/2020"
    assert conference.host.short_code == "TG"
    assert len(queries.present_members(conference)) == 12
    ballot = Ballot.objects.get(question=QUESTION)
    assert ballot.status == BallotStatus.CLOSED
    assert VoteCode.objects.filter(ballot=ballot, used=True).count() == 12
    assert CastBallot.objects.filter(ballot=ballot).count() == 12
    rows = {r.short_code: (r.votes, r.elected) for r in queries.result_rows(ballot)}
    assert rows["TG"] == (10, True)
    assert sum(v for v, _ in rows.values()) == 12
