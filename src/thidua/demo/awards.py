"""The demo's awards: the Academy's award list, some past awards of Cluster 9's schools, and
two proposals of Cluster 9 for 2020 — Tiền Giang for the Academy's Cờ thi đua (approved by
Quyết định số 1234-QĐ/HVCTQG ngày 15/12/2020) and Bạc Liêu for the Director's Bằng khen
(submitted, waiting for the Academy). Loading again changes nothing.

The lead wires ``load_awards`` into ``load_demo`` after the campaign (and the conference, whose
ballot for the Cờ thi đua is linked to Tiền Giang's proposal when it exists).
"""

from __future__ import annotations

import datetime
from typing import Any

from thidua.accounts.models import User
from thidua.awards import services
from thidua.awards.models import AwardRecord, Proposal, ProposalStatus
from thidua.campaigns.models import Campaign
from thidua.demo.organizations import Loaded
from thidua.titles import services as title_services
from thidua.titles.models import Award

YEAR = 2020
SECRETARIAT = "thuongtruc.tg"
ACADEMY_USER = "hocvien"
# (school, award, year, decision number, decision date)
PAST_AWARDS = (
    ("TG", "co-hoc-vien", 2019, "1789-QĐ/HVCTQG", datetime.date(2019, 12, 20)),
    ("TG", "bang-khen-ubnd-tinh", 2018, "3021/QĐ-UBND", datetime.date(2018, 12, 28)),
    ("TG", "bang-khen-ubnd-tinh", 2019, "3315/QĐ-UBND", datetime.date(2019, 12, 27)),
    ("CM", "bang-khen-giam-doc", 2019, "1790-QĐ/HVCTQG", datetime.date(2019, 12, 20)),
    ("KG", "co-ubnd-tinh", 2018, "2950/QĐ-UBND", datetime.date(2018, 12, 25)),
)
APPROVED: dict[str, Any] = {
    "nominee": "TG",
    "award": "co-hoc-vien",
    "decision_number": "1234-QĐ/HVCTQG",
    "decision_date": datetime.date(2020, 12, 15),
    "note": "Dẫn đầu Cụm thi đua số 9 năm 2020; được Hội nghị tổng kết ngày 09/11/2020 suy tôn.",
    "achievements": (
        "Hoàn thành xuất sắc kế hoạch đào tạo, bồi dưỡng năm 2020, mở vượt chỉ tiêu số lớp được giao.\n"
        "Đăng cai tổ chức thành công Hội nghị tổng kết công tác thi đua Cụm số 9 năm 2020."
    ),
}
SUBMITTED: dict[str, Any] = {
    "nominee": "BL",
    "award": "bang-khen-giam-doc",
    "note": "Xếp thứ hai Cụm thi đua số 9 năm 2020 theo kết quả chấm điểm.",
    "achievements": "Đổi mới nội dung, phương pháp giảng dạy; hoàn thành tốt nhiệm vụ nghiên cứu khoa học năm 2020.",
}


def _ballot_for(campaign: Campaign, award: Award) -> Any:
    from thidua.voting.models import Ballot, BallotStatus

    return (
        Ballot.objects.filter(conference__cluster_year=campaign.cluster_year, award=award, status=BallotStatus.CLOSED)
        .order_by("-round_number")
        .first()
    )


def _proposal(campaign: Campaign, actor: User, spec: dict[str, Any], loaded: Loaded) -> Proposal:
    nominee = loaded.organizations[spec["nominee"]]
    award = Award.objects.get(code=spec["award"])
    existing = Proposal.objects.filter(campaign=campaign, nominee=nominee, award=award).first()
    if existing is not None:
        return existing
    proposal = services.create_proposal(
        actor=actor, campaign=campaign, nominee=nominee, award=award, ballot=_ballot_for(campaign, award),
        note=spec["note"], achievements=spec["achievements"],
    )  # fmt: skip
    return services.submit_proposal(actor=actor, proposal=proposal, expected_version=proposal.version)


def load_awards(loaded: Loaded) -> list[Proposal]:
    title_services.install_award_list(actor=None)
    awards = {a.code: a for a in Award.objects.all()}
    for code, award_code, year, number, day in PAST_AWARDS:
        org = loaded.organizations.get(code)
        if org is None:
            continue
        AwardRecord.objects.get_or_create(
            organization=org, award=awards[award_code], year=year,
            defaults={"decision_number": number, "decision_date": day, "note": "Dữ liệu trình diễn"},
        )  # fmt: skip
    campaign = Campaign.objects.filter(cluster_year__cluster=loaded.cluster, cluster_year__year=YEAR).first()
    secretariat = User.objects.filter(username=SECRETARIAT).first()
    academy = User.objects.filter(username=ACADEMY_USER).first()
    if campaign is None or secretariat is None or academy is None:
        return []
    approved = _proposal(campaign, secretariat, APPROVED, loaded)
    if approved.status == ProposalStatus.SUBMITTED:
        approved = services.decide_proposal(
            actor=academy, proposal=approved, expected_version=approved.version, outcome=ProposalStatus.APPROVED,
            decision_number=APPROVED["decision_number"], decision_date=APPROVED["decision_date"],
        )  # fmt: skip
    submitted = _proposal(campaign, secretariat, SUBMITTED, loaded)
    return [approved, submitted]
