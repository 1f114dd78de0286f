"""Peer review (chấm chéo): every change as one function with an explicit ``actor``, in one
transaction, checked, audited in that same transaction.

Assignments (who reviews whom) are the campaign's: ``campaigns.assignments.services``.

The review (the assigned reviewer):

- ``ensure_review`` — the reviewer's review of the school, one entry per leaf, bonus and
  penalty item and condition of the framework;
- ``save_entry`` — on *manual* and *levels* items the reviewer's own points or level (checked
  as the rule requires, like the school's); on the other rules a confirmation of the school's
  input (``confirmed=True``) or a correction (``confirmed=False``: the corrected value and a
  comment are both required); refused when stale (the entry's ``version``), when submitted,
  outside the review phase or after its deadline (or the reviewer school's extension);
- ``submit`` — locks the review (every manual/levels item must have the reviewer's value);
- ``compute_review`` — the engine's points of the school *as this reviewer sees it*: the
  school's inputs with this reviewer's own values and corrections applied; an input the
  reviewer did not correct stands.

``actor=None`` is the system (the demo loader): it skips the permission checks, never the
lock, the phase or the deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from thidua.assessments import live
from thidua.assessments.inputs import MAX_EXPLANATION, check_value, display_value, stored_value
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.assessments.services import UNSET, entry_nodes
from thidua.campaigns.assignments.services import NotAllowed
from thidua.campaigns.deadlines import ensure_open
from thidua.campaigns.models import Campaign, ReviewerAssignment
from thidua.campaigns.phases import Phase
from thidua.core import audit
from thidua.core.exceptions import StaleObjectError
from thidua.criteria.entries import EntryRule, entry_rule
from thidua.criteria.models import CriterionNode
from thidua.organizations.models import Organization
from thidua.reviews.models import Review, ReviewEntry, ReviewStatus
from thidua.scoring.engine import EngineError

OWN_RULES = frozenset({"manual", "levels"})  # the reviewer gives their own points / level
MAX_COMMENT = MAX_EXPLANATION


class ReviewLocked(ValidationError):  # noqa: N818 -- named for the state it reports
    def __init__(self) -> None:
        super().__init__(_("Bài chấm chéo này đã nộp nên không sửa được nữa."), code="locked")


class StaleReviewEntry(StaleObjectError):  # noqa: N818 -- like the StaleObjectError it extends
    """The reviewer saved this criterion elsewhere (another tab) after the form was opened."""

    def __init__(self, current: ReviewEntry) -> None:
        self.current = current
        when = date_format(timezone.localtime(current.updated_at), "SHORT_DATETIME_FORMAT")
        ValidationError.__init__(
            self,
            _(
                "Tiêu chí %(code)s đã được lưu ở nơi khác lúc %(when)s (có thể ở một thẻ trình duyệt khác). "
                "Thay đổi của bạn chưa được lưu; hãy tải lại trang."
            )
            % {"code": current.node.code, "when": when},
            code="stale",
        )


def is_own_rule(rule: EntryRule) -> bool:
    """Whether the reviewer gives their own points/level (manual, levels) rather than
    confirming or correcting the school's input."""
    return rule.rule in OWN_RULES


# --- the review ---------------------------------------------------------------------------


def _require_reviewer(actor: Any, assignment: ReviewerAssignment) -> None:
    if actor is not None and actor.pk != assignment.reviewer_id:
        raise NotAllowed(_("Chỉ người được phân công mới chấm được bài này."))


@transaction.atomic
def ensure_review(*, actor: Any, assignment: ReviewerAssignment) -> Review:
    """The reviewer's review of the school, created with its entries on first use (adds only
    the entries that are missing)."""
    _require_reviewer(actor, assignment)
    review, created = Review.objects.get_or_create(assignment=assignment)
    existing = set(review.entries.values_list("node_id", flat=True))
    missing = [node for node in entry_nodes(assignment.campaign) if node.pk not in existing]
    if missing:
        ReviewEntry.objects.bulk_create([ReviewEntry(review=review, node=node) for node in missing])
    if created:
        audit.record(actor=actor, action="review.create", obj=review, data={"entries": len(missing)})
    return review


def _lock_review(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__campaign__cluster_year", "assignment__school", "assignment__reviewer_school")
        .get(pk=review.pk)
    )


def _deadline_school(assignment: ReviewerAssignment) -> Organization:
    """Extensions of the review phase are granted to the reviewer's school."""
    return assignment.reviewer_school or assignment.school


def _require_editable(actor: Any, review: Review, *, now: datetime.datetime | None) -> None:
    if review.status == ReviewStatus.SUBMITTED:
        raise ReviewLocked()
    assignment = review.assignment
    _require_reviewer(actor, assignment)
    ensure_open(assignment.campaign, _deadline_school(assignment), Phase.REVIEW, now=now)


def check_can_edit(actor: Any, review: Review, *, now: datetime.datetime | None = None) -> None:
    """Raise the reason the actor cannot edit this review now; return quietly when they can."""
    _require_editable(actor, review, now=now)


def _clean_comment(comment: Any) -> str:
    text = "" if comment is None else str(comment).replace("\r\n", "\n").strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError({"comment": _("Nhận xét dài quá %(n)s ký tự.") % {"n": MAX_COMMENT}}, code="too_long")
    return text


def check_values(rule: EntryRule, current: ReviewEntry, *, confirmed: Any, value: Any, comment: Any) -> dict[str, Any]:
    """The fields to write for this input, checked (ValidationError keyed by field)."""
    field = rule.field
    wanted: dict[str, Any] = {}
    new_comment = current.comment if comment is UNSET else _clean_comment(comment)
    if comment is not UNSET:
        wanted["comment"] = new_comment
    if value is not UNSET and value is not None and value != "":
        try:
            check_value(rule, value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}, code=exc.code) from exc
    if is_own_rule(rule):
        if confirmed not in (UNSET, None):
            raise ValidationError(
                {"confirmed": _("Tiêu chí này người chấm tự cho điểm, không xác nhận số liệu của trường.")},
                code="wrong_mode",
            )
        if value is not UNSET:
            wanted[field] = stored_value(rule, None if value == "" else value)
        return wanted
    # confirm or correct the school's input
    if confirmed is UNSET and value is not UNSET and value not in (None, ""):
        confirmed = False
    if confirmed is UNSET:
        return wanted
    if confirmed is True:
        wanted["confirmed"] = True
        wanted[field] = stored_value(rule, None)
    elif confirmed is None:
        wanted["confirmed"] = None
        wanted[field] = stored_value(rule, None)
    else:
        corrected = getattr(current, field) if value is UNSET else value
        if corrected is None or corrected == "":
            raise ValidationError({"value": _("Hãy nhập giá trị đúng theo minh chứng.")}, code="value_required")
        if not new_comment:
            raise ValidationError(
                {"comment": _("Khi sửa số liệu của trường, hãy ghi nhận xét nêu lý do (minh chứng không khớp ở đâu).")},
                code="comment_required",
            )
        wanted["confirmed"] = False
        wanted[field] = stored_value(rule, corrected)
    return wanted


@transaction.atomic
def save_entry(
    *,
    actor: Any,
    entry: ReviewEntry,
    expected_version: int | None,
    confirmed: bool | None = UNSET,
    value: Any = UNSET,
    comment: str | None = UNSET,
    now: datetime.datetime | None = None,
) -> ReviewEntry:
    """Save the reviewer's input for one criterion (see the module). ``value`` is typed for
    the rule (``inputs.read_value``); a field left ``UNSET`` keeps its value."""
    review = _lock_review(entry.review)
    _require_editable(actor, review, now=now)
    current = ReviewEntry.objects.select_for_update(of=("self",)).select_related("node").get(pk=entry.pk)
    rule = entry_rule(current.node)
    wanted = check_values(rule, current, confirmed=confirmed, value=value, comment=comment)
    changes = {name: [getattr(current, name), new] for name, new in wanted.items() if getattr(current, name) != new}
    if expected_version is not None and current.version != expected_version:
        if not changes:
            return current
        raise StaleReviewEntry(current)
    if not changes:
        return current
    for name, (_old, new) in changes.items():
        setattr(current, name, new)
    current.version += 1
    current.save()
    Review.objects.filter(pk=review.pk).update(updated_at=timezone.now())
    audit.record(
        actor=actor,
        action="review.entry.save",
        obj=review,
        data={"code": current.node.code, "version": current.version, **changes},
    )
    return current


def missing_own(review: Review, entries: Iterable[ReviewEntry] | None = None) -> list[str]:
    """Codes of the manual/levels leaves the reviewer has not scored yet (a bonus or penalty
    item left blank gives nothing: it is not missing)."""
    rows = list(entries) if entries is not None else list(review.entries.select_related("node"))
    missing = []
    for entry in rows:
        rule = entry_rule(entry.node)
        if rule.is_leaf and is_own_rule(rule) and getattr(entry, rule.field) in (None, ""):
            missing.append(entry.node.code)
    return missing


@transaction.atomic
def submit(*, actor: Any, review: Review, now: datetime.datetime | None = None) -> Review:
    """The reviewer submits: the review locks (audited with the reviewer's total)."""
    locked = _lock_review(review)
    _require_editable(actor, locked, now=now)
    missing = missing_own(locked)
    if missing:
        raise ValidationError(
            _("Còn %(n)s tiêu chí chưa cho điểm: %(codes)s. Hãy chấm đủ rồi nộp.")
            % {"n": len(missing), "codes": ", ".join(missing)},
            code="incomplete",
        )
    locked.status = ReviewStatus.SUBMITTED
    locked.submitted_at = now or timezone.now()
    locked.version += 1
    locked.save()
    result = compute_review(locked)
    data: dict[str, Any] = {"status": locked.status}
    if result.ok:
        data["total"] = str(result.total)
    audit.record(actor=actor, action="review.submit", obj=locked, data=data)
    return locked


# --- the reviewer's points ----------------------------------------------------------------


def school_assessment(assignment: ReviewerAssignment) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.select_related("campaign__cluster_year", "campaign__framework", "organization")
        .filter(campaign_id=assignment.campaign_id, organization_id=assignment.school_id)
        .first()
    )


def reviewed_inputs(
    rules: Mapping[str, EntryRule],
    node_codes: Mapping[int, str],
    school_entries: Iterable[AssessmentEntry],
    review_entries: Iterable[ReviewEntry],
) -> list[SimpleNamespace]:
    """The school's inputs with the reviewer's applied: own points/levels replace the
    school's; a correction (``confirmed=False``) replaces the input; anything else stands."""
    values: dict[int, dict[str, Any]] = {}
    for entry in school_entries:
        code = node_codes.get(entry.node_id)
        if code is None or code not in rules:
            continue
        values[entry.node_id] = {rules[code].field: getattr(entry, rules[code].field)}
    for mine in review_entries:
        code = node_codes.get(mine.node_id)
        if code is None or code not in rules:
            continue
        rule = rules[code]
        given = getattr(mine, rule.field)
        if is_own_rule(rule):
            if given not in (None, ""):
                values[mine.node_id] = {rule.field: given}
        elif mine.confirmed is False and given not in (None, ""):
            values[mine.node_id] = {rule.field: given}
    return [SimpleNamespace(node_id=node_id, **fields) for node_id, fields in values.items()]


def compute_review(
    review: Review,
    *,
    nodes: Iterable[CriterionNode] | None = None,
    school_entries: Iterable[AssessmentEntry] | None = None,
    review_entries: Iterable[ReviewEntry] | None = None,
) -> live.LiveResult:
    """The engine's result for the school as this reviewer sees it (points per leaf, groups,
    total). Uses the live computation of the self-assessment (``assessments.live``): the
    cluster-dependent leaves are scored against the other schools' current inputs."""
    assignment = review.assignment
    assessment = school_assessment(assignment)
    if assessment is None:
        return live.LiveResult(error=_("Trường chưa có bản tự chấm điểm."))
    try:
        prepared = live.prepare(assessment, nodes)
    except EngineError as exc:
        return live.LiveResult(error=str(exc))
    codes = {node_id: code for code, node_id in prepared.node_ids.items()}
    school = list(school_entries) if school_entries is not None else list(assessment.entries.all())
    mine = list(review_entries) if review_entries is not None else list(review.entries.all())
    inputs = reviewed_inputs(prepared.rules, codes, school, mine)
    return live.compute(assessment, prepared, inputs, live.own_targets(assessment, prepared))  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReviewerPoints:
    """One reviewer's points per leaf code for one school (a submitted review)."""

    assignment_id: int
    reviewer_id: int
    total: Decimal
    leaves: dict[str, Decimal]


def submitted_points(campaign: Campaign, school_id: int) -> list[ReviewerPoints]:
    """Every submitted review of the school, computed by the engine (for the side-by-side view
    and reconciliation)."""
    reviews = list(
        Review.objects.filter(
            assignment__campaign=campaign, assignment__school_id=school_id, status=ReviewStatus.SUBMITTED
        )
        .select_related("assignment__campaign__cluster_year", "assignment__campaign__framework")
        .prefetch_related("entries")
        .order_by("assignment_id")
    )
    if not reviews:
        return []
    assessment = school_assessment(reviews[0].assignment)
    if assessment is None:
        return []
    nodes = list(CriterionNode.objects.filter(framework_id=campaign.framework_id))
    school = list(assessment.entries.all())
    out = []
    for review in reviews:
        result = compute_review(review, nodes=nodes, school_entries=school, review_entries=review.entries.all())
        if not result.ok:
            continue
        out.append(
            ReviewerPoints(
                review.assignment_id,
                review.assignment.reviewer_id,
                result.total,
                {code: score.points for code, score in result.scores.items()},
            )
        )
    return out


def describe(rule: EntryRule, entry: ReviewEntry) -> str:
    """The reviewer's input in words: "Xác nhận", "Sửa: 12", "7,5"."""
    value = display_value(rule, getattr(entry, rule.field))
    if is_own_rule(rule):
        return value
    if entry.confirmed is True:
        return _("Xác nhận")
    if entry.confirmed is False:
        return _("Sửa: %(value)s") % {"value": value}
    return ""
