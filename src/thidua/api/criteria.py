"""API for criteria frameworks (bảng tiêu chí) and their nodes. Every write goes through
``criteria.services``; the permissions are the rules ``criteria.view_framework``,
``criteria.change_framework`` and ``criteria.add_framework``.

A draft the user may not edit does not exist for them (404); a published framework they may
read but not change is a 403 on writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.api.exceptions import problem_json
from thidua.api.organizations import expected_version
from thidua.criteria import importexport, services
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus, NodeKind
from thidua.criteria.rules import can_edit_framework, frameworks_visible_to
from thidua.organizations.models import Cluster
from thidua.scoring.engine.errors import Severity

SECTION_ORDER = {NodeKind.GROUP: 0, NodeKind.LEAF: 0, NodeKind.BONUS: 1, NodeKind.PENALTY: 2, NodeKind.CONDITION: 3}


def visible_frameworks(user: Any) -> QuerySet[Framework]:
    """The frameworks the user may read (``criteria.rules.frameworks_visible_to``), with their cluster."""
    return frameworks_visible_to(user).select_related("cluster")


def may_edit_target(user: Any, cluster: Cluster | None, year: int | None) -> bool:
    """Whether the user may edit a draft of this cluster and year (before it exists)."""
    return bool(can_edit_framework(user, Framework(cluster=cluster, year=year)))


def refuse_target(user: Any, cluster: Cluster | None, year: int | None) -> None:
    if not may_edit_target(user, cluster, year):
        raise PermissionDenied(
            _(
                "Bạn chỉ tạo hoặc chuyển được bảng tiêu chí cho cụm và năm mà mình làm Thường trực Cụm; "
                "bảng không thuộc cụm nào do Học viện quản lý."
            )
        )


def _plain(value: Any) -> Any:
    """A value for JSON: decimals as exact strings ("2.5"), the rest as is."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


class PointsField(serializers.DecimalField):
    """Points as an exact decimal string without padding ("100", "0.25")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=9, decimal_places=4, **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(_plain(Decimal(value)))


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    total = PointsField()
    bonus_cap = PointsField(allow_null=True, required=False)
    penalty_cap = PointsField(allow_null=True, required=False)
    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), allow_null=True, required=False
    )
    version = serializers.IntegerField(read_only=True)
    can_change = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "id",
            "name",
            "total",
            "bonus_cap",
            "penalty_cap",
            "description",
            "cluster",
            "year",
            "edition",
            "status",
            "is_template",
            "cloned_from",
            "created_at",
            "published_at",
            "version",
            "can_change",
        ]
        read_only_fields = ["edition", "status", "is_template", "cloned_from", "created_at", "published_at"]

    def get_can_change(self, framework: Framework) -> bool:
        request = self.context.get("request")
        return bool(request and request.user.has_perm("criteria.change_framework", framework))


class CloneSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), allow_null=True, required=False
    )
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2200)


class ImportSerializer(CloneSerializer):
    file = serializers.FileField()
    name = None  # type: ignore[assignment]  # the name comes from the file


class NodeSerializer(serializers.ModelSerializer[CriterionNode]):
    # DRF pops declared fields off the class, so "parent" does not shadow Field.parent at run time
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", allow_null=True, required=False, default=None
    )
    max_points = PointsField(allow_null=True, required=False)
    params = serializers.JSONField(required=False)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = CriterionNode
        fields = ["id", "kind", "code", "title", "parent", "max_points", "params", "guidance", "evidence", "order"]
        fields += ["version"]
        read_only_fields = ["order"]

    def validate_params(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValidationError(_('Tham số phải là một đối tượng JSON {"khóa": giá trị}.'))
        return value


class MoveSerializer(serializers.Serializer[Any]):
    parent = serializers.CharField(allow_null=True, required=False, default=None)  # type: ignore[assignment]  # as above
    position = serializers.IntegerField(allow_null=True, required=False, default=None, min_value=0)


class FrameworkAccess(permissions.BasePermission):
    """Signed-in users read (the queryset hides drafts they may not edit); writes need
    ``criteria.add_framework``, and each write checks the framework itself."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or bool(request.user.has_perm("criteria.add_framework"))


def editable(request: Request, framework: Framework) -> Framework:
    """The framework if the user may change it, else 403 (they can read it)."""
    if not request.user.has_perm("criteria.change_framework", framework):
        raise PermissionDenied(_("Bạn không có quyền sửa bảng tiêu chí này."))
    return framework


class FrameworkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Framework]):
    """Frameworks: list (``?cluster=C9``, ``-`` for none; ``?year=``; ``?status=``), read,
    create, change and delete drafts, and the actions below."""

    serializer_class = FrameworkSerializer
    permission_classes = [FrameworkAccess]
    queryset = Framework.objects.none()  # for the schema; get_queryset filters by access

    def get_queryset(self) -> QuerySet[Framework]:
        frameworks = visible_frameworks(self.request.user).order_by(
            F("year").desc(nulls_last=True), "name_sort", "-edition", "pk"
        )
        params = self.request.query_params
        cluster = params.get("cluster")
        if cluster == "-":
            frameworks = frameworks.filter(cluster__isnull=True)
        elif cluster:
            frameworks = frameworks.filter(cluster__code=cluster.upper())
        if params.get("year", "").isdigit():
            frameworks = frameworks.filter(year=int(params["year"]))
        if params.get("status") in FrameworkStatus.values:
            frameworks = frameworks.filter(status=params["status"])
        return frameworks

    def _respond(self, framework: Framework, code: int = status.HTTP_200_OK) -> Response:
        fresh = visible_frameworks(self.request.user).get(pk=framework.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refuse_target(request.user, data.get("cluster"), data.get("year"))
        framework = services.create_framework(actor=request.user, **data)
        return self._respond(framework, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        framework = editable(request, self.get_object())
        serializer = self.get_serializer(framework, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refuse_target(request.user, data.get("cluster", framework.cluster), data.get("year", framework.year))
        framework = services.update_framework(
            actor=request.user, framework=framework, expected_version=expected_version(request), **data
        )
        return self._respond(framework)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        framework = editable(request, self.get_object())
        services.delete_framework(actor=request.user, framework=framework)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Ban hành: refused (400, with every problem) while the framework has errors."""
        framework = editable(request, self.get_object())
        framework = services.publish_framework(actor=request.user, framework=framework)
        return self._respond(framework)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        framework = editable(request, self.get_object())
        framework = services.archive_framework(
            actor=request.user, framework=framework, reason=str(request.data.get("reason", ""))
        )
        return self._respond(framework)

    @extend_schema(request=CloneSerializer)
    @action(detail=True, methods=["post"])
    def clone(self, request: Request, pk: str | None = None) -> Response:
        """A new draft edition of a framework the user can read, for a cluster and year they run."""
        source = self.get_object()
        serializer = CloneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cluster = data.get("cluster", source.cluster)
        year = data.get("year")
        refuse_target(request.user, cluster, year)
        clone = services.clone_framework(
            actor=request.user, framework=source, name=data.get("name", ""), cluster=cluster, year=year
        )
        return self._respond(clone, status.HTTP_201_CREATED)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def validate(self, request: Request, pk: str | None = None) -> Response:
        """Every problem of the framework in words (errors block publishing, notices inform)."""
        problems = services.problems_of(self.get_object())
        errors = [p for p in problems if p.severity == Severity.ERROR]
        return Response(
            {
                "valid": not errors,
                "errors": len(errors),
                "notices": len(problems) - len(errors),
                "problems": [problem_json(p) for p in problems],
            }
        )

    @extend_schema(parameters=[OpenApiParameter("other", int, required=True)], responses={200: dict})
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str | None = None) -> Response:
        """What changed in this framework compared with ``?other=<id>`` (the older one)."""
        framework = self.get_object()
        other_id = request.query_params.get("other", "")
        if not other_id.isdigit():
            raise ValidationError({"other": [_("Cần số hiệu (id) của bảng tiêu chí để so sánh.")]})
        other = get_object_or_404(visible_frameworks(request.user), pk=int(other_id))
        changes = services.diff_frameworks(other, framework)
        return Response(
            {
                "from": other.pk,
                "to": framework.pk,
                "changes": [
                    {
                        "kind": change.kind,
                        "code": change.code,
                        "title": change.title,
                        "fields": {name: _plain(values) for name, values in change.fields.items()},
                        "points_delta": _plain(change.points_delta),
                    }
                    for change in changes
                ],
            }
        )

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[BaseRenderer, str]:
        if self.action == "export":  # ?format= names the file's format here, not the response's
            return (JSONRenderer(), "application/json")
        return super().perform_content_negotiation(request, force)

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["yaml", "xlsx"])], responses={(200, "*/*"): bytes})
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The framework as a YAML (reference format) or XLSX file, as an attachment."""
        framework = self.get_object()
        chosen = request.query_params.get("format", "yaml")
        if chosen == "xlsx":
            data, media_type = importexport.export_xlsx(framework), importexport.XLSX_MEDIA_TYPE
        elif chosen == "yaml":
            data, media_type = importexport.export_yaml(framework), importexport.YAML_MEDIA_TYPE
        else:
            raise ValidationError({"format": [_("Chọn yaml hoặc xlsx.")]})
        response = HttpResponse(data, content_type=media_type)
        response["Content-Disposition"] = f'attachment; filename="{importexport.filename_for(framework, chosen)}"'
        return response

    @extend_schema(request={"multipart/form-data": ImportSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request) -> Response:
        """A new draft from a YAML or XLSX file; 400 with every problem (sheet, row, column)."""
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        refuse_target(request.user, data.get("cluster"), data.get("year"))
        upload = data["file"]
        if upload.size > importexport.MAX_IMPORT_BYTES:
            raise importexport.ImportProblems([importexport.too_large()])
        framework = importexport.import_file(
            actor=request.user,
            data=upload.read(),
            filename=upload.name or "",
            cluster=data.get("cluster"),
            year=data.get("year"),
        )
        return self._respond(framework, status.HTTP_201_CREATED)


class NodeViewSet(viewsets.GenericViewSet[CriterionNode]):
    """The nodes of one framework (``/frameworks/<id>/nodes/``) in tree order: groups and their
    criteria depth first, then bonus, penalty and condition items. Changes only on drafts."""

    serializer_class = NodeSerializer
    permission_classes = [FrameworkAccess]
    pagination_class = None  # a framework's nodes come whole, in tree order
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def framework(self, *, change: bool = False) -> Framework:
        framework = get_object_or_404(visible_frameworks(self.request.user), pk=self.kwargs["framework_pk"])
        return editable(self.request, framework) if change else framework

    def get_queryset(self) -> QuerySet[CriterionNode]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no framework_pk
            return CriterionNode.objects.none()
        return CriterionNode.objects.filter(framework_id=self.kwargs["framework_pk"]).select_related("parent")

    def node(self, framework: Framework) -> CriterionNode:
        return get_object_or_404(self.get_queryset().filter(framework=framework), pk=self.kwargs["pk"])

    def _parent(self, framework: Framework, code: str | None) -> CriterionNode | None:
        if not code:
            return None
        parent = framework.nodes.filter(code=code).first()
        if parent is None:
            raise ValidationError(
                {"parent": [_("Không có mục mã “%(code)s” trong bảng tiêu chí này.") % {"code": code}]}
            )
        return parent

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.framework()  # 404 unless the user may read it
        nodes = sorted(self.get_queryset(), key=lambda n: (n.order, n.pk))
        children: dict[int | None, list[CriterionNode]] = {}
        for node in nodes:
            children.setdefault(node.parent_id, []).append(node)
        ordered: list[CriterionNode] = []

        def walk(node: CriterionNode) -> None:
            ordered.append(node)
            for child in children.get(node.pk, []):
                walk(child)

        for node in sorted(children.get(None, []), key=lambda n: SECTION_ORDER[NodeKind(n.kind)]):
            walk(node)
        return Response(self.get_serializer(ordered, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.node(self.framework())).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        framework = self.framework(change=True)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent = self._parent(framework, (data.pop("parent", None) or {}).get("code"))
        node = services.add_node(actor=request.user, framework=framework, parent=parent, **data)
        return Response(self.get_serializer(self.node_by_pk(node.pk)).data, status=status.HTTP_201_CREATED)

    def node_by_pk(self, pk: int) -> CriterionNode:
        return self.get_queryset().get(pk=pk)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        framework = self.framework(change=True)
        node = self.node(framework)
        serializer = self.get_serializer(node, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "parent" in request.data and (data.pop("parent", None) or {}).get("code") != (
            node.parent.code if node.parent else None
        ):
            raise ValidationError({"parent": [_("Để chuyển mục sang nhóm khác, dùng thao tác move.")]})
        data.pop("parent", None)
        if data.pop("kind", node.kind) != node.kind:
            raise ValidationError({"kind": [_("Không đổi được loại của một mục; hãy xóa và thêm mục mới.")]})
        node = services.update_node(actor=request.user, node=node, expected_version=expected_version(request), **data)
        return Response(self.get_serializer(self.node_by_pk(node.pk)).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        framework = self.framework(change=True)
        services.delete_node(actor=request.user, node=self.node(framework))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put the node under ``parent`` (a group's code; null for the top level) at ``position``."""
        framework = self.framework(change=True)
        node = self.node(framework)
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent = self._parent(framework, serializer.validated_data["parent"])
        services.move_node(actor=request.user, node=node, parent=parent, position=serializer.validated_data["position"])
        return Response(self.get_serializer(self.node_by_pk(node.pk)).data)
