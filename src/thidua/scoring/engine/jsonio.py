"""The JSON cluster-input format and the JSON form of results.

A cluster-input document is a framework in the reference format (keys `framework`, `groups`,
`bonus`, `penalty`, `conditions`) plus `schools` and `tie_break`; its JSON Schema (draft
2020-12) is `thidua/scoring/schema/cluster-input.schema.json`. Numbers may be JSON numbers
or numeric strings; JSON numbers are read straight into Decimal (never through float).
See docs/engine.md for the format with an example.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

from thidua.scoring.engine.decimals import Exact, display, exact_str, fraction_str
from thidua.scoring.engine.errors import FormatError, Problem, Severity
from thidua.scoring.engine.model import ClusterInput, Framework, LeafInput, SchoolInput
from thidua.scoring.engine.reader import Reader, join
from thidua.scoring.engine.reference_format import read_framework
from thidua.scoring.engine.results import AdjustmentResult, ClusterResult, LeafResult, SchoolResult

CLUSTER_KEYS = ("schools", "tie_break", "review", "$schema")
SCHOOL_KEYS = ("code", "name", "profile", "leaves", "bonus", "penalty", "conditions", "reviewers")
INPUT_KEYS = ("points", "passed", "level", "count", "actual", "target")
SCHEMA_RESOURCE = ("thidua.scoring", "schema/cluster-input.schema.json")


def _refuse_constant(name: str) -> object:
    raise ValueError(f"giá trị {name} không phải là số hợp lệ")


def load_cluster_input(text: str | bytes) -> tuple[Framework, ClusterInput]:
    """Parse a JSON cluster-input document; raises `FormatError` listing every problem."""
    return parse_cluster_document(parse_json(text))


def parse_json(text: str | bytes) -> object:
    """JSON text to Python values, numbers with a fraction or exponent as Decimal."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        message = f"không đọc được JSON: {exc.msg} (dòng {exc.lineno}, cột {exc.colno})."
        raise FormatError([Problem("format", "", message, Severity.ERROR)]) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise FormatError([Problem("format", "", f"không đọc được JSON: {exc}.", Severity.ERROR)]) from exc


def parse_cluster_document(document: object) -> tuple[Framework, ClusterInput]:
    """Read a parsed cluster-input document; raises `FormatError` listing every problem."""
    reader = Reader()
    framework = read_framework(reader, document, ignore=CLUSTER_KEYS)
    schools: list[SchoolInput] = []
    tie_break: list[str] = []
    if isinstance(document, Mapping):
        for index, entry in enumerate(reader.sequence(document.get("schools"), "schools") or ()):
            school = _read_school(reader, entry, join("schools", index))
            if school is not None:
                schools.append(school)
        if document.get("tie_break") is not None:
            for index, code in enumerate(reader.sequence(document["tie_break"], "tie_break") or ()):
                if isinstance(code, str):
                    tie_break.append(code)
                else:
                    reader.error(join("tie_break", index), "cần mã của một nhóm hay tiêu chí (chuỗi).")
    if reader.problems or framework is None:
        raise FormatError(reader.problems)
    return framework, ClusterInput(tuple(schools), tuple(tie_break))


def parse_school_input(entry: object, path: str = "school") -> SchoolInput:
    """Read one school's inputs (code, name, profile, leaves, bonus, penalty, conditions);
    raises `FormatError` listing every problem."""
    reader = Reader()
    school = _read_school(reader, entry, path)
    if reader.problems or school is None:
        raise FormatError(reader.problems or [Problem("format", path, "cần thông tin của một trường.")])
    return school


def parse_leaf_inputs(entry: object, path: str) -> dict[str, LeafInput]:
    """Read a mapping of criterion code → input; raises `FormatError` listing every problem."""
    reader = Reader()
    result: dict[str, LeafInput] = {}
    section = reader.mapping(entry, path) if entry is not None else {}
    for code, value in (section or {}).items():
        data = reader.mapping(value, join(path, code))
        if data is not None:
            result[code] = _read_input(reader, data, join(path, code))
    if reader.problems:
        raise FormatError(reader.problems)
    return result


def _read_school(reader: Reader, entry: object, path: str) -> SchoolInput | None:
    data = reader.mapping(entry, path)
    if data is None:
        return None
    reader.keys(data, path, SCHOOL_KEYS)
    code = reader.string(data, "code", path, required=True)
    name = reader.string(data, "name", path) or ""
    profile: dict[str, Decimal] = {}
    for key, value in _section(reader, data, "profile", path).items():
        number = reader.decimal(value, join(join(path, "profile"), key))
        if number is not None:
            profile[key] = number
    leaves = _inputs(reader, data, "leaves", path)
    bonus = _inputs(reader, data, "bonus", path)
    penalty = _inputs(reader, data, "penalty", path)
    conditions: dict[str, bool] = {}
    for key, value in _section(reader, data, "conditions", path).items():
        if isinstance(value, bool):
            conditions[key] = value
        elif value is not None:
            reader.error(join(join(path, "conditions"), key), "cần true (đạt) hoặc false (không đạt).")
    if code is None:
        return None
    return SchoolInput(code, name, profile, leaves, bonus, penalty, conditions)


def _section(reader: Reader, data: Mapping[str, object], key: str, path: str) -> Mapping[str, object]:
    if data.get(key) is None:
        return {}
    return reader.mapping(data[key], join(path, key)) or {}


def _inputs(reader: Reader, data: Mapping[str, object], key: str, path: str) -> dict[str, LeafInput]:
    section_path = join(path, key)
    result: dict[str, LeafInput] = {}
    for code, entry in _section(reader, data, key, path).items():
        entry_path = join(section_path, code)
        value = reader.mapping(entry, entry_path)
        if value is not None:
            result[code] = _read_input(reader, value, entry_path)
    return result


def _read_input(reader: Reader, data: Mapping[str, object], path: str) -> LeafInput:
    reader.keys(data, path, INPUT_KEYS)
    count_value = data.get("count")
    count: int | None = None
    if isinstance(count_value, int) and not isinstance(count_value, bool) and count_value >= 0:
        count = count_value
    elif isinstance(count_value, str) and count_value.strip().isdigit():
        count = int(count_value)
    elif count_value is not None:
        reader.error(join(path, "count"), f"số lần phải là số nguyên không âm, nhận được {count_value!r}.")
    return LeafInput(
        points=reader.number(data, "points", path),
        passed=reader.boolean(data, "passed", path),
        level=reader.string(data, "level", path),
        count=count,
        actual=reader.number(data, "actual", path),
        target=reader.number(data, "target", path),
    )


def schema_problems(document: object) -> list[Problem]:
    """Problems of the document against the JSON Schema (jsonschema, a project dependency).

    The engine's own reader checks the same shape with Vietnamese messages; this is the
    contract check (the schema file is what other tools validate against).
    """
    import jsonschema  # loaded only when a document is checked against the schema

    validator = jsonschema.Draft202012Validator(load_schema())
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path)):
        path = ""
        for part in error.absolute_path:
            path = join(path, part)
        problems.append(Problem("schema", path, f"không đúng lược đồ JSON: {error.message}", Severity.ERROR))
    return problems


def load_schema() -> dict[str, Any]:
    """The cluster-input JSON Schema (draft 2020-12) shipped with the package."""
    package, name = SCHEMA_RESOURCE
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# ---- results ---------------------------------------------------------------------------


def number_json(value: Decimal) -> dict[str, str]:
    """A point value for JSON: the exact value and the display value (2 decimals, half-up).

    `exact` is the full decimal, rounded half-up at the 20th place for a value that does not
    terminate (what the product stores and exports); such a value also has `fraction`
    ("26/3"), its exact value (`decimals.parse_exact` reads it back).
    """
    out = {"exact": exact_str(value), "display": display(value)}
    if isinstance(value, Exact):
        out["fraction"] = fraction_str(value)
    return out


def cluster_result_to_json(result: ClusterResult, *, notices: list[Problem] | None = None) -> dict[str, Any]:
    """The results of a cluster as JSON-ready data (numbers as strings, see `number_json`)."""
    out: dict[str, Any] = {
        "tie_break": list(result.tie_break),
        "schools": [_school_json(school) for school in result.schools],
    }
    if notices is not None:
        out["notices"] = [{"code": p.code, "node": p.node, "message": p.message} for p in notices]
    return out


def _leaf_json(leaf: LeafResult) -> dict[str, Any]:
    return {"points": number_json(leaf.points), "explanation": leaf.explanation, "missing": leaf.missing}


def _adjustment_json(adjustment: AdjustmentResult) -> dict[str, Any]:
    return {
        "points": number_json(adjustment.points),
        "raw": number_json(adjustment.raw),
        "cap": None if adjustment.cap is None else number_json(adjustment.cap),
        "explanation": adjustment.explanation,
        "items": {code: _leaf_json(item) for code, item in adjustment.items.items()},
    }


def _school_json(school: SchoolResult) -> dict[str, Any]:
    eligibility = school.eligibility
    return {
        "code": school.code,
        "name": school.name,
        "rank": school.rank,
        "rank_label": school.rank_label,
        "tied": school.ranking.tied,
        "rank_note": school.ranking.note,
        "total": number_json(school.total),
        "groups_total": number_json(school.groups_total),
        "explanation": school.explanation,
        "groups": {
            code: {
                "points": number_json(group.points),
                "raw": number_json(group.raw),
                "max": number_json(group.max_points),
                "capped": group.capped,
                "explanation": group.explanation,
            }
            for code, group in school.groups.items()
        },
        "leaves": {code: _leaf_json(leaf) for code, leaf in school.leaves.items()},
        "bonus": _adjustment_json(school.bonus),
        "penalty": _adjustment_json(school.penalty),
        "eligibility": {
            "conditions": {code: status.value for code, status in eligibility.conditions.items()},
            "eligible_titles": list(eligibility.eligible_titles),
            "blocked_titles": [
                {"title": blocked.title, "conditions": list(blocked.conditions), "explanation": blocked.explanation}
                for blocked in eligibility.blocked
            ],
        },
    }
