"""The phases of an emulation year (PRODUCT.md §4), in order."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    SETUP = "setup", _("Chuẩn bị")
    REGISTRATION = "registration", _("Đăng ký thi đua")
    ACTIVITIES = "activities", _("Hoạt động trong năm")
    SELF_ASSESSMENT = "self_assessment", _("Tự chấm điểm")
    REVIEW = "review", _("Chấm chéo")
    CLARIFICATION = "clarification", _("Giải trình")
    RECONCILIATION = "reconciliation", _("Thống nhất điểm")
    RESULTS = "results", _("Công bố kết quả")
    CONFERENCE = "conference", _("Hội nghị tổng kết")
    PROPOSALS = "proposals", _("Đề nghị khen thưởng")
    CLOSED = "closed", _("Kết thúc")


ORDER: tuple[str, ...] = tuple(Phase.values)

# The phases whose work has a deadline that the server enforces.
DEADLINE_PHASES: tuple[str, ...] = (Phase.REGISTRATION, Phase.SELF_ASSESSMENT, Phase.REVIEW, Phase.CLARIFICATION)
DEADLINE_PHASE_CHOICES: list[tuple[str, str]] = [(p, str(Phase(p).label)) for p in DEADLINE_PHASES]


def index(phase: str) -> int:
    return ORDER.index(phase)


def is_at_or_after(current: str, phase: str) -> bool:
    return index(current) >= index(phase)
