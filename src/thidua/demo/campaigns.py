"""The demo campaign: Cluster 9's 2020 emulation year with its 2020 framework.

Deadlines are those of 2020 (registration 31/03, self-assessment 15/10, review 25/10,
clarification 31/10); the campaign was opened by the head school's secretariat, every member
school registered plausible targets (drawn reproducibly) that its principal signed off in March
2020, the covenant was signed on 03/04/2020 and its scan kept, and the campaign has moved on to
self-assessment. Everything goes through the services, so the audit log tells the same story.

Since those deadlines have long passed, Kiên Giang (the demo's school accounts ``canbo.kg`` and
``hieutruong.kg``) holds a self-assessment extension that runs 30 days from the day the demo is
loaded (renewed when the demo is loaded again after it ran out), so that the self-assessment
can be tried out; the other schools show what a closed deadline looks like.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.accounts.models import User
from thidua.campaigns import services
from thidua.campaigns.documents import covenant_pdf
from thidua.campaigns.models import Campaign, Covenant, Extension, Registration, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.campaigns.targets import TargetLeaf, target_leaves, title_choices
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.demo.organizations import Loaded
from thidua.organizations.models import ClusterYear, MembershipRole, OrganizationProfile

YEAR = 2020
DEADLINES = {
    Phase.REGISTRATION: datetime.date(2020, 3, 31),
    Phase.SELF_ASSESSMENT: datetime.date(2020, 10, 15),
    Phase.REVIEW: datetime.date(2020, 10, 25),
    Phase.CLARIFICATION: datetime.date(2020, 10, 31),
}
COVENANT_SIGNED = datetime.date(2020, 4, 3)
LATE_SCHOOL = "KG"
EXTENSION_DAYS = 30
EXTENSION_REASON = (
    "Trường bị ảnh hưởng bởi đợt mưa lũ tháng 10/2020, chưa kịp hoàn thiện minh chứng; "
    "Thường trực Cụm đồng ý gia hạn tự chấm điểm."
)
SECRETARIAT = "thuongtruc.tg"
# Who does a school's work in the demo, where it has accounts: (officer, leader).
SCHOOL_ACCOUNTS = {"KG": ("canbo.kg", "hieutruong.kg"), "TG": ("thuongtruc.tg", None)}
OTHER_TITLE = "Tập thể lao động xuất sắc"


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _user(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _framework(loaded: Loaded) -> Framework:
    framework = (
        Framework.objects.filter(cluster=loaded.cluster, year=YEAR, status=FrameworkStatus.PUBLISHED)
        .order_by("-edition")
        .first()
    )
    if framework is None:  # the criteria demo was not loaded first: load it (it is idempotent)
        from thidua.demo import criteria

        criteria.load(loaded)
        framework = Framework.objects.get(cluster=loaded.cluster, year=YEAR, status=FrameworkStatus.PUBLISHED)
    return framework


def plausible_target(leaf: TargetLeaf, profile: OrganizationProfile | None, rng: random.Random) -> Decimal:
    """A target a school of this size would register for this criterion."""
    code = leaf.code
    classes = profile.classes if profile else 40
    trainees = profile.trainees if profile else 3000
    principal = profile.principal_lecturers if profile else 10
    if code == "I.3":
        value: float = rng.choice([90, 95, 100])
    elif code == "II.1":
        value = round(classes * rng.uniform(0.9, 1.1))
    elif code == "II.2":
        value = round(trainees * rng.uniform(0.9, 1.1), -1)
    elif code == "II.6":
        value = rng.choice([10, 12, 15, 18, 20])
    elif code == "III.1":
        value = rng.randint(3, 10)
    elif code == "IV.3":
        value = principal + rng.randint(0, 3)
    elif code == "IV.4":
        value = rng.randint(3, 12)
    elif code == "V.2":
        value = rng.choice(range(40, 95, 5))
    elif leaf.is_percent:
        value = rng.choice(range(60, 101, 5))
    elif leaf.per_capita:
        value = rng.randint(5, 20)
    else:
        value = rng.randint(2, 20)
    return Decimal(int(value))


def _titles(code: str, head: bool, choices: list[str], rng: random.Random) -> list[str]:
    flag, merit = [*choices, "", ""][:2]
    aimed = flag if (head or rng.random() < 0.3) and flag else merit or flag
    return [t for t in (aimed, OTHER_TITLE) if t]


def _commitment(name: str, titles: list[str]) -> str:
    aimed = " và ".join(f"“{t}”" for t in titles)
    return (
        f"{name} cam kết thực hiện nghiêm túc nội dung giao ước thi đua năm {YEAR} của Cụm, "
        f"phấn đấu hoàn thành vượt mức các chỉ tiêu đã đăng ký, đạt danh hiệu {aimed}."
    )


def _register(campaign: Campaign, leaves: list[TargetLeaf], titles: list[str]) -> None:
    memberships = list(campaign.cluster_year.memberships.select_related("organization"))
    profiles = {
        p.organization_id: p
        for p in OrganizationProfile.objects.filter(year=YEAR, organization__in=[m.organization for m in memberships])
    }
    for index, membership in enumerate(sorted(memberships, key=lambda m: m.organization.short_code)):
        school = membership.organization
        if Registration.objects.filter(
            campaign=campaign, organization=school, status=SubmissionStatus.SUBMITTED
        ).exists():
            continue
        rng = random.Random(f"C9-{YEAR}-{school.short_code}")
        officer, leader = (_user(name) for name in SCHOOL_ACCOUNTS.get(school.short_code, (None, None)))
        aimed = _titles(school.short_code, membership.role == MembershipRole.HEAD, titles, rng)
        saved_on = datetime.date(YEAR, 3, 9 + index)
        registration = services.save_registration(
            actor=officer,
            campaign=campaign,
            organization=school,
            targets={leaf.code: plausible_target(leaf, profiles.get(school.pk), rng) for leaf in leaves},
            aimed_titles=aimed,
            commitment=_commitment(school.name, aimed),
            now=_at(saved_on, 9),
        )
        services.submit_registration(
            actor=leader, registration=registration, now=_at(saved_on + datetime.timedelta(days=rng.randint(1, 3)), 15)
        )


def _covenant(campaign: Campaign, secretariat: User | None) -> None:
    if Covenant.objects.filter(campaign=campaign, scan__isnull=False).exists():
        return
    scan = SimpleUploadedFile("giao-uoc-2020-da-ky.pdf", covenant_pdf(campaign), content_type="application/pdf")
    services.upload_covenant_scan(actor=secretariat, campaign=campaign, upload=scan, signed_on=COVENANT_SIGNED)


def _extension(campaign: Campaign, secretariat: User | None) -> None:
    school = campaign.cluster_year.memberships.filter(organization__short_code=LATE_SCHOOL).first()
    if school is None:
        return
    current = Extension.objects.filter(
        campaign=campaign, organization=school.organization, phase=Phase.SELF_ASSESSMENT
    ).first()
    now = timezone.now()
    if current is not None and current.until > now:
        return
    until = _at(timezone.localdate(now) + datetime.timedelta(days=EXTENSION_DAYS), 17)
    services.grant_extension(
        actor=secretariat,
        campaign=campaign,
        organization=school.organization,
        phase=Phase.SELF_ASSESSMENT,
        until=until,
        reason=EXTENSION_REASON,
    )


def load(loaded: Loaded, actor: Any = None) -> Campaign:
    """The 2020 campaign, created once; loading again only renews Kiên Giang's extension."""
    cluster_year = ClusterYear.objects.get(cluster=loaded.cluster, year=YEAR)
    secretariat = _user(SECRETARIAT) or actor
    campaign = Campaign.objects.filter(cluster_year=cluster_year).first()
    if campaign is None:
        campaign = services.create_campaign(
            actor=secretariat,
            cluster_year=cluster_year,
            framework=_framework(loaded),
            deadlines={phase: _end_of(day) for phase, day in DEADLINES.items()},
            reminder_days=[7, 3, 1],
        )
    framework = campaign.framework
    nodes = list(framework.nodes.all())
    if campaign.phase == Phase.SETUP:
        campaign = services.move_phase(actor=secretariat, campaign=campaign, to=Phase.REGISTRATION)
    if campaign.phase == Phase.REGISTRATION:
        _register(campaign, target_leaves(framework, nodes), title_choices(framework, nodes))
        _covenant(campaign, secretariat)
        campaign = services.move_phase(actor=secretariat, campaign=campaign, to=Phase.ACTIVITIES)
    if campaign.phase == Phase.ACTIVITIES:
        campaign = services.move_phase(actor=secretariat, campaign=campaign, to=Phase.SELF_ASSESSMENT)
    _extension(campaign, secretariat)
    return campaign
