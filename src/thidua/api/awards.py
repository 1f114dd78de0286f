"""API for the award list, proposals (đề nghị khen thưởng) and award history. Every write goes
through ``awards.services``.

- ``awards``: everyone signed in reads the list; the Academy creates and changes awards.
- ``proposals``: the caller sees the proposals they may read (a proposal they may not read is a
  404); the secretariat creates (``cluster``, ``year``, ``nominee`` code, ``award`` code,
  optional ``ballot`` id and ``note``), edits and ``submit``s; the Academy ``decide``s
  (``outcome`` approved/rejected/returned, ``decision_number``, ``decision_date``, ``reason``).
  Transitions take the ``version`` last read; a stale one is refused.
- ``award-history``: ``?organization=DTM`` lists the awards of the school and its predecessors;
  the Academy records past awards with POST.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.api.organizations import expected_version
from thidua.awards import queries, services
from thidua.awards.basis import describe
from thidua.awards.history import records_of_lineage
from thidua.awards.models import AwardRecord, Proposal, ProposalStatus
from thidua.awards.rules import proposals_visible_to
from thidua.campaigns.models import Campaign
from thidua.organizations.models import Organization
from thidua.titles import queries as title_queries
from thidua.titles import services as title_services
from thidua.titles.models import Award


class SignedIn(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


class AwardSerializer(serializers.ModelSerializer[Award]):
    prerequisite = serializers.SlugRelatedField(
        slug_field="code", queryset=Award.objects.all(), required=False, allow_null=True
    )
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id", "code", "name", "level", "level_label", "consecutive_years", "prerequisite", "framework_title",
            "is_active", "version",
        ]  # fmt: skip
        read_only_fields = ["version"]


class AwardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Award],
):
    serializer_class = AwardSerializer
    permission_classes = [SignedIn]
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Award]:
        return title_queries.awards()

    def _save(self, serializer: Any, award: Award | None) -> None:
        if not self.request.user.has_perm("titles.manage_awards"):
            raise PermissionDenied
        serializer.instance = title_services.save_award(
            actor=self.request.user,
            award=award,
            expected_version=expected_version(self.request) if award is not None else None,
            **serializer.validated_data,
        )

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    cluster = serializers.CharField(source="campaign.cluster_year.cluster.code", read_only=True)
    year = serializers.IntegerField(source="campaign.cluster_year.year", read_only=True)
    nominee = serializers.CharField(source="nominee.short_code", read_only=True)
    nominee_name = serializers.CharField(source="nominee.name", read_only=True)
    award = serializers.CharField(source="award.code", read_only=True)
    award_name = serializers.CharField(source="award.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    basis_text = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id", "cluster", "year", "nominee", "nominee_name", "award", "award_name", "ballot", "basis",
            "basis_text", "achievements", "status", "status_label", "decision_reason", "decision_number",
            "decision_date", "submitted_at", "decided_at", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_basis_text(self, proposal: Proposal) -> list[str]:
        return describe(proposal.basis)


class ProposalCreateSerializer(serializers.Serializer[Any]):
    cluster = serializers.CharField(max_length=20)
    year = serializers.IntegerField()
    nominee = serializers.CharField(max_length=20)
    award = serializers.CharField(max_length=50)
    ballot = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    achievements = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class ProposalEditSerializer(serializers.Serializer[Any]):
    """A PATCH: fields left out keep their value."""

    ballot = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    achievements = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    version = serializers.IntegerField(required=False, allow_null=True)


class SubmitSerializer(serializers.Serializer[Any]):
    override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True)


class DecideSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(
        choices=[ProposalStatus.APPROVED, ProposalStatus.REJECTED, ProposalStatus.RETURNED]
    )
    decision_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True)


def _ballot(campaign: Campaign, ballot_id: int | None) -> Any:
    if ballot_id is None:
        return None
    from thidua.voting.models import Ballot

    ballot = Ballot.objects.select_related("conference").filter(pk=ballot_id).first()
    if ballot is None:
        raise ValidationError({"ballot": ["Không có lượt bỏ phiếu này."]})
    return ballot


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Proposal]):
    """Proposals the caller may read (``?cluster=C9``, ``?year=2020``, ``?status=submitted``)."""

    serializer_class = ProposalSerializer
    permission_classes = [SignedIn]

    def get_queryset(self) -> QuerySet[Proposal]:
        return queries.proposals()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = (queries.proposals() & proposals_visible_to(request.user)).order_by(
            "-campaign__cluster_year__year", "nominee__name_sort", "id"
        )
        if request.query_params.get("cluster"):
            rows = rows.filter(campaign__cluster_year__cluster__code=request.query_params["cluster"].upper())
        if request.query_params.get("year", "").isdigit():
            rows = rows.filter(campaign__cluster_year__year=int(request.query_params["year"]))
        if request.query_params.get("status"):
            rows = rows.filter(status=request.query_params["status"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    def get_object(self) -> Proposal:
        proposal = queries.proposals().filter(pk=self.kwargs["pk"]).first()
        if proposal is None or not self.request.user.has_perm("awards.view_proposal", proposal):
            raise NotFound
        return proposal

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ProposalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        campaign = (
            Campaign.objects.filter(
                cluster_year__cluster__code=values["cluster"].upper(), cluster_year__year=values["year"]
            )
            .select_related("cluster_year")
            .first()
        )
        if campaign is None or not request.user.has_perm("awards.add_proposal", campaign):
            raise NotFound
        nominee = Organization.objects.filter(short_code=values["nominee"].upper()).first()
        award = Award.objects.filter(code=values["award"]).first()
        if nominee is None or award is None:
            raise ValidationError({"nominee" if nominee is None else "award": ["Không tìm thấy."]})
        proposal = services.create_proposal(
            actor=request.user, campaign=campaign, nominee=nominee, award=award,
            ballot=_ballot(campaign, values.get("ballot")), note=values["note"],
            achievements=values["achievements"],
        )  # fmt: skip
        return Response(ProposalSerializer(self._reload(proposal)).data, status=status.HTTP_201_CREATED)

    def _reload(self, proposal: Proposal) -> Proposal:
        return queries.proposals().get(pk=proposal.pk)

    def _run(self, fn: Any, **kwargs: Any) -> Response:
        proposal = fn(actor=self.request.user, expected_version=expected_version(self.request), **kwargs)
        return Response(ProposalSerializer(self._reload(proposal)).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        data = ProposalEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        given = request.data
        ballot = _ballot(proposal.campaign, values.get("ballot")) if "ballot" in given else proposal.ballot
        return self._run(
            services.update_proposal, proposal=proposal, ballot=ballot,
            note=values["note"] if "note" in given else proposal.basis.get("note", ""),
            achievements=values["achievements"] if "achievements" in given else proposal.achievements,
        )  # fmt: skip

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(
            services.submit_proposal, proposal=proposal, override_reason=data.validated_data["override_reason"]
        )

    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._run(
            services.decide_proposal, proposal=proposal, outcome=values["outcome"], reason=values["reason"],
            decision_number=values["decision_number"], decision_date=values["decision_date"],
        )  # fmt: skip


class AwardRecordSerializer(serializers.ModelSerializer[AwardRecord]):
    organization = serializers.CharField(source="organization.short_code", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    award = serializers.CharField(source="award.code", read_only=True)
    award_name = serializers.CharField(source="award.name", read_only=True)

    class Meta:
        model = AwardRecord
        fields = [
            "id", "organization", "organization_name", "award", "award_name", "year", "decision_number",
            "decision_date", "proposal", "note",
        ]  # fmt: skip
        read_only_fields = fields


class AwardRecordCreateSerializer(serializers.Serializer[Any]):
    organization = serializers.CharField(max_length=20)
    award = serializers.CharField(max_length=50)
    year = serializers.IntegerField(min_value=1945, max_value=2100)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class AwardHistoryViewSet(viewsets.GenericViewSet[AwardRecord]):
    """``GET ?organization=DTM``: the school's awards and its predecessors'; ``POST``: the
    Academy records a past award."""

    serializer_class = AwardRecordSerializer
    permission_classes = [SignedIn]
    queryset = AwardRecord.objects.none()

    def list(self, request: Request) -> Response:
        code = request.query_params.get("organization", "")
        if not code:
            raise ValidationError({"organization": ["Hãy cho biết mã đơn vị (?organization=…)."]})
        org = get_object_or_404(Organization, short_code=code.upper())
        page = self.paginate_queryset(records_of_lineage(org))
        return self.get_paginated_response(AwardRecordSerializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        if not request.user.has_perm("titles.manage_awards"):
            raise PermissionDenied
        data = AwardRecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = Organization.objects.filter(short_code=values.pop("organization").upper()).first()
        award = Award.objects.filter(code=values.pop("award")).first()
        if org is None or award is None:
            raise ValidationError({"organization" if org is None else "award": ["Không tìm thấy."]})
        record = services.record_award(actor=request.user, organization=org, award=award, **values)
        return Response(AwardRecordSerializer(record).data, status=status.HTTP_201_CREATED)
