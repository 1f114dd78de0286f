"""The typed snapshot of the published results: read back from a real published export exactly
(decimals, not floats), and the one eligibility rule every reader applies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories.results import export_snapshot
from tests.results.test_services import finalise, one_reviewer
from tests.reviews.results_world import build
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.results import services
from thidua.results.models import CampaignResults
from thidua.results.snapshot import Condition, ResultsSnapshot, read_published
from thidua.scoring.verify import fingerprint

FLAG, CERTIFICATE = "Cờ thi đua", "Bằng khen"


@pytest.fixture
def published(db):
    """A and B self-assess and are reviewed; B did not meet DK1 (which blocks the flag); the
    mean of three reviewers makes A's I.1 an inexact 26/3."""
    finals = {"A": {"I.1": "9", "I.2": "6", "II.1": "6"}, "B": {"I.1": "8", "I.2": "7", "II.1": "5"}}
    reviews = one_reviewer(finals)
    reviews["A"] = [{"I.1": "9", "I.2": "6", "II.1": "6"}, {"I.1": "9"}, {"I.1": "8"}]
    world = build(finals, reviews, cluster_code="S")
    node = CriterionNode.objects.create(
        framework=world.framework, kind=NodeKind.CONDITION, code="DK1", title="Không có cán bộ bị kỷ luật",
        params={"blocks": [FLAG]}, order=9,
    )  # fmt: skip
    for school, passed in zip(world.schools, (True, False), strict=True):
        assessment = SelfAssessment.objects.get(campaign=world.campaign, organization=school)
        AssessmentEntry.objects.update_or_create(assessment=assessment, node=node, defaults={"passed": passed})
    finalise(world)
    services.publish(actor=world.secretariat, campaign=world.campaign)
    return world


def test_nothing_is_read_before_publication(db):
    finals = {"A": {"I.1": "9", "I.2": "6", "II.1": "6"}, "B": {"I.1": "8", "I.2": "7", "II.1": "5"}}
    world = build(finals, one_reviewer(finals), cluster_code="U")
    assert read_published(world.campaign) is None


def test_the_published_export_reads_back_exactly(published, django_assert_num_queries):
    stored = CampaignResults.objects.get(campaign=published.campaign)

    with django_assert_num_queries(1):
        snapshot = read_published(published.campaign)

    assert snapshot is not None
    assert snapshot.fingerprint == stored.fingerprint == fingerprint(stored.snapshot)
    assert [row.code for row in snapshot.rows] == [row["code"] for row in stored.snapshot["results"]]
    for row, written in zip(snapshot.rows, stored.snapshot["results"], strict=True):
        assert isinstance(row.total, Decimal)
        assert str(row.total) == written["total"]
        assert {code: str(points) for code, points in row.groups.items()} == written["groups"]
        assert (row.rank, row.rank_label, row.band) == (written["rank"], written["rank_label"], written["band"])
        assert list(row.eligible_titles) == written["eligible_titles"]
        assert list(row.rank_interval or ()) == stored.snapshot["rank_intervals"][row.code]
    a = snapshot.row("A")
    assert a is not None
    # The mean 26/3 of I.1, + 6 (I.2) + 6 (II.1): the engine's 20 decimals, which no float keeps.
    assert (a.total, a.groups["I"]) == (Decimal("20.66666666666666666667"), Decimal("14.66666666666666666667"))
    assert snapshot.conditions == (Condition("DK1", "Không có cán bộ bị kỷ luật", (FLAG,)),)
    assert (a.conditions_met, snapshot.row("B").conditions_met) == ({"DK1": True}, {"DK1": False})


def test_reading_leaves_the_stored_export_and_its_fingerprint_untouched(published):
    stored = CampaignResults.objects.get(campaign=published.campaign)
    before = fingerprint(stored.snapshot)

    ResultsSnapshot.from_export(stored.snapshot)

    stored.refresh_from_db()
    assert fingerprint(stored.snapshot) == before == stored.fingerprint


def test_the_conditions_of_the_published_export_decide_eligibility(published):
    snapshot = read_published(published.campaign)
    assert snapshot is not None

    assert snapshot.named_titles == frozenset({FLAG})
    assert [row.code for row in snapshot.eligible_rows(FLAG)] == ["A"]
    assert snapshot.blocking_conditions("B", FLAG) == snapshot.conditions
    assert snapshot.blocking_conditions("B", FLAG)[0].label == "DK1 «Không có cán bộ bị kỷ luật»"
    assert snapshot.blocking_conditions("A", FLAG) == ()


def _ranked(**parts) -> ResultsSnapshot:
    """B eligible for both titles, A blocked for the flag (C.2), X for both (C.1)."""
    return ResultsSnapshot.from_export(
        export_snapshot(
            [
                {"code": "B", "total": "96.5", "rank": 1, "eligible_titles": [FLAG, CERTIFICATE]},
                {"code": "A", "total": "91.25", "rank": 2, "eligible_titles": [CERTIFICATE]},
                {"code": "X", "total": "88", "rank": 3, "eligible_titles": []},
            ],
            **parts,
        )
    )


CONDITIONS = [
    {"code": "C.1", "title": "Không có cán bộ bị kỷ luật", "blocks": [FLAG, CERTIFICATE]},
    {"code": "C.2", "title": "Hoàn thành xuất sắc nhiệm vụ", "blocks": [FLAG]},
]


def test_a_named_title_admits_the_schools_that_list_it():
    snapshot = _ranked(conditions=CONDITIONS)
    assert [r.code for r in snapshot.eligible_rows(FLAG)] == ["B"]
    assert [r.code for r in snapshot.eligible_rows(CERTIFICATE)] == ["B", "A"]


def test_without_a_title_the_schools_eligible_for_any_title_are_admitted():
    assert [r.code for r in _ranked(conditions=CONDITIONS).eligible_rows()] == ["B", "A"]


def test_a_title_no_condition_names_restricts_nobody():
    snapshot = _ranked(conditions=CONDITIONS)
    assert [r.code for r in snapshot.eligible_rows("Tập thể lao động xuất sắc")] == ["B", "A", "X"]
    assert [r.code for r in _ranked().eligible_rows(FLAG)] == ["B", "A", "X"]


def test_a_condition_the_school_did_not_answer_counts_as_not_met():
    snapshot = _ranked(conditions=CONDITIONS, condition_results={"A": {"C.1": True}})
    assert [c.code for c in snapshot.blocking_conditions("A", FLAG)] == ["C.2"]
    assert [c.code for c in snapshot.blocking_conditions("A", CERTIFICATE)] == []
    assert [c.code for c in snapshot.blocking_conditions("X", CERTIFICATE)] == ["C.1"]


def test_a_school_the_results_do_not_rank_has_no_row():
    assert _ranked().row("Z") is None


def test_another_format_is_refused():
    document = export_snapshot([])
    document["format"] = "thidua-results/1"
    with pytest.raises(ValueError, match="thidua-results/2"):
        ResultsSnapshot.from_export(document)
