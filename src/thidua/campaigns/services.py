"""Every change to a campaign (đợt thi đua): creation, settings, deadlines, phase moves and
extensions. One function each: keyword-only arguments, an explicit ``actor`` (None is the
system: the demo loader, a command), one transaction, validation with messages in words, and
the audit row written in that same transaction.

Registrations and the covenant have their own modules (``registrations``, ``covenants``),
re-exported here so that callers find every state change in one place.

Phase moves go forward one phase at a time; any move backward reopens an earlier phase and
needs a reason. The phase history is the audit log's ``campaign.phase`` rows.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.campaigns import phases
from thidua.campaigns.common import lock_campaign, phase_label, require_reason, when
from thidua.campaigns.covenants import upload_covenant_scan
from thidua.campaigns.models import (
    DEFAULT_REMINDER_DAYS,
    Campaign,
    Deadline,
    Extension,
    ReconciliationPolicy,
)
from thidua.campaigns.phases import DEADLINE_PHASES, Phase
from thidua.campaigns.registrations import reopen_registration, save_registration, submit_registration
from thidua.core import audit
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.organizations.models import ClusterYear, Organization

PHASE_MOVE = "campaign.phase"
MAX_REMINDER_DAY = 60


def _bump(campaign: Campaign) -> None:
    campaign.version += 1
    campaign.save(update_fields=["version"])


# --- settings -----------------------------------------------------------------------------


def _check_framework(framework: Framework, cluster_year: ClusterYear) -> None:
    if framework.status != FrameworkStatus.PUBLISHED:
        raise ValidationError(
            {
                "framework": [
                    _("Bảng tiêu chí “%(fw)s” chưa ban hành (đang là: %(status)s); chỉ dùng được bảng đã ban hành.")
                    % {"fw": framework, "status": framework.get_status_display().lower()}
                ]
            },
            code="framework_unpublished",
        )
    if framework.cluster_id is not None and framework.cluster_id != cluster_year.cluster_id:
        raise ValidationError(
            {
                "framework": [
                    _("Bảng tiêu chí “%(fw)s” thuộc cụm khác, không dùng được cho %(cy)s.")
                    % {"fw": framework, "cy": cluster_year}
                ]
            },
            code="framework_other_cluster",
        )


def clean_reminder_days(days: Sequence[Any]) -> list[int]:
    """Whole numbers of days from 1 to 60, each once, largest first."""
    cleaned: set[int] = set()
    for day in days:
        try:
            number = int(str(day).strip())
        except ValueError:
            number = 0
        if str(day).strip() != str(number) or not 1 <= number <= MAX_REMINDER_DAY:
            raise ValidationError(
                {
                    "reminder_days": [
                        _("“%(day)s” không hợp lệ: số ngày nhắc trước hạn là số nguyên từ 1 đến %(max)s.")
                        % {"day": day, "max": MAX_REMINDER_DAY}
                    ]
                },
                code="reminder_days",
            )
        cleaned.add(number)
    return sorted(cleaned, reverse=True)


def _check_review_settings(values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    per_school = values.get("reviewers_per_school")
    if per_school is not None and not 1 <= int(per_school) <= 20:
        errors["reviewers_per_school"] = [_("Số người chấm mỗi trường phải từ 1 đến 20.")]
    share = values.get("discrepancy_share")
    if share is not None and not Decimal(0) < Decimal(share) <= Decimal(1):
        errors["discrepancy_share"] = [
            _("Ngưỡng chênh lệch là một tỷ lệ lớn hơn 0 và không quá 1 (ví dụ 0,2 là 20 %).")
        ]
    policy = values.get("reconciliation_policy")
    if policy is not None and policy not in ReconciliationPolicy.values:
        errors["reconciliation_policy"] = [_("Cách thống nhất điểm không hợp lệ.")]
    if errors:
        raise ValidationError(errors)


def _check_deadline_order(deadlines: Mapping[str, datetime.datetime]) -> None:
    """Each phase's deadline after the deadlines of the phases before it."""
    ordered = [(p, deadlines[p]) for p in DEADLINE_PHASES if deadlines.get(p) is not None]
    for (earlier, first), (later, second) in itertools.pairwise(ordered):
        if second <= first:
            raise ValidationError(
                {
                    later: [
                        _("Hạn %(later)s (%(second)s) phải sau hạn %(earlier)s (%(first)s).")
                        % {
                            "later": phase_label(later).lower(),
                            "second": when(second),
                            "earlier": phase_label(earlier).lower(),
                            "first": when(first),
                        }
                    ]
                },
                code="deadline_order",
            )


def _check_deadline_phases(deadlines: Mapping[str, Any]) -> None:
    for phase in deadlines:
        if phase not in DEADLINE_PHASES:
            raise ValidationError(
                _("Giai đoạn “%(phase)s” không có hạn chót; chỉ đặt hạn cho: %(phases)s.")
                % {"phase": phase, "phases": ", ".join(phase_label(p) for p in DEADLINE_PHASES)},
                code="no_deadline_phase",
            )


@transaction.atomic
def create_campaign(
    *,
    actor: Any,
    cluster_year: ClusterYear,
    framework: Framework,
    deadlines: Mapping[str, datetime.datetime | None] | None = None,
    reminder_days: Sequence[Any] = DEFAULT_REMINDER_DAYS,
    reviewers_per_school: int = 3,
    discrepancy_share: Decimal = Decimal("0.2"),
    reconciliation_policy: str = ReconciliationPolicy.MEAN,
    reviewers_visible_to_schools: bool = False,
) -> Campaign:
    """Open the emulation year of a cluster year with a published framework (phase: setup)."""
    if Campaign.objects.filter(cluster_year=cluster_year).exists():
        raise ValidationError(
            {"cluster_year": [_("%(cy)s đã có đợt thi đua.") % {"cy": cluster_year}]}, code="campaign_exists"
        )
    _check_framework(framework, cluster_year)
    days = clean_reminder_days(reminder_days)
    review = {
        "reviewers_per_school": reviewers_per_school,
        "discrepancy_share": discrepancy_share,
        "reconciliation_policy": reconciliation_policy,
    }
    _check_review_settings(review)
    given = {p: d for p, d in (deadlines or {}).items() if d is not None}
    _check_deadline_phases(given)
    _check_deadline_order(given)
    campaign = Campaign.objects.create(
        cluster_year=cluster_year,
        framework=framework,
        reminder_days=days,
        reviewers_visible_to_schools=reviewers_visible_to_schools,
        **review,
    )
    Deadline.objects.bulk_create(Deadline(campaign=campaign, phase=p, due_at=d) for p, d in given.items())
    audit.record(
        actor=actor,
        action="campaign.create",
        obj=campaign,
        data={
            "cluster": cluster_year.cluster.code,
            "year": cluster_year.year,
            "framework": str(framework),
            "deadlines": {p: when(d) for p, d in given.items()},
            "reminder_days": days,
        },
    )
    return campaign


SETTINGS_FIELDS = (
    "framework",
    "reminder_days",
    "reviewers_per_school",
    "discrepancy_share",
    "reconciliation_policy",
    "reviewers_visible_to_schools",
)


@transaction.atomic
def update_campaign(*, actor: Any, campaign: Campaign, expected_version: int | None = None, **values: Any) -> Campaign:
    """Change the campaign's settings; the framework only while it is being set up and no
    school has registered against it."""
    locked = lock_campaign(campaign, expected_version)
    if "reminder_days" in values:
        values["reminder_days"] = clean_reminder_days(values["reminder_days"])
    _check_review_settings(values)
    changes: dict[str, list[Any]] = {}
    for name in SETTINGS_FIELDS:
        if name not in values:
            continue
        old, new = getattr(locked, name), values[name]
        if old != new:
            changes[name] = [old, new]
    if "framework" in changes:
        framework = values["framework"]
        if locked.phase != Phase.SETUP or locked.registrations.exists():
            raise ValidationError(
                {
                    "framework": [
                        _(
                            "Chỉ đổi được bảng tiêu chí khi đợt thi đua đang ở giai đoạn “%(setup)s” và chưa "
                            "trường nào đăng ký: chỉ tiêu đăng ký gắn với các tiêu chí của bảng hiện tại."
                        )
                        % {"setup": phase_label(Phase.SETUP)}
                    ]
                },
                code="framework_locked",
            )
        _check_framework(framework, locked.cluster_year)
    if not changes:
        return locked
    for name, (_old, new) in changes.items():
        setattr(locked, name, new)
    locked.version += 1
    locked.save()
    audit.record(actor=actor, action="campaign.update", obj=locked, data=changes)
    return locked


@transaction.atomic
def set_deadlines(
    *,
    actor: Any,
    campaign: Campaign,
    deadlines: Mapping[str, datetime.datetime | None],
    expected_version: int | None = None,
) -> Campaign:
    """Set, move or remove (None) the deadlines of the given phases; the others stay."""
    _check_deadline_phases(deadlines)
    locked = lock_campaign(campaign, expected_version)
    current = {d.phase: d for d in Deadline.objects.filter(campaign=locked)}
    after = {p: d.due_at for p, d in current.items()}
    for phase, due_at in deadlines.items():
        if due_at is None:
            after.pop(phase, None)
        else:
            after[phase] = due_at
    _check_deadline_order(after)
    changes: dict[str, list[str | None]] = {}
    for phase in DEADLINE_PHASES:
        if phase not in deadlines:
            continue
        old = current.get(phase)
        new = deadlines[phase]
        if old is None and new is None:
            continue
        if old is not None and new is not None and old.due_at == new:
            continue
        changes[phase] = [when(old.due_at) if old else None, when(new) if new else None]
        if new is None and old is not None:
            old.delete()
        elif old is None and new is not None:
            Deadline.objects.create(campaign=locked, phase=phase, due_at=new)
        elif old is not None and new is not None:
            old.due_at = new
            old.save(update_fields=["due_at"])
    if changes:
        _bump(locked)
        audit.record(actor=actor, action="campaign.deadlines", obj=locked, data=changes)
    return locked


def set_deadline(
    *, actor: Any, campaign: Campaign, phase: str, due_at: datetime.datetime | None, expected_version: int | None = None
) -> Campaign:
    """One phase's deadline (None removes it)."""
    return set_deadlines(actor=actor, campaign=campaign, deadlines={phase: due_at}, expected_version=expected_version)


# --- phases -------------------------------------------------------------------------------


@transaction.atomic
def move_phase(
    *, actor: Any, campaign: Campaign, to: str, reason: str = "", expected_version: int | None = None
) -> Campaign:
    """Move to the next phase, or back to an earlier one (a reopening, with a reason)."""
    if to not in phases.ORDER:
        raise ValidationError({"to": [_("Giai đoạn “%(phase)s” không có.") % {"phase": to}]}, code="no_phase")
    locked = lock_campaign(campaign, expected_version)
    current = locked.phase
    here, there = phases.index(current), phases.index(to)
    if there == here:
        raise ValidationError(
            _("Đợt thi đua đã ở giai đoạn “%(phase)s”.") % {"phase": phase_label(current)}, code="same_phase"
        )
    if there > here + 1:
        raise ValidationError(
            {
                "to": [
                    _("Chỉ chuyển được sang giai đoạn kế tiếp (“%(next)s”), không bỏ qua giai đoạn nào.")
                    % {"next": phase_label(phases.ORDER[here + 1])}
                ]
            },
            code="skip_phase",
        )
    reopening = there < here
    text = (
        require_reason(
            reason,
            _("Mở lại giai đoạn “%(phase)s” cần ghi lý do (sẽ lưu trong nhật ký).") % {"phase": phase_label(to)},
        )
        if reopening
        else (reason or "").strip()
    )
    locked.phase = to
    locked.version += 1
    locked.save(update_fields=["phase", "version"])
    audit.record(
        actor=actor,
        action=PHASE_MOVE,
        obj=locked,
        data={"from": current, "to": to, "direction": "reopen" if reopening else "forward"},
        reason=text,
    )
    return locked


# --- extensions ---------------------------------------------------------------------------


def _check_member(campaign: Campaign, organization: Organization) -> None:
    if not campaign.cluster_year.memberships.filter(organization=organization).exists():
        raise ValidationError(
            {
                "organization": [
                    _("%(org)s không phải thành viên của %(cy)s.") % {"org": organization, "cy": campaign.cluster_year}
                ]
            },
            code="not_member",
        )


@transaction.atomic
def grant_extension(
    *,
    actor: Any,
    campaign: Campaign,
    organization: Organization,
    phase: str,
    until: datetime.datetime,
    reason: str,
) -> Extension:
    """More time for one school in one phase (gia hạn); granting again changes the date."""
    if phase not in DEADLINE_PHASES:
        raise ValidationError(
            {"phase": [_("Giai đoạn “%(phase)s” không có hạn chót để gia hạn.") % {"phase": phase_label(phase)}]},
            code="no_deadline_phase",
        )
    text = require_reason(reason, _("Gia hạn cần ghi lý do (trường được gia hạn sẽ thấy lý do này)."))
    locked = lock_campaign(campaign)
    _check_member(locked, organization)
    deadline = Deadline.objects.filter(campaign=locked, phase=phase).first()
    if deadline is None:
        raise ValidationError(
            {
                "phase": [
                    _("Giai đoạn “%(phase)s” chưa có hạn chót nên chưa cần gia hạn.") % {"phase": phase_label(phase)}
                ]
            },
            code="no_deadline",
        )
    if until <= deadline.due_at:
        raise ValidationError(
            {
                "until": [
                    _("Ngày gia hạn phải sau hạn chung của giai đoạn “%(phase)s” (%(due)s).")
                    % {"phase": phase_label(phase), "due": when(deadline.due_at)}
                ]
            },
            code="extension_before_deadline",
        )
    extension = Extension.objects.filter(campaign=locked, organization=organization, phase=phase).first()
    previous = when(extension.until) if extension else None
    if extension is None:
        extension = Extension(campaign=locked, organization=organization, phase=phase)
    extension.until = until
    extension.reason = text
    extension.granted_by = actor if getattr(actor, "is_authenticated", False) else None
    extension.granted_at = timezone.now()
    extension.save()
    audit.record(
        actor=actor,
        action="extension.grant",
        obj=locked,
        data={"school": organization.short_code, "phase": phase, "until": when(until), "previous": previous},
        reason=text,
    )
    return extension


@transaction.atomic
def revoke_extension(*, actor: Any, extension: Extension, reason: str = "") -> None:
    """Withdraw an extension: the school is back on the common deadline."""
    campaign = lock_campaign(extension.campaign)
    data = {"school": extension.organization.short_code, "phase": extension.phase, "until": when(extension.until)}
    extension.delete()
    audit.record(actor=actor, action="extension.revoke", obj=campaign, data=data, reason=(reason or "").strip())


__all__ = [
    "create_campaign",
    "grant_extension",
    "move_phase",
    "reopen_registration",
    "revoke_extension",
    "save_registration",
    "set_deadline",
    "set_deadlines",
    "submit_registration",
    "update_campaign",
    "upload_covenant_scan",
]
