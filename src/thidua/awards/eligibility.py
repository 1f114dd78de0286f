"""Who may be put forward for an award (đủ điều kiện xét), read from the published results.

The criteria framework's eligibility conditions block short titles ("Cờ thi đua", "Bằng
khen"); an award names the title it corresponds to in ``Award.framework_title``. The results
snapshot (``reviews.CampaignResults.snapshot``) carries, for each ranked school, the titles it
is eligible for (``eligible_titles``), and the framework itself (``framework.conditions``, each
with the titles it ``blocks``). One rule, used by the ballot's default candidates
(``voting.queries.default_candidates``) and by the proposal check (``awards.basis``):

- A title is *named* when some condition of the snapshot's framework lists it in ``blocks``.
  A snapshot without a framework (older or hand-made data) names the titles that some school's
  row lists as eligible or blocked.
- For a named title, a school is eligible when its row lists the title in ``eligible_titles``
  (a row without that list is not restricted: the results did not assess titles).
- A title no condition names restricts nobody: every ranked school is eligible (as the engine
  says, ``Eligibility.is_eligible``: titles no condition names are never blocked).
- Without a title (no award, or an award with a blank ``framework_title``), a school is eligible
  when it is eligible for at least one title (the behaviour before awards named titles).
- A row that says ``"eligible": false`` is never eligible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ROW_LISTS = ("results", "ranking", "rows", "schools")


def result_rows(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The ranked schools' rows of a results snapshot (``reviews.results.export_document``
    writes them under "results": code, total, rank, eligible titles); the first list of rows
    under one of ``ROW_LISTS`` for older or hand-made data."""
    for key in ROW_LISTS:
        value = snapshot.get(key)
        if isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
            return value
    return []


def framework_conditions(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    """The conditions of the snapshot's framework, or None when it carries no framework."""
    framework = snapshot.get("framework")
    if not isinstance(framework, Mapping):
        return None
    conditions = framework.get("conditions") or []
    return [c for c in conditions if isinstance(c, Mapping)] if isinstance(conditions, list) else []


def named_titles(snapshot: Mapping[str, Any]) -> frozenset[str]:
    """Every title some condition names (see the module docstring for snapshots without one)."""
    conditions = framework_conditions(snapshot)
    if conditions is not None:
        return frozenset(str(t) for c in conditions for t in (c.get("blocks") or []))
    named: set[str] = set()
    for row in result_rows(snapshot):
        named.update(str(t) for t in _list(row.get("eligible_titles")))
        named.update(
            str(b.get("title")) if isinstance(b, Mapping) else str(b) for b in _list(row.get("blocked_titles"))
        )
    return frozenset(named)


def is_eligible(row: Mapping[str, Any], *, title: str = "", named: frozenset[str] = frozenset()) -> bool:
    """Whether the school of ``row`` may be put forward for ``title`` (blank: for any title)."""
    if row.get("eligible") is False:
        return False
    titles = row.get("eligible_titles")
    if not isinstance(titles, list):
        return True
    if not title:
        return bool(titles)
    if title not in named:
        return True
    return title in [str(t) for t in titles]


def blocking_conditions(snapshot: Mapping[str, Any], school_code: str, title: str) -> list[str]:
    """The conditions naming ``title`` that the school did not meet (code and title of each), as
    far as the snapshot tells: a condition with no result for the school counts as not met."""
    conditions = framework_conditions(snapshot) or []
    results: Mapping[str, Any] = {}
    for school in _list(snapshot.get("schools")):
        if isinstance(school, Mapping) and str(school.get("code", "")).upper() == school_code.upper():
            inputs = school.get("inputs")
            if isinstance(inputs, Mapping) and isinstance(inputs.get("conditions"), Mapping):
                results = inputs["conditions"]
            break
    return [
        f"{c.get('code', '')} «{c.get('title', '')}»"
        for c in conditions
        if title in [str(t) for t in c.get("blocks") or []] and results.get(str(c.get("code"))) is not True
    ]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
