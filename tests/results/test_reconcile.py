"""Reconciliation through the services: every policy hand-computed, flags, decisions, lock."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from tests.reviews.results_world import build
from thidua.core.models import AuditEntry
from thidua.results import reconcile
from thidua.results.models import CampaignResults, FinalScore, FinalSource

pytestmark = pytest.mark.django_db

SELF = {"A": {"I.1": "8", "I.2": "9", "II.1": "7"}, "B": {"I.1": "10", "I.2": "6", "II.1": "5"}}
REVIEWS = {
    "A": [
        {"I.1": "6", "I.2": "9", "II.1": "7"},
        {"I.1": "7", "I.2": "9", "II.1": "7"},
        {"I.1": "8", "I.2": "8", "II.1": "7"},
    ],
    "B": [
        {"I.1": "5", "I.2": "6", "II.1": "5"},
        {"I.1": "6", "I.2": "6", "II.1": "5"},
        {"I.1": "7", "I.2": "6", "II.1": "5"},
    ],
}


def rows_by(world):
    return {
        (row.school.short_code, row.node.code): row for row in reconcile.leaf_rows(reconcile.load_basis(world.campaign))
    }


def test_reviewer_points_and_mean_policy():
    world = build(SELF, REVIEWS)
    rows = rows_by(world)
    a_i2 = rows[("A", "I.2")]
    assert a_i2.self_points == Decimal(9)
    assert [p for _r, _n, p in a_i2.reviews] == [Decimal(9), Decimal(9), Decimal(8)]
    # exactly 26 / 3, shown (and stored) rounded half-up at the 20th decimal
    assert a_i2.proposed == Fraction(26, 3)
    assert str(a_i2.proposed) == "8.66666666666666666667"
    assert rows[("A", "I.1")].proposed == Decimal(7)
    # B I.1: self 10 vs mean 6 → gap 4 > 0.2 × 10 = 2: flagged; reviewers spread 2 is not > 2.
    assert rows[("B", "I.1")].flags == ("self_vs_review",)
    assert not rows[("A", "I.1")].flagged
    # flagged leaves come first
    assert next(iter(reconcile.leaf_rows(reconcile.load_basis(world.campaign)))).flagged


def test_median_policy():
    world = build(SELF, REVIEWS, policy="median")
    rows = rows_by(world)
    assert rows[("A", "I.2")].proposed == Decimal(9)
    assert rows[("B", "I.1")].proposed == Decimal(6)


def test_trimmed_mean_refused_with_three_reviewers():
    world = build(SELF, REVIEWS, policy="trimmed_mean")
    row = rows_by(world)[("A", "I.1")]
    assert row.proposed is None
    assert "ít nhất 5 người chấm" in row.refusal
    with pytest.raises(ValidationError):
        reconcile.accept(
            actor=world.secretariat, campaign=world.campaign, school=world.schools[0], node=world.node("I.1")
        )


def test_trimmed_mean_with_five_reviewers():
    five = {"A": [{"I.1": v, "I.2": "5", "II.1": "5"} for v in ("1", "6", "7", "8", "10")], "B": REVIEWS["B"]}
    world = build(SELF, five, policy="trimmed_mean")
    rows = rows_by(world)
    # drop 1 and 10: (6 + 7 + 8) / 3 = 7
    assert rows[("A", "I.1")].proposed == Decimal(7)
    assert rows[("A", "I.1")].flags == ("reviewers_disagree",)


def test_panel_policy_has_no_proposal_and_decisions_are_panel():
    world = build(SELF, REVIEWS, policy="panel")
    row = rows_by(world)[("A", "I.1")]
    assert row.proposed is None
    final = reconcile.override(
        actor=world.secretariat, campaign=world.campaign, school=world.schools[0], node=world.node("I.1"),
        points=Decimal("7.5"), reason="Hội đồng họp ngày 10/1",
    )  # fmt: skip
    assert final.source == FinalSource.PANEL


def test_accept_override_bulk_and_lock():
    world = build(SELF, REVIEWS)
    a, b = world.schools
    with pytest.raises(ValidationError):
        reconcile.override(actor=world.secretariat, campaign=world.campaign, school=b, node=world.node("I.1"),
                           points=Decimal(8), reason="  ")  # fmt: skip
    with pytest.raises(ValidationError):
        reconcile.override(actor=world.secretariat, campaign=world.campaign, school=b, node=world.node("I.1"),
                           points=Decimal(11), reason="Quá điểm tối đa")  # fmt: skip
    final = reconcile.override(
        actor=world.secretariat, campaign=world.campaign, school=b, node=world.node("I.1"), points=Decimal(8),
        reason="Minh chứng bổ sung khi giải trình",
    )  # fmt: skip
    assert (final.source, final.proposed, final.points) == (FinalSource.OVERRIDE, Decimal(6), Decimal(8))
    audit = AuditEntry.objects.get(action="reviews.final.override")
    assert audit.reason == "Minh chứng bổ sung khi giải trình"
    with pytest.raises(ValidationError):
        reconcile.lock(actor=world.secretariat, campaign=world.campaign)
    assert reconcile.accept_unflagged(actor=world.secretariat, campaign=world.campaign) == 5
    reconcile.lock(actor=world.secretariat, campaign=world.campaign)
    assert CampaignResults.objects.get(campaign=world.campaign).finals_locked_at is not None
    assert FinalScore.objects.filter(campaign=world.campaign).count() == 6
    with pytest.raises(ValidationError):
        reconcile.accept(actor=world.secretariat, campaign=world.campaign, school=a, node=world.node("I.1"))


def test_api_reconciliation_and_results(client):
    world = build(SELF, REVIEWS)
    base = f"/api/v1/campaign-results/{world.campaign.pk}/"
    client.force_login(world.officers[1])
    assert client.get(base + "reconciliation/").status_code == 403
    assert client.get(base + "results/").status_code == 404
    client.force_login(world.secretariat)
    rows = client.get(base + "reconciliation/").json()
    assert rows[0]["flags"]
    assert rows[0]["reviews"][0]["reviewer"].startswith("Giám khảo")
    bad = client.post(base + "override/", {"school": "B", "node": "I.1", "points": "8", "reason": ""},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    ok = client.post(base + "override/", {"school": "B", "node": "I.1", "points": "8", "reason": "Theo giải trình"},
                     content_type="application/json")  # fmt: skip
    assert ok.json()["source"] == "override"
    assert client.post(base + "accept-unflagged/").json() == {"accepted": 5}
    assert client.post(base + "lock/").status_code == 200
    assert client.post(base + "publish/").status_code == 200
    client.force_login(world.officers[1])
    found = client.get(base + "results/").json()
    assert [s["code"] for s in found["schools"]] == ["A", "B"]
    exported = client.get(base + "export/").json()
    assert exported["format"] == "thidua-results/2"
    from thidua.scoring.verify import fingerprint

    assert found["fingerprint"] == fingerprint(exported)
