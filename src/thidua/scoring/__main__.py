"""Command line of the scoring engine.

    python -m thidua.scoring compute INPUT.json [--no-explanations]
    python -m thidua.scoring validate INPUT.json
    python -m thidua.scoring verify EXPORT.json

`compute` prints every school's leaf points, group points, bonus, penalty, total, rank and
eligibility as JSON (each number as {"exact": …, "display": …}). `validate` prints the
framework's problems. Bad input exits with status 2 and a list of messages on stderr.
`verify` reads a campaign's results export (``manage.py export_results``), re-reconciles every
final score whose source is the policy from the reviewers' points, recomputes totals, ranks,
bands and eligibility from the framework and the final points, and exits 0 when everything is
identical, 1 listing every difference (school, criterion, expected vs found).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from thidua.scoring.engine import (
    EngineError,
    Severity,
    cluster_result_to_json,
    compute_cluster,
    parse_cluster_document,
    validate_framework,
)
from thidua.scoring.engine.jsonio import parse_json, schema_problems
from thidua.scoring.engine.points import SchoolPoints, compute_from_points
from thidua.scoring.engine.reconcile import Policy, reconcile_points
from thidua.scoring.engine.reference_format import framework_from_reference

EXIT_BAD_INPUT = 2
EXIT_DIFFERENT = 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m thidua.scoring", description="Thi đua scoring engine")
    commands = parser.add_subparsers(dest="command", required=True)
    compute = commands.add_parser("compute", help="compute a cluster from a JSON cluster-input file")
    compute.add_argument("input", type=Path, help="cluster-input JSON file")
    compute.add_argument("--no-explanations", action="store_true", help="leave explanations empty (faster)")
    validate = commands.add_parser("validate", help="validate the framework of a JSON cluster-input file")
    validate.add_argument("input", type=Path, help="cluster-input JSON file")
    verify = commands.add_parser("verify", help="recompute a results export and list every difference")
    verify.add_argument("input", type=Path, help="results export JSON file")
    args = parser.parse_args(argv)
    if args.command == "verify":
        return _verify(args.input)
    try:
        text = args.input.read_bytes()
    except OSError as exc:
        return _fail([f"{args.input}: không đọc được tệp ({exc.strerror})."])
    try:
        document = parse_json(text)
        framework, inputs = parse_cluster_document(document)
        problems = schema_problems(document)
        if problems:
            return _fail([str(problem) for problem in problems])
        checked = validate_framework(framework)
        if args.command == "validate":
            _print(
                [{"code": p.code, "node": p.node, "severity": p.severity.value, "message": p.message} for p in checked]
            )
            return EXIT_BAD_INPUT if any(p.severity is Severity.ERROR for p in checked) else 0
        result = compute_cluster(framework, inputs, explain=not args.no_explanations)
    except EngineError as exc:
        return _fail([str(problem) for problem in exc.problems])
    notices = [problem for problem in checked if problem.severity is Severity.NOTICE]
    _print(cluster_result_to_json(result, notices=notices))
    return 0


def _verify(path: Path) -> int:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return _fail([f"{path}: không đọc được tệp ({exc})."])
    try:
        differences = verify_export(document)
    except (EngineError, KeyError, TypeError, ValueError, ArithmeticError) as exc:
        messages = (
            [str(p) for p in exc.problems] if isinstance(exc, EngineError) else [f"Tệp không đúng cấu trúc: {exc!r}"]
        )
        return _fail(messages)
    if differences:
        sys.stderr.write(f"Có {len(differences)} chỗ khác khi tính lại:\n")
        for difference in differences:
            sys.stderr.write(f"  - {difference}\n")
        return EXIT_DIFFERENT
    sys.stdout.write(f"Khớp: đã tính lại {len(document['schools'])} trường, kết quả giống hệt tệp xuất.\n")
    return 0


def _band(total: Decimal, bands: list[dict[str, object]]) -> str:
    ordered = sorted(bands, key=lambda band: Decimal(str(band.get("min", 0))), reverse=True)
    for band in ordered:
        if total >= Decimal(str(band.get("min", 0))):
            return str(band.get("label", ""))
    return ""


def verify_export(document: dict[str, Any]) -> list[str]:
    """Every difference between a results export and its recomputation (empty: identical)."""
    framework = framework_from_reference(document["framework"])
    campaign = document["campaign"]
    policy = Policy(campaign["policy"])
    tie_break = tuple(campaign.get("tie_break") or ())
    bands = list(campaign.get("bands") or [])
    differences: list[str] = []
    points: list[SchoolPoints] = []
    leaf_codes = [leaf.code for leaf in framework.leaves()]
    for school in document["schools"]:
        code = school["code"]
        finals: dict[str, Decimal] = {}
        for leaf in leaf_codes:
            final = school["final"].get(leaf)
            if final is None:
                differences.append(f"{code} {leaf}: thiếu điểm thống nhất")
                continue
            finals[leaf] = Decimal(final["points"])
            if final["source"] == "policy":
                reviews = school.get("reviews", {}).get(leaf, {})
                try:
                    proposal = reconcile_points([Decimal(v) for v in reviews.values()], policy)
                except EngineError as exc:
                    differences.append(f"{code} {leaf}: {exc.problems[0].message}")
                    continue
                if proposal != finals[leaf]:
                    differences.append(
                        f"{code} {leaf}: điểm thống nhất theo cách thống nhất của đợt phải là {proposal}, "
                        f"trong tệp là {final['points']}"
                    )
            elif not str(final.get("reason") or "").strip():
                differences.append(f"{code} {leaf}: điểm quyết định lại không có lý do")
        points.append(
            SchoolPoints(
                code=code,
                leaves=finals,
                bonus={k: Decimal(v) for k, v in school.get("bonus_points", {}).items()},
                penalty={k: Decimal(v) for k, v in school.get("penalty_points", {}).items()},
                conditions=dict(school.get("inputs", {}).get("conditions", {})),
                name=school.get("name", ""),
            )
        )
    result = compute_from_points(framework, points, tie_break, explain=False)
    found = {entry["code"]: entry for entry in document.get("results", [])}
    for school in result.schools:
        entry = found.pop(school.code, None)
        if entry is None:
            differences.append(f"{school.code}: thiếu trong kết quả")
            continue
        checks: list[tuple[str, object, object]] = [
            ("tổng điểm", str(school.total), entry.get("total")),
            ("thứ hạng", school.rank_label, entry.get("rank_label")),
            ("xếp loại", _band(school.total, bands), entry.get("band", "")),
            ("danh hiệu đủ điều kiện", list(school.eligibility.eligible_titles), entry.get("eligible_titles")),
        ]
        if entry.get("rank") != school.rank:
            checks.append(("thứ hạng (số)", school.rank, entry.get("rank")))
        for group, value in school.groups.items():
            if group in entry.get("groups", {}):
                checks.append((f"nhóm {group}", str(value.points), entry["groups"][group]))
        for what, expected, found_value in checks:
            if what.startswith(("tổng", "nhóm")) and found_value is not None and expected is not None:
                same = Decimal(str(expected)) == Decimal(str(found_value))
            else:
                same = expected == found_value
            if not same:
                differences.append(f"{school.code}: {what} tính lại là {expected}, trong tệp là {found_value}")
    for code in found:
        differences.append(f"{code}: có trong kết quả nhưng không có trong danh sách trường")
    return differences


def _print(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fail(messages: list[str]) -> int:
    sys.stderr.write(f"Dữ liệu không hợp lệ ({len(messages)} lỗi):\n")
    for message in messages:
        sys.stderr.write(f"  - {message}\n")
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
