"""The full export of a campaign's results (format ``thidua-results/2``): framework, inputs,
reviewers' points (pseudonymous, numbered per school: ``results.pseudonyms``), finals and
results, which ``python -m thidua.scoring verify`` recomputes. Publishing stores it;
``thidua.results.snapshot`` reads it back, typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from thidua.campaigns.models import Campaign
from thidua.results.compute import Computed, compute
from thidua.results.pseudonyms import numbered
from thidua.results.reconcile import results_row
from thidua.scoring.engine.reconcile import POLICY_LABELS
from thidua.scoring.engine.reference_format import framework_to_reference
from thidua.scoring.engine.results import ClusterResult
from thidua.scoring.verify import EXPORT_FORMAT, input_digests, leaf_inputs_json


def _n(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def published_export(campaign: Campaign) -> dict[str, Any]:
    """The export to hand out: as published once the results are, the current state before."""
    row = results_row(campaign)
    if row.published_at is not None and row.snapshot:
        return dict(row.snapshot)
    return export_document(campaign)


def export_document(campaign: Campaign, computed: Computed | None = None) -> dict[str, Any]:
    """The full export: framework, inputs, reviewers' points (pseudonymous), finals, results
    (from ``computed`` when the caller has it already)."""
    computed = computed if computed is not None else compute(campaign, analytics=False)
    basis = computed.basis
    schools: list[dict[str, Any]] = []
    for review in basis.reviews:
        given = basis.inputs[review.code]
        corrections = basis.corrections.get(review.code, {})
        own = {r for scores in review.leaves.values() for r, _points in scores.reviews} | set(corrections)
        pseudonyms = {r: f"R{n}" for r, n in numbered(campaign.pk, review.code, own).items()}
        reviewers: dict[str, dict[str, str]] = {}
        reviewer_inputs = {
            pseudonyms[reviewer]: {leaf: leaf_inputs_json(value) for leaf, value in sorted(values.items())}
            for reviewer, values in sorted(corrections.items(), key=lambda p: int(pseudonyms[p[0]][1:]))
        }
        self_points: dict[str, str] = {}
        for leaf, scores in review.leaves.items():
            if scores.self_points is not None:
                self_points[leaf] = str(scores.self_points)
            if scores.reviews:
                reviewers[leaf] = {pseudonyms[r]: str(p) for r, p in scores.reviews}
        finals: dict[str, Any] = {}
        for leaf in basis.leaf_codes():
            row = computed.final_rows.get((review.code, leaf))
            if row is None:
                continue
            finals[leaf] = {
                "points": str(row.points),
                "proposed": _n(row.proposed),
                "source": row.source,
                "reason": row.reason,
            }
        schools.append(
            {
                "code": review.code,
                "name": review.name,
                "profile": {k: str(v) for k, v in given.profile.items()},
                "inputs": {
                    "leaves": {k: leaf_inputs_json(v) for k, v in given.leaves.items()},
                    "bonus": {k: leaf_inputs_json(v) for k, v in given.bonus.items()},
                    "penalty": {k: leaf_inputs_json(v) for k, v in given.penalty.items()},
                    "conditions": dict(given.conditions),
                },
                "self_points": self_points,
                "bonus_points": {k: str(v) for k, v in review.bonus.items()},
                "penalty_points": {k: str(v) for k, v in review.penalty.items()},
                "reviewer_inputs": reviewer_inputs,
                "reviews": reviewers,
                "final": finals,
            }
        )
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "campaign": {
            "cluster": campaign.cluster_year.cluster.code,
            "year": campaign.cluster_year.year,
            "policy": basis.policy.value,
            "policy_label": POLICY_LABELS[basis.policy],
            "discrepancy_share": str(basis.share),
            "tie_break": list(campaign.tie_break or []),
            "bands": list(results_row(campaign).bands or []),
        },
        "framework": framework_to_reference(basis.framework),
        "schools": schools,
        "results": results_json(computed.result, computed.bands),
    }
    document["digests"] = input_digests(document)
    return document


def results_json(result: ClusterResult, bands: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "code": school.code,
            "total": str(school.total),
            "groups": {code: str(group.points) for code, group in school.groups.items()},
            "rank": school.rank,
            "rank_label": school.rank_label,
            "band": bands.get(school.code, ""),
            "eligible_titles": list(school.eligibility.eligible_titles),
        }
        for school in result.schools
    ]
