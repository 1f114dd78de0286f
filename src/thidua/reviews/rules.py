"""Who may see and do what in peer review (PRODUCT.md §4, §8).

- The secretariat of the campaign's cluster year (and the administrator) sees every review
  (it manages assignments and conflicts: ``campaigns.manage_assignments``).
- A reviewer sees only the schools assigned to them (never their own school: an assignment
  never pairs them), edits their own review until it is submitted, and sees the other
  reviewers' points of that school only once their own review is submitted.
- A school never learns who reviews it unless ``campaign.reviewers_visible_to_schools``.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from thidua.accounts.roles import roleset
from thidua.campaigns.models import Campaign, ReviewerAssignment
from thidua.campaigns.rules import is_school_officer
from thidua.reviews.models import Review, ReviewStatus


def sees_all_reviews(user: Any, campaign: Campaign) -> bool:
    rs = roleset(user)
    cy = campaign.cluster_year
    return rs.is_admin or rs.is_academy or rs.is_secretariat(cy.cluster_id, cy.year)


@rules.predicate
def can_view_assignment(user: Any, assignment: ReviewerAssignment | None) -> bool:
    if assignment is None or not (user and user.is_authenticated):
        return False
    if assignment.reviewer_id == user.pk:
        return True
    return sees_all_reviews(user, assignment.campaign)


def assignments_visible_to(user: Any) -> QuerySet[ReviewerAssignment]:
    """``reviews.view_assignment`` as a filter: the user's own assignments, and every
    assignment of the years whose reviews they see (``sees_all_reviews``)."""
    if not (user and user.is_authenticated):
        return ReviewerAssignment.objects.none()
    rs = roleset(user)
    if rs.is_admin or rs.is_academy:
        return ReviewerAssignment.objects.all()
    return ReviewerAssignment.objects.filter(
        Q(reviewer_id=user.pk) | rs.secretariat_q("campaign__cluster_year__cluster_id", "campaign__cluster_year__year")
    )


@rules.predicate
def can_edit_review(user: Any, review: Review | None) -> bool:
    return (
        review is not None
        and review.status != ReviewStatus.SUBMITTED
        and bool(user and user.is_authenticated)
        and review.assignment.reviewer_id == user.pk
    )


def sees_other_reviews(user: Any, assignment: ReviewerAssignment, own_review: Review | None) -> bool:
    """The other reviewers' points of this school: the secretariat always; the reviewer only
    after submitting their own review."""
    if sees_all_reviews(user, assignment.campaign):
        return True
    return own_review is not None and own_review.status == ReviewStatus.SUBMITTED


def school_sees_reviewers(user: Any, campaign: Campaign, school_id: int) -> bool:
    """Whether this user may see who reviews ``school_id``: the secretariat always; the
    school's own people only if the campaign allows it."""
    if sees_all_reviews(user, campaign):
        return True
    return bool(campaign.reviewers_visible_to_schools) and is_school_officer(user, school_id)


rules.add_perm("reviews.view_assignment", can_view_assignment)
rules.add_perm("reviews.change_review", can_edit_review)
