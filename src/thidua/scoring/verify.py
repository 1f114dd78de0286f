"""Checking a campaign's results export (``manage.py export_results``), without the database.

The export holds what was *entered* — the framework, the campaign's settings, each school's
profile, self-assessed inputs and conditions, each reviewer's inputs (pseudonymous: R1, R2 …),
the secretariat's decisions — and what was *computed* from it: self points, each reviewer's
points, bonus and penalty points, the policy's finals, totals, ranks, bands, eligibility.

`verify_export` checks both halves:

1. **Recomputation.** Self points from the self-assessed inputs; every reviewer's points from
   the inputs that reviewer entered (the rule of ``engine.reviewed``); the policy's final of
   every leaf from the recomputed reviewers' points; totals, ranks, bands and eligibility
   from the finals. Any computed value that differs is named (school, criterion, expected
   vs found).
2. **Entered values.** The export carries a digest (SHA-256, 16 hex digits) of every entered
   value, taken when it was written. An entered value changed afterwards — even one whose
   change moves no point, such as a count above the cap — no longer matches its digest and
   is named.

A hand edit is therefore always named. Someone who rewrites values *and* digests *and* every
computed number consistently produces a different file: its `fingerprint` (SHA-256 of the
whole document) no longer matches the one the results page shows from publication, which
``python -m thidua.scoring verify --fingerprint`` compares.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from thidua.scoring.engine import EngineError, SchoolInput, compute_cluster
from thidua.scoring.engine.decimals import exact, parse_exact
from thidua.scoring.engine.jsonio import parse_leaf_inputs, parse_school_input
from thidua.scoring.engine.model import ClusterInput, Framework, Leaf, LeafInput
from thidua.scoring.engine.points import SchoolPoints, compute_from_points
from thidua.scoring.engine.reconcile import Policy, is_judgement, reconcile_points
from thidua.scoring.engine.reference_format import framework_from_reference
from thidua.scoring.engine.results import ClusterResult
from thidua.scoring.engine.reviewed import reviewer_points

EXPORT_FORMAT = "thidua-results/2"
DIGEST_LENGTH = 16
# Keys a stored copy may carry beside the export, outside the fingerprint and the checks.
UNSEALED = frozenset({"rank_intervals"})
SEP = "|"


class UnsupportedExportError(ValueError):
    """The document is not a results export this version can check."""


# --- digests and fingerprint -----------------------------------------------------------------


def canonical(value: object) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters as they are."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: object) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:DIGEST_LENGTH]


def fingerprint(document: Mapping[str, Any]) -> str:
    """SHA-256 of the whole export (without the unsealed keys of a stored copy)."""
    sealed = {key: value for key, value in document.items() if key not in UNSEALED}
    return hashlib.sha256(canonical(sealed).encode()).hexdigest()


def entered_values(document: Mapping[str, Any]) -> Iterator[tuple[str, object]]:
    """Every entered value of an export with its key ("TG|leaves|I.1", "TG|R2|I.1" …)."""
    yield "campaign", document.get("campaign")
    yield "framework", document.get("framework")
    for school in document.get("schools") or ():
        code = str(school.get("code"))
        inputs = school.get("inputs") or {}
        yield SEP.join((code, "name")), school.get("name")
        yield SEP.join((code, "profile")), school.get("profile")
        yield SEP.join((code, "conditions")), inputs.get("conditions")
        for section in ("leaves", "bonus", "penalty"):
            for item, value in (inputs.get(section) or {}).items():
                yield SEP.join((code, section, item)), value
        for reviewer, values in (school.get("reviewer_inputs") or {}).items():
            yield SEP.join((code, reviewer)), sorted(values or {})
            for leaf, value in (values or {}).items():
                yield SEP.join((code, reviewer, leaf)), value
        for leaf, final in (school.get("final") or {}).items():
            decided = {"source": final.get("source"), "reason": final.get("reason")}
            if final.get("source") != "policy":
                decided["points"] = final.get("points")
            yield SEP.join((code, "final", leaf)), decided


def input_digests(document: Mapping[str, Any]) -> dict[str, str]:
    return {key: digest(value) for key, value in entered_values(document)}


def describe(key: str) -> str:
    """A Vietnamese name for an entered value's key."""
    parts = key.split(SEP)
    if key == "campaign":
        return "thông tin đợt (cách thống nhất, thứ tự phân định, xếp loại)"
    if key == "framework":
        return "bảng tiêu chí"
    school, rest = parts[0], parts[1:]
    if rest == ["name"]:
        return f"{school}: tên trường"
    if rest == ["profile"]:
        return f"{school}: số liệu quy mô"
    if rest == ["conditions"]:
        return f"{school}: điều kiện xét danh hiệu"
    section_names = {
        "leaves": "số liệu tự chấm",
        "bonus": "số liệu điểm thưởng",
        "penalty": "số liệu điểm trừ",
        "final": "quyết định thống nhất điểm",
    }
    if len(rest) == 2 and rest[0] in section_names:
        return f"{school} {rest[1]}: {section_names[rest[0]]}"
    if len(rest) == 1:
        return f"{school}: danh sách tiêu chí người chấm {rest[0]} đã nhập"
    return f"{school} {rest[1]}: số liệu người chấm {rest[0]} nhập"


# --- verification ----------------------------------------------------------------------------


def band_of(total: Decimal, bands: Sequence[Mapping[str, Any]]) -> str:
    """The first band (highest minimum first) whose minimum the total reaches, else ""."""
    ordered = sorted(bands, key=lambda band: Decimal(str(band.get("min", 0))), reverse=True)
    for band in ordered:
        if total >= Decimal(str(band.get("min", 0))):
            return str(band.get("label", ""))
    return ""


def _same(expected: object, found: object) -> bool:
    try:
        return Decimal(str(expected)) == Decimal(str(found))
    except ArithmeticError:
        return expected == found


def verify_export(document: Mapping[str, Any]) -> list[str]:
    """Every difference between a results export and its recomputation (empty: identical).

    Raises `UnsupportedExportError` for another format, `EngineError` for a framework or inputs the
    engine cannot read, `KeyError`/`TypeError`/`ValueError` for a document of the wrong shape.
    """
    if document.get("format") != EXPORT_FORMAT:
        raise UnsupportedExportError(f"định dạng {document.get('format')!r}, cần {EXPORT_FORMAT!r}")
    differences = _check_digests(document)
    framework = framework_from_reference(document["framework"])
    campaign = document["campaign"]
    policy = Policy(campaign["policy"])
    schools = list(document["schools"])
    inputs = {str(school["code"]): _school_input(school) for school in schools}
    self_result = _self_result(framework, inputs, differences)
    corrections = {
        str(school["code"]): {
            str(reviewer): parse_leaf_inputs(values, f"schools.{school['code']}.reviewer_inputs.{reviewer}")
            for reviewer, values in (school.get("reviewer_inputs") or {}).items()
        }
        for school in schools
    }
    # Every reviewer's points are computed against the other schools' self-assessed inputs:
    # when the engine refuses those, nothing a reviewer gave can be recomputed (said once).
    reviewed = reviewer_points(framework, inputs, corrections) if self_result is not None else None
    if reviewed is None:
        differences.append(
            "không tính lại được điểm của người chấm và điểm thống nhất theo đề xuất: số liệu tự chấm "
            "trong tệp bị bộ chấm điểm từ chối (xem trên)"
        )
    else:
        differences.extend(dict.fromkeys(f"người chấm: {problem}" for problem in reviewed.problems))
    points: list[SchoolPoints] = []
    for school in schools:
        code = str(school["code"])
        mine = self_result.school(code) if self_result is not None else None
        if mine is not None:
            differences.extend(_self_differences(code, school, mine))
        by_leaf = reviewed.points.get(code, {}) if reviewed is not None else None
        if by_leaf is not None:
            differences.extend(_review_differences(code, school.get("reviews") or {}, by_leaf))
        finals = _finals(framework, policy, code, school, by_leaf, differences)
        bonus = (
            {k: v.points for k, v in mine.bonus.items.items() if not v.missing}
            if mine is not None
            else {k: Decimal(v) for k, v in (school.get("bonus_points") or {}).items()}
        )
        penalty = (
            {k: v.points for k, v in mine.penalty.items.items() if not v.missing}
            if mine is not None
            else {k: Decimal(v) for k, v in (school.get("penalty_points") or {}).items()}
        )
        points.append(SchoolPoints(code, finals, bonus, penalty, dict(inputs[code].conditions), inputs[code].name))
    tie_break = tuple(campaign.get("tie_break") or ())
    result = compute_from_points(framework, points, tie_break, explain=False)
    differences.extend(_result_differences(result, list(campaign.get("bands") or []), document.get("results") or []))
    return differences


def _check_digests(document: Mapping[str, Any]) -> list[str]:
    recorded = document.get("digests")
    if not isinstance(recorded, Mapping):
        return ["tệp không có mã kiểm tra của số liệu đã nhập (digests)"]
    found = input_digests(document)
    differences = []
    for key, value in found.items():
        if key not in recorded:
            differences.append(f"{describe(key)}: có trong tệp nhưng không có lúc xuất")
        elif recorded[key] != value:
            differences.append(f"{describe(key)}: đã bị sửa sau khi xuất")
    for key in recorded:
        if key not in found:
            differences.append(f"{describe(key)}: có lúc xuất nhưng đã bị xóa khỏi tệp")
    return differences


def _school_input(school: Mapping[str, Any]) -> SchoolInput:
    code = str(school["code"])
    given = school.get("inputs") or {}
    return parse_school_input(
        {
            "code": code,
            "name": school.get("name") or "",
            "profile": school.get("profile") or {},
            "leaves": given.get("leaves") or {},
            "bonus": given.get("bonus") or {},
            "penalty": given.get("penalty") or {},
            "conditions": given.get("conditions") or {},
        },
        f"schools.{code}",
    )


def _self_result(framework: Framework, inputs: dict[str, SchoolInput], differences: list[str]) -> ClusterResult | None:
    try:
        return compute_cluster(framework, ClusterInput(tuple(inputs.values())), explain=False)
    except EngineError as exc:
        differences.extend(f"số liệu tự chấm: {problem}" for problem in exc.problems)
        return None


def _self_differences(code: str, school: Mapping[str, Any], mine: Any) -> list[str]:
    differences = []
    sections = (
        ("self_points", "điểm tự chấm", dict(mine.leaves)),
        ("bonus_points", "điểm thưởng", dict(mine.bonus.items)),
        ("penalty_points", "điểm trừ", dict(mine.penalty.items)),
    )
    for key, what, computed in sections:
        found = dict(school.get(key) or {})
        for item, entry in computed.items():
            expected = None if entry.missing else entry.points
            value = found.pop(item, None)
            if expected is None and value is None:
                continue
            if expected is None or value is None or not _same(expected, value):
                differences.append(
                    f"{code} {item}: {what} tính lại từ số liệu là {_show(expected)}, trong tệp là {_show(value)}"
                )
        for item, value in found.items():
            differences.append(f"{code} {item}: {what} {value} trong tệp không thuộc tiêu chí nào có số liệu")
    return differences


def _review_differences(
    code: str, exported: Mapping[str, Any], by_leaf: Mapping[str, Mapping[str, Decimal]]
) -> list[str]:
    differences = []
    leaves = sorted(set(exported) | set(by_leaf))
    for leaf in leaves:
        found = dict(exported.get(leaf) or {})
        for reviewer, expected in (by_leaf.get(leaf) or {}).items():
            value = found.pop(reviewer, None)
            if value is None or not _same(expected, value):
                differences.append(
                    f"{code} {leaf}: điểm của người chấm {reviewer} tính lại từ số liệu người chấm nhập là "
                    f"{_show(expected)}, trong tệp là {_show(value)}"
                )
        for reviewer, value in found.items():
            differences.append(f"{code} {leaf}: điểm {value} của người chấm {reviewer} không có số liệu nhập tương ứng")
    return differences


def _finals(
    framework: Framework,
    policy: Policy,
    code: str,
    school: Mapping[str, Any],
    by_leaf: Mapping[str, Mapping[str, Decimal]] | None,
    differences: list[str],
) -> dict[str, Decimal]:
    """The exported finals; those from the policy checked against the recomputed reviewers'
    points (`by_leaf`; None: they could not be recomputed, so not checked)."""
    finals: dict[str, Decimal] = {}
    exported = school.get("final") or {}
    for leaf in framework.leaves():
        final = exported.get(leaf.code)
        if final is None:
            differences.append(f"{code} {leaf.code}: thiếu điểm thống nhất")
            continue
        finals[leaf.code] = Decimal(final["points"])
        if final["source"] == "policy":
            if by_leaf is None:
                _restore_from_exported(finals, leaf, policy, school, final)
                continue
            scores = list((by_leaf.get(leaf.code) or {}).values())
            try:
                proposal = reconcile_points(scores, policy, judgement=is_judgement(leaf))
            except EngineError as exc:
                differences.append(f"{code} {leaf.code}: {exc.problems[0].message}")
                continue
            if proposal is not None and _same(proposal, final["points"]):
                # The policy's exact value (26/3), which the export shows to 20 decimals.
                finals[leaf.code] = proposal
            else:
                differences.append(
                    f"{code} {leaf.code}: điểm thống nhất theo cách thống nhất của đợt phải là {_show(proposal)}, "
                    f"trong tệp là {final['points']}"
                )
        elif not str(final.get("reason") or "").strip():
            differences.append(f"{code} {leaf.code}: điểm quyết định lại không có lý do")
    return finals


def _restore_from_exported(
    finals: dict[str, Decimal], leaf: Leaf, policy: Policy, school: Mapping[str, Any], final: Mapping[str, Any]
) -> None:
    """Reviewers' points that cannot be recomputed are not checked, but the policy's exact
    value of the exported ones (26/3, shown to 20 decimals) still stands for the final, so the
    totals are compared as the application computed them."""
    try:
        exported = ((school.get("reviews") or {}).get(leaf.code) or {}).values()
        scores = [simplest_reading(str(value)) or parse_exact(str(value)) for value in exported]
        proposal = reconcile_points(scores, policy, judgement=is_judgement(leaf))
    except (EngineError, ValueError):
        return
    if proposal is not None and _same(proposal, final["points"]):
        finals[leaf.code] = proposal
        return
    restored = simplest_reading(str(final["points"]))
    if restored is not None:
        finals[leaf.code] = restored


def simplest_reading(text: str) -> Decimal | None:
    """The simplest fraction whose 20-decimal reading is `text` ("0.33333333333333333333" →
    1/3), for a value written with exactly 20 decimals (how an `Exact` is exported); None for
    any other text. Used only where the exact value cannot be recomputed."""
    whole, dot, decimals = text.strip().partition(".")
    if not dot or len(decimals) != 20 or not (whole.lstrip("-") + decimals).isdigit():
        return None
    shown = Fraction(Decimal(text.strip()))
    half = Fraction(1, 2 * 10**20)
    found = _simplest_between(shown - half, shown + half)
    return exact(found) if str(exact(found)) == f"{Decimal(text.strip()):f}" else None


def _simplest_between(low: Fraction, high: Fraction) -> Fraction:
    """The fraction with the smallest denominator in [low, high] (low ≥ 0)."""
    floor = math.floor(low)
    if floor == low:
        return Fraction(floor)
    if floor + 1 <= high:
        return Fraction(floor + 1)
    return floor + 1 / _simplest_between(1 / (high - floor), 1 / (low - floor))


def _result_differences(result: ClusterResult, bands: list[dict[str, object]], entries: list[Any]) -> list[str]:
    differences: list[str] = []
    found = {entry["code"]: entry for entry in entries}
    for school in result.schools:
        entry = found.pop(school.code, None)
        if entry is None:
            differences.append(f"{school.code}: thiếu trong kết quả")
            continue
        checks: list[tuple[str, object, object, bool]] = [
            ("tổng điểm", school.total, entry.get("total"), True),
            ("thứ hạng", school.rank_label, entry.get("rank_label"), False),
            ("thứ hạng (số)", school.rank, entry.get("rank"), False),
            ("xếp loại", band_of(school.total, bands), entry.get("band", ""), False),
            ("danh hiệu đủ điều kiện", list(school.eligibility.eligible_titles), entry.get("eligible_titles"), False),
        ]
        groups = entry.get("groups") or {}
        for group, group_result in school.groups.items():
            checks.append((f"nhóm {group}", group_result.points, groups.get(group), True))
        for what, expected, found_value, numeric in checks:
            same = found_value is not None and _same(expected, found_value) if numeric else expected == found_value
            if not same:
                differences.append(
                    f"{school.code}: {what} tính lại là {_show(expected)}, trong tệp là {_show(found_value)}"
                )
    for code in found:
        differences.append(f"{code}: có trong kết quả nhưng không có trong danh sách trường")
    return differences


def _show(value: object) -> str:
    return "(không có)" if value is None else str(value)


def leaf_inputs_json(given: LeafInput) -> dict[str, Any]:
    """The JSON of one input, as the export writes it (numbers as exact strings)."""
    out: dict[str, Any] = {}
    for name in ("points", "passed", "level", "count", "actual", "target"):
        value = getattr(given, name)
        if value is None:
            continue
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out
