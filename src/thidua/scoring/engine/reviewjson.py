"""A whole reviewed cluster from one JSON document (`python -m thidua.scoring compute`).

A cluster-input document with a top-level `review` ({"policy", "share", "decisions",
"agreement_threshold"}) and, per school, `reviewers` (reviewer id → leaf code → input) is
computed as the product publishes it: the self-assessed cluster, each reviewer's points
(`reviewed.reviewer_points`), the reconciliation of every leaf (`reconcile_cluster`: the
policy for points, the median level for pass/fail and levels leaves), the secretariat's
decisions, the final totals, ranks and eligibility (`compute_from_points`) and Krippendorff's
alpha per leaf. Documented in docs/engine.md; the JSON Schema is
`thidua/scoring/schema/cluster-input.schema.json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thidua.scoring.engine.aggregate import compute_cluster
from thidua.scoring.engine.analytics.agreement import ALPHA_THRESHOLD, LeafAgreement, leaf_agreement
from thidua.scoring.engine.errors import FormatError, InputError, Problem
from thidua.scoring.engine.jsonio import cluster_result_to_json, number_json, parse_leaf_inputs
from thidua.scoring.engine.model import ClusterInput, Framework, LeafInput
from thidua.scoring.engine.points import compute_from_points
from thidua.scoring.engine.reader import Reader, join
from thidua.scoring.engine.reconcile import (
    ClusterReconciliation,
    LeafScores,
    Policy,
    SchoolReview,
    final_school_points,
    reconcile_cluster,
)
from thidua.scoring.engine.results import ClusterResult
from thidua.scoring.engine.reviewed import reviewer_points

DEFAULT_SHARE = Decimal("0.2")

# reviewer entries: school → reviewer → leaf → input
Entries = dict[str, dict[str, dict[str, LeafInput]]]


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """The `review` section: the policy, the discrepancy share, decisions, alpha's threshold."""

    policy: Policy
    share: Decimal = DEFAULT_SHARE
    decisions: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict, hash=False)
    agreement_threshold: float = ALPHA_THRESHOLD


@dataclass(frozen=True, slots=True)
class ReviewedCluster:
    """Everything computed for a reviewed cluster."""

    settings: ReviewSettings
    self_result: ClusterResult
    reviews: tuple[SchoolReview, ...]
    reconciliation: ClusterReconciliation
    final: Mapping[str, Mapping[str, Decimal]] = field(hash=False)
    result: ClusterResult
    agreement: tuple[LeafAgreement, ...]


def parse_review_document(document: object) -> tuple[ReviewSettings | None, Entries]:
    """The `review` section (None without one) and every school's `reviewers` entries.

    Raises `FormatError` listing every problem, with paths.
    """
    reader = Reader()
    if not isinstance(document, Mapping):
        return None, {}
    entries: Entries = {}
    for index, school in enumerate(document.get("schools") or ()):
        if not isinstance(school, Mapping) or school.get("reviewers") is None:
            continue
        path = join(join("schools", index), "reviewers")
        section = reader.mapping(school["reviewers"], path) or {}
        by_reviewer: dict[str, dict[str, LeafInput]] = {}
        for reviewer, values in section.items():
            try:
                by_reviewer[str(reviewer)] = parse_leaf_inputs(values, join(path, str(reviewer)))
            except FormatError as exc:
                reader.problems.extend(exc.problems)
        entries[str(school.get("code"))] = by_reviewer
    settings = None
    if document.get("review") is not None:
        settings = _read_settings(reader, document["review"])
    if reader.problems:
        raise FormatError(reader.problems)
    return settings, entries


def _read_settings(reader: Reader, entry: object) -> ReviewSettings | None:
    data = reader.mapping(entry, "review")
    if data is None:
        return None
    reader.keys(data, "review", ("policy", "share", "decisions", "agreement_threshold"))
    name = reader.string(data, "policy", "review", required=True)
    policy = None
    if name is not None:
        try:
            policy = Policy(name)
        except ValueError:
            reader.error(join("review", "policy"), f"cần một trong: {', '.join(p.value for p in Policy)}.")
    share = reader.number(data, "share", "review")
    threshold = reader.number(data, "agreement_threshold", "review")
    decisions: dict[str, dict[str, Decimal]] = {}
    if data.get("decisions") is not None:
        for school, leaves in (reader.mapping(data["decisions"], join("review", "decisions")) or {}).items():
            path = join(join("review", "decisions"), school)
            for leaf, value in (reader.mapping(leaves, path) or {}).items():
                number = reader.decimal(value, join(path, leaf))
                if number is not None:
                    decisions.setdefault(school, {})[leaf] = number
    if policy is None:
        return None
    return ReviewSettings(
        policy,
        DEFAULT_SHARE if share is None else share,
        decisions,
        ALPHA_THRESHOLD if threshold is None else float(threshold),
    )


def compute_reviewed_cluster(
    framework: Framework,
    inputs: ClusterInput,
    settings: ReviewSettings,
    entries: Entries,
    *,
    explain: bool = True,
) -> ReviewedCluster:
    """Self points, each reviewer's points, reconciliation, finals, results and agreement.

    Raises `FrameworkError` / `InputError` (refused self-assessed or reviewer inputs, unknown
    schools) and `ReconciliationError` (a leaf with neither a proposal nor a decision, a
    trimmed mean with too few reviewers).
    """
    self_result = compute_cluster(framework, inputs, explain=explain)
    by_code = {school.code: school for school in inputs.schools}
    unknown = [code for code in (*entries, *settings.decisions) if code not in by_code]
    if unknown:
        raise InputError(
            [
                Problem("unknown_school", "", f"Không có trường mã {code} trong danh sách.", school=code)
                for code in unknown
            ]
        )
    reviewed = reviewer_points(framework, by_code, entries)
    if reviewed.problems:
        raise InputError([Problem("reviewer_input", "", f"người chấm: {problem}") for problem in reviewed.problems])
    reviews = tuple(
        _school_review(framework, self_result, reviewed.points.get(school.code, {}), school.code, inputs)
        for school in inputs.schools
    )
    reconciliation = reconcile_cluster(framework, reviews, settings.policy, settings.share, explain=explain)
    final = reconciliation.final_points(settings.decisions)
    result = compute_from_points(framework, final_school_points(reviews, final), inputs.tie_break, explain=explain)
    agreement = leaf_agreement(framework, reviews, threshold=settings.agreement_threshold)
    return ReviewedCluster(settings, self_result, reviews, reconciliation, final, result, agreement)


def _school_review(
    framework: Framework,
    self_result: ClusterResult,
    by_leaf: Mapping[str, Mapping[str, Decimal]],
    code: str,
    inputs: ClusterInput,
) -> SchoolReview:
    mine = self_result.school(code)
    school = next(school for school in inputs.schools if school.code == code)
    leaves = {}
    for leaf in framework.leaves():
        own = mine.leaves[leaf.code]
        leaves[leaf.code] = LeafScores.of(None if own.missing else own.points, by_leaf.get(leaf.code, {}))
    return SchoolReview(
        code,
        leaves,
        bonus={k: v.points for k, v in mine.bonus.items.items() if not v.missing},
        penalty={k: v.points for k, v in mine.penalty.items.items() if not v.missing},
        conditions=school.conditions,
        name=school.name,
    )


def reviewed_cluster_to_json(done: ReviewedCluster, *, notices: list[Problem] | None = None) -> dict[str, Any]:
    """The published results (on the final points) with, per school and leaf, the self points,
    every reviewer's points, the proposal, the final and its source, flags and explanation;
    and Krippendorff's alpha per leaf."""
    out = cluster_result_to_json(done.result, notices=notices)
    settings = done.settings
    out["review"] = {
        "policy": settings.policy.value,
        "share": number_json(settings.share),
        "agreement": {
            entry.leaf: {
                "alpha": entry.alpha,
                "status": entry.status.value,
                "flagged": entry.flagged,
                "units": entry.units,
                "ratings": entry.ratings,
                "message": entry.message,
            }
            for entry in done.agreement
        },
    }
    for school in out["schools"]:
        code = school["code"]
        decided = settings.decisions.get(code, {})
        self_school = done.self_result.school(code)
        school["self_total"] = number_json(self_school.total)
        school["review"] = {
            leaf: {
                "self": None if row.self_points is None else number_json(row.self_points),
                "reviewers": {reviewer: number_json(points) for reviewer, points in row.reviews},
                "rule": "median_level" if row.judgement else row.policy.value,
                "status": row.status.value,
                "proposed": None if row.proposed is None else number_json(row.proposed),
                "final": number_json(done.final[code][leaf]),
                "source": "decision" if leaf in decided else "policy",
                "flags": [flag.value for flag in row.flags],
                "explanation": row.explanation,
            }
            for leaf, row in done.reconciliation.school(code).leaves.items()
        }
    return out
