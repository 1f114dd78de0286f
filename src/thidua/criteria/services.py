"""Every change to criteria frameworks: one function each, audited, in a transaction.

Only drafts change. Publishing validates the framework with the engine and refuses while
any error remains; a published edition is immutable and is changed by cloning it into a new
draft edition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.exceptions import StaleObjectError
from thidua.criteria.convert import document_rows, framework_document, split_entry
from thidua.criteria.models import POINTS, CriterionNode, Framework, FrameworkStatus, NodeKind
from thidua.organizations.models import Cluster
from thidua.scoring.engine.errors import FormatError, Problem, Severity
from thidua.scoring.engine.reference_format import framework_from_reference, framework_to_reference
from thidua.scoring.engine.validation import validate_framework

FRAMEWORK_FIELDS = ("name", "total", "bonus_cap", "penalty_cap", "description", "cluster", "year")
NODE_FIELDS = ("code", "title", "guidance", "evidence", "max_points", "params")


class FrameworkLocked(ValidationError):  # noqa: N818 -- reads as what happened, like Django's PermissionDenied
    def __init__(self, framework: Framework) -> None:
        super().__init__(
            _("“%(fw)s” đã ban hành nên không thể sửa. Hãy sao chép thành phiên bản mới để chỉnh sửa.")
            % {"fw": framework},
            code="locked",
        )


class PublishRefused(ValidationError):  # noqa: N818 -- as above
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            [_("Chưa thể ban hành: còn %(n)s lỗi cần sửa.") % {"n": len(problems)}, *[str(p) for p in problems]],
            code="invalid",
        )


def _require_draft(framework: Framework) -> None:
    if framework.status != FrameworkStatus.DRAFT:
        raise FrameworkLocked(framework)


def _lock(framework: Framework, expected_version: int | None = None) -> Framework:
    locked = Framework.objects.select_for_update().get(pk=framework.pk)
    _require_draft(locked)
    if expected_version is not None and locked.version != expected_version:
        raise StaleObjectError(locked)
    return locked


def _touch(framework: Framework) -> None:
    Framework.objects.filter(pk=framework.pk).update(version=framework.version + 1)
    framework.version += 1


# --- frameworks ---------------------------------------------------------------------------


@transaction.atomic
def create_framework(
    *,
    actor: Any,
    name: str,
    total: Decimal,
    bonus_cap: Decimal | None = None,
    penalty_cap: Decimal | None = None,
    description: str = "",
    cluster: Cluster | None = None,
    year: int | None = None,
) -> Framework:
    framework = Framework(
        name=name,
        total=total,
        bonus_cap=bonus_cap,
        penalty_cap=penalty_cap,
        description=description,
        cluster=cluster,
        year=year,
    )
    framework.full_clean()
    framework.save()
    audit.record(actor=actor, action="framework.create", obj=framework, data={"name": name, "total": total})
    return framework


@transaction.atomic
def update_framework(
    *, actor: Any, framework: Framework, expected_version: int | None = None, **values: Any
) -> Framework:
    locked = _lock(framework, expected_version)
    changes = {}
    for name in FRAMEWORK_FIELDS:
        if name in values and getattr(locked, name) != values[name]:
            changes[name] = [getattr(locked, name), values[name]]
            setattr(locked, name, values[name])
    if not changes:
        return locked
    locked.full_clean()
    locked.version += 1
    locked.save()
    audit.record(actor=actor, action="framework.update", obj=locked, data=changes)
    return locked


def problems_of(framework: Framework, nodes: Iterable[CriterionNode] | None = None) -> list[Problem]:
    """Every problem of a stored framework, in words: format problems first, then the engine's
    validation (errors and notices). Pass ``nodes`` when they are already loaded."""
    try:
        engine_framework = framework_from_reference(framework_document(framework, nodes))
    except FormatError as exc:
        return list(exc.problems)
    return validate_framework(engine_framework)


def errors_of(framework: Framework) -> list[Problem]:
    return [p for p in problems_of(framework) if p.severity == Severity.ERROR]


@transaction.atomic
def publish_framework(*, actor: Any, framework: Framework) -> Framework:
    locked = _lock(framework)
    errors = errors_of(locked)
    if errors:
        raise PublishRefused(errors)
    locked.status = FrameworkStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.version += 1
    locked.save()
    audit.record(actor=actor, action="framework.publish", obj=locked, data={"edition": locked.edition})
    return locked


@transaction.atomic
def archive_framework(*, actor: Any, framework: Framework, reason: str = "") -> Framework:
    locked = Framework.objects.select_for_update().get(pk=framework.pk)
    if locked.status != FrameworkStatus.PUBLISHED:
        raise ValidationError(_("Chỉ lưu trữ được bảng tiêu chí đã ban hành."), code="not_published")
    locked.status = FrameworkStatus.ARCHIVED
    locked.version += 1
    locked.save()
    audit.record(actor=actor, action="framework.archive", obj=locked, reason=reason)
    return locked


@transaction.atomic
def delete_framework(*, actor: Any, framework: Framework) -> None:
    locked = _lock(framework)
    audit.record(
        actor=actor, action="framework.delete", obj=locked, data={"name": locked.name, "edition": locked.edition}
    )
    locked.delete()


def _create_nodes(framework: Framework, document: dict[str, Any]) -> None:
    created: list[CriterionNode] = []
    for order, (kind, parent_index, fields) in enumerate(document_rows(document)):
        parent = created[parent_index] if parent_index is not None else None
        node = CriterionNode(framework=framework, parent=parent, kind=kind, order=order, **fields)
        node.save()
        created.append(node)


@transaction.atomic
def clone_framework(
    *, actor: Any, framework: Framework, name: str = "", cluster: Cluster | None = None, year: int | None = None
) -> Framework:
    """A new draft edition with the same content, for the next year (or another cluster)."""
    document = framework_document(framework)
    family = _family_root(framework)
    last = Framework.objects.filter(pk__in=_family_ids(family)).aggregate(m=Max("edition"))["m"] or framework.edition
    clone = Framework(
        name=name or framework.name,
        total=framework.total,
        bonus_cap=framework.bonus_cap,
        penalty_cap=framework.penalty_cap,
        description=framework.description,
        cluster=cluster if cluster is not None else framework.cluster,
        year=year,
        extra=dict(framework.extra),
        edition=last + 1,
        cloned_from=framework,
    )
    clone.save()
    _create_nodes(clone, document)
    audit.record(
        actor=actor, action="framework.clone", obj=clone, data={"from": str(framework), "edition": clone.edition}
    )
    return clone


def _family_root(framework: Framework) -> Framework:
    current = framework
    seen = {current.pk}
    while current.cloned_from_id and current.cloned_from_id not in seen:
        current = Framework.objects.get(pk=current.cloned_from_id)
        seen.add(current.pk)
    return current


def _family_ids(root: Framework) -> set[int]:
    ids = {root.pk}
    frontier = [root.pk]
    while frontier:
        frontier = list(Framework.objects.filter(cloned_from_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


@transaction.atomic
def create_from_document(
    *,
    actor: Any,
    document: dict[str, Any],
    cluster: Cluster | None = None,
    year: int | None = None,
    is_template: bool = False,
    source: str = "",
) -> Framework:
    """A draft framework from a reference document (YAML import, built-in template).

    Raises the engine's ``FormatError`` listing every problem; nothing is saved then.
    """
    canonical = framework_to_reference(framework_from_reference(document))
    refused = storage_problems(canonical)
    if refused:
        raise FormatError(refused)
    meta = canonical["framework"]
    framework = Framework(
        name=meta["name"],
        total=Decimal(str(meta["total"])),
        bonus_cap=Decimal(str(meta["bonus_cap"])) if "bonus_cap" in meta else None,
        penalty_cap=Decimal(str(meta["penalty_cap"])) if "penalty_cap" in meta else None,
        extra={k: v for k, v in meta.items() if k not in ("name", "total", "bonus_cap", "penalty_cap")},
        cluster=cluster,
        year=year,
        is_template=is_template,
    )
    framework.save()
    _create_nodes(framework, canonical)
    audit.record(actor=actor, action="framework.import", obj=framework, data={"source": source})
    return framework


TEXT_LIMITS = {"name": 255, "code": 30, "title": 500}  # the model fields' max_length
_POINTS_LIMIT = Decimal(10) ** (POINTS["max_digits"] - POINTS["decimal_places"])


def text_too_long(key: str, value: Any) -> str | None:
    """Why a name, code or title cannot be stored (too long), or None."""
    limit = TEXT_LIMITS.get(key)
    if limit is None or not isinstance(value, str) or len(value) <= limit:
        return None
    return _("dài %(n)s ký tự, tối đa %(max)s.") % {"n": len(value), "max": limit}


def points_unfit(value: Any) -> str | None:
    """Why a number of points cannot be stored (over 4 decimals, or too large), or None."""
    number = Decimal(str(value))
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > POINTS["decimal_places"]:
        return _("%(v)s có quá %(n)s chữ số thập phân.") % {"v": value, "n": POINTS["decimal_places"]}
    if abs(number) >= _POINTS_LIMIT:
        return _("%(v)s quá lớn (phải nhỏ hơn %(max)s).") % {"v": value, "max": _POINTS_LIMIT}
    return None


def storage_problems(canonical: dict[str, Any]) -> list[Problem]:
    """What a canonical document holds that the database cannot store as is: codes used twice
    (the engine reads them, validation reports them, but nodes need unique codes), texts
    longer than their fields, points with more than 4 decimals or too large. Each problem
    names its document path, like the engine's format problems."""
    problems: list[Problem] = []

    def add(path: str, message: str | None) -> None:
        if message:
            problems.append(Problem("format", path, message))

    meta = canonical["framework"]
    add("framework.name", text_too_long("name", meta.get("name")))
    for key in ("total", "bonus_cap", "penalty_cap"):
        if meta.get(key) is not None:
            add(f"framework.{key}", points_unfit(meta[key]))
    seen: set[str] = set()
    for path, entry in _entries(canonical):
        code = str(entry["code"])
        if code in seen:
            add(f"{path}.code", _("mã “%(code)s” đã dùng ở mục trước; mỗi mã phải là duy nhất.") % {"code": code})
        seen.add(code)
        for key in ("code", "title"):
            add(f"{path}.{key}", text_too_long(key, entry.get(key)))
        if entry.get("max") is not None:
            add(f"{path}.max", points_unfit(entry["max"]))
    return problems


def _entries(canonical: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(entry: dict[str, Any], path: str) -> None:
        found.append((path, entry))
        for index, child in enumerate(entry.get("leaves", [])):
            walk(child, f"{path}.leaves[{index}]")

    for index, group in enumerate(canonical.get("groups", [])):
        walk(group, f"groups[{index}]")
    for section in ("bonus", "penalty", "conditions"):
        for index, entry in enumerate(canonical.get(section, [])):
            found.append((f"{section}[{index}]", entry))
    return found


# --- nodes --------------------------------------------------------------------------------


def _check_code(framework: Framework, code: str, exclude: int | None = None) -> str:
    code = code.strip()
    if not code:
        raise ValidationError({"code": [_("Mã không được để trống.")]})
    clash = framework.nodes.filter(code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"code": [_("Mã “%(code)s” đã có trong bảng tiêu chí này.") % {"code": code}]})
    return code


def _check_parent(kind: str, parent: CriterionNode | None) -> None:
    if kind in (NodeKind.GROUP, NodeKind.LEAF):
        if kind == NodeKind.LEAF and parent is None:
            raise ValidationError({"parent": [_("Tiêu chí phải nằm trong một nhóm.")]})
        if parent is not None and parent.kind != NodeKind.GROUP:
            raise ValidationError({"parent": [_("Chỉ nhóm tiêu chí mới chứa được mục con.")]})
    elif parent is not None:
        raise ValidationError({"parent": [_("Điểm thưởng, điểm trừ và điều kiện không nằm trong nhóm.")]})


def _check_same_framework(framework: Framework, parent: CriterionNode | None) -> None:
    if parent is not None and parent.framework_id != framework.pk:
        raise ValidationError({"parent": [_("Nhóm cha phải thuộc cùng bảng tiêu chí.")]})


def _next_order(framework: Framework, parent: CriterionNode | None, kind: str) -> int:
    siblings = framework.nodes.filter(parent=parent)
    if parent is None:
        siblings = siblings.filter(kind=kind)
    return (siblings.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def add_node(
    *,
    actor: Any,
    framework: Framework,
    kind: str,
    code: str,
    title: str,
    parent: CriterionNode | None = None,
    max_points: Decimal | None = None,
    params: dict[str, Any] | None = None,
    guidance: str = "",
    evidence: str = "",
) -> CriterionNode:
    locked = _lock(framework)
    _check_parent(kind, parent)
    _check_same_framework(locked, parent)
    node = CriterionNode(
        framework=locked,
        parent=parent,
        kind=kind,
        code=_check_code(locked, code),
        title=title.strip(),
        max_points=max_points,
        params=params or {},
        guidance=guidance,
        evidence=evidence,
        order=_next_order(locked, parent, kind),
    )
    node.full_clean(exclude=["framework", "parent"])
    node.save()
    _touch(locked)
    audit.record(actor=actor, action="criterion.add", obj=locked, data={"code": node.code, "kind": kind})
    return node


@transaction.atomic
def update_node(
    *, actor: Any, node: CriterionNode, expected_version: int | None = None, **values: Any
) -> CriterionNode:
    locked_fw = _lock(node.framework)
    current = CriterionNode.objects.select_for_update().get(pk=node.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleObjectError(current)
    if "code" in values:
        values["code"] = _check_code(locked_fw, values["code"], exclude=current.pk)
    changes = {}
    for name in NODE_FIELDS:
        if name in values and getattr(current, name) != values[name]:
            changes[name] = [getattr(current, name), values[name]]
            setattr(current, name, values[name])
    if not changes:
        return current
    current.full_clean(exclude=["framework", "parent"])
    current.version += 1
    current.save()
    _touch(locked_fw)
    audit.record(actor=actor, action="criterion.update", obj=locked_fw, data={"code": current.code, **changes})
    return current


@transaction.atomic
def move_node(
    *, actor: Any, node: CriterionNode, parent: CriterionNode | None = None, position: int | None = None
) -> CriterionNode:
    """Put ``node`` under ``parent`` at ``position`` (0-based) among its siblings."""
    locked_fw = _lock(node.framework)
    current = CriterionNode.objects.select_for_update().get(pk=node.pk)
    _check_parent(current.kind, parent)
    _check_same_framework(locked_fw, parent)
    if parent is not None:
        ancestor: CriterionNode | None = parent
        while ancestor is not None:
            if ancestor.pk == current.pk:
                raise ValidationError({"parent": [_("Không thể chuyển một nhóm vào bên trong chính nó.")]})
            ancestor = ancestor.parent
    siblings = list(
        locked_fw.nodes.filter(parent=parent, **({"kind": current.kind} if parent is None else {}))
        .exclude(pk=current.pk)
        .order_by("order", "pk")
    )
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    siblings.insert(index, current)
    old_parent = current.parent_id
    current.parent = parent
    for order, sibling in enumerate(siblings, start=1):
        sibling.order = order
    CriterionNode.objects.bulk_update(siblings, ["order", "parent"])
    _touch(locked_fw)
    audit.record(
        actor=actor,
        action="criterion.move",
        obj=locked_fw,
        data={"code": current.code, "parent": [old_parent, parent.code if parent else None], "position": index},
    )
    return current


def move_by(*, actor: Any, node: CriterionNode, delta: int) -> CriterionNode:
    """Move a node up (−1) or down (+1) among its siblings."""
    siblings = list(
        node.framework.nodes.filter(parent=node.parent, **({"kind": node.kind} if node.parent is None else {}))
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    index = siblings.index(node.pk)
    return move_node(actor=actor, node=node, parent=node.parent, position=max(0, index + delta))


@transaction.atomic
def delete_node(*, actor: Any, node: CriterionNode) -> None:
    locked_fw = _lock(node.framework)
    codes = [node.code, *_descendant_codes(node)]
    node.delete()
    _touch(locked_fw)
    audit.record(actor=actor, action="criterion.delete", obj=locked_fw, data={"codes": codes})


def _descendant_codes(node: CriterionNode) -> list[str]:
    codes: list[str] = []
    for child in node.children.all():
        codes.append(child.code)
        codes.extend(_descendant_codes(child))
    return codes


def node_fields_from_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """Fields for ``add_node``/``update_node`` from a reference-format entry."""
    return split_entry(entry)


# --- diff ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    code: str
    title: str
    fields: dict[str, tuple[Any, Any]]
    points_delta: Decimal


def diff_frameworks(old: Framework, new: Framework) -> list[Change]:
    """What changed from ``old`` to ``new``: nodes added, removed, changed, and points moved."""
    before = {n.code: n for n in old.nodes.select_related("parent")}
    after = {n.code: n for n in new.nodes.select_related("parent")}
    changes: list[Change] = []
    zero = Decimal(0)
    for code, node in after.items():
        if code not in before:
            changes.append(Change("added", code, node.title, {}, node.max_points or zero))
    for code, node in before.items():
        if code not in after:
            changes.append(Change("removed", code, node.title, {}, -(node.max_points or zero)))
    for code in before.keys() & after.keys():
        a, b = before[code], after[code]
        fields = {
            name: (getattr(a, name), getattr(b, name))
            for name in ("title", "max_points", "params", "guidance", "evidence", "kind")
            if getattr(a, name) != getattr(b, name)
        }
        parent_a = a.parent.code if a.parent_id and a.parent else None
        parent_b = b.parent.code if b.parent_id and b.parent else None
        if parent_a != parent_b:
            fields["parent"] = (parent_a, parent_b)
        if fields:
            changes.append(Change("changed", code, b.title, fields, (b.max_points or zero) - (a.max_points or zero)))
    return sorted(changes, key=lambda c: (c.code, c.kind))
