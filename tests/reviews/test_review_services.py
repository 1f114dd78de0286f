"""Peer-review services: the reviewer pool, generating and editing assignments (audited),
conflicts, the reviewer's entries (own points, confirm, correct with a comment), staleness,
the phase and deadline, submission, and the reviewer's points by the engine."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories.accounts import UserFactory, grant
from thidua.accounts.models import Role
from thidua.campaigns.assignments import services as assignment_services
from thidua.campaigns.deadlines import DeadlinePassed, PhaseClosed
from thidua.campaigns.models import Campaign, ConflictDeclaration, ReviewerAssignment
from thidua.campaigns.phases import Phase
from thidua.core.models import AuditEntry
from thidua.reviews import services
from thidua.reviews.models import ReviewStatus


def test_pool_is_the_reviewers_of_member_schools_in_scope(rev):
    outsider = UserFactory(username="olga", organization=rev.world.school_c)
    grant(outsider, Role.REVIEWER, organization=rev.world.school_c)  # C is not a member of K 2020
    other_year = UserFactory(username="oscar", organization=rev.world.school_b)
    grant(other_year, Role.REVIEWER, organization=rev.world.school_b, cluster=rev.world.cluster, year=2021)
    unscoped = UserFactory(username="uma", organization=rev.world.school_b)
    grant(unscoped, Role.REVIEWER, organization=rev.world.school_b)
    pool = assignment_services.reviewer_pool(rev.campaign)
    assert pool == {
        rev.world.school_a.pk: sorted([rev.rita.pk, rev.rosa.pk]),
        rev.world.school_b.pk: sorted([rev.ravi.pk, unscoped.pk]),
        rev.school_e.pk: [rev.rex.pk],
    }


def test_generate_gives_each_school_k_reviewers_of_other_schools_and_is_audited(rev):
    created = assignment_services.generate_assignments(actor=rev.world.alice, campaign=rev.campaign, seed=7)
    assert len(created) == 6
    for assignment in ReviewerAssignment.objects.filter(campaign=rev.campaign):
        assert assignment.reviewer_school_id != assignment.school_id
    per_school = {}
    for a in ReviewerAssignment.objects.filter(campaign=rev.campaign):
        per_school.setdefault(a.school_id, set()).add(a.reviewer_id)
    assert all(len(v) == 2 for v in per_school.values())
    row = AuditEntry.objects.get(action="reviews.assignments.generate")
    assert row.data["seed"] == 7
    assert row.data["created"] == 6
    # generating again keeps everything and adds nothing
    assert assignment_services.generate_assignments(actor=rev.world.alice, campaign=rev.campaign, seed=8) == []


def test_generate_is_deterministic(rev):
    assignment_services.generate_assignments(actor=None, campaign=rev.campaign, seed=3)
    first = sorted(ReviewerAssignment.objects.values_list("reviewer_id", "school_id"))
    ReviewerAssignment.objects.all().delete()
    assignment_services.generate_assignments(actor=None, campaign=rev.campaign, seed=3)
    assert sorted(ReviewerAssignment.objects.values_list("reviewer_id", "school_id")) == first


def test_generate_refuses_when_infeasible_naming_the_school(rev):
    with pytest.raises(ValidationError) as caught:
        assignment_services.generate_assignments(actor=None, campaign=rev.campaign, seed=1, k=4)
    assert "Không đủ người chấm" in caught.value.messages[0]


def test_only_the_secretariat_generates(rev):
    with pytest.raises(services.NotAllowed):
        assignment_services.generate_assignments(actor=rev.world.bob, campaign=rev.campaign, seed=1)


def test_add_and_remove_one_assignment_with_audit(rev):
    assignment = assignment_services.add_assignment(
        actor=rev.world.alice, campaign=rev.campaign, school=rev.world.school_b, reviewer=rev.rex, reason="Bổ sung"
    )
    assert assignment.reviewer_school_id == rev.school_e.pk
    with pytest.raises(ValidationError, match="chính mình"):
        assignment_services.add_assignment(
            actor=rev.world.alice, campaign=rev.campaign, school=rev.world.school_a, reviewer=rev.rita
        )
    with pytest.raises(ValidationError, match="đã được phân công"):
        assignment_services.add_assignment(
            actor=rev.world.alice, campaign=rev.campaign, school=rev.world.school_b, reviewer=rev.rex
        )
    assignment_services.remove_assignment(actor=rev.world.alice, assignment=assignment, reason="Nhầm")
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    actions = list(AuditEntry.objects.filter(action__startswith="reviews.assignment.").values_list("action", "reason"))
    assert ("reviews.assignment.add", "Bổ sung") in actions
    assert ("reviews.assignment.remove", "Nhầm") in actions


def test_a_submitted_review_cannot_be_removed(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    rev.fill_own(rev.rita, review)
    services.submit(actor=rev.rita, review=review)
    with pytest.raises(ValidationError, match="đã nộp"):
        assignment_services.remove_assignment(actor=rev.world.alice, assignment=review.assignment)


def test_conflict_removes_the_assignment_and_generation_respects_it(rev):
    rev.assign(rev.rita, rev.world.school_b)
    assignment_services.declare_conflict(
        actor=rev.rita, campaign=rev.campaign, reviewer=rev.rita, school=rev.world.school_b, reason="Người thân"
    )
    assert not ReviewerAssignment.objects.filter(reviewer=rev.rita, school=rev.world.school_b).exists()
    assert ConflictDeclaration.objects.filter(reviewer=rev.rita).count() == 1
    assignment_services.generate_assignments(actor=None, campaign=rev.campaign, seed=11)
    assert not ReviewerAssignment.objects.filter(reviewer=rev.rita, school=rev.world.school_b).exists()
    with pytest.raises(ValidationError, match="xung đột"):
        assignment_services.add_assignment(
            actor=None, campaign=rev.campaign, school=rev.world.school_b, reviewer=rev.rita
        )
    with pytest.raises(services.NotAllowed):
        assignment_services.declare_conflict(
            actor=rev.world.bob, campaign=rev.campaign, reviewer=rev.rosa, school=rev.world.school_b, reason="x"
        )


def test_review_has_one_entry_per_criterion(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    codes = set(review.entries.values_list("node__code", flat=True))
    assert {"I.1", "I.2", "I.4", "B.1", "P.2", "C.1"} <= codes
    with pytest.raises(services.NotAllowed):
        services.ensure_review(actor=rev.rosa, assignment=review.assignment)


def test_own_points_checked_like_the_school(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    saved = rev.save(rev.rita, review, "I.4", value=Decimal("1.25"), comment="Kế hoạch chưa đủ")
    assert saved.points == Decimal("1.25")
    assert saved.version == 1
    assert saved.confirmed is None
    with pytest.raises(ValidationError) as caught:
        rev.save(rev.rita, review, "I.4", value=Decimal("1.3"))
    assert "bước" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        rev.save(rev.rita, review, "I.4", value=Decimal(5))
    assert rev.save(rev.rita, review, "I.1", value="Khá").level == "Khá"
    with pytest.raises(ValidationError):
        rev.save(rev.rita, review, "I.1", confirmed=True)


def test_confirm_and_correct_with_required_comment(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    assert rev.save(rev.rita, review, "I.2", confirmed=True).confirmed is True
    with pytest.raises(ValidationError) as caught:
        rev.save(rev.rita, review, "II.3", confirmed=False, value=2)
    assert "nhận xét" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        rev.save(rev.rita, review, "II.3", confirmed=False, comment="Chỉ có 2 biên bản")
    corrected = rev.save(rev.rita, review, "II.3", confirmed=False, value=2, comment="Chỉ có 2 biên bản")
    assert (corrected.confirmed, corrected.count, corrected.comment) == (False, 2, "Chỉ có 2 biên bản")
    confirmed = rev.save(rev.rita, review, "II.3", confirmed=True)
    assert confirmed.count is None


def test_stale_save_is_refused(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    opened = rev.entry(review, "I.4")
    rev.save(rev.rita, review, "I.4", value=Decimal(1))
    with pytest.raises(services.StaleReviewEntry):
        services.save_entry(actor=rev.rita, entry=opened, expected_version=opened.version, value=Decimal(2))


def test_only_the_assigned_reviewer_saves(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    entry = rev.entry(review, "I.4")
    with pytest.raises(services.NotAllowed):
        services.save_entry(actor=rev.rosa, entry=entry, expected_version=0, value=Decimal(1))


def test_phase_and_deadline_enforced(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    entry = rev.entry(review, "I.4")
    late = timezone.now() + datetime.timedelta(days=11)
    with pytest.raises(DeadlinePassed):
        services.save_entry(actor=rev.rita, entry=entry, expected_version=0, value=Decimal(1), now=late)
    Campaign.objects.filter(pk=rev.campaign.pk).update(phase=Phase.CLARIFICATION)
    with pytest.raises(PhaseClosed):
        services.save_entry(actor=rev.rita, entry=entry, expected_version=0, value=Decimal(1))


def test_submit_requires_own_items_and_locks(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    with pytest.raises(ValidationError, match="chưa cho điểm"):
        services.submit(actor=rev.rita, review=review)
    rev.fill_own(rev.rita, review)
    submitted = services.submit(actor=rev.rita, review=review)
    assert submitted.status == ReviewStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="review.submit").exists()
    with pytest.raises(services.ReviewLocked):
        rev.save(rev.rita, review, "I.4", value=Decimal(2))


def test_reviewer_points_apply_corrections_and_leave_the_rest(rev):
    review = rev.review(rev.rita, rev.world.school_b)
    before = services.compute_review(review)
    assert before.ok, before.error
    # uncorrected inputs stand: the school's I.2 pass gives 2, II.3 4 × 0.5 = 2
    assert before.scores["I.2"].points == Decimal(2)
    assert before.scores["II.3"].points == Decimal(2)
    rev.save(rev.rita, review, "II.3", confirmed=False, value=1, comment="Chỉ 1 biên bản")
    rev.save(rev.rita, review, "I.4", value=Decimal("0.5"))
    rev.save(rev.rita, review, "I.2", confirmed=True)
    after = services.compute_review(review)
    assert after.scores["II.3"].points == Decimal("0.5")
    assert after.scores["I.4"].points == Decimal("0.5")
    assert after.scores["I.2"].points == Decimal(2)
    assert after.total == before.total - Decimal("1.5") - Decimal(1)


def test_submitted_points_lists_only_submitted_reviews(rev):
    first = rev.review(rev.rita, rev.world.school_b)
    second = rev.review(rev.rex, rev.world.school_b)
    rev.fill_own(rev.rita, first)
    services.submit(actor=rev.rita, review=first)
    rows = services.submitted_points(rev.campaign, rev.world.school_b.pk)
    assert [row.reviewer_id for row in rows] == [rev.rita.pk]
    assert rows[0].leaves["I.4"] == Decimal(1)
    assert second.status == ReviewStatus.DRAFT


# --- the demo -----------------------------------------------------------------------------


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


def test_demo_reviews_load_once_with_plausible_submitted_reviews(demo):
    from thidua.demo.reviews import SEED, load_reviews
    from thidua.reviews.models import Review, ReviewEntry

    campaign = Campaign.objects.get(cluster_year__cluster=demo.cluster, cluster_year__year=2020)
    rows = load_reviews(demo)  # still in self-assessment: accounts and assignments only
    assert len(rows) == 3 * campaign.cluster_year.memberships.count()
    assert not Review.objects.exists()
    cm = [a for a in rows if a.reviewer.username == "chamcheo.cm"]
    assert cm
    assert all(a.school.short_code != "CM" for a in cm)
    assert all(a.reviewer_school_id != a.school_id for a in rows)
    Campaign.objects.filter(pk=campaign.pk).update(phase=Phase.REVIEW)
    load_reviews(demo)
    submitted = Review.objects.filter(status=ReviewStatus.SUBMITTED)
    assert submitted.count() >= 3 * 10  # the ten schools that submitted their self-assessment
    corrected = ReviewEntry.objects.filter(confirmed=False)
    assert corrected.exists()
    assert not corrected.filter(comment="").exists()
    assert ReviewEntry.objects.filter(confirmed=True).count() > corrected.count() * 5
    before = sorted(ReviewEntry.objects.values_list("pk", "version", "confirmed", "points", "level", "count"))
    load_reviews(demo)
    assert sorted(ReviewEntry.objects.values_list("pk", "version", "confirmed", "points", "level", "count")) == before
    assert AuditEntry.objects.filter(action="reviews.assignments.generate", data__seed=SEED).count() == 1
