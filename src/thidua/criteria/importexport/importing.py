"""An import from start to end: the file read by its content (XLSX or YAML), every problem
collected (the reader's, the engine's, the storage's) at its place and in reading order, and
the new draft saved only when there is none."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from thidua.criteria import services
from thidua.criteria.importexport.problems import ImportProblem, ImportProblems, Parsed
from thidua.criteria.importexport.xlsx_import import read_xlsx
from thidua.criteria.importexport.xlsx_layout import COLUMN_KEYS, SHEETS
from thidua.criteria.importexport.yaml_import import _PATH_TOKEN, read_yaml, yaml_line
from thidua.criteria.models import Framework
from thidua.organizations.models import Cluster
from thidua.scoring.engine.errors import FormatError, Problem
from thidua.scoring.engine.reference_format import framework_from_reference, framework_to_reference

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def locate(parsed: Parsed, problem: Problem) -> ImportProblem | None:
    """An engine problem (its node is a document path) at its sheet, row and column; None for
    a value missing only because its whole column is (that is reported once, for the column)."""
    path = problem.node
    if parsed.yaml_root is not None:
        return ImportProblem(None, yaml_line(parsed.yaml_root, path), path or None, problem.message)
    best = ""
    for candidate in parsed.places:
        if (path == candidate or path.startswith((f"{candidate}.", f"{candidate}["))) and len(candidate) > len(best):
            best = candidate
    if not best:
        return ImportProblem(None, None, path or None, problem.message)
    where = parsed.places[best]
    rest = path[len(best) :].lstrip(".")
    key = _PATH_TOKEN.findall(rest)[0][1] if rest else ""
    if where.sheet is not None and (where.sheet, key) in parsed.missing:
        return None
    column = where.columns.get(key) if key else where.default
    if column is None and key and key not in COLUMN_KEYS:
        column = where.columns.get("extra")  # a key without its own column is written there
    message = problem.message
    if rest and rest != key:
        message = f"{rest}: {message}"
    elif key and column is None:
        message = f"{key}: {message}"
    return ImportProblem(where.sheet, where.row, column, message)


def too_large() -> ImportProblem:
    return ImportProblem(None, None, None, _("Tệp lớn hơn %(n)s MB.") % {"n": MAX_IMPORT_BYTES // (1024 * 1024)})


def read_file(data: bytes, filename: str) -> Parsed:
    """The file read by its content (an XLSX is a zip) or, failing that, its extension."""
    suffix = PurePath(filename).suffix.lower()
    if not data:
        return Parsed(None, problems=[ImportProblem(None, None, None, _("Tệp trống."))])
    if len(data) > MAX_IMPORT_BYTES:
        return Parsed(None, problems=[too_large()])
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        message = _("Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy mở và lưu lại thành .xlsx.")
        return Parsed(None, problems=[ImportProblem(None, None, None, message)])
    if suffix in (".xlsx", ".xlsm") or b"\x00" in data:
        message = _("Tệp “%(f)s” không phải là tệp Excel (.xlsx) hay YAML hợp lệ.") % {"f": filename}
        return Parsed(None, problems=[ImportProblem(None, None, None, message)])
    return read_yaml(data)


def check(parsed: Parsed) -> list[ImportProblem]:
    """Every problem of a parsed file: the reader's, then the engine's and the storage's, each
    at its place (a problem already reported at the same cell is not repeated)."""
    problems = list(parsed.problems)
    if parsed.document is None:
        return problems
    try:
        canonical = framework_to_reference(framework_from_reference(parsed.document))
    except FormatError as exc:
        found = list(exc.problems)
    else:
        found = services.storage_problems(canonical)
    taken = {(p.sheet, p.row, p.column) for p in problems}
    for problem in found:
        located = locate(parsed, problem)
        if located is None:
            continue
        if located.sheet is None or (located.sheet, located.row, located.column) not in taken:
            problems.append(located)
    return sorted(problems, key=_reading_order)


_SHEET_ORDER = {layout.name: index for index, layout in enumerate(SHEETS)}


def _reading_order(problem: ImportProblem) -> tuple[int, int, int]:
    """Sheet by sheet in the workbook's order, then row, then column (as a person reads); the
    sort is stable, so problems of one place keep the order they were found in."""
    sheet = _SHEET_ORDER.get(problem.sheet or "", -1)
    letters = (problem.column or "").split(" ")[0]
    column = sum(26**i * (ord(c) - 64) for i, c in enumerate(reversed(letters))) if letters.isalpha() else 0
    return (sheet, problem.row or 0, column)


def import_file(
    *, actor: Any, data: bytes, filename: str, cluster: Cluster | None = None, year: int | None = None
) -> Framework:
    """A new draft framework from a YAML or XLSX file; raises ``ImportProblems`` (nothing saved)."""
    parsed = read_file(data, filename)
    problems = check(parsed)
    if problems:
        raise ImportProblems(problems)
    try:
        return services.create_from_document(
            actor=actor, document=parsed.document, cluster=cluster, year=year, source=filename
        )
    except FormatError as exc:  # checked above; kept for a document the checks let through
        located = [locate(parsed, problem) or ImportProblem(None, None, None, str(problem)) for problem in exc.problems]
        raise ImportProblems(located) from exc
