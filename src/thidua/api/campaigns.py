"""API for campaigns (đợt thi đua) and registrations (đăng ký thi đua). Every write goes through
``campaigns.services``.

- Campaigns: members read them (with their own school's extensions; the secretariat sees every
  extension); the secretariat moves the phase, sets deadlines and grants extensions.
- Registrations: a school reads and edits its own (creating it on first save), its principal
  signs it off; the secretariat reads every registration of its campaigns and reopens them.
  Another school's registration does not exist for the caller (404).

Numbers (targets) are exact decimal strings ("95.5"); moments are ISO 8601 with the offset.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.api.organizations import expected_version
from thidua.campaigns import queries, services
from thidua.campaigns.models import Campaign, Extension, Registration, RegistrationTarget
from thidua.campaigns.phases import DEADLINE_PHASE_CHOICES, DEADLINE_PHASES, Phase
from thidua.campaigns.rules import campaigns_visible_to, registrations_visible_to
from thidua.organizations.models import Organization


def _decimal_text(value: Any) -> str:
    return format(value.normalize(), "f")


class ExtensionSerializer(serializers.ModelSerializer[Extension]):
    school = serializers.CharField(source="organization.short_code", read_only=True)

    class Meta:
        model = Extension
        fields = ["id", "school", "phase", "until", "reason", "granted_at"]


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    cluster = serializers.CharField(source="cluster_year.cluster.code", read_only=True)
    year = serializers.IntegerField(source="cluster_year.year", read_only=True)
    theme = serializers.CharField(source="cluster_year.theme", read_only=True)
    framework_name = serializers.CharField(source="framework.name", read_only=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)
    deadlines = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    phase_history = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "cluster",
            "year",
            "theme",
            "framework",
            "framework_name",
            "phase",
            "phase_label",
            "deadlines",
            "extensions",
            "reminder_days",
            "phase_history",
            "version",
        ]

    def get_deadlines(self, campaign: Campaign) -> dict[str, str | None]:
        found = {d.phase: d.due_at for d in campaign.deadlines.all()}
        return {
            phase: (timezone.localtime(found[phase]).isoformat() if phase in found else None)
            for phase in DEADLINE_PHASES
        }

    def get_extensions(self, campaign: Campaign) -> list[dict[str, Any]]:
        request = self.context["request"]
        extensions = list(campaign.extensions.all())
        if not request.user.has_perm("campaigns.view_progress", campaign):
            mine = {o.pk for o in queries.member_schools(campaign, request.user)}
            extensions = [e for e in extensions if e.organization_id in mine]
        return list(ExtensionSerializer(extensions, many=True).data)

    def get_phase_history(self, campaign: Campaign) -> list[dict[str, Any]]:
        if not self.context.get("detail"):
            return []
        return [
            {
                "at": timezone.localtime(move.at).isoformat(),
                "actor": move.actor_name,
                "from": move.from_phase,
                "to": move.to_phase,
                "reopening": move.reopening,
                "reason": move.reason,
            }
            for move in queries.phase_history(campaign)
        ]


class PhaseMoveSerializer(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=Phase.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True)


class ExtensionGrantSerializer(serializers.Serializer[Any]):
    school = serializers.CharField(max_length=20)
    phase = serializers.ChoiceField(choices=DEADLINE_PHASE_CHOICES)
    until = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000)


class DeadlinesSerializer(serializers.Serializer[Any]):
    registration = serializers.DateTimeField(required=False, allow_null=True)
    self_assessment = serializers.DateTimeField(required=False, allow_null=True)
    review = serializers.DateTimeField(required=False, allow_null=True)
    clarification = serializers.DateTimeField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class CampaignAccess(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Campaign]):
    """Campaigns the caller may read (``?cluster=C9``, ``?year=2020``), and the secretariat's
    actions: ``move-phase``, ``deadlines``, ``extensions``."""

    serializer_class = CampaignSerializer
    permission_classes = [CampaignAccess]

    def get_queryset(self) -> QuerySet[Campaign]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Campaign.objects.none()
        rows = (
            (queries.campaigns() & campaigns_visible_to(self.request.user))
            .prefetch_related(
                "deadlines", Prefetch("extensions", queryset=Extension.objects.select_related("organization"))
            )
            .order_by("-cluster_year__year", "cluster_year__cluster__code")
        )
        params = self.request.query_params
        if params.get("cluster"):
            rows = rows.filter(cluster_year__cluster__code=params["cluster"].upper())
        if params.get("year", "").isdigit():
            rows = rows.filter(cluster_year__year=int(params["year"]))
        return rows

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "detail": self.action != "list"}

    def _managed(self) -> Campaign:
        campaign = self.get_object()
        if not self.request.user.has_perm("campaigns.manage_campaign", campaign):
            raise PermissionDenied("Chỉ Thường trực Cụm của năm này làm được việc này.")
        return campaign

    def _respond(self, campaign: Campaign, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=campaign.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=PhaseMoveSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"], url_path="move-phase")
    def move_phase(self, request: Request, pk: str | None = None) -> Response:
        """Move to the next phase, or reopen an earlier one (``reason`` required)."""
        campaign = self._managed()
        serializer = PhaseMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        campaign = services.move_phase(
            actor=request.user,
            campaign=campaign,
            to=data["to"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return self._respond(campaign)

    @extend_schema(request=DeadlinesSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["put", "patch"])
    def deadlines(self, request: Request, pk: str | None = None) -> Response:
        """Set (a moment), move, or remove (null) the deadlines given; the others stay."""
        campaign = self._managed()
        serializer = DeadlinesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        campaign = services.set_deadlines(
            actor=request.user, campaign=campaign, deadlines=data, expected_version=version
        )
        return self._respond(campaign)

    @extend_schema(request=ExtensionGrantSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def extensions(self, request: Request, pk: str | None = None) -> Response:
        """Grant one school more time in one phase (again: change the date)."""
        campaign = self._managed()
        serializer = ExtensionGrantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        school = campaign.cluster_year.memberships.filter(organization__short_code=data["school"].upper()).first()
        if school is None:
            raise ValidationError({"school": [f"{data['school']} không phải thành viên của {campaign.cluster_year}."]})
        extension = services.grant_extension(
            actor=request.user,
            campaign=campaign,
            organization=school.organization,
            phase=data["phase"],
            until=data["until"],
            reason=data["reason"],
        )
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


# --- registrations ------------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer[Registration]):
    school = serializers.CharField(source="organization.short_code", read_only=True)
    targets = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "campaign",
            "school",
            "status",
            "targets",
            "aimed_titles",
            "commitment",
            "submitted_at",
            "submitted_by",
            "version",
        ]

    def get_targets(self, registration: Registration) -> dict[str, str]:
        return {t.node.code: _decimal_text(t.target) for t in registration.targets.all()}

    def get_submitted_by(self, registration: Registration) -> str | None:
        user = registration.submitted_by
        return user.get_full_name() if user is not None else None


class RegistrationWriteSerializer(serializers.Serializer[Any]):
    campaign = serializers.IntegerField(required=False)
    school = serializers.CharField(required=False, max_length=20)
    targets = serializers.DictField(child=serializers.CharField(allow_null=True, allow_blank=True), required=False)
    aimed_titles = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=10)
    commitment = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(required=False, allow_null=True)


class RegistrationReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True)


class RegistrationVersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(required=False, allow_null=True)


def visible_registrations(user: Any) -> QuerySet[Registration]:
    """The registrations the user may read (``campaigns.rules.registrations_visible_to``)."""
    return (
        registrations_visible_to(user)
        .select_related("organization", "submitted_by", "campaign")
        .prefetch_related(Prefetch("targets", queryset=RegistrationTarget.objects.select_related("node")))
    )


class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[Registration]
):
    """Registrations (``?campaign=ID``, ``?school=KG``): create (the school's first save),
    change (``PATCH`` with ``version``), ``submit`` (the principal), ``reopen`` (the
    secretariat, with a reason)."""

    serializer_class = RegistrationSerializer
    permission_classes = [CampaignAccess]

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Registration.objects.none()
        rows = visible_registrations(self.request.user).order_by("campaign_id", "organization__name_sort")
        params = self.request.query_params
        if params.get("campaign", "").isdigit():
            rows = rows.filter(campaign_id=int(params["campaign"]))
        if params.get("school"):
            rows = rows.filter(organization__short_code=params["school"].upper())
        return rows

    def _respond(self, registration: Registration, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=registration.pk)
        return Response(RegistrationSerializer(fresh).data, status=code)

    def _save(
        self, campaign: Campaign, school: Organization, data: dict[str, Any], version: int | None
    ) -> Registration:
        return services.save_registration(
            actor=self.request.user,
            campaign=campaign,
            organization=school,
            targets=data.get("targets"),
            aimed_titles=data.get("aimed_titles"),
            commitment=data.get("commitment"),
            expected_version=version,
        )

    @extend_schema(request=RegistrationWriteSerializer, responses=RegistrationSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A school's first save of its registration (``campaign`` and ``school`` required)."""
        serializer = RegistrationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "campaign" not in data or "school" not in data:
            raise ValidationError({"campaign": ["Cần có campaign (mã đợt) và school (mã trường)."]})
        campaign = get_object_or_404(queries.campaigns(), pk=data["campaign"])
        school = next(
            (
                m.organization
                for m in campaign.cluster_year.memberships.all()
                if m.organization.short_code == str(data["school"]).upper()
            ),
            None,
        )
        if school is None or not request.user.has_perm(
            "campaigns.view_registration", Registration(campaign=campaign, organization=school)
        ):
            raise PermissionDenied("Bạn chỉ đăng ký thi đua được cho trường của mình.")
        if Registration.objects.filter(campaign=campaign, organization=school).exists():
            raise ValidationError(
                {"school": ["Trường đã có bản đăng ký trong đợt này: hãy sửa bản đó (PATCH, kèm version)."]}
            )
        registration = self._save(campaign, school, data, data.get("version", 0) or 0)
        return self._respond(registration, status.HTTP_201_CREATED)

    @extend_schema(request=RegistrationWriteSerializer, responses=RegistrationSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change targets (``{"I.3": "95"}``, null removes one), titles or commitment."""
        registration = self.get_object()
        serializer = RegistrationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        saved = self._save(registration.campaign, registration.organization, data, expected_version(request))
        return self._respond(saved)

    @extend_schema(request=RegistrationVersionSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """The principal signs the registration off; it is then locked."""
        registration = self.get_object()
        registration = services.submit_registration(
            actor=request.user, registration=registration, expected_version=expected_version(request)
        )
        return self._respond(registration)

    @extend_schema(request=RegistrationReopenSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat reopens a signed-off registration, with a reason."""
        registration = self.get_object()
        serializer = RegistrationReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.reopen_registration(
            actor=request.user,
            registration=registration,
            reason=serializer.validated_data["reason"],
            expected_version=serializer.validated_data.get("version"),
        )
        return self._respond(registration)
