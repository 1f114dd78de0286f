"""The reference framework format (the YAML of shared/reference/criteria-political-schools.yaml).

`framework_from_reference(document)` reads a parsed document (a dict from YAML or JSON) into a
`Framework`; `framework_to_reference(framework)` writes it back. The export is canonical:
keys in a fixed order, defaults left out (direction "higher", target_registered false, a
bonus/penalty item's `rule: count`), integers as ints and other numbers as floats when the
float says exactly the same number (else as strings). A document in canonical form — the
reference file is — round-trips identically; unknown keys are kept in `extra` and written
back after the known ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from thidua.scoring.engine.errors import FormatError
from thidua.scoring.engine.model import (
    AdjustmentItem,
    Condition,
    Direction,
    Formula,
    Framework,
    Group,
    Leaf,
    Node,
    Rule,
)
from thidua.scoring.engine.reader import Reader, join

DOCUMENT_KEYS = ("framework", "groups", "bonus", "penalty", "conditions")
FRAMEWORK_KEYS = ("name", "total", "bonus_cap", "penalty_cap")
GROUP_KEYS = ("code", "title", "max", "leaves", "guidance")
LEAF_KEYS = (
    "code", "title", "max", "rule", "formula", "direction", "levels", "tiers", "step", "points_each",
    "target_registered", "per_capita", "cap_ratio", "source", "guidance", "evidence",
)  # fmt: skip
ITEM_KEYS = ("code", "title", "rule", "levels", "step", "points_each", "cap", "source", "guidance")
CONDITION_KEYS = ("code", "title", "blocks", "guidance")


def framework_from_reference(document: Mapping[str, Any], *, ignore: tuple[str, ...] = ("$schema",)) -> Framework:
    """Read a reference-format document; raises `FormatError` listing every problem.

    Top-level keys other than the framework's and those in `ignore` are refused (a typo such
    as `penalties` must not silently drop the penalties).
    """
    reader = Reader()
    framework = read_framework(reader, document, ignore=ignore)
    if reader.problems or framework is None:
        raise FormatError(reader.problems)
    return framework


def read_framework(reader: Reader, document: object, *, ignore: tuple[str, ...] = ()) -> Framework | None:
    """Read the framework part of a document, recording problems in `reader`."""
    data = reader.mapping(document, "")
    if data is None:
        return None
    reader.keys(data, "", (*DOCUMENT_KEYS, *ignore))
    meta = reader.mapping(data.get("framework"), "framework")
    name, total, bonus_cap, penalty_cap = "", None, None, None
    meta_extra: dict[str, object] = {}
    if meta is not None:
        name = reader.string(meta, "name", "framework", required=True) or ""
        total = reader.number(meta, "total", "framework", required=True)
        bonus_cap = reader.number(meta, "bonus_cap", "framework")
        penalty_cap = reader.number(meta, "penalty_cap", "framework")
        meta_extra = {key: value for key, value in meta.items() if key not in FRAMEWORK_KEYS}
    groups: list[Group] = []
    for index, entry in enumerate(reader.sequence(data.get("groups"), "groups") or ()):
        node = _read_node(reader, entry, join("groups", index), top_level=True)
        if isinstance(node, Group):
            groups.append(node)
    bonus = _read_items(reader, data, "bonus")
    penalty = _read_items(reader, data, "penalty")
    conditions: list[Condition] = []
    for index, entry in enumerate(_optional_list(reader, data, "conditions")):
        condition = _read_condition(reader, entry, join("conditions", index))
        if condition is not None:
            conditions.append(condition)
    if total is None:
        return None
    return Framework(
        name=name,
        total=total,
        groups=tuple(groups),
        bonus=tuple(bonus),
        penalty=tuple(penalty),
        conditions=tuple(conditions),
        bonus_cap=bonus_cap,
        penalty_cap=penalty_cap,
        extra=meta_extra,
    )


def _optional_list(reader: Reader, data: Mapping[str, object], key: str) -> list[object]:
    if data.get(key) is None:
        return []
    return list(reader.sequence(data[key], key) or ())


def _read_node(reader: Reader, entry: object, path: str, *, top_level: bool = False) -> Node | None:
    data = reader.mapping(entry, path)
    if data is None:
        return None
    if top_level or "leaves" in data:
        return _read_group(reader, data, path)
    return _read_leaf(reader, data, path)


def _read_group(reader: Reader, data: Mapping[str, object], path: str) -> Group | None:
    code = reader.string(data, "code", path, required=True)
    title = reader.string(data, "title", path, required=True)
    top = reader.number(data, "max", path, required=True)
    guidance = reader.string(data, "guidance", path) or ""
    children: list[Node] = []
    leaves_path = join(path, "leaves")
    entries = reader.sequence(data.get("leaves"), leaves_path) if "leaves" in data else None
    if entries is None and "leaves" not in data:
        reader.error(leaves_path, "bắt buộc phải có (danh sách tiêu chí của nhóm).")
    for index, entry in enumerate(entries or ()):
        child = _read_node(reader, entry, join(leaves_path, index))
        if child is not None:
            children.append(child)
    if code is None or title is None or top is None:
        return None
    extra = {key: value for key, value in data.items() if key not in GROUP_KEYS}
    return Group(code, title, top, tuple(children), guidance, extra)


def _read_leaf(reader: Reader, data: Mapping[str, object], path: str) -> Leaf | None:
    code = reader.string(data, "code", path, required=True)
    title = reader.string(data, "title", path, required=True)
    top = reader.number(data, "max", path, required=True)
    rule = reader.choice(data, "rule", path, Rule, required=True)
    formula = reader.choice(data, "formula", path, Formula)
    direction = reader.choice(data, "direction", path, Direction) or Direction.HIGHER
    levels = _read_levels(reader, data, path)
    tiers = _read_tiers(reader, data, path)
    step = reader.number(data, "step", path)
    points_each = reader.number(data, "points_each", path)
    target_registered = reader.boolean(data, "target_registered", path) or False
    per_capita = reader.string(data, "per_capita", path)
    cap_ratio = reader.number(data, "cap_ratio", path)
    source = reader.string(data, "source", path)
    guidance = reader.string(data, "guidance", path) or ""
    evidence = reader.string(data, "evidence", path) or ""
    if code is None or title is None or top is None or rule is None:
        return None
    extra = {key: value for key, value in data.items() if key not in LEAF_KEYS}
    return Leaf(
        code=code,
        title=title,
        max_points=top,
        rule=rule,
        formula=formula,
        direction=direction,
        levels=levels,
        tiers=tiers,
        step=step,
        points_each=points_each,
        target_registered=target_registered,
        per_capita=per_capita,
        cap_ratio=cap_ratio,
        source=source,
        guidance=guidance,
        evidence=evidence,
        extra=extra,
    )


def _read_levels(reader: Reader, data: Mapping[str, object], path: str) -> tuple[tuple[str, Decimal], ...]:
    if data.get("levels") is None:
        return ()
    levels_path = join(path, "levels")
    levels = reader.mapping(data["levels"], levels_path)
    if levels is None:
        return ()
    result: list[tuple[str, Decimal]] = []
    for name, value in levels.items():
        points = reader.decimal(value, join(levels_path, name))
        if points is not None:
            result.append((name, points))
    return tuple(result)


def _read_tiers(reader: Reader, data: Mapping[str, object], path: str) -> tuple[tuple[Decimal, Decimal], ...]:
    if data.get("tiers") is None:
        return ()
    tiers_path = join(path, "tiers")
    result: list[tuple[Decimal, Decimal]] = []
    for index, entry in enumerate(reader.sequence(data["tiers"], tiers_path) or ()):
        tier_path = join(tiers_path, index)
        if not isinstance(entry, list | tuple) or len(entry) != 2:  # a [threshold, points] pair
            reader.error(tier_path, "mỗi bậc là một cặp [ngưỡng, điểm].")
            continue
        threshold = reader.decimal(entry[0], join(tier_path, 0))
        points = reader.decimal(entry[1], join(tier_path, 1))
        if threshold is not None and points is not None:
            result.append((threshold, points))
    return tuple(result)


def _read_items(reader: Reader, data: Mapping[str, object], key: str) -> list[AdjustmentItem]:
    items: list[AdjustmentItem] = []
    for index, entry in enumerate(_optional_list(reader, data, key)):
        path = join(key, index)
        item_data = reader.mapping(entry, path)
        if item_data is None:
            continue
        item = _read_item(reader, item_data, path)
        if item is not None:
            items.append(item)
    return items


def _read_item(reader: Reader, data: Mapping[str, object], path: str) -> AdjustmentItem | None:
    code = reader.string(data, "code", path, required=True)
    title = reader.string(data, "title", path, required=True)
    rule = reader.choice(data, "rule", path, Rule)
    levels = _read_levels(reader, data, path)
    step = reader.number(data, "step", path)
    points_each = reader.number(data, "points_each", path)
    cap = reader.number(data, "cap", path)
    source = reader.string(data, "source", path)
    guidance = reader.string(data, "guidance", path) or ""
    if rule is None and "rule" not in data:
        if points_each is not None:
            rule = Rule.COUNT
        elif levels:
            rule = Rule.LEVELS
        else:
            reader.error(join(path, "rule"), "cần points_each (điểm mỗi lần), levels (các mức) hoặc rule: manual.")
    if code is None or title is None or rule is None:
        return None
    extra = {key: value for key, value in data.items() if key not in ITEM_KEYS}
    return AdjustmentItem(code, title, rule, points_each, levels, step, cap, source, guidance, extra)


def _read_condition(reader: Reader, entry: object, path: str) -> Condition | None:
    data = reader.mapping(entry, path)
    if data is None:
        return None
    code = reader.string(data, "code", path, required=True)
    title = reader.string(data, "title", path, required=True)
    guidance = reader.string(data, "guidance", path) or ""
    blocks: list[str] = []
    blocks_path = join(path, "blocks")
    for index, value in enumerate(_optional_list(reader, data, "blocks") if "blocks" in data else ()):
        if isinstance(value, str):
            blocks.append(value)
        else:
            reader.error(join(blocks_path, index), "tên danh hiệu phải là một chuỗi.")
    if code is None or title is None:
        return None
    extra = {key: value for key, value in data.items() if key not in CONDITION_KEYS}
    return Condition(code, title, tuple(blocks), guidance, extra)


# ---- export ----------------------------------------------------------------------------


def number_out(value: Decimal) -> int | float | str:
    """A Decimal for YAML/JSON export: int if whole without decimals, float if exact, else str."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


def framework_to_reference(framework: Framework) -> dict[str, Any]:
    """The framework as a reference-format document (canonical form, see module docstring)."""
    meta: dict[str, Any] = {"name": framework.name, "total": number_out(framework.total)}
    if framework.bonus_cap is not None:
        meta["bonus_cap"] = number_out(framework.bonus_cap)
    if framework.penalty_cap is not None:
        meta["penalty_cap"] = number_out(framework.penalty_cap)
    meta.update(framework.extra)
    document: dict[str, Any] = {"framework": meta, "groups": [_node_out(group) for group in framework.groups]}
    if framework.bonus:
        document["bonus"] = [_item_out(item) for item in framework.bonus]
    if framework.penalty:
        document["penalty"] = [_item_out(item) for item in framework.penalty]
    if framework.conditions:
        document["conditions"] = [_condition_out(condition) for condition in framework.conditions]
    return document


def _node_out(node: Node) -> dict[str, Any]:
    if isinstance(node, Group):
        out: dict[str, Any] = {"code": node.code, "title": node.title, "max": number_out(node.max_points)}
        out["leaves"] = [_node_out(child) for child in node.children]
        if node.guidance:
            out["guidance"] = node.guidance
        out.update(node.extra)
        return out
    return _leaf_out(node)


def _leaf_out(leaf: Leaf) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": leaf.code,
        "title": leaf.title,
        "max": number_out(leaf.max_points),
        "rule": leaf.rule.value,
    }
    if leaf.formula is not None:
        out["formula"] = leaf.formula.value
    if leaf.direction is not Direction.HIGHER:
        out["direction"] = leaf.direction.value
    if leaf.levels:
        out["levels"] = {name: number_out(points) for name, points in leaf.levels}
    if leaf.tiers:
        out["tiers"] = [[number_out(threshold), number_out(points)] for threshold, points in leaf.tiers]
    if leaf.step is not None:
        out["step"] = number_out(leaf.step)
    if leaf.points_each is not None:
        out["points_each"] = number_out(leaf.points_each)
    if leaf.target_registered:
        out["target_registered"] = True
    if leaf.per_capita is not None:
        out["per_capita"] = leaf.per_capita
    if leaf.cap_ratio is not None:
        out["cap_ratio"] = number_out(leaf.cap_ratio)
    if leaf.source is not None:
        out["source"] = leaf.source
    if leaf.guidance:
        out["guidance"] = leaf.guidance
    if leaf.evidence:
        out["evidence"] = leaf.evidence
    out.update(leaf.extra)
    return out


def _item_out(item: AdjustmentItem) -> dict[str, Any]:
    out: dict[str, Any] = {"code": item.code, "title": item.title}
    if item.rule is not Rule.COUNT or item.points_each is None:
        out["rule"] = item.rule.value
    if item.levels:
        out["levels"] = {name: number_out(points) for name, points in item.levels}
    if item.step is not None:
        out["step"] = number_out(item.step)
    if item.points_each is not None:
        out["points_each"] = number_out(item.points_each)
    if item.cap is not None:
        out["cap"] = number_out(item.cap)
    if item.source is not None:
        out["source"] = item.source
    if item.guidance:
        out["guidance"] = item.guidance
    out.update(item.extra)
    return out


def _condition_out(condition: Condition) -> dict[str, Any]:
    out: dict[str, Any] = {"code": condition.code, "title": condition.title, "blocks": list(condition.blocks)}
    if condition.guidance:
        out["guidance"] = condition.guidance
    out.update(condition.extra)
    return out
