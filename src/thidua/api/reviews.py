"""API for peer review (chấm chéo). Every write goes through ``reviews.services``; what may
be read follows ``reviews.rules``: an assignment or review the user may not see does not
exist for them (404).

Assignments (the secretariat; a reviewer lists their own):

- ``GET /review-assignments/?cluster=C9&year=2020`` — the secretariat sees every assignment of
  the campaigns it runs, a reviewer only their own;
- ``POST /review-assignments/generate/`` ``{"cluster", "year", "seed"}`` — complete the
  assignment from a seed (existing assignments kept);
- ``POST /review-assignments/`` ``{"cluster", "year", "school", "reviewer", "reason"}`` — add one;
- ``DELETE /review-assignments/<id>/?reason=…`` — remove one (not a submitted review).

Reviews (the assigned reviewer; the secretariat reads):

- ``GET /reviews/`` — my reviews; ``GET /reviews/<assignment id>/`` — the review with, per
  criterion, the school's input, the reviewer's input and the engine's points from the
  reviewer's view; ``others`` (the other submitted reviews' totals and points, unnamed) only
  once this reviewer has submitted;
- ``PATCH /reviews/<assignment id>/entries/<code>/`` ``{"confirmed", "value", "comment",
  "version"}`` — 409 when stale, 400 with the reason for a refused input, a lock or a deadline;
- ``POST /reviews/<assignment id>/submit/``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.accounts.models import User
from thidua.api.formats import entry_value, exact_number
from thidua.assessments.inputs import entry_rule, read_value
from thidua.assessments.services import UNSET
from thidua.campaigns.assignments import services as assignment_services
from thidua.campaigns.models import Campaign, ReviewerAssignment
from thidua.organizations.models import Organization
from thidua.reviews import queries, services
from thidua.reviews.models import Review
from thidua.reviews.rules import assignments_visible_to, sees_all_reviews, sees_other_reviews


def _campaign(cluster: str, year: int) -> Campaign:
    campaign = (
        Campaign.objects.select_related("cluster_year__cluster", "framework")
        .filter(cluster_year__cluster__code=cluster.upper(), cluster_year__year=year)
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


class AssignmentSerializer(serializers.ModelSerializer[ReviewerAssignment]):
    cluster = serializers.CharField(source="campaign.cluster_year.cluster.code", read_only=True)
    year = serializers.IntegerField(source="campaign.cluster_year.year", read_only=True)
    school = serializers.CharField(source="school.short_code", read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    reviewer_name = serializers.SerializerMethodField()
    reviewer_school = serializers.CharField(source="reviewer_school.short_code", read_only=True, default=None)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ReviewerAssignment
        fields = ["id", "campaign", "cluster", "year", "school", "reviewer", "reviewer_name", "reviewer_school"]
        fields += ["status", "created_at"]
        read_only_fields = fields

    def get_reviewer_name(self, assignment: ReviewerAssignment) -> str:
        return assignment.reviewer.get_full_name() or assignment.reviewer.get_username()

    def get_status(self, assignment: ReviewerAssignment) -> str | None:
        review = getattr(assignment, "review", None)
        return review.status if review is not None else None


class CampaignRef(serializers.Serializer[Any]):
    cluster = serializers.CharField(max_length=20)
    year = serializers.IntegerField(min_value=1900, max_value=2200)


class GenerateSerializer(CampaignRef):
    seed = serializers.IntegerField(min_value=0, max_value=2**31)


class AddSerializer(CampaignRef):
    school = serializers.CharField(max_length=20, help_text="Mã trường được chấm")
    reviewer = serializers.CharField(max_length=150, help_text="Tên đăng nhập của người chấm")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReviewAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[Any]
):
    serializer_class = AssignmentSerializer

    def get_queryset(self) -> Any:
        return queries.assignments().order_by("campaign__cluster_year__year", "school__name_sort", "reviewer__username")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.get_queryset() & assignments_visible_to(request.user)
        params = request.query_params
        if params.get("cluster"):
            rows = rows.filter(campaign__cluster_year__cluster__code=params["cluster"].upper())
        if params.get("year", "").isdigit():
            rows = rows.filter(campaign__cluster_year__year=int(params["year"]))
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(rows, many=True).data)

    def get_object(self) -> ReviewerAssignment:
        assignment = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if assignment is None or not self.request.user.has_perm("reviews.view_assignment", assignment):
            raise Http404
        return assignment

    @extend_schema(request=AddSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        campaign = _campaign(data["cluster"], data["year"])
        if not request.user.has_perm("campaigns.manage_assignments", campaign):
            raise Http404
        school = Organization.objects.filter(short_code=data["school"].upper()).first()
        reviewer = User.objects.filter(username=data["reviewer"]).first()
        if school is None or reviewer is None:
            raise ValidationError({"non_field_errors": ["Không tìm thấy trường hoặc người chấm."]})
        assignment = assignment_services.add_assignment(
            actor=request.user, campaign=campaign, school=school, reviewer=reviewer, reason=data.get("reason", "")
        )
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assignment = self.get_object()
        if not request.user.has_perm("campaigns.manage_assignments", assignment.campaign):
            raise Http404
        assignment_services.remove_assignment(
            actor=request.user, assignment=assignment, reason=request.query_params.get("reason", "")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=GenerateSerializer, responses=AssignmentSerializer(many=True))
    @action(detail=False, methods=["post"])
    def generate(self, request: Request) -> Response:
        serializer = GenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        campaign = _campaign(data["cluster"], data["year"])
        if not request.user.has_perm("campaigns.manage_assignments", campaign):
            raise Http404
        assignment_services.generate_assignments(actor=request.user, campaign=campaign, seed=data["seed"])
        rows = self.get_queryset().filter(campaign=campaign)
        return Response(self.get_serializer(rows, many=True).data)


class ReviewEntryUpdateSerializer(serializers.Serializer[Any]):
    confirmed = serializers.BooleanField(
        required=False, allow_null=True, help_text="true: xác nhận số liệu của trường; false: sửa (cần value, comment)."
    )
    value = serializers.JSONField(required=False, help_text="Điểm/mức của người chấm, hoặc giá trị sửa.")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(min_value=0)


def _row_json(row: queries.ReviewRow, others_visible: bool) -> dict[str, Any]:
    rule = row.rule
    field = rule.field if rule else ""
    school = row.school
    data: dict[str, Any] = {
        "id": row.mine.pk,
        "code": row.node.code,
        "kind": row.node.kind,
        "title": row.node.title,
        "rule": rule.rule if rule else None,
        "field": field or None,
        "own": row.own,
        "school_value": entry_value(field, school.value) if rule else None,
        "school_explanation": school.entry.explanation,
        "school_points": exact_number(school.points) if row.node.kind != "condition" else None,
        "evidence": [{"id": e.pk, "kind": e.kind, "title": e.title, "url": e.url or None} for e in school.evidence],
        "confirmed": row.mine.confirmed,
        "value": entry_value(field, row.value) if rule else None,
        "comment": row.mine.comment,
        "version": row.mine.version,
        "points": exact_number(row.score.points) if row.score is not None and row.node.kind != "condition" else None,
        "condition": row.score.condition if row.score is not None and row.node.kind == "condition" else None,
    }
    if others_visible:
        data["others"] = [{"reviewer": o.label, "points": exact_number(o.points)} for o in row.others]
    return data


class ReviewViewSet(viewsets.GenericViewSet[Any]):
    """Reviews by assignment id (a review is created on the reviewer's first read)."""

    serializer_class = AssignmentSerializer

    def get_queryset(self) -> Any:
        return queries.assignments()

    def list(self, request: Request) -> Response:
        rows = queries.my_assignments(request.user)
        return Response(AssignmentSerializer(rows, many=True).data)

    def _assignment(self) -> ReviewerAssignment:
        assignment = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if assignment is None or not self.request.user.has_perm("reviews.view_assignment", assignment):
            raise Http404
        return assignment

    def _review(self, assignment: ReviewerAssignment) -> Review:
        review = Review.objects.filter(assignment=assignment).first()
        if review is not None:
            return review
        assessment = services.school_assessment(assignment)
        if assignment.reviewer_id != self.request.user.pk or assessment is None or not assessment.is_locked:
            raise ValidationError(
                {"non_field_errors": ["Trường chưa gửi bản tự chấm điểm hoặc chưa đến giai đoạn chấm chéo."]}
            )
        return services.ensure_review(actor=self.request.user, assignment=assignment)

    def _detail(self, assignment: ReviewerAssignment, review: Review) -> dict[str, Any]:
        user = self.request.user
        review.assignment = assignment
        is_reviewer = assignment.reviewer_id == user.pk
        visible = sees_other_reviews(user, assignment, review if is_reviewer else None)
        data = queries.load_review(
            review, others_visible=visible, show_names=sees_all_reviews(user, assignment.campaign)
        )
        body = dict(AssignmentSerializer(assignment).data)
        body.update(
            status=review.status,
            submitted_at=review.submitted_at,
            total=exact_number(data.result.total) if data.result.ok else None,
            school_total=exact_number(data.sheet.result.total) if data.sheet.result.ok else None,
            error=data.result.error or None,
            entries=[_row_json(row, visible) for row in data.rows()],
        )
        if visible:
            body["others"] = [{"reviewer": label, "total": exact_number(total)} for label, total in data.other_summary]
        return body

    @extend_schema(responses=None)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        assignment = self._assignment()
        return Response(self._detail(assignment, self._review(assignment)))

    @extend_schema(request=ReviewEntryUpdateSerializer, responses=None, operation_id="reviews_entry_update")
    @action(detail=True, methods=["patch"], url_path=r"entries/(?P<code>[^/]+)", url_name="entry")
    def entry(self, request: Request, pk: str | None = None, code: str = "") -> Response:
        assignment = self._assignment()
        if assignment.reviewer_id != request.user.pk:
            raise PermissionDenied("Chỉ người được phân công mới chấm được bài này.")
        review = self._review(assignment)
        entry = review.entries.select_related("node").filter(node__code=code).first()
        if entry is None:
            raise Http404
        rule = entry_rule(entry.node)
        serializer = ReviewEntryUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values: dict[str, Any] = {"confirmed": data.get("confirmed", UNSET)}
        if "value" in data:
            try:
                values["value"] = read_value(rule, data["value"])
            except DjangoValidationError as exc:
                raise ValidationError({"value": exc.messages}) from exc
        if "comment" in data:
            values["comment"] = data["comment"]
        services.save_entry(actor=request.user, entry=entry, expected_version=data["version"], **values)
        body = self._detail(assignment, Review.objects.get(pk=review.pk))
        return Response(next(e for e in body["entries"] if e["code"] == code))

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        assignment = self._assignment()
        if assignment.reviewer_id != request.user.pk:
            raise PermissionDenied("Chỉ người được phân công mới nộp được bài này.")
        review = self._review(assignment)
        services.submit(actor=request.user, review=review)
        return Response(self._detail(assignment, Review.objects.get(pk=review.pk)))
