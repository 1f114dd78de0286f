"""Secrecy by construction: nothing in the schema links a cast ballot (or its choices) to a
person, a school, a code or a time, and no export carries such a link. The test looks for one."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection, models

from tests.documents.readers import docx_text, open_docx
from tests.voting.conftest import candidate_ids, make_ballot
from thidua.core.models import AuditEntry
from thidua.voting import documents, queries, services
from thidua.voting.models import Ballot, CastBallot, CastChoice, VoteCode

pytestmark = pytest.mark.django_db

FORBIDDEN_TARGETS = {"accounts.user", "organizations.organization", "voting.votecode", "voting.delegate"}


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many]


@pytest.mark.parametrize("model", [CastBallot, CastChoice])
def test_a_cast_ballot_and_its_choices_reference_no_person_school_code_or_time(model):
    for field in _fields(model):
        assert not isinstance(field, models.DateField | models.TimeField | models.DurationField), field.name
        target = field.related_model
        if target is not None:
            assert target._meta.label_lower not in FORBIDDEN_TARGETS, field.name
    names = {f.name for f in _fields(model)}
    assert names <= {"id", "ballot", "receipt", "choices", "cast_ballot", "candidate"}


def test_cast_ballots_and_choices_have_random_keys_so_their_order_reveals_nothing():
    assert isinstance(CastBallot._meta.pk, models.UUIDField)
    assert isinstance(CastChoice._meta.pk, models.UUIDField)
    assert CastBallot._meta.ordering == ["receipt"]


def test_a_vote_code_records_only_that_it_was_used():
    names = {f.name for f in VoteCode._meta.get_fields() if getattr(f, "concrete", False)}
    assert names == {"id", "ballot", "code_hash", "used"}


def test_no_reverse_relation_reaches_a_cast_ballot_from_a_code_or_a_school():
    for model in (VoteCode,):
        for rel in model._meta.related_objects:
            assert rel.related_model not in (CastBallot, CastChoice)


def test_no_export_links_a_voter_or_a_code_to_a_ballot(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    ids = candidate_ids(ballot)
    plain = services.generate_codes(actor=world.alice, ballot=ballot, count=3)
    receipts = [
        services.cast_vote(code=plain[0], candidate_ids=[ids["A"]]),
        services.cast_vote(code=plain[1], candidate_ids=[ids["B"]]),
        services.cast_vote(code=plain[2], candidate_ids=[ids["A"]]),
    ]
    ballot = services.close_ballot(actor=world.alice, ballot=ballot)
    published = json.dumps([p.__dict__ for p in queries.published_ballots(ballot)], ensure_ascii=False)
    audit = json.dumps(
        list(AuditEntry.objects.values("data", "object_repr", "reason")), ensure_ascii=False, default=str
    )
    minutes = docx_text(open_docx(documents.conference_minutes_docx(meeting.conference)))
    tally = docx_text(open_docx(documents.tally_minutes_docx(ballot)))
    delegates = [d.name for d in meeting.conference.delegates.all()]
    hashes = list(VoteCode.objects.values_list("code_hash", flat=True))
    for text in (published, audit, minutes, tally):
        for secret in [*plain, *hashes]:
            assert secret not in text
    # the published list names candidates and receipts only: no delegate, no code
    for name in delegates:
        assert name not in published
    # no receipt appears anywhere but in the published list
    for receipt in receipts:
        assert receipt in published
        assert receipt not in audit
        assert receipt not in minutes
        assert receipt not in tally
    # the published list carries only receipt and choices
    assert set(json.loads(published)[0]) == {"receipt", "choices"}
    # no time of voting is in the published list or the audit of the ballot
    assert not re.search(r"\d{2}:\d{2}", published)
    assert not AuditEntry.objects.filter(action__contains="cast").exists()


# ---- the stored order of cast ballots ------------------------------------------------------

# The database's own order of rows: SQLite stores a table in rowid order, PostgreSQL in ctid
# (page, slot) order. Read here with raw SQL, as someone holding a copy of the file would.
RECEIPTS_AS_STORED = {
    "sqlite": "SELECT receipt FROM voting_castballot WHERE ballot_id = %s ORDER BY rowid",
    "postgresql": "SELECT receipt FROM voting_castballot WHERE ballot_id = %s ORDER BY ctid",
}
CHOICES_AS_STORED = {
    "sqlite": "SELECT cb.receipt, cc.candidate_id FROM voting_castchoice cc "
    "JOIN voting_castballot cb ON cb.id = cc.cast_ballot_id WHERE cb.ballot_id = %s ORDER BY cc.rowid",
    "postgresql": "SELECT cb.receipt, cc.candidate_id FROM voting_castchoice cc "
    "JOIN voting_castballot cb ON cb.id = cc.cast_ballot_id WHERE cb.ballot_id = %s ORDER BY cc.ctid",
}


def _physical_receipts(ballot: Ballot) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(RECEIPTS_AS_STORED[connection.vendor], [ballot.pk])
        return [row[0] for row in cursor.fetchall()]


def _physical_choices(ballot: Ballot) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(CHOICES_AS_STORED[connection.vendor], [ballot.pk])
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _stored(ballot: Ballot) -> dict[str, set[int]]:
    """Receipt → the candidate ids chosen, as the ORM reads them."""
    found: dict[str, set[int]] = {
        r: set() for r in CastBallot.objects.filter(ballot=ballot).values_list("receipt", flat=True)
    }
    for receipt, candidate in CastChoice.objects.filter(cast_ballot__ballot=ballot).values_list(
        "cast_ballot__receipt", "candidate_id"
    ):
        found[receipt].add(candidate)
    return found


def test_closing_stores_the_cast_ballots_and_their_choices_in_receipt_order(meeting, world):
    ballot = make_ballot(meeting, actor=world.alice, preset="council-flag", max_choices=2, electorate_size=10)
    ballot = services.open_ballot(actor=world.alice, ballot=ballot)
    other = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    ids = candidate_ids(ballot)
    other_ids = candidate_ids(other)
    plain = services.generate_codes(actor=world.alice, ballot=ballot, count=5)  # five present
    other_codes = services.generate_codes(actor=world.alice, ballot=other, count=2)
    # Chosen in an order unlike the candidates' order, so that candidate order is something to check.
    wanted = [
        ["G", "A"], ["B"], ["F", "D"], [], ["E", "B"], ["A"], ["D", "G"], ["B", "A"], ["E"], ["F", "A"],
    ]  # fmt: skip
    cast: dict[str, set[int]] = {}
    other_receipts = []
    for index, code in enumerate(plain):
        choice = [ids[k] for k in wanted[index]]
        cast[services.cast_vote(code=code, candidate_ids=choice)] = set(choice)
        if index in (1, 3):  # another ballot's votes arrive in between
            other_receipts.append(
                services.cast_vote(code=other_codes[len(other_receipts)], candidate_ids=[other_ids["A"]])
            )
    for choice_codes in wanted[5:]:  # absent members' written votes (the preset counts them)
        choice = [ids[k] for k in choice_codes]
        cast[services.record_written_vote(actor=world.alice, ballot=ballot, candidate_ids=choice)] = set(choice)
    receipts_in_casting_order = list(cast)
    assert _physical_receipts(ballot) == receipts_in_casting_order  # what closing must undo

    ballot = services.close_ballot(actor=world.alice, ballot=ballot)

    in_receipt_order = sorted(cast)
    assert _physical_receipts(ballot) == in_receipt_order
    position = {c.pk: c.order for c in ballot.candidates.all()}
    assert _physical_choices(ballot) == [
        (receipt, candidate) for receipt in in_receipt_order for candidate in sorted(cast[receipt], key=position.get)
    ]
    # the same ballots, receipts and choices, and the count made from them
    assert _stored(ballot) == cast
    assert CastBallot.objects.filter(ballot=ballot).count() == 10
    assert CastChoice.objects.filter(cast_ballot__ballot=ballot).count() == sum(len(c) for c in cast.values())
    votes = {str(ids[k]): sum(ids[k] in c for c in cast.values()) for k in ids}
    assert {c["key"]: c["votes"] for c in ballot.result["candidates"]} == votes
    assert queries.electronic_counts(ballot) == {int(k): v for k, v in votes.items() if v}
    assert ballot.result["ballots_counted"] == 10
    assert [p.receipt for p in queries.published_ballots(ballot)] == in_receipt_order
    for receipt in cast:
        assert queries.ballot_for_receipt(receipt) == ballot
    # the other ballot, still open, is left as it was
    assert _physical_receipts(other) == other_receipts
    assert _stored(other) == {r: {other_ids["A"]} for r in other_receipts}


def test_closing_a_ballot_nobody_voted_on_changes_nothing(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    ballot = services.close_ballot(actor=world.alice, ballot=ballot)
    assert _physical_receipts(ballot) == []
    assert ballot.result["ballots_counted"] == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_sqlite_zeroes_the_bytes_of_deleted_rows():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
