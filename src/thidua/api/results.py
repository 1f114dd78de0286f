"""API for clarifications (giải trình), reconciliation (thống nhất điểm), results and the full
export. Every write goes through the ``thidua.reviews`` and ``thidua.results`` services; reads
follow the same rules as the pages (results invisible to members before publication; reviewer
names only to the secretariat/Academy unless the campaign allows; leniency to the secretariat
only).

Numbers are exact decimal strings ("8.66666666666666666667").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.campaigns.models import Campaign
from thidua.campaigns.rules import is_campaign_secretariat
from thidua.criteria.models import CriterionNode
from thidua.organizations.models import Organization
from thidua.results import compute, export, reconcile, rules, services
from thidua.reviews import clarify
from thidua.reviews.models import Clarification


def _campaign(request: Request, pk: Any) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("cluster_year__cluster", "framework"), pk=pk)
    if not request.user.has_perm("campaigns.view_campaign", campaign):
        raise NotFound
    return campaign


class MessageSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    text = serializers.CharField()
    attachment_name = serializers.CharField()
    created_at = serializers.DateTimeField()


class ClarificationSerializer(serializers.ModelSerializer[Clarification]):
    school = serializers.CharField(source="school.short_code", read_only=True)
    node = serializers.CharField(source="node.code", read_only=True)
    messages = MessageSerializer(many=True, read_only=True)

    class Meta:
        model = Clarification
        fields = ["id", "campaign", "school", "node", "question", "due_at", "status", "created_at", "messages"]
        read_only_fields = fields


class AskSerializer(serializers.Serializer[Any]):
    campaign = serializers.IntegerField()
    school = serializers.CharField()
    node = serializers.CharField()
    question = serializers.CharField()
    due_at = serializers.DateTimeField(required=False, allow_null=True)


class AnswerSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()
    file = serializers.FileField(required=False)


class ClarificationViewSet(viewsets.GenericViewSet[Clarification]):
    """Clarification threads: list (``?campaign=``), read, ask, answer (text + file), close."""

    serializer_class = ClarificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return Clarification.objects.select_related("school", "node", "campaign").prefetch_related("messages")

    def _get(self, request: Request, pk: Any) -> Clarification:
        clarification = get_object_or_404(self.get_queryset(), pk=pk)
        if not clarify.can_read(request.user, clarification):
            raise NotFound
        return clarification

    def list(self, request: Request) -> Response:
        campaign = _campaign(request, request.query_params.get("campaign") or 0)
        rows = clarify.visible_threads(request.user, campaign)
        return Response(ClarificationSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ClarificationSerializer(self._get(request, pk)).data)

    @extend_schema(request=AskSerializer, responses=ClarificationSerializer)
    def create(self, request: Request) -> Response:
        data = AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = _campaign(request, data.validated_data["campaign"])
        school = get_object_or_404(Organization, short_code=data.validated_data["school"])
        node = get_object_or_404(CriterionNode, framework_id=campaign.framework_id, code=data.validated_data["node"])
        created = clarify.ask(actor=request.user, campaign=campaign, school=school, node=node,
                              question=data.validated_data["question"],
                              due_at=data.validated_data.get("due_at"))  # fmt: skip
        return Response(ClarificationSerializer(self._get(request, created.pk)).data, status=201)

    @extend_schema(request=AnswerSerializer, responses=ClarificationSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        clarification = self._get(request, pk)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        clarify.answer(actor=request.user, clarification=clarification, text=data.validated_data["text"],
                       upload=data.validated_data.get("file"))  # fmt: skip
        return Response(ClarificationSerializer(self._get(request, pk)).data)

    @extend_schema(request=None, responses=ClarificationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        clarification = self._get(request, pk)
        clarify.close(actor=request.user, clarification=clarification)
        return Response(ClarificationSerializer(self._get(request, pk)).data)


class DecisionSerializer(serializers.Serializer[Any]):
    school = serializers.CharField()
    node = serializers.CharField()
    points = serializers.CharField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


def _n(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="id của đợt")])
class ResultsViewSet(viewsets.ViewSet):
    """Per campaign id: ``reconciliation`` (rows, accept, override, accept-unflagged, lock),
    ``results`` (GET), ``publish``, ``export``."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = "[0-9]+"

    def _secretariat(self, request: Request, pk: Any) -> Campaign:
        campaign = _campaign(request, pk)
        if not is_campaign_secretariat(request.user, campaign):
            raise PermissionDenied
        return campaign

    @extend_schema(responses=None)
    @action(detail=True, methods=["get"])
    def reconciliation(self, request: Request, pk: Any = None) -> Response:
        campaign = self._secretariat(request, pk)
        rows = reconcile.leaf_rows(reconcile.load_basis(campaign))
        return Response(
            [
                {
                    "school": row.school.short_code,
                    "node": row.node.code,
                    "max": str(row.max_points),
                    "self": _n(row.self_points),
                    "reviews": [{"reviewer": name, "points": str(p)} for _rid, name, p in row.reviews],
                    "proposed": _n(row.proposed),
                    "refusal": row.refusal,
                    "flags": list(row.flags),
                    "final": None
                    if row.final is None
                    else {"points": str(row.final.points), "source": row.final.source, "reason": row.final.reason},
                }
                for row in rows
            ]
        )

    def _target(self, request: Request, campaign: Campaign) -> tuple[Organization, CriterionNode, dict[str, Any]]:
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        school = get_object_or_404(Organization, short_code=data.validated_data["school"])
        node = get_object_or_404(CriterionNode, framework_id=campaign.framework_id, code=data.validated_data["node"])
        return school, node, data.validated_data

    @extend_schema(request=DecisionSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        campaign = self._secretariat(request, pk)
        school, node, _data = self._target(request, campaign)
        final = reconcile.accept(actor=request.user, campaign=campaign, school=school, node=node)
        return Response({"points": str(final.points), "source": final.source})

    @extend_schema(request=DecisionSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def override(self, request: Request, pk: Any = None) -> Response:
        campaign = self._secretariat(request, pk)
        school, node, data = self._target(request, campaign)
        try:
            points = Decimal(str(data.get("points", "")).replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError({"points": ["Cần một số."]}) from exc
        final = reconcile.override(actor=request.user, campaign=campaign, school=school, node=node,
                                   points=points, reason=data.get("reason", ""))  # fmt: skip
        return Response({"points": str(final.points), "source": final.source, "reason": final.reason})

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"], url_path="accept-unflagged")
    def accept_unflagged(self, request: Request, pk: Any = None) -> Response:
        campaign = self._secretariat(request, pk)
        count = reconcile.accept_unflagged(actor=request.user, campaign=campaign)
        return Response({"accepted": count})

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def lock(self, request: Request, pk: Any = None) -> Response:
        campaign = self._secretariat(request, pk)
        row = reconcile.lock(actor=request.user, campaign=campaign)
        return Response({"finals_locked_at": row.finals_locked_at})

    @extend_schema(responses=None)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: Any = None) -> Response:
        campaign = _campaign(request, pk)
        if not rules.can_view_results(request.user, campaign):
            raise NotFound
        computed = compute.compute(campaign, analytics=False)
        row = reconcile.results_row(campaign)
        return Response(
            {
                "published_at": row.published_at,
                "fingerprint": row.fingerprint,
                "tie_break": list(campaign.tie_break or []),
                "schools": export.results_json(computed.result, computed.bands),
            }
        )

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        campaign = self._secretariat(request, pk)
        row = services.publish(actor=request.user, campaign=campaign)
        return Response({"published_at": row.published_at})

    @extend_schema(responses=None)
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: Any = None) -> Response:
        campaign = _campaign(request, pk)
        if not rules.can_view_results(request.user, campaign):
            raise NotFound
        return Response(export.published_export(campaign))
