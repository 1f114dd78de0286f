"""Who reviews whom (phân công chấm chéo): every change as one function with an explicit
``actor``, in one transaction, checked, audited in that same transaction.

- ``reviewer_pool`` — who may review: users holding the reviewer role (``Role.REVIEWER``) at a
  member school of the campaign's cluster year, granted for that cluster and year or without
  a cluster/year scope;
- ``generate_assignments`` — ``assign.assign_reviewers`` with a seed: keeps the assignments
  already made, adds what each school lacks up to ``campaign.reviewers_per_school``;
- ``add_assignment`` / ``remove_assignment`` — one edit each, never a reviewer of the school
  itself, never a declared conflict, never removing a submitted review;
- ``declare_conflict`` — a reviewer (or the secretariat for them) declares a conflict of
  interest; an assignment of that pair not yet submitted is removed.

The review an assignment leads to (``reviews.Review``, reached as ``assignment.review``) is
the review app's; a submitted one keeps its assignment (``review_submitted``). ``actor=None``
is the system (the demo loader): it skips the permission checks, never the phase.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.accounts.models import Role, RoleAssignment
from thidua.campaigns.assignments.assign import AssignmentInfeasible, assign_reviewers
from thidua.campaigns.models import Campaign, ConflictDeclaration, ReviewerAssignment, SubmissionStatus
from thidua.campaigns.phases import Phase, is_at_or_after
from thidua.core import audit
from thidua.organizations.models import Membership, Organization


class NotAllowed(PermissionDenied):
    """The actor may not do this (the message says why, in words)."""


def review_submitted(assignment: ReviewerAssignment) -> bool:
    """Whether the assignment's review has been submitted (it then stays assigned). Read
    through the relation by its status value, which reviews' ``ReviewStatus`` shares with
    ``SubmissionStatus``, so that campaigns never imports reviews."""
    return ReviewerAssignment.objects.filter(pk=assignment.pk, review__status=SubmissionStatus.SUBMITTED).exists()


# --- permissions helpers ------------------------------------------------------------------


def _is_secretariat(actor: Any, campaign: Campaign) -> bool:
    return actor is None or bool(actor.has_perm("campaigns.manage_assignments", campaign))


def _require_secretariat(actor: Any, campaign: Campaign) -> None:
    if not _is_secretariat(actor, campaign):
        raise NotAllowed(_("Chỉ Thường trực Cụm của năm này mới phân công chấm chéo."))


def _require_assignable(campaign: Campaign) -> None:
    if is_at_or_after(campaign.phase, Phase.CLARIFICATION):
        raise ValidationError(
            _("Đợt thi đua đã qua giai đoạn chấm chéo nên không thay đổi phân công được nữa."), code="phase"
        )


# --- the pool and the assignment ----------------------------------------------------------


def member_ids(campaign: Campaign) -> list[int]:
    return list(
        Membership.objects.filter(cluster_year_id=campaign.cluster_year_id)
        .order_by("organization_id")
        .values_list("organization_id", flat=True)
    )


def reviewer_pool(campaign: Campaign) -> dict[int, list[int]]:
    """Member school id → the ids of its reviewers for this campaign (see the module)."""
    cy = campaign.cluster_year
    members = member_ids(campaign)
    rows = (
        RoleAssignment.objects.filter(role=Role.REVIEWER, organization_id__in=members, user__is_active=True)
        .filter(Q(cluster_id__isnull=True) | Q(cluster_id=cy.cluster_id))
        .filter(Q(year__isnull=True) | Q(year=cy.year))
        .order_by("organization_id", "user_id")
        .values_list("organization_id", "user_id")
    )
    pool: dict[int, list[int]] = defaultdict(list)
    seen: set[int] = set()
    for org_id, user_id in rows:
        if user_id in seen:  # a reviewer belongs to one school (their first grant)
            continue
        seen.add(user_id)
        pool[org_id].append(user_id)
    return dict(pool)


def _reviewer_school(campaign: Campaign, reviewer_id: int) -> int | None:
    for org_id, users in reviewer_pool(campaign).items():
        if reviewer_id in users:
            return org_id
    return None


@transaction.atomic
def generate_assignments(
    *, actor: Any, campaign: Campaign, seed: int, k: int | None = None
) -> list[ReviewerAssignment]:
    """Complete the assignment: each member school gets ``k`` (default: the campaign's
    reviewers per school) reviewers; existing assignments are kept. Returns the new ones.

    Raises ``ValidationError`` when the pool cannot give every school k reviewers (naming
    the schools short of reviewers)."""
    _require_secretariat(actor, campaign)
    _require_assignable(campaign)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    k = campaign.reviewers_per_school if k is None else k
    schools = member_ids(campaign)
    pool = reviewer_pool(campaign)
    conflicts = set(ConflictDeclaration.objects.filter(campaign=campaign).values_list("reviewer_id", "school_id"))
    existing = list(ReviewerAssignment.objects.filter(campaign=campaign).values_list("reviewer_id", "school_id"))
    try:
        pairs = assign_reviewers(schools, pool, k, seed, conflicts, existing)
    except AssignmentInfeasible as exc:
        names = dict(Organization.objects.filter(pk__in=list(exc.short)).values_list("pk", "short_code"))
        detail = ", ".join(
            _("%(school)s có %(n)s") % {"school": names.get(school, school), "n": n}
            for school, n in sorted(exc.short.items())
        )
        raise ValidationError(
            _(
                "Không đủ người chấm để mỗi trường có %(k)s người chấm từ trường khác (số người chấm có thể "
                "phân cho: %(detail)s). Hãy cấp thêm vai trò người chấm chéo hoặc giảm số người chấm mỗi trường."
            )
            % {"k": k, "detail": detail},
            code="infeasible",
        ) from exc
    home = {user_id: org_id for org_id, users in pool.items() for user_id in users}
    have = set(existing)
    created = ReviewerAssignment.objects.bulk_create(
        [
            ReviewerAssignment(
                campaign=campaign, school_id=school, reviewer_id=reviewer, reviewer_school_id=home[reviewer]
            )
            for reviewer, school in pairs
            if (reviewer, school) not in have
        ]
    )
    audit.record(
        actor=actor,
        action="reviews.assignments.generate",
        obj=campaign,
        data={"seed": seed, "k": k, "created": len(created), "kept": len(existing),
              "pairs": [[r, s] for r, s in pairs if (r, s) not in have]},
    )  # fmt: skip
    return created


@transaction.atomic
def add_assignment(
    *, actor: Any, campaign: Campaign, school: Organization, reviewer: Any, reason: str = ""
) -> ReviewerAssignment:
    """The secretariat adds one reviewer to one school."""
    _require_secretariat(actor, campaign)
    _require_assignable(campaign)
    if school.pk not in member_ids(campaign):
        raise ValidationError(
            _("%(school)s không phải thành viên của đợt này.") % {"school": school.name}, code="member"
        )
    home = _reviewer_school(campaign, reviewer.pk)
    if home is None:
        raise ValidationError(
            _("%(name)s không có vai trò người chấm chéo tại một trường thành viên.")
            % {"name": reviewer.get_full_name() or reviewer.get_username()},
            code="not_reviewer",
        )
    if home == school.pk:
        raise ValidationError(_("Người chấm không được chấm trường của chính mình."), code="self_review")
    if ConflictDeclaration.objects.filter(campaign=campaign, reviewer=reviewer, school=school).exists():
        raise ValidationError(_("Người chấm này đã khai báo xung đột lợi ích với trường này."), code="conflict")
    if ReviewerAssignment.objects.filter(campaign=campaign, reviewer=reviewer, school=school).exists():
        raise ValidationError(_("Người này đã được phân công chấm trường này."), code="duplicate")
    assignment = ReviewerAssignment.objects.create(
        campaign=campaign, school=school, reviewer=reviewer, reviewer_school_id=home
    )
    audit.record(
        actor=actor,
        action="reviews.assignment.add",
        obj=campaign,
        data={"school": school.short_code, "reviewer": reviewer.get_username(), "assignment": assignment.pk},
        reason=(reason or "").strip(),
    )
    return assignment


@transaction.atomic
def remove_assignment(*, actor: Any, assignment: ReviewerAssignment, reason: str = "") -> None:
    """The secretariat removes one assignment (never one whose review is submitted)."""
    campaign = assignment.campaign
    _require_secretariat(actor, campaign)
    _require_assignable(campaign)
    if review_submitted(assignment):
        raise ValidationError(_("Người chấm đã nộp bài chấm cho trường này nên không gỡ được."), code="submitted")
    data = {"school": assignment.school.short_code, "reviewer": assignment.reviewer.get_username()}
    assignment.delete()
    audit.record(
        actor=actor, action="reviews.assignment.remove", obj=campaign, data=data, reason=(reason or "").strip()
    )


@transaction.atomic
def declare_conflict(
    *, actor: Any, campaign: Campaign, reviewer: Any, school: Organization, reason: str
) -> ConflictDeclaration:
    """A conflict of interest between ``reviewer`` and ``school`` (the reviewer themselves or
    the secretariat); an assignment of that pair not yet submitted is removed."""
    if actor is not None and actor.pk != reviewer.pk and not _is_secretariat(actor, campaign):
        raise NotAllowed(_("Chỉ người chấm hoặc Thường trực Cụm mới khai báo được xung đột lợi ích."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do xung đột lợi ích.")}, code="reason_required")
    conflict, created = ConflictDeclaration.objects.get_or_create(
        campaign=campaign, reviewer=reviewer, school=school, defaults={"reason": reason}
    )
    removed = False
    assignment = ReviewerAssignment.objects.filter(campaign=campaign, reviewer=reviewer, school=school).first()
    if assignment is not None and not review_submitted(assignment):
        assignment.delete()
        removed = True
    if created or removed:
        audit.record(
            actor=actor,
            action="reviews.conflict.declare",
            obj=campaign,
            data={"school": school.short_code, "reviewer": reviewer.get_username(), "assignment_removed": removed},
            reason=reason,
        )
    return conflict
