"""Reading what a school types for a criterion (a form, an XLSX cell, JSON) and writing it back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from thidua.assessments.inputs import how_to_enter, input_text, read_number, read_value, read_yes_no
from thidua.criteria.entries import entry_rule
from thidua.criteria.models import CriterionNode, NodeKind


def node(kind: str = NodeKind.LEAF, **params: object) -> CriterionNode:
    return CriterionNode(kind=kind, code="X.1", title="Tiêu chí thử", max_points=Decimal(3), params=params)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        (" 3000 ", Decimal(3000)),
        (0.1, Decimal("0.1")),
        (7, Decimal(7)),
    ],
)
def test_a_number_is_read_with_a_comma_or_a_dot_for_decimals(raw, value):
    assert read_number(raw) == value


@pytest.mark.parametrize("raw", ["3.000", "1,500", "12.345.678"])
def test_a_number_with_a_thousands_separator_is_refused_rather_than_guessed(raw):
    with pytest.raises(ValidationError) as caught:
        read_number(raw)

    assert caught.value.messages == [
        f"“{raw}” có thể hiểu theo hai cách. Hãy viết số không có dấu phân cách hàng nghìn (ví dụ 3000) "
        "và dùng dấu phẩy cho phần thập phân (ví dụ 3,5)."
    ]


def test_text_is_not_a_number():
    with pytest.raises(ValidationError) as caught:
        read_number("khoảng 5")

    assert caught.value.messages == [
        "“khoảng 5” không phải là số. Hãy nhập số, dùng dấu phẩy cho phần thập phân (ví dụ 2,5)."
    ]


@pytest.mark.parametrize(
    ("raw", "value"), [("Đạt", True), ("không đạt", False), ("có", True), ("no", False), (1, True)]
)
def test_yes_and_no_are_read_in_vietnamese_and_english(raw, value):
    assert read_yes_no(raw) is value


def test_a_level_is_read_forgiving_case_and_accents():
    rule = entry_rule(node(rule="levels", levels={"Tốt": 3, "Khá": 2}))

    assert read_value(rule, "  tot ") == "Tốt"
    assert read_value(rule, "KHÁ") == "Khá"
    assert read_value(rule, "") is None


def test_a_count_must_be_a_whole_number():
    rule = entry_rule(node(rule="count", points_each=1))

    assert read_value(rule, "4") == 4
    assert read_value(rule, 4.0) == 4
    with pytest.raises(ValidationError):
        read_value(rule, "4,5")


def test_an_input_shows_a_stored_value_so_that_saving_it_again_reads_the_same():
    points = entry_rule(node(rule="manual", step=0.25))
    actual = entry_rule(node(rule="quantitative", formula="relative_to_best"))
    passed = entry_rule(node(rule="pass_fail"))

    assert input_text(points, Decimal("1.7500")) == "1,75"
    assert input_text(actual, Decimal("3000.0000")) == "3000"
    assert read_value(actual, input_text(actual, Decimal("3000.0000"))) == Decimal(3000)
    assert input_text(passed, False) == "no"


def test_how_to_enter_says_what_to_type_for_each_rule():
    assert how_to_enter(entry_rule(node(rule="manual", step=0.25))) == "Số điểm từ 0 đến 3, bước 0,25."
    assert how_to_enter(entry_rule(node(rule="levels", levels={"Tốt": 3, "Khá": 2}))) == "Chọn một mức: Tốt, Khá."
    assert how_to_enter(entry_rule(node(NodeKind.CONDITION, blocks=["Cờ thi đua"]))) == (
        "Chọn “Đạt” (đáp ứng điều kiện) hoặc “Không đạt”."
    )
    assert how_to_enter(entry_rule(node(rule="quantitative", formula="ratio", per_capita="lecturers"))) == (
        "Số liệu thực hiện (số từ 0 trở lên). Nhập tổng số; hệ thống tự chia bình quân theo hồ sơ năm của trường."
    )
