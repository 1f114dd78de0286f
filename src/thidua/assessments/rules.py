"""Who may see and change a school's self-assessment (PRODUCT.md §8: nobody sees what is not
theirs).

- A draft is the school's alone (its officers and leaders).
- Once submitted, the cluster year's secretariat (and the Academy) see it.
- From the review phase on, the reviewers assigned to that school see it.
- Only the school's officers and leaders edit a draft; only its leader (principal) submits.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from thidua.accounts.roles import roleset
from thidua.assessments.models import SelfAssessment
from thidua.campaigns.models import ReviewerAssignment, SubmissionStatus
from thidua.campaigns.phases import ORDER, Phase, index, is_at_or_after
from thidua.campaigns.rules import is_school_leader, is_school_officer, officer_school_ids


def is_own_school(user: Any, assessment: SelfAssessment) -> bool:
    return is_school_officer(user, assessment.organization_id)


def is_assigned_reviewer(user: Any, assessment: SelfAssessment) -> bool:
    if not is_at_or_after(assessment.campaign.phase, Phase.REVIEW):
        return False
    if not (user and user.is_authenticated):
        return False
    return ReviewerAssignment.objects.filter(
        campaign_id=assessment.campaign_id, school_id=assessment.organization_id, reviewer_id=user.pk
    ).exists()


@rules.predicate
def can_view_assessment(user: Any, assessment: SelfAssessment | None) -> bool:
    if assessment is None:
        return False
    if is_own_school(user, assessment):
        return True
    if assessment.status != SubmissionStatus.SUBMITTED:
        return False
    rs = roleset(user)
    cy = assessment.campaign.cluster_year
    if rs.is_admin or rs.is_academy or rs.is_secretariat(cy.cluster_id, cy.year):
        return True
    return is_assigned_reviewer(user, assessment)


def assessments_visible_to(user: Any) -> QuerySet[SelfAssessment]:
    """``assessments.view_assessment`` as a filter: the user's schools' own (drafts too), and
    the submitted ones of the years they run, or of the schools they are assigned to review
    from the review phase on (everything submitted for the Academy and the administrator)."""
    rs = roleset(user)
    own = Q(organization_id__in=officer_school_ids(rs))
    submitted = Q(status=SubmissionStatus.SUBMITTED)
    if rs.is_admin or rs.is_academy:
        return SelfAssessment.objects.filter(own | submitted)
    reads = rs.secretariat_q("campaign__cluster_year__cluster_id", "campaign__cluster_year__year")
    if user and user.is_authenticated:
        assigned = ReviewerAssignment.objects.filter(
            campaign_id=OuterRef("campaign_id"), school_id=OuterRef("organization_id"), reviewer_id=user.pk
        )
        reads |= Q(Exists(assigned), campaign__phase__in=ORDER[index(Phase.REVIEW) :])
    return SelfAssessment.objects.filter(own | (submitted & reads))


@rules.predicate
def can_edit_assessment(user: Any, assessment: SelfAssessment | None) -> bool:
    return assessment is not None and not assessment.is_locked and is_own_school(user, assessment)


@rules.predicate
def can_submit_assessment(user: Any, assessment: SelfAssessment | None) -> bool:
    return assessment is not None and not assessment.is_locked and is_school_leader(user, assessment.organization_id)


@rules.predicate
def can_reopen_assessment(user: Any, assessment: SelfAssessment | None) -> bool:
    if assessment is None or not assessment.is_locked:
        return False
    rs = roleset(user)
    cy = assessment.campaign.cluster_year
    return rs.is_admin or rs.is_secretariat(cy.cluster_id, cy.year)


rules.add_perm("assessments.view_assessment", can_view_assessment)
rules.add_perm("assessments.change_assessment", can_edit_assessment)
rules.add_perm("assessments.submit_assessment", can_submit_assessment)
rules.add_perm("assessments.reopen_assessment", can_reopen_assessment)
