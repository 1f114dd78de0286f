"""API for organisations, successions, profiles, clusters and cluster years. Writes go
through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.accounts.roles import roleset
from thidua.api.permissions import ReadOrRulesPerm
from thidua.organizations import services
from thidua.organizations.models import (
    Cluster,
    ClusterYear,
    Membership,
    MembershipRole,
    Organization,
    OrganizationProfile,
    Succession,
)


def expected_version(request: Request) -> int | None:
    """The ``version`` the client last read (optimistic concurrency); None skips the check."""
    raw = request.data.get("version")
    if raw in (None, ""):
        return None
    try:
        return int(str(raw))
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": ["Phiên bản phải là một số nguyên."]}) from exc


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "short_code", "name", "kind", "province", "active_from", "active_to", "version"]


class SuccessionSerializer(serializers.ModelSerializer[Succession]):
    predecessor = serializers.SlugRelatedField(slug_field="short_code", queryset=Organization.objects.all())
    successor = serializers.SlugRelatedField(slug_field="short_code", queryset=Organization.objects.all())

    class Meta:
        model = Succession
        fields = ["id", "predecessor", "successor", "effective_date", "note"]
        validators: list[Any] = []  # the service refuses duplicates and cycles, in words


class ProfileSerializer(serializers.ModelSerializer[OrganizationProfile]):
    organization = serializers.SlugRelatedField(slug_field="short_code", queryset=Organization.objects.all())
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrganizationProfile
        fields = ["id", "organization", "year", *OrganizationProfile.SIZE_MEASURES, "version"]
        validators: list[Any] = []


class ClusterSerializer(serializers.ModelSerializer[Cluster]):
    coordinator = serializers.SlugRelatedField(
        slug_field="short_code", queryset=Organization.objects.all(), allow_null=True, required=False
    )
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cluster
        fields = ["id", "code", "name", "coordinator", "description", "version"]


class ClusterYearSerializer(serializers.ModelSerializer[ClusterYear]):
    cluster = serializers.SlugRelatedField(slug_field="code", queryset=Cluster.objects.all())
    members = serializers.SlugRelatedField(slug_field="short_code", queryset=Organization.objects.all(), many=True)
    head = serializers.SlugRelatedField(slug_field="short_code", queryset=Organization.objects.all())
    deputies = serializers.SlugRelatedField(
        slug_field="short_code", queryset=Organization.objects.all(), many=True, required=False
    )
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = ClusterYear
        fields = ["id", "cluster", "year", "theme", "notes", "members", "head", "deputies", "version"]
        validators: list[Any] = []

    def to_representation(self, instance: ClusterYear) -> dict[str, Any]:
        rows = [(m.organization.short_code, m.role) for m in instance.memberships.all()]
        return {
            "id": instance.pk,
            "cluster": instance.cluster.code,
            "year": instance.year,
            "theme": instance.theme,
            "notes": instance.notes,
            "members": sorted(code for code, _ in rows),
            "head": next((code for code, role in rows if role == MembershipRole.HEAD), None),
            "deputies": sorted(code for code, role in rows if role == MembershipRole.DEPUTY),
            "version": instance.version,
        }


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganizationSerializer
    permission_classes = [ReadOrRulesPerm]
    write_perm = "organizations.change_organization"
    lookup_field = "short_code"
    queryset = Organization.objects.order_by("name_sort")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_organization(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_organization(
            actor=self.request.user,
            organization=serializer.instance,
            expected_version=expected_version(self.request),
            **serializer.validated_data,
        )


class SuccessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SuccessionSerializer
    permission_classes = [ReadOrRulesPerm]
    write_perm = "organizations.change_organization"
    queryset = Succession.objects.select_related("predecessor", "successor")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.add_succession(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance: Succession) -> None:
        services.remove_succession(actor=self.request.user, succession=instance)


def visible_profile_org_ids(user: Any) -> set[int] | None:
    """Organisations whose profiles the user may read; None means all."""
    rs = roleset(user)
    if rs.is_admin or rs.is_academy:
        return None
    ids = set(rs.school_ids)
    if rs.secretariat_anywhere():
        for org_id, cluster_id, year in Membership.objects.values_list(
            "organization_id", "cluster_year__cluster_id", "cluster_year__year"
        ):
            if rs.is_secretariat(cluster_id, year):
                ids.add(org_id)
    return ids


class ProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProfileSerializer
    permission_classes = [ReadOrRulesPerm]
    write_perm = "organizations.change_organization"

    def get_queryset(self) -> QuerySet[OrganizationProfile]:
        profiles = OrganizationProfile.objects.select_related("organization").order_by(
            "organization__name_sort", "-year"
        )
        ids = visible_profile_org_ids(self.request.user)
        if ids is not None:
            profiles = profiles.filter(organization_id__in=ids)
        org = self.request.query_params.get("organization")
        if org:
            profiles = profiles.filter(organization__short_code=org.upper())
        return profiles

    def _save(self, serializer: Any, expected_version: int | None) -> None:
        data = dict(serializer.validated_data)
        organization, year = data.pop("organization", None), data.pop("year", None)
        current = serializer.instance
        if current is not None:  # an update changes this profile's measures, never whose or which year
            if organization is not None and organization.pk != current.organization_id:
                raise ValidationError({"organization": [_("Không thể chuyển hồ sơ sang đơn vị khác.")]})
            if year is not None and year != current.year:
                raise ValidationError({"year": [_("Không thể đổi năm của hồ sơ; hãy tạo hồ sơ cho năm kia.")]})
            organization, year = current.organization, current.year
        serializer.instance = services.save_profile(
            actor=self.request.user, organization=organization, year=year, expected_version=expected_version, **data
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        org, year = serializer.validated_data["organization"], serializer.validated_data["year"]
        if OrganizationProfile.objects.filter(organization=org, year=year).exists():
            raise ValidationError(
                {"year": [_("%(org)s đã có hồ sơ năm %(year)s.") % {"org": org.short_code, "year": year}]}
            )
        self._save(serializer, None)
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, expected_version(self.request))


class ClusterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClusterSerializer
    permission_classes = [ReadOrRulesPerm]
    write_perm = "organizations.change_cluster"
    lookup_field = "code"
    queryset = Cluster.objects.select_related("coordinator").order_by("name_sort")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_cluster(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_cluster(
            actor=self.request.user,
            cluster=serializer.instance,
            expected_version=expected_version(self.request),
            **serializer.validated_data,
        )


class ClusterYearViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClusterYearSerializer
    permission_classes = [ReadOrRulesPerm]
    write_perm = "organizations.change_cluster"

    def get_queryset(self) -> QuerySet[ClusterYear]:
        years = (
            ClusterYear.objects.select_related("cluster")
            .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("organization")))
            .order_by("cluster__code", "year")
        )
        cluster = self.request.query_params.get("cluster")
        if cluster:
            years = years.filter(cluster__code=cluster.upper())
        return years

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.create_cluster_year(actor=self.request.user, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("cluster", None)
        data.pop("year", None)
        current = serializer.instance
        composition = services.current_composition(current)
        by_code = {o.short_code: o for o in Organization.objects.filter(short_code__in=composition["members"])}
        serializer.instance = services.update_cluster_year(
            actor=self.request.user,
            cluster_year=current,
            members=data.get("members", [by_code[c] for c in composition["members"]]),
            head=data.get("head") or by_code[composition["head"]],
            deputies=data.get("deputies", [by_code[c] for c in composition["deputies"]]),
            theme=data.get("theme", current.theme),
            notes=data.get("notes", current.notes),
            expected_version=expected_version(self.request),
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)
