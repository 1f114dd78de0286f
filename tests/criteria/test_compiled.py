"""The compiled framework: the engine's reading of a stored framework, cached once published."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.criteria import compiled, services
from thidua.criteria.compiled import cache_key, compile_framework
from thidua.criteria.models import CriterionNode, Framework, NodeKind

pytestmark = pytest.mark.django_db


def small_framework() -> Framework:
    """10 points: group I with I.1 pass/fail (6) and I.2 manual on 0.5 (4); a penalty P.1."""
    framework = services.create_framework(actor=None, name="Bảng thử", total=Decimal(10))
    group = services.add_node(
        actor=None, framework=framework, kind="group", code="I", title="Nhóm I", max_points=Decimal(10)
    )
    for code, top, params in (("I.1", 6, {"rule": "pass_fail"}), ("I.2", 4, {"rule": "manual", "step": 0.5})):
        services.add_node(
            actor=None,
            framework=framework,
            kind="leaf",
            code=code,
            title=f"Tiêu chí {code}",
            parent=group,
            max_points=Decimal(top),
            params=params,
        )
    services.add_node(
        actor=None, framework=framework, kind="penalty", code="P.1", title="Chậm hạn", params={"points_each": 1}
    )
    return Framework.objects.get(pk=framework.pk)


def node(framework: Framework, code: str) -> CriterionNode:
    return CriterionNode.objects.get(framework=framework, code=code)


def published() -> Framework:
    return services.publish_framework(actor=None, framework=small_framework())


def test_it_holds_the_engine_framework_the_rules_and_the_node_ids_by_code():
    framework = small_framework()

    found = compile_framework(framework)

    assert [leaf.code for leaf in found.framework.leaves()] == ["I.1", "I.2"]
    assert {code: (rule.kind, rule.field) for code, rule in found.rules.items()} == {
        "I.1": (NodeKind.LEAF, "passed"),
        "I.2": (NodeKind.LEAF, "points"),
        "P.1": (NodeKind.PENALTY, "count"),
    }
    assert found.node_ids == {code: node(framework, code).pk for code in ("I", "I.1", "I.2", "P.1")}


def test_what_it_holds_cannot_be_changed_by_a_reader():
    found = compile_framework(published())

    with pytest.raises(TypeError):
        found.rules["I.1"] = found.rules["I.2"]  # type: ignore[index]


def test_a_published_framework_is_compiled_once_then_read_from_the_cache(django_assert_num_queries):
    framework = published()

    read_again = Framework.objects.get(pk=framework.pk)  # as another request reads it

    with django_assert_num_queries(1):  # its nodes, once
        first = compile_framework(framework)
    with django_assert_num_queries(0):
        again = compile_framework(read_again)

    assert again is first


def test_publishing_and_archiving_change_the_key():
    draft = small_framework()
    assert cache_key(draft) is None

    framework = services.publish_framework(actor=None, framework=draft)
    key = cache_key(framework)
    before = compile_framework(framework)
    archived = services.archive_framework(actor=None, framework=framework)

    assert key == (framework.pk, framework.version)
    assert cache_key(archived) == (framework.pk, archived.version) != key
    assert compile_framework(archived) is not before


def test_a_draft_is_compiled_afresh_after_every_edit():
    framework = small_framework()
    before = compile_framework(framework)

    services.update_node(actor=None, node=node(framework, "I.1"), params={"rule": "count", "points_each": 1})
    after_service = compile_framework(Framework.objects.get(pk=framework.pk))
    CriterionNode.objects.filter(framework=framework, code="I.2").update(params={"rule": "pass_fail"})
    after_raw_write = compile_framework(Framework.objects.get(pk=framework.pk))

    assert before.rules["I.1"].field == "passed"
    assert after_service.rules["I.1"].field == "count"
    assert after_raw_write.rules["I.2"].field == "passed"


def test_a_draft_is_never_kept_in_the_cache():
    framework = small_framework()

    compile_framework(framework)

    assert compiled._cache == {}
