"""Who keeps the award list: the Academy's staff and the administrator (every signed-in user
reads it). The same people record awards received in the past (``awards``)."""

from __future__ import annotations

from typing import Any

import rules

from thidua.accounts.roles import roleset


@rules.predicate
def manages_awards(user: Any) -> bool:
    """The Academy's staff and the administrator keep the award list and record past awards."""
    rs = roleset(user)
    return rs.is_admin or rs.is_academy


rules.add_perm("titles.manage_awards", manages_awards)
