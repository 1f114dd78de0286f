"""Every state change of a conference and its ballots (hội nghị tổng kết, bỏ phiếu).

Each function runs in one transaction, validates, saves and writes its audit row. Audit rows
never name a voter: casting a ballot writes no audit row at all (a row per ballot would give
its time); the close records how many ballots and codes there were.

While a ballot is open its cast ballots are stored in the order they arrive, and the database
keeps rows physically in that order (SQLite's rowid, PostgreSQL's ctid and xmin). The close
rewrites them in the order of their random receipts, in the transaction that counts them
(``_rewrite_in_receipt_order``), so that the stored order says nothing about who voted when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.organizations.models import ClusterYear, Organization
from thidua.titles.models import Award
from thidua.voting import codes as vote_codes
from thidua.voting import queries, tally
from thidua.voting.models import (
    DEFAULT_PRESETS,
    Ballot,
    BallotMethod,
    BallotStatus,
    Candidate,
    CastBallot,
    CastChoice,
    Conference,
    Delegate,
    PaperTally,
    RulePreset,
    VoteCode,
)

MAX_CODES_PER_BATCH = 200
FIVE_PLACES = Decimal("0.00001")


# ---- conference ----------------------------------------------------------------------------


def save_conference(
    *,
    actor: Any,
    cluster_year: ClusterYear,
    date: dt.date,
    place: str,
    host: Organization,
    agenda: str = "",
    notes: str = "",
    chair: str = "",
    secretary: str = "",
    version: int | None = None,
) -> Conference:
    """Create the cluster year's conference, or update it (refused when stale)."""
    member_ids = set(cluster_year.memberships.values_list("organization_id", flat=True))
    if host.pk not in member_ids:
        raise ValidationError({"host": _("Đơn vị đăng cai phải là thành viên của Cụm năm đó.")})
    with transaction.atomic():
        conference = Conference.objects.select_for_update().filter(cluster_year=cluster_year).first()
        fields = {
            "date": date,
            "place": place.strip(),
            "host": host,
            "agenda": agenda.strip(),
            "notes": notes.strip(),
            "chair": chair.strip(),
            "secretary": secretary.strip(),
        }
        if conference is None:
            conference = Conference.objects.create(cluster_year=cluster_year, **fields)
            action = "voting.conference_created"
        else:
            if version is not None and version != conference.version:
                raise ValidationError(_("Có người vừa lưu hội nghị này; hãy tải lại trang rồi sửa lại."))
            for name, value in fields.items():
                setattr(conference, name, value)
            conference.version += 1
            conference.save()
            action = "voting.conference_updated"
        audit.record(actor=actor, action=action, obj=conference, data=dict(fields))
    return conference


def add_delegate(
    *,
    actor: Any,
    conference: Conference,
    name: str,
    organization: Organization | None = None,
    position: str = "",
    is_guest: bool = False,
    is_voting: bool = False,
) -> Delegate:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Hãy nhập họ và tên đại biểu.")})
    if organization is not None and not is_guest:
        members = set(conference.cluster_year.memberships.values_list("organization_id", flat=True))
        if organization.pk not in members:
            raise ValidationError({"organization": _("Đơn vị này không phải thành viên của Cụm năm đó.")})
    if is_voting and (is_guest or organization is None):
        raise ValidationError({"is_voting": _("Chỉ đại biểu của trường thành viên mới bỏ phiếu thay cho trường.")})
    with transaction.atomic():
        if is_voting:
            Delegate.objects.filter(conference=conference, organization=organization, is_voting=True).update(
                is_voting=False
            )
        delegate = Delegate.objects.create(
            conference=conference,
            organization=organization,
            name=name,
            position=position.strip(),
            is_guest=is_guest,
            is_voting=is_voting,
        )
        audit.record(
            actor=actor,
            action="voting.delegate_added",
            obj=conference,
            data={"name": name, "organization": organization, "guest": is_guest, "voting": is_voting},
        )
    return delegate


def remove_delegate(*, actor: Any, delegate: Delegate) -> None:
    with transaction.atomic():
        conference = delegate.conference
        audit.record(actor=actor, action="voting.delegate_removed", obj=conference, data={"name": delegate.name})
        delegate.delete()


def check_in(*, actor: Any, delegate: Delegate, present: bool = True) -> Delegate:
    """Mark a delegate present (điểm danh) or absent again."""
    with transaction.atomic():
        delegate.checked_in_at = timezone.now() if present else None
        delegate.save(update_fields=["checked_in_at"])
        audit.record(
            actor=actor,
            action="voting.checked_in" if present else "voting.check_in_undone",
            obj=delegate.conference,
            data={"name": delegate.name, "organization": delegate.organization},
        )
    return delegate


# ---- presets -------------------------------------------------------------------------------


def ensure_default_presets() -> list[RulePreset]:
    """The defaults of practice (PRODUCT.md §6), created once; they are data afterwards."""
    presets = []
    for spec in DEFAULT_PRESETS:
        values = {k: (v.quantize(FIVE_PLACES) if isinstance(v, Decimal) else v) for k, v in spec.items()}
        preset, _created = RulePreset.objects.get_or_create(cluster=None, code=spec["code"], defaults=values)
        presets.append(preset)
    return presets


def copy_preset(*, actor: Any, preset: RulePreset, cluster_year: ClusterYear) -> RulePreset:
    """The cluster's own copy of a preset, to adjust (one copy per code)."""
    cluster = cluster_year.cluster
    with transaction.atomic():
        existing = RulePreset.objects.filter(cluster=cluster, code=preset.code).first()
        if existing is not None:
            return existing
        copy = RulePreset.objects.create(
            cluster=cluster,
            code=preset.code,
            name=preset.name,
            quorum=preset.quorum,
            threshold=preset.threshold,
            threshold_strict=preset.threshold_strict,
            max_rounds=preset.max_rounds,
            absentee_written_votes=preset.absentee_written_votes,
            fallback=preset.fallback,
        )
        audit.record(actor=actor, action="voting.preset_copied", obj=copy, data={"from": preset.pk})
    return copy


def update_preset(*, actor: Any, preset: RulePreset, **values: Any) -> RulePreset:
    """Adjust a cluster's own preset; the shared defaults change only through the admin."""
    if preset.cluster_id is None:
        raise ValidationError(_("Quy tắc mặc định không sửa được; hãy sao chép thành quy tắc của Cụm."))
    for name in ("quorum", "threshold"):
        value = values.get(name)
        if value is not None and not (0 < value <= 1):
            raise ValidationError({name: _("Tỷ lệ phải lớn hơn 0 và không quá 1.")})
    with transaction.atomic():
        for name, value in values.items():
            setattr(preset, name, value)
        preset.full_clean()
        preset.save()
        audit.record(actor=actor, action="voting.preset_updated", obj=preset, data=values)
    return preset


# ---- ballots -------------------------------------------------------------------------------


def _refuse_if_closed(ballot: Ballot) -> None:
    if ballot.status == BallotStatus.CLOSED:
        raise ValidationError(_("Lượt bỏ phiếu đã kết thúc: không thể thay đổi."))


def _locked(ballot: Ballot) -> Ballot:
    return (
        Ballot.objects.select_for_update(of=("self",))
        .select_related("conference__cluster_year", "preset")
        .get(pk=ballot.pk)
    )


def create_ballot(
    *,
    actor: Any,
    conference: Conference,
    question: str,
    preset: RulePreset,
    method: str = BallotMethod.ELECTRONIC,
    max_choices: int = 1,
    award: Award | None = None,
    candidates: Iterable[Organization] | None = None,
    electorate_size: int | None = None,
) -> Ballot:
    """A ballot in preparation; without ``candidates`` the schools eligible for the ballot's
    award (``queries.default_candidates``) in rank order. Each candidate keeps its total, rank
    and rank interval from the published results as its basis, also when chosen by hand."""
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Hãy nhập nội dung bỏ phiếu.")})
    if preset.cluster_id not in (None, conference.cluster_year.cluster_id):
        raise ValidationError({"preset": _("Quy tắc này thuộc Cụm khác.")})
    members = queries.member_organizations(conference.cluster_year)
    electorate = electorate_size if electorate_size is not None else len(members)
    if electorate < 1:
        raise ValidationError({"electorate_size": _("Phải có ít nhất một thành viên có quyền bỏ phiếu.")})
    if candidates is None:
        rows = queries.default_candidates(conference.cluster_year, award=award).rows
    else:
        chosen = list(candidates)
        basis = {r.organization.pk: r for r in queries.published_ranking(conference.cluster_year)}
        rows = [basis[o.pk] if o.pk in basis else queries.CandidateRow(o, {}) for o in chosen]
    if not rows:
        raise ValidationError({"candidates": _("Hãy chọn ít nhất một đơn vị để bỏ phiếu.")})
    if not 1 <= max_choices <= len(rows):
        raise ValidationError({"max_choices": _("Số đơn vị được chọn phải từ 1 đến số đơn vị trong danh sách.")})
    with transaction.atomic():
        ballot = Ballot.objects.create(
            conference=conference,
            question=question,
            preset=preset,
            method=method,
            max_choices=max_choices,
            award=award,
            electorate_size=electorate,
            rules_snapshot=tally.Rules.of(_preset_values(preset)).snapshot(),
        )
        Candidate.objects.bulk_create(
            Candidate(ballot=ballot, organization=row.organization, order=i, basis=row.basis)
            for i, row in enumerate(rows, start=1)
        )
        audit.record(
            actor=actor,
            action="voting.ballot_created",
            obj=ballot,
            data={"question": question, "preset": preset.code, "method": method, "candidates": len(rows)},
        )
    return ballot


def _preset_values(preset: RulePreset) -> dict[str, Any]:
    return {
        "quorum": preset.quorum,
        "threshold": preset.threshold,
        "threshold_strict": preset.threshold_strict,
        "max_rounds": preset.max_rounds,
        "absentee_written_votes": preset.absentee_written_votes,
    }


def open_ballot(*, actor: Any, ballot: Ballot) -> Ballot:
    """Voting starts: the rules and the attendance are fixed on the ballot."""
    with transaction.atomic():
        ballot = _locked(ballot)
        if ballot.status != BallotStatus.DRAFT:
            raise ValidationError(_("Chỉ mở được lượt bỏ phiếu đang chuẩn bị."))
        present = queries.present_members(ballot.conference)
        ballot.rules_snapshot = tally.Rules.of(_preset_values(ballot.preset)).snapshot()
        ballot.present_count = min(len(present), ballot.electorate_size)
        ballot.status = BallotStatus.OPEN
        ballot.opened_at = timezone.now()
        ballot.version += 1
        ballot.save()
        audit.record(
            actor=actor,
            action="voting.ballot_opened",
            obj=ballot,
            data={
                "present": ballot.present_count,
                "electorate": ballot.electorate_size,
                "rules": ballot.rules_snapshot,
            },
        )
    return ballot


def generate_codes(*, actor: Any, ballot: Ballot, count: int) -> list[str]:
    """New one-time codes, returned once (for the slips) and stored only as hashes."""
    if ballot.method != BallotMethod.ELECTRONIC:
        raise ValidationError(_("Lượt bỏ phiếu giấy không dùng mã."))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError({"count": _("Số mã phải từ 1 đến %(n)s.") % {"n": MAX_CODES_PER_BATCH}})
    with transaction.atomic():
        ballot = _locked(ballot)
        _refuse_if_closed(ballot)
        existing = VoteCode.objects.filter(ballot=ballot).count()
        # codes only against voting delegates checked in: the attendance fixed at the opening,
        # or, before it, the attendance now
        if ballot.status == BallotStatus.DRAFT:
            present = min(len(queries.present_members(ballot.conference)), ballot.electorate_size)
        else:
            present = ballot.present_count
        if existing + count > present:
            raise ValidationError(
                {
                    "count": _(
                        "Tổng số mã không được vượt số đại biểu có quyền bỏ phiếu đã điểm danh (%(n)s); đã có %(k)s mã."
                    )
                    % {"n": present, "k": existing}
                }
            )
        plain = [vote_codes.new_code() for _ in range(count)]
        VoteCode.objects.bulk_create(VoteCode(ballot=ballot, code_hash=vote_codes.code_hash(c)) for c in plain)
        audit.record(actor=actor, action="voting.codes_generated", obj=ballot, data={"count": count})
    return plain


def cast_vote(*, code: str, candidate_ids: Iterable[int]) -> str:
    """Cast one anonymous ballot with a one-time code; returns the receipt.

    The code is marked used by a conditional UPDATE (``used = false`` → ``true``) in the same
    transaction that stores the ballot: of two simultaneous submissions of one code exactly one
    updates a row, the other finds it used and stores nothing. The ballot keeps no reference
    to the code, no time and no voter; no audit row is written (it would carry the time).

    The status is read again once the code is marked: ``close_ballot`` locks the ballot's codes
    before it counts, so a vote racing the close either holds its code first (the close waits
    for it and counts it) or waits for the close and then finds the ballot closed.
    """
    if not vote_codes.looks_like_code(code):
        raise ValidationError({"code": _("Mã bỏ phiếu không đúng hoặc đã được dùng. Hãy kiểm tra lại mã trên phiếu.")})
    wanted = {int(i) for i in candidate_ids}
    digest = vote_codes.code_hash(code)
    try:
        with transaction.atomic():
            vote_code = VoteCode.objects.select_related("ballot").filter(code_hash=digest).first()
            if vote_code is None:
                raise ValidationError(
                    {"code": _("Mã bỏ phiếu không đúng hoặc đã được dùng. Hãy kiểm tra lại mã trên phiếu.")}
                )
            ballot = vote_code.ballot
            if ballot.status != BallotStatus.OPEN:
                raise ValidationError({"code": _("Lượt bỏ phiếu này chưa mở hoặc đã kết thúc.")})
            candidates = {c.pk: c for c in Candidate.objects.filter(ballot=ballot, pk__in=wanted)}
            if len(candidates) != len(wanted):
                raise ValidationError({"choices": _("Có lựa chọn không thuộc danh sách của lượt bỏ phiếu này.")})
            if len(wanted) > ballot.max_choices:
                raise ValidationError({"choices": _("Chỉ được chọn tối đa %(n)s đơn vị.") % {"n": ballot.max_choices}})
            if VoteCode.objects.filter(pk=vote_code.pk, used=False).update(used=True) != 1:
                # the same answer as a code never issued: whoever holds the printed codes must
                # not learn which have been used (who has voted)
                raise ValidationError(
                    {"code": _("Mã bỏ phiếu không đúng hoặc đã được dùng. Hãy kiểm tra lại mã trên phiếu.")}
                )
            if not Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.OPEN).exists():
                raise ValidationError({"code": _("Lượt bỏ phiếu này chưa mở hoặc đã kết thúc.")})
            cast = _store_ballot(ballot, list(candidates.values()))
    except OperationalError as exc:  # the database refused a concurrent writer: nothing was stored
        raise ValidationError({"code": _("Hệ thống đang bận, hãy gửi lại phiếu.")}) from exc
    return cast.receipt


def _store_ballot(ballot: Ballot, choices: list[Candidate]) -> CastBallot:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                cast = CastBallot.objects.create(ballot=ballot, receipt=vote_codes.new_receipt())
                break
        except IntegrityError:  # a receipt drawn twice (about 1 in 10^17): draw again
            continue
    else:  # pragma: no cover
        raise ValidationError(_("Không tạo được mã xác nhận; hãy gửi lại phiếu."))
    CastChoice.objects.bulk_create(CastChoice(cast_ballot=cast, candidate=c) for c in choices)
    return cast


def record_written_vote(*, actor: Any, ballot: Ballot, candidate_ids: Iterable[int]) -> str:
    """An absent member's written vote (phiếu bằng văn bản), where the rules count them. It is
    stored like any ballot (no member named); the count of written votes goes up by one."""
    wanted = {int(i) for i in candidate_ids}
    with transaction.atomic():
        ballot = _locked(ballot)
        _refuse_if_closed(ballot)
        if not ballot.rules_snapshot.get("absentee_written_votes"):
            raise ValidationError(_("Quy tắc của lượt bỏ phiếu này không tính phiếu bằng văn bản."))
        if ballot.present_count + ballot.written_votes_count + 1 > ballot.electorate_size:
            raise ValidationError(_("Đã đủ phiếu của mọi thành viên."))
        candidates = list(Candidate.objects.filter(ballot=ballot, pk__in=wanted))
        if len(candidates) != len(wanted) or len(wanted) > ballot.max_choices:
            raise ValidationError({"choices": _("Lựa chọn không hợp lệ.")})
        cast = _store_ballot(ballot, candidates)
        Ballot.objects.filter(pk=ballot.pk).update(written_votes_count=F("written_votes_count") + 1)
        audit.record(actor=actor, action="voting.written_vote_recorded", obj=ballot, data={})
    return cast.receipt


def _refuse_impossible_tally(ballot: Ballot, *, counted: int, approvals: int) -> None:
    """An impossible tally is refused with its reason, on paper as electronically."""
    reason = tally.impossible(
        tally.Rules.of(ballot.rules_snapshot),
        present=ballot.present_count,
        written=ballot.written_votes_count,
        ballots_counted=counted,
        approvals=approvals,
        seats=ballot.max_choices,
    )
    if reason == "ballots_exceed_present":
        raise ValidationError(
            _("Không thể chấp nhận kết quả: %(n)s phiếu được kiểm vượt số đại biểu có mặt (%(p)s).")
            % {"n": counted, "p": ballot.present_count + ballot.written_votes_count}
        )
    if reason == "approvals_exceed_places":
        raise ValidationError(
            _("Không thể chấp nhận kết quả: %(n)s lượt chọn vượt số chỗ × số phiếu hợp lệ (%(m)s).")
            % {"n": approvals, "m": ballot.max_choices * counted}
        )


def enter_paper_tally(
    *,
    actor: Any,
    ballot: Ballot,
    entry_number: int,
    counts: dict[int, int],
    ballots_issued: int,
    ballots_returned: int,
    invalid: int,
) -> PaperTally:
    """One teller's independent entry of the paper counts (kiểm phiếu), first or second."""
    if ballot.method != BallotMethod.PAPER:
        raise ValidationError(_("Chỉ lượt bỏ phiếu giấy mới nhập kết quả kiểm phiếu."))
    if entry_number not in (1, 2):
        raise ValidationError({"entry_number": _("Chỉ có lần nhập thứ nhất và thứ hai.")})
    with transaction.atomic():
        ballot = _locked(ballot)
        _refuse_if_closed(ballot)
        if ballot.status != BallotStatus.OPEN:
            raise ValidationError(_("Hãy mở lượt bỏ phiếu trước khi nhập kết quả kiểm phiếu."))
        candidate_ids = set(ballot.candidates.values_list("pk", flat=True))
        if set(counts) != candidate_ids:
            raise ValidationError(_("Hãy nhập số phiếu của mọi đơn vị trong danh sách."))
        if ballots_returned > ballots_issued or invalid > ballots_returned:
            raise ValidationError(
                _("Số phiếu thu về không vượt số phát ra; số phiếu không hợp lệ không vượt số thu về.")
            )
        valid = ballots_returned - invalid
        if any(v < 0 or v > valid for v in counts.values()):
            raise ValidationError(_("Số phiếu của một đơn vị không vượt số phiếu hợp lệ (%(n)s).") % {"n": valid})
        _refuse_impossible_tally(ballot, counted=ballots_returned, approvals=0)
        _refuse_impossible_tally(ballot, counted=valid, approvals=sum(counts.values()))
        other = PaperTally.objects.filter(ballot=ballot).exclude(entry_number=entry_number).first()
        if other is not None and other.teller_id is not None and actor is not None and other.teller_id == actor.pk:
            raise ValidationError(_("Hai lần nhập phải do hai người kiểm phiếu khác nhau thực hiện."))
        entry, _created = PaperTally.objects.update_or_create(
            ballot=ballot,
            entry_number=entry_number,
            defaults={
                "teller": actor if getattr(actor, "is_authenticated", False) else None,
                "counts": {str(k): int(v) for k, v in counts.items()},
                "ballots_issued": ballots_issued,
                "ballots_returned": ballots_returned,
                "invalid": invalid,
            },
        )
        audit.record(
            actor=actor,
            action="voting.paper_tally_entered",
            obj=ballot,
            data={
                "entry": entry_number,
                "counts": entry.counts,
                "issued": ballots_issued,
                "returned": ballots_returned,
            },
        )
    return entry


def close_ballot(*, actor: Any, ballot: Ballot) -> Ballot:
    """Close the ballot and count it; afterwards nothing about it changes (but the decision).

    In the same transaction the cast ballots are rewritten in receipt order
    (``_rewrite_in_receipt_order``). The ballot's codes are locked first, so that no vote is
    stored after the count (see ``cast_vote``)."""
    with transaction.atomic():
        ballot = _locked(ballot)
        if ballot.status != BallotStatus.OPEN:
            raise ValidationError(_("Chỉ kết thúc được lượt bỏ phiếu đang mở."))
        list(VoteCode.objects.select_for_update().filter(ballot=ballot).order_by("pk").values_list("pk", flat=True))
        candidates = list(ballot.candidates.all())
        if ballot.method == BallotMethod.PAPER:
            entries = list(PaperTally.objects.filter(ballot=ballot))
            differences = queries.tally_differences(entries, candidates)
            if len(entries) < 2 or differences:
                raise ValidationError(_("Hai lần nhập kết quả kiểm phiếu phải có và khớp nhau trước khi kết thúc."))
            counts = {str(c.pk): int(entries[0].counts.get(str(c.pk), 0)) for c in candidates}
            counted = entries[0].ballots_returned - entries[0].invalid
            first = entries[0]
            extra = {"issued": first.ballots_issued, "returned": first.ballots_returned, "invalid": first.invalid}
        else:
            per_candidate = queries.electronic_counts(ballot)
            counts = {str(c.pk): per_candidate.get(c.pk, 0) for c in candidates}
            counted = CastBallot.objects.filter(ballot=ballot).count()
            codes_total = VoteCode.objects.filter(ballot=ballot).count()
            codes_used = VoteCode.objects.filter(ballot=ballot, used=True).count()
            extra = {"issued": codes_total, "returned": codes_used, "invalid": 0}
        _refuse_impossible_tally(ballot, counted=counted, approvals=sum(counts.values()))
        outcome = tally.count(
            tally.Rules.of(ballot.rules_snapshot),
            electorate=ballot.electorate_size,
            present=ballot.present_count,
            written=ballot.written_votes_count,
            counts=counts,
            ballots_counted=counted,
            seats=ballot.max_choices,
            round_number=ballot.round_number,
        )
        ballot.result = {**outcome.as_json(), **extra}
        ballot.status = BallotStatus.CLOSED
        ballot.closed_at = timezone.now()
        ballot.version += 1
        ballot.save()
        _rewrite_in_receipt_order(ballot, candidates)
        audit.record(actor=actor, action="voting.ballot_closed", obj=ballot, data=ballot.result)
    return ballot


def _rewrite_in_receipt_order(ballot: Ballot, candidates: list[Candidate]) -> None:
    """Store the ballot's cast ballots again, in the order of their receipts.

    While voting, rows land in the tables in the order of casting, and the database keeps that
    order physically (SQLite's rowid; PostgreSQL's ctid, and xmin, the id of the transaction
    that wrote the row). Here every cast ballot and choice of the ballot is read, deleted and
    inserted again in one transaction: ballots sorted by receipt (random, drawn by
    ``codes.new_receipt``), each ballot's choices in candidate order. The stored order is then
    the receipt order and every row carries the closing transaction's id.

    Receipts stay as they were (voters look theirs up afterwards), and so do the counts. The
    random keys (UUID4) are kept too: they were drawn at random and say nothing about the order,
    and each row is identified by its receipt anyway, so new keys would hide nothing more.

    The deleted rows' bytes are zeroed on SQLite (``PRAGMA secure_delete``, set for every
    connection in ``settings``); on PostgreSQL they stay in the table's pages as dead tuples
    until (auto)vacuum reclaims the space, and in the write-ahead log and in backups taken while
    the ballot was open (``docs/operations.md``). Paper ballots store no cast ballot: nothing to do.
    """
    cast = sorted(CastBallot.objects.filter(ballot=ballot).values_list("pk", "receipt"), key=lambda row: row[1])
    if not cast:
        return
    order = {c.pk: (c.order, c.pk) for c in candidates}
    chosen: dict[Any, list[tuple[Any, int]]] = {}
    for pk, cast_id, candidate_id in CastChoice.objects.filter(cast_ballot__ballot=ballot).values_list(
        "pk", "cast_ballot_id", "candidate_id"
    ):
        chosen.setdefault(cast_id, []).append((pk, candidate_id))
    CastChoice.objects.filter(cast_ballot__ballot=ballot).delete()
    CastBallot.objects.filter(ballot=ballot).delete()
    CastBallot.objects.bulk_create(CastBallot(pk=pk, ballot=ballot, receipt=receipt) for pk, receipt in cast)
    CastChoice.objects.bulk_create(
        CastChoice(pk=choice_pk, cast_ballot_id=cast_id, candidate_id=candidate_id)
        for cast_id, _receipt in cast
        for choice_pk, candidate_id in sorted(chosen.get(cast_id, []), key=lambda pair: order[pair[1]])
    )


def start_next_round(*, actor: Any, ballot: Ballot) -> Ballot:
    """The next round between the candidates the count left short or tied."""
    with transaction.atomic():
        ballot = _locked(ballot)
        if ballot.status != BallotStatus.CLOSED or not ballot.result.get("next_round"):
            raise ValidationError(_("Lượt bỏ phiếu này không có vòng tiếp theo."))
        if Ballot.objects.filter(previous_round=ballot).exists():
            raise ValidationError(_("Vòng tiếp theo đã được tạo."))
        keys = [int(k) for k in ballot.result["next_round"]]
        previous = {c.pk: c for c in ballot.candidates.select_related("organization")}
        seats_left = ballot.max_choices - len(ballot.result.get("elected", []))
        nxt = Ballot.objects.create(
            conference=ballot.conference,
            question=ballot.question,
            award=ballot.award,
            method=ballot.method,
            max_choices=max(1, seats_left),
            preset=ballot.preset,
            rules_snapshot=ballot.rules_snapshot,
            electorate_size=ballot.electorate_size,
            round_number=ballot.round_number + 1,
            previous_round=ballot,
        )
        Candidate.objects.bulk_create(
            Candidate(ballot=nxt, organization=previous[k].organization, order=i, basis=previous[k].basis)
            for i, k in enumerate(keys, start=1)
        )
        audit.record(actor=actor, action="voting.next_round_created", obj=nxt, data={"from": ballot.pk})
    return nxt


def record_decision(*, actor: Any, ballot: Ballot, decision: str, reason: str) -> Ballot:
    """After the last round: the head and deputies' decision, with its reason (once)."""
    decision, reason = decision.strip(), reason.strip()
    if not decision or not reason:
        raise ValidationError(_("Hãy ghi quyết định và lý do."))
    with transaction.atomic():
        ballot = _locked(ballot)
        if ballot.status != BallotStatus.CLOSED or not ballot.result.get("needs_decision"):
            raise ValidationError(_("Chỉ ghi quyết định khi vòng cuối không có đơn vị nào trúng."))
        if ballot.decision:
            raise ValidationError(_("Quyết định đã được ghi và không sửa được."))
        ballot.decision, ballot.decision_reason = decision, reason
        ballot.version += 1
        ballot.save(update_fields=["decision", "decision_reason", "version"])
        audit.record(
            actor=actor, action="voting.decision_recorded", obj=ballot, data={"decision": decision}, reason=reason
        )
    return ballot


def guard_closed(ballot: Ballot) -> None:
    """For callers that edit a ballot's own fields: refuse when closed."""
    _refuse_if_closed(ballot)
