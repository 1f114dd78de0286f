"""Reconciliation (thống nhất điểm): the engine's inputs of a campaign, the reviewers' points
per leaf, the proposals of the campaign's policy, the discrepancy flags, and the
secretariat's decisions (accept, override with a reason, lock).

How the reviewers' points are computed (documented choice): a reviewer's points of a leaf are
the engine's points of the school's input with the reviewer's corrections — on manual and
levels leaves the reviewer's own points or level; on the other rules the reviewer's corrected
value where given, otherwise the school's input stands. Cluster-dependent leaves are computed
against the other schools' self-assessed inputs. Only *submitted* reviews count. A manual or
levels leaf the reviewer left empty is not scored by that reviewer.

Bonus, penalty and conditions are not reviewed: the school's self-assessed values stand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import User
from thidua.assessments.inputs import VALUE_FIELDS
from thidua.assessments.live import leaf_input, profile_values
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.deadlines import PhaseClosed
from thidua.campaigns.models import Campaign, RegistrationTarget, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.core import audit
from thidua.criteria.compiled import compile_framework
from thidua.criteria.entries import EntryRule
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.organizations.models import Membership, Organization, OrganizationProfile
from thidua.results.models import CampaignResults, FinalScore, FinalSource
from thidua.reviews.models import ReviewEntry, ReviewStatus
from thidua.scoring.engine import ClusterInput, EngineError, Framework, LeafInput, SchoolInput, compute_cluster
from thidua.scoring.engine.reconcile import (
    Discrepancy,
    LeafScores,
    Policy,
    ReconciliationError,
    SchoolReview,
    is_judgement,
    reconcile_leaf,
)
from thidua.scoring.engine.reviewed import reviewer_points

ZERO = Decimal(0)


@dataclass
class Basis:
    """Everything the engine needs about a campaign: framework, schools, self and review points."""

    campaign: Campaign
    framework: Framework
    nodes: dict[str, CriterionNode]
    rules: dict[str, EntryRule]
    schools: list[Organization]
    inputs: dict[str, SchoolInput]  # school code → self-assessed inputs
    reviews: tuple[SchoolReview, ...]
    reviewer_names: dict[str, str]  # reviewer id ("u<pk>") → full name
    comments: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (school, leaf, reviewer) → comment
    problems: list[str] = field(default_factory=list)
    absent: list[Organization] = field(default_factory=list)  # members without a submitted self-assessment
    # school code → reviewer id → leaf → the value the reviewer entered (submitted reviews only)
    corrections: dict[str, dict[str, dict[str, LeafInput]]] = field(default_factory=dict)

    @property
    def policy(self) -> Policy:
        return Policy(self.campaign.reconciliation_policy)

    @property
    def share(self) -> Decimal:
        return Decimal(self.campaign.discrepancy_share)

    def review(self, code: str) -> SchoolReview:
        for school in self.reviews:
            if school.code == code:
                return school
        raise KeyError(code)

    def school(self, code: str) -> Organization:
        for school in self.schools:
            if school.short_code == code:
                return school
        raise KeyError(code)

    def leaf_codes(self) -> list[str]:
        return [leaf.code for leaf in self.framework.leaves()]


def load_basis(campaign: Campaign) -> Basis:
    """Read the campaign once (a fixed number of queries whatever its size)."""
    nodes = list(CriterionNode.objects.filter(framework_id=campaign.framework_id))
    compiled = compile_framework(campaign.framework, nodes)
    framework, rules = compiled.framework, dict(compiled.rules)
    by_code = {node.code: node for node in nodes}
    code_of = {node.pk: node.code for node in nodes}
    members = [
        m.organization
        for m in Membership.objects.filter(cluster_year_id=campaign.cluster_year_id)
        .select_related("organization")
        .order_by("organization__name_sort", "organization_id")
    ]
    # Only the schools that submitted their self-assessment take part in the ranking.
    submitted = set(
        SelfAssessment.objects.filter(campaign_id=campaign.pk, status=SubmissionStatus.SUBMITTED).values_list(
            "organization_id", flat=True
        )
    )
    schools = [school for school in members if school.pk in submitted]
    absent = [school for school in members if school.pk not in submitted]
    code_by_org = {school.pk: school.short_code for school in schools}
    profiles = {
        row.organization_id: row
        for row in OrganizationProfile.objects.filter(
            year=campaign.cluster_year.year, organization_id__in=list(code_by_org)
        )
    }
    targets = {
        (org_id, code_of[node_id]): target
        for org_id, node_id, target in RegistrationTarget.objects.filter(
            registration__campaign_id=campaign.pk, registration__status=SubmissionStatus.SUBMITTED
        ).values_list("registration__organization_id", "node_id", "target")
        if node_id in code_of
    }
    parts: dict[str, dict[str, dict[str, Any]]] = {
        school.short_code: {"leaves": {}, "bonus": {}, "penalty": {}, "conditions": {}} for school in schools
    }
    section: dict[str, str] = {NodeKind.LEAF: "leaves", NodeKind.BONUS: "bonus", NodeKind.PENALTY: "penalty"}
    # Plain values, not model instances: a cluster has thousands of entries.
    for org_id, node_id, *values in AssessmentEntry.objects.filter(
        assessment__campaign_id=campaign.pk, assessment__status=SubmissionStatus.SUBMITTED
    ).values_list("assessment__organization_id", "node_id", *VALUE_FIELDS):
        code = code_of.get(node_id)
        if org_id not in code_by_org or code is None or code not in rules:
            continue
        row = dict(zip(VALUE_FIELDS, values, strict=True))
        rule = rules[code]
        school_parts = parts[code_by_org[org_id]]
        if rule.is_condition:
            if row["passed"] is not None:
                school_parts["conditions"][code] = bool(row["passed"])
            continue
        given = leaf_input(rule, row[rule.field], targets.get((org_id, code)) if rule.uses_target else None)
        if given is not None:
            school_parts[section[rule.kind]][code] = given
    inputs = {
        school.short_code: SchoolInput(
            code=school.short_code,
            name=school.name,
            profile=profile_values(profiles.get(school.pk)),
            **parts[school.short_code],
        )
        for school in schools
    }
    problems: list[str] = []
    self_result = _compute(framework, list(inputs.values()), problems)
    # The reviewers' inputs: only submitted reviews.
    review_rows = (
        ReviewEntry.objects.filter(review__assignment__campaign_id=campaign.pk, review__status=ReviewStatus.SUBMITTED)
        .order_by("review__assignment__school_id", "review__assignment__reviewer_id", "node_id")
        .values_list(
            "review__assignment__school_id", "review__assignment__reviewer_id", "node_id", "comment", *VALUE_FIELDS
        )
    )
    corrected: dict[str, dict[str, dict[str, LeafInput]]] = {}
    reviewer_ids: set[int] = set()
    comments: dict[tuple[str, str, str], str] = {}
    for school_id, reviewer_id, node_id, comment, *values in review_rows:
        school_code = code_by_org.get(school_id)
        code = code_of.get(node_id)
        if school_code is None or code is None or code not in rules or not rules[code].is_leaf:
            continue
        reviewer = f"u{reviewer_id}"
        reviewer_ids.add(reviewer_id)
        rule = rules[code]
        changes = corrected.setdefault(school_code, {}).setdefault(reviewer, {})
        target = targets.get((school_id, code)) if rule.uses_target else None
        given = leaf_input(rule, dict(zip(VALUE_FIELDS, values, strict=True))[rule.field], target)
        if given is not None:
            changes[code] = given
        if comment:
            comments[(school_code, code, reviewer)] = comment
    names = {
        f"u{pk}": user.get_full_name() or user.get_username() for pk, user in User.objects.in_bulk(reviewer_ids).items()
    }
    reviewed = reviewer_points(framework, inputs, corrected)
    problems.extend(reviewed.problems)
    reviewer_points_by_school = reviewed.points
    reviews: list[SchoolReview] = []
    order = sorted(names)
    for school in schools:
        code = school.short_code
        mine = self_result.school(code) if self_result is not None else None
        leaves_scores: dict[str, LeafScores] = {}
        for leaf in framework.leaves():
            self_points = None
            if mine is not None and not mine.leaves[leaf.code].missing:
                self_points = mine.leaves[leaf.code].points
            by_reviewer = reviewer_points_by_school.get(code, {}).get(leaf.code, {})
            leaves_scores[leaf.code] = LeafScores(
                self_points, tuple((r, by_reviewer[r]) for r in order if r in by_reviewer)
            )
        bonus = {c: i.points for c, i in mine.bonus.items.items() if not i.missing} if mine is not None else {}
        penalty = {c: i.points for c, i in mine.penalty.items.items() if not i.missing} if mine is not None else {}
        reviews.append(
            SchoolReview(
                code=code,
                leaves=leaves_scores,
                bonus=bonus,
                penalty=penalty,
                conditions=dict(inputs[code].conditions),
                name=school.name,
            )
        )
    return Basis(
        campaign,
        framework,
        by_code,
        rules,
        schools,
        inputs,
        tuple(reviews),
        names,
        comments,
        problems,
        absent,
        corrections=corrected,
    )


def _compute(framework: Framework, schools: list[SchoolInput], problems: list[str]) -> Any:
    try:
        return compute_cluster(framework, ClusterInput(tuple(schools)), explain=False)
    except EngineError as exc:
        problems.extend(str(problem) for problem in exc.problems)
        return None


# --- per-leaf rows ---------------------------------------------------------------------------


@dataclass
class LeafRow:
    """One school × leaf on the reconciliation page."""

    school: Organization
    node: CriterionNode
    max_points: Decimal
    self_points: Decimal | None
    reviews: list[tuple[str, str, Decimal]]  # (reviewer id, name, points)
    proposed: Decimal | None
    refusal: str
    flags: tuple[str, ...]
    explanation: str
    final: FinalScore | None = None

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def flag_labels(self) -> list[str]:
        labels = {
            Discrepancy.SELF_VS_REVIEW: _("Tự chấm lệch thẩm định"),
            Discrepancy.REVIEWERS_DISAGREE: _("Người chấm lệch nhau"),
        }
        return [str(labels[Discrepancy(flag)]) for flag in self.flags]


def leaf_rows(basis: Basis, finals: dict[tuple[str, str], FinalScore] | None = None) -> list[LeafRow]:
    """Every leaf of every school with its proposal and flags; flagged leaves first."""
    finals = finals if finals is not None else final_scores(basis.campaign)
    rows: list[LeafRow] = []
    leaves = list(basis.framework.leaves())
    for school in basis.schools:
        review = basis.review(school.short_code)
        for leaf in leaves:
            scores = review.leaves.get(leaf.code, LeafScores())
            refusal = ""
            judgement = is_judgement(leaf)
            try:
                done = reconcile_leaf(
                    school.short_code,
                    leaf.code,
                    leaf.max_points,
                    scores,
                    basis.policy,
                    basis.share,
                    judgement=judgement,
                )
                proposed, flags, text = done.proposed, tuple(str(f) for f in done.flags), done.explanation
            except ReconciliationError as exc:
                refusal = "; ".join(p.message for p in exc.problems)
                # Flags still apply: compare with the mean of the reviewers.
                done = reconcile_leaf(
                    school.short_code,
                    leaf.code,
                    leaf.max_points,
                    scores,
                    Policy.PANEL,
                    basis.share,
                    judgement=judgement,
                )
                proposed, flags, text = None, tuple(str(f) for f in done.flags), refusal
            rows.append(
                LeafRow(
                    school=school,
                    node=basis.nodes[leaf.code],
                    max_points=leaf.max_points,
                    self_points=scores.self_points,
                    reviews=[(r, basis.reviewer_names.get(r, r), p) for r, p in scores.reviews],
                    proposed=proposed,
                    refusal=refusal,
                    flags=flags,
                    explanation=text,
                    final=finals.get((school.short_code, leaf.code)),
                )
            )
    rows.sort(key=lambda row: not row.flagged)
    return rows


def final_scores(campaign: Campaign) -> dict[tuple[str, str], FinalScore]:
    return {
        (row.school.short_code, row.node.code): row
        for row in FinalScore.objects.filter(campaign=campaign).select_related("school", "node", "decided_by")
    }


def results_row(campaign: Campaign) -> CampaignResults:
    """The results stage of a campaign, to read: the stored row, or an unsaved one with the
    defaults before anyone decided anything (a GET never writes)."""
    row = CampaignResults.objects.filter(campaign=campaign).first()
    return row if row is not None else CampaignResults(campaign=campaign)


def results_row_to_change(campaign: Campaign) -> CampaignResults:
    """The results stage of a campaign, to change: created on the first decision."""
    row, _created = CampaignResults.objects.get_or_create(campaign=campaign)
    return row


# --- decisions -------------------------------------------------------------------------------


def _check_open(campaign: Campaign) -> CampaignResults:
    if campaign.phase != Phase.RECONCILIATION:
        raise PhaseClosed(campaign, Phase.RECONCILIATION)
    results = results_row_to_change(campaign)
    if results.finals_locked_at is not None:
        raise ValidationError(_("Điểm thống nhất đã được khóa."), code="locked")
    return results


def _find(rows: Iterable[LeafRow], school: Organization, node: CriterionNode) -> LeafRow:
    for row in rows:
        if row.school.pk == school.pk and row.node.pk == node.pk:
            return row
    raise ValidationError(_("Không có tiêu chí này trong bảng điểm của đợt."), code="unknown_leaf")


@transaction.atomic
def accept(
    *, actor: Any, campaign: Campaign, school: Organization, node: CriterionNode, rows: list[LeafRow] | None = None
) -> FinalScore:
    """Accept the policy's proposal for one leaf (``rows``: the page's rows, if already computed)."""
    _check_open(campaign)
    row = _find(rows if rows is not None else leaf_rows(load_basis(campaign)), school, node)
    if row.proposed is None:
        raise ValidationError(
            row.refusal or _("Tiêu chí này không có điểm đề xuất: cần nhập điểm quyết định kèm lý do."),
            code="no_proposal",
        )
    final, _created = FinalScore.objects.update_or_create(
        campaign=campaign,
        school=school,
        node=node,
        defaults={
            "proposed": row.proposed,
            "points": row.proposed,
            "source": FinalSource.POLICY,
            "reason": "",
            "decided_by": actor,
        },
    )
    audit.record(actor=actor, action="reviews.final.accept", obj=final, data={"points": str(row.proposed)})
    return final


@transaction.atomic
def override(
    *,
    actor: Any,
    campaign: Campaign,
    school: Organization,
    node: CriterionNode,
    points: Decimal,
    reason: str,
    rows: list[LeafRow] | None = None,
) -> FinalScore:
    """Set the final points of one leaf by decision, with a required written reason."""
    _check_open(campaign)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Cần ghi lý do khi quyết định điểm khác điểm đề xuất."), code="reason_required")
    row = _find(rows if rows is not None else leaf_rows(load_basis(campaign)), school, node)
    if not isinstance(points, Decimal) or not points.is_finite() or points < 0 or points > row.max_points:
        raise ValidationError(_("Điểm phải từ 0 đến %(max)s.") % {"max": row.max_points.normalize()}, code="bad_points")
    source = FinalSource.OVERRIDE if row.proposed is not None else FinalSource.PANEL
    final, _created = FinalScore.objects.update_or_create(
        campaign=campaign,
        school=school,
        node=node,
        defaults={
            "proposed": row.proposed,
            "points": points,
            "source": source,
            "reason": reason,
            "decided_by": actor,
        },
    )
    audit.record(
        actor=actor,
        action="reviews.final.override",
        obj=final,
        data={"points": str(points), "proposed": str(row.proposed) if row.proposed is not None else None},
        reason=reason,
    )
    return final


@transaction.atomic
def accept_unflagged(*, actor: Any, campaign: Campaign) -> int:
    """Accept the proposals of every unflagged leaf that has no final score yet; how many."""
    _check_open(campaign)
    rows = leaf_rows(load_basis(campaign))
    created = [
        FinalScore(
            campaign=campaign,
            school=row.school,
            node=row.node,
            proposed=row.proposed,
            points=row.proposed,
            source=FinalSource.POLICY,
            decided_by=actor,
        )
        for row in rows
        if not row.flagged and row.final is None and row.proposed is not None
    ]
    FinalScore.objects.bulk_create(created)
    audit.record(actor=actor, action="reviews.final.accept_unflagged", obj=campaign, data={"count": len(created)})
    return len(created)


def missing_finals(campaign: Campaign, basis: Basis | None = None) -> list[tuple[str, str]]:
    """(school, leaf) pairs that have no final score."""
    basis = basis or load_basis(campaign)
    have = set(FinalScore.objects.filter(campaign=campaign).values_list("school__short_code", "node__code"))
    return [
        (school.short_code, code)
        for school in basis.schools
        for code in basis.leaf_codes()
        if (school.short_code, code) not in have
    ]


@transaction.atomic
def lock(*, actor: Any, campaign: Campaign) -> CampaignResults:
    """Lock the final scores: every leaf of every school must have one."""
    results = _check_open(campaign)
    missing = missing_finals(campaign)
    if missing:
        shown = ", ".join(f"{school} {leaf}" for school, leaf in missing[:10])
        raise ValidationError(
            _("Còn %(count)s tiêu chí chưa có điểm thống nhất: %(list)s.") % {"count": len(missing), "list": shown},
            code="missing_finals",
        )
    results.finals_locked_at = timezone.now()
    results.finals_locked_by = actor
    results.save(update_fields=["finals_locked_at", "finals_locked_by"])
    audit.record(actor=actor, action="reviews.final.lock", obj=campaign)
    return results
