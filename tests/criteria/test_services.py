"""Services of criteria frameworks: only drafts change, publishing validates, a published
edition is cloned into a new draft, every change is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from thidua.core.audit import entries_for
from thidua.core.exceptions import StaleObjectError
from thidua.criteria import services
from thidua.criteria.builtin import ensure_reference_template, reference_document
from thidua.criteria.importexport import canonical_document
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus
from thidua.scoring.engine.errors import FormatError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def small_framework(actor=None, **options) -> Framework:
    """10 points: group I (10) with I.1 pass/fail (6) and I.2 manual on 0.5 (4); a penalty."""
    framework = services.create_framework(actor=actor, name="Bảng thử", total=Decimal(10), **options)
    group = services.add_node(
        actor=actor, framework=framework, kind="group", code="I", title="Nhóm I", max_points=Decimal(10)
    )
    for code, top, params in (("I.1", 6, {"rule": "pass_fail"}), ("I.2", 4, {"rule": "manual", "step": 0.5})):
        services.add_node(
            actor=actor,
            framework=framework,
            kind="leaf",
            code=code,
            title=f"Tiêu chí {code}",
            parent=group,
            max_points=Decimal(top),
            params=params,
        )
    services.add_node(
        actor=actor, framework=framework, kind="penalty", code="P.1", title="Chậm hạn", params={"points_each": 1}
    )
    return Framework.objects.get(pk=framework.pk)


def node(framework: Framework, code: str) -> CriterionNode:
    return CriterionNode.objects.get(framework=framework, code=code)


def codes_under(framework: Framework, code: str | None) -> list[str]:
    return list(
        CriterionNode.objects.filter(framework=framework, parent__code=code)
        .order_by("order", "pk")
        .values_list("code", flat=True)
    )


def test_publishing_a_valid_framework_makes_it_immutable_and_records_who(world):
    framework = small_framework()

    published = services.publish_framework(actor=world.dave, framework=framework)

    assert published.status == FrameworkStatus.PUBLISHED
    assert published.published_by == world.dave
    assert published.published_at is not None
    assert not published.is_editable


def test_publishing_refuses_an_invalid_framework_and_lists_every_error():
    framework = small_framework()
    services.update_node(actor=None, node=node(framework, "I.1"), params={"rule": "levels"})
    services.update_framework(actor=None, framework=Framework.objects.get(pk=framework.pk), total=Decimal(12))

    with pytest.raises(services.PublishRefused) as refused:
        services.publish_framework(actor=None, framework=framework)

    assert [(p.code, p.node, p.message) for p in refused.value.problems] == [
        (
            "groups_total_mismatch",
            "",
            "Điểm tối đa của các nhóm cộng lại là 10, khác tổng điểm 12 của bảng tiêu chí.",
        ),
        ("levels_missing", "I.1", "Tiêu chí I.1 chấm theo mức nhưng chưa khai báo các mức."),
    ]
    assert refused.value.messages[0] == "Chưa thể ban hành: còn 2 lỗi cần sửa."
    assert Framework.objects.get(pk=framework.pk).status == FrameworkStatus.DRAFT


def test_notices_alone_do_not_stop_publishing():
    framework = small_framework()
    services.update_node(actor=None, node=node(framework, "I.1"), max_points=Decimal(8))  # 8 + 4 > 10: a notice

    published = services.publish_framework(actor=None, framework=framework)

    assert published.status == FrameworkStatus.PUBLISHED
    assert [p.code for p in services.problems_of(published)] == ["children_exceed_group"]


MUTATIONS = {
    "update_framework": lambda fw: services.update_framework(actor=None, framework=fw, name="Tên mới"),
    "delete_framework": lambda fw: services.delete_framework(actor=None, framework=fw),
    "publish_framework": lambda fw: services.publish_framework(actor=None, framework=fw),
    "add_node": lambda fw: services.add_node(
        actor=None, framework=fw, kind="leaf", code="I.3", title="Mới", parent=node(fw, "I")
    ),
    "update_node": lambda fw: services.update_node(actor=None, node=node(fw, "I.1"), title="Sửa"),
    "move_node": lambda fw: services.move_node(actor=None, node=node(fw, "I.2"), parent=node(fw, "I"), position=0),
    "move_by": lambda fw: services.move_by(actor=None, node=node(fw, "I.2"), delta=-1),
    "delete_node": lambda fw: services.delete_node(actor=None, node=node(fw, "I.2")),
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_every_change_to_a_published_framework_is_refused_as_locked(mutation):
    framework = services.publish_framework(actor=None, framework=small_framework())
    before = canonical_document(framework)

    with pytest.raises(services.FrameworkLocked) as locked:
        mutation(Framework.objects.get(pk=framework.pk))

    assert locked.value.messages == [
        "“Bảng thử (phiên bản 1)” đã ban hành nên không thể sửa. Hãy sao chép thành phiên bản mới để chỉnh sửa."
    ]
    assert canonical_document(Framework.objects.get(pk=framework.pk)) == before


def test_an_archived_framework_is_locked_too():
    framework = services.publish_framework(actor=None, framework=small_framework())
    archived = services.archive_framework(actor=None, framework=framework, reason="Hết năm áp dụng")

    with pytest.raises(services.FrameworkLocked):
        services.update_framework(actor=None, framework=archived, name="Tên mới")

    assert archived.status == FrameworkStatus.ARCHIVED


def test_only_a_published_framework_can_be_archived():
    with pytest.raises(ValidationError) as refused:
        services.archive_framework(actor=None, framework=small_framework())

    assert refused.value.messages == ["Chỉ lưu trữ được bảng tiêu chí đã ban hành."]


def test_a_clone_is_a_draft_of_the_next_edition_with_identical_content(world):
    framework = services.publish_framework(actor=None, framework=small_framework())

    clone = services.clone_framework(actor=world.alice, framework=framework, cluster=world.cluster, year=2021)

    assert (clone.status, clone.edition, clone.cloned_from, clone.cluster, clone.year) == (
        FrameworkStatus.DRAFT,
        2,
        framework,
        world.cluster,
        2021,
    )
    assert canonical_document(clone) == canonical_document(framework)
    assert services.diff_frameworks(framework, clone) == []


def test_editions_count_across_the_whole_family_of_clones():
    original = services.publish_framework(actor=None, framework=small_framework())
    first = services.clone_framework(actor=None, framework=original)
    second = services.clone_framework(actor=None, framework=original)
    third = services.clone_framework(actor=None, framework=first)

    assert [first.edition, second.edition, third.edition] == [2, 3, 4]


def test_the_diff_finds_added_removed_and_changed_nodes_and_the_points_moved():
    old = services.publish_framework(actor=None, framework=small_framework())
    new = services.clone_framework(actor=None, framework=old)
    services.update_node(actor=None, node=node(new, "I.1"), max_points=Decimal(5), title="Tiêu chí I.1 sửa")
    services.delete_node(actor=None, node=node(new, "P.1"))
    services.add_node(
        actor=None,
        framework=new,
        kind="leaf",
        code="I.3",
        title="Tiêu chí mới",
        parent=node(new, "I"),
        max_points=Decimal(1),
        params={"rule": "pass_fail"},
    )

    changes = services.diff_frameworks(old, new)

    assert [(c.kind, c.code, c.title, c.fields, c.points_delta) for c in changes] == [
        (
            "changed",
            "I.1",
            "Tiêu chí I.1 sửa",
            {"title": ("Tiêu chí I.1", "Tiêu chí I.1 sửa"), "max_points": (Decimal("6.0000"), Decimal(5))},
            Decimal(-1),
        ),
        ("added", "I.3", "Tiêu chí mới", {}, Decimal(1)),
        ("removed", "P.1", "Chậm hạn", {}, Decimal(0)),
    ]


def test_the_diff_notices_a_criterion_moved_to_another_group():
    old = small_framework()
    group = services.add_node(
        actor=None, framework=old, kind="group", code="II", title="Nhóm II", max_points=Decimal(1)
    )
    new = services.clone_framework(actor=None, framework=Framework.objects.get(pk=old.pk))
    services.move_node(actor=None, node=node(new, "I.2"), parent=node(new, "II"))

    changes = services.diff_frameworks(old, new)

    assert group.code == "II"
    assert [(c.kind, c.code, c.fields) for c in changes] == [("changed", "I.2", {"parent": ("I", "II")})]


def test_moving_a_node_puts_it_at_the_position_among_its_new_siblings():
    framework = small_framework()
    services.add_node(actor=None, framework=framework, kind="group", code="II", title="Nhóm II", max_points=Decimal(1))
    services.add_node(
        actor=None, framework=framework, kind="leaf", code="II.1", title="A", parent=node(framework, "II")
    )

    services.move_node(actor=None, node=node(framework, "I.2"), parent=node(framework, "II"), position=0)

    assert codes_under(framework, "I") == ["I.1"]
    assert codes_under(framework, "II") == ["I.2", "II.1"]


def test_moving_up_and_down_reorders_siblings():
    framework = small_framework()

    services.move_by(actor=None, node=node(framework, "I.2"), delta=-1)
    after_up = codes_under(framework, "I")
    services.move_by(actor=None, node=node(framework, "I.2"), delta=+1)

    assert after_up == ["I.2", "I.1"]
    assert codes_under(framework, "I") == ["I.1", "I.2"]


def test_a_group_cannot_move_inside_itself():
    framework = small_framework()
    inner = services.add_node(
        actor=None, framework=framework, kind="group", code="I.A", title="Nhóm con", parent=node(framework, "I")
    )

    with pytest.raises(ValidationError) as refused:
        services.move_node(actor=None, node=node(framework, "I"), parent=inner)

    assert refused.value.message_dict == {"parent": ["Không thể chuyển một nhóm vào bên trong chính nó."]}


def test_deleting_a_group_deletes_its_criteria_and_records_their_codes():
    framework = small_framework()

    services.delete_node(actor=None, node=node(framework, "I"))

    assert list(CriterionNode.objects.filter(framework=framework).values_list("code", flat=True)) == ["P.1"]
    assert entries_for(framework).first().data == {"codes": ["I", "I.1", "I.2"]}


def test_a_code_can_be_used_only_once_in_a_framework():
    framework = small_framework()

    with pytest.raises(ValidationError) as refused:
        services.add_node(
            actor=None, framework=framework, kind="leaf", code=" I.1 ", title="X", parent=node(framework, "I")
        )

    assert refused.value.message_dict == {"code": ["Mã “I.1” đã có trong bảng tiêu chí này."]}


def test_a_criterion_needs_a_group_of_the_same_framework():
    framework = small_framework()
    other = small_framework()

    with pytest.raises(ValidationError) as no_group:
        services.add_node(actor=None, framework=framework, kind="leaf", code="X", title="X")
    with pytest.raises(ValidationError) as foreign:
        services.add_node(actor=None, framework=framework, kind="leaf", code="X", title="X", parent=node(other, "I"))

    assert no_group.value.message_dict == {"parent": ["Tiêu chí phải nằm trong một nhóm."]}
    assert foreign.value.message_dict == {"parent": ["Nhóm cha phải thuộc cùng bảng tiêu chí."]}


def test_a_stale_version_is_refused_without_overwriting():
    framework = small_framework()
    opened = framework.version
    services.update_framework(actor=None, framework=framework, name="Sửa lần một")

    with pytest.raises(StaleObjectError):
        services.update_framework(actor=None, framework=framework, expected_version=opened, name="Sửa lần hai")

    assert Framework.objects.get(pk=framework.pk).name == "Sửa lần một"


def test_a_stale_node_version_is_refused_without_overwriting():
    framework = small_framework()
    leaf = node(framework, "I.1")
    services.update_node(actor=None, node=leaf, title="Sửa lần một")

    with pytest.raises(StaleObjectError):
        services.update_node(actor=None, node=leaf, expected_version=1, title="Sửa lần hai")

    assert node(framework, "I.1").title == "Sửa lần một"


def test_every_change_writes_an_audit_row_with_the_actor(world):
    framework = small_framework(actor=world.dave)
    services.update_node(actor=world.dave, node=node(framework, "I.1"), title="Sửa")
    services.move_by(actor=world.dave, node=node(framework, "I.2"), delta=-1)
    services.publish_framework(actor=world.dave, framework=framework)
    clone = services.clone_framework(actor=world.dave, framework=framework)

    trail = list(entries_for(framework))

    assert [e.action for e in reversed(trail)] == [
        "framework.create",
        "criterion.add",
        "criterion.add",
        "criterion.add",
        "criterion.add",
        "criterion.update",
        "criterion.move",
        "framework.publish",
    ]
    assert {e.actor for e in trail} == {world.dave}
    assert [e.action for e in entries_for(clone)] == ["framework.clone"]
    assert entries_for(clone).get().data == {"from": "Bảng thử (phiên bản 1)", "edition": 2}


def test_a_document_with_a_code_used_twice_is_refused_naming_the_second_one():
    document = reference_document()
    document["groups"][0]["leaves"][3]["code"] = "I.1"
    count = Framework.objects.count()

    with pytest.raises(FormatError) as refused:
        services.create_from_document(actor=None, document=document)

    assert [(p.node, p.message) for p in refused.value.problems] == [
        ("groups[0].leaves[3].code", "mã “I.1” đã dùng ở mục trước; mỗi mã phải là duy nhất.")
    ]
    assert Framework.objects.count() == count


def test_a_document_the_database_cannot_hold_is_refused_with_every_reason():
    document = reference_document()
    document["framework"]["name"] = "T" * 256
    document["groups"][0]["leaves"][0]["code"] = "C" * 31
    document["groups"][0]["leaves"][1]["max"] = 2.12345
    document["groups"][1]["max"] = 100000

    with pytest.raises(FormatError) as refused:
        services.create_from_document(actor=None, document=document)

    assert [(p.node, p.message) for p in refused.value.problems] == [
        ("framework.name", "dài 256 ký tự, tối đa 255."),
        ("groups[0].leaves[0].code", "dài 31 ký tự, tối đa 30."),
        ("groups[0].leaves[1].max", "2.12345 có quá 4 chữ số thập phân."),
        ("groups[1].max", "100000 quá lớn (phải nhỏ hơn 100000)."),
    ]


def test_the_built_in_template_is_created_and_published_once():
    first = ensure_reference_template()
    services.archive_framework(actor=None, framework=first)

    again = ensure_reference_template()

    assert again == first
    assert Framework.objects.count() == 1
    assert (first.is_template, first.cluster, first.status) == (True, None, FrameworkStatus.PUBLISHED)
    assert canonical_document(first) == reference_document()
    assert [e.action for e in reversed(entries_for(first))] == [
        "framework.import",
        "framework.publish",
        "framework.archive",
    ]
