"""Secrecy by construction: nothing in the schema links a cast ballot (or its choices) to a
person, a school, a code or a time, and no export carries such a link. The test looks for one."""

from __future__ import annotations

import json
import re

import pytest
from django.db import models

from tests.documents.readers import docx_text, open_docx
from tests.voting.conftest import candidate_ids, make_ballot
from thidua.core.models import AuditEntry
from thidua.voting import documents, queries, services
from thidua.voting.models import CastBallot, CastChoice, VoteCode

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
