"""The conference minutes (biên bản họp Cụm) and the tally minutes (biên bản kiểm phiếu), DOCX
and PDF, in the Party's document format, from the data.

Both show counts per candidate and never who voted for whom (no such link is stored). The
conference minutes: time and place, attendance (each member school present or absent, the
guests), agenda, the secretary's notes, each ballot's result and decision; signatures of the
chair and the secretary. The tally minutes: one ballot — electorate, present, quorum,
threshold, ballots issued/returned/valid, the count per candidate, who is elected.
"""

from __future__ import annotations

from thidua.documents import party_format as pf
from thidua.documents import pdf, word
from thidua.documents.party_format import Align, Column, Row, cell, para
from thidua.organizations.models import MembershipRole
from thidua.voting import queries
from thidua.voting.models import Ballot, BallotMethod, BallotStatus, Conference

ATTENDANCE_COLUMNS = (
    Column("TT", 12, Align.CENTER),
    Column("Đơn vị", 85, Align.LEFT),
    Column("Đại biểu", 50, Align.LEFT),
    Column("Có mặt", 18, Align.CENTER),
)
RESULT_COLUMNS = (
    Column("TT", 12, Align.CENTER),
    Column("Đơn vị", 88, Align.LEFT),
    Column("Số phiếu", 20, Align.CENTER),
    Column("Tỷ lệ / tổng số thành viên", 25, Align.CENTER),
    Column("Đạt ngưỡng", 20, Align.CENTER),
)
RANKING_COLUMNS = (
    Column("Hạng", 18, Align.CENTER),
    Column("Đơn vị", 117, Align.LEFT),
    Column("Tổng điểm", 30, Align.CENTER),
)
ROLE_WORDS: dict[str, str] = {MembershipRole.HEAD: "Cụm trưởng", MembershipRole.DEPUTY: "Cụm phó"}


def _letterhead(conference: Conference) -> pf.Letterhead:
    cluster = conference.cluster_year.cluster
    return pf.Letterhead(
        organ=cluster.name,
        parent_organ=cluster.coordinator.name if cluster.coordinator else "",
        place=conference.host.province,
        day=conference.date,
    )


def _rules_text(ballot: Ballot) -> str:
    from thidua.voting.tally import Rules

    rules = Rules.of(ballot.rules_snapshot) if ballot.rules_snapshot else None
    if rules is None:
        return ""
    q = f"{rules.quorum.numerator}/{rules.quorum.denominator}"
    t = queries.format_percent(rules.threshold.numerator, rules.threshold.denominator).replace(",00", "")
    more = "trên" if rules.threshold_strict else "từ"
    written = "; tính cả phiếu bằng văn bản của thành viên vắng mặt" if rules.absentee_written_votes else ""
    return (
        f"Quy tắc: có mặt tối thiểu {q} tổng số thành viên; trúng khi đạt {more} {t} tổng số thành viên "
        f"(không phải số phiếu bầu); tối đa {rules.max_rounds} vòng{written}."
    )


def _ballot_blocks(ballot: Ballot) -> list[pf.Block]:
    result = ballot.result or {}
    blocks: list[pf.Block] = [
        pf.body(f"Nội dung: {ballot.question} (vòng {ballot.round_number}); hình thức: {ballot.get_method_display()}."),
    ]
    if ballot.rules_snapshot:
        blocks.append(pf.body(_rules_text(ballot)))
    if ballot.status != BallotStatus.CLOSED:
        blocks.append(pf.body("Lượt bỏ phiếu chưa kết thúc."))
        return blocks
    blocks.append(
        pf.body(
            f"Tổng số thành viên có quyền bỏ phiếu: {result.get('electorate', ballot.electorate_size)}; "
            f"có mặt: {result.get('present', ballot.present_count)}; phiếu bằng văn bản: {result.get('written', 0)}; "
            f"số tối thiểu để hợp lệ: {result.get('quorum_needed')} — "
            f"{'đủ' if result.get('quorum_met') else 'không đủ'} điều kiện tiến hành bỏ phiếu."
        )
    )
    issued = "số mã phát ra" if ballot.method == BallotMethod.ELECTRONIC else "số phiếu phát ra"
    returned = "số mã đã dùng" if ballot.method == BallotMethod.ELECTRONIC else "số phiếu thu về"
    blocks.append(
        pf.body(
            f"{issued.capitalize()}: {result.get('issued', 0)}; {returned}: {result.get('returned', 0)}; "
            f"số phiếu không hợp lệ: {result.get('invalid', 0)}; số phiếu hợp lệ: {result.get('ballots_counted', 0)}. "
            f"Số phiếu cần để trúng: {result.get('votes_needed')}."
        )
    )
    rows = queries.result_rows(ballot)
    blocks.append(
        pf.Table(
            RESULT_COLUMNS,
            tuple(
                Row(
                    (
                        cell(str(i)),
                        cell(r.name),
                        cell(str(r.votes)),
                        cell(r.percent_of_electorate),
                        cell("Đạt" if r.reached else "Không"),
                    )
                )
                for i, r in enumerate(rows, start=1)
            ),
        )
    )
    elected = [r.name for r in rows if r.elected]
    if elected:
        blocks.append(para("Kết quả: " + "; ".join(elected) + " trúng.", bold=True, indent=True))
    elif not result.get("quorum_met"):
        blocks.append(
            para("Kết quả: không đủ số thành viên tham gia, bỏ phiếu không có giá trị.", bold=True, indent=True)
        )
    else:
        blocks.append(para("Kết quả: không có đơn vị nào đạt ngưỡng.", bold=True, indent=True))
    if result.get("next_round"):
        blocks.append(
            pf.body("Các đơn vị vào vòng tiếp theo: " + "; ".join(_names(ballot, result["next_round"])) + ".")
        )
    if ballot.decision:
        blocks.append(pf.body(f"Quyết định của Cụm trưởng và các Cụm phó: {ballot.decision}"))
        blocks.append(pf.body(f"Lý do: {ballot.decision_reason}"))
    elif result.get("needs_decision"):
        blocks.append(pf.body("Sau vòng cuối, Cụm trưởng và các Cụm phó quyết định (chưa ghi quyết định)."))
    return blocks


def _points(value: object) -> str:
    """ "96,5": the Vietnamese decimal comma."""
    return "" if value is None else str(value).replace(".", ",")


def _names(ballot: Ballot, keys: list[str]) -> list[str]:
    names = {str(c.pk): c.organization.name for c in ballot.candidates.all()}
    return [names.get(str(k), str(k)) for k in keys]


def conference_minutes(conference: Conference) -> pf.Document:
    cy = conference.cluster_year
    members = queries.memberships(cy)
    delegates = list(conference.delegates.select_related("organization"))
    present = queries.present_members(conference)
    by_org: dict[int, list[str]] = {}
    for d in delegates:
        if d.organization_id is not None and not d.is_guest:
            label = d.name + (f" — {d.position}" if d.position else "")
            by_org.setdefault(d.organization_id, []).append(label)
    blocks: list[pf.Block] = [
        pf.body(
            f"Vào ngày {conference.date:%d/%m/%Y}, tại {conference.place}, {cy.cluster.name} tổ chức hội nghị tổng kết "
            f"phong trào thi đua năm {cy.year}; đơn vị đăng cai: {conference.host.name}."
        ),
    ]
    if conference.chair:
        blocks.append(pf.body(f"Chủ trì: {conference.chair}."))
    if conference.secretary:
        blocks.append(pf.body(f"Thư ký: {conference.secretary}."))
    blocks.append(pf.Heading("I. Thành phần tham dự"))
    blocks.append(pf.body(f"Số trường thành viên có mặt: {len(present)}/{len(members)}."))
    blocks.append(
        pf.Table(
            ATTENDANCE_COLUMNS,
            tuple(
                Row(
                    (
                        cell(str(i)),
                        cell(m.organization.name + (f" ({ROLE_WORDS[m.role]})" if m.role in ROLE_WORDS else "")),
                        cell(*(by_org.get(m.organization_id) or [""])),
                        cell("Có" if m.organization_id in present else "Vắng"),
                    )
                )
                for i, m in enumerate(members, start=1)
            ),
        )
    )
    guests = [d for d in delegates if d.is_guest]
    if guests:
        blocks.append(
            pf.body("Khách mời: " + "; ".join(g.name + (f", {g.position}" if g.position else "") for g in guests) + ".")
        )
    blocks.append(pf.Heading("II. Chương trình hội nghị"))
    agenda = [line.strip() for line in conference.agenda.splitlines() if line.strip()]
    blocks += [pf.body(line) for line in agenda] or [pf.body("(Chưa ghi chương trình.)")]
    blocks.append(pf.Heading("III. Kết quả chấm điểm, xếp hạng thi đua"))
    ranking = queries.published_ranking(cy)
    if ranking:
        blocks.append(
            pf.Table(
                RANKING_COLUMNS,
                tuple(
                    Row(
                        (
                            cell(str(r.basis.get("rank_label") or r.basis.get("rank") or "")),
                            cell(r.organization.name),
                            cell(_points(r.basis.get("total"))),
                        )
                    )
                    for r in ranking
                ),
            )
        )
    else:
        blocks.append(pf.body("Kết quả chấm điểm, xếp hạng chưa được công bố trên hệ thống."))
    if conference.notes.strip():
        blocks.append(pf.Heading("IV. Nội dung thảo luận"))
        blocks += [pf.body(line.strip()) for line in conference.notes.splitlines() if line.strip()]
    blocks.append(pf.Heading("V. Kết quả bỏ phiếu"))
    ballots = list(queries.ballots_of(conference))
    if not ballots:
        blocks.append(pf.body("Hội nghị không tổ chức bỏ phiếu."))
    for index, ballot in enumerate(ballots, start=1):
        ballot.conference = conference
        blocks.append(pf.Heading(f"{index}. {ballot.question} (vòng {ballot.round_number})", level=2))
        blocks += _ballot_blocks(ballot)
    blocks.append(
        pf.body(
            "Biên bản được lập xong lúc … giờ … cùng ngày, đã thông qua trước hội nghị và được các đại biểu thống nhất."
        )
    )
    return pf.Document(
        letterhead=_letterhead(conference),
        title=pf.Title(
            kind="BIÊN BẢN", subject=(f"Hội nghị tổng kết phong trào thi đua năm {cy.year}", cy.cluster.name)
        ),
        blocks=tuple(blocks),
        signature=pf.Signature(authority=("THƯ KÝ",), name=conference.secretary),
        metadata_title=f"Biên bản họp {cy.cluster.name} năm {cy.year}",
    )


def tally_minutes(ballot: Ballot) -> pf.Document:
    conference = ballot.conference
    cy = conference.cluster_year
    blocks: list[pf.Block] = [
        pf.body(
            f"Hôm nay, ngày {conference.date:%d/%m/%Y}, tại {conference.place}, Ban kiểm phiếu hội nghị tổng kết "
            f"{cy.cluster.name} năm {cy.year} tiến hành kiểm phiếu."
        ),
        *_ballot_blocks(ballot),
        pf.body("Kết quả chỉ gồm số phiếu của từng đơn vị; không ghi ai bầu cho ai."),
    ]
    return pf.Document(
        letterhead=_letterhead(conference),
        title=pf.Title(kind="BIÊN BẢN KIỂM PHIẾU", subject=(ballot.question,)),
        blocks=tuple(blocks),
        signature=pf.Signature(authority=("T/M BAN KIỂM PHIẾU", "TRƯỞNG BAN"), name=conference.chair),
        metadata_title=f"Biên bản kiểm phiếu {cy.cluster.name} năm {cy.year}",
    )


def conference_minutes_docx(conference: Conference) -> bytes:
    return word.render_docx(conference_minutes(conference))


def conference_minutes_pdf(conference: Conference) -> bytes:
    return pdf.render_pdf(conference_minutes(conference))


def tally_minutes_docx(ballot: Ballot) -> bytes:
    return word.render_docx(tally_minutes(ballot))


def tally_minutes_pdf(ballot: Ballot) -> bytes:
    return pdf.render_pdf(tally_minutes(ballot))
