"""Results through the services: hand-computed totals, caps, ties, tie-breaks, bands;
who sees them; publication."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.reviews.results_world import build
from thidua.campaigns.phases import Phase
from thidua.core.models import AuditEntry
from thidua.results import compute, reconcile, rules, services
from thidua.results.models import CampaignResults

pytestmark = pytest.mark.django_db

BANDS = [{"label": "Xuất sắc", "min": 20}, {"label": "Tốt", "min": 15}, {"label": "Khá", "min": 10}]


def finalise(world):
    reconcile.accept_unflagged(actor=world.secretariat, campaign=world.campaign)
    for row in reconcile.leaf_rows(reconcile.load_basis(world.campaign)):
        if row.final is None:
            reconcile.accept(actor=world.secretariat, campaign=world.campaign, school=row.school, node=row.node)
    reconcile.lock(actor=world.secretariat, campaign=world.campaign)
    CampaignResults.objects.filter(campaign=world.campaign).update(bands=BANDS)


def one_reviewer(points: dict[str, dict[str, str]]):
    return {code: [leaves] for code, leaves in points.items()}


def test_caps_ties_and_bands():
    finals = {
        "A": {"I.1": "9", "I.2": "9", "II.1": "6"},  # I capped 18 → 15; total 21
        "B": {"I.1": "8", "I.2": "7", "II.1": "6"},  # 15 + 6 = 21 → tie with A
        "C": {"I.1": "5", "I.2": "5", "II.1": "4"},  # 14
    }
    world = build(finals, one_reviewer(finals))
    finalise(world)
    computed = compute.compute(world.campaign, analytics=False)
    by = {s.code: s for s in computed.result.schools}
    assert by["A"].groups["I"].points == Decimal(15)
    assert by["A"].groups["I"].capped
    assert (by["A"].total, by["B"].total, by["C"].total) == (Decimal(21), Decimal(21), Decimal(14))
    assert (by["A"].rank_label, by["B"].rank_label, by["C"].rank_label) == ("1=", "1=", "3")
    assert computed.bands == {"A": "Xuất sắc", "B": "Xuất sắc", "C": "Khá"}
    assert computed.above("C").total == Decimal(21)
    assert computed.above("A") is None


def test_tie_break_by_group():
    finals = {
        "A": {"I.1": "9", "I.2": "9", "II.1": "6"},  # 21; II = 6
        "B": {"I.1": "7", "I.2": "6", "II.1": "8"},  # 13 + 8 = 21; II = 8 → first
        "C": {"I.1": "5", "I.2": "5", "II.1": "4"},
    }
    world = build(finals, one_reviewer(finals), tie_break=["II"])
    finalise(world)
    computed = compute.compute(world.campaign, analytics=False)
    assert [(s.code, s.rank_label) for s in computed.result.schools] == [("B", "1"), ("A", "2"), ("C", "3")]


def test_visibility_before_and_after_publication():
    finals = {"A": {"I.1": "9", "I.2": "9", "II.1": "6"}, "B": {"I.1": "8", "I.2": "7", "II.1": "6"}}
    world = build(finals, {"A": [finals["A"]] * 2, "B": [finals["B"]] * 2})
    member = world.officers[1]
    assert rules.can_view_results(world.secretariat, world.campaign)
    assert rules.can_view_results(world.academy, world.campaign)
    assert not rules.can_view_results(member, world.campaign)
    assert rules.can_view_leniency(world.secretariat, world.campaign)
    assert not rules.can_view_leniency(member, world.campaign)
    assert not rules.can_view_leniency(world.academy, world.campaign)
    assert not rules.can_see_reviewer_names(member, world.campaign)
    with pytest.raises(ValidationError):
        services.publish(actor=world.secretariat, campaign=world.campaign)
    finalise(world)
    published = services.publish(actor=world.secretariat, campaign=world.campaign)
    world.campaign.refresh_from_db()
    assert world.campaign.phase == Phase.RESULTS
    assert published.snapshot["results"][0]["code"] in {"A", "B"}
    assert rules.can_view_results(member, world.campaign)
    assert not rules.can_view_leniency(member, world.campaign)
    world.campaign.reviewers_visible_to_schools = True
    assert rules.can_see_reviewer_names(member, world.campaign)


def test_analytics_seeded():
    finals = {
        "A": {"I.1": "9", "I.2": "8", "II.1": "6"},
        "B": {"I.1": "8", "I.2": "7", "II.1": "6"},
        "C": {"I.1": "5", "I.2": "5", "II.1": "4"},
    }
    reviews = {
        code: [{k: str(Decimal(v) + d) for k, v in leaves.items()} for d in (0, 1, -1)]
        for code, leaves in finals.items()
    }
    world = build(finals, reviews)
    finalise(world)
    first = compute.compute(world.campaign, resamples=200)
    second = compute.compute(world.campaign, resamples=200)
    assert first.analytics is not None
    assert first.analytics.confidence == second.analytics.confidence
    assert len(first.analytics.leniency) == 9


def test_published_results_keep_their_analytics_and_fingerprint(monkeypatch, client):
    finals = {
        "A": {"I.1": "9", "I.2": "8", "II.1": "6"},
        "B": {"I.1": "8", "I.2": "7", "II.1": "6"},
        "C": {"I.1": "5", "I.2": "5", "II.1": "4"},
    }
    reviews = {
        code: [{k: str(Decimal(v) + d) for k, v in leaves.items()} for d in (0, 1)] for code, leaves in finals.items()
    }
    world = build(finals, reviews)
    finalise(world)
    fresh = compute.compute(world.campaign)
    services.publish(actor=world.secretariat, campaign=world.campaign)
    row = CampaignResults.objects.get(campaign=world.campaign)
    from thidua.scoring.verify import fingerprint

    assert row.fingerprint == fingerprint(row.snapshot)
    assert row.analytics["format"] == 1

    def refuse(*args, **kwargs):
        raise AssertionError("published analytics must be read, not recomputed")

    monkeypatch.setattr(compute, "analyse_cluster", refuse)
    stored = compute.compute(world.campaign)
    assert stored.analytics == fresh.analytics
    client.force_login(world.officers[0])
    page = client.get(_url(world, "results"))
    assert page.status_code == 200
    assert row.fingerprint in page.content.decode()
    assert client.get(_url(world, "results_analytics")).status_code == 200
    # A stored copy this version cannot read is computed again (seeded: the same figures).
    CampaignResults.objects.filter(pk=row.pk).update(analytics={"format": 0})
    monkeypatch.undo()
    assert compute.compute(world.campaign).analytics == fresh.analytics


# --- pages: permissions and query counts ------------------------------------------------------

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402


def _url(world, name, *extra):
    return reverse(f"results:{name}", args=[world.campaign.cluster_year.cluster.code, 2020, *extra])


def _world(n_schools: int, code: str):
    letters = [f"{code}{n:02d}" for n in range(n_schools)]
    finals = {s: {"I.1": str(5 + n % 5), "I.2": str(4 + n % 3), "II.1": str(3 + n % 4)} for n, s in enumerate(letters)}
    reviews = {s: [{k: str(int(v) + d) for k, v in leaves.items()} for d in (0, 1, -1)] for s, leaves in finals.items()}
    return build(finals, reviews, cluster_code=code)


def test_pages_permissions(client):
    world = _world(3, "P")
    finalise(world)
    member = world.officers[1]
    client.force_login(member)
    assert client.get(_url(world, "results")).status_code == 404
    assert client.get(_url(world, "results_school", "P01")).status_code == 404
    assert client.get(_url(world, "reconciliation")).status_code == 403
    client.force_login(world.secretariat)
    page = client.get(_url(world, "analytics" if False else "results_analytics"))
    assert page.status_code == 200
    assert "Giám khảo Nguyễn 1" in page.content.decode()
    services.publish(actor=world.secretariat, campaign=world.campaign)
    client.force_login(member)
    page = client.get(_url(world, "results_analytics")).content.decode()
    assert "Mức rộng tay" not in page
    explanation = client.get(_url(world, "results_school", "P01")).content.decode()
    assert "Người chấm 1" in explanation  # a pseudonym, not a name…
    assert all(user.get_full_name() not in explanation for user in world.reviewers[3:])  # …never the full name
    assert client.get(_url(world, "results_xlsx")).status_code == 200
    assert client.get(_url(world, "results_export")).status_code == 200


def test_unflagged_leaves_are_drawn_when_their_list_is_opened(client):
    world = _world(3, "U")
    client.force_login(world.secretariat)
    page = client.get(_url(world, "reconciliation")).content.decode()
    full = client.get(_url(world, "reconciliation") + "?all=1").content.decode()
    rows = client.get(_url(world, "reconcile_unflagged"))
    assert rows.status_code == 200
    fragment = rows.content.decode()
    unflagged = [r for r in reconcile.leaf_rows(reconcile.load_basis(world.campaign)) if not r.flagged]
    assert unflagged
    ids = [f'id="leaf-{r.school.short_code}-{r.node.code}"' for r in unflagged]
    assert not any(i in page for i in ids)  # the page itself stays small…
    assert 'hx-get="' + _url(world, "reconcile_unflagged") + '"' in page
    assert all(i in fragment for i in ids)  # …the list comes when opened,
    assert all(i in full for i in ids)  # or on one page without JavaScript
    assert fragment.count('name="all" value="1"') == 2 * len(unflagged)
    # Acting on an unflagged leaf comes back to the full list, at that leaf.
    first = unflagged[0]
    back = client.post(
        _url(world, "reconcile_accept"), {"school": first.school.short_code, "node": first.node.code, "all": "1"}
    )
    assert back["Location"].endswith(f"?all=1#leaf-{first.school.short_code}-{first.node.code}")
    client.force_login(world.officers[1])
    assert client.get(_url(world, "reconcile_unflagged")).status_code == 403


def test_the_unflagged_list_costs_the_same_queries_at_any_size(client):
    counts = []
    for size, code in ((3, "V"), (6, "W")):
        world = _world(size, code)
        client.force_login(world.secretariat)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(world, "reconcile_unflagged")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("name", ["reconciliation", "results", "results_analytics"])
def test_query_counts_constant(client, name):
    counts = []
    for size, code in ((3, "X"), (6, "Y")):
        world = _world(size, code)
        if name != "reconciliation":
            finalise(world)
        client.force_login(world.secretariat)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(world, name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.fixture
def demo(db, settings, tmp_path):
    from thidua.demo import accounts, assessments, campaigns, criteria, organizations

    settings.MEDIA_ROOT = tmp_path
    loaded = organizations.load()
    accounts.load(loaded)
    criteria.load(loaded)
    campaigns.load(loaded)
    assessments.load(loaded)
    return loaded


def test_demo_results_published_once(demo, client):
    from thidua.campaigns.models import Campaign
    from thidua.demo.results import load_results
    from thidua.demo.reviews import load_reviews
    from thidua.results.models import FinalScore, FinalSource
    from thidua.reviews.models import Clarification

    campaign = Campaign.objects.get(cluster_year__cluster=demo.cluster, cluster_year__year=2020)
    load_reviews(demo)
    Campaign.objects.filter(pk=campaign.pk).update(phase=Phase.REVIEW)
    load_reviews(demo)
    load_results(demo)
    campaign.refresh_from_db()
    assert campaign.phase == Phase.RESULTS
    row = CampaignResults.objects.get(campaign=campaign)
    assert row.published_at is not None
    assert row.bands
    assert Clarification.objects.filter(campaign=campaign).count() == 3
    assert all(c.messages.exists() for c in Clarification.objects.filter(campaign=campaign))
    overrides = FinalScore.objects.filter(campaign=campaign, source=FinalSource.OVERRIDE)
    assert overrides.count() == 1
    assert overrides.get().reason
    from thidua.scoring.__main__ import verify_export

    assert verify_export(row.snapshot) == []
    before = FinalScore.objects.count()
    load_results(demo)
    assert FinalScore.objects.count() == before
    from thidua.accounts.models import User

    client.force_login(User.objects.get(username="thuongtruc.tg"))
    code = demo.cluster.code
    for name, extra in (("results:results", ()), ("results:results_analytics", ()), ("results:reconciliation", ()),
                        ("reviews:clarifications", ()),
                        ("results:results_school", (row.snapshot["results"][-1]["code"],))):  # fmt: skip
        response = client.get(reverse(name, args=[code, 2020, *extra]))
        assert response.status_code == 200, name
    page = client.get(reverse("results:results", args=[code, 2020])).content.decode()
    assert "Xuất sắc" in page or "Tốt" in page or "Khá" in page


def test_eligibility_from_conditions_and_downloads(client):
    from thidua.assessments.models import AssessmentEntry, SelfAssessment
    from thidua.criteria.models import CriterionNode, NodeKind

    finals = {"A": {"I.1": "9", "I.2": "6", "II.1": "6"}, "B": {"I.1": "8", "I.2": "7", "II.1": "5"}}
    world = build(finals, one_reviewer(finals), cluster_code="E")
    node = CriterionNode.objects.create(
        framework=world.framework, kind=NodeKind.CONDITION, code="DK1", title="Không có cán bộ bị kỷ luật",
        params={"blocks": ["Cờ thi đua"]}, order=9,
    )  # fmt: skip
    for school, passed in zip(world.schools, (True, False), strict=True):
        assessment = SelfAssessment.objects.get(campaign=world.campaign, organization=school)
        AssessmentEntry.objects.update_or_create(assessment=assessment, node=node, defaults={"passed": passed})
    finalise(world)
    computed = compute.compute(world.campaign, analytics=False)
    by = {s.code: s for s in computed.result.schools}
    assert by["A"].eligibility.is_eligible("Cờ thi đua")
    assert not by["B"].eligibility.is_eligible("Cờ thi đua")
    # 15 + 6 = 21 vs 15 + 5 = 20
    assert (by["A"].rank_label, by["B"].rank_label) == ("1", "2")
    client.force_login(world.secretariat)
    for name, start in (("results_pdf", b"%PDF"), ("results_docx", b"PK"), ("results_xlsx", b"PK")):
        response = client.get(_url(world, name))
        assert response.status_code == 200
        assert response.content.startswith(start)


def test_reviewer_names_shown_to_schools_only_when_allowed(client):
    world = _world(3, "N")
    finalise(world)
    services.publish(actor=world.secretariat, campaign=world.campaign)
    client.force_login(world.officers[1])
    url = _url(world, "results_school", "N01")
    reviewers_of_n01 = [r.get_full_name() for r in world.reviewers[3:6]]
    page = client.get(url).content.decode()
    assert not any(name in page for name in reviewers_of_n01)
    world.campaign.reviewers_visible_to_schools = True
    world.campaign.save(update_fields=["reviewers_visible_to_schools"])
    page = client.get(url).content.decode()
    assert all(name in page for name in reviewers_of_n01)


def test_opening_the_reconciliation_and_results_pages_writes_nothing(client):
    world = _world(3, "G")
    CampaignResults.objects.filter(campaign=world.campaign).delete()
    audit_rows = AuditEntry.objects.count()
    client.force_login(world.secretariat)
    for name in ("reconciliation", "results", "results_analytics"):
        assert client.get(_url(world, name)).status_code == 200

    assert not CampaignResults.objects.filter(campaign=world.campaign).exists()
    assert AuditEntry.objects.count() == audit_rows
    reconcile.accept_unflagged(actor=world.secretariat, campaign=world.campaign)  # the first decision creates it
    assert CampaignResults.objects.filter(campaign=world.campaign).exists()
