"""The reference YAML format: the reference framework loads, validates and round-trips."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import yaml

from tests.scoring.engine.builders import REFERENCE_YAML, D
from thidua.scoring.engine import (
    FormatError,
    Formula,
    Group,
    Leaf,
    Rule,
    framework_from_reference,
    framework_to_reference,
    validate_framework,
)


@pytest.fixture
def reference() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(REFERENCE_YAML.read_text(encoding="utf-8"))
    return document


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def test_the_reference_framework_loads_with_every_group_leaf_and_item(reference: dict[str, Any]) -> None:
    framework = framework_from_reference(reference)

    assert (framework.total, framework.bonus_cap, framework.penalty_cap) == (D(100), D(10), D(10))
    assert [group.code for group in framework.groups] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert len(list(framework.leaves())) == 30
    assert [item.code for item in framework.bonus] == ["B.1", "B.2", "B.3"]
    assert [item.rule for item in framework.bonus] == [Rule.COUNT, Rule.COUNT, Rule.LEVELS]
    assert framework.titles() == ("Cờ thi đua", "Bằng khen")


def test_the_reference_framework_keeps_its_meaningful_keys(reference: dict[str, Any]) -> None:
    leaves = {leaf.code: leaf for leaf in framework_from_reference(reference).leaves()}

    assert leaves["II.6"].per_capita == "lecturers"
    assert leaves["II.6"].target_registered
    assert leaves["II.6"].cap_ratio == D("1.0")
    assert leaves["VII.1"].source == "activity_attendance"
    assert leaves["IV.1"].tiers == ((D(80), D(4)), (D(75), D(3)), (D(65), D("1.5")), (D(0), D(0)))
    assert leaves["III.3"].formula is Formula.RELATIVE_TO_BEST


def test_yaml_floats_become_the_decimals_they_show(reference: dict[str, Any]) -> None:
    leaves = {leaf.code: leaf for leaf in framework_from_reference(reference).leaves()}

    assert leaves["I.4"].step == Decimal("0.25")
    assert isinstance(leaves["II.3"].points_each, Decimal)
    assert str(leaves["II.3"].points_each) == "0.5"


def test_the_reference_framework_validates_without_errors_or_notices(reference: dict[str, Any]) -> None:
    assert validate_framework(framework_from_reference(reference)) == []


def test_the_reference_framework_round_trips_identically(reference: dict[str, Any]) -> None:
    framework = framework_from_reference(reference)

    exported = framework_to_reference(framework)

    assert exported == reference
    assert dump(exported) == dump(reference)
    assert framework_from_reference(exported) == framework


def test_unknown_keys_are_kept_and_written_back(reference: dict[str, Any]) -> None:
    reference["groups"][0]["leaves"][0]["reviewer_hint"] = "xem biên bản"
    reference["framework"]["version"] = 3

    exported = framework_to_reference(framework_from_reference(reference))

    assert exported["groups"][0]["leaves"][0]["reviewer_hint"] == "xem biên bản"
    assert exported["framework"]["version"] == 3


def test_nested_groups_are_leaves_entries_with_their_own_leaves() -> None:
    document = {
        "framework": {"name": "Lồng nhau", "total": 5},
        "groups": [
            {
                "code": "I",
                "title": "Nhóm I",
                "max": 5,
                "leaves": [
                    {"code": "I.1", "title": "Lá", "max": 3, "rule": "pass_fail"},
                    {
                        "code": "I.2",
                        "title": "Nhóm con",
                        "max": 2,
                        "leaves": [{"code": "I.2.a", "title": "Lá con", "max": 2, "rule": "pass_fail"}],
                    },
                ],
            }
        ],
    }

    framework = framework_from_reference(document)

    child = framework.groups[0].children[1]
    assert isinstance(child, Group)
    assert isinstance(child.children[0], Leaf)
    assert framework_to_reference(framework) == document


def test_a_malformed_document_lists_every_problem_with_its_path() -> None:
    document = {
        "framework": {"name": "Lỗi", "total": "một trăm"},
        "groups": [
            {
                "code": "I",
                "title": "Nhóm",
                "max": 10,
                "leaves": [{"code": "I.1", "title": "Lá", "max": 10, "rule": "guess"}],
            },
            {"code": "II", "title": "Nhóm", "leaves": [{"code": "II.1", "max": True, "rule": "count"}]},
        ],
        "penalties": [],
    }

    with pytest.raises(FormatError) as caught:
        framework_from_reference(document)

    assert [str(problem) for problem in caught.value.problems] == [
        "penalties: khóa không hợp lệ; các khóa được dùng: framework, groups, bonus, penalty, conditions, $schema.",
        "framework.total: không phải là số (viết dạng 12 hoặc 12.5): 'một trăm'.",
        "groups[0].leaves[0].rule: giá trị 'guess' không hợp lệ; chọn một trong: manual, pass_fail, levels, count, "
        "quantitative.",
        "groups[1].max: bắt buộc phải có (một số).",
        "groups[1].leaves[0].title: bắt buộc phải có (một chuỗi).",
        "groups[1].leaves[0].max: cần một số, không phải giá trị đúng/sai (True).",
    ]


def test_a_bonus_item_without_points_each_levels_or_rule_is_a_format_problem(reference: dict[str, Any]) -> None:
    reference["bonus"][0].pop("points_each")

    with pytest.raises(FormatError) as caught:
        framework_from_reference(reference)

    assert [problem.node for problem in caught.value.problems] == ["bonus[0].rule"]
