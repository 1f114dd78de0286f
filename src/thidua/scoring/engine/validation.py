"""Framework validation (*kiểm tra bảng tiêu chí*) and checks of a cluster's inputs.

`validate_framework` is pure and returns every problem, each with a stable code, the node
it concerns and a Vietnamese message; severity "error" blocks publishing and computing,
"notice" only informs (e.g. a group whose leaves add up to more than its cap).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise

from thidua.scoring.engine.decimals import ONE, ZERO, format_vi
from thidua.scoring.engine.errors import Problem, Severity
from thidua.scoring.engine.model import (
    AdjustmentItem,
    ClusterInput,
    Direction,
    Formula,
    Framework,
    Group,
    Leaf,
    Rule,
)

ITEM_RULES = (Rule.COUNT, Rule.LEVELS, Rule.MANUAL)


def _n(value: Decimal) -> str:
    return format_vi(value, places=None)


def _error(code: str, node: str, message: str, *, school: str | None = None) -> Problem:
    return Problem(code, node, message, Severity.ERROR, school)


def _notice(code: str, node: str, message: str) -> Problem:
    return Problem(code, node, message, Severity.NOTICE)


def validate_framework(framework: Framework) -> list[Problem]:
    """Every problem of the framework, errors and notices, in document order."""
    problems: list[Problem] = []
    if framework.total <= 0:
        problems.append(
            _error(
                "total_not_positive", "", f"Tổng điểm của bảng tiêu chí phải lớn hơn 0 (đang là {_n(framework.total)})."
            )
        )
    if not framework.name.strip():
        problems.append(_error("name_empty", "", "Bảng tiêu chí chưa có tên."))
    problems.extend(_unused_keys("", framework.extra))
    problems.extend(_code_problems(framework))
    if not framework.groups:
        problems.append(_error("no_groups", "", "Bảng tiêu chí chưa có nhóm tiêu chí nào."))
    else:
        groups_sum = sum((group.max_points for group in framework.groups), ZERO)
        if groups_sum != framework.total:
            problems.append(
                _error(
                    "groups_total_mismatch",
                    "",
                    f"Điểm tối đa của các nhóm cộng lại là {_n(groups_sum)}, khác tổng điểm "
                    f"{_n(framework.total)} của bảng tiêu chí.",
                )
            )
    for group in framework.groups:
        problems.extend(_group_problems(group))
    for cap, name in ((framework.bonus_cap, "điểm thưởng"), (framework.penalty_cap, "điểm trừ")):
        if cap is not None and cap < 0:
            problems.append(_error("cap_negative", "", f"Mức tối đa {name} không được âm (đang là {_n(cap)})."))
    for item in (*framework.bonus, *framework.penalty):
        problems.extend(validate_item(item))
    for condition in framework.conditions:
        if not condition.title.strip():
            problems.append(_error("title_empty", condition.code, "Điều kiện chưa có nội dung."))
        if not condition.blocks:
            problems.append(
                _notice(
                    "condition_blocks_nothing",
                    condition.code,
                    "Điều kiện không chặn danh hiệu nào nên không có tác dụng.",
                )
            )
        if any(not title.strip() for title in condition.blocks):
            problems.append(_error("title_empty", condition.code, "Tên danh hiệu bị chặn không được để trống."))
        problems.extend(_unused_keys(condition.code, condition.extra))
    return problems


def _code_problems(framework: Framework) -> list[Problem]:
    codes = [node.code for node in framework.nodes()]
    codes += [item.code for item in (*framework.bonus, *framework.penalty)]
    codes += [condition.code for condition in framework.conditions]
    problems: list[Problem] = []
    if any(not code.strip() for code in codes):
        problems.append(_error("code_empty", "", "Có nhóm, tiêu chí, mục thưởng/trừ hoặc điều kiện chưa có mã."))
    for code, count in Counter(codes).items():
        if count > 1 and code.strip():
            problems.append(
                _error("duplicate_code", code, f"Mã {code} được dùng {count} lần; mỗi mã phải là duy nhất.")
            )
    return problems


def _group_problems(group: Group) -> list[Problem]:
    problems: list[Problem] = []
    code, top = group.code, group.max_points
    if not group.title.strip():
        problems.append(_error("title_empty", code, f"Nhóm {code} chưa có tên."))
    if top <= 0:
        problems.append(
            _error("max_not_positive", code, f"Điểm tối đa của nhóm {code} phải lớn hơn 0 (đang là {_n(top)}).")
        )
    problems.extend(_unused_keys(code, group.extra))
    if not group.children:
        problems.append(_error("group_empty", code, f"Nhóm {code} chưa có tiêu chí nào."))
        return problems
    children_sum = sum((child.max_points for child in group.children), ZERO)
    if children_sum > top:
        problems.append(
            _notice(
                "children_exceed_group",
                code,
                f"Các tiêu chí của nhóm {code} cộng lại {_n(children_sum)} điểm, nhiều hơn mức tối đa "
                f"{_n(top)} của nhóm; điểm của nhóm sẽ được giới hạn ở {_n(top)}.",
            )
        )
    elif children_sum < top:
        problems.append(
            _error(
                "children_below_group",
                code,
                f"Các tiêu chí của nhóm {code} cộng lại chỉ {_n(children_sum)} điểm, ít hơn mức tối đa "
                f"{_n(top)} của nhóm: không trường nào có thể đạt điểm tối đa của nhóm.",
            )
        )
    for child in group.children:
        problems.extend(_group_problems(child) if isinstance(child, Group) else validate_leaf(child))
    return problems


def validate_leaf(leaf: Leaf) -> list[Problem]:
    """The problems of one leaf on its own (its parameters against its rule)."""
    code, top, rule = leaf.code, leaf.max_points, leaf.rule
    problems: list[Problem] = []
    if not leaf.title.strip():
        problems.append(_error("title_empty", code, f"Tiêu chí {code} chưa có tên."))
    if top <= 0:
        problems.append(
            _error("max_not_positive", code, f"Điểm tối đa của tiêu chí {code} phải lớn hơn 0 (đang là {_n(top)}).")
        )
    problems.extend(_unused_keys(code, leaf.extra))
    problems.extend(_unused_parameters(leaf))
    if rule is Rule.MANUAL:
        problems.extend(_step_problems(code, leaf.step, top))
    elif rule is Rule.LEVELS:
        problems.extend(_levels_problems(code, leaf.levels, top))
    elif rule is Rule.COUNT:
        problems.extend(_points_each_problems(code, leaf.points_each))
    elif rule is Rule.QUANTITATIVE:
        problems.extend(_quantitative_problems(leaf))
    return problems


def _step_problems(code: str, step: Decimal | None, top: Decimal | None) -> list[Problem]:
    if step is None:
        return []
    if step <= 0:
        return [_error("step_not_positive", code, f"Bước chấm của {code} phải lớn hơn 0 (đang là {_n(step)}).")]
    if top is not None and top % step:
        return [
            _error(
                "max_not_multiple_of_step",
                code,
                f"Điểm tối đa {_n(top)} của {code} không chia hết cho bước chấm {_n(step)}.",
            )
        ]
    return []


def _levels_problems(code: str, levels: tuple[tuple[str, Decimal], ...], top: Decimal | None) -> list[Problem]:
    if not levels:
        return [_error("levels_missing", code, f"Tiêu chí {code} chấm theo mức nhưng chưa khai báo các mức.")]
    problems: list[Problem] = []
    names = [name for name, _ in levels]
    for name, count in Counter(names).items():
        if count > 1:
            problems.append(_error("duplicate_level", code, f"Mức «{name}» của {code} bị khai báo {count} lần."))
    if any(not name.strip() for name in names):
        problems.append(_error("level_name_empty", code, f"Có mức của {code} chưa có tên."))
    for name, points in levels:
        if points < 0 or (top is not None and points > top):
            upper = f"; {_n(top)}" if top is not None else "; ∞"
            problems.append(
                _error(
                    "level_points_out_of_range",
                    code,
                    f"Mức «{name}» của {code} cho {_n(points)} điểm, ngoài khoảng [0{upper}].",
                )
            )
    best = max(points for _, points in levels)
    if top is not None and 0 <= best < top:
        problems.append(
            _notice(
                "levels_below_max",
                code,
                f"Mức cao nhất của {code} chỉ cho {_n(best)} điểm, thấp hơn điểm tối đa {_n(top)}.",
            )
        )
    return problems


def _points_each_problems(code: str, points_each: Decimal | None) -> list[Problem]:
    if points_each is None:
        return [
            _error("points_each_missing", code, f"{code} chấm theo số lần nhưng chưa có số điểm mỗi lần (points_each).")
        ]
    if points_each <= 0:
        return [
            _error(
                "points_each_not_positive",
                code,
                f"Số điểm mỗi lần của {code} phải lớn hơn 0 (đang là {_n(points_each)}).",
            )
        ]
    return []


def _quantitative_problems(leaf: Leaf) -> list[Problem]:
    code, formula = leaf.code, leaf.formula
    problems: list[Problem] = []
    if leaf.per_capita is not None and not leaf.per_capita.strip():
        problems.append(
            _error("per_capita_empty", code, f"{code} tính bình quân nhưng chưa nêu số đo quy mô (per_capita).")
        )
    if formula is None:
        problems.append(_error("formula_missing", code, f"Tiêu chí định lượng {code} chưa chọn công thức (formula)."))
        return problems
    if formula in (Formula.RATIO, Formula.TARGET_AND_LEADER) and not leaf.target_registered:
        problems.append(
            _error(
                "target_required",
                code,
                f"Công thức {formula} của {code} so với chỉ tiêu đăng ký: cần target_registered: true.",
            )
        )
    if formula in (Formula.THRESHOLDS, Formula.RELATIVE_TO_BEST) and leaf.target_registered:
        problems.append(
            _notice(
                "target_not_used",
                code,
                f"Công thức {formula} của {code} không dùng chỉ tiêu đăng ký; target_registered không có tác dụng.",
            )
        )
    if formula is Formula.RATIO and leaf.cap_ratio is not None:
        problems.extend(_cap_ratio_problems(leaf, leaf.cap_ratio))
    if formula is Formula.THRESHOLDS:
        problems.extend(_tiers_problems(leaf))
    return problems


def _cap_ratio_problems(leaf: Leaf, cap: Decimal) -> list[Problem]:
    code = leaf.code
    if cap <= 0:
        return [
            _error(
                "cap_ratio_not_positive", code, f"Tỷ lệ trần (cap_ratio) của {code} phải lớn hơn 0 (đang là {_n(cap)})."
            )
        ]
    if cap > ONE:
        return [
            _notice(
                "cap_ratio_above_one",
                code,
                f"Tỷ lệ trần {_n(cap)} > 1: {code} có thể cho tới {_n(leaf.max_points * cap)} điểm, "
                f"vượt điểm tối đa {_n(leaf.max_points)} (điểm nhóm vẫn bị giới hạn).",
            )
        ]
    if cap < ONE:
        return [
            _notice(
                "cap_ratio_below_one",
                code,
                f"Tỷ lệ trần {_n(cap)} < 1: {code} không bao giờ đạt điểm tối đa {_n(leaf.max_points)}.",
            )
        ]
    return []


def _tiers_problems(leaf: Leaf) -> list[Problem]:
    code, tiers, top = leaf.code, leaf.tiers, leaf.max_points
    if not tiers:
        return [_error("tiers_missing", code, f"Công thức bậc ngưỡng của {code} chưa có các bậc (tiers).")]
    problems: list[Problem] = []
    lower = leaf.direction is Direction.LOWER
    thresholds = [threshold for threshold, _ in tiers]
    pairs = list(pairwise(thresholds))
    if any((a >= b) if lower else (a <= b) for a, b in pairs):
        order = "tăng dần (thấp hơn là tốt hơn)" if lower else "giảm dần"
        problems.append(
            _error(
                "tiers_not_ordered",
                code,
                f"Các ngưỡng của {code} phải xếp {order} và không trùng nhau: {', '.join(_n(t) for t in thresholds)}.",
            )
        )
    for threshold, points in tiers:
        if points < 0 or points > top:
            problems.append(
                _error(
                    "tier_points_out_of_range",
                    code,
                    f"Bậc ngưỡng {_n(threshold)} của {code} cho {_n(points)} điểm, ngoài khoảng [0; {_n(top)}].",
                )
            )
    points_list = [points for _, points in tiers]
    if any(a < b for a, b in pairwise(points_list)):
        problems.append(
            _error("tier_points_not_monotone", code, f"Ở {code}, bậc tốt hơn không được cho ít điểm hơn bậc sau nó.")
        )
    return problems


_PARAMETERS_OF = {
    Rule.MANUAL: {"step"},
    Rule.PASS_FAIL: set(),
    Rule.LEVELS: {"levels"},
    Rule.COUNT: {"points_each"},
    Rule.QUANTITATIVE: {"formula", "direction", "tiers", "target_registered", "per_capita", "cap_ratio"},
}


def _unused_parameters(leaf: Leaf) -> list[Problem]:
    given = {
        "formula": leaf.formula is not None,
        "direction": leaf.direction is not Direction.HIGHER,
        "levels": bool(leaf.levels),
        "tiers": bool(leaf.tiers),
        "step": leaf.step is not None,
        "points_each": leaf.points_each is not None,
        "target_registered": leaf.target_registered,
        "per_capita": leaf.per_capita is not None,
        "cap_ratio": leaf.cap_ratio is not None,
    }
    used = set(_PARAMETERS_OF[leaf.rule])
    if leaf.rule is Rule.QUANTITATIVE:
        if leaf.formula is not Formula.THRESHOLDS:
            used.discard("tiers")
        if leaf.formula is not Formula.RATIO:
            used.discard("cap_ratio")
    return [
        _notice(
            "unused_parameter",
            leaf.code,
            f"Tham số {name} không dùng cho quy tắc {leaf.rule} của {leaf.code} và bị bỏ qua.",
        )
        for name, present in given.items()
        if present and name not in used
    ]


def _unused_keys(code: str, extra: Iterable[str]) -> list[Problem]:
    return [
        _notice(
            "unused_key", code, f"Khóa '{key}' không được bộ chấm điểm sử dụng; được giữ nguyên như thông tin kèm theo."
        )
        for key in extra
    ]


def validate_item(item: AdjustmentItem) -> list[Problem]:
    """The problems of a bonus or penalty item."""
    code = item.code
    problems: list[Problem] = []
    if not item.title.strip():
        problems.append(_error("title_empty", code, f"Mục {code} chưa có tên."))
    if item.rule not in ITEM_RULES:
        problems.append(
            _error(
                "rule_not_allowed",
                code,
                f"Mục thưởng/trừ {code} chỉ dùng quy tắc count, levels hoặc manual (đang là {item.rule}).",
            )
        )
    if item.cap is not None and item.cap <= 0:
        problems.append(
            _error("cap_not_positive", code, f"Mức tối đa của {code} phải lớn hơn 0 (đang là {_n(item.cap)}).")
        )
    if item.rule is Rule.COUNT:
        problems.extend(_points_each_problems(code, item.points_each))
    elif item.rule is Rule.LEVELS:
        problems.extend(p for p in _levels_problems(code, item.levels, None) if p.code != "levels_below_max")
    elif item.rule is Rule.MANUAL:
        problems.extend(_step_problems(code, item.step, None))
    problems.extend(_unused_keys(code, item.extra))
    return problems


def check_cluster_inputs(framework: Framework, inputs: ClusterInput) -> list[Problem]:
    """Problems of a cluster's inputs that concern no single rule: codes and references."""
    problems: list[Problem] = []
    leaf_codes = {leaf.code for leaf in framework.leaves()}
    group_codes = {node.code for node in framework.nodes() if isinstance(node, Group)}
    known = {  # part of SchoolInput: (known codes, problem code, noun)
        "leaves": (leaf_codes, "unknown_leaf", "tiêu chí"),
        "bonus": ({item.code for item in framework.bonus}, "unknown_bonus_item", "mục điểm thưởng"),
        "penalty": ({item.code for item in framework.penalty}, "unknown_penalty_item", "mục điểm trừ"),
        "conditions": ({condition.code for condition in framework.conditions}, "unknown_condition", "điều kiện"),
    }
    for code, count in Counter(school.code for school in inputs.schools).items():
        if not code.strip():
            problems.append(_error("school_code_empty", "", "Có trường chưa có mã."))
        elif count > 1:
            problems.append(_error("duplicate_school", "", f"Mã trường {code} xuất hiện {count} lần.", school=code))
    for school in inputs.schools:
        for part, (codes, problem_code, noun) in known.items():
            for code in getattr(school, part):
                if code not in codes:
                    problems.append(
                        _error(
                            problem_code, code, f"Không có {noun} mã {code} trong bảng tiêu chí.", school=school.code
                        )
                    )
    for code in inputs.tie_break:
        if code not in group_codes and code not in leaf_codes:
            problems.append(
                _error(
                    "unknown_tie_break",
                    code,
                    f"Thứ tự ưu tiên khi bằng điểm nêu mã {code}, không phải nhóm hay tiêu chí của bảng.",
                )
            )
    return problems
