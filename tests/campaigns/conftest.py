"""Campaign fixtures: cluster K's 2020 year (A head, B member) with a small published framework
and a campaign in its registration phase, deadlines ahead.

alice — officer of A (head of K 2020 → its secretariat); bob — officer of B;
binh  — principal (school leader) of B; an — principal of A; frank — officer of C (cluster L).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories.accounts import UserFactory, grant
from thidua.accounts.models import Role, User
from thidua.campaigns import services
from thidua.campaigns.models import Campaign, Registration
from thidua.campaigns.phases import Phase
from thidua.criteria import services as criteria_services
from thidua.criteria.models import Framework

# Two criteria take a registered target (I.1 target-and-leader, I.2 ratio on a percentage);
# I.3 is quantitative without a target (thresholds), I.4 a count that asks for evidence.
DOCUMENT = {
    "framework": {"name": "Bảng tiêu chí Cụm K năm 2020", "total": 20},
    "groups": [
        {
            "code": "I",
            "title": "Đào tạo, bồi dưỡng",
            "max": 20,
            "leaves": [
                {
                    "code": "I.1",
                    "title": "Số lớp đào tạo, bồi dưỡng mở so với kế hoạch",
                    "max": 8,
                    "rule": "quantitative",
                    "formula": "target_and_leader",
                    "target_registered": True,
                },
                {
                    "code": "I.2",
                    "title": "Tỷ lệ báo cáo gửi đúng hạn (%)",
                    "max": 4,
                    "rule": "quantitative",
                    "formula": "ratio",
                    "target_registered": True,
                    "cap_ratio": 1,
                },
                {
                    "code": "I.3",
                    "title": "Tỷ lệ học viên tốt nghiệp khá, giỏi (%)",
                    "max": 4,
                    "rule": "quantitative",
                    "formula": "thresholds",
                    "tiers": [[80, 4], [0, 1]],
                },
                {
                    "code": "I.4",
                    "title": "Thao giảng, dự giờ (1 điểm/buổi)",
                    "max": 4,
                    "rule": "count",
                    "points_each": 1,
                    "evidence": "Biên bản dự giờ",
                },
            ],
        }
    ],
    "conditions": [{"code": "C.1", "title": "Không có cán bộ bị kỷ luật", "blocks": ["Cờ thi đua", "Bằng khen"]}],
}
THEME = "Dân chủ - Kỷ cương - Gương mẫu - Sáng tạo - Hiệu quả"


@pytest.fixture(autouse=True)
def _fast_password_hashing(fast_password_hashing):
    """Every test here hashes with a fast hasher."""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def in_days(days: float) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def local(day: int, month: int, year: int, hour: int = 23, minute: int = 59) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date(year, month, day), datetime.time(hour, minute)))


def publish(document: dict, **scope: object) -> Framework:
    framework = criteria_services.create_from_document(actor=None, document=document, **scope)
    return criteria_services.publish_framework(actor=None, framework=framework)


@dataclass
class Year:
    world: object
    framework: Framework
    campaign: Campaign
    binh: User
    an: User

    def refresh(self) -> Campaign:
        self.campaign.refresh_from_db()
        return self.campaign


@pytest.fixture
def year(world) -> Year:
    """K 2020 in its registration phase; registration due in 10 days, self-assessment in 200."""
    framework = publish(DOCUMENT, cluster=world.cluster, year=2020)
    campaign = services.create_campaign(
        actor=world.alice,
        cluster_year=world.year_2020,
        framework=framework,
        deadlines={Phase.REGISTRATION: in_days(10), Phase.SELF_ASSESSMENT: in_days(200)},
    )
    campaign = services.move_phase(actor=world.alice, campaign=campaign, to=Phase.REGISTRATION)
    binh = UserFactory(username="binh", full_name="Bình Lê", organization=world.school_b)
    grant(binh, Role.SCHOOL_LEADER, organization=world.school_b)
    an = UserFactory(username="an", full_name="An Trần", organization=world.school_a)
    grant(an, Role.SCHOOL_LEADER, organization=world.school_a)
    return Year(world, framework, campaign, binh, an)


def register(year: Year, org, *, targets=None, titles=("Bằng khen",), submit: bool = False) -> Registration:
    """A registration saved by the system; signed off too when ``submit``."""
    registration = services.save_registration(
        actor=None,
        campaign=year.campaign,
        organization=org,
        targets=targets if targets is not None else {"I.1": Decimal(40), "I.2": Decimal(95)},
        aimed_titles=list(titles),
        commitment=f"{org.name} cam kết hoàn thành vượt mức chỉ tiêu.",
    )
    if submit:
        registration = services.submit_registration(actor=None, registration=registration)
    return registration


@pytest.fixture
def dung(world) -> User:
    """dung — officer of school D, a plain member of K 2020 beside A and B: the fellow member from
    whom B's draft must stay hidden."""
    from tests.factories.organizations import OrganizationFactory
    from thidua.organizations.models import Membership, MembershipRole

    school_d = OrganizationFactory(name="Trường Chính trị tỉnh Sóc Trăng", short_code="D", province="Sóc Trăng")
    Membership.objects.create(cluster_year=world.year_2020, organization=school_d, role=MembershipRole.MEMBER)
    user = UserFactory(username="dung", full_name="Dũng Võ", organization=school_d)
    grant(user, Role.SCHOOL_OFFICER, organization=school_d)
    return user
