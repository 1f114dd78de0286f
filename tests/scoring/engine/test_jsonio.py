"""The JSON cluster-input format: exact numbers, clear problems, agreement with the JSON Schema."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tests.scoring.engine.builders import DATA, D
from thidua.scoring.engine import FormatError, LeafInput, load_cluster_input, parse_cluster_document
from thidua.scoring.engine.jsonio import load_schema, parse_json, schema_problems

SAMPLE = DATA / "cluster-sample.json"


@pytest.fixture
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return loaded


def test_the_sample_input_loads_with_its_schools_and_tie_break() -> None:
    framework, inputs = load_cluster_input(SAMPLE.read_bytes())

    assert framework.name == "Bảng tiêu chí mẫu để kiểm thử"
    assert [school.code for school in inputs.schools] == ["TG", "DT", "BL", "VL"]
    assert inputs.tie_break == ("II", "I")
    tg = inputs.schools[0]
    assert tg.profile == {"lecturers": D(20), "staff": D(32)}
    assert tg.leaves["I.3"] == LeafInput(actual=D(45), target=D(50))
    assert tg.leaves["I.4"] == LeafInput(points=D("1.75"))
    assert tg.conditions == {"C.1": True, "C.2": True}


def test_json_numbers_are_read_as_exact_decimals_never_floats() -> None:
    parsed = parse_json('{"a": 0.1, "b": 3, "c": 1e-2}')

    assert parsed == {"a": Decimal("0.1"), "b": 3, "c": Decimal("0.01")}
    assert isinstance(parsed, dict)
    assert isinstance(parsed["a"], Decimal)


def test_the_sample_input_satisfies_the_json_schema(document: dict[str, Any]) -> None:
    assert schema_problems(parse_json(SAMPLE.read_bytes())) == []
    assert load_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_invalid_json_is_a_format_error_with_line_and_column() -> None:
    with pytest.raises(FormatError) as caught:
        load_cluster_input(b'{"framework": ')

    assert [str(problem) for problem in caught.value.problems] == [
        "không đọc được JSON: Expecting value (dòng 1, cột 15)."
    ]


def test_nan_is_refused() -> None:
    with pytest.raises(FormatError):
        load_cluster_input(b'{"framework": {"name": "x", "total": NaN}, "groups": [], "schools": []}')


def test_bad_school_inputs_are_listed_with_their_paths(document: dict[str, Any]) -> None:
    tg = document["schools"][0]
    tg["leaves"]["I.2"] = {"passed": "yes"}
    tg["leaves"]["II.2"] = {"count": 1.5}
    tg["leaves"]["I.4"] = {"points": "1,75"}
    tg["leaves"]["I.1"] = {"levle": "Tốt"}
    tg["conditions"]["C.1"] = "có"
    document["schools"][1]["rank"] = 1
    document["tie_break"] = ["II", 1]

    with pytest.raises(FormatError) as caught:
        parse_cluster_document(parse_json(json.dumps(document)))

    assert [problem.node for problem in caught.value.problems] == [
        "schools[0].leaves.I.1.levle",
        "schools[0].leaves.I.2.passed",
        "schools[0].leaves.I.4.points",
        "schools[0].leaves.II.2.count",
        "schools[0].conditions.C.1",
        "schools[1].rank",
        "tie_break[1]",
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["schools"][0]["leaves"].update({"I.2": {"passed": "yes"}}),
        lambda d: d["schools"][0]["leaves"].update({"II.2": {"count": -1}}),
        lambda d: d["schools"][0]["leaves"].update({"I.1": {"levle": "Tốt"}}),
        lambda d: d["schools"][0].update({"rank": 1}),
        lambda d: d["groups"][0].pop("max"),
        lambda d: d["groups"][0]["leaves"][0].update({"rule": "guess"}),
        lambda d: d.update({"penalties": []}),
        lambda d: d["schools"][0]["profile"].update({"lecturers": "hai mươi"}),
    ],
)
def test_the_reader_and_the_json_schema_refuse_the_same_mistakes(document: dict[str, Any], change: Any) -> None:
    change(document)
    parsed = parse_json(json.dumps(document))

    with pytest.raises(FormatError):
        parse_cluster_document(parsed)
    assert schema_problems(parsed) != []
