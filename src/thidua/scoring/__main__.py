"""Command line of the scoring engine.

    python -m thidua.scoring compute INPUT.json [--no-explanations]
    python -m thidua.scoring validate INPUT.json
    python -m thidua.scoring verify EXPORT.json

`compute` prints every school's leaf points, group points, bonus, penalty, total, rank and
eligibility as JSON (each number as {"exact": …, "display": …}). A document with a `review`
section and each school's `reviewers` entries is computed as the product publishes a reviewed
cluster (``thidua.scoring.engine.reviewjson``): every reviewer's points, the reconciled finals
per leaf, totals, ranks and eligibility on the finals, and agreement per leaf. `validate` prints the
framework's problems. Bad input exits with status 2 and a list of messages on stderr.
`verify` reads a campaign's results export (``manage.py export_results``) and recomputes it
(``thidua.scoring.verify``): self points from the self-assessed inputs, each reviewer's points
from that reviewer's inputs, the policy's finals, totals, ranks, bands and eligibility; it
checks every entered value against the digest written with it. It exits 0 when everything is
identical and 1 naming every difference (school, criterion, expected vs found). It prints the
file's fingerprint (SHA-256); ``--fingerprint HEX`` also compares it with the one the results
page shows from publication.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from thidua.scoring.engine import (
    EngineError,
    Severity,
    cluster_result_to_json,
    compute_cluster,
    parse_cluster_document,
    validate_framework,
)
from thidua.scoring.engine.jsonio import parse_json, schema_problems
from thidua.scoring.engine.reviewjson import compute_reviewed_cluster, parse_review_document, reviewed_cluster_to_json
from thidua.scoring.verify import UnsupportedExportError, fingerprint, verify_export

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
    verify.add_argument("--fingerprint", help="the fingerprint shown with the published results, to compare")
    args = parser.parse_args(argv)
    if args.command == "verify":
        return _verify(args.input, args.fingerprint)
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
        notices = [problem for problem in checked if problem.severity is Severity.NOTICE]
        settings, entries = parse_review_document(document)
        if settings is not None:
            done = compute_reviewed_cluster(framework, inputs, settings, entries, explain=not args.no_explanations)
            _print(reviewed_cluster_to_json(done, notices=notices))
            return 0
        if entries:
            return _fail(["Có số liệu của người chấm ('reviewers') nhưng thiếu mục 'review' (cách thống nhất điểm)."])
        result = compute_cluster(framework, inputs, explain=not args.no_explanations)
    except EngineError as exc:
        return _fail([str(problem) for problem in exc.problems])
    _print(cluster_result_to_json(result, notices=notices))
    return 0


def _verify(path: Path, expected_fingerprint: str | None = None) -> int:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return _fail([f"{path}: không đọc được tệp ({exc})."])
    if not isinstance(document, dict):
        return _fail([f"{path}: không phải tệp xuất kết quả (cần một đối tượng JSON)."])
    try:
        differences = verify_export(document)
    except UnsupportedExportError as exc:
        return _fail([f"{path}: không phải tệp xuất kết quả kiểm tra được ({exc})."])
    except (EngineError, KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        messages = (
            [str(p) for p in exc.problems] if isinstance(exc, EngineError) else [f"Tệp không đúng cấu trúc: {exc!r}"]
        )
        return _fail(messages)
    found = fingerprint(document)
    if expected_fingerprint and expected_fingerprint.strip().lower() != found:
        differences.append(
            f"dấu vân tay của tệp là {found}, khác dấu vân tay lúc công bố {expected_fingerprint.strip().lower()}"
        )
    sys.stdout.write(f"Dấu vân tay (SHA-256) của tệp: {found}\n")
    if differences:
        sys.stderr.write(f"Có {len(differences)} chỗ khác khi tính lại:\n")
        for difference in differences:
            sys.stderr.write(f"  - {difference}\n")
        return EXIT_DIFFERENT
    sys.stdout.write(f"Khớp: đã tính lại {len(document['schools'])} trường, kết quả giống hệt tệp xuất.\n")
    return 0


def _print(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fail(messages: list[str]) -> int:
    sys.stderr.write(f"Dữ liệu không hợp lệ ({len(messages)} lỗi):\n")
    for message in messages:
        sys.stderr.write(f"  - {message}\n")
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
