"""Demo: Cluster 9's 2020 summary conference on 09/11/2020 hosted by Tiền Giang — all twelve
schools present, and a completed electronic ballot for the leading school with twelve codes
used. Idempotent: loading again changes nothing once the ballot is closed.

The leading school is the first of the published results when there are any, else the head
school (Tiền Giang). The votes are fixed (ten for the leader, two for the runner-up), cast
through the same service as on the day, with codes generated and used at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from thidua.accounts.models import User
from thidua.demo.organizations import Loaded
from thidua.organizations.models import ClusterYear
from thidua.titles import services as award_services
from thidua.titles.models import Award
from thidua.voting import queries, services
from thidua.voting.models import Ballot, BallotMethod, Conference

YEAR = 2020
DAY = dt.date(2020, 11, 9)
HOST = "TG"
SECRETARIAT = "thuongtruc.tg"
AWARD = "co-hoc-vien"
QUESTION = "Suy tôn đơn vị dẫn đầu Cụm đề nghị Cờ thi đua của Học viện"
AGENDA = (
    "Khai mạc, giới thiệu đại biểu",
    "Báo cáo tổng kết phong trào thi đua năm 2020, phương hướng nhiệm vụ năm 2021",
    "Báo cáo sơ kết 5 năm phong trào thi đua giai đoạn 2015–2020",
    "Công bố kết quả chấm điểm, xếp hạng thi đua năm 2020",
    "Bỏ phiếu suy tôn đơn vị dẫn đầu Cụm đề nghị Cờ thi đua của Học viện",
    "Bầu Cụm trưởng, Cụm phó năm 2021; bế mạc",
)
DELEGATES = {
    "TG": ("Nguyễn Thị Hồng Nhung", "Hiệu trưởng"),
    "DT": ("Trần Văn Thắng", "Hiệu trưởng"),
    "BL": ("Phạm Thị Bích", "Phó Hiệu trưởng"),
    "LA": ("Lê Quốc Dũng", "Hiệu trưởng"),
    "BT": ("Võ Thành Đông", "Phó Hiệu trưởng"),
    "VL": ("Huỳnh Thị Kim Loan", "Hiệu trưởng"),
    "ST": ("Lâm Văn Sơn", "Phó Hiệu trưởng"),
    "TV": ("Thạch Sô Phết", "Hiệu trưởng"),
    "CM": ("Đỗ Minh Trí", "Phó Hiệu trưởng"),
    "HG": ("Nguyễn Văn Út", "Hiệu trưởng"),
    "AG": ("Châu Ngọc Ánh", "Hiệu trưởng"),
    "KG": ("Đặng Quốc Hùng", "Hiệu trưởng"),
}
GUEST = ("Trần Thị Hồng", "Đại diện Vụ Các trường chính trị, Học viện Chính trị quốc gia Hồ Chí Minh")
LEADER_VOTES = 10


def load_voting(loaded: Loaded, actor: Any = None) -> Conference:
    """The conference, its attendance and its closed ballot (created once)."""
    cluster_year = ClusterYear.objects.get(cluster=loaded.cluster, year=YEAR)
    secretariat = User.objects.filter(username=SECRETARIAT).first() or actor
    conference = Conference.objects.filter(cluster_year=cluster_year).first()
    if conference is None:
        host = loaded.organizations[HOST]
        conference = services.save_conference(
            actor=secretariat,
            cluster_year=cluster_year,
            date=DAY,
            place=f"Hội trường {host.name}, thành phố Mỹ Tho",
            host=host,
            agenda="\n".join(AGENDA),
            notes=(
                "Hội nghị thống nhất đánh giá phong trào thi đua năm 2020 của Cụm đạt nhiều kết quả nổi bật.\n"
                "Các trường thống nhất kết quả chấm điểm, xếp hạng đã công bố."
            ),
            chair=f"{DELEGATES[HOST][0]}, Hiệu trưởng {host.name}",
            secretary="Lê Minh Tâm",
        )
    if not conference.delegates.exists():
        for membership in queries.memberships(cluster_year):
            name, position = DELEGATES.get(membership.organization.short_code, ("Đại biểu", ""))
            delegate = services.add_delegate(
                actor=secretariat,
                conference=conference,
                name=name,
                position=position,
                organization=membership.organization,
                is_voting=True,
            )
            services.check_in(actor=secretariat, delegate=delegate)
        services.add_delegate(actor=secretariat, conference=conference, name=GUEST[0], position=GUEST[1], is_guest=True)
    if not Ballot.objects.filter(conference=conference, question=QUESTION).exists():
        _ballot(conference, secretariat)
    return conference


def _ballot(conference: Conference, secretariat: Any) -> Ballot:
    presets = {p.code: p for p in services.ensure_default_presets()}
    # The ballot is for the Academy's flag: its candidates are the schools eligible for it, and
    # the proposal for the winner (demo.awards) cites this ballot as its basis.
    award_services.install_award_list(actor=None)
    ballot = services.create_ballot(
        actor=secretariat,
        conference=conference,
        question=QUESTION,
        award=Award.objects.get(code=AWARD),
        preset=presets["cluster-vote"],
        method=BallotMethod.ELECTRONIC,
        max_choices=1,
    )
    ballot = services.open_ballot(actor=secretariat, ballot=ballot)
    candidates = list(ballot.candidates.select_related("organization"))
    by_code = {c.organization.short_code: c for c in candidates}
    default = queries.default_candidates(conference.cluster_year, award=ballot.award)
    leader = candidates[0] if default.from_results else by_code[HOST]
    runner_up = next(c for c in candidates if c.pk != leader.pk)
    codes = services.generate_codes(actor=secretariat, ballot=ballot, count=ballot.electorate_size)
    for index, code in enumerate(codes):
        services.cast_vote(code=code, candidate_ids=[leader.pk if index < LEADER_VOTES else runner_up.pk])
    return services.close_ballot(actor=secretariat, ballot=ballot)
