"""The published results, typed (kết quả đã công bố): what every reader outside this app reads.

Publishing (``thidua.results.services.publish``) is the one writer: it stores the full export
(format ``thidua-results/2``, ``thidua.results.export``) in ``CampaignResults.snapshot``, and
the SHA-256 of it in ``CampaignResults.fingerprint``. The stored document stays exactly what
``python -m thidua.scoring verify`` checks; :meth:`ResultsSnapshot.from_export` is the one
function that reads it back, and the readers — the ballot's default candidates
(``voting.queries``), a proposal's basis and title check (``awards.basis``), the dossier's
results table (``awards.dossier``) — read the typed snapshot, never the JSON.

A school is identified by its code (``Organization.short_code``), the only identifier the
export carries. Totals and group points stay exact (``Decimal`` parsed from the stored strings).

Eligibility for a title (đủ điều kiện xét danh hiệu), one rule for the ballot and the proposals:

- A title is *named* when some condition of the framework lists it in ``blocks``.
- For a named title, a school is eligible when its row lists the title in ``eligible_titles``
  (the engine's ``Eligibility``: the titles no unmet condition blocks).
- A title no condition names restricts nobody: every ranked school is eligible.
- Without a title (no award, or an award naming no framework title), a school is eligible when
  it is eligible for at least one title.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from thidua.campaigns.models import Campaign
from thidua.organizations.models import ClusterYear
from thidua.results.models import CampaignResults
from thidua.scoring.verify import EXPORT_FORMAT


@dataclass(frozen=True)
class Condition:
    """An eligibility condition of the framework (điều kiện xét danh hiệu) and the titles it blocks
    when not met."""

    code: str
    title: str
    blocks: tuple[str, ...]

    @property
    def label(self) -> str:
        """ "C.2 «title»", as the pages and the proposals name it."""
        return f"{self.code} «{self.title}»"


@dataclass(frozen=True)
class Band:
    """A classification band (xếp loại): ``label`` from ``minimum`` points up."""

    label: str
    minimum: Decimal


@dataclass(frozen=True)
class ResultRow:
    """One ranked school of the published results."""

    code: str
    total: Decimal
    groups: Mapping[str, Decimal] = field(hash=False)  # group code → points, in framework order
    rank: int
    rank_label: str  # "1", or "1=" when shared
    band: str  # "" when no band applies
    eligible_titles: tuple[str, ...]
    # Each condition's input of the school (True: met); a condition it did not answer is absent.
    conditions_met: Mapping[str, bool] = field(hash=False)
    rank_interval: tuple[int, int] | None = None  # 95 % interval of the rank (analytics), if computed

    def is_eligible(self, title: str = "", named: frozenset[str] = frozenset()) -> bool:
        """Whether the school may be put forward for ``title`` (blank: for any title); ``named``
        is :attr:`ResultsSnapshot.named_titles`."""
        if not title:
            return bool(self.eligible_titles)
        if title not in named:
            return True
        return title in self.eligible_titles


@dataclass(frozen=True)
class ResultsSnapshot:
    """The published results of a campaign, read from the stored export."""

    rows: tuple[ResultRow, ...]  # in rank order, as the export lists them
    conditions: tuple[Condition, ...]
    bands: tuple[Band, ...]
    fingerprint: str = ""  # SHA-256 of the export, when read from the database

    @classmethod
    def from_export(cls, document: Mapping[str, Any], *, fingerprint: str = "") -> ResultsSnapshot:
        """The typed snapshot of a stored export (``thidua.results.export.export_document``, with
        the ``rank_intervals`` publishing keeps beside it). Raises ValueError for another format."""
        if document.get("format") != EXPORT_FORMAT:
            raise ValueError(f"not a {EXPORT_FORMAT} export: {document.get('format')!r}")
        conditions = tuple(
            Condition(code=str(c["code"]), title=str(c["title"]), blocks=tuple(str(t) for t in c["blocks"]))
            for c in document["framework"].get("conditions", ())
        )
        met = {str(school["code"]): dict(school["inputs"]["conditions"]) for school in document["schools"]}
        intervals = document.get("rank_intervals", {})
        rows = tuple(
            ResultRow(
                code=str(row["code"]),
                total=Decimal(row["total"]),
                groups={str(code): Decimal(points) for code, points in row["groups"].items()},
                rank=int(row["rank"]),
                rank_label=str(row["rank_label"]),
                band=str(row["band"]),
                eligible_titles=tuple(str(t) for t in row["eligible_titles"]),
                conditions_met={str(k): bool(v) for k, v in met.get(str(row["code"]), {}).items()},
                rank_interval=_interval(intervals.get(row["code"])),
            )
            for row in document["results"]
        )
        bands = tuple(
            Band(label=str(band["label"]), minimum=Decimal(str(band["min"]))) for band in document["campaign"]["bands"]
        )
        return cls(rows=rows, conditions=conditions, bands=bands, fingerprint=fingerprint)

    @property
    def named_titles(self) -> frozenset[str]:
        """Every title some condition of the framework names."""
        return frozenset(title for condition in self.conditions for title in condition.blocks)

    def row(self, code: str) -> ResultRow | None:
        """The row of the school with this code, or None when the results do not rank it."""
        return next((row for row in self.rows if row.code == code), None)

    def eligible_rows(self, title: str = "") -> tuple[ResultRow, ...]:
        """The ranked schools eligible for ``title`` (any title when blank), in rank order."""
        named = self.named_titles
        return tuple(row for row in self.rows if row.is_eligible(title, named))

    def blocking_conditions(self, code: str, title: str) -> tuple[Condition, ...]:
        """The conditions naming ``title`` that the school did not meet (a condition it did not
        answer counts as not met)."""
        row = self.row(code)
        met = row.conditions_met if row is not None else {}
        return tuple(c for c in self.conditions if title in c.blocks and met.get(c.code) is not True)


def _interval(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    low, high = value
    return int(low), int(high)


def _read(row: CampaignResults | None) -> ResultsSnapshot | None:
    if row is None:
        return None
    return ResultsSnapshot.from_export(row.snapshot, fingerprint=row.fingerprint)


def _published() -> QuerySet[CampaignResults]:
    return CampaignResults.objects.filter(published_at__isnull=False).only("snapshot", "fingerprint")


def read_published(campaign: Campaign) -> ResultsSnapshot | None:
    """The published results of ``campaign`` (one query), or None before publication."""
    return _read(_published().filter(campaign=campaign).first())


def read_published_of_year(cluster_year: ClusterYear) -> ResultsSnapshot | None:
    """The published results of the cluster year's campaign, or None."""
    return _read(_published().filter(campaign__cluster_year=cluster_year).first())
