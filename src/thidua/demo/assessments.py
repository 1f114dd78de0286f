"""The demo self-assessments (tự chấm điểm) of Cluster 9's 2020 campaign, in mixed states.

- ten schools filled every criterion in early October 2020, attached evidence (links, and
  for two schools a small PDF report and a photo, stored once and attached to several
  criteria) and had their self-assessment submitted before the deadline of 15/10/2020;
- Hậu Giang (``HG``) filled most of it but never submitted: a draft, now past the deadline;
- Kiên Giang (``KG``, the demo's ``canbo.kg`` and ``hieutruong.kg``) is the late one with an
  extension (granted by the campaigns demo): about half filled, still a draft, editable now.

Values are drawn reproducibly (``random.Random`` seeded by school) and plausible for every
rule: points on their step, levels weighted towards the good ones, counts around what earns
the maximum, actual values around the registered target. Everything goes through the
services (``save_entry``, ``attach_link``/``attach_file``, ``submit``) with the moment the
work was done (``now``), so the deadline rules hold and the audit log tells the story.
Loading again changes nothing: a school whose self-assessment has any saved entry is skipped.
"""

from __future__ import annotations

import datetime
import io
import math
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.accounts.models import User
from thidua.assessments import services
from thidua.assessments.models import AssessmentEntry, SelfAssessment
from thidua.campaigns.models import Campaign, RegistrationTarget, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.criteria.entries import EntryRule, entry_rule
from thidua.demo.organizations import Loaded
from thidua.organizations.models import Organization, OrganizationProfile
from thidua.scoring.engine import Leaf

YEAR = 2020
DRAFT_SCHOOL = "HG"
LATE_SCHOOL = "KG"
FILE_SCHOOLS = ("TG", "DT")
PDF_CODES = ("I.1", "II.1", "III.1")  # the same report, stored once, on three criteria
PNG_CODES = ("VI.4", "VII.1")
FILE_CODES = PDF_CODES + PNG_CODES
LATE_SHARE = 0.5  # how much of its self-assessment the late school has filled so far
DRAFT_SHARE = 0.8
EVIDENCE_SHARE = 0.4  # of the criteria get evidence (files for the two file schools' few)
# Who does a school's work in the demo, where it has accounts: (officer, leader).
SCHOOL_ACCOUNTS = {"KG": ("canbo.kg", "hieutruong.kg"), "TG": ("thuongtruc.tg", None)}
EVIDENCE_TITLES = (
    "Báo cáo tổng kết công tác năm 2020",
    "Kế hoạch công tác năm 2020",
    "Quyết định của Hiệu trưởng",
    "Biên bản kiểm tra, đánh giá",
    "Danh sách kèm theo",
    "Hình ảnh hoạt động",
)
EXPLANATIONS = {
    "manual": "Tự đánh giá theo hướng dẫn chấm, căn cứ kết quả thực hiện kế hoạch năm {year}.",
    "pass_fail": "Đã thực hiện đầy đủ theo quy định trong năm {year}.",
    "levels": "Căn cứ kết quả đánh giá, xếp loại cuối năm {year}.",
    "count": "Có {n} lượt/hoạt động trong năm {year}; danh sách kèm theo minh chứng.",
    "quantitative": "Số liệu theo báo cáo thống kê của Trường đến 30/9/{year}.",
    "condition": "Trường tự rà soát, đối chiếu điều kiện.",
}


def _user(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(YEAR, 10, day, hour, 0, tzinfo=timezone.get_current_timezone())


# --- plausible values ---------------------------------------------------------------------


def _manual(rule: EntryRule, rng: random.Random) -> Decimal:
    top = rule.max_points or Decimal(1)
    step = rule.step or Decimal("0.25")
    steps = int(top / step)
    return step * rng.randint(math.ceil(steps * 0.6), steps)


def _level(rule: EntryRule, rng: random.Random) -> str:
    names = rule.level_names
    weights = [max(0.2, 5.0 / (index + 1) ** 1.5) for index in range(len(names))]
    return rng.choices(names, weights=weights)[0]


def _count(rule: EntryRule, rng: random.Random) -> int:
    item = rule.item
    each = getattr(item, "points_each", None) or Decimal(1)
    top: Decimal = (rule.max_points if rule.is_leaf else getattr(item, "cap", None)) or each * 2
    full = float(top / each)
    return max(0, round(full * rng.uniform(0.5, 1.3)))


def _actual(rule: EntryRule, target: Decimal | None, size: int, rng: random.Random) -> Decimal:
    leaf = rule.item
    assert isinstance(leaf, Leaf)  # noqa: S101 -- only leaves are quantitative
    if leaf.tiers:  # a percentage against thresholds
        return Decimal(rng.randint(55, 98))
    per_capita = size if leaf.per_capita else 1
    if target is not None:
        value = float(target) * per_capita * rng.uniform(0.85, 1.25)
    elif leaf.per_capita:
        value = per_capita * rng.uniform(0.5, 2.5)
    else:
        value = rng.uniform(3, 30)
    return Decimal(max(0, round(value)))


def plausible_value(rule: EntryRule, target: Decimal | None, size: int, rng: random.Random) -> Any:
    """A value a school would enter for this rule."""
    if rule.is_condition:
        return rng.random() < 0.9
    if rule.kind == "penalty":
        return 1 if rng.random() < 0.2 else 0
    if rule.kind == "bonus":
        if rule.field == "level":
            return "Mức 1" if "Mức 1" in rule.level_names and rng.random() < 0.25 else ""
        if rng.random() < 0.6:
            return 0
    if rule.field == "points":
        return _manual(rule, rng)
    if rule.field == "passed":
        return rng.random() < 0.88
    if rule.field == "level":
        return _level(rule, rng)
    if rule.field == "count":
        return _count(rule, rng)
    return _actual(rule, target, size, rng)


def _explanation(rule: EntryRule, value: Any) -> str:
    if rule.kind in ("bonus", "penalty") and not value:
        return ""
    key = "condition" if rule.is_condition else rule.rule
    return EXPLANATIONS.get(key, "").format(year=YEAR, n=value)


# --- evidence files -------------------------------------------------------------------------


def _report_pdf(school: Organization) -> bytes:
    """A one-page scan-like PDF (an image saved as PDF): what a school uploads as a scan."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (420, 594), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 40, 380, 60), fill=(200, 40, 40))
    for line in range(14):
        draw.line((40, 100 + line * 30, 380 - (line % 3) * 40, 100 + line * 30), fill=(90, 90, 90), width=2)
    buffer = io.BytesIO()
    fixed = datetime.datetime(YEAR, 10, 5, tzinfo=datetime.UTC).timetuple()
    page.save(buffer, "PDF", title=f"Báo cáo tổng kết năm {YEAR} — {school.name}", creationDate=fixed, modDate=fixed)
    return buffer.getvalue()


def _photo_png(seed: str) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (160, 100), (rng.randint(180, 240), rng.randint(180, 240), rng.randint(180, 240)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 140), rng.randint(0, 80)
        draw.rectangle((x, y, x + rng.randint(10, 40), y + rng.randint(10, 30)), fill=(rng.randint(0, 200), 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _attach(actor: Any, entry: AssessmentEntry, school: Organization, rng: random.Random, now: datetime.datetime,
            files: dict[str, bytes]) -> None:  # fmt: skip
    from thidua.assessments import evidence

    code = entry.node.code
    if files and code in PDF_CODES:
        upload = SimpleUploadedFile("bao-cao-tong-ket-2020.pdf", files["pdf"], content_type="application/pdf")
        evidence.attach_file(actor=actor, entry=entry, upload=upload, title=f"Báo cáo tổng kết năm {YEAR}", now=now)
        return
    if files and code in PNG_CODES:
        upload = SimpleUploadedFile("hinh-anh-hoat-dong.png", files["png"], content_type="image/png")
        evidence.attach_file(actor=actor, entry=entry, upload=upload, title="Hình ảnh hoạt động", now=now)
        return
    title = rng.choice(EVIDENCE_TITLES)
    url = f"https://minhchung.example.org/{school.short_code.lower()}/{YEAR}/{code.lower()}"
    evidence.attach_link(actor=actor, entry=entry, url=url, title=f"{title} ({code})", now=now)


# --- loading --------------------------------------------------------------------------------


def _fill(
    assessment: SelfAssessment,
    *,
    actor: Any,
    share: float,
    with_evidence: bool,
    now: datetime.datetime | None,
    rng: random.Random,
    files: dict[str, bytes],
) -> None:
    school = assessment.organization
    targets = {
        t.node_id: t.target
        for t in RegistrationTarget.objects.filter(
            registration__campaign_id=assessment.campaign_id,
            registration__organization=school,
            registration__status=SubmissionStatus.SUBMITTED,
        )
    }
    profile = OrganizationProfile.objects.filter(organization=school, year=YEAR).first()
    entries = list(assessment.entries.select_related("node").order_by("node__order", "node_id"))
    for entry in entries:
        if rng.random() > share:
            continue
        rule = entry_rule(entry.node)
        size = getattr(profile, rule.per_capita, 0) if profile is not None and rule.per_capita else 0
        value = plausible_value(rule, targets.get(entry.node_id), size, rng)
        services.save_entry(
            actor=actor,
            entry=entry,
            expected_version=entry.version,
            explanation=_explanation(rule, value),
            now=now,
            **{rule.field: value},
        )
        wanted = (files and entry.node.code in FILE_CODES) or rng.random() < EVIDENCE_SHARE
        if with_evidence and entry.node.kind == "leaf" and wanted:
            _attach(actor, entry, school, rng, now or timezone.now(), files)


def load(loaded: Loaded, actor: Any = None) -> list[SelfAssessment]:
    """Every member school's 2020 self-assessment (only those not yet filled are filled)."""
    campaign = (
        Campaign.objects.select_related("cluster_year")
        .filter(cluster_year__cluster=loaded.cluster, cluster_year__year=YEAR)
        .first()
    )
    if campaign is None:
        return []
    schools = sorted(
        (m.organization for m in campaign.cluster_year.memberships.select_related("organization")),
        key=lambda org: org.short_code,
    )
    result = []
    for index, school in enumerate(schools):
        officer_name, leader_name = SCHOOL_ACCOUNTS.get(school.short_code, (None, None))
        officer, leader = _user(officer_name) or actor, _user(leader_name) or actor
        assessment = services.ensure_assessment(actor=officer, campaign=campaign, organization=school)
        result.append(assessment)
        if campaign.phase != Phase.SELF_ASSESSMENT or assessment.entries.filter(version__gt=0).exists():
            continue
        rng = random.Random(f"C9-{YEAR}-self-assessment-{school.short_code}")
        files: dict[str, bytes] = {}
        if school.short_code in FILE_SCHOOLS:
            files = {"pdf": _report_pdf(school), "png": _photo_png(school.short_code)}
        day = 1 + index % 12
        if school.short_code == LATE_SCHOOL:  # working now, under its extension
            _fill(assessment, actor=officer, share=LATE_SHARE, with_evidence=True, now=None, rng=rng, files=files)
            continue
        if school.short_code == DRAFT_SCHOOL:
            _fill(
                assessment, actor=officer, share=DRAFT_SHARE, with_evidence=False, now=_at(day, 9), rng=rng, files=files
            )
            continue
        _fill(assessment, actor=officer, share=1.0, with_evidence=True, now=_at(day, 9), rng=rng, files=files)
        services.submit(actor=leader, assessment=assessment, now=_at(min(day + 2, 15), 16))
    return result
