"""The platform's own records: the audit log (nhật ký thao tác), one row for every change a
service makes, and stored files (tệp lưu trữ), kept once by content for whatever uses them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.text import search_key, sort_key


class AuditEntry(models.Model):
    """Who did what to which object, when and why. Written only by ``core.audit.record``."""

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("thao tác"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        when = f"{timezone.localtime(self.created_at):%d/%m/%Y %H:%M}" if self.created_at else ""
        return f"{when} {self.actor_name} {self.action} {self.object_repr}".strip()


class NamedModel(models.Model):
    """A model with a Vietnamese name, kept with its sort and search keys."""

    name = models.CharField(_("tên"), max_length=255)
    name_sort = models.CharField(max_length=1100, editable=False, db_index=True, default="")
    name_search = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_sort = sort_key(self.name)
        self.name_search = search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort", "name_search"}
        super().save(*args, **kwargs)


def stored_file_path(instance: StoredFile, filename: str) -> str:
    # Content-addressed: the name never comes from the user (no traversal, no collisions).
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class StoredFile(models.Model):
    """An uploaded file, stored once by content (the same file on several leaves is one row)."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=stored_file_path, max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp lưu trữ")
        verbose_name_plural = _("tệp lưu trữ")

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… ({self.content_type}, {self.size} B)"
