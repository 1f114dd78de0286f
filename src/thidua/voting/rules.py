"""Who may see and run a conference and its ballots.

- The conference of a cluster year is run (record, attendance, ballots, codes, tallies,
  decisions) by the secretariat of that cluster year (Thường trực Cụm) and the administrator.
- It is read — with its results, never who voted for whom — by the people of the member
  schools that year, the Academy and observers. Anyone else gets a 404.
- Voting itself needs no account: the one-time code is the credential (``services.cast_vote``).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet

from thidua.accounts.roles import roleset
from thidua.campaigns.rules import member_of_cluster_year_q
from thidua.voting.models import Ballot, Conference


@rules.predicate
def is_conference_secretariat(user: Any, conference: Conference | None) -> bool:
    rs = roleset(user)
    if rs.is_admin:
        return True
    if conference is None:
        return rs.secretariat_anywhere()
    cy = conference.cluster_year
    return rs.is_secretariat(cy.cluster_id, cy.year)


@rules.predicate
def is_conference_reader(user: Any, conference: Conference | None) -> bool:
    rs = roleset(user)
    if rs.is_admin or rs.is_academy or rs.is_observer:
        return True
    if conference is None:
        return bool(rs.school_ids) or rs.secretariat_anywhere()
    cy = conference.cluster_year
    if rs.is_secretariat(cy.cluster_id, cy.year):
        return True
    member_ids = {m.organization_id for m in cy.memberships.all()}
    return bool(member_ids & rs.school_ids)


def conferences_visible_to(user: Any) -> QuerySet[Conference]:
    """``voting.view_conference`` (``is_conference_reader``) as a filter."""
    rs = roleset(user)
    if rs.is_admin or rs.is_academy or rs.is_observer:
        return Conference.objects.all()
    return Conference.objects.filter(
        rs.secretariat_q("cluster_year__cluster_id", "cluster_year__year")
        | member_of_cluster_year_q(rs, "cluster_year_id")
    )


def ballots_visible_to(user: Any) -> QuerySet[Ballot]:
    """The ballots of the conferences the user may read (a ballot is read with its conference)."""
    return Ballot.objects.filter(conference__in=conferences_visible_to(user))


rules.add_perm("voting.view_conference", is_conference_reader)
rules.add_perm("voting.manage_conference", is_conference_secretariat)
