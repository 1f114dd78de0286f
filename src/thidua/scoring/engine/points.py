"""Totals and ranks from leaf *points* (the final scores after review), not from raw inputs.

After peer review the final score of each leaf is a number of points (the reconciled
reviewers' points, or the secretariat's decision), no longer an input to a rule. This module
aggregates such points exactly as `compute_cluster` aggregates the points its rules give:
groups sum their children and are capped at every level, bonus and penalty items are capped
per item and in total, the total is capped groups + bonus − penalty and never below 0, and
ranks are competition ranks after the tie-break order.

`compute_from_points` gives a full `ClusterResult` (explanations, rank notes, eligibility)
in exact Decimals; `PointsPlan` is the same arithmetic compiled once for repeated use (the
bootstrap, the self-assessed totals). `thidua.scoring.engine.fastpath` is a vectorised
version for large data that gives the same totals and ranks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from thidua.scoring.engine.aggregate import _group, _points_of, _total_text
from thidua.scoring.engine.decimals import ENGINE_CONTEXT, ZERO
from thidua.scoring.engine.eligibility import evaluate_eligibility
from thidua.scoring.engine.errors import FrameworkError, InputError, Problem, Severity
from thidua.scoring.engine.model import AdjustmentItem, Framework, Group, Leaf
from thidua.scoring.engine.ranking import rank_schools
from thidua.scoring.engine.results import (
    AdjustmentResult,
    ClusterResult,
    GroupResult,
    LeafResult,
    SchoolResult,
)
from thidua.scoring.engine.rules import fmt
from thidua.scoring.engine.validation import validate_framework

_EMPTY_POINTS: Mapping[str, Decimal] = {}


@dataclass(frozen=True, slots=True)
class SchoolPoints:
    """One school's final points: per leaf, per bonus item and per penalty item.

    A leaf (or item) that is absent scores 0 and is marked missing. Bonus and penalty items
    are capped again at their own cap and in total at the framework's cap (so passing points
    that are already capped changes nothing). `notes` become the leaves' explanations (e.g.
    "Trung bình 3 người chấm"); `conditions` decide eligibility as in `compute_cluster`.
    """

    code: str
    leaves: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    bonus: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    penalty: Mapping[str, Decimal] = field(default_factory=dict, hash=False)
    conditions: Mapping[str, bool] = field(default_factory=dict, hash=False)
    name: str = ""
    notes: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class _PlanGroup:
    code: str
    max_points: Decimal
    leaves: tuple[str, ...]  # direct leaf children
    groups: tuple[int, ...]  # indices (in PointsPlan.groups) of direct sub-groups
    top: bool  # a top-level group of the framework


@dataclass(frozen=True, slots=True)
class PointsPlan:
    """A framework's aggregation compiled once: groups in post-order (children first).

    `school_key(points, bonus, penalty)` gives (total, *tie-break values) of one school;
    `group_points(...)` also gives every group's capped points. Both are exact Decimals.
    """

    groups: tuple[_PlanGroup, ...]
    leaf_codes: tuple[str, ...]
    leaf_max: Mapping[str, Decimal] = field(hash=False)
    bonus_caps: tuple[tuple[str, Decimal | None], ...]
    penalty_caps: tuple[tuple[str, Decimal | None], ...]
    bonus_cap: Decimal | None
    penalty_cap: Decimal | None
    tie_break: tuple[str, ...]

    @classmethod
    def of(cls, framework: Framework, tie_break: Sequence[str] = ()) -> PointsPlan:
        """Compile `framework` (assumed valid) with a tie-break order of group/leaf codes."""
        groups: list[_PlanGroup] = []

        def visit(group: Group, *, top: bool) -> int:
            children = tuple(visit(child, top=False) for child in group.children if isinstance(child, Group))
            leaves = tuple(child.code for child in group.children if isinstance(child, Leaf))
            groups.append(_PlanGroup(group.code, group.max_points, leaves, children, top))
            return len(groups) - 1

        for group in framework.groups:
            visit(group, top=True)
        return cls(
            groups=tuple(groups),
            leaf_codes=tuple(leaf.code for leaf in framework.leaves()),
            leaf_max={leaf.code: leaf.max_points for leaf in framework.leaves()},
            bonus_caps=tuple((item.code, item.cap) for item in framework.bonus),
            penalty_caps=tuple((item.code, item.cap) for item in framework.penalty),
            bonus_cap=framework.bonus_cap,
            penalty_cap=framework.penalty_cap,
            tie_break=tuple(tie_break),
        )

    def group_points(self, leaves: Mapping[str, Decimal]) -> list[Decimal]:
        """Every group's capped points, in the order of `self.groups` (post-order)."""
        capped: list[Decimal] = []
        for group in self.groups:
            raw = ZERO
            for code in group.leaves:
                raw += leaves.get(code, ZERO)
            for index in group.groups:
                raw += capped[index]
            capped.append(raw if raw <= group.max_points else group.max_points)
        return capped

    def adjustment(self, values: Mapping[str, Decimal], *, penalty: bool) -> Decimal:
        """Bonus (or penalty) points: each item capped, the sum capped by the framework."""
        caps, total_cap = (self.penalty_caps, self.penalty_cap) if penalty else (self.bonus_caps, self.bonus_cap)
        raw = ZERO
        for code, cap in caps:
            value = values.get(code, ZERO)
            raw += value if cap is None or value <= cap else cap
        return raw if total_cap is None or raw <= total_cap else total_cap

    def school_key(
        self,
        leaves: Mapping[str, Decimal],
        bonus: Mapping[str, Decimal] = _EMPTY_POINTS,
        penalty: Mapping[str, Decimal] = _EMPTY_POINTS,
    ) -> tuple[Decimal, ...]:
        """(total, *tie-break values): what ranks a school, larger first."""
        capped = self.group_points(leaves)
        groups_total = sum((points for group, points in zip(self.groups, capped, strict=True) if group.top), ZERO)
        total = groups_total + self.adjustment(bonus, penalty=False) - self.adjustment(penalty, penalty=True)
        if total < 0:
            total = ZERO
        if not self.tie_break:
            return (total,)
        by_code = {group.code: points for group, points in zip(self.groups, capped, strict=True)}
        return (total, *(by_code[code] if code in by_code else leaves.get(code, ZERO) for code in self.tie_break))


def check_points(framework: Framework, schools: Sequence[SchoolPoints], tie_break: Sequence[str] = ()) -> list[Problem]:
    """Problems of final points: unknown or duplicate codes, negative or non-finite points."""
    problems: list[Problem] = []
    leaf_codes = {leaf.code for leaf in framework.leaves()}
    group_codes = {node.code for node in framework.nodes() if isinstance(node, Group)}
    known = {
        "leaves": (leaf_codes, "unknown_leaf", "tiêu chí"),
        "bonus": ({item.code for item in framework.bonus}, "unknown_bonus_item", "mục điểm thưởng"),
        "penalty": ({item.code for item in framework.penalty}, "unknown_penalty_item", "mục điểm trừ"),
        "conditions": ({condition.code for condition in framework.conditions}, "unknown_condition", "điều kiện"),
    }
    for code, count in Counter(school.code for school in schools).items():
        if not code.strip():
            problems.append(Problem("school_code_empty", "", "Có trường chưa có mã."))
        elif count > 1:
            problems.append(Problem("duplicate_school", "", f"Mã trường {code} xuất hiện {count} lần.", school=code))
    for school in schools:
        for part, (codes, problem_code, noun) in known.items():
            for code in getattr(school, part):
                if code not in codes:
                    problems.append(
                        Problem(
                            problem_code, code, f"Không có {noun} mã {code} trong bảng tiêu chí.", school=school.code
                        )
                    )
        for part in ("leaves", "bonus", "penalty"):
            values: Mapping[str, Decimal] = getattr(school, part)
            for code, value in values.items():
                problems.extend(_point_problems(code, value, school.code))
    for code in tie_break:
        if code not in group_codes and code not in leaf_codes:
            problems.append(
                Problem(
                    "unknown_tie_break",
                    code,
                    f"Thứ tự ưu tiên khi bằng điểm nêu mã {code}, không phải nhóm hay tiêu chí của bảng.",
                )
            )
    return problems


def _point_problems(code: str, value: object, school: str) -> list[Problem]:
    if not isinstance(value, Decimal) or not value.is_finite():
        return [
            Problem(
                "points_not_decimal", code, f"Điểm phải là một số thập phân hữu hạn, nhận {value!r}.", school=school
            )
        ]
    if value < 0:
        return [Problem("negative_points", code, f"Điểm {fmt(value)} không được âm.", school=school)]
    return []


def require_valid(framework: Framework) -> None:
    """Raise `FrameworkError` if the framework has validation errors."""
    errors = [problem for problem in validate_framework(framework) if problem.severity is Severity.ERROR]
    if errors:
        raise FrameworkError(errors)


def compute_from_points(
    framework: Framework,
    schools: Sequence[SchoolPoints],
    tie_break: Sequence[str] = (),
    *,
    explain: bool = True,
) -> ClusterResult:
    """Totals, ranks and eligibility of a cluster from its final points, as a `ClusterResult`.

    The same arithmetic and texts as `compute_cluster`; leaf explanations are the schools'
    `notes`. Raises `FrameworkError` / `InputError` (unknown codes, negative points …).
    """
    require_valid(framework)
    problems = check_points(framework, schools, tie_break)
    if problems:
        raise InputError(problems)
    with localcontext(ENGINE_CONTEXT):
        return _compute(framework, schools, tuple(tie_break), explain=explain)


def _compute(
    framework: Framework, schools: Sequence[SchoolPoints], tie_break: tuple[str, ...], *, explain: bool
) -> ClusterResult:
    leaves = list(framework.leaves())
    group_order = [node.code for node in framework.nodes() if isinstance(node, Group)]
    titles = framework.titles()
    parts: list[tuple[dict[str, LeafResult], dict[str, GroupResult], AdjustmentResult, AdjustmentResult]] = []
    groups_totals: list[Decimal] = []
    totals: list[Decimal] = []
    for school in schools:
        leaf_results = {
            leaf.code: LeafResult(
                leaf.code,
                school.leaves.get(leaf.code, ZERO),
                school.notes.get(leaf.code, "") if explain else "",
                missing=leaf.code not in school.leaves,
            )
            for leaf in leaves
        }
        found: dict[str, GroupResult] = {}
        groups_total = sum((_group(group, leaf_results, found, explain=explain) for group in framework.groups), ZERO)
        bonus = _adjustment(framework.bonus, framework.bonus_cap, school.bonus, explain=explain, word="thưởng")
        penalty = _adjustment(framework.penalty, framework.penalty_cap, school.penalty, explain=explain, word="trừ")
        total = groups_total + bonus.points - penalty.points
        parts.append((leaf_results, {code: found[code] for code in group_order}, bonus, penalty))
        groups_totals.append(groups_total)
        totals.append(total if total > 0 else ZERO)
    codes = [school.code for school in schools]
    tie_values = [[_points_of(code, part[1], part[0]) for code in tie_break] for part in parts]
    ranking = rank_schools(codes, totals, tie_values, tie_break, explain=explain)
    results = [
        SchoolResult(
            code=school.code,
            name=school.name,
            leaves=parts[index][0],
            groups=parts[index][1],
            bonus=parts[index][2],
            penalty=parts[index][3],
            groups_total=groups_totals[index],
            total=totals[index],
            ranking=ranking[index],
            eligibility=evaluate_eligibility(framework.conditions, titles, school.conditions),
            explanation=_total_text(groups_totals[index], parts[index][2].points, parts[index][3].points, totals[index])
            if explain
            else "",
        )
        for index, school in enumerate(schools)
    ]
    order = sorted(range(len(results)), key=lambda index: ranking[index].rank)
    return ClusterResult(tuple(results[index] for index in order), tie_break)


def _adjustment(
    items: tuple[AdjustmentItem, ...],
    cap: Decimal | None,
    values: Mapping[str, Decimal],
    *,
    explain: bool,
    word: str,
) -> AdjustmentResult:
    results: dict[str, LeafResult] = {}
    raw = ZERO
    for item in items:
        value = values.get(item.code)
        if value is None:
            results[item.code] = LeafResult(
                item.code, ZERO, "Không phát sinh → 0 điểm" if explain else "", missing=True
            )
            continue
        points = value if item.cap is None or value <= item.cap else item.cap
        text = ""
        if explain:
            text = f"{fmt(value)} điểm"
            if points != value:
                text += f", vượt mức tối đa {fmt(points)} → {fmt(points)} điểm"
        results[item.code] = LeafResult(item.code, points, text)
        raw += points
    points = raw if cap is None or raw <= cap else cap
    text = ""
    if explain:
        text = f"Tổng điểm {word} {fmt(raw)}"
        text += f", vượt mức tối đa {fmt(cap)} → {fmt(points)} điểm" if cap is not None and raw > cap else " điểm"
    return AdjustmentResult(results, raw, points, cap, text)
