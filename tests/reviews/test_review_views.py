"""Peer-review pages: the reviewer's list and review page (autosave, submit), the
secretariat's assignment table, permissions (404 for what one may not see; other reviewers'
points hidden until one's own review is submitted; reviewer identities hidden from schools),
and query counts at two sizes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.accounts import UserFactory, grant
from tests.factories.organizations import OrganizationFactory, ProfileFactory
from tests.reviews.conftest import fill_school
from thidua.accounts.models import Role
from thidua.assessments import services as assessment_services
from thidua.assessments.models import SelfAssessment
from thidua.campaigns.assignments import services as assignment_services
from thidua.campaigns.models import ReviewerAssignment, SubmissionStatus
from thidua.organizations.models import Membership, MembershipRole
from thidua.reviews import services
from thidua.reviews.models import ReviewStatus
from thidua.reviews.rules import school_sees_reviewers


def _url(assignment) -> str:
    return reverse("reviews:review", args=[assignment.pk])


def test_my_reviews_lists_only_my_schools(rev, client_for, html):
    mine = rev.assign(rev.rita, rev.world.school_b)
    rev.assign(rev.rex, rev.world.school_a)
    response = client_for(rev.rita).get(reverse("reviews:mine"))
    assert response.status_code == 200
    text = html.text(response, "my-reviews")
    assert rev.world.school_b.name in text
    assert rev.world.school_a.name not in text
    assert _url(mine) in response.content.decode()


def test_review_page_shows_the_school_and_autosaves(rev, client_for, html):
    assignment = rev.assign(rev.rita, rev.world.school_b)
    client = client_for(rev.rita)
    response = client.get(_url(assignment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "I.4" in page
    assert "Trường tự đánh giá" in page
    review = assignment.review
    entry = rev.entry(review, "I.4")
    save_url = reverse("reviews:entry_save", args=[assignment.pk, entry.pk])
    answer = client.post(save_url, {"value": "1,25", "comment": "Thiếu kế hoạch", "version": 0}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200, answer.content.decode()
    assert "Đã lưu" in answer.content.decode()
    entry.refresh_from_db()
    assert entry.points == Decimal("1.25")
    assert entry.version == 1
    stale = client.post(save_url, {"value": "1", "comment": "", "version": 0}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    count = rev.entry(review, "II.3")
    url = reverse("reviews:entry_save", args=[assignment.pk, count.pk])
    refused = client.post(url, {"mode": "correct", "value": "2", "comment": "", "version": 0}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert "nhận xét" in refused.content.decode()
    ok = client.post(
        url, {"mode": "correct", "value": "2", "comment": "Có 2 biên bản", "version": 0}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 200
    assert rev.entry(review, "II.3").count == 2


def test_submit_flow(rev, client_for):
    assignment = rev.assign(rev.rita, rev.world.school_b)
    client = client_for(rev.rita)
    client.get(_url(assignment))
    review = assignment.review
    page = client.get(reverse("reviews:submit", args=[assignment.pk]))
    assert page.status_code == 200
    assert "chưa cho điểm" in page.content.decode()
    rev.fill_own(rev.rita, review)
    response = client.post(reverse("reviews:submit", args=[assignment.pk]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_a_reviewer_sees_only_assigned_schools(rev, client_for):
    theirs = rev.assign(rev.rex, rev.world.school_b)
    assert client_for(rev.rita).get(_url(theirs)).status_code == 404
    assert client_for(rev.world.bob).get(_url(theirs)).status_code == 404  # the school itself
    assert client_for(rev.world.alice).get(_url(theirs)).status_code == 200  # secretariat (A heads K 2020)
    assert client_for(rev.rita).get(reverse("assignments:table", args=["K", 2020])).status_code == 404


def test_others_points_hidden_until_own_review_submitted(rev, client_for, html):
    other = rev.review(rev.rex, rev.world.school_b)
    rev.save(rev.rex, other, "I.4", value=Decimal("0.25"))
    rev.fill_own(rev.rex, other)
    services.submit(actor=rev.rex, review=other)
    assignment = rev.assign(rev.rita, rev.world.school_b)
    client = client_for(rev.rita)
    before = client.get(_url(assignment))
    assert not html.has(before, "other-totals")
    assert html.has(before, "others-hidden")
    assert "Người chấm khác" not in html.text(before, "review-sheet")
    review = assignment.review
    rev.fill_own(rev.rita, review)
    services.submit(actor=rev.rita, review=review)
    after = client.get(_url(assignment))
    assert html.has(after, "other-totals")
    assert "Rex" not in html.text(after, "other-totals")  # reviewers are numbered, not named


def test_nobody_reviews_their_own_school(rev):
    assignment_services.generate_assignments(actor=None, campaign=rev.campaign, seed=5)
    for assignment in ReviewerAssignment.objects.filter(campaign=rev.campaign):
        assert assignment.reviewer_school_id != assignment.school_id
    with pytest.raises(Exception):  # noqa: B017, PT011 -- the service and the database both refuse
        assignment_services.add_assignment(
            actor=None, campaign=rev.campaign, school=rev.world.school_b, reviewer=rev.ravi
        )


def test_schools_see_reviewer_identities_only_if_allowed(rev):
    assert not school_sees_reviewers(rev.world.bob, rev.campaign, rev.world.school_b.pk)
    rev.campaign.reviewers_visible_to_schools = True
    assert school_sees_reviewers(rev.world.bob, rev.campaign, rev.world.school_b.pk)
    assert school_sees_reviewers(rev.world.alice, rev.campaign, rev.world.school_b.pk)


def test_assignment_table_generate_add_remove(rev, client_for, html):
    client = client_for(rev.world.alice)
    url = reverse("assignments:table", args=["K", 2020])
    assert client.get(url).status_code == 200
    client.post(reverse("assignments:generate", args=["K", 2020]), {"seed": 9})
    assert ReviewerAssignment.objects.filter(campaign=rev.campaign).count() == 6
    page = client.get(url)
    assert "Rita" in html.text(page, "assignment-table")
    assignment = ReviewerAssignment.objects.filter(campaign=rev.campaign).first()
    client.post(reverse("assignments:remove", args=["K", 2020, assignment.pk]), {"reason": "Đổi"})
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    client.post(
        reverse("assignments:add", args=["K", 2020]),
        {"school": assignment.school_id, "reviewer": assignment.reviewer_id, "reason": "Lại"},
    )
    assert ReviewerAssignment.objects.filter(school=assignment.school, reviewer=assignment.reviewer).exists()


def test_reviewer_declares_a_conflict(rev, client_for):
    assignment = rev.assign(rev.rita, rev.world.school_b)
    client = client_for(rev.rita)
    response = client.post(
        reverse("reviews:conflict", args=[assignment.pk]), {"school": rev.world.school_b.pk, "reason": "Người thân"}
    )
    assert response.status_code == 302
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


# --- query counts -------------------------------------------------------------------------


def _grow(rev, n: int) -> None:
    """Add n more member schools, each with a submitted self-assessment and a reviewer."""
    for i in range(n):
        org = OrganizationFactory(name=f"Trường Chính trị số {i}", short_code=f"S{i}")
        Membership.objects.create(cluster_year=rev.world.year_2020, organization=org, role=MembershipRole.MEMBER)
        ProfileFactory(organization=org, year=2020)
        assessment = assessment_services.ensure_assessment(actor=None, campaign=rev.campaign, organization=org)
        fill_school(assessment)
        SelfAssessment.objects.filter(pk=assessment.pk).update(status=SubmissionStatus.SUBMITTED)
        user = UserFactory(username=f"rv{i}", organization=org)
        grant(user, Role.REVIEWER, organization=org)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_assignment_table_query_count_does_not_grow(rev, client_for):
    client = client_for(rev.world.alice)
    url = reverse("assignments:table", args=["K", 2020])
    assignment_services.generate_assignments(actor=None, campaign=rev.campaign, seed=1)
    client.get(url)
    small = _queries(client, url)
    _grow(rev, 6)
    assignment_services.generate_assignments(actor=None, campaign=rev.campaign, seed=1)
    large = _queries(client, url)
    assert large == small


def test_review_page_query_count_does_not_grow(rev, client_for):
    assignment = rev.assign(rev.rita, rev.world.school_b)
    client = client_for(rev.rita)
    client.get(_url(assignment))
    small = _queries(client, _url(assignment))
    _grow(rev, 6)
    for i in range(3):
        ReviewerAssignment.objects.create(
            campaign=rev.campaign,
            school=rev.world.school_b,
            reviewer=UserFactory(username=f"extra{i}"),
            reviewer_school=rev.world.school_a,
        )
    large = _queries(client, _url(assignment))
    assert large == small


# --- API ----------------------------------------------------------------------------------


def test_api_assignments_generate_list_add_remove(rev, client_for):
    client = client_for(rev.world.alice)
    answer = client.post(
        "/api/v1/review-assignments/generate/",
        {"cluster": "K", "year": 2020, "seed": 4},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert len(answer.json()) == 6
    listed = client.get("/api/v1/review-assignments/?cluster=K&year=2020").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert len(rows) == 6
    mine = client_for(rev.rita).get("/api/v1/review-assignments/").json()
    mine = mine["results"] if isinstance(mine, dict) else mine
    assert mine
    assert all(row["reviewer"] == "rita" for row in mine)
    denied = client_for(rev.world.bob).post(
        "/api/v1/review-assignments/generate/",
        {"cluster": "K", "year": 2020, "seed": 4},
        content_type="application/json",
    )
    assert denied.status_code == 404
    client = client_for(rev.world.alice)  # client_for signs the one test client in
    target = rows[0]
    assert client.delete(f"/api/v1/review-assignments/{target['id']}/?reason=x").status_code == 204
    added = client.post(
        "/api/v1/review-assignments/",
        {"cluster": "K", "year": 2020, "school": target["school"], "reviewer": target["reviewer"]},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content


def test_api_review_entries_and_submit(rev, client_for):
    assignment = rev.assign(rev.rita, rev.world.school_b)
    other = rev.review(rev.rex, rev.world.school_b)
    rev.fill_own(rev.rex, other)
    services.submit(actor=rev.rex, review=other)
    client = client_for(rev.rita)
    body = client.get(f"/api/v1/reviews/{assignment.pk}/").json()
    assert "others" not in body
    assert all("others" not in entry for entry in body["entries"])
    patch = client.patch(
        f"/api/v1/reviews/{assignment.pk}/entries/II.3/",
        {"confirmed": False, "value": 1, "comment": "Một biên bản", "version": 0},
        content_type="application/json",
    )
    assert patch.status_code == 200, patch.content
    assert patch.json()["points"] == "0.5"
    stale = client.patch(
        f"/api/v1/reviews/{assignment.pk}/entries/II.3/",
        {"confirmed": True, "version": 0},
        content_type="application/json",
    )
    assert stale.status_code == 409
    refused = client.post(f"/api/v1/reviews/{assignment.pk}/submit/")
    assert refused.status_code == 400
    rev.fill_own(rev.rita, assignment.review)
    done = client.post(f"/api/v1/reviews/{assignment.pk}/submit/")
    assert done.status_code == 200
    assert done.json()["status"] == "submitted"
    assert len(done.json()["others"]) == 1
    assert client_for(rev.rosa).get(f"/api/v1/reviews/{assignment.pk}/").status_code == 404


def test_secretariat_records_a_conflict(rev, client_for):
    assignment = rev.assign(rev.rex, rev.world.school_b)
    client = client_for(rev.world.alice)
    response = client.post(
        reverse("assignments:conflict", args=["K", 2020]),
        {"reviewer": rev.rex.pk, "school": rev.world.school_b.pk, "reason": "Từng công tác tại trường"},
    )
    assert response.status_code == 302
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    page = client.get(reverse("assignments:table", args=["K", 2020]))
    assert "Từng công tác tại trường" in page.content.decode()
    assert client_for(rev.rex).post(reverse("assignments:conflict", args=["K", 2020]), {}).status_code == 404
