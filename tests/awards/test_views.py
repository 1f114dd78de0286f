"""The proposal pages: who sees what, the workflow through the forms, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.organizations import OrganizationFactory
from thidua.awards import services
from thidua.awards.models import AwardRecord, Proposal, ProposalStatus
from thidua.organizations.models import Membership, MembershipRole
from thidua.titles import services as title_services


def test_a_school_of_another_cluster_cannot_see_a_draft(aw, client_for):
    proposal = aw.propose()
    response = client_for(aw.world.frank).get(reverse("awards:proposal", args=[proposal.pk]))
    assert response.status_code == 404


def test_a_fellow_member_sees_a_proposal_only_once_submitted(aw, client_for):
    proposal = aw.propose()
    client = client_for(aw.world.bob)
    assert client.get(reverse("awards:proposal", args=[proposal.pk])).status_code == 404
    services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    response = client.get(reverse("awards:proposal", args=[proposal.pk]))
    assert response.status_code == 200
    assert 'id="edit"' not in response.content.decode()


def test_another_cluster_never_sees_the_proposal_in_lists(aw, client_for):
    proposal = aw.propose()
    services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    response = client_for(aw.world.frank).get(reverse("awards:proposal_list"))
    assert f'id="proposal-{proposal.pk}"' not in response.content.decode()
    assert client_for(aw.world.frank).get(reverse("awards:proposal", args=[proposal.pk])).status_code == 404


def test_the_secretariat_creates_and_submits_through_the_pages(aw, client_for):
    client = client_for(aw.world.alice)
    url = reverse("awards:campaign", args=["K", 2020])
    response = client.post(
        url, {"nominee": aw.world.school_a.pk, "award": aw.awards["co-hoc-vien"].pk, "note": "Dẫn đầu Cụm"}
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:proposal", args=[proposal.pk])

    response = client.post(reverse("awards:proposal_submit", args=[proposal.pk]), {"version": proposal.version})
    proposal.refresh_from_db()
    assert (response.status_code, proposal.status) == (302, ProposalStatus.SUBMITTED)


def test_a_stale_submit_form_is_refused(aw, client_for):
    proposal = aw.propose()
    stale = proposal.version
    services.update_proposal(actor=aw.world.alice, proposal=proposal, expected_version=stale, note="mới")
    response = client_for(aw.world.alice).post(
        reverse("awards:proposal_submit", args=[proposal.pk]), {"version": stale}
    )
    assert response.status_code == 400
    assert "vừa được người khác thay đổi" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_a_member_cannot_post_to_create(aw, client_for):
    response = client_for(aw.world.bob).post(
        reverse("awards:campaign", args=["K", 2020]),
        {"nominee": aw.world.school_b.pk, "award": aw.awards["co-hoc-vien"].pk},
    )
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_the_academy_approves_with_a_decision_number(aw, client_for):
    proposal = aw.propose()
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    response = client_for(aw.world.dave).post(
        reverse("awards:proposal_decide", args=[proposal.pk]),
        {
            "version": proposal.version,
            "outcome": "approved",
            "decision_number": "1234-QĐ/HVCTQG",
            "decision_date": "15/12/2020",
        },
    )
    assert response.status_code == 302
    record = AwardRecord.objects.get()
    assert (record.decision_number, record.decision_date.isoformat()) == ("1234-QĐ/HVCTQG", "2020-12-15")


def test_the_school_page_shows_the_history_with_predecessors(aw, client_for):
    AwardRecord.objects.create(
        organization=aw.world.school_a, award=aw.awards["co-hoc-vien"], year=2019, decision_number="1789-QĐ/HVCTQG"
    )
    response = client_for(aw.world.bob).get(reverse("organizations:organization_detail", args=["A"]))
    html = response.content.decode()
    assert 'id="award-history"' in html
    assert "Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh" in html
    assert "Quyết định số 1789-QĐ/HVCTQG" in html


def _many(aw, n: int) -> None:
    for i in range(n):
        school = OrganizationFactory(short_code=f"M{n}{i}")
        Membership.objects.create(cluster_year=aw.world.year_2020, organization=school, role=MembershipRole.MEMBER)
        aw.propose(nominee=school)


@pytest.mark.parametrize("size", [2, 8])
def test_the_proposal_list_costs_the_same_queries_at_any_size(aw, client_for, django_assert_max_num_queries, size):
    _many(aw, size)
    client = client_for(aw.world.alice)
    client.get(reverse("awards:proposal_list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("awards:proposal_list"))
    assert response.content.decode().count('id="proposal-') == size


def test_the_query_count_does_not_grow(aw, client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(aw.world.alice)
    counts = []
    for n in (2, 6):
        _many(aw, n)
        client.get(reverse("awards:proposal_list"))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("awards:proposal_list"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_campaign_page_costs_the_same_queries_at_any_size(aw, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(aw.world.alice)
    url = reverse("awards:campaign", args=["K", 2020])
    counts = []
    for n in (2, 6):
        _many(aw, n)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert response.content.decode().count('id="proposal-') == 8


def test_the_award_list_is_kept_by_the_academy_only(aw, client_for):
    assert client_for(aw.world.alice).get(reverse("awards:award_create")).status_code == 403
    client = client_for(aw.world.dave)
    response = client.post(
        reverse("awards:award_create"),
        {"code": "bang-khen-bo", "name": "Bằng khen của Bộ trưởng", "level": "government", "is_active": "on"},
    )
    assert response.status_code == 302
    html = client.get(reverse("awards:index")).content.decode()
    assert 'id="award-bang-khen-bo"' in html
    assert "2 năm liên tục có Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in html


def test_the_academy_records_a_past_award(aw, client_for):
    response = client_for(aw.world.dave).post(
        reverse("awards:record_add"),
        {
            "organization": aw.world.school_b.pk,
            "award": aw.awards["co-ubnd-tinh"].pk,
            "year": 2018,
            "decision_number": "2950/QĐ-UBND",
            "decision_date": "25/12/2018",
        },
    )
    assert response.status_code == 302
    record = AwardRecord.objects.get()
    assert (record.organization, record.year, record.decision_number) == (aw.world.school_b, 2018, "2950/QĐ-UBND")
    assert client_for(aw.world.bob).post(reverse("awards:record_add"), {}).status_code == 403


def test_a_draft_made_by_mistake_is_deleted_by_the_secretariat_only(aw, client_for):
    proposal = aw.propose()
    url = reverse("awards:proposal_delete", args=[proposal.pk])
    assert client_for(aw.world.dave).post(url, {"version": proposal.version}).status_code == 404
    response = client_for(aw.world.alice).post(url, {"version": proposal.version})
    assert response.status_code == 302
    assert not Proposal.objects.exists()
    aw.propose()  # the same nominee and award can be proposed again


def test_a_stale_award_form_is_refused_and_keeps_what_was_typed(aw, client_for):
    from thidua.titles.models import Award

    award = Award.objects.get(code="bang-khen-giam-doc")
    client = client_for(aw.world.dave)
    url = reverse("awards:award_edit", args=[award.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    # Someone else saves a change after this form was read.
    title_services.save_award(
        actor=aw.world.dave, award=award, expected_version=1, name="Bằng khen của Giám đốc Học viện"
    )
    posted = {
        "code": award.code, "name": "Bằng khen (sửa từ trang cũ)", "level": award.level,
        "framework_title": "Bằng khen", "is_active": "on", "version": "1",
    }  # fmt: skip
    response = client.post(url, posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert "vừa được người khác sửa" in html
    assert "Bằng khen (sửa từ trang cũ)" in html  # nothing typed is lost
    award.refresh_from_db()
    assert (award.name, award.version) == ("Bằng khen của Giám đốc Học viện", 2)
    # Read again, the same change goes through.
    response = client.post(url, {**posted, "version": "2"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.name, award.version) == ("Bằng khen (sửa từ trang cũ)", 3)


def test_saving_an_award_unchanged_keeps_its_version(aw):
    from thidua.titles.models import Award

    award = Award.objects.get(code="co-hoc-vien")
    title_services.save_award(actor=aw.world.dave, award=award, expected_version=1, name=award.name)
    award.refresh_from_db()
    assert award.version == 1
