"""Reading conferences and ballots: members, attendance, default candidates, counts, the
published anonymised ballots (receipt and choices only), tally differences."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from thidua.organizations.models import ClusterYear, Membership, MembershipRole, Organization
from thidua.results.snapshot import read_published_of_year
from thidua.titles.models import Award
from thidua.voting.models import (
    Ballot,
    BallotStatus,
    Candidate,
    CastBallot,
    CastChoice,
    Conference,
    PaperTally,
    VoteCode,
)


def conferences() -> QuerySet[Conference]:
    return Conference.objects.select_related("cluster_year__cluster", "host").prefetch_related(
        Prefetch("cluster_year__memberships", queryset=Membership.objects.select_related("organization"))
    )


def ballots_of(conference: Conference) -> QuerySet[Ballot]:
    return (
        Ballot.objects.filter(conference=conference)
        .select_related("preset", "award", "previous_round")
        .prefetch_related(Prefetch("candidates", queryset=Candidate.objects.select_related("organization")))
    )


def memberships(cluster_year: ClusterYear) -> list[Membership]:
    order: dict[str, int] = {MembershipRole.HEAD: 0, MembershipRole.DEPUTY: 1, MembershipRole.MEMBER: 2}
    rows = list(cluster_year.memberships.select_related("organization").order_by("organization__name_sort"))
    return sorted(rows, key=lambda m: order.get(m.role, 3))


def member_organizations(cluster_year: ClusterYear) -> list[Organization]:
    return [m.organization for m in memberships(cluster_year)]


def present_members(conference: Conference) -> set[int]:
    """The member schools with at least one delegate checked in (guests do not count)."""
    members = set(conference.cluster_year.memberships.values_list("organization_id", flat=True))
    checked = set(
        conference.delegates.filter(is_guest=False, checked_in_at__isnull=False, organization__isnull=False)
        .values_list("organization_id", flat=True)
        .distinct()
    )
    return checked & members


@dataclass
class CandidateRow:
    organization: Organization
    basis: dict[str, Any] = field(default_factory=dict)


@dataclass
class DefaultCandidates:
    rows: list[CandidateRow]
    from_results: bool  # False: the member list (no published results to rank by)
    title: str = ""  # the framework title the rows were chosen for ("" = any title)


def default_candidates(cluster_year: ClusterYear, award: Award | None = None) -> DefaultCandidates:
    """The eligible schools in rank order with their totals and rank intervals, from the
    campaign's published results; without them, the member schools in name order.

    With an ``award`` whose ``framework_title`` is set, eligible means eligible for that title
    (``ResultRow.is_eligible``: a title no condition of the framework names restricts nobody);
    otherwise eligible for at least one title. When the results rank the members but none is
    eligible, the list is empty (it does not fall back to the members)."""
    title = award.framework_title if award is not None else ""
    members = {m.organization_id: m.organization for m in memberships(cluster_year)}
    ranked = _from_results(cluster_year, members, title=title)
    if ranked:
        return DefaultCandidates([row for row, eligible in ranked if eligible], True, title)
    return DefaultCandidates([CandidateRow(o) for o in members.values()], False, title)


def published_ranking(cluster_year: ClusterYear) -> list[CandidateRow]:
    """Every ranked member school of the published results (eligible or not), in rank order."""
    members = {m.organization_id: m.organization for m in memberships(cluster_year)}
    return [row for row, _eligible in _from_results(cluster_year, members)]


def _from_results(
    cluster_year: ClusterYear, members: dict[int, Organization], *, title: str = ""
) -> list[tuple[CandidateRow, bool]]:
    """The ranked member schools of the published results in rank order, each with whether it is
    eligible for ``title`` (any title when blank); empty when no results are published."""
    snapshot = read_published_of_year(cluster_year)
    if snapshot is None:
        return []
    named = snapshot.named_titles
    by_code = {o.short_code: o for o in members.values()}
    rows: list[tuple[CandidateRow, bool]] = []
    for entry in snapshot.rows:
        org = by_code.get(entry.code)
        if org is None:
            continue
        basis: dict[str, Any] = {
            "rank": entry.rank,
            "rank_label": entry.rank_label,
            "total": str(entry.total),
            "eligible_titles": list(entry.eligible_titles),
        }
        if entry.rank_interval is not None:
            basis["rank_low"], basis["rank_high"] = entry.rank_interval
        rows.append((CandidateRow(org, basis), entry.is_eligible(title, named)))
    return rows


def electronic_counts(ballot: Ballot) -> dict[int, int]:
    """Votes per candidate id."""
    return dict(Counter(CastChoice.objects.filter(cast_ballot__ballot=ballot).values_list("candidate_id", flat=True)))


@dataclass(frozen=True)
class PublishedBallot:
    receipt: str
    choices: tuple[str, ...]  # candidate names in ballot order


def published_ballots(ballot: Ballot) -> list[PublishedBallot]:
    """The anonymised ballots of a closed ballot: receipt and choices, ordered by receipt.
    Nothing else exists to show (no voter, code or time is stored)."""
    if ballot.status != BallotStatus.CLOSED:
        return []
    names = {c.pk: (c.order, c.organization.name) for c in ballot.candidates.select_related("organization")}
    chosen: dict[str, list[int]] = {}
    for receipt, candidate_id in CastChoice.objects.filter(cast_ballot__ballot=ballot).values_list(
        "cast_ballot__receipt", "candidate_id"
    ):
        chosen.setdefault(receipt, []).append(candidate_id)
    receipts = CastBallot.objects.filter(ballot=ballot).order_by("receipt").values_list("receipt", flat=True)
    return [
        PublishedBallot(r, tuple(names[c][1] for c in sorted(chosen.get(r, []), key=lambda c: names[c][0])))
        for r in receipts
    ]


@dataclass(frozen=True)
class Difference:
    label: str
    first: int
    second: int


def tally_differences(entries: list[PaperTally], candidates: list[Candidate]) -> list[Difference]:
    """Field by field, where the two tellers' entries disagree (empty when they agree)."""
    if len(entries) < 2:
        return []
    one, two = sorted(entries, key=lambda e: e.entry_number)[:2]
    out = []
    for label, a, b in (
        ("Số phiếu phát ra", one.ballots_issued, two.ballots_issued),
        ("Số phiếu thu về", one.ballots_returned, two.ballots_returned),
        ("Số phiếu không hợp lệ", one.invalid, two.invalid),
    ):
        if a != b:
            out.append(Difference(label, a, b))
    for c in candidates:
        a, b = int(one.counts.get(str(c.pk), 0)), int(two.counts.get(str(c.pk), 0))
        if a != b:
            out.append(Difference(c.organization.name, a, b))
    return out


@dataclass(frozen=True)
class ResultRow:
    name: str
    short_code: str
    votes: int
    percent_of_electorate: str
    reached: bool
    elected: bool
    basis: dict[str, Any]


def result_rows(ballot: Ballot) -> list[ResultRow]:
    """Counts per candidate (never who voted for whom), in ballot order."""
    if not ballot.result:
        return []
    by_key = {str(c["key"]): c for c in ballot.result.get("candidates", [])}
    rows = []
    electorate = ballot.result.get("electorate") or ballot.electorate_size or 1
    for cand in ballot.candidates.all():
        data = by_key.get(str(cand.pk), {})
        votes = int(data.get("votes", 0))
        rows.append(
            ResultRow(
                name=cand.organization.name,
                short_code=cand.organization.short_code,
                votes=votes,
                percent_of_electorate=format_percent(votes, electorate),
                reached=bool(data.get("reached")),
                elected=bool(data.get("elected")),
                basis=cand.basis,
            )
        )
    return rows


def format_percent(part: int, whole: int) -> str:
    """ "58,33 %": two decimals, Vietnamese comma."""
    value = 100 * part / whole if whole else 0
    return f"{value:.2f}".replace(".", ",") + " %"


def ballot_for_code(code: str) -> tuple[Ballot | None, str]:
    """The open ballot a still unused code belongs to, or None with why not.

    A used code gets the answer of a code never issued ("invalid"), and on a closed ballot every
    code gets "closed": whoever holds the printed codes learns nothing of who has voted."""
    from thidua.voting import codes as vote_codes

    if not vote_codes.looks_like_code(code):
        return None, "invalid"
    vote_code = (
        VoteCode.objects.select_related("ballot__conference__cluster_year__cluster")
        .filter(code_hash=vote_codes.code_hash(code))
        .first()
    )
    if vote_code is None:
        return None, "invalid"
    if vote_code.ballot.status != BallotStatus.OPEN:
        return None, "closed"
    if vote_code.used:
        return None, "invalid"
    return vote_code.ballot, ""


def ballot_for_receipt(receipt: str) -> Ballot | None:
    from thidua.voting import codes as vote_codes

    plain = vote_codes.normalise(receipt)
    if len(plain) != vote_codes.RECEIPT_GROUPS * vote_codes.GROUP_SIZE:
        return None
    formatted = "-".join(plain[i : i + vote_codes.GROUP_SIZE] for i in range(0, len(plain), vote_codes.GROUP_SIZE))
    cast = (
        CastBallot.objects.select_related("ballot__conference__cluster_year__cluster").filter(receipt=formatted).first()
    )
    return cast.ballot if cast is not None else None
