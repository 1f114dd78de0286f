"""Every change to organisations and clusters: one function each, audited, in a transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.exceptions import StaleObjectError
from thidua.organizations import queries
from thidua.organizations.models import (
    Cluster,
    ClusterYear,
    Membership,
    MembershipRole,
    Organization,
    OrganizationProfile,
    Succession,
)

ORGANIZATION_FIELDS = ("kind", "name", "short_code", "province", "active_from", "active_to")
PROFILE_FIELDS = OrganizationProfile.SIZE_MEASURES
CLUSTER_FIELDS = ("code", "name", "coordinator", "description")


def _check_version(obj: Any, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleObjectError(obj)


def _apply(obj: Any, fields: Iterable[str], values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields and return {field: [old, new]} for the ones that changed."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        if name not in values:
            continue
        old, new = getattr(obj, name), values[name]
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


def _validate_org(org: Organization) -> None:
    org.short_code = org.short_code.strip().upper()
    errors: dict[str, list[str]] = {}
    # Reversed dates are explained here, in words, rather than by the model's constraint
    # (whose message names the constraint, in English).
    dates_reversed = bool(org.active_from and org.active_to and org.active_to < org.active_from)
    if dates_reversed:
        errors["active_to"] = [_("Ngày kết thúc phải sau ngày bắt đầu hoạt động.")]
    try:
        org.full_clean(validate_constraints=not dates_reversed)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_organization(*, actor: Any, **values: Any) -> Organization:
    org = Organization(**{k: v for k, v in values.items() if k in ORGANIZATION_FIELDS})
    _validate_org(org)
    org.save()
    audit.record(
        actor=actor, action="organization.create", obj=org, data={k: getattr(org, k) for k in ORGANIZATION_FIELDS}
    )
    return org


@transaction.atomic
def update_organization(
    *, actor: Any, organization: Organization, expected_version: int | None = None, **values: Any
) -> Organization:
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_version(org, expected_version)
    changes = _apply(org, ORGANIZATION_FIELDS, values)
    if not changes:
        return org
    _validate_org(org)
    org.version += 1
    org.save()
    audit.record(actor=actor, action="organization.update", obj=org, data=changes)
    return org


def lineage_ids(organization: Organization) -> list[int]:
    """The organisation and all its predecessors, transitively (a merged school's history):
    the organisation first."""
    return [organization.pk, *sorted(queries.predecessor_closure([organization.pk]) - {organization.pk})]


@transaction.atomic
def add_succession(
    *, actor: Any, predecessor: Organization, successor: Organization, effective_date: datetime.date, note: str = ""
) -> Succession:
    if predecessor.pk == successor.pk:
        raise ValidationError(_("Một đơn vị không thể kế thừa chính nó."), code="self")
    if successor.pk in lineage_ids(predecessor):
        raise ValidationError(
            _("%(pred)s đã là đơn vị kế thừa (trực tiếp hoặc gián tiếp) của %(succ)s; không thể tạo vòng kế thừa.")
            % {"pred": successor, "succ": predecessor},
            code="cycle",
        )
    if Succession.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise ValidationError(_("Quan hệ kế thừa này đã có."), code="duplicate")
    succession = Succession.objects.create(
        predecessor=predecessor, successor=successor, effective_date=effective_date, note=note
    )
    data = {"predecessor": predecessor.short_code, "successor": successor.short_code, "effective_date": effective_date}
    audit.record(actor=actor, action="succession.create", obj=successor, data=data)
    audit.record(actor=actor, action="succession.create", obj=predecessor, data=data)
    return succession


@transaction.atomic
def remove_succession(*, actor: Any, succession: Succession, reason: str = "") -> None:
    data = {
        "predecessor": succession.predecessor.short_code,
        "successor": succession.successor.short_code,
        "effective_date": succession.effective_date,
    }
    succession.delete()
    audit.record(actor=actor, action="succession.delete", obj=succession.successor, data=data, reason=reason)
    audit.record(actor=actor, action="succession.delete", obj=succession.predecessor, data=data, reason=reason)


@transaction.atomic
def save_profile(
    *, actor: Any, organization: Organization, year: int, expected_version: int | None = None, **values: Any
) -> OrganizationProfile:
    """Create or update an organisation's profile for one year."""
    profile = OrganizationProfile.objects.select_for_update().filter(organization=organization, year=year).first()
    created = profile is None
    if profile is None:
        profile = OrganizationProfile(organization=organization, year=year)
    else:
        _check_version(profile, expected_version)
    changes = _apply(profile, PROFILE_FIELDS, values)
    if not created and not changes:
        return profile
    _validate_profile(profile)
    if not created:
        profile.version += 1
    profile.save()
    audit.record(
        actor=actor,
        action="profile.create" if created else "profile.update",
        obj=organization,
        data={"year": year, **({k: values.get(k) for k in PROFILE_FIELDS} if created else changes)},
    )
    return profile


def _validate_profile(profile: OrganizationProfile) -> None:
    profile.full_clean(exclude=["organization"], validate_unique=False)
    errors: dict[str, str] = {}
    if profile.lecturers > profile.staff:
        errors["lecturers"] = _("Số giảng viên (%(l)s) không thể lớn hơn tổng số cán bộ, viên chức (%(s)s).") % {
            "l": profile.lecturers,
            "s": profile.staff,
        }
    for part in ("lecturers_phd", "lecturers_master", "principal_lecturers"):
        if getattr(profile, part) > profile.lecturers:
            errors[part] = _("Số này không thể lớn hơn số giảng viên (%(l)s).") % {"l": profile.lecturers}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_cluster(*, actor: Any, **values: Any) -> Cluster:
    cluster = Cluster(**{k: v for k, v in values.items() if k in CLUSTER_FIELDS})
    cluster.code = cluster.code.strip().upper()
    cluster.full_clean()
    cluster.save()
    audit.record(actor=actor, action="cluster.create", obj=cluster, data={"code": cluster.code, "name": cluster.name})
    return cluster


@transaction.atomic
def update_cluster(*, actor: Any, cluster: Cluster, expected_version: int | None = None, **values: Any) -> Cluster:
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    _check_version(locked, expected_version)
    changes = _apply(locked, CLUSTER_FIELDS, values)
    if not changes:
        return locked
    locked.code = locked.code.strip().upper()
    locked.full_clean()
    locked.version += 1
    locked.save()
    audit.record(actor=actor, action="cluster.update", obj=locked, data=changes)
    return locked


def _validate_composition(members: list[Organization], head: Organization, deputies: list[Organization]) -> None:
    member_ids = {m.pk for m in members}
    errors: dict[str, list[str]] = {}
    if not members:
        errors.setdefault("members", []).append(_("Một năm của cụm cần có ít nhất một thành viên."))
    if head.pk not in member_ids:
        errors.setdefault("head", []).append(
            _("Cụm trưởng (%(org)s) phải là thành viên của cụm năm đó.") % {"org": head}
        )
    for deputy in deputies:
        if deputy.pk == head.pk:
            errors.setdefault("deputies", []).append(
                _("%(org)s đã là cụm trưởng, không thể đồng thời là cụm phó.") % {"org": deputy}
            )
        elif deputy.pk not in member_ids:
            errors.setdefault("deputies", []).append(
                _("Cụm phó %(org)s phải là thành viên của cụm năm đó.") % {"org": deputy}
            )
    if errors:
        raise ValidationError(errors)


def _distinct(orgs: Iterable[Organization]) -> list[Organization]:
    """Each organisation once, in the given order (a school listed twice is one member)."""
    return list(dict.fromkeys(orgs))


def _write_memberships(
    cluster_year: ClusterYear, members: list[Organization], head: Organization, deputies: list[Organization]
) -> None:
    deputy_ids = {d.pk for d in deputies}
    cluster_year.memberships.all().delete()
    Membership.objects.bulk_create(
        Membership(
            cluster_year=cluster_year,
            organization=org,
            role=MembershipRole.HEAD
            if org.pk == head.pk
            else MembershipRole.DEPUTY
            if org.pk in deputy_ids
            else MembershipRole.MEMBER,
        )
        for org in members
    )


def _composition(members: list[Organization], head: Organization, deputies: list[Organization]) -> dict[str, Any]:
    return {
        "members": sorted(m.short_code for m in members),
        "head": head.short_code,
        "deputies": sorted(d.short_code for d in deputies),
    }


@transaction.atomic
def create_cluster_year(
    *,
    actor: Any,
    cluster: Cluster,
    year: int,
    members: list[Organization],
    head: Organization,
    deputies: list[Organization] = (),  # type: ignore[assignment]
    theme: str = "",
    notes: str = "",
) -> ClusterYear:
    members, deputies = _distinct(members), _distinct(deputies)
    if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError({"year": [_("Cụm %(code)s đã có năm %(year)s.") % {"code": cluster.code, "year": year}]})
    _validate_composition(members, head, deputies)
    cluster_year = ClusterYear(cluster=cluster, year=year, theme=theme, notes=notes)
    cluster_year.full_clean(exclude=["cluster"], validate_unique=False)
    cluster_year.save()
    _write_memberships(cluster_year, members, head, deputies)
    audit.record(
        actor=actor,
        action="cluster_year.create",
        obj=cluster_year,
        data={"year": year, "theme": theme, **_composition(members, head, deputies)},
    )
    return cluster_year


@transaction.atomic
def update_cluster_year(
    *,
    actor: Any,
    cluster_year: ClusterYear,
    members: list[Organization],
    head: Organization,
    deputies: list[Organization] = (),  # type: ignore[assignment]
    theme: str = "",
    notes: str = "",
    expected_version: int | None = None,
) -> ClusterYear:
    """Change one year's members, head, deputies, theme or notes; other years are untouched."""
    members, deputies = _distinct(members), _distinct(deputies)
    locked = ClusterYear.objects.select_for_update(of=("self",)).select_related("cluster").get(pk=cluster_year.pk)
    _check_version(locked, expected_version)
    _validate_composition(members, head, deputies)
    before = current_composition(locked)
    after = _composition(members, head, deputies)
    changes: dict[str, Any] = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    changes.update(_apply(locked, ("theme", "notes"), {"theme": theme, "notes": notes}))
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    _write_memberships(locked, members, head, deputies)
    audit.record(actor=actor, action="cluster_year.update", obj=locked, data=changes)
    return locked


def current_composition(cluster_year: ClusterYear) -> dict[str, Any]:
    rows = list(cluster_year.memberships.values_list("organization__short_code", "role"))
    return {
        "members": sorted(code for code, _role in rows),
        "head": next((code for code, role in rows if role == MembershipRole.HEAD), ""),
        "deputies": sorted(code for code, role in rows if role == MembershipRole.DEPUTY),
    }
