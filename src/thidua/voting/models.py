"""The summary conference (hội nghị tổng kết) and its ballots (bỏ phiếu suy tôn / bình xét).

Secrecy by construction: a ``VoteCode`` records only THAT it was used; a ``CastBallot`` holds
the choices and a receipt, with no reference to any person, school, code or time. Ballots
are listed by their random receipt, and closing a ballot stores its cast ballots again in
receipt order (``services.close_ballot``), so neither the listed order, the stored order nor
stored times reveal who voted when.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.organizations.models import Cluster, ClusterYear, Organization
from thidua.titles.models import Award


class Conference(models.Model):
    cluster_year = models.OneToOneField(ClusterYear, on_delete=models.PROTECT, related_name="conference")
    date = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=300)
    host = models.ForeignKey(
        Organization, verbose_name=_("đơn vị đăng cai"), on_delete=models.PROTECT, related_name="+"
    )
    agenda = models.TextField(_("chương trình"), blank=True)
    notes = models.TextField(_("ghi chép cho biên bản"), blank=True)
    chair = models.CharField(_("chủ trì"), max_length=200, blank=True)
    secretary = models.CharField(_("thư ký"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("hội nghị tổng kết")
        verbose_name_plural = _("hội nghị tổng kết")

    def __str__(self) -> str:
        return f"{self.cluster_year} — {self.date:%d/%m/%Y}"


class Delegate(models.Model):
    """A person at the conference: a member school's delegate or a guest; check-in gives quorum."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="delegates")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    is_guest = models.BooleanField(_("khách mời"), default=False)
    is_voting = models.BooleanField(_("đại diện bỏ phiếu của đơn vị"), default=False)
    checked_in_at = models.DateTimeField(_("điểm danh lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đại biểu")
        verbose_name_plural = _("đại biểu")
        ordering = ["is_guest", "organization__name_sort", "name"]

    def __str__(self) -> str:
        return self.name


class RulePreset(models.Model):
    """Voting rules as data (PRODUCT.md §6). Cluster-less presets are the defaults; a cluster
    adjusts its own copies. Fractions are of the WHOLE electorate, not of votes cast."""

    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="vote_presets")
    code = models.SlugField(_("mã"), max_length=50)
    name = models.CharField(_("tên"), max_length=200)
    quorum = models.DecimalField(_("tỷ lệ có mặt tối thiểu"), max_digits=6, decimal_places=5)
    threshold = models.DecimalField(_("tỷ lệ phiếu để trúng"), max_digits=6, decimal_places=5)
    threshold_strict = models.BooleanField(_("phải vượt (lớn hơn) tỷ lệ"), default=True)
    max_rounds = models.PositiveSmallIntegerField(_("số vòng tối đa"), default=2)
    absentee_written_votes = models.BooleanField(_("tính phiếu bằng văn bản của thành viên vắng mặt"), default=False)
    fallback = models.CharField(
        _("khi không ai trúng sau vòng cuối"), max_length=200, default="Cụm trưởng và các cụm phó quyết định"
    )

    class Meta:
        verbose_name = _("quy tắc bỏ phiếu")
        verbose_name_plural = _("quy tắc bỏ phiếu")
        constraints = [models.UniqueConstraint(fields=["cluster", "code"], name="preset_code_once")]

    def __str__(self) -> str:
        return self.name


class BallotMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("Bỏ phiếu điện tử bằng mã")
    PAPER = "paper", _("Bỏ phiếu giấy")


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Chuẩn bị")
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class Ballot(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="ballots")
    question = models.CharField(_("nội dung bỏ phiếu"), max_length=500)
    award = models.ForeignKey(Award, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(
        _("hình thức"), max_length=12, choices=BallotMethod.choices, default=BallotMethod.ELECTRONIC
    )
    max_choices = models.PositiveSmallIntegerField(_("số đơn vị được chọn tối đa"), default=1)
    preset = models.ForeignKey(RulePreset, on_delete=models.PROTECT, related_name="+")
    rules_snapshot = models.JSONField(_("quy tắc áp dụng"), default=dict, blank=True)
    electorate_size = models.PositiveSmallIntegerField(_("tổng số thành viên có quyền bỏ phiếu"), default=0)
    present_count = models.PositiveSmallIntegerField(_("số thành viên có mặt"), default=0)
    written_votes_count = models.PositiveSmallIntegerField(_("số phiếu bằng văn bản"), default=0)
    round_number = models.PositiveSmallIntegerField(_("vòng"), default=1)
    previous_round = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_round"
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    decision = models.TextField(_("quyết định của cụm trưởng và cụm phó"), blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("lượt bỏ phiếu")
        verbose_name_plural = _("lượt bỏ phiếu")
        ordering = ["conference", "id"]

    def __str__(self) -> str:
        return f"{self.question} (vòng {self.round_number})"


class Candidate(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="candidates")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    basis = models.JSONField(_("căn cứ (điểm, thứ hạng)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("đơn vị được bỏ phiếu")
        verbose_name_plural = _("đơn vị được bỏ phiếu")
        ordering = ["ballot", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "organization"], name="candidate_once")]

    def __str__(self) -> str:
        return str(self.organization)


class VoteCode(models.Model):
    """A one-time code handed out at the door. Only a hash is stored, and only whether it was
    used — never by whom, when, or which ballot it produced."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("mã bỏ phiếu")
        verbose_name_plural = _("mã bỏ phiếu")

    def __str__(self) -> str:
        return f"{self.code_hash[:8]}…"


class CastBallot(models.Model):
    """An anonymous ballot: choices and a receipt. No voter, no code, no timestamp; listed by
    receipt (random), so the order reveals nothing. The key is random too (a sequential id
    would give away the order in which the ballots were cast), and so is the key of each
    choice row.

    The database's own row order (SQLite's rowid, PostgreSQL's ctid) follows the order of
    casting while the ballot is open; ``services.close_ballot`` rewrites the ballot's rows and
    their choices in receipt order in the closing transaction, keeping receipts and keys, so
    that afterwards the stored order is the receipt order too. Limits (old row versions on
    PostgreSQL until vacuum, backups taken during the vote): ``docs/architecture.md`` §8."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="cast")
    receipt = models.CharField(max_length=32, unique=True)
    choices: models.ManyToManyField[Candidate, CastChoice] = models.ManyToManyField(
        Candidate, blank=True, related_name="+", through="CastChoice"
    )

    class Meta:
        verbose_name = _("phiếu bầu")
        verbose_name_plural = _("phiếu bầu")
        ordering = ["receipt"]

    def __str__(self) -> str:
        return self.receipt


class CastChoice(models.Model):
    """One approved candidate on an anonymous ballot (random key: no order of insertion)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cast_ballot = models.ForeignKey(CastBallot, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("lựa chọn trên phiếu")
        verbose_name_plural = _("lựa chọn trên phiếu")
        constraints = [models.UniqueConstraint(fields=["cast_ballot", "candidate"], name="cast_choice_once")]

    def __str__(self) -> str:
        return f"{self.cast_ballot_id}: {self.candidate_id}"


class PaperTally(models.Model):
    """One teller's independent entry of the paper counts; accepted only when two agree."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tallies")
    entry_number = models.PositiveSmallIntegerField(choices=[(1, "1"), (2, "2")])
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    counts = models.JSONField(_("số phiếu từng đơn vị"), default=dict)
    ballots_issued = models.PositiveSmallIntegerField(_("số phiếu phát ra"), default=0)
    ballots_returned = models.PositiveSmallIntegerField(_("số phiếu thu về"), default=0)
    invalid = models.PositiveSmallIntegerField(_("số phiếu không hợp lệ"), default=0)
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết quả kiểm phiếu giấy")
        verbose_name_plural = _("kết quả kiểm phiếu giấy")
        constraints = [models.UniqueConstraint(fields=["ballot", "entry_number"], name="tally_entry_once")]

    def __str__(self) -> str:
        return f"{self.ballot} #{self.entry_number}"


DEFAULT_PRESETS = [
    {
        "code": "cluster-vote",
        "name": "Bỏ phiếu trong Cụm",
        "quorum": Decimal(2) / Decimal(3),
        "threshold": Decimal("0.5"),
        "threshold_strict": True,
        "max_rounds": 2,
        "absentee_written_votes": False,
    },
    {
        "code": "council-flag",
        "name": "Hội đồng thi đua — Cờ thi đua",
        "quorum": Decimal(2) / Decimal(3),
        "threshold": Decimal("0.8"),
        "threshold_strict": False,
        "max_rounds": 1,
        "absentee_written_votes": True,
    },
    {
        "code": "council-top-individual",
        "name": "Hội đồng thi đua — danh hiệu cá nhân cao nhất",
        "quorum": Decimal(2) / Decimal(3),
        "threshold": Decimal("0.9"),
        "threshold_strict": False,
        "max_rounds": 1,
        "absentee_written_votes": True,
    },
]
