"""The list of award titles (danh hiệu và hình thức khen thưởng) the Academy keeps: what a
ballot names and a proposal asks for. Below voting and awards, which both name an award."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.core.models import NamedModel


class AwardLevel(models.TextChoices):
    ACADEMY = "academy", _("Học viện")
    PROVINCE = "province", _("Cấp tỉnh")
    GOVERNMENT = "government", _("Nhà nước, Chính phủ")


class Award(NamedModel):
    """A form of commendation, administered by the Academy (e.g. Cờ thi đua, Bằng khen).

    ``framework_title`` (danh hiệu tương ứng trong bảng tiêu chí) names the short title the
    criteria framework's eligibility conditions use for this award ("Cờ thi đua", "Bằng
    khen"): it is how the published results tell which schools may be proposed for it
    (``results.snapshot``: ``ResultRow.is_eligible``). Blank: no condition of any framework
    applies to this award.
    """

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    level = models.CharField(_("cấp"), max_length=12, choices=AwardLevel.choices)
    consecutive_years = models.PositiveSmallIntegerField(
        _("số năm liên tục cần có"), null=True, blank=True,
        help_text=_("Ví dụ: cần đạt danh hiệu X nhiều năm liên tục trước đó."),
    )  # fmt: skip
    prerequisite = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("danh hiệu phải có các năm trước"),
    )  # fmt: skip
    framework_title = models.CharField(
        _("danh hiệu tương ứng trong bảng tiêu chí"), max_length=200, blank=True,
        help_text=_(
            "Tên danh hiệu đúng như các điều kiện xét danh hiệu của bảng tiêu chí ghi (ví dụ "
            "“Cờ thi đua”, “Bằng khen”). Danh sách bỏ phiếu và đề nghị khen thưởng hình thức này "
            "chỉ gồm các trường đủ điều kiện xét danh hiệu đó. Để trống nếu không có điều kiện nào "
            "áp dụng."
        ),
    )  # fmt: skip
    is_active = models.BooleanField(_("đang dùng"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # a stale edit form is refused

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["name_sort"]

    def __str__(self) -> str:
        return self.name
