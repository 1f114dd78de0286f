"""Computing a whole cluster: leaves, capped groups, bonus, penalty, totals, ranks, eligibility.

`compute_cluster` is the engine's main entry point. Rules that need the whole cluster
(relative to best, target-and-leader, a missing target) see every school's input, so a
cluster is always computed at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext

from thidua.scoring.engine.decimals import ENGINE_CONTEXT, ZERO
from thidua.scoring.engine.eligibility import evaluate_eligibility
from thidua.scoring.engine.errors import FrameworkError, InputError, Problem, Severity
from thidua.scoring.engine.model import AdjustmentItem, ClusterInput, Framework, Group, Leaf, LeafInput, Rule
from thidua.scoring.engine.quantitative import score_quantitative_leaf
from thidua.scoring.engine.ranking import rank_schools
from thidua.scoring.engine.results import (
    AdjustmentResult,
    ClusterResult,
    GroupResult,
    LeafResult,
    SchoolResult,
)
from thidua.scoring.engine.rules import (
    INPUT_FIELD,
    RefusedInputError,
    fmt,
    is_empty,
    missing_result,
    score_adjustment_item,
    score_simple_leaf,
)
from thidua.scoring.engine.validation import check_cluster_inputs, validate_framework


def compute_cluster(framework: Framework, inputs: ClusterInput, *, explain: bool = True) -> ClusterResult:
    """Compute every school of a cluster on a framework.

    Raises `FrameworkError` if the framework has validation errors and `InputError`
    listing every refused input (off-step points, unknown level, missing size measure …).
    `explain=False` skips the Vietnamese explanations (for bulk runs such as bootstraps).
    """
    errors = [problem for problem in validate_framework(framework) if problem.severity is Severity.ERROR]
    if errors:
        raise FrameworkError(errors)
    problems = check_cluster_inputs(framework, inputs)
    if problems:
        raise InputError(problems)
    with localcontext(ENGINE_CONTEXT):
        return _compute(framework, inputs, explain=explain)


def score_leaf_in_cluster(
    leaf: Leaf,
    values: Sequence[LeafInput | None],
    profiles: Sequence[Mapping[str, Decimal]],
    *,
    school_codes: Sequence[str] | None = None,
    explain: bool = True,
) -> list[LeafResult]:
    """Score one leaf for every school of a cluster ("Try it" on one criterion).

    `values[i]` and `profiles[i]` belong to school i; raises `InputError` on refused inputs.
    The leaf itself is not validated here: call `validate_leaf` first.
    """
    codes = list(school_codes) if school_codes is not None else [str(i) for i in range(len(values))]
    problems: list[Problem] = []
    with localcontext(ENGINE_CONTEXT):
        results = _score_leaf(leaf, values, profiles, codes, problems, explain=explain)
    if problems:
        raise InputError(problems)
    return [result for result in results if result is not None]


def _score_leaf(
    leaf: Leaf,
    values: Sequence[LeafInput | None],
    profiles: Sequence[Mapping[str, Decimal]],
    codes: Sequence[str],
    problems: list[Problem],
    *,
    explain: bool,
) -> list[LeafResult | None]:
    if leaf.rule is Rule.QUANTITATIVE:
        results, refusals = score_quantitative_leaf(leaf, values, profiles, explain=explain)
        problems.extend(_problem(refused, leaf.code, codes[index]) for index, refused in refusals)
        return results
    # A simple rule's result depends only on the input value, and results are immutable, so
    # schools entering the same value share one result (the hot path of a large cluster).
    missing = missing_result(leaf.code, explain=explain)
    field = INPUT_FIELD[leaf.rule]
    cache: dict[tuple[type, object], LeafResult] = {}
    simple: list[LeafResult | None] = []
    for index, value in enumerate(values):
        if value is None:
            simple.append(missing)
            continue
        entered = getattr(value, field)
        if entered is not None and _only_field_set(value):
            key = (type(entered), entered)
            hit = cache.get(key)
            if hit is not None:
                simple.append(hit)
                continue
        elif is_empty(value):
            simple.append(missing)
            continue
        else:
            key = None
        try:
            result = score_simple_leaf(leaf, value, explain=explain)
        except RefusedInputError as refused:
            problems.append(_problem(refused, leaf.code, codes[index]))
            simple.append(None)
            continue
        if key is not None:
            cache[key] = result
        simple.append(result)
    return simple


def _only_field_set(value: LeafInput) -> bool:
    """Whether exactly one input field is set (the caller checked which one)."""
    fields = (value.points, value.passed, value.level, value.count, value.actual, value.target)
    return fields.count(None) == len(fields) - 1


def _problem(refused: RefusedInputError, node: str, school: str) -> Problem:
    return Problem(refused.code, node, refused.message, Severity.ERROR, school)


def _compute(framework: Framework, inputs: ClusterInput, *, explain: bool) -> ClusterResult:
    schools = inputs.schools
    codes = [school.code for school in schools]
    profiles = [school.profile for school in schools]
    problems: list[Problem] = []
    leaf_results: list[dict[str, LeafResult]] = [{} for _ in schools]
    for leaf in framework.leaves():
        values = [school.leaves.get(leaf.code) for school in schools]
        column = _score_leaf(leaf, values, profiles, codes, problems, explain=explain)
        for index, result in enumerate(column):
            if result is not None:
                leaf_results[index][leaf.code] = result
    bonus = [
        _adjustments(
            framework.bonus, framework.bonus_cap, school.bonus, school.code, problems, explain=explain, word="thưởng"
        )
        for school in schools
    ]
    penalty = [
        _adjustments(
            framework.penalty, framework.penalty_cap, school.penalty, school.code, problems, explain=explain, word="trừ"
        )
        for school in schools
    ]
    if problems:
        raise InputError(problems)

    group_order = [node.code for node in framework.nodes() if isinstance(node, Group)]
    group_results: list[dict[str, GroupResult]] = []
    groups_totals: list[Decimal] = []
    totals: list[Decimal] = []
    for index in range(len(schools)):
        found: dict[str, GroupResult] = {}
        groups_total = sum(
            (_group(group, leaf_results[index], found, explain=explain) for group in framework.groups), ZERO
        )
        group_results.append({code: found[code] for code in group_order})
        groups_totals.append(groups_total)
        total = groups_total + bonus[index].points - penalty[index].points
        totals.append(total if total > 0 else ZERO)

    tie_values = [
        [_points_of(code, group_results[index], leaf_results[index]) for code in inputs.tie_break]
        for index in range(len(schools))
    ]
    ranking = rank_schools(codes, totals, tie_values, inputs.tie_break, explain=explain)
    titles = framework.titles()
    results = [
        SchoolResult(
            code=school.code,
            name=school.name,
            leaves=leaf_results[index],
            groups=group_results[index],
            bonus=bonus[index],
            penalty=penalty[index],
            groups_total=groups_totals[index],
            total=totals[index],
            ranking=ranking[index],
            eligibility=evaluate_eligibility(framework.conditions, titles, school.conditions),
            explanation=_total_text(groups_totals[index], bonus[index].points, penalty[index].points, totals[index])
            if explain
            else "",
        )
        for index, school in enumerate(schools)
    ]
    order = sorted(range(len(results)), key=lambda index: ranking[index].rank)
    return ClusterResult(tuple(results[index] for index in order), tuple(inputs.tie_break))


def _group(group: Group, leaves: Mapping[str, LeafResult], out: dict[str, GroupResult], *, explain: bool) -> Decimal:
    """Sum the group's children, cap at its maximum, record it in `out`; returns the points."""
    raw = ZERO
    for child in group.children:
        raw += _group(child, leaves, out, explain=explain) if isinstance(child, Group) else leaves[child.code].points
    top = group.max_points
    points = raw if raw <= top else top
    text = ""
    if explain:
        if raw > top:
            text = f"Cộng {fmt(raw)} điểm, vượt mức tối đa {fmt(top)} của nhóm → {fmt(top)} điểm"
        else:
            text = f"Cộng {fmt(raw)} điểm (tối đa {fmt(top)})"
    out[group.code] = GroupResult(group.code, raw, points, top, text)
    return points


def _points_of(code: str, groups: Mapping[str, GroupResult], leaves: Mapping[str, LeafResult]) -> Decimal:
    group = groups.get(code)
    return group.points if group is not None else leaves[code].points


def _adjustments(
    items: tuple[AdjustmentItem, ...],
    cap: Decimal | None,
    values: Mapping[str, LeafInput],
    school: str,
    problems: list[Problem],
    *,
    explain: bool,
    word: str,
) -> AdjustmentResult:
    """Bonus or penalty of one school: each item capped, then the sum capped by the framework."""
    results: dict[str, LeafResult] = {}
    raw = ZERO
    for item in items:
        value = values.get(item.code)
        if value is None or is_empty(value):
            results[item.code] = LeafResult(
                item.code, ZERO, "Không phát sinh → 0 điểm" if explain else "", missing=True
            )
            continue
        try:
            result = score_adjustment_item(item, value, explain=explain)
        except RefusedInputError as refused:
            problems.append(_problem(refused, item.code, school))
            continue
        results[item.code] = result
        raw += result.points
    points = raw if cap is None or raw <= cap else cap
    text = ""
    if explain:
        text = f"Tổng điểm {word} {fmt(raw)}"
        text += f", vượt mức tối đa {fmt(cap)} → {fmt(points)} điểm" if cap is not None and raw > cap else " điểm"
    return AdjustmentResult(results, raw, points, cap, text)


def _total_text(groups_total: Decimal, bonus: Decimal, penalty: Decimal, total: Decimal) -> str:
    raw = groups_total + bonus - penalty
    text = f"Tổng = {fmt(groups_total)} (các nhóm) + {fmt(bonus)} (thưởng) − {fmt(penalty)} (trừ)"
    if raw < 0:
        return f"{text} = {fmt(raw)}, không thấp hơn 0 → 0 điểm"
    return f"{text} = {fmt(total)} điểm"
