"""Organisations (đơn vị), their succession and yearly profiles; clusters (cụm thi đua) and
cluster years. Nothing about a past cluster year changes when a later one is configured."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.core.models import NamedModel

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def _history() -> HistoricalRecords:
    """Field history that names its author by user id, without a foreign key: users (accounts)
    sit above organisations, so organisations' tables must not point up at them."""
    return HistoricalRecords(history_user_id_field=models.IntegerField(null=True, blank=True))


class OrganizationKind(models.TextChoices):
    ACADEMY = "academy", _("Học viện")
    POLITICAL_SCHOOL = "political_school", _("Trường chính trị")
    OTHER = "other", _("Đơn vị khác")


class Organization(NamedModel):
    """An institution: the Academy, a provincial political school, or another unit."""

    kind = models.CharField(_("loại đơn vị"), max_length=30, choices=OrganizationKind.choices)
    short_code = models.CharField(_("mã viết tắt"), max_length=20, unique=True)
    province = models.CharField(_("tỉnh, thành phố"), max_length=100, blank=True)
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = _history()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name_sort"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="organization_active_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Succession(models.Model):
    """``predecessor`` was merged into ``successor`` on ``effective_date`` (sáp nhập)."""

    predecessor = models.ForeignKey(
        Organization, verbose_name=_("đơn vị tiền thân"), on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Organization, verbose_name=_("đơn vị kế thừa"), on_delete=models.PROTECT, related_name="successions_in"
    )
    effective_date = models.DateField(_("ngày hiệu lực"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    history = _history()

    class Meta:
        verbose_name = _("kế thừa")
        verbose_name_plural = _("kế thừa")
        ordering = ["effective_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class OrganizationProfile(models.Model):
    """The size measures of an organisation in one year: what per-capita criteria divide by."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="profiles")
    year = models.PositiveIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    staff = models.PositiveIntegerField(_("tổng số cán bộ, viên chức"), default=0)
    lecturers = models.PositiveIntegerField(_("giảng viên"), default=0)
    lecturers_phd = models.PositiveIntegerField(_("giảng viên có trình độ tiến sĩ"), default=0)
    lecturers_master = models.PositiveIntegerField(_("giảng viên có trình độ thạc sĩ"), default=0)
    principal_lecturers = models.PositiveIntegerField(_("giảng viên chính, cao cấp"), default=0)
    trainees = models.PositiveIntegerField(_("lượt học viên"), default=0)
    classes = models.PositiveIntegerField(_("số lớp"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = _history()

    SIZE_MEASURES = (
        "staff",
        "lecturers",
        "lecturers_phd",
        "lecturers_master",
        "principal_lecturers",
        "trainees",
        "classes",
    )

    class Meta:
        verbose_name = _("hồ sơ năm của đơn vị")
        verbose_name_plural = _("hồ sơ năm của đơn vị")
        ordering = ["organization__name_sort", "-year"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="profile_one_per_year")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}"

    def size_measures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.SIZE_MEASURES}


class Cluster(NamedModel):
    """An emulation cluster (cụm thi đua), e.g. Cluster 9 of the Mekong Delta's schools."""

    code = models.CharField(_("mã cụm"), max_length=20, unique=True)
    coordinator = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan điều phối"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_clusters",
    )
    description = models.TextField(_("mô tả"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = _history()

    class Meta:
        verbose_name = _("cụm thi đua")
        verbose_name_plural = _("cụm thi đua")
        ordering = ["name_sort"]

    def __str__(self) -> str:
        return self.name


class ClusterYear(models.Model):
    """One year of a cluster: its members, rotating head (cụm trưởng), deputies, theme."""

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    theme = models.CharField(_("chủ đề thi đua"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = _history()

    class Meta:
        verbose_name = _("năm của cụm")
        verbose_name_plural = _("năm của cụm")
        ordering = ["cluster__name_sort", "-year"]
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="cluster_year_unique")]

    def __str__(self) -> str:
        return f"{self.cluster.code} — {self.year}"


class MembershipRole(models.TextChoices):
    HEAD = "head", _("Cụm trưởng")
    DEPUTY = "deputy", _("Cụm phó")
    MEMBER = "member", _("Thành viên")


class Membership(models.Model):
    """An organisation's membership of a cluster year, with its role that year."""

    cluster_year = models.ForeignKey(ClusterYear, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)

    class Meta:
        verbose_name = _("thành viên cụm")
        verbose_name_plural = _("thành viên cụm")
        ordering = ["organization__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["cluster_year", "organization"], name="membership_once_per_year"),
            models.UniqueConstraint(
                fields=["cluster_year"], condition=Q(role="head"), name="membership_one_head_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()}, {self.cluster_year})"
