"""Users and their scoped role assignments (vai trò × đơn vị × cụm × năm)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.organizations.models import YEAR_VALIDATORS, Cluster, Organization


class User(AbstractUser):
    """A person. What they may do comes from their role assignments, never from this row."""

    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class Role(models.TextChoices):
    """The roles of PRODUCT.md §1."""

    ADMIN = "admin", _("Quản trị hệ thống")
    ACADEMY_STAFF = "academy_staff", _("Cán bộ Học viện")
    CLUSTER_SECRETARIAT = "cluster_secretariat", _("Thường trực Cụm")
    SCHOOL_OFFICER = "school_officer", _("Cán bộ thi đua trường")
    SCHOOL_LEADER = "school_leader", _("Lãnh đạo trường")
    REVIEWER = "reviewer", _("Người chấm chéo")
    DELEGATE = "delegate", _("Đại biểu")
    OBSERVER = "observer", _("Quan sát viên")


SCHOOL_ROLES = frozenset({Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER, Role.REVIEWER, Role.DELEGATE})


class RoleAssignment(models.Model):
    """One grant: ``role`` for ``user`` at ``organization`` in ``cluster`` for ``year``.

    Blank scope parts mean "any": a school officer is granted at a school for every year; a
    secretariat grant names its cluster and year. Officers of the head school of a cluster
    year also hold the secretariat's rights that year without a grant (see ``roles``).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cụm"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"), null=True, blank=True, validators=YEAR_VALIDATORS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in SCHOOL_ROLES)) | Q(organization__isnull=False),
                name="school_roles_need_organization",
            ),
        ]

    def __str__(self) -> str:
        scope = " · ".join(
            str(part)
            for part in (
                self.organization and self.organization.short_code,
                self.cluster and self.cluster.code,
                self.year,
            )
            if part
        )
        return f"{self.get_role_display()} ({scope})" if scope else str(self.get_role_display())
