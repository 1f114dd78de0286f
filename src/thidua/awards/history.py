"""Award history across succession (lịch sử khen thưởng) and the consecutive-years check.

A merged school keeps its predecessors' awards: the history of Đồng Tháp (new) shows Tiền
Giang's awards under Tiền Giang's name, and they count towards Đồng Tháp's "consecutive years"
rules. The rule is read simply (``catalogue`` explains it): an award with
``consecutive_years`` N and ``prerequisite`` P asks for P in every one of the N years just
before the proposal year; an award with N but no prerequisite asks for itself in those years.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from thidua.awards.models import AwardRecord
from thidua.organizations.models import Organization
from thidua.organizations.services import lineage_ids
from thidua.titles.models import Award

LINEAGE_DEPTH = 4  # mergers of mergers of mergers: far more than Vietnam's reorganisations need


def _lineage_filter(organization: Organization) -> Q:
    """The organisation and its predecessors up to ``LINEAGE_DEPTH`` steps back, as a filter."""
    condition = Q(organization=organization)
    path = "organization"
    for _step in range(LINEAGE_DEPTH):
        path += "__successions_out__successor"
        condition |= Q(**{path: organization})
    return condition


def records_of_lineage(organization: Organization) -> QuerySet[AwardRecord]:
    """Every award the organisation and its predecessors received, newest first, in one query."""
    return (
        AwardRecord.objects.filter(_lineage_filter(organization))
        .distinct()
        .select_related("organization", "award", "proposal")
        .order_by("-year", "award__name_sort", "organization__name_sort")
    )


@dataclass(frozen=True)
class HistoryCheck:
    """The outcome of the consecutive-years rule of ``award`` for a nominee in ``year``."""

    required: int
    prerequisite_name: str
    years_needed: tuple[int, ...] = ()
    years_found: tuple[int, ...] = ()
    found_under: dict[int, str] = field(default_factory=dict)  # year → the school that received it

    @property
    def applies(self) -> bool:
        return self.required > 0

    @property
    def years_missing(self) -> tuple[int, ...]:
        return tuple(y for y in self.years_needed if y not in self.years_found)

    @property
    def met(self) -> bool:
        return not self.years_missing

    def as_dict(self) -> dict[str, object]:
        return {
            "required": self.required,
            "prerequisite": self.prerequisite_name,
            "years_needed": list(self.years_needed),
            "years_found": list(self.years_found),
            "years_missing": list(self.years_missing),
            "found_under": {str(k): v for k, v in self.found_under.items()},
            "met": self.met,
        }

    def message(self) -> str:
        if not self.applies:
            return ""
        needed = ", ".join(str(y) for y in self.years_needed)
        if self.met:
            return f"Đủ điều kiện: đã có {self.prerequisite_name} các năm {needed}."
        found = ", ".join(str(y) for y in self.years_found) or "không có năm nào"
        missing = ", ".join(str(y) for y in self.years_missing)
        return (
            f"Chưa đủ {self.required} năm liên tục có {self.prerequisite_name} (các năm {needed}): "
            f"đã có {found}; còn thiếu {missing}."
        )


def check_consecutive(*, nominee: Organization, award: Award, year: int) -> HistoryCheck:
    """Whether the nominee's lineage meets the award's consecutive-years rule for ``year``."""
    required = award.consecutive_years or 0
    target = award.prerequisite or award
    if required <= 0:
        return HistoryCheck(required=0, prerequisite_name=target.name)
    needed = tuple(range(year - required, year))
    rows = AwardRecord.objects.filter(
        organization_id__in=lineage_ids(nominee), award=target, year__in=needed
    ).values_list("year", "organization__name")
    found_under: dict[int, str] = {}
    for found_year, org_name in rows:
        found_under.setdefault(found_year, org_name)
    return HistoryCheck(
        required=required,
        prerequisite_name=target.name,
        years_needed=needed,
        years_found=tuple(sorted(found_under)),
        found_under=found_under,
    )
