"""Keeping the award list (danh mục hình thức khen thưởng): installing the default list and
creating or changing one award (the Academy), each change audited in its transaction; a
change made from a stale form is refused.

``install_award_list(actor=None)`` is the system (the demo loader): no permission check.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.titles.catalogue import AWARD_LIST
from thidua.titles.models import Award


def _require(actor: Any, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


@transaction.atomic
def install_award_list(*, actor: Any) -> int:
    """Create the default awards (``catalogue.AWARD_LIST``) that do not exist yet; returns how many."""
    if actor is not None:
        _require(actor, "titles.manage_awards")
    created = 0
    by_code = {a.code: a for a in Award.objects.all()}
    for spec in AWARD_LIST:
        if spec["code"] in by_code:
            continue
        award = Award(
            code=spec["code"],
            name=spec["name"],
            level=spec["level"],
            consecutive_years=spec["consecutive_years"],
            framework_title=spec["framework_title"],
        )
        if spec["prerequisite"]:
            award.prerequisite = by_code[spec["prerequisite"]]
        award.save()
        by_code[award.code] = award
        audit.record(actor=actor, action="award.create", obj=award, data={"code": award.code})
        created += 1
    return created


AWARD_FIELDS = ("code", "name", "level", "consecutive_years", "prerequisite", "framework_title", "is_active")


@transaction.atomic
def save_award(*, actor: Any, award: Award | None = None, expected_version: int | None = None, **values: Any) -> Award:
    """Create an award, or change one (the Academy). A change made from a form read before
    someone else's (``expected_version`` older than the award's) is refused, nothing saved."""
    _require(actor, "titles.manage_awards")
    creating = award is None
    if award is not None:
        award = Award.objects.select_for_update().get(pk=award.pk)
        if expected_version is not None and expected_version != award.version:
            raise ValidationError(
                _(
                    "Hình thức khen thưởng này vừa được người khác sửa. "
                    "Hãy tải lại trang để xem bản mới nhất rồi sửa lại."
                ),
                code="stale",
            )
    award = award or Award()
    if isinstance(values.get("framework_title"), str):
        values["framework_title"] = " ".join(values["framework_title"].split())
    changes = {}
    for name in AWARD_FIELDS:
        if name in values and getattr(award, name) != values[name]:
            changes[name] = [getattr(award, name) if not creating else None, values[name]]
            setattr(award, name, values[name])
    if award.prerequisite_id is not None and award.pk is not None and award.prerequisite_id == award.pk:
        raise ValidationError({"prerequisite": "Một hình thức khen thưởng không thể là điều kiện của chính nó."})
    if award.consecutive_years and award.consecutive_years > 10:
        raise ValidationError({"consecutive_years": "Số năm liên tục tối đa là 10."})
    award.full_clean()
    if not creating and changes:
        award.version += 1
    award.save()
    audit.record(actor=actor, action="award.create" if creating else "award.update", obj=award, data=changes)
    return award
