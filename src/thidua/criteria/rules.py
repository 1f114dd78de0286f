"""Who may see and edit criteria frameworks.

Academy staff and administrators edit every framework; the secretariat of a cluster year edits
the drafts of its cluster meant for that year (or for no particular year). Everyone signed in
reads published frameworks; drafts are read by those who may edit them.
"""

from __future__ import annotations

from typing import Any

import rules

from thidua.accounts.roles import roleset
from thidua.accounts.rules import is_academy_staff, is_admin, is_secretariat_somewhere, is_signed_in
from thidua.criteria.models import Framework, FrameworkStatus


@rules.predicate
def can_edit_framework(user: Any, framework: Framework | None) -> bool:
    rs = roleset(user)
    if rs.is_admin or rs.is_academy:
        return True
    if framework is None or framework.cluster_id is None:
        return False
    if framework.year is not None:
        return rs.is_secretariat(framework.cluster_id, framework.year)
    return any(cluster_id == framework.cluster_id for cluster_id, _year in rs.led_cluster_years) or rs.has(
        "cluster_secretariat", cluster_id=framework.cluster_id
    )


@rules.predicate
def is_published(user: Any, framework: Framework | None) -> bool:
    return framework is not None and framework.status != FrameworkStatus.DRAFT


rules.add_perm("criteria.view_framework", is_signed_in & (is_published | can_edit_framework))
rules.add_perm("criteria.change_framework", can_edit_framework)
rules.add_perm("criteria.add_framework", is_admin | is_academy_staff | is_secretariat_somewhere)
