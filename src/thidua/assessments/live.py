"""The live computation of one school's self-assessment by the engine (``services.compute``).

Which inputs it uses (the choice, documented):

- **this school**: its current entries (draft or submitted), the targets of its *submitted*
  registration (a target the principal has not signed off is not registered yet), and its
  yearly profile (size measures) of the campaign's year;
- **the other member schools**, and only for the quantitative leaves whose points for this
  school depend on the cluster — relative to best, target-and-leader, and a target formula
  for which this school registered no target (scored relative to the best): their *current*
  entries for those leaves (draft or submitted — the live total is an estimate that moves as
  the others fill in theirs; official scores come from the submitted self-assessments and the
  review), the targets of their submitted registrations and their profiles. Nothing else of
  theirs is read.

Nothing of the other schools leaves this module: the result holds this school's points only.
The engine's explanation of a cluster-dependent leaf names the best value or the leader's
share, so it is shown only when the same points follow from this school's input alone (then
the explanation computed from that input alone is shown); otherwise a sentence that names no
other school's figure replaces it. Another school's input that the engine refuses (say, a
per-capita leaf whose profile lacks the size measure) is left out rather than blocking this
school's page; this school's own refused inputs are reported on their leaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.models import RegistrationTarget, SubmissionStatus
from thidua.criteria.compiled import CompiledFramework, compile_framework
from thidua.criteria.entries import EntryRule
from thidua.criteria.models import CriterionNode, NodeKind
from thidua.organizations.models import OrganizationProfile
from thidua.scoring.engine import (
    AdjustmentResult,
    ClusterInput,
    EngineError,
    GroupResult,
    InputError,
    Leaf,
    LeafInput,
    SchoolInput,
    SchoolResult,
    compute_cluster,
    score_leaf_in_cluster,
)
from thidua.scoring.engine.model import Formula
from thidua.scoring.engine.results import ConditionStatus, Eligibility

ZERO = Decimal(0)


@dataclass(frozen=True)
class EntryScore:
    """This school's points for one leaf or bonus/penalty item (conditions: their status)."""

    points: Decimal
    explanation: str = ""
    missing: bool = True
    depends_on_cluster: bool = False
    problem: str = ""
    condition: str = ""  # for conditions: met / not_met / missing


@dataclass
class LiveResult:
    """What the engine computed for this school, and nothing of any other school."""

    scores: dict[str, EntryScore] = field(default_factory=dict)
    groups: dict[str, GroupResult] = field(default_factory=dict)
    bonus: AdjustmentResult | None = None
    penalty: AdjustmentResult | None = None
    groups_total: Decimal = ZERO
    total: Decimal = ZERO
    eligibility: Eligibility | None = None
    explanation: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def bonus_points(self) -> Decimal:
        return self.bonus.points if self.bonus is not None else ZERO

    @property
    def penalty_points(self) -> Decimal:
        return self.penalty.points if self.penalty is not None else ZERO


def prepare(assessment: SelfAssessment, nodes: Iterable[CriterionNode] | None = None) -> CompiledFramework:
    """The campaign's framework compiled for the engine (raises the engine's ``EngineError``
    if it is malformed); ``nodes`` when the caller has them loaded."""
    return compile_framework(assessment.campaign.framework, nodes)


def leaf_input(rule: EntryRule, value: Any, target: Decimal | None) -> LeafInput | None:
    """The engine's input of one stored value by its rule (None for a blank)."""
    if value is None or value == "":
        return None
    if rule.field == "actual":
        return LeafInput(actual=value, target=target if rule.uses_target else None)
    if rule.field == "points":
        return LeafInput(points=value)
    if rule.field == "passed":
        return LeafInput(passed=value)
    if rule.field == "level":
        return LeafInput(level=value)
    return LeafInput(count=value)


def profile_values(row: OrganizationProfile | None) -> dict[str, Decimal]:
    """A school's yearly profile as the engine reads it (size measure → value)."""
    if row is None:
        return {}
    return {name: Decimal(value) for name, value in row.size_measures().items()}


def _targets(assessment: SelfAssessment, node_ids: Iterable[int]) -> dict[tuple[int, int], Decimal]:
    """(organisation id, node id) → target, from the submitted registrations of the campaign."""
    rows = RegistrationTarget.objects.filter(
        registration__campaign_id=assessment.campaign_id,
        registration__status=SubmissionStatus.SUBMITTED,
        node_id__in=list(node_ids),
    ).values_list("registration__organization_id", "node_id", "target")
    return {(org_id, node_id): target for org_id, node_id, target in rows}


def own_targets(assessment: SelfAssessment, prepared: CompiledFramework) -> dict[str, Decimal]:
    """This school's registered targets by leaf code."""
    codes = [code for code, rule in prepared.rules.items() if rule.uses_target]
    by_id = {prepared.node_ids[code]: code for code in codes if code in prepared.node_ids}
    found = _targets(assessment, by_id)
    return {
        by_id[node_id]: target for (org_id, node_id), target in found.items() if org_id == assessment.organization_id
    }


def compute(
    assessment: SelfAssessment,
    prepared: CompiledFramework,
    entries: Iterable[AssessmentEntry],
    targets: Mapping[str, Decimal],
) -> LiveResult:
    """This school's live result (see the module docstring for the inputs used)."""
    own_code = str(assessment.organization_id)
    codes = {node_id: code for code, node_id in prepared.node_ids.items()}
    by_code = {codes[entry.node_id]: entry for entry in entries if entry.node_id in codes}
    rules = prepared.rules
    profiles = {
        row.organization_id: row
        for row in OrganizationProfile.objects.filter(
            year=assessment.campaign.cluster_year.year,
            organization__memberships__cluster_year_id=assessment.campaign.cluster_year_id,
        )
    }
    own_profile = profile_values(profiles.get(assessment.organization_id))
    leaves: dict[str, LeafInput] = {}
    bonus: dict[str, LeafInput] = {}
    penalty: dict[str, LeafInput] = {}
    conditions: dict[str, bool] = {}
    for code, entry in by_code.items():
        rule = rules.get(code)
        if rule is None:
            continue
        value = getattr(entry, rule.field)
        if rule.is_condition:
            if value is not None:
                conditions[code] = bool(value)
            continue
        given = leaf_input(rule, value, targets.get(code))
        if given is None:
            continue
        parts: dict[str, dict[str, LeafInput]] = {
            NodeKind.LEAF: leaves,
            NodeKind.BONUS: bonus,
            NodeKind.PENALTY: penalty,
        }
        parts[rule.kind][code] = given
    cluster_codes = [code for code, rule in rules.items() if rule.needs_cluster(has_target=code in targets)]
    others = _other_schools(assessment, prepared, cluster_codes, profiles)
    problems: dict[str, str] = {}
    result = None
    for _attempt in range(len(rules) * (len(others) + 1) + 1):
        schools = [
            SchoolInput(code=own_code, profile=own_profile, leaves=leaves, bonus=bonus, penalty=penalty,
                        conditions=conditions),
            *(SchoolInput(code=code, profile=profile, leaves=values) for code, (profile, values) in others.items()),
        ]  # fmt: skip
        try:
            result = compute_cluster(prepared.framework, ClusterInput(tuple(schools)))
            break
        except InputError as exc:
            if not _drop_refused(exc, own_code, (leaves, bonus, penalty), others, problems):
                return LiveResult(error=str(exc))
        except EngineError as exc:
            return LiveResult(error=str(exc))
    if result is None:  # pragma: no cover -- every attempt drops at least one input
        return LiveResult(error=_("Không tính được điểm."))
    mine = result.school(own_code)
    return _own_result(prepared, mine, leaves, own_profile, set(cluster_codes), problems)


def _other_schools(
    assessment: SelfAssessment,
    prepared: CompiledFramework,
    cluster_codes: list[str],
    profiles: Mapping[int, OrganizationProfile],
) -> dict[str, tuple[dict[str, Decimal], dict[str, LeafInput]]]:
    """Every other school's inputs of the cluster-dependent leaves only."""
    if not cluster_codes:
        return {}
    node_ids = {prepared.node_ids[code]: code for code in cluster_codes}
    rows = (
        AssessmentEntry.objects.filter(
            assessment__campaign_id=assessment.campaign_id, node_id__in=list(node_ids), actual__isnull=False
        )
        .exclude(assessment__organization_id=assessment.organization_id)
        .values_list("assessment__organization_id", "node_id", "actual")
    )
    values = list(rows)
    if not values:
        return {}
    targets = _targets(assessment, node_ids)
    others: dict[str, tuple[dict[str, Decimal], dict[str, LeafInput]]] = {}
    for org_id, node_id, actual in values:
        code = node_ids[node_id]
        rule = prepared.rules[code]
        key = str(org_id)
        if key not in others:
            others[key] = (profile_values(profiles.get(org_id)), {})
        target = targets.get((org_id, node_id)) if rule.uses_target else None
        others[key][1][code] = LeafInput(actual=actual, target=target)
    return others


def _drop_refused(
    exc: InputError,
    own_code: str,
    own_parts: tuple[dict[str, LeafInput], ...],
    others: dict[str, tuple[dict[str, Decimal], dict[str, LeafInput]]],
    problems: dict[str, str],
) -> bool:
    """Leave out every refused input; remember this school's refusals. False if none could be
    left out (the error is then not about an input)."""
    dropped = False
    for problem in exc.problems:
        if problem.school == own_code:
            for part in own_parts:
                if problem.node in part:
                    del part[problem.node]
                    problems[problem.node] = problem.message
                    dropped = True
        elif problem.school in others and problem.node in others[problem.school][1]:
            del others[problem.school][1][problem.node]
            dropped = True
    return dropped


def _cluster_text(leaf: Leaf, has_target: bool) -> str:
    if leaf.uses_target and not has_target:
        return _(
            "Trường chưa đăng ký chỉ tiêu cho tiêu chí này nên được chấm so với kết quả tốt nhất của các trường "
            "trong cụm, theo số liệu các trường đang có; điểm có thể thay đổi khi các trường khác cập nhật."
        )
    if leaf.formula is Formula.TARGET_AND_LEADER:
        return _(
            "Trường vượt chỉ tiêu: điểm tính so với mức vượt chỉ tiêu của trường dẫn đầu cụm, theo số liệu các "
            "trường đang có; điểm có thể thay đổi khi các trường khác cập nhật."
        )
    return _(
        "Điểm tính so với kết quả tốt nhất của các trường trong cụm, theo số liệu các trường đang có; điểm có "
        "thể thay đổi khi các trường khác cập nhật."
    )


def _own_result(
    prepared: CompiledFramework,
    mine: SchoolResult,
    leaves: Mapping[str, LeafInput],
    own_profile: Mapping[str, Decimal],
    cluster_codes: set[str],
    problems: Mapping[str, str],
) -> LiveResult:
    scores: dict[str, EntryScore] = {}
    for leaf in prepared.framework.leaves():
        found = mine.leaves[leaf.code]
        text = found.explanation
        depends = leaf.code in cluster_codes
        if depends and not found.missing:
            solo = _solo_text(leaf, leaves[leaf.code], own_profile, found.points)
            text = solo if solo is not None else _cluster_text(leaf, leaves[leaf.code].target is not None)
        scores[leaf.code] = EntryScore(found.points, text, found.missing, depends, problems.get(leaf.code, ""))
    for adjustment in (mine.bonus, mine.penalty):
        for code, item in adjustment.items.items():
            scores[code] = EntryScore(item.points, item.explanation, item.missing, False, problems.get(code, ""))
    for code, message in problems.items():
        if code not in scores:
            scores[code] = EntryScore(ZERO, "", True, False, message)
    for code, status in mine.eligibility.conditions.items():
        scores[code] = EntryScore(ZERO, "", status == ConditionStatus.MISSING, False, "", str(status))
    return LiveResult(
        scores=scores,
        groups=dict(mine.groups),
        bonus=mine.bonus,
        penalty=mine.penalty,
        groups_total=mine.groups_total,
        total=mine.total,
        eligibility=mine.eligibility,
        explanation=mine.explanation,
    )


def _solo_text(leaf: Leaf, given: LeafInput, profile: Mapping[str, Decimal], points: Decimal) -> str | None:
    """The explanation from this school's input alone, if it gives the same points (and so
    tells the truth about this school without naming anyone else's figure)."""
    relative = leaf.formula is Formula.RELATIVE_TO_BEST or given.target is None
    if relative and not points:
        return None  # alone, "the whole cluster has 0" — not true when others have more
    try:
        solo = score_leaf_in_cluster(leaf, [given], [profile])
    except InputError:
        return None
    if solo and solo[0].points == points:
        return solo[0].explanation
    return None
