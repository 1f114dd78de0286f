"""Pages of the conference and the vote: who may read and run them (with data that could leak),
the flow through the pages, the public vote page by code, slips with QR codes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.voting.conftest import candidate_ids, make_ballot
from thidua.organizations.models import Organization
from thidua.voting import codes, services
from thidua.voting.models import Ballot, BallotStatus, CastBallot, VoteCode

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"voting:{name}", args=("K", 2020, *args))


def test_the_secretariat_runs_members_read_and_another_cluster_gets_a_404(meeting, world, client_for, client):
    ballot = make_ballot(meeting, actor=world.alice)
    assert client.get(url("detail")).status_code == 302  # to the login page
    page = client_for(world.bob).get(url("detail"))
    assert page.status_code == 200
    assert "Tạo lượt bỏ phiếu" not in page.content.decode()
    assert client_for(world.bob).post(url("ballot_open", ballot.pk)).status_code == 403
    assert client_for(world.bob).post(url("ballot_codes", ballot.pk), {"count": 1}).status_code == 403
    assert client_for(world.bob).get(url("edit")).status_code == 403
    assert client_for(world.frank).get(url("detail")).status_code == 404
    assert client_for(world.frank).get(url("ballot", ballot.pk)).status_code == 404
    assert client_for(world.frank).get(url("minutes_docx")).status_code == 404
    assert client_for(world.frank).post(url("ballot_close", ballot.pk)).status_code == 404
    assert client_for(world.dave).get(url("ballot", ballot.pk)).status_code == 200  # the Academy reads
    assert VoteCode.objects.count() == 0
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.DRAFT


def test_the_secretariat_creates_the_conference_and_a_ballot_through_the_pages(world, client_for):
    client = client_for(world.alice)
    response = client.post(
        url("edit"),
        {"date": "09/11/2020", "place": "Tiền Giang", "host": world.school_a.pk, "agenda": "Tổng kết", "notes": ""},
    )
    assert response.status_code == 302
    page = client.get(url("ballot_create"))
    assert "Chưa có kết quả đợt thi đua được công bố" in page.content.decode()
    form = page.context["form"]
    response = client.post(
        url("ballot_create"),
        {
            "question": "Suy tôn đơn vị dẫn đầu",
            "preset": form.initial["preset"],
            "method": "electronic",
            "max_choices": 1,
            "candidates": [world.school_b.pk, world.school_a.pk],
        },
    )
    ballot = Ballot.objects.get()
    assert response.status_code == 302
    assert [c.organization.short_code for c in ballot.candidates.all()] == ["A", "B"]


def _form_data(form, **values):
    data = {"question": "Suy tôn đơn vị dẫn đầu", "preset": form.initial["preset"], "method": "electronic"}
    return {**data, "max_choices": 1, **values}


def test_changing_the_award_redraws_the_list_of_candidates(ranked_meeting, world, client_for):
    client = client_for(world.alice)
    page = client.get(url("ballot_create"))
    assert [o.short_code for o in page.context["form"].fields["candidates"].queryset.order_by("short_code")] == [
        "A",
        "B",
        "E",
    ]
    assert 'hx-get="/conference/K/2020/ballots/new/"' in page.content.decode()

    redraw = client.get(url("ballot_create"), {"award": ranked_meeting.flag.pk}, HTTP_HX_REQUEST="true")

    html = redraw.content.decode()
    assert html.lstrip().startswith('<div id="ballot-candidates">')
    assert [o.short_code for o in redraw.context["form"].fields["candidates"].queryset.order_by("short_code")] == [
        "B",
        "E",
    ]
    assert f'name="drawn_for" value="{ranked_meeting.flag.pk}"' in html
    assert "Các trường đủ điều kiện xét danh hiệu “Cờ thi đua” theo kết quả đã công bố." in html
    assert "Trường Chính trị tỉnh Tiền Giang" not in html


def test_a_list_drawn_for_another_award_is_drawn_again_not_saved(ranked_meeting, world, client_for):
    client = client_for(world.alice)
    form = client.get(url("ballot_create")).context["form"]
    ids = {code: Organization.objects.get(short_code=code).pk for code in "ABE"}
    data = _form_data(form, award=ranked_meeting.flag.pk, drawn_for="", candidates=list(ids.values()))

    response = client.post(url("ballot_create"), data)

    assert response.status_code == 200
    assert Ballot.objects.count() == 0
    html = response.content.decode()
    assert 'id="candidates-redrawn"' in html
    redrawn = response.context["form"]
    assert (redrawn.initial["question"], redrawn.initial["drawn_for"]) == (
        "Suy tôn đơn vị dẫn đầu",
        str(ranked_meeting.flag.pk),
    )
    assert redrawn.initial["candidates"] == [ids["B"], ids["E"]]
    # without JavaScript, the refresh button draws the list again in the same way
    refreshed = client.post(url("ballot_create"), {**data, "drawn_for": ranked_meeting.flag.pk, "refresh": "1"})
    assert (refreshed.status_code, Ballot.objects.count()) == (200, 0)

    saved = client.post(
        url("ballot_create"), {**data, "drawn_for": ranked_meeting.flag.pk, "candidates": [ids["E"], ids["B"]]}
    )

    ballot = Ballot.objects.get()
    assert saved.status_code == 302
    assert ballot.award == ranked_meeting.flag
    assert [c.organization.short_code for c in ballot.candidates.all()] == ["B", "E"]
    assert "Cờ thi đua của Học viện" in client.get(url("ballot", ballot.pk)).content.decode()


def test_slips_show_each_code_once_with_an_svg_qr_code_and_no_inline_style(meeting, world, client_for):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    response = client_for(world.alice).post(url("ballot_codes", ballot.pk), {"count": 3})
    html = response.content.decode()
    shown = re.findall(r"data-code>([0-9A-Z-]{19})<", html)
    assert len(shown) == 3
    assert {codes.code_hash(c) for c in shown} == set(VoteCode.objects.values_list("code_hash", flat=True))
    assert html.count("<svg") == 3
    assert "style=" not in html
    assert "<script>" not in html
    assert response["Cache-Control"] == "no-store"


def test_a_voter_votes_on_the_public_page_with_the_code_and_gets_a_receipt(meeting, world, client):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    (code,) = services.generate_codes(actor=world.alice, ballot=ballot, count=1)
    ids = candidate_ids(ballot)
    page = client.post(reverse("voting:vote"), {"code": code})
    assert "Trường Chính trị tỉnh Tiền Giang" in page.content.decode()
    assert client.get(reverse("voting:vote"), {"ma": code}).context["form"]["code"].value() is None
    response = client.post(reverse("voting:vote"), {"code": code, "choices": [ids["A"]], "cast": "1"})
    receipt = CastBallot.objects.get().receipt
    assert receipt in response.content.decode()
    again = client.post(reverse("voting:vote"), {"code": code, "choices": [ids["B"]], "cast": "1"})
    assert again.status_code == 400
    assert "Mã bỏ phiếu không đúng hoặc đã được dùng." in again.content.decode()
    check = client.get(reverse("voting:receipt"), {"receipt": receipt})
    assert "Phiếu của bạn đã được ghi nhận" in check.content.decode()
    services.close_ballot(actor=world.alice, ballot=ballot)
    check = client.get(reverse("voting:receipt"), {"receipt": receipt.lower()})
    assert 'id="my-ballot"' in check.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client):
    response = client.post(reverse("voting:vote"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 400
    assert "Mã bỏ phiếu không đúng" in response.content.decode()


def test_the_ballot_page_shows_counts_only_after_the_close(meeting, world, client_for):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    ids = candidate_ids(ballot)
    for c in services.generate_codes(actor=world.alice, ballot=ballot, count=4):
        services.cast_vote(code=c, candidate_ids=[ids["B"]])
    client = client_for(world.bob)
    assert 'id="results"' not in client.get(url("ballot", ballot.pk)).content.decode()
    services.close_ballot(actor=world.alice, ballot=ballot)
    html = client.get(url("ballot", ballot.pk)).content.decode()
    assert 'id="results"' in html
    assert "66,67 %" in html
    assert "Đại biểu B" not in html


def test_the_ballot_page_answers_in_a_constant_number_of_queries(
    meeting, world, client_for, django_assert_max_num_queries
):
    small = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    big = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice, max_choices=3))
    for ballot, n in ((small, 1), (big, 5)):  # five delegates present
        ids = list(candidate_ids(ballot).values())
        for c in services.generate_codes(actor=world.alice, ballot=ballot, count=n):
            services.cast_vote(code=c, candidate_ids=ids[:1])
        services.close_ballot(actor=world.alice, ballot=ballot)
    client = client_for(world.alice)
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for ballot in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("ballot", ballot.pk)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_secretariat_adds_and_checks_in_a_delegate_through_the_pages(meeting, world, client_for):
    client = client_for(world.alice)
    client.post(url("delegate_add"), {"name": "Phan Văn Mới", "position": "Phó Hiệu trưởng", "organization": ""})
    delegate = meeting.conference.delegates.get(name="Phan Văn Mới")
    assert delegate.is_guest is True
    client.post(url("check_in", delegate.pk), {"present": "1"})
    delegate.refresh_from_db()
    assert delegate.checked_in_at is not None
    assert client_for(world.bob).post(url("check_in", delegate.pk), {"present": "0"}).status_code == 403


def test_two_tellers_enter_paper_counts_and_differences_show_field_by_field(meeting, world, client_for):
    from thidua.voting.models import BallotMethod

    ballot = services.open_ballot(
        actor=world.alice, ballot=make_ballot(meeting, actor=world.alice, method=BallotMethod.PAPER)
    )
    ids = candidate_ids(ballot)

    def entry(client, n, a_votes):
        data = {"ballots_issued": 5, "ballots_returned": 5, "invalid": 0}
        data.update({f"c{pk}": 0 for pk in ids.values()})
        data[f"c{ids['A']}"] = a_votes
        return client.post(url("paper_tally", ballot.pk, n), data)

    assert entry(client_for(world.alice), 1, 4).status_code == 302
    assert entry(client_for(world.carol), 2, 3).status_code == 302
    html = client_for(world.alice).get(url("ballot", ballot.pk)).content.decode()
    assert 'id="tally-differences"' in html
    assert "<td>Trường Chính trị tỉnh Tiền Giang</td><td>4</td><td>3</td>" in html
    client_for(world.alice).post(url("ballot_close", ballot.pk))
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN
    assert entry(client_for(world.carol), 2, 4).status_code == 302
    client_for(world.alice).post(url("ballot_close", ballot.pk))
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.CLOSED


def test_a_cluster_copies_and_adjusts_a_preset_and_members_cannot(meeting, world, client_for):
    from thidua.voting.models import RulePreset

    default = meeting.presets["cluster-vote"]
    assert client_for(world.bob).post(url("preset_copy", default.pk)).status_code == 403
    response = client_for(world.alice).post(url("preset_copy", default.pk))
    copy = RulePreset.objects.get(cluster=world.cluster, code="cluster-vote")
    assert response.status_code == 302
    client_for(world.alice).post(
        url("preset_edit", copy.pk),
        {
            "name": "Bỏ phiếu trong Cụm K",
            "quorum": "0.75",
            "threshold": "0.5",
            "threshold_strict": "on",
            "max_rounds": 3,
        },
    )
    copy.refresh_from_db()
    assert (copy.name, str(copy.quorum), copy.max_rounds) == ("Bỏ phiếu trong Cụm K", "0.75000", 3)
    assert "Bỏ phiếu trong Cụm K" in client_for(world.bob).get(url("presets")).content.decode()


def test_the_conference_page_answers_in_a_constant_number_of_queries(meeting, world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.alice)
    make_ballot(meeting, actor=world.alice)
    counts = []
    for extra in (0, 8):
        for i in range(extra):
            services.add_delegate(actor=world.alice, conference=meeting.conference, name=f"Khách {i}", is_guest=True)
        make_ballot(meeting, actor=world.alice)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("detail")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_conference_list_answers_in_a_constant_number_of_queries(meeting, world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.carol)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("voting:list")).status_code == 200
    services.save_conference(
        actor=world.carol,
        cluster_year=world.year_2021,
        date=meeting.conference.date,
        place="Bạc Liêu",
        host=world.school_b,
    )
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("voting:list")).status_code == 200
    assert len(one.captured_queries) == len(two.captured_queries)


def test_the_vote_page_speaks_english_too(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("voting:vote"))
    assert "Secret ballot" in page.content.decode()


def test_the_vote_page_answers_a_used_code_exactly_as_a_code_never_issued(meeting, world, client):
    # the desk holds the printed codes: a different answer for a used one tells it who has voted
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    used, _unused = services.generate_codes(actor=world.alice, ballot=ballot, count=2)
    services.cast_vote(code=used, candidate_ids=[])
    never = "AAAA-BBBB-CCCC-DDDD"
    answers = []
    for code in (used, never):
        for body in ({"code": code}, {"code": code, "choices": [], "cast": "1"}):
            response = client.post(reverse("voting:vote"), body)
            answers.append((response.status_code, response.context["form"].errors["code"]))
    expected = ["Mã bỏ phiếu không đúng hoặc đã được dùng. Hãy kiểm tra lại mã trên phiếu."]
    assert answers == [(400, expected)] * 4
