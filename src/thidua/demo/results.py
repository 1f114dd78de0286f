"""The demo's clarification, reconciliation and published results of Cluster 9's 2020 campaign.

``load_results(loaded)``, once the reviews exist (``demo.reviews.load_reviews``) and the
campaign has reached the review phase or later:

1. clarification phase: the secretariat (``thuongtruc.tg``) asks about the first few flagged
   leaves (by school and leaf code); each school answers before the clarification deadline;
   the threads are closed;
2. reconciliation phase: the proposals of the campaign's policy are accepted, except ONE
   override of the first clarified leaf, with its reason (the school's answer convinced the
   secretariat); the finals are locked;
3. bands (Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 65) and publication (phase "Công bố kết quả").

Everything goes through the services (the audit log tells the story). Loading again changes
nothing: each step is skipped once done. Not wired into ``load_demo`` here (the lead does).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thidua.accounts.models import Role, RoleAssignment, User
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, Deadline
from thidua.campaigns.phases import Phase, index
from thidua.demo.organizations import Loaded
from thidua.results import reconcile
from thidua.results import services as results
from thidua.reviews import clarify
from thidua.reviews.models import Clarification, ClarificationStatus, Review, ReviewStatus

YEAR = 2020
SECRETARIAT = "thuongtruc.tg"
CLARIFIED = 3
BANDS = [{"label": "Xuất sắc", "min": 90}, {"label": "Tốt", "min": 80}, {"label": "Khá", "min": 65}]
QUESTION = (
    "Điểm tự chấm của trường và điểm của người chấm chéo ở tiêu chí này chênh lệch lớn. Đề nghị nhà trường "
    "giải trình và gửi kèm minh chứng (kế hoạch, báo cáo kết quả, quyết định) nếu có."
)
ANSWER = (
    "Nhà trường xin giải trình: kết quả thực hiện đã được báo cáo tại hội nghị sơ kết; minh chứng là báo cáo "
    "tổng kết năm và quyết định khen thưởng kèm theo hồ sơ tự chấm. Đề nghị Thường trực Cụm xem xét."
)
PANEL_REASON = "Hội đồng thống nhất theo điểm trung bình của người chấm."
OVERRIDE_REASON = (
    "Sau giải trình, trường đã chứng minh đủ kết quả thực hiện bằng báo cáo tổng kết năm và quyết định khen "
    "thưởng; Thường trực Cụm thống nhất giữ điểm cao nhất của người chấm chéo."
)


def _campaign(loaded: Loaded) -> Campaign | None:
    return (
        Campaign.objects.select_related("cluster_year__cluster", "framework")
        .filter(cluster_year__cluster=loaded.cluster, cluster_year__year=YEAR)
        .first()
    )


def _officer(school_id: int) -> User | None:
    grant = (
        RoleAssignment.objects.filter(organization_id=school_id, role__in=[Role.SCHOOL_OFFICER, Role.SCHOOL_LEADER])
        .select_related("user")
        .order_by("role", "user__username")
        .first()
    )
    return grant.user if grant else None


def _move(actor: Any, campaign: Campaign, to: str) -> Campaign:
    while index(campaign.phase) < index(to):
        following = Phase.values[index(campaign.phase) + 1]
        campaign = campaign_services.move_phase(actor=actor, campaign=campaign, to=following)
    return campaign


def load_results(loaded: Loaded, actor: Any = None) -> Campaign | None:
    """Clarify, reconcile, lock and publish the demo campaign (see the module)."""
    campaign = _campaign(loaded)
    if campaign is None or index(campaign.phase) < index(Phase.REVIEW):
        return campaign
    if not Review.objects.filter(assignment__campaign=campaign, status=ReviewStatus.SUBMITTED).exists():
        return campaign
    secretariat = User.objects.filter(username=SECRETARIAT).first() or actor
    row = reconcile.results_row(campaign)
    if row.published_at is not None:
        return campaign
    if index(campaign.phase) <= index(Phase.CLARIFICATION):
        campaign = _move(secretariat, campaign, Phase.CLARIFICATION)
        _clarify(campaign, secretariat)
    if row.finals_locked_at is None:
        campaign = _move(secretariat, campaign, Phase.RECONCILIATION)
        _reconcile(campaign, secretariat)
    if not row.bands:
        results.set_bands(actor=secretariat, campaign=campaign, bands=BANDS)
    campaign.refresh_from_db()
    results.publish(actor=secretariat, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def _clarify(campaign: Campaign, secretariat: Any) -> None:
    if Clarification.objects.filter(campaign=campaign).exists():
        return
    rows = [row for row in reconcile.leaf_rows(reconcile.load_basis(campaign)) if row.flagged]
    rows.sort(key=lambda row: (row.school.short_code, row.node.order, row.node.code))
    deadline = Deadline.objects.filter(campaign=campaign, phase=Phase.CLARIFICATION).first()
    moment = (deadline.due_at - datetime.timedelta(days=2)) if deadline else timezone.now()
    officers = {row.school.pk: _officer(row.school.pk) for row in rows}
    # Schools with a demo account answer (someone must sign in as them), others if too few.
    rows.sort(key=lambda row: officers[row.school.pk] is None)
    for row in rows[:CLARIFIED]:
        officer = officers[row.school.pk]
        if officer is None:
            continue
        question = clarify.ask(
            actor=secretariat, campaign=campaign, school=row.school, node=row.node, question=QUESTION
        )
        clarify.answer(actor=officer, clarification=question, text=ANSWER, now=moment)
        clarify.close(actor=secretariat, clarification=question)


def _reconcile(campaign: Campaign, secretariat: Any) -> None:
    basis = reconcile.load_basis(campaign)
    rows = reconcile.leaf_rows(basis)
    first = (
        Clarification.objects.filter(campaign=campaign, status=ClarificationStatus.CLOSED)
        .select_related("school", "node")
        .order_by("created_at", "pk")
        .first()
    )
    for row in rows:
        if row.final is not None:
            continue
        if first is not None and row.school.pk == first.school_id and row.node.pk == first.node_id:
            highest = max((points for _r, _n, points in row.reviews), default=row.proposed or Decimal(0))
            points = highest if highest != row.proposed else min(row.max_points, highest + Decimal("0.5"))
            reconcile.override(actor=secretariat, campaign=campaign, school=row.school, node=row.node,
                               points=points, reason=OVERRIDE_REASON, rows=rows)  # fmt: skip
        elif row.proposed is not None and row.flagged:
            reconcile.accept(actor=secretariat, campaign=campaign, school=row.school, node=row.node, rows=rows)
        elif row.proposed is None:
            mean = sum((p for _r, _n, p in row.reviews), Decimal(0)) / max(len(row.reviews), 1)
            reconcile.override(actor=secretariat, campaign=campaign, school=row.school, node=row.node,
                               points=mean if row.reviews else (row.self_points or Decimal(0)),
                               reason=PANEL_REASON, rows=rows)  # fmt: skip
    reconcile.accept_unflagged(actor=secretariat, campaign=campaign)
    reconcile.lock(actor=secretariat, campaign=campaign)
