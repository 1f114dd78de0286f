"""A conference of cluster K's 2020 year (schools A and B from the shared world, plus four more
members), delegates checked in, and helpers to make ballots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.factories.organizations import OrganizationFactory
from thidua.organizations.models import Membership, MembershipRole
from thidua.voting import services
from thidua.voting.models import Ballot, BallotMethod, Conference, RulePreset

EXTRA = [
    ("D", "Trường Chính trị tỉnh Đồng Tháp", "Đồng Tháp"),
    ("E", "Trường Chính trị tỉnh Sóc Trăng", "Sóc Trăng"),
    ("F", "Trường Chính trị tỉnh Hậu Giang", "Hậu Giang"),
    ("G", "Trường Chính trị tỉnh Kiên Giang", "Kiên Giang"),
]


@dataclass
class Meeting:
    conference: Conference
    presets: dict[str, RulePreset]


@pytest.fixture(autouse=True)
def _fast_passwords(fast_password_hashing):
    return None


@pytest.fixture
def meeting(world) -> Meeting:
    """Six members (A head, B deputy, D–G); delegates of A, B, D, E, F present, G absent."""
    Membership.objects.filter(cluster_year=world.year_2020, organization=world.school_b).update(
        role=MembershipRole.DEPUTY
    )
    for code, name, province in EXTRA:
        org = OrganizationFactory(short_code=code, name=name, province=province)
        Membership.objects.create(cluster_year=world.year_2020, organization=org)
    conference = services.save_conference(
        actor=world.alice,
        cluster_year=world.year_2020,
        date=dt.date(2020, 11, 9),
        place="Hội trường Trường Chính trị tỉnh Tiền Giang",
        host=world.school_a,
        agenda="Báo cáo tổng kết phong trào thi đua năm 2020\nBỏ phiếu suy tôn đơn vị dẫn đầu",
        notes="Các đại biểu thống nhất đánh giá cao kết quả chấm chéo.",
        chair="Nguyễn Văn Ánh",
        secretary="Trần Thị Bưởi",
    )
    for membership in world.year_2020.memberships.select_related("organization"):
        delegate = services.add_delegate(
            actor=world.alice,
            conference=conference,
            name=f"Đại biểu {membership.organization.short_code}",
            organization=membership.organization,
            is_voting=True,
        )
        if membership.organization.short_code != "G":
            services.check_in(actor=world.alice, delegate=delegate)
    services.add_delegate(
        actor=world.alice, conference=conference, name="Lê Khách Mời", position="Vụ trưởng", is_guest=True
    )
    presets = {p.code: p for p in services.ensure_default_presets()}
    return Meeting(conference, presets)


def make_ballot(
    meeting: Meeting, *, actor, method=BallotMethod.ELECTRONIC, preset="cluster-vote", max_choices=1, **kw
) -> Ballot:
    return services.create_ballot(
        actor=actor,
        conference=meeting.conference,
        question="Suy tôn đơn vị dẫn đầu Cụm đề nghị Cờ thi đua của Học viện",
        preset=meeting.presets[preset],
        method=method,
        max_choices=max_choices,
        **kw,
    )


def candidate_ids(ballot: Ballot) -> dict[str, int]:
    return {c.organization.short_code: c.pk for c in ballot.candidates.select_related("organization")}
