"""Command line of the scoring engine.

    python -m thidua.scoring compute INPUT.json [--no-explanations]
    python -m thidua.scoring validate INPUT.json

`compute` prints every school's leaf points, group points, bonus, penalty, total, rank and
eligibility as JSON (each number as {"exact": …, "display": …}). `validate` prints the
framework's problems. Bad input exits with status 2 and a list of messages on stderr.
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

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m thidua.scoring", description="Thi đua scoring engine")
    commands = parser.add_subparsers(dest="command", required=True)
    compute = commands.add_parser("compute", help="compute a cluster from a JSON cluster-input file")
    compute.add_argument("input", type=Path, help="cluster-input JSON file")
    compute.add_argument("--no-explanations", action="store_true", help="leave explanations empty (faster)")
    validate = commands.add_parser("validate", help="validate the framework of a JSON cluster-input file")
    validate.add_argument("input", type=Path, help="cluster-input JSON file")
    args = parser.parse_args(argv)
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


def _print(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _fail(messages: list[str]) -> int:
    sys.stderr.write(f"Dữ liệu không hợp lệ ({len(messages)} lỗi):\n")
    for message in messages:
        sys.stderr.write(f"  - {message}\n")
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
