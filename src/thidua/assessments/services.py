"""Every change to a school's self-assessment (tự chấm điểm): one function each, with an
explicit ``actor``, in one transaction, validated, audited in that same transaction.

- ``ensure_assessment`` — the school's self-assessment of a campaign, with one entry for
  every leaf, bonus and penalty item and condition of the campaign's framework;
- ``save_entry`` — one criterion's input and explanation, checked for its rule
  (``inputs.py``), refused when someone saved it in between (optimistic concurrency on the
  entry's ``version``: ``StaleEntry`` carries the other person's values, who and when),
  when the self-assessment is locked, when the actor may not edit, or when the
  self-assessment phase is closed or its deadline (or the school's extension) has passed;
- ``submit`` — the principal signs off: the self-assessment locks;
- ``reopen`` — the secretariat unlocks it, with a reason;
- ``compute`` — the engine's live result for this school only.

Which inputs the live computation uses (detailed in ``live.py``): this school's current
entries (draft or submitted), the targets of its *submitted* registration and its yearly
profile of the campaign's year; and, only for the quantitative leaves whose points depend on
the cluster (relative to best, target-and-leader, a target formula without a registered
target), the other member schools' *current* entries for those leaves (draft or submitted —
the live total is an estimate that moves as the others fill in), the targets of their
submitted registrations and their profiles. Nothing of another school is ever returned: only
this school's points, and for cluster-dependent leaves an explanation that names no other
school's figure.

``actor=None`` is the system (the demo loader): it skips the permission checks, never the
lock, the phase or the deadline (``now`` sets the moment the deadline is checked against).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from thidua.assessments import live
from thidua.assessments.inputs import MAX_EXPLANATION, check_value, display_value, stored_value
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.deadlines import ensure_open
from thidua.campaigns.models import Campaign
from thidua.campaigns.phases import Phase
from thidua.core import audit
from thidua.core.exceptions import StaleObjectError
from thidua.criteria.entries import ENTRY_KINDS, EntryRule, entry_rule
from thidua.criteria.models import CriterionNode
from thidua.organizations.models import Membership, Organization
from thidua.scoring.engine import EngineError


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


class AssessmentLocked(ValidationError):  # noqa: N818 -- named for the state it reports
    """The self-assessment was submitted: nothing changes until the secretariat reopens it."""

    def __init__(self, assessment: SelfAssessment) -> None:
        super().__init__(
            _(
                "Bản tự chấm điểm của %(school)s đã được gửi nên không sửa được nữa. "
                "Nếu cần sửa, hãy đề nghị Thường trực Cụm mở lại."
            )
            % {"school": assessment.organization.name},
            code="locked",
        )


class NotAllowed(PermissionDenied):
    """The actor may not do this (the message says why, in words)."""


class StaleEntry(StaleObjectError):  # noqa: N818 -- named like the StaleObjectError it extends
    """Someone saved this criterion after the form was opened; nothing was overwritten.

    ``current`` is the entry as saved by the other person (its input in ``rule.field``);
    ``their_value`` and ``their_explanation`` what they saved, ``by`` who and ``at`` when.
    """

    def __init__(self, current: AssessmentEntry, rule: EntryRule) -> None:
        self.current = current
        self.rule = rule
        self.their_value = display_value(rule, getattr(current, rule.field))
        self.their_explanation = current.explanation
        user = current.updated_by
        self.by = (user.get_full_name() or user.get_username()) if user is not None else _("hệ thống")
        self.at = current.updated_at
        when = date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT") if self.at else ""
        ValidationError.__init__(
            self,
            _(
                "Người khác đã lưu tiêu chí %(code)s trong lúc bạn sửa: giá trị của họ là %(value)s "
                "(%(who)s, lúc %(when)s). Thay đổi của bạn chưa được lưu; không có gì bị ghi đè."
            )
            % {"code": current.node.code, "value": self.their_value or _("(để trống)"), "who": self.by, "when": when},
            code="stale",
        )


# --- the assessment -----------------------------------------------------------------------


def entry_nodes(campaign: Campaign) -> list[CriterionNode]:
    """The nodes of the campaign's framework that take an entry, in framework order."""
    return list(
        CriterionNode.objects.filter(framework_id=campaign.framework_id, kind__in=ENTRY_KINDS).order_by("order", "pk")
    )


@transaction.atomic
def ensure_assessment(*, actor: Any, campaign: Campaign, organization: Organization) -> SelfAssessment:
    """The school's self-assessment of the campaign, created (with its entries) on first use.

    Refuses a school that is not a member of the campaign's cluster year. Loading again adds
    only entries that are missing; nothing existing changes.
    """
    if not Membership.objects.filter(cluster_year_id=campaign.cluster_year_id, organization=organization).exists():
        raise ValidationError(
            _("%(school)s không phải thành viên của %(campaign)s.")
            % {"school": organization.name, "campaign": campaign},
            code="not_member",
        )
    assessment, created = SelfAssessment.objects.get_or_create(campaign=campaign, organization=organization)
    existing = set(assessment.entries.values_list("node_id", flat=True))
    missing = [node for node in entry_nodes(campaign) if node.pk not in existing]
    if missing:
        AssessmentEntry.objects.bulk_create([AssessmentEntry(assessment=assessment, node=node) for node in missing])
    if created:
        audit.record(actor=actor, action="assessment.create", obj=assessment, data={"entries": len(missing)})
    return assessment


def _lock_assessment(assessment: SelfAssessment) -> SelfAssessment:
    return (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("campaign__cluster_year__cluster", "organization")
        .get(pk=assessment.pk)
    )


def _require_editable(actor: Any, assessment: SelfAssessment, *, now: datetime.datetime | None) -> None:
    """Locked, not allowed, or out of time: refused with the reason (in that order)."""
    if assessment.is_locked:
        raise AssessmentLocked(assessment)
    if actor is not None and not actor.has_perm("assessments.change_assessment", assessment):
        raise NotAllowed(
            _("Bạn không có quyền sửa bản tự chấm điểm của %(school)s.") % {"school": assessment.organization.name}
        )
    ensure_open(assessment.campaign, assessment.organization, Phase.SELF_ASSESSMENT, now=now)


def check_can_edit(actor: Any, assessment: SelfAssessment, *, now: datetime.datetime | None = None) -> None:
    """Raise the reason the actor cannot edit this self-assessment now (locked, not allowed,
    phase closed, deadline passed); return quietly when they can."""
    _require_editable(actor, assessment, now=now)


def _touch(assessment: SelfAssessment) -> None:
    """Record activity on the assessment (its ``updated_at`` is the school's last activity)."""
    SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())


# --- entries ------------------------------------------------------------------------------


def _wanted(rule: EntryRule, values: dict[str, Any]) -> dict[str, Any]:
    """The fields to change: the rule's own field, and refusals for any other field given."""
    wanted: dict[str, Any] = {}
    for name, value in values.items():
        if value is UNSET:
            continue
        if name != rule.field:
            if value is None:
                continue
            raise ValidationError(
                {name: _("Tiêu chí này không nhận trường “%(field)s”.") % {"field": name}}, code="wrong_field"
            )
        wanted[name] = value
    return wanted


def check_entry(rule: EntryRule, values: dict[str, Any], explanation: Any) -> dict[str, Any]:
    """The changes asked for, checked (ValidationError keyed by field on refusal)."""
    wanted = _wanted(rule, values)
    if rule.field in wanted:
        try:
            check_value(rule, wanted[rule.field])
        except ValidationError as exc:
            raise ValidationError({rule.field: exc.messages}, code=exc.code) from exc
        wanted[rule.field] = stored_value(rule, wanted[rule.field])
    if explanation is not UNSET:
        text = "" if explanation is None else str(explanation).replace("\r\n", "\n").strip()
        if len(text) > MAX_EXPLANATION:
            raise ValidationError(
                {"explanation": _("Giải thích dài quá %(n)s ký tự.") % {"n": MAX_EXPLANATION}}, code="too_long"
            )
        wanted["explanation"] = text
    return wanted


@transaction.atomic
def save_entry(
    *,
    actor: Any,
    entry: AssessmentEntry,
    expected_version: int | None,
    points: Decimal | None = UNSET,
    passed: bool | None = UNSET,
    level: str | None = UNSET,
    count: int | None = UNSET,
    actual: Decimal | None = UNSET,
    explanation: str | None = UNSET,
    now: datetime.datetime | None = None,
) -> AssessmentEntry:
    """Save one criterion's input (the field its rule reads; None clears it) and explanation.

    A field left ``UNSET`` keeps its value. ``expected_version`` is the entry's version the
    form was opened with (None skips the check: only for the system). Refusals:
    ``AssessmentLocked``, ``NotAllowed``, ``PhaseClosed``/``DeadlinePassed``, ``StaleEntry``,
    and a ``ValidationError`` keyed by field for a value its rule does not accept.
    """
    assessment = _lock_assessment(entry.assessment)
    _require_editable(actor, assessment, now=now)
    current = (
        AssessmentEntry.objects.select_for_update(of=("self",)).select_related("node", "updated_by").get(pk=entry.pk)
    )
    rule = entry_rule(current.node)
    values = {"points": points, "passed": passed, "level": level, "count": count, "actual": actual}
    wanted = check_entry(rule, values, explanation)
    changes = {
        name: [getattr(current, name), value] for name, value in wanted.items() if getattr(current, name) != value
    }
    if expected_version is not None and current.version != expected_version:
        if not changes:  # the other person saved exactly this: nothing to refuse
            return current
        raise StaleEntry(current, rule)
    if not changes:
        return current
    for name, (_old, new) in changes.items():
        setattr(current, name, new)
    current.updated_by = actor if actor is not None and actor.is_authenticated else None
    current.version += 1
    current.save()
    _touch(assessment)
    audit.record(
        actor=actor,
        action="assessment.entry.save",
        obj=assessment,
        data={"code": current.node.code, "version": current.version, **changes},
    )
    return current


# --- submit and reopen --------------------------------------------------------------------


@transaction.atomic
def submit(*, actor: Any, assessment: SelfAssessment, now: datetime.datetime | None = None) -> SelfAssessment:
    """The principal signs off: the self-assessment is sent to the secretariat and locks.

    Only the school's leader may submit, within the self-assessment phase and deadline
    (or the school's extension). Unfilled criteria do not block submission (they score 0);
    the page lists them before the principal confirms.
    """
    locked = _lock_assessment(assessment)
    if locked.is_locked:
        raise AssessmentLocked(locked)
    if actor is not None and not actor.has_perm("assessments.submit_assessment", locked):
        raise NotAllowed(_("Chỉ lãnh đạo trường (hiệu trưởng) mới gửi được bản tự chấm điểm."))
    ensure_open(locked.campaign, locked.organization, Phase.SELF_ASSESSMENT, now=now)
    locked.mark_submitted(actor=actor, at=now or timezone.now())
    locked.save()
    data: dict[str, Any] = {"status": locked.status}
    result = compute(locked)
    if result.ok:
        data["total"] = str(result.total)
    audit.record(actor=actor, action="assessment.submit", obj=locked, data=data)
    return locked


@transaction.atomic
def reopen(*, actor: Any, assessment: SelfAssessment, reason: str) -> SelfAssessment:
    """The secretariat unlocks a submitted self-assessment so the school can correct it."""
    locked = _lock_assessment(assessment)
    if not locked.is_locked:
        raise ValidationError(_("Bản tự chấm điểm này chưa được gửi nên không cần mở lại."), code="not_locked")
    if actor is not None and not actor.has_perm("assessments.reopen_assessment", locked):
        raise NotAllowed(_("Chỉ Thường trực Cụm của năm này mới mở lại được bản tự chấm điểm đã gửi."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")}, code="reason_required")
    locked.mark_draft()
    locked.save()
    audit.record(actor=actor, action="assessment.reopen", obj=locked, data={"status": locked.status}, reason=reason)
    return locked


# --- the live result ----------------------------------------------------------------------


def compute(
    assessment: SelfAssessment,
    *,
    nodes: Iterable[CriterionNode] | None = None,
    entries: Iterable[AssessmentEntry] | None = None,
) -> live.LiveResult:
    """The engine's result for this school only (points per leaf, group subtotals, bonus,
    penalty, total, eligibility); ``nodes`` and ``entries`` when the caller has them loaded."""
    try:
        prepared = live.prepare(assessment, nodes)
    except EngineError as exc:
        return live.LiveResult(error=str(exc))
    own = list(entries) if entries is not None else list(assessment.entries.all())
    return live.compute(assessment, prepared, own, live.own_targets(assessment, prepared))
