"""The editor's forms: numbers typed the Vietnamese way, each rule's parameters turned into
``params`` in the reference keys, and nothing lost when a value is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation

from thidua.criteria import services
from thidua.criteria.forms import (
    CloneForm,
    FrameworkForm,
    NodeForm,
    TryForm,
    TryItemForm,
    number_input,
    parse_number,
)
from thidua.criteria.models import CriterionNode
from thidua.scoring.engine import framework_from_reference

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def leaf_form(data: dict[str, str], **kwargs) -> NodeForm:
    return NodeForm(
        {"code": "I.1", "title": "Một tiêu chí", "max_points": "4", "parent": "1", **data},
        kind="leaf",
        parents=[(CriterionNode(pk=1, code="I", title="Nhóm"), 0)],
        **kwargs,
    )


def valid_params(form: NodeForm) -> dict:
    assert form.is_valid(), form.errors
    return form.params()


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("3", Decimal(3)),
        ("0,25", Decimal("0.25")),
        ("0.25", Decimal("0.25")),
        (" 1 000 ", Decimal(1000)),
        ("1.000.000", Decimal(1000000)),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("-2", Decimal(-2)),
        ("12.5", Decimal("12.5")),
    ],
)
def test_a_number_is_read_whether_typed_with_a_decimal_comma_or_point(typed, number):
    assert parse_number(typed) == number


def test_a_number_that_could_mean_a_thousand_is_refused_with_both_readings():
    with pytest.raises(ValidationError) as caught:
        parse_number("1.500")

    assert caught.value.messages == [
        "“1.500” có thể hiểu là 1,500 hoặc 1500. Hãy viết 1,500 (phần lẻ sau dấu phẩy) hoặc 1500 (không dùng dấu chấm)."
    ]


@pytest.mark.parametrize("typed", ["ba", "1,2,3", "2 điểm", "1..5", "--1"])
def test_text_that_is_not_a_number_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as caught:
        parse_number(typed)

    assert caught.value.messages[0].startswith(f"“{typed}” không phải là một số.")


def test_a_stored_number_is_shown_as_an_officer_types_it_in_each_language():
    with translation.override("vi"):
        assert [number_input(v) for v in (Decimal("0.2500"), 1000, "3.0000", 0.5, None)] == [
            "0,25",
            "1000",
            "3",
            "0,5",
            "",
        ]
    with translation.override("en"):
        assert number_input(Decimal("0.2500")) == "0.25"


# --- leaves -------------------------------------------------------------------------------


def test_a_manual_criterion_keeps_its_step_as_a_decimal_string():
    form = leaf_form({"rule": "manual", "step": "0,25"})

    assert valid_params(form) == {"rule": "manual", "step": "0.25"}
    assert form.node_values()["max_points"] == Decimal(4)


def test_a_manual_criterion_without_a_step_has_no_step():
    assert valid_params(leaf_form({"rule": "manual", "step": ""})) == {"rule": "manual"}


def test_a_pass_fail_criterion_has_no_parameters():
    assert valid_params(leaf_form({"rule": "pass_fail"})) == {"rule": "pass_fail"}


def test_a_levels_criterion_gives_its_levels_as_names_and_points_in_order_skipping_empty_rows():
    form = leaf_form(
        {
            "rule": "levels",
            "level_name_0": "Tốt",
            "level_points_0": "4",
            "level_name_1": " Khá ",
            "level_points_1": "2,5",
            "level_name_2": "",
            "level_points_2": "",
            "level_name_3": "Chưa đạt",
            "level_points_3": "0",
        }
    )

    assert valid_params(form) == {"rule": "levels", "levels": {"Tốt": 4, "Khá": "2.5", "Chưa đạt": 0}}


def test_a_level_without_points_or_a_name_is_refused_on_its_own_row():
    form = leaf_form(
        {"rule": "levels", "level_name_0": "Tốt", "level_points_0": "", "level_name_1": "", "level_points_1": "2"}
    )

    assert not form.is_valid()
    assert form.errors["level_points_0"] == ["Nhập số điểm."]
    assert form.errors["level_name_1"] == ["Nhập tên mức."]


def test_a_levels_criterion_needs_at_least_one_level_and_distinct_names():
    empty = leaf_form({"rule": "levels"})
    twice = leaf_form(
        {"rule": "levels", "level_name_0": "Tốt", "level_points_0": "2", "level_name_1": "Tốt", "level_points_1": "1"}
    )

    assert not empty.is_valid()
    assert empty.errors["level_name_0"] == ["Cần ít nhất một mức (tên và số điểm)."]
    assert not twice.is_valid()
    assert twice.errors["__all__"] == ["Mức «Tốt» được nhập hai lần."]


def test_a_count_criterion_needs_its_points_each():
    assert valid_params(leaf_form({"rule": "count", "points_each": "0,5"})) == {"rule": "count", "points_each": "0.5"}
    missing = leaf_form({"rule": "count", "points_each": ""})
    assert not missing.is_valid()
    assert missing.errors["points_each"] == ["Trường này là bắt buộc."]


def test_a_ratio_criterion_gives_formula_target_per_capita_and_cap_ratio():
    form = leaf_form(
        {
            "rule": "quantitative",
            "formula": "ratio",
            "direction": "higher",
            "target_registered": "on",
            "per_capita": "lecturers",
            "cap_ratio": "1,2",
        }
    )

    assert valid_params(form) == {
        "rule": "quantitative",
        "formula": "ratio",
        "per_capita": "lecturers",
        "cap_ratio": "1.2",
        "target_registered": True,
    }


def test_a_thresholds_criterion_gives_its_tiers_as_threshold_points_pairs_and_lower_direction():
    form = leaf_form(
        {
            "rule": "quantitative",
            "formula": "thresholds",
            "direction": "lower",
            "tier_threshold_0": "2",
            "tier_points_0": "4",
            "tier_threshold_1": "5,5",
            "tier_points_1": "2",
            "cap_ratio": "3",  # not a field of this formula: ignored
        }
    )

    assert valid_params(form) == {
        "rule": "quantitative",
        "formula": "thresholds",
        "direction": "lower",
        "tiers": [[2, 4], ["5.5", 2]],
    }


def test_a_thresholds_criterion_needs_at_least_one_tier():
    form = leaf_form({"rule": "quantitative", "formula": "thresholds", "direction": "higher"})

    assert not form.is_valid()
    assert form.errors["tier_threshold_0"] == ["Cần ít nhất một ngưỡng (ngưỡng và số điểm)."]


@pytest.mark.parametrize("formula", ["relative_to_best", "target_and_leader"])
def test_the_comparative_formulas_give_their_formula_and_the_target_flag(formula):
    form = leaf_form({"rule": "quantitative", "formula": formula, "direction": "higher", "target_registered": "on"})

    assert valid_params(form) == {"rule": "quantitative", "formula": formula, "target_registered": True}


def test_every_rules_params_are_read_by_the_engine_without_a_problem():
    params = [
        valid_params(leaf_form({"rule": "manual", "step": "0,5"})),
        valid_params(leaf_form({"rule": "levels", "level_name_0": "Tốt", "level_points_0": "4"})),
        valid_params(leaf_form({"rule": "count", "points_each": "1"})),
        valid_params(
            leaf_form(
                {
                    "rule": "quantitative",
                    "formula": "thresholds",
                    "direction": "higher",
                    "tier_threshold_0": "80",
                    "tier_points_0": "4",
                }
            )
        ),
    ]
    leaves = [{"code": f"L{i}", "title": "x", "max": 4, **p} for i, p in enumerate(params)]

    framework = framework_from_reference(
        {"framework": {"name": "x", "total": 16}, "groups": [{"code": "G", "title": "g", "max": 16, "leaves": leaves}]}
    )

    assert [leaf.rule.value for leaf in framework.leaves()] == ["manual", "levels", "count", "quantitative"]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("max_points", "ba", "“ba” không phải là một số. Hãy viết số như 3 hoặc 0,25."),
        ("max_points", "0", "Số phải lớn hơn 0."),
        ("max_points", "0,12345", "Chỉ dùng tối đa 4 chữ số sau dấu phẩy."),
        ("max_points", "100000", "Số quá lớn (tối đa 99999)."),
        ("step", "-0,25", "Số phải lớn hơn 0."),
    ],
)
def test_a_bad_number_gets_a_clear_message_and_the_typed_text_is_shown_again(field, typed, message):
    form = leaf_form({"rule": "manual", field: typed})

    assert not form.is_valid()
    assert form.errors[field] == [message]
    assert f'value="{typed}"' in str(form[field])


def test_editing_keeps_the_keys_the_form_does_not_manage(world):
    framework = services.create_framework(actor=world.dave, name="Bảng", total=Decimal(4))
    group = services.add_node(
        actor=world.dave, framework=framework, kind="group", code="I", title="Nhóm", max_points=Decimal(4)
    )
    node = services.add_node(
        actor=world.dave,
        framework=framework,
        kind="leaf",
        code="I.1",
        title="Tham gia hoạt động của Cụm",
        parent=group,
        max_points=Decimal(4),
        params={"rule": "count", "points_each": 1, "source": "activity_attendance", "note": "giữ"},
    )

    form = NodeForm(
        {"code": "I.1", "title": "Tham gia", "max_points": "4", "rule": "count", "points_each": "2"},
        kind="leaf",
        node=node,
    )

    assert valid_params(form) == {"rule": "count", "points_each": 2, "source": "activity_attendance", "note": "giữ"}


def test_an_existing_node_opens_with_its_values_and_saves_back_the_same_params(world):
    framework = services.create_framework(actor=world.dave, name="Bảng", total=Decimal(4))
    group = services.add_node(
        actor=world.dave, framework=framework, kind="group", code="I", title="Nhóm", max_points=Decimal(4)
    )
    stored = {
        "rule": "quantitative",
        "formula": "thresholds",
        "direction": "lower",
        "tiers": [[2, 4], ["5.5", 2]],
        "per_capita": "staff",
    }
    node = services.add_node(
        actor=world.dave,
        framework=framework,
        kind="leaf",
        code="I.1",
        title="Số ngày chậm",
        parent=group,
        max_points=Decimal(4),
        params=stored,
    )
    node.refresh_from_db()

    shown = NodeForm(kind="leaf", node=node)
    data = {name: shown[name].value() for name in shown.fields if shown[name].value() not in (None, False)}
    with translation.override("vi"):
        assert shown["tier_threshold_1"].value() == "5,5"
    again = NodeForm({k: str(v) for k, v in data.items()}, kind="leaf", node=node)

    assert valid_params(again) == stored


def test_a_new_criterion_redrawn_for_the_quantitative_rule_starts_with_the_ratio_formula_and_registered_targets():
    form = NodeForm(kind="leaf", redraw=QueryDict("code=I.1&rule=quantitative"))

    assert form.formula == "ratio"
    assert [f.name for f in form.param_fields()] == [
        "formula",
        "direction",
        "per_capita",
        "target_registered",
        "cap_ratio",
    ]
    assert form["target_registered"].value() is True
    assert form.is_bound is False


@pytest.mark.parametrize(("formula", "registered"), [("relative_to_best", False), ("target_and_leader", True)])
def test_switching_the_formula_sets_whether_schools_register_targets(formula, registered):
    form = NodeForm(
        kind="leaf",
        redraw=QueryDict(f"rule=quantitative&formula={formula}&target_registered=on&code=X"),
        changed="formula",
    )

    assert form["target_registered"].value() is registered
    assert form["code"].value() == "X"


def test_asking_for_another_row_adds_an_empty_level_row_and_keeps_the_typed_ones():
    form = NodeForm(
        kind="leaf",
        redraw=QueryDict(
            "rule=levels&level_name_0=Tốt&level_points_0=3&level_name_1=&level_points_1=&level_name_2=&level_points_2="
        ),
        add_row="levels",
    )

    assert len(form.level_rows) == 4
    assert form["level_name_0"].value() == "Tốt"


# --- bonus, penalty, conditions, groups ---------------------------------------------------


def test_a_bonus_counted_per_occurrence_has_points_each_and_cap_without_a_rule_key():
    form = NodeForm(
        {"code": "B.1", "title": "Khen thưởng đột xuất", "rule": "count", "points_each": "2", "cap": "4"}, kind="bonus"
    )

    assert valid_params(form) == {"points_each": 2, "cap": 4}
    assert form.node_values()["max_points"] is None


def test_a_penalty_by_levels_names_its_rule():
    form = NodeForm(
        {
            "code": "P.1",
            "title": "Kỷ luật",
            "rule": "levels",
            "level_name_0": "Khiển trách",
            "level_points_0": "1",
            "level_name_1": "Cảnh cáo",
            "level_points_1": "2",
        },
        kind="penalty",
    )

    assert valid_params(form) == {"rule": "levels", "levels": {"Khiển trách": 1, "Cảnh cáo": 2}}


def test_a_manual_bonus_has_its_step():
    form = NodeForm({"code": "B.2", "title": "Khác", "rule": "manual", "step": "0,5"}, kind="bonus")

    assert valid_params(form) == {"rule": "manual", "step": "0.5"}


def test_a_condition_lists_the_titles_it_blocks_one_per_line():
    form = NodeForm(
        {"code": "C.1", "title": "Không có kỷ luật", "blocks": "Cờ thi đua\n\n  Bằng khen  \n"}, kind="condition"
    )

    assert valid_params(form) == {"blocks": ["Cờ thi đua", "Bằng khen"]}


def test_a_condition_needs_a_title_it_blocks():
    form = NodeForm({"code": "C.1", "title": "Không có kỷ luật", "blocks": "  \n"}, kind="condition")

    assert not form.is_valid()
    assert form.errors["blocks"] == ["Nhập ít nhất một danh hiệu."]


def test_a_group_has_a_maximum_and_no_parameters():
    form = NodeForm({"code": "I", "title": "Nhóm I", "max_points": "10", "parent": ""}, kind="group", parents=[])

    assert valid_params(form) == {}
    assert form.node_values()["max_points"] == Decimal(10)


def test_the_title_is_stored_on_one_line_and_the_code_trimmed():
    form = NodeForm({"code": " I ", "title": "Nhóm\n  một", "max_points": "10"}, kind="group", parents=[])

    assert form.is_valid()
    assert (form.cleaned_data["code"], form.cleaned_data["title"]) == ("I", "Nhóm một")


# --- frameworks ---------------------------------------------------------------------------


def test_a_secretariat_may_keep_a_framework_only_for_the_cluster_year_they_lead(world):
    ok = FrameworkForm(
        {"name": "Bảng 2020", "total": "100", "cluster": world.cluster.pk, "year": "2020"}, user=world.alice
    )
    other_year = FrameworkForm(
        {"name": "Bảng", "total": "100", "cluster": world.cluster.pk, "year": "2021"}, user=world.alice
    )
    no_cluster = FrameworkForm({"name": "Bảng", "total": "100", "cluster": "", "year": ""}, user=world.alice)

    assert ok.is_valid(), ok.errors
    assert not other_year.is_valid()
    assert other_year.errors["cluster"][0].startswith("Bạn chỉ soạn được bảng tiêu chí của cụm (và năm)")
    assert not no_cluster.is_valid()


def test_another_clusters_name_is_not_even_offered_to_a_secretariat(world):
    form = FrameworkForm(
        {"name": "Bảng", "total": "100", "cluster": world.other_cluster.pk, "year": "2020"}, user=world.alice
    )

    assert not form.is_valid()
    assert "cluster" in form.errors
    assert list(form.fields["cluster"].queryset) == [world.cluster]


def test_the_academy_may_keep_a_shared_template_of_no_cluster(world):
    form = FrameworkForm(
        {"name": "Mẫu", "total": "1.000.000", "bonus_cap": "", "cluster": "", "year": ""}, user=world.dave
    )

    assert not form.is_valid()  # 1 000 000 points is beyond what a framework stores
    form = FrameworkForm({"name": "Mẫu", "total": "1000", "bonus_cap": "5", "cluster": "", "year": ""}, user=world.dave)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["total"], form.cleaned_data["bonus_cap"], form.cleaned_data["cluster"]) == (
        Decimal(1000),
        Decimal(5),
        None,
    )


def test_cloning_for_next_year_needs_a_year_and_a_cluster_the_user_leads(world):
    assert CloneForm({"name": "", "year": "2020", "cluster": world.cluster.pk}, user=world.alice).is_valid()
    missing = CloneForm({"name": "", "year": "", "cluster": world.cluster.pk}, user=world.alice)
    assert not missing.is_valid()
    assert missing.errors["year"] == ["Trường này là bắt buộc."]


# --- try it -------------------------------------------------------------------------------


def engine_leaf(**entry):
    document = {
        "framework": {"name": "x", "total": 4},
        "groups": [{"code": "G", "title": "g", "max": 4, "leaves": [{"code": "L", "title": "t", "max": 4, **entry}]}],
    }
    return next(framework_from_reference(document).leaves())


@pytest.mark.parametrize(
    ("entry", "fields"),
    [
        ({"rule": "manual"}, ["points"]),
        ({"rule": "pass_fail"}, ["passed"]),
        ({"rule": "levels", "levels": {"Tốt": 4}}, ["level"]),
        ({"rule": "count", "points_each": 1}, ["count"]),
        (
            {"rule": "quantitative", "formula": "ratio", "target_registered": True, "per_capita": "lecturers"},
            ["actual", "target", "size"],
        ),
        ({"rule": "quantitative", "formula": "thresholds", "tiers": [[1, 4]]}, ["actual"]),
    ],
)
def test_try_it_asks_for_the_inputs_of_the_rule(entry, fields):
    form = TryForm(leaf=engine_leaf(**entry))

    assert [f.name for f in form.own_fields()] == fields
    assert form.compares_schools is False


def test_try_it_for_target_and_leader_asks_for_three_other_schools_actuals_and_targets():
    form = TryForm(leaf=engine_leaf(rule="quantitative", formula="target_and_leader", target_registered=True))

    assert [[f.name for f in row] for row in form.other_row_fields()] == [
        ["actual_0", "target_0"],
        ["actual_1", "target_1"],
        ["actual_2", "target_2"],
    ]
    assert form.fields["target_1"].label == "Trường khác 2: chỉ tiêu đăng ký"


def test_try_it_refuses_another_school_with_a_target_but_no_actual():
    leaf = engine_leaf(rule="quantitative", formula="target_and_leader", target_registered=True)
    form = TryForm({"actual": "3", "target": "2", "target_0": "5"}, leaf=leaf)

    assert not form.is_valid()
    assert form.errors == {"actual_0": ["Nhập kết quả thực hiện của trường khác 1."]}


def test_try_it_per_capita_needs_the_size_measure_of_another_school_too():
    leaf = engine_leaf(rule="quantitative", formula="relative_to_best", per_capita="staff")
    form = TryForm({"actual": "3", "size": "10", "actual_1": "4"}, leaf=leaf)

    assert not form.is_valid()
    assert form.errors == {"size_1": ["Nhập cả số đo quy mô của trường khác 2."]}
    assert form.fields["size"].label == "Số cán bộ, viên chức"


def test_try_it_says_in_vietnamese_that_a_count_is_a_whole_number():
    form = TryForm({"count": "1,5"}, leaf=engine_leaf(rule="count", points_each=1))

    assert not form.is_valid()
    assert form.errors == {"count": ["Số lần phải là một số nguyên, ví dụ 3."]}


def engine_item(**entry):
    document = {"framework": {"name": "x", "total": 1}, "groups": [], "bonus": [{"code": "B", "title": "t", **entry}]}
    return framework_from_reference(document).bonus[0]


@pytest.mark.parametrize(
    ("entry", "fields"),
    [
        ({"points_each": 1, "cap": 2}, ["count"]),
        ({"rule": "levels", "levels": {"Tốt": 2, "Khá": 1}}, ["level"]),
        ({"rule": "manual", "step": "0.5"}, ["points"]),
    ],
)
def test_trying_a_bonus_or_penalty_item_asks_for_the_input_of_its_rule(entry, fields):
    form = TryItemForm(item=engine_item(**entry))

    assert [f.name for f in form.own_fields()] == fields
    assert form.compares_schools is False


def test_trying_an_item_by_levels_names_the_levels_it_has_when_given_another():
    form = TryItemForm({"level": "Xuất sắc"}, item=engine_item(rule="levels", levels={"Tốt": 2, "Khá": 1}))

    assert not form.is_valid()
    assert form.errors == {"level": ["Mức «Xuất sắc» không có trong thang chấm (các mức: «Tốt», «Khá»)."]}
