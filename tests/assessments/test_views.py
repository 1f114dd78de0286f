"""The self-assessment page: who sees what (404 for what is not theirs), autosave through
htmx with the server's points, stale saves, read-only states, submit and reopen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.assessments.conftest import save
from tests.factories.assessments import make_campaign, make_framework
from thidua.assessments import services
from thidua.assessments.models import Evidence, EvidenceKind, SelfAssessment
from thidua.campaigns.models import ReviewerAssignment, SubmissionStatus
from thidua.campaigns.phases import Phase
from thidua.core.audit import entries_for

pytestmark = pytest.mark.django_db

PAGE = "/assessments/K/2020/B/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def post_entry(client, sheet, code, value, *, version=None, explanation="", **extra):
    entry = sheet.entry(code)
    data = {"value": value, "explanation": explanation, "version": entry.version if version is None else version}
    data.update(extra)
    return client.post(f"{PAGE}entries/{entry.pk}/save/", data, **HTMX)


# --- who sees what ------------------------------------------------------------------------


def test_the_schools_officer_opens_its_page_with_every_criterion(sheet, client_for, html):
    response = client_for(sheet.world.bob).get(PAGE)

    assert response.status_code == 200
    text = html.text(response)
    assert "Tự chấm điểm thi đua năm 2020" in text
    assert "I.1 Xây dựng và thực hiện kế hoạch công tác năm, quy chế làm việc" in text
    assert "P.2 Cán bộ, đảng viên vi phạm bị kỷ luật (2 điểm/người)" in text
    assert html.has(response, f"entry-{sheet.entry('I.4').pk}-value")
    assert "Mọi thay đổi được lưu tự động." in html.text(response, "save-status")


def row_counts() -> dict[str, int]:
    """How many rows every table holds (the audit log included)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_a_schools_page_not_started_yet_says_so_and_writes_nothing(sheet, client_for, html):
    client = client_for(sheet.world.alice)
    before = row_counts()

    response = client.get("/assessments/K/2020/A/")

    assert response.status_code == 200
    assert "Chưa bắt đầu" in html.text(response, "assessment-meta")
    assert html.has(response, "start-assessment")
    assert row_counts() == before


def test_starting_creates_the_self_assessment_with_its_audit_row(sheet, client_for):
    response = client_for(sheet.world.alice).post("/assessments/K/2020/A/start/")

    assert response.status_code == 302
    assert response["Location"] == "/assessments/K/2020/A/"
    created = SelfAssessment.objects.get(organization=sheet.world.school_a, campaign=sheet.campaign)
    assert [entry.action for entry in entries_for(created)] == ["assessment.create"]


SUBPAGES = ["", "summary/", "submit/", "reopen/", "xlsx/", "xlsx/import/", "report.docx", "report.pdf"]


@pytest.mark.parametrize("subpage", SUBPAGES)
def test_opening_a_page_of_a_self_assessment_not_started_yet_writes_no_row(sheet, client_for, subpage):
    client = client_for(sheet.world.alice)  # A's officer (and the secretariat): A has not started
    before = row_counts()

    response = client.get(f"/assessments/K/2020/A/{subpage}")

    assert response.status_code == (200 if subpage == "" else 302)
    assert row_counts() == before
    assert not SelfAssessment.objects.filter(organization=sheet.world.school_a).exists()


@pytest.mark.parametrize("subpage", [*SUBPAGES, "entries/{entry}/"])
def test_opening_a_page_of_a_started_self_assessment_writes_no_row(sheet, client_for, subpage):
    client = client_for(sheet.world.bob)
    path = PAGE + subpage.format(entry=sheet.entry("I.4").pk)
    before = row_counts()

    response = client.get(path)

    assert response.status_code in (200, 403)  # reopen is the secretariat's
    assert row_counts() == before


def test_school_a_asking_for_school_bs_draft_page_gets_404(sheet, client_for):
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.75"), explanation="Bí mật của B")
    client = client_for(sheet.world.alice)  # A's officer, and the secretariat of K 2020

    responses = [
        client.get(PAGE),
        client.get(f"{PAGE}xlsx/"),
        client.get(f"{PAGE}report.docx"),
        client.get(f"{PAGE}report.pdf"),
        client.get(f"{PAGE}summary/"),
        client.get(f"{PAGE}entries/{sheet.entry('I.4').pk}/"),
        client.post(f"{PAGE}entries/{sheet.entry('I.4').pk}/save/", {"value": "0", "version": 1}, **HTMX),
    ]

    assert [r.status_code for r in responses] == [404] * 7
    assert all("Bí mật của B" not in r.content.decode(errors="ignore") for r in responses)
    assert sheet.entry("I.4").points == Decimal("1.75")


def test_a_school_not_yet_started_is_a_404_for_others_and_is_not_created(sheet, client_for):
    response = client_for(sheet.world.bob).get("/assessments/K/2020/A/")

    assert response.status_code == 404
    assert not SelfAssessment.objects.filter(organization=sheet.world.school_a).exists()


def test_an_officer_of_another_cluster_gets_404(sheet, client_for):
    assert client_for(sheet.world.frank).get(PAGE).status_code == 404


def test_after_submission_the_secretariat_sees_it_read_only(sheet, client_for, html):
    save(sheet.world.bob, sheet.entry("I.4"), points=Decimal("1.75"), explanation="Có kế hoạch")
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    response = client_for(sheet.world.alice).get(PAGE)

    assert response.status_code == 200
    assert not html.has(response, f"entry-{sheet.entry('I.4').pk}-value")
    assert "Có kế hoạch" in html.text(response, f"entry-{sheet.entry('I.4').pk}")
    assert html.has(response, "reopen-link")


def test_the_academy_sees_a_submitted_assessment_but_not_a_draft(sheet, client_for):
    client = client_for(sheet.world.dave)
    assert client.get(PAGE).status_code == 404

    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    assert client.get(PAGE).status_code == 200


def test_an_assigned_reviewer_sees_the_school_only_from_the_review_phase(sheet, client_for):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)
    ReviewerAssignment.objects.create(campaign=sheet.campaign, school=sheet.world.school_b, reviewer=sheet.rita)
    client = client_for(sheet.rita)
    assert client.get(PAGE).status_code == 404

    sheet.campaign.phase = Phase.REVIEW
    sheet.campaign.save()

    assert client.get(PAGE).status_code == 200
    assert client.get(f"{PAGE}xlsx/").status_code == 200


def test_an_unassigned_reviewer_never_sees_the_school(sheet, client_for):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)
    sheet.campaign.phase = Phase.REVIEW
    sheet.campaign.save()

    assert client_for(sheet.rita).get(PAGE).status_code == 404


# --- autosave -----------------------------------------------------------------------------


def test_a_saved_value_comes_back_with_the_servers_points_and_total(sheet, client_for, html):
    client = client_for(sheet.world.bob)
    entry = sheet.entry("I.4")

    response = post_entry(client, sheet, "I.4", "1,75", explanation="Có kế hoạch thi đua")

    assert response.status_code == 200
    saved = sheet.entry("I.4")
    assert (saved.points, saved.explanation, saved.version) == (Decimal("1.75"), "Có kế hoạch thi đua", 1)
    assert html.text(response, f"entry-{entry.pk}-points") == "1,75 / 2 điểm"
    assert html.text(response, "total-points") == "1,75"
    assert f'id="entry-{entry.pk}-version" value="1" hx-swap-oob="true"' in response.content.decode()
    assert "Đã lưu I.4 lúc" in html.text(response, "save-status")


def test_an_off_step_value_is_refused_with_its_message_and_nothing_saved(sheet, client_for):
    response = post_entry(client_for(sheet.world.bob), sheet, "I.4", "1,6")

    assert response.status_code == 422
    assert "Điểm 1,6 không đúng bước 0,25: hãy nhập 1,5 hoặc 1,75." in response.content.decode()
    assert sheet.entry("I.4").points is None


def test_text_in_a_number_field_is_refused_and_nothing_saved(sheet, client_for):
    response = post_entry(client_for(sheet.world.bob), sheet, "II.2", "ba nghìn")

    assert response.status_code == 422
    assert "“ba nghìn” không phải là số." in response.content.decode()
    assert sheet.entry("II.2").actual is None


def test_a_stale_save_shows_the_other_persons_value_who_and_when_and_overwrites_nothing(sheet, client_for, html):
    save(sheet.binh, sheet.entry("I.4"), points=Decimal("1.5"))  # the principal saved in between

    response = post_entry(client_for(sheet.world.bob), sheet, "I.4", "0,5", version=0)

    assert response.status_code == 409
    text = html.text(response, f"entry-{sheet.entry('I.4').pk}-conflict")
    assert "Người khác đã lưu tiêu chí I.4 trong lúc bạn sửa." in text
    assert "Giá trị của họ: 1,5 — Bình Lê, lúc" in text
    assert "không có gì bị ghi đè" in text
    assert 'name="confirm_version" value="1"' in response.content.decode()
    assert '-version" value=' not in response.content.decode()  # the form keeps its old version
    assert sheet.entry("I.4").points == Decimal("1.5")


def test_keeping_ones_own_value_after_a_conflict_saves_it(sheet, client_for):
    save(sheet.binh, sheet.entry("I.4"), points=Decimal("1.5"))

    response = post_entry(client_for(sheet.world.bob), sheet, "I.4", "0,5", version=0, confirm_version=1)

    assert response.status_code == 200
    assert sheet.entry("I.4").points == Decimal("0.5")


def test_using_their_values_after_a_conflict_shows_the_entry_as_saved(sheet, client_for, html):
    save(sheet.binh, sheet.entry("I.4"), points=Decimal("1.5"))
    entry = sheet.entry("I.4")

    response = client_for(sheet.world.bob).get(f"{PAGE}entries/{entry.pk}/", **HTMX)

    assert response.status_code == 200
    assert f'id="entry-{entry.pk}-value" value="1,5"' in response.content.decode()
    assert f'id="entry-{entry.pk}-version" value="1"' in response.content.decode()


def test_without_javascript_a_save_redirects_back_with_a_message(sheet, client_for):
    entry = sheet.entry("I.2")

    response = client_for(sheet.world.bob).post(f"{PAGE}entries/{entry.pk}/save/", {"value": "yes", "version": 0})

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#entry-{entry.pk}"
    assert sheet.entry("I.2").passed is True


# --- read-only states ---------------------------------------------------------------------


def test_a_locked_assessment_has_no_forms_and_refuses_saves(sheet, client_for, html):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)
    client = client_for(sheet.world.bob)

    page = client.get(PAGE)
    response = post_entry(client, sheet, "I.4", "1")

    assert "đã được gửi và đã khóa" in html.text(page, "read-only-notice")
    assert "<textarea" not in page.content.decode()
    assert response.status_code == 422
    assert "đã được gửi nên không sửa được nữa" in response.content.decode()
    assert sheet.entry("I.4").points is None


def test_after_the_deadline_the_page_says_why_and_is_read_only(sheet, client_for, html):
    sheet.campaign.deadlines.update(due_at=timezone.now() - timezone.timedelta(days=1))

    page = client_for(sheet.world.bob).get(PAGE)

    assert html.text(page, "read-only-notice").startswith("Đã quá hạn tự chấm điểm")
    assert "<textarea" not in page.content.decode()


# --- submit and reopen --------------------------------------------------------------------


def test_the_submit_page_lists_unfilled_criteria_and_missing_evidence(sheet, client_for, html):
    save(sheet.world.bob, sheet.entry("I.1"), level="Tốt")
    sheet.framework.nodes.filter(code__in=["I.1", "I.2"]).update(evidence="Kế hoạch công tác năm")
    Evidence.objects.create(
        entry=sheet.entry("I.2"), kind=EvidenceKind.LINK, title="Kế hoạch", url="https://example.org/kh"
    )

    response = client_for(sheet.binh).get(f"{PAGE}submit/")

    assert response.status_code == 200
    unfilled = html.text(response, "unfilled")
    assert "Còn 31 tiêu chí, điều kiện chưa nhập" in unfilled  # 30 criteria and 2 conditions, I.1 filled
    assert "I.2 Thực hiện dân chủ cơ sở" in unfilled
    assert "I.1 Xây dựng" not in unfilled
    assert html.text(response, "missing-evidence") == (
        "1 tiêu chí chưa có minh chứng cần có: I.1 Xây dựng và thực hiện kế hoạch công tác năm, quy chế làm việc "
        "— Kế hoạch công tác năm"
    )


def test_the_principal_submits_and_the_page_is_then_read_only(sheet, client_for, html):
    client = client_for(sheet.binh)

    response = client.post(f"{PAGE}submit/")

    assert response.status_code == 302
    assert SelfAssessment.objects.get(pk=sheet.assessment_b.pk).status == SubmissionStatus.SUBMITTED
    page = client.get(PAGE)
    assert "<textarea" not in page.content.decode()
    assert not html.has(page, "submit-link")


def test_an_officer_cannot_submit(sheet, client_for):
    client = client_for(sheet.world.bob)

    assert client.get(f"{PAGE}submit/").status_code == 403
    assert client.post(f"{PAGE}submit/").status_code == 403
    assert SelfAssessment.objects.get(pk=sheet.assessment_b.pk).status == SubmissionStatus.DRAFT


def test_reopening_needs_a_reason_and_is_for_the_secretariat(sheet, client_for, html):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)
    assert client_for(sheet.binh).post(f"{PAGE}reopen/", {"reason": "x"}).status_code == 403
    client = client_for(sheet.world.alice)

    refused = client.post(f"{PAGE}reopen/", {"reason": ""})
    done = client.post(f"{PAGE}reopen/", {"reason": "Bổ sung minh chứng II.1"})

    assert refused.status_code == 200
    assert "Trường này là bắt buộc." in html.text(refused, "reopen-form")
    assert done.status_code == 302
    assert SelfAssessment.objects.get(pk=sheet.assessment_b.pk).status == SubmissionStatus.DRAFT


# --- the index ----------------------------------------------------------------------------


def test_the_index_lists_the_schools_assessment_and_the_ones_to_start(sheet, client_for, html):
    response = client_for(sheet.world.alice).get("/assessments/")

    assert response.status_code == 200
    assert "Trường Chính trị tỉnh Tiền Giang" in html.text(response, "to-start")
    assert "Chưa có bản tự chấm điểm nào bạn được xem." in html.text(response, "assessments")  # B's draft is B's


def test_the_index_shows_the_secretariat_submitted_assessments(sheet, client_for, html):
    services.submit(actor=sheet.binh, assessment=sheet.assessment_b)

    response = client_for(sheet.world.alice).get("/assessments/")

    assert [row[2] for row in html.rows(response, "assessment-table")] == ["Trường Chính trị tỉnh Bạc Liêu"]


# --- query counts -------------------------------------------------------------------------


def _page_queries(world, client_for, leaves: int) -> int:
    campaign = make_campaign(
        world.year_2020, framework=make_framework(leaves=leaves), due_at=timezone.now() + timezone.timedelta(days=3)
    )
    assessment = services.ensure_assessment(actor=None, campaign=campaign, organization=world.school_b)
    for index, entry in enumerate(assessment.entries.select_related("node").order_by("node__order")):
        if index % 2 == 0:
            services.save_entry(
                actor=world.bob, entry=entry, expected_version=0, points=Decimal(index % 10), explanation="x"
            )
            Evidence.objects.create(entry=entry, kind=EvidenceKind.LINK, title="Báo cáo", url="https://example.org/bc")
    client = client_for(world.bob)
    client.get(PAGE)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    assert response.status_code == 200
    assert response.content.decode().count('class="card mb-2 entry ') == leaves
    campaign.delete()
    return len(queries)


def test_the_page_costs_the_same_queries_for_10_and_200_criteria(world, client_for):
    small = _page_queries(world, client_for, 10)
    large = _page_queries(world, client_for, 200)

    assert small == large
    assert small <= 30


def test_a_save_costs_the_same_queries_for_10_and_200_criteria(world, client_for):
    counts = []
    for leaves in (10, 200):
        campaign = make_campaign(
            world.year_2020, framework=make_framework(leaves=leaves), due_at=timezone.now() + timezone.timedelta(days=3)
        )
        assessment = services.ensure_assessment(actor=None, campaign=campaign, organization=world.school_b)
        entry = assessment.entries.select_related("node").get(node__code="I.1")
        client = client_for(world.bob)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(f"{PAGE}entries/{entry.pk}/save/", {"value": "5", "version": 0}, **HTMX)
        assert response.status_code == 200
        counts.append(len(queries))
        campaign.delete()

    assert counts[0] == counts[1]


def _index_queries(world, client_for, schools: int) -> int:
    from tests.factories.organizations import OrganizationFactory
    from thidua.organizations.models import Membership

    campaign = make_campaign(world.year_2020, framework=make_framework(leaves=2))
    for _ in range(schools):
        school = OrganizationFactory()
        Membership.objects.create(cluster_year=world.year_2020, organization=school)
        assessment = services.ensure_assessment(actor=None, campaign=campaign, organization=school)
        SelfAssessment.objects.filter(pk=assessment.pk).update(status=SubmissionStatus.SUBMITTED)
    client = client_for(world.alice)
    client.get("/assessments/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/assessments/")
    assert response.content.decode().count("/assessments/K/2020/S") == schools
    campaign.delete()
    return len(queries)


def test_the_index_costs_the_same_queries_for_2_and_12_schools(world, client_for):
    assert _index_queries(world, client_for, 2) == _index_queries(world, client_for, 12)
