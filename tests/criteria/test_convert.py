"""Stored frameworks ↔ the reference document: the reference file goes into nodes and comes
back unchanged; numbers come back as the reference format writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.criteria import convert, services
from thidua.criteria.builtin import reference_document
from thidua.criteria.models import CriterionNode, Framework, NodeKind
from thidua.scoring.engine.reference_format import framework_to_reference

pytestmark = pytest.mark.django_db


def stored_reference() -> Framework:
    framework = services.create_from_document(actor=None, document=reference_document())
    return Framework.objects.get(pk=framework.pk)  # read back: decimals as the database returns them


def test_the_reference_file_round_trips_through_stored_nodes_unchanged():
    framework = stored_reference()

    document = framework_to_reference(convert.to_engine(framework))

    assert document == reference_document()


def test_points_read_back_from_the_database_are_written_without_its_padding():
    framework = stored_reference()

    document = convert.framework_document(framework)

    assert framework.total == Decimal("100.0000")
    assert document["framework"] == {
        "name": "Bảng tiêu chí chấm điểm thi đua Cụm các trường chính trị (mẫu tham khảo)",
        "total": 100,
        "bonus_cap": 10,
        "penalty_cap": 10,
    }
    assert type(document["framework"]["total"]) is int
    assert document["groups"][0]["leaves"][0]["max"] == 3
    assert type(document["groups"][0]["leaves"][0]["max"]) is int


def test_a_stored_number_keeps_its_decimals_and_only_those():
    assert convert.stored_number(Decimal("2.5000")) == 2.5
    assert convert.stored_number(Decimal("0.2500")) == 0.25
    assert convert.stored_number(Decimal("1000.0000")) == 1000
    assert convert.stored_number(Decimal("0.0000")) == 0


def test_each_entry_becomes_one_node_with_its_parent_and_its_rule_in_params():
    framework = stored_reference()

    nodes = {node.code: node for node in CriterionNode.objects.filter(framework=framework).select_related("parent")}

    assert len(nodes) == 44
    assert [code for code, node in nodes.items() if node.kind == NodeKind.GROUP] == [
        "I", "II", "III", "IV", "V", "VI", "VII",
    ]  # fmt: skip
    leaf = nodes["II.4"]
    assert leaf.parent == nodes["II"]
    assert leaf.kind == NodeKind.LEAF
    assert leaf.max_points == Decimal("4.0000")
    assert leaf.params == {
        "rule": "quantitative",
        "formula": "thresholds",
        "tiers": [[80, 4], [60, 3], [40, 2], [0, 1]],
    }
    assert nodes["B.3"].kind == NodeKind.BONUS
    assert nodes["B.3"].params == {"rule": "levels", "levels": {"Mức 2": 3, "Mức 1": 2}, "cap": 3}
    assert nodes["C.1"].params == {"blocks": ["Cờ thi đua", "Bằng khen"]}


def test_document_rows_list_groups_depth_first_then_bonus_penalty_and_conditions():
    rows = convert.document_rows(reference_document())

    assert [(kind, fields["code"]) for kind, _parent, fields in rows][:6] == [
        (NodeKind.GROUP, "I"),
        (NodeKind.LEAF, "I.1"),
        (NodeKind.LEAF, "I.2"),
        (NodeKind.LEAF, "I.3"),
        (NodeKind.LEAF, "I.4"),
        (NodeKind.GROUP, "II"),
    ]
    assert [fields["code"] for _kind, _parent, fields in rows][-7:] == ["B.1", "B.2", "B.3", "P.1", "P.2", "C.1", "C.2"]
    assert rows[1][1] == 0  # I.1's parent is the first row, group I
    assert rows[0][1] is None


def test_an_entry_keeps_every_key_other_than_the_node_columns_in_params():
    fields = convert.split_entry(
        {"code": "X.1", "title": "Thử", "max": 2.5, "rule": "manual", "step": 0.5, "note": "ghi chú", "guidance": "G"}
    )

    assert fields == {
        "code": "X.1",
        "title": "Thử",
        "max_points": Decimal("2.5"),
        "guidance": "G",
        "evidence": "",
        "params": {"rule": "manual", "step": 0.5, "note": "ghi chú"},
    }
