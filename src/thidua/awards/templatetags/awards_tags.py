"""``{% award_history org %}``: the award history of a school, across succession (the school
page shows it without its view knowing about awards)."""

from __future__ import annotations

from typing import Any

from django import template

from thidua.awards.history import records_of_lineage
from thidua.organizations.models import Organization

register = template.Library()


@register.inclusion_tag("awards/_history.html")
def award_history(org: Organization) -> dict[str, Any]:
    records = list(records_of_lineage(org))
    return {"org": org, "records": records, "from_predecessors": any(r.organization_id != org.pk for r in records)}
