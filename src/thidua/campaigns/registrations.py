"""Registration (đăng ký thi đua): a school's targets for the criteria that take one, the titles
it aims for and its commitment; its principal signs it off, which locks it; the secretariat can
reopen it with a reason.

Work is accepted only while the campaign is in its registration phase and before the school's
deadline (``deadlines.ensure_open``: the common deadline, or the school's extension). A save
names the version it was read at; if someone saved in between, nothing is overwritten.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.campaigns import targets as target_rules
from thidua.campaigns.common import check_version, phase_label, require_reason, when
from thidua.campaigns.deadlines import ensure_open
from thidua.campaigns.models import Campaign, Registration, RegistrationTarget, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.campaigns.rules import is_campaign_secretariat, is_school_leader, is_school_officer
from thidua.core import audit
from thidua.core.exceptions import StaleObjectError
from thidua.organizations.models import Organization
from thidua.scoring.engine.decimals import format_vi, parse_decimal

MAX_COMMITMENT = 5000


def target_field(code: str) -> str:
    """The key under which a target's problem is reported (and the form's field name)."""
    return f"target_{code}"


class RegistrationLocked(ValidationError):  # noqa: N818 -- reads as what happened
    def __init__(self, registration: Registration) -> None:
        signed = when(registration.submitted_at) if registration.submitted_at else ""
        super().__init__(
            _(
                "Bản đăng ký của %(org)s đã được lãnh đạo trường ký duyệt (%(when)s) nên không sửa được nữa. "
                "Nếu cần sửa, hãy đề nghị Thường trực Cụm mở lại."
            )
            % {"org": registration.organization, "when": signed},
            code="locked",
        )


def _system_or(check: bool, actor: Any) -> bool:
    """``actor`` None is the system (demo loader, imports): it passes the role checks."""
    return actor is None or check


def _check_member(campaign: Campaign, organization: Organization) -> None:
    if not campaign.cluster_year.memberships.filter(organization=organization).exists():
        raise ValidationError(
            _("%(org)s không phải thành viên của %(cy)s nên không đăng ký thi đua trong đợt này.")
            % {"org": organization, "cy": campaign.cluster_year},
            code="not_member",
        )


def _clean_targets(
    campaign: Campaign, targets: Mapping[str, Any], leaves: list[target_rules.TargetLeaf]
) -> dict[str, Decimal | None]:
    """Each given target as a Decimal (None removes it); every problem named by criterion."""
    by_code = {leaf.code: leaf for leaf in leaves}
    known_codes = set(campaign.framework.nodes.values_list("code", flat=True))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Decimal | None] = {}
    for code, raw in targets.items():
        leaf = by_code.get(code)
        if leaf is None:
            message = (
                _("Tiêu chí %(code)s không nhận chỉ tiêu đăng ký (chỉ các tiêu chí định lượng so với chỉ tiêu mới có).")
                if code in known_codes
                else _("Bảng tiêu chí của đợt này không có tiêu chí %(code)s.")
            )
            errors.setdefault("targets", []).append(message % {"code": code})
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            cleaned[code] = None
            continue
        try:
            value = parse_decimal(raw)
        except ValueError:
            errors[target_field(code)] = [_("Chỉ tiêu của %(code)s không phải là một số.") % {"code": code}]
            continue
        problem = _target_problem(leaf, value)
        if problem:
            errors[target_field(code)] = [problem]
        else:
            cleaned[code] = value
    if errors:
        raise ValidationError(errors, code="bad_targets")
    return cleaned


def _target_problem(leaf: target_rules.TargetLeaf, value: Decimal) -> str:
    code = leaf.code
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > target_rules.MAX_PLACES:
        return _("Chỉ tiêu của %(code)s dùng tối đa %(n)s chữ số sau dấu phẩy.") % {
            "code": code,
            "n": target_rules.MAX_PLACES,
        }
    if value <= 0:
        return _("Chỉ tiêu của %(code)s phải lớn hơn 0 (điểm được tính theo tỷ lệ thực hiện so với chỉ tiêu).") % {
            "code": code
        }
    if leaf.is_percent and value > 100:
        return _("Chỉ tiêu của %(code)s là tỷ lệ phần trăm nên không thể lớn hơn 100.") % {"code": code}
    if value > target_rules.MAX_TARGET:
        return _("Chỉ tiêu của %(code)s quá lớn (tối đa %(max)s).") % {
            "code": code,
            "max": format_vi(target_rules.MAX_TARGET, places=None),
        }
    return ""


def _clean_titles(titles: Sequence[str]) -> list[str]:
    cleaned = target_rules.clean_titles(titles)
    if len(cleaned) > target_rules.MAX_TITLES:
        raise ValidationError(
            {"aimed_titles": [_("Chỉ đăng ký tối đa %(n)s danh hiệu.") % {"n": target_rules.MAX_TITLES}]}
        )
    too_long = [t for t in cleaned if len(t) > target_rules.MAX_TITLE_LENGTH]
    if too_long:
        raise ValidationError(
            {
                "aimed_titles": [
                    _("Tên danh hiệu quá dài (tối đa %(n)s ký tự): “%(title)s…”.")
                    % {"n": target_rules.MAX_TITLE_LENGTH, "title": too_long[0][:40]}
                ]
            }
        )
    return cleaned


def _lock_registration(campaign: Campaign, organization: Organization) -> Registration | None:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("organization", "campaign")
        .filter(campaign=campaign, organization=organization)
        .first()
    )


@transaction.atomic
def save_registration(
    *,
    actor: Any,
    campaign: Campaign,
    organization: Organization,
    targets: Mapping[str, Any] | None = None,
    aimed_titles: Sequence[str] | None = None,
    commitment: str | None = None,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Create or change a school's draft registration.

    ``targets`` maps criterion codes to a target (None removes it); codes left out keep their
    target. ``expected_version`` is the version the form was opened on (0: there was none yet);
    None skips the check. ``now`` lets a loader record work as of another moment.
    """
    # The campaign as it is now (its phase may have moved since the caller loaded it), locked
    # so that a phase move waits for this save and a save never slips in after it.
    campaign = (
        Campaign.objects.select_for_update(of=("self",)).select_related("framework", "cluster_year").get(pk=campaign.pk)
    )
    _check_member(campaign, organization)
    if not _system_or(is_school_officer(actor, organization.pk), actor):
        raise PermissionDenied(_("Chỉ cán bộ của %(org)s sửa được bản đăng ký của trường.") % {"org": organization})
    registration = _lock_registration(campaign, organization)
    created = registration is None
    if registration is None:
        if expected_version not in (None, 0):
            raise StaleObjectError(_("bản đăng ký của %(org)s") % {"org": organization})
        registration = Registration(campaign=campaign, organization=organization, version=1)
    else:  # signed off says more than "changed since": it is checked first
        if registration.status == SubmissionStatus.SUBMITTED:
            raise RegistrationLocked(registration)
        check_version(registration, expected_version)
    ensure_open(campaign, organization, Phase.REGISTRATION, now=now)
    leaves = target_rules.target_leaves(campaign.framework)
    new_targets = _clean_targets(campaign, targets or {}, leaves)
    changes: dict[str, Any] = {}
    if aimed_titles is not None:
        titles = _clean_titles(aimed_titles)
        if titles != list(registration.aimed_titles or []):
            changes["aimed_titles"] = [registration.aimed_titles, titles]
            registration.aimed_titles = titles
    if commitment is not None:
        text = commitment.strip()
        if len(text) > MAX_COMMITMENT:
            raise ValidationError(
                {"commitment": [_("Nội dung cam kết quá dài (tối đa %(n)s ký tự).") % {"n": MAX_COMMITMENT}]}
            )
        if text != registration.commitment:
            changes["commitment"] = [registration.commitment, text]
            registration.commitment = text
    existing = {t.node.code: t for t in registration.targets.select_related("node")} if not created else {}
    target_changes = {
        code: [existing[code].target if code in existing else None, value]
        for code, value in new_targets.items()
        if (existing[code].target if code in existing else None) != value
    }
    if target_changes:
        changes["targets"] = target_changes
    if not created and not changes:
        return registration
    if not created:
        registration.version += 1
    registration.save()
    nodes = {leaf.code: leaf.node for leaf in leaves}
    for code, (_old, value) in target_changes.items():
        if value is None:
            existing[code].delete()
        elif code in existing:
            existing[code].target = value
            existing[code].save(update_fields=["target"])
        else:
            RegistrationTarget.objects.create(registration=registration, node=nodes[code], target=value)
    audit.record(
        actor=actor,
        action="registration.create" if created else "registration.update",
        obj=registration,
        data={"school": organization.short_code, **changes},
    )
    return registration


def missing_targets(registration: Registration) -> list[str]:
    """The codes of the criteria that still need a target."""
    have = set(registration.targets.values_list("node__code", flat=True))
    return [leaf.code for leaf in target_rules.target_leaves(registration.campaign.framework) if leaf.code not in have]


@transaction.atomic
def submit_registration(
    *,
    actor: Any,
    registration: Registration,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """The principal signs the registration off (ký duyệt): it is sent and locked."""
    locked = _lock_registration(registration.campaign, registration.organization)
    if locked is None:  # pragma: no cover -- a registration being submitted exists
        raise ValidationError(_("Chưa có bản đăng ký."))
    organization = locked.organization
    if not _system_or(is_school_leader(actor, organization.pk), actor):
        raise PermissionDenied(
            _("Chỉ lãnh đạo %(org)s (hiệu trưởng, phó hiệu trưởng) ký duyệt được bản đăng ký.") % {"org": organization}
        )
    if locked.status == SubmissionStatus.SUBMITTED:
        raise RegistrationLocked(locked)
    check_version(locked, expected_version)
    ensure_open(locked.campaign, organization, Phase.REGISTRATION, now=now)
    problems = []
    missing = missing_targets(locked)
    if missing:
        problems.append(_("Chưa đăng ký chỉ tiêu cho: %(codes)s.") % {"codes": ", ".join(missing)})
    if not locked.aimed_titles:
        problems.append(_("Chưa chọn danh hiệu đăng ký."))
    if problems:
        raise ValidationError([_("Chưa ký duyệt được:"), *problems], code="incomplete")
    locked.mark_submitted(actor=actor, at=now or timezone.now())
    locked.save()
    audit.record(
        actor=actor,
        action="registration.submit",
        obj=locked,
        data={"school": organization.short_code, "targets": locked.targets.count(), "titles": locked.aimed_titles},
    )
    return locked


@transaction.atomic
def reopen_registration(
    *, actor: Any, registration: Registration, reason: str, expected_version: int | None = None
) -> Registration:
    """The secretariat reopens a signed-off registration so that the school can correct it."""
    locked = _lock_registration(registration.campaign, registration.organization)
    if locked is None:  # pragma: no cover
        raise ValidationError(_("Chưa có bản đăng ký."))
    campaign = locked.campaign
    if not _system_or(bool(is_campaign_secretariat(actor, campaign)), actor):
        raise PermissionDenied(_("Chỉ Thường trực Cụm mở lại được bản đăng ký đã ký duyệt."))
    check_version(locked, expected_version)
    if locked.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Bản đăng ký này chưa được ký duyệt nên không cần mở lại."), code="not_submitted")
    text = require_reason(reason, _("Mở lại bản đăng ký cần ghi lý do (trường sẽ thấy lý do này)."))
    if campaign.phase != Phase.REGISTRATION:
        raise ValidationError(
            _(
                "Đợt thi đua đang ở giai đoạn “%(current)s”: trường chỉ sửa được bản đăng ký trong giai đoạn "
                "“%(registration)s”. Hãy mở lại giai đoạn đó trước (có lý do)."
            )
            % {"current": phase_label(campaign.phase), "registration": phase_label(Phase.REGISTRATION)},
            code="phase_closed",
        )
    locked.mark_draft()
    locked.save()
    audit.record(
        actor=actor,
        action="registration.reopen",
        obj=locked,
        data={"school": locked.organization.short_code},
        reason=text,
    )
    return locked
