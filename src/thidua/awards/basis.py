"""The basis of a proposal (căn cứ đề nghị): the nominee's score and rank from the published
results, and the vote from the linked ballot.

The results stage (``reviews.CampaignResults.snapshot``) and the ballot (``voting.Ballot
.result``) are written by other parts of the application; their JSON is read tolerantly here —
the nominee's row is found by its id or code under the usual list keys, and the usual names
for each figure are tried in turn. When neither is available the secretariat types the basis
(``note``), which is always kept.

The title check (``check_title``) tells whether the published results let the nominee be
proposed for the award's title in the criteria framework (``Award.framework_title``); the rule
is ``awards.eligibility``'s, the same that chooses a ballot's default candidates. A nominee
the framework's conditions block is shown as a warning; it does not stop the proposal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.utils.translation import gettext as _

from thidua.awards import eligibility
from thidua.campaigns.models import Campaign
from thidua.organizations.models import Organization

if TYPE_CHECKING:
    from thidua.awards.models import Award

ROW_LISTS = ("results", "ranking", "ranks", "rows", "candidates", "items", "table", "schools")
ID_KEYS = ("organization_id", "school_id", "org_id", "id", "organization", "school")
CODE_KEYS = ("short_code", "code", "school_code", "school", "organization")


class ResultBasis(TypedDict, total=False):
    total: str
    rank: str
    members: int
    classification: str
    eligible: bool
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


def _rows(data: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(data, list):
        for item in data:
            if isinstance(item, Mapping):
                yield item
        return
    if isinstance(data, Mapping):
        for key in ROW_LISTS:
            if key in data:
                value = data[key]
                if isinstance(value, Mapping) and not any(k in value for k in ID_KEYS + CODE_KEYS):
                    # {"TG": {...}} keyed by code or id
                    for row_key, row in value.items():
                        if isinstance(row, Mapping):
                            yield {"code": row_key, **row}
                else:
                    yield from _rows(value)
                return


def find_row(data: Any, organization: Organization) -> Mapping[str, Any] | None:
    """The row of ``organization`` in a results or ballot JSON, or None."""
    for row in _rows(data):
        for key in ID_KEYS:
            if key in row and str(row[key]) == str(organization.pk) and not isinstance(row[key], str):
                return row
        for key in CODE_KEYS:
            if isinstance(row.get(key), str) and row[key].upper() in (
                organization.short_code.upper(),
                str(organization.pk),
            ):
                return row
    return None


def _first(row: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if row.get(key) not in (None, ""):
            return row[key]
    return None


def _published_snapshot(campaign: Campaign) -> Mapping[str, Any] | None:
    from thidua.results.models import CampaignResults

    results = CampaignResults.objects.filter(campaign=campaign, published_at__isnull=False).only("snapshot").first()
    if results is None or not isinstance(results.snapshot, Mapping) or not results.snapshot:
        return None
    return results.snapshot


def _published_row(campaign: Campaign, nominee: Organization) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """The published snapshot and the nominee's row in it, when both exist."""
    snapshot = _published_snapshot(campaign)
    if snapshot is None:
        return None
    row = find_row(snapshot, nominee)
    return None if row is None else (snapshot, row)


def results_basis(campaign: Campaign, nominee: Organization) -> ResultBasis | None:
    """Score, rank and eligibility from the published results, when they exist."""
    published = _published_row(campaign, nominee)
    if published is None:
        return None
    snapshot, row = published
    found: ResultBasis = {}
    total = _first(row, "total", "final_total", "points", "score")
    if total is not None:
        found["total"] = str(total)
    rank = _first(row, "rank_label", "rank", "position", "rank_position")
    low, high = row.get("rank_low"), row.get("rank_high")
    if rank is not None:
        found["rank"] = str(rank)
    elif low is not None:
        found["rank"] = str(low) if low == high or high is None else f"{low}–{high}"
    members = len(list(_rows(snapshot)))
    if members:
        found["members"] = members
    classification = _first(row, "classification", "band", "label")
    if classification is not None:
        found["classification"] = str(classification)
    eligible = row.get("eligible")
    if isinstance(eligible, bool):
        found["eligible"] = eligible
    titles = row.get("eligible_titles")
    if isinstance(titles, list):
        found["eligible_titles"] = [str(t) for t in titles]
    groups = row.get("groups")
    if isinstance(groups, list):
        found["groups"] = [
            {
                "code": str(g.get("code", "")),
                "title": str(g.get("title", "")),
                "points": str(_first(g, "points", "total") or ""),
            }
            for g in groups
            if isinstance(g, Mapping)
        ]
    elif isinstance(groups, Mapping):
        found["groups"] = [{"code": str(k), "title": "", "points": str(v)} for k, v in groups.items()]
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
    eligible = eligibility.is_eligible(row, title=title, named=eligibility.named_titles(snapshot))
    conditions: tuple[str, ...] = ()
    if not eligible:
        code = str(_first(row, "code", "short_code", "school") or nominee.short_code)
        conditions = tuple(eligibility.blocking_conditions(snapshot, code, title))
    return TitleCheck(title=title, award_name=award.name, eligible=eligible, conditions=conditions)


def vote_basis(ballot: Any, nominee: Organization) -> VoteBasis | None:
    """The nominee's count on a closed ballot, with the threshold and whether it was reached."""
    if ballot is None or not ballot.result:
        return None
    result = ballot.result
    # The voting part keys each candidate's count by the Candidate's id.
    candidate = ballot.candidates.filter(organization=nominee).only("pk").first()
    row = None
    if candidate is not None and isinstance(result, Mapping):
        row = next(
            (
                r
                for r in result.get("candidates", [])
                if isinstance(r, Mapping) and str(r.get("key")) == str(candidate.pk)
            ),
            None,
        )
    if row is None:
        row = find_row(result, nominee)
    found: VoteBasis = {"ballot_id": ballot.pk, "question": ballot.question, "round": ballot.round_number}
    electorate = result.get("electorate") if isinstance(result, Mapping) else None
    if electorate or ballot.electorate_size:
        found["electorate"] = int(electorate or ballot.electorate_size)
    threshold = (
        _first(result, "votes_needed", "threshold", "threshold_votes", "needed")
        if isinstance(result, Mapping)
        else None
    )
    if threshold is not None:
        found["threshold"] = str(threshold)
    if row is not None:
        votes = _first(row, "votes", "count", "approvals", "yes")
        if votes is not None:
            found["votes"] = int(votes)
        reached = _first(row, "reached", "threshold_reached", "passed", "elected")
        if isinstance(reached, bool):
            found["reached"] = reached
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
