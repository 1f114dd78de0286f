"""The basis of a proposal (căn cứ đề nghị): the nominee's score and rank from the published
results, and the vote from the linked ballot.

The published results are read typed (``thidua.results.snapshot``), the nominee's row found by
its code; the ballot's count is the tally's (``voting.tally.Outcome.as_json``), the nominee's
candidate found by its id. When neither is available the secretariat types the basis
(``note``), which is always kept.

The title check (``check_title``) tells whether the published results let the nominee be
proposed for the award's title in the criteria framework (``Award.framework_title``); the rule
is the snapshot's (``ResultRow.is_eligible``), the same that chooses a ballot's default
candidates. A nominee the framework's conditions block is shown as a warning; it does not stop
the proposal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.utils.translation import gettext as _

from thidua.campaigns.models import Campaign
from thidua.organizations.models import Organization
from thidua.results.snapshot import ResultRow, ResultsSnapshot, read_published

if TYPE_CHECKING:
    from thidua.titles.models import Award


class ResultBasis(TypedDict, total=False):
    total: str
    rank: str
    members: int
    classification: str
    eligible_titles: list[str]
    groups: list[dict[str, str]]


class VoteBasis(TypedDict, total=False):
    ballot_id: int
    question: str
    votes: int
    electorate: int
    threshold: str
    reached: bool
    round: int


class Basis(TypedDict, total=False):
    results: ResultBasis
    vote: VoteBasis
    note: str
    history_check: dict[str, Any]
    title_check: dict[str, Any]
    override_reason: str


def _published_row(campaign: Campaign, nominee: Organization) -> tuple[ResultsSnapshot, ResultRow] | None:
    """The published results and the nominee's row in them, when both exist."""
    snapshot = read_published(campaign)
    row = snapshot.row(nominee.short_code) if snapshot is not None else None
    return None if snapshot is None or row is None else (snapshot, row)


def results_basis(campaign: Campaign, nominee: Organization) -> ResultBasis | None:
    """Score, rank and eligibility from the published results, when they exist."""
    published = _published_row(campaign, nominee)
    if published is None:
        return None
    snapshot, row = published
    found: ResultBasis = {"total": str(row.total), "rank": row.rank_label, "members": len(snapshot.rows)}
    if row.band:
        found["classification"] = row.band
    found["eligible_titles"] = list(row.eligible_titles)
    found["groups"] = [{"code": code, "title": "", "points": str(points)} for code, points in row.groups.items()]
    return found


@dataclass(frozen=True)
class TitleCheck:
    """Whether the published results let the nominee be proposed for the award's framework title
    (danh hiệu tương ứng trong bảng tiêu chí), and the conditions that block it if not."""

    title: str
    award_name: str
    eligible: bool
    conditions: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "eligible": self.eligible, "conditions": list(self.conditions)}

    def message(self) -> str:
        values = {"title": self.title, "award": self.award_name}
        if self.eligible:
            return (
                _("Theo kết quả đã công bố, đơn vị đủ điều kiện xét danh hiệu “%(title)s” (tương ứng với %(award)s).")
                % values
            )
        text = (
            _("Theo kết quả đã công bố, đơn vị chưa đủ điều kiện xét danh hiệu “%(title)s” (tương ứng với %(award)s).")
            % values
        )
        if self.conditions:
            text += " " + _("Điều kiện chưa đạt: %(conditions)s.") % {"conditions": "; ".join(self.conditions)}
        return text


def check_title(*, campaign: Campaign, nominee: Organization, award: Award) -> TitleCheck | None:
    """The title check of a proposal; None when the award names no framework title, or the
    results are not published or do not rank the nominee."""
    title = award.framework_title
    published = _published_row(campaign, nominee) if title else None
    if published is None:
        return None
    snapshot, row = published
    eligible = row.is_eligible(title, snapshot.named_titles)
    conditions: tuple[str, ...] = ()
    if not eligible:
        conditions = tuple(c.label for c in snapshot.blocking_conditions(row.code, title))
    return TitleCheck(title=title, award_name=award.name, eligible=eligible, conditions=conditions)


def vote_basis(ballot: Any, nominee: Organization) -> VoteBasis | None:
    """The nominee's count on a closed ballot, with the threshold and whether it was reached."""
    if ballot is None or not ballot.result:
        return None
    result: Mapping[str, Any] = ballot.result
    # The tally keys each candidate's count by the Candidate's id.
    candidate = ballot.candidates.filter(organization=nominee).only("pk").first()
    row = None
    if candidate is not None:
        row = next((r for r in result.get("candidates", []) if str(r["key"]) == str(candidate.pk)), None)
    found: VoteBasis = {"ballot_id": ballot.pk, "question": ballot.question, "round": ballot.round_number}
    electorate = result.get("electorate") or ballot.electorate_size
    if electorate:
        found["electorate"] = int(electorate)
    if result.get("votes_needed") is not None:
        found["threshold"] = str(result["votes_needed"])
    if row is not None:
        found["votes"] = int(row["votes"])
        found["reached"] = bool(row["reached"])
    return found


def describe(basis: Mapping[str, Any]) -> list[str]:
    """The basis in plain sentences (for the pages and the documents)."""
    lines: list[str] = []
    results = basis.get("results") or {}
    if results:
        parts = []
        if results.get("total"):
            parts.append(f"tổng điểm {format_points(results['total'])}")
        if results.get("rank"):
            of = f"/{results['members']}" if results.get("members") else ""
            parts.append(f"xếp thứ {results['rank']}{of}")
        if results.get("classification"):
            parts.append(f"xếp loại {results['classification']}")
        if parts:
            lines.append("Kết quả chấm điểm thi đua: " + ", ".join(parts) + ".")
    vote = basis.get("vote") or {}
    if vote.get("votes") is not None:
        of = f"/{vote['electorate']}" if vote.get("electorate") else ""
        text = f"Kết quả bỏ phiếu suy tôn: {vote['votes']}{of} phiếu"
        if vote.get("threshold"):
            text += f" (ngưỡng {vote['threshold']})"
        if vote.get("reached") is not None:
            text += ", đạt" if vote["reached"] else ", không đạt"
        lines.append(text + ".")
    if basis.get("note"):
        lines.append(str(basis["note"]))
    return lines


def format_points(value: Any) -> str:
    """ "92.50" → "92,5" (Vietnamese decimal comma)."""
    text = str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
