"""Reading the award list for the pages and the API."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from thidua.titles.models import Award, AwardLevel

LEVEL_ORDER = Case(
    When(level=AwardLevel.ACADEMY, then=Value(0)),
    When(level=AwardLevel.PROVINCE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def awards() -> QuerySet[Award]:
    """The award list: in use first, then the Academy's, the province's and the State's, by name."""
    return Award.objects.select_related("prerequisite").order_by("-is_active", LEVEL_ORDER, "name_sort")
