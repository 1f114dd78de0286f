"""API for schools' self-assessments (tự chấm điểm). Every write goes through
``assessments.services``; reading follows ``assessments.view_assessment``: a self-assessment
the user may not read does not exist for them (404) — a draft is its school's alone.

- ``GET /self-assessments/`` (``?cluster=C9&year=2020&school=KG``), ``GET /self-assessments/<id>/``
  (with the engine's points for this school and every entry);
- ``POST /self-assessments/`` ``{"cluster", "year", "school"}`` — the school's own officers
  start (or get) their self-assessment;
- ``GET /self-assessments/<id>/entries/``, ``GET|PATCH /self-assessments/<id>/entries/<code>/``
  ``{"value", "explanation", "version"}`` — 409 with the other person's values when someone
  saved in between, 400 with the reason for a value the rule refuses, a lock or a deadline;
- ``POST /self-assessments/<id>/submit/`` (the principal), ``POST …/reopen/`` ``{"reason"}``
  (the secretariat).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.api.formats import entry_value, exact_number
from thidua.assessments import queries, services
from thidua.assessments.inputs import read_value
from thidua.assessments.models import SelfAssessment
from thidua.assessments.rules import assessments_visible_to
from thidua.campaigns.models import Campaign
from thidua.campaigns.rules import is_school_officer
from thidua.organizations.models import Organization


def _entry_json(row: queries.EntryRow) -> dict[str, Any]:
    rule = row.rule
    entry = row.entry
    score = row.score
    user = entry.updated_by
    return {
        "id": entry.pk,
        "code": row.node.code,
        "kind": row.node.kind,
        "title": row.node.title,
        "rule": rule.rule if rule else None,
        "field": rule.field if rule else None,
        "max": exact_number(rule.max_points) if rule else None,
        "value": entry_value(rule.field, row.value) if rule else None,
        "target": exact_number(row.target),
        "explanation": entry.explanation,
        "version": entry.version,
        "updated_at": entry.updated_at,
        "updated_by": (user.get_full_name() or user.get_username()) if user else None,
        "points": exact_number(score.points) if score is not None and row.node.kind != "condition" else None,
        "condition": score.condition if score is not None and row.node.kind == "condition" else None,
        "points_explanation": score.explanation if score is not None else "",
        "problem": score.problem if score is not None else "",
        "evidence": [
            {"id": item.pk, "kind": item.kind, "title": item.title, "url": item.url or None} for item in row.evidence
        ],
    }


class SelfAssessmentSerializer(serializers.ModelSerializer[SelfAssessment]):
    cluster = serializers.CharField(source="campaign.cluster_year.cluster.code", read_only=True)
    year = serializers.IntegerField(source="campaign.cluster_year.year", read_only=True)
    school = serializers.CharField(source="organization.short_code", read_only=True)
    school_name = serializers.CharField(source="organization.name", read_only=True)
    submitted_by = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = SelfAssessment
        fields = ["id", "campaign", "cluster", "year", "school", "school_name", "status", "submitted_at"]
        fields += ["submitted_by", "updated_at", "version"]
        read_only_fields = fields

    def get_submitted_by(self, assessment: SelfAssessment) -> str | None:
        user = assessment.submitted_by
        return (user.get_full_name() or user.get_username()) if user else None


class StartSerializer(serializers.Serializer[Any]):
    cluster = serializers.CharField(max_length=20)
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    school = serializers.CharField(max_length=20)


class EntryUpdateSerializer(serializers.Serializer[Any]):
    value = serializers.JSONField(
        required=False, help_text="Giá trị theo cách chấm: số, true/false, tên mức; null để xóa."
    )
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(min_value=0, help_text="Phiên bản của tiêu chí khi đọc (bắt buộc).")


class ReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class SelfAssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SelfAssessment]):
    serializer_class = SelfAssessmentSerializer

    def get_queryset(self) -> Any:
        return queries.assessments().order_by("-campaign__cluster_year__year", "organization__name_sort", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.get_queryset() & assessments_visible_to(request.user)
        params = request.query_params
        if params.get("cluster"):
            rows = rows.filter(campaign__cluster_year__cluster__code=params["cluster"].upper())
        if params.get("year", "").isdigit():
            rows = rows.filter(campaign__cluster_year__year=int(params["year"]))
        if params.get("school"):
            rows = rows.filter(organization__short_code=params["school"].upper())
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(rows, many=True).data)

    def get_object(self) -> SelfAssessment:
        assessment = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if assessment is None or not self.request.user.has_perm("assessments.view_assessment", assessment):
            raise Http404
        return assessment

    def _detail(self, assessment: SelfAssessment, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=assessment.pk)
        sheet = queries.load_sheet(fresh)
        result = sheet.result
        user = self.request.user
        data = dict(self.get_serializer(fresh).data)
        data.update(
            total=exact_number(result.total) if result.ok else None,
            groups={code_: exact_number(group.points) for code_, group in result.groups.items()},
            bonus=exact_number(result.bonus_points),
            penalty=exact_number(result.penalty_points),
            error=result.error or None,
            can_edit=user.has_perm("assessments.change_assessment", fresh),
            can_submit=user.has_perm("assessments.submit_assessment", fresh),
            can_reopen=user.has_perm("assessments.reopen_assessment", fresh),
            entries=[_entry_json(row) for row in sheet.rows()],
        )
        return Response(data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    @extend_schema(request=StartSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The school's own officer starts (or gets) its self-assessment of a campaign."""
        serializer = StartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        campaign = Campaign.objects.filter(
            cluster_year__cluster__code=data["cluster"].upper(), cluster_year__year=data["year"]
        ).first()
        organization = Organization.objects.filter(short_code=data["school"].upper()).first()
        if campaign is None or organization is None or not is_school_officer(request.user, organization.pk):
            raise Http404
        assessment = services.ensure_assessment(actor=request.user, campaign=campaign, organization=organization)
        return self._detail(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=None, operation_id="self_assessments_entries_list")
    @action(detail=True, methods=["get"])
    def entries(self, request: Request, pk: str | None = None) -> Response:
        sheet = queries.load_sheet(self.get_object())
        return Response([_entry_json(row) for row in sheet.rows()])

    @extend_schema(operation_id="self_assessments_entry_retrieve", methods=["GET"])
    @extend_schema(request=EntryUpdateSerializer, operation_id="self_assessments_entry_update", methods=["PATCH"])
    @action(detail=True, methods=["get", "patch"], url_path=r"entries/(?P<code>[^/]+)", url_name="entry")
    def entry(self, request: Request, pk: str | None = None, code: str = "") -> Response:
        """One criterion; PATCH saves its value and explanation at the version read."""
        assessment = self.get_object()
        sheet = queries.load_sheet(assessment)
        row = next((r for r in sheet.rows() if r.node.code == code), None)
        if row is None or row.rule is None:
            raise Http404
        if request.method == "GET":
            return Response(_entry_json(row))
        if not is_school_officer(request.user, assessment.organization_id):
            raise PermissionDenied(_("Bạn không có quyền sửa bản tự chấm điểm này."))
        serializer = EntryUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values: dict[str, Any] = {}
        if "value" in data:
            try:
                values[row.rule.field] = read_value(row.rule, data["value"])
            except DjangoValidationError as exc:
                raise ValidationError({"value": exc.messages}) from exc
        if "explanation" in data:
            values["explanation"] = data["explanation"]
        try:
            services.save_entry(actor=request.user, entry=row.entry, expected_version=data["version"], **values)
        except DjangoValidationError as exc:  # the rest (a stale version: 409) is api.exceptions' answer
            if hasattr(exc, "error_dict") and row.rule.field in exc.error_dict:  # the input is "value" here
                messages = exc.message_dict
                raise ValidationError({"value": messages.pop(row.rule.field), **messages}) from exc
            raise
        fresh = queries.load_sheet(assessment)
        return Response(_entry_json(next(r for r in fresh.rows() if r.node.code == code)))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """The principal signs off: the self-assessment is sent and locks."""
        assessment = self.get_object()
        services.submit(actor=request.user, assessment=assessment)
        return self._detail(assessment)

    @extend_schema(request=ReopenSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat unlocks a submitted self-assessment, with a reason."""
        assessment = self.get_object()
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reopen(actor=request.user, assessment=assessment, reason=serializer.validated_data["reason"])
        return self._detail(assessment)
