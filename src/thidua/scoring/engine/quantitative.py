"""Quantitative leaves (*định lượng*): an actual A, maybe per capita, against a target T.

The formulas need the whole cluster (the best actual, the leader), so a leaf is scored for
all schools at once. Each school's value is kept as an exact fraction num/den (den is the
size measure for per-capita leaves, else 1); comparisons cross-multiply, and the only
division is the final one, so ranking and leader decisions are exact.

Direction "lower" (smaller is better) mirrors each formula; see docs/engine.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from thidua.scoring.engine.decimals import HUNDRED, ONE, TWO, ZERO, approx_sign, format_vi, quotient
from thidua.scoring.engine.model import Direction, Formula, Leaf, LeafInput, Rule
from thidua.scoring.engine.results import LeafResult
from thidua.scoring.engine.rules import RefusedInputError, check_fields, fmt, fmt_input, is_empty, missing_result

HALF = Decimal("0.5")

# Vietnamese names of common size measures of a school's yearly profile.
SIZE_LABELS = {
    "lecturers": "giảng viên",
    "staff": "cán bộ, viên chức",
    "trainees": "học viên",
    "classes": "lớp",
}


@dataclass(frozen=True, slots=True)
class _Value:
    """One school's value num/den (den > 0) and its target, plus what the text shows."""

    num: Decimal
    den: Decimal
    target: Decimal | None
    prefix: str  # "Bình quân 120 ÷ 25 giảng viên = 4,8; " for per-capita leaves


def _better(a: _Value, b: _Value, *, lower: bool) -> bool:
    """Whether a's value is strictly better than b's (exact, by cross-multiplying)."""
    left, right = a.num * b.den, b.num * a.den
    return left < right if lower else left > right


def _shown(v: _Value) -> str:
    """The value for an explanation: as entered, or the per-capita quotient to 2 decimals."""
    return fmt_input(v.num) if v.den == ONE else fmt(quotient(v.num, v.den))


def _read(leaf: Leaf, value: LeafInput, profile: Mapping[str, Decimal], *, uses_target: bool, explain: bool) -> _Value:
    if value.points is not None or value.passed is not None or value.level is not None or value.count is not None:
        check_fields(value, Rule.QUANTITATIVE, ("actual", "target"))  # raises with the field named
    actual = value.actual
    if actual is None:
        raise AssertionError("checked by the caller")
    if actual < 0:
        raise RefusedInputError("negative_actual", f"Số liệu thực hiện {fmt_input(actual)} không được âm.")
    target = value.target
    if target is not None:
        if not uses_target:
            raise RefusedInputError(
                "target_not_expected",
                "Tiêu chí này không dùng chỉ tiêu đăng ký; bỏ trường 'target'.",
            )
        if target <= 0:
            raise RefusedInputError("target_not_positive", f"Chỉ tiêu phải lớn hơn 0, nhận được {fmt_input(target)}.")
    if leaf.per_capita is None:
        return _Value(actual, ONE, target, "")
    key = leaf.per_capita
    label = SIZE_LABELS.get(key, key)
    size = profile.get(key)
    if size is None:
        raise RefusedInputError(
            "size_missing",
            f"Hồ sơ năm của trường thiếu số đo quy mô '{key}' ({label}) để tính bình quân.",
        )
    if size <= 0:
        raise RefusedInputError(
            "size_not_positive",
            f"Số đo quy mô '{key}' ({label}) bằng {fmt_input(size)}; không thể chia bình quân.",
        )
    prefix = ""
    if explain:
        prefix = f"Bình quân {fmt_input(actual)} ÷ {fmt_input(size)} {label} = {fmt(quotient(actual, size))}; "
    return _Value(actual, size, target, prefix)


def score_quantitative_leaf(
    leaf: Leaf,
    values: Sequence[LeafInput | None],
    profiles: Sequence[Mapping[str, Decimal]],
    *,
    explain: bool,
) -> tuple[list[LeafResult | None], list[tuple[int, RefusedInputError]]]:
    """Score a quantitative leaf for every school of the cluster (same order as `values`).

    Returns the results (None where refused) and the refusals with the school's index.
    """
    results: list[LeafResult | None] = [None] * len(values)
    refusals: list[tuple[int, RefusedInputError]] = []
    read: list[tuple[int, _Value]] = []
    missing = missing_result(leaf.code, explain=explain)
    uses_target = leaf.uses_target
    for index, value in enumerate(values):
        if value is None or value.actual is None:
            if value is not None and not is_empty(value):
                try:
                    check_fields(value, Rule.QUANTITATIVE, ("actual", "target"))
                except RefusedInputError as refused:
                    refusals.append((index, refused))
                    continue
            results[index] = missing
            continue
        try:
            read.append((index, _read(leaf, value, profiles[index], uses_target=uses_target, explain=explain)))
        except RefusedInputError as refused:
            refusals.append((index, refused))
    lower = leaf.direction is Direction.LOWER
    best: _Value | None = None
    for _, v in read:
        if best is None or _better(v, best, lower=lower):
            best = v
    leader = _leader(read, lower=lower) if leaf.formula is Formula.TARGET_AND_LEADER else None
    for index, v in read:
        results[index] = _score(leaf, v, best, leader, explain=explain)
    return results, refusals


def _exceedance(v: _Value, *, lower: bool) -> tuple[Decimal, Decimal]:
    """e = (A − T)/T (or (T − A)/T when lower is better) as an exact fraction (num, den)."""
    if v.target is None:
        raise AssertionError("only schools with a target have an exceedance")
    scaled = v.target * v.den
    return (scaled - v.num if lower else v.num - scaled), scaled


@dataclass(frozen=True, slots=True)
class _Leader:
    """The largest exceedance e_lead = num/den in the cluster and how many schools share it."""

    num: Decimal
    den: Decimal
    count: int


def _leader(read: list[tuple[int, _Value]], *, lower: bool) -> _Leader | None:
    """The largest exceedance among schools that beat their own target, or None."""
    lead: _Leader | None = None
    for _, v in read:
        if v.target is None:
            continue
        e_num, e_den = _exceedance(v, lower=lower)
        if e_num <= 0:
            continue
        if lead is None or e_num * lead.den > lead.num * e_den:
            lead = _Leader(e_num, e_den, 1)
        elif e_num * lead.den == lead.num * e_den:
            lead = _Leader(lead.num, lead.den, lead.count + 1)
    return lead


def _score(
    leaf: Leaf,
    v: _Value,
    best: _Value | None,
    leader: _Leader | None,
    *,
    explain: bool,
) -> LeafResult:
    formula = leaf.formula
    lower = leaf.direction is Direction.LOWER
    if formula is Formula.THRESHOLDS:
        points, text = _thresholds(leaf, v, lower=lower, explain=explain)
    elif formula is Formula.RELATIVE_TO_BEST or v.target is None:
        if best is None:
            raise AssertionError("a school with a value makes best defined")
        points, text = _relative(leaf.max_points, v, best, lower=lower, explain=explain)
        if formula is not Formula.RELATIVE_TO_BEST and explain:
            text = "Không đăng ký chỉ tiêu → so với kết quả tốt nhất cụm: " + text[:1].lower() + text[1:]
    elif formula is Formula.RATIO:
        points, text = _ratio(leaf, v, lower=lower, explain=explain)
    else:
        points, text = _target_and_leader(leaf.max_points, v, leader, lower=lower, explain=explain)
    if not explain:
        return LeafResult(leaf.code, points)
    if v.prefix:  # "Bình quân 120 ÷ 25 giảng viên = 4,8; thực hiện …"
        text = v.prefix + text[:1].lower() + text[1:]
    return LeafResult(leaf.code, points, text)


def _ratio(leaf: Leaf, v: _Value, *, lower: bool, explain: bool) -> tuple[Decimal, str]:
    """max·min(A/T, cap); lower is better: max·min(T/A, cap), A = 0 counting as the cap."""
    top, cap = leaf.max_points, leaf.effective_cap_ratio
    target = v.target
    if target is None:
        raise AssertionError("ratio without target is scored relative to the best")
    scaled = target * v.den  # T in the unit of num
    if lower:
        capped = v.num == 0 or scaled >= cap * v.num
        points = top * cap if capped else quotient(top * scaled, v.num)
        beyond = v.num == 0 or scaled > cap * v.num
    else:
        capped = v.num >= cap * scaled
        points = top * cap if capped else quotient(top * v.num, scaled)
        beyond = v.num > cap * scaled
    if not explain:
        return points, ""
    shown, t = _shown(v), fmt_input(target)
    if lower and v.num == 0:
        return points, (
            f"Thực hiện 0 (chỉ tiêu {t}; thấp hơn là tốt hơn) → tính tối đa {fmt(cap * HUNDRED)} % "
            f"→ {fmt(top)} × {fmt(cap)} = {fmt(points)} điểm"
        )
    if lower:
        ratio = quotient(scaled, v.num)
        head = f"Thấp hơn là tốt hơn: chỉ tiêu {t}, thực hiện {shown} → đạt {t}/{shown} = {fmt(ratio * HUNDRED)} %"
    else:
        ratio = quotient(v.num, scaled)
        head = f"Thực hiện {shown}/{t} = {fmt(ratio * HUNDRED)} % chỉ tiêu"
    if beyond:  # the cap binds (at exactly the cap the plain formula says the same)
        return points, f"{head}, tính tối đa {fmt(cap * HUNDRED)} % → {fmt(top)} × {fmt(cap)} = {fmt(points)} điểm"
    shown_ratio = format_ratio(ratio)
    return points, f"{head} → {fmt(top)} × {shown_ratio} {approx_sign(points)} {fmt(points)} điểm"


def format_ratio(ratio: Decimal) -> str:
    """A ratio for an explanation, with up to 4 decimals ("0,9", "0,6667")."""
    return format_vi(ratio, places=4)


def _thresholds(leaf: Leaf, v: _Value, *, lower: bool, explain: bool) -> tuple[Decimal, str]:
    """The first tier the value reaches: A ≥ threshold (higher) or A ≤ threshold (lower)."""
    shown = _shown(v) if explain else ""
    for threshold, points in leaf.tiers:
        bound = threshold * v.den
        if (v.num <= bound) if lower else (v.num >= bound):
            if not explain:
                return points, ""
            sign, note = ("≤", " (thấp hơn là tốt hơn)") if lower else ("≥", "")
            return points, f"Đạt {shown}, ngưỡng {sign} {fmt_input(threshold)}{note} → {fmt(points)} điểm"
    if not explain:
        return ZERO, ""
    last = fmt_input(leaf.tiers[-1][0])
    if lower:
        return ZERO, f"Đạt {shown}, trên ngưỡng cao nhất {last} (thấp hơn là tốt hơn) → 0 điểm"
    return ZERO, f"Đạt {shown}, dưới ngưỡng thấp nhất {last} → 0 điểm"


def _relative(top: Decimal, v: _Value, best: _Value, *, lower: bool, explain: bool) -> tuple[Decimal, str]:
    """max·A/A_best (higher) or max·A_best/A (lower), with the cluster's best value."""
    if lower:
        if v.num == 0:
            points = top
        elif best.num == 0:
            points = ZERO
        else:
            points = quotient(top * best.num * v.den, best.den * v.num)
    else:
        points = ZERO if best.num == 0 else quotient(top * v.num * best.den, v.den * best.num)
    if not explain:
        return points, ""
    shown, best_shown = _shown(v), _shown(best)
    if lower:
        if v.num == 0:
            return points, f"Đạt 0, tốt nhất cụm (thấp hơn là tốt hơn) → {fmt(top)} điểm"
        head = f"Đạt {shown}; thấp nhất cụm {best_shown} (thấp hơn là tốt hơn)"
        if best.num == 0:
            return points, f"{head} → 0 điểm"
        return points, f"{head} → {fmt(top)} × {best_shown}/{shown} {approx_sign(points)} {fmt(points)} điểm"
    if best.num == 0:
        return points, "Đạt 0; cả cụm đều đạt 0 → 0 điểm"
    return points, (
        f"Đạt {shown}; cao nhất cụm {best_shown} → {fmt(top)} × {shown}/{best_shown} "
        f"{approx_sign(points)} {fmt(points)} điểm"
    )


def _target_and_leader(
    top: Decimal,
    v: _Value,
    leader: _Leader | None,
    *,
    lower: bool,
    explain: bool,
) -> tuple[Decimal, str]:
    """A<T → ½·max·A/T; A=T → ½·max; leader(s) → max; others above T → ½·max + ½·max·e/e_lead."""
    target = v.target
    if target is None:
        raise AssertionError("no target is scored relative to the best")
    e_num, e_den = _exceedance(v, lower=lower)  # e_den = T in the unit of num
    half = top * HALF
    if e_num < 0:  # short of the target
        points = quotient(top * e_den, TWO * v.num) if lower else quotient(top * v.num, TWO * e_den)
    elif e_num == 0:
        points = half
    else:
        if leader is None:
            raise AssertionError("a school above its target makes the leader defined")
        is_leader = e_num * leader.den == leader.num * e_den
        points = top if is_leader else half + quotient(top * e_num * leader.den, TWO * e_den * leader.num)
    if not explain:
        return points, ""
    shown, t, eq = _shown(v), fmt_input(target), approx_sign(points)
    if e_num < 0 and lower:
        return points, (
            f"Thấp hơn là tốt hơn: thực hiện {shown}, chỉ tiêu {t} (chưa đạt) "
            f"→ ½ × {fmt(top)} × {t}/{shown} {eq} {fmt(points)} điểm"
        )
    if e_num < 0:
        ratio = quotient(v.num, e_den)
        return points, (
            f"Thực hiện {shown}/{t} = {fmt(ratio * HUNDRED)} % chỉ tiêu (chưa đạt) "
            f"→ ½ × {fmt(top)} × {format_ratio(ratio)} {eq} {fmt(points)} điểm"
        )
    if e_num == 0:
        return points, f"Thực hiện đúng chỉ tiêu {t} → ½ × {fmt(top)} = {fmt(points)} điểm"
    if leader is None:
        raise AssertionError("a school above its target makes the leader defined")
    share = fmt(quotient(e_num * HUNDRED, e_den))
    if lower:
        head = f"Thấp hơn chỉ tiêu {share} % ({shown} so với {t}; thấp hơn là tốt hơn)"
    else:
        head = f"Vượt chỉ tiêu {share} % ({shown}/{t})"
    if points == top:
        best_word = "đồng dẫn đầu cụm" if leader.count > 1 else "dẫn đầu cụm"
        return points, f"{head}, {best_word} → {fmt(top)} điểm (tối đa)"
    lead_share = fmt(quotient(leader.num * HUNDRED, leader.den))
    verb = "thấp hơn chỉ tiêu" if lower else "vượt chỉ tiêu"
    return points, (
        f"{head}; trường dẫn đầu {verb} {lead_share} % → ½ × {fmt(top)} + ½ × {fmt(top)} × "
        f"{share}/{lead_share} {eq} {fmt(points)} điểm"
    )
