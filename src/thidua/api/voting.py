"""API for conferences and ballots (hội nghị, bỏ phiếu) and the vote by code.

- Conferences and ballots are read by the people who may read the conference; the secretariat
  of the cluster year creates, opens and closes ballots and generates codes (returned once).
- Results are counts per candidate only; the published ballots are receipt and choices only
  (no voter, code or time exists to show).
- ``vote/ballot/`` and ``vote/`` need no account: the one-time code is the credential.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thidua.accounts.roles import roleset
from thidua.organizations.models import ClusterYear
from thidua.titles.models import Award
from thidua.voting import queries, services
from thidua.voting.models import Ballot, BallotMethod, BallotStatus, Conference, Delegate, RulePreset
from thidua.voting.rules import ballots_visible_to, conferences_visible_to


class ConferenceSerializer(serializers.ModelSerializer[Conference]):
    cluster = serializers.CharField(source="cluster_year.cluster.code", read_only=True)
    year = serializers.IntegerField(source="cluster_year.year", read_only=True)
    host = serializers.CharField(source="host.short_code", read_only=True)
    present_schools = serializers.SerializerMethodField()
    member_schools = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "id",
            "cluster",
            "year",
            "date",
            "place",
            "host",
            "agenda",
            "notes",
            "chair",
            "secretary",
            "present_schools",
            "member_schools",
            "version",
        ]

    def get_present_schools(self, obj: Conference) -> int:
        checked_in = getattr(obj, "checked_in", None)  # prefetched by _conferences(): no query per row
        if checked_in is None:
            return len(queries.present_members(obj))
        members = {m.organization_id for m in obj.cluster_year.memberships.all()}
        return len({d.organization_id for d in checked_in} & members)

    def get_member_schools(self, obj: Conference) -> int:
        return len(obj.cluster_year.memberships.all())


class CandidateOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    school = serializers.CharField(source="organization.short_code")
    name = serializers.CharField(source="organization.name")
    basis = serializers.JSONField()


class BallotSerializer(serializers.ModelSerializer[Ballot]):
    candidates = CandidateOut(many=True, read_only=True)
    preset = serializers.CharField(source="preset.code", read_only=True)
    award = serializers.CharField(source="award.code", read_only=True, default=None)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = [
            "id",
            "conference",
            "question",
            "method",
            "max_choices",
            "preset",
            "award",
            "rules_snapshot",
            "electorate_size",
            "present_count",
            "written_votes_count",
            "round_number",
            "previous_round",
            "status",
            "candidates",
            "results",
            "decision",
            "decision_reason",
            "version",
        ]
        read_only_fields = fields

    def get_results(self, obj: Ballot) -> dict[str, Any] | None:
        if obj.status != BallotStatus.CLOSED:
            return None
        rows = queries.result_rows(obj)
        summary = {
            k: obj.result.get(k)
            for k in (
                "electorate",
                "present",
                "written",
                "participants",
                "quorum_needed",
                "quorum_met",
                "votes_needed",
                "ballots_counted",
                "needs_decision",
            )
        }
        summary["candidates"] = [
            {"school": r.short_code, "name": r.name, "votes": r.votes, "reached": r.reached, "elected": r.elected}
            for r in rows
        ]
        return summary


class BallotCreateSerializer(serializers.Serializer[Any]):
    conference = serializers.IntegerField()
    question = serializers.CharField(max_length=500)
    preset = serializers.CharField(max_length=50)
    method = serializers.ChoiceField(choices=BallotMethod.choices, default=BallotMethod.ELECTRONIC)
    max_choices = serializers.IntegerField(min_value=1, default=1)
    award = serializers.SlugRelatedField(
        slug_field="code", queryset=Award.objects.filter(is_active=True), required=False, allow_null=True
    )
    candidates = serializers.ListField(child=serializers.CharField(), required=False)


def _conferences() -> QuerySet[Conference]:
    """Conferences with their members and their checked-in delegates (``present_members``)."""
    checked_in = Delegate.objects.filter(is_guest=False, checked_in_at__isnull=False, organization__isnull=False)
    return queries.conferences().prefetch_related(Prefetch("delegates", queryset=checked_in, to_attr="checked_in"))


class ConferenceWriteSerializer(serializers.Serializer[Any]):
    cluster = serializers.CharField(max_length=20)
    year = serializers.IntegerField()
    date = serializers.DateField()
    place = serializers.CharField(max_length=300)
    host = serializers.CharField(max_length=20, help_text="short code of a member school")
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    chair = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    secretary = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    version = serializers.IntegerField(required=False)


class ConferenceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Conference]):
    """Read the conferences you may read; POST creates or updates (with ``version``) the
    conference of a cluster year, for its secretariat."""

    serializer_class = ConferenceSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ConferenceWriteSerializer, responses=ConferenceSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ConferenceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cluster_year = ClusterYear.objects.filter(cluster__code=values["cluster"].upper(), year=values["year"]).first()
        if cluster_year is None:
            raise NotFound
        rs = roleset(request.user)
        if not (rs.is_admin or rs.is_secretariat(cluster_year.cluster_id, cluster_year.year)):
            member_ids = {o.pk for o in queries.member_organizations(cluster_year)}
            reads = rs.is_academy or rs.is_observer or bool(member_ids & rs.school_ids)
            raise PermissionDenied if reads else NotFound
        members = {o.short_code: o for o in queries.member_organizations(cluster_year)}
        host = members.get(values["host"].upper())
        if host is None:
            raise ValidationError({"host": ["Đơn vị đăng cai phải là thành viên của Cụm năm đó."]})
        conference = services.save_conference(
            actor=request.user,
            cluster_year=cluster_year,
            date=values["date"],
            place=values["place"],
            host=host,
            agenda=values["agenda"],
            notes=values["notes"],
            chair=values["chair"],
            secretary=values["secretary"],
            version=values.get("version"),
        )
        return Response(ConferenceSerializer(_conferences().get(pk=conference.pk)).data, status=status.HTTP_201_CREATED)

    def get_queryset(self) -> QuerySet[Conference]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Conference.objects.none()
        return (_conferences() & conferences_visible_to(self.request.user)).order_by("-cluster_year__year")


class BallotViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Ballot]):
    serializer_class = BallotSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Ballot]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Ballot.objects.none()
        return (
            ballots_visible_to(self.request.user)
            .select_related("preset", "award", "conference__cluster_year__cluster")
            .prefetch_related("candidates__organization")
        )

    def _managed(self) -> Ballot:
        ballot = self.get_object()
        if not self.request.user.has_perm("voting.manage_conference", ballot.conference):
            raise PermissionDenied
        return ballot

    @extend_schema(request=BallotCreateSerializer, responses=BallotSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = BallotCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        conference = (
            (queries.conferences() & conferences_visible_to(request.user)).filter(pk=values["conference"]).first()
        )
        if conference is None:
            raise NotFound
        if not request.user.has_perm("voting.manage_conference", conference):
            raise PermissionDenied
        services.ensure_default_presets()
        preset = (
            RulePreset.objects.filter(cluster=conference.cluster_year.cluster, code=values["preset"]).first()
            or RulePreset.objects.filter(cluster__isnull=True, code=values["preset"]).first()
        )
        if preset is None:
            raise ValidationError({"preset": ["Không có quy tắc này."]})
        candidates = None
        if "candidates" in values:
            members = {o.short_code: o for o in queries.member_organizations(conference.cluster_year)}
            unknown = [c for c in values["candidates"] if c not in members]
            if unknown:
                raise ValidationError({"candidates": [f"Không phải thành viên: {', '.join(unknown)}"]})
            candidates = [members[c] for c in values["candidates"]]
        ballot = services.create_ballot(
            actor=request.user,
            conference=conference,
            question=values["question"],
            preset=preset,
            method=values["method"],
            max_choices=values["max_choices"],
            award=values.get("award"),
            candidates=candidates,
        )
        return Response(BallotSerializer(self.get_queryset().get(pk=ballot.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        ballot = self._managed()
        services.open_ballot(actor=request.user, ballot=ballot)
        return Response(BallotSerializer(self.get_queryset().get(pk=ballot.pk)).data)

    @extend_schema(request=None, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        ballot = self._managed()
        services.close_ballot(actor=request.user, ballot=ballot)
        return Response(BallotSerializer(self.get_queryset().get(pk=ballot.pk)).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def codes(self, request: Request, pk: str | None = None) -> Response:
        """New one-time codes; this answer is the only place they ever appear."""
        ballot = self._managed()
        try:
            count = int(request.data.get("count", 0))
        except (TypeError, ValueError) as exc:
            raise ValidationError({"count": ["Số mã không hợp lệ."]}) from exc
        plain = services.generate_codes(actor=request.user, ballot=ballot, count=count)
        response = Response({"codes": plain})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def published(self, request: Request, pk: str | None = None) -> Response:
        """The anonymised ballots after the close: receipt and choices, ordered by receipt."""
        ballot = self.get_object()
        return Response(
            {"ballots": [{"receipt": p.receipt, "choices": list(p.choices)} for p in queries.published_ballots(ballot)]}
        )


class VoteBallotView(APIView):
    """POST {code}: the open ballot the code belongs to (question, candidates, max choices)."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses=BallotSerializer)
    def post(self, request: Request) -> Response:
        ballot, why = queries.ballot_for_code(str(request.data.get("code", "")))
        if ballot is None:
            raise ValidationError({"code": [why]})
        ballot = get_object_or_404(
            Ballot.objects.prefetch_related("candidates__organization").select_related("preset", "award"), pk=ballot.pk
        )
        data = BallotSerializer(ballot).data
        return Response({k: data[k] for k in ("id", "question", "max_choices", "candidates")})


class VoteView(APIView):
    """POST {code, choices: [candidate ids]}: cast the ballot; answers the receipt."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses={201: dict})
    def post(self, request: Request) -> Response:
        choices = request.data.get("choices", [])
        if not isinstance(choices, list) or not all(isinstance(c, int) for c in choices):
            raise ValidationError({"choices": ["Danh sách số hiệu đơn vị được chọn."]})
        receipt = services.cast_vote(code=str(request.data.get("code", "")), candidate_ids=choices)
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)
