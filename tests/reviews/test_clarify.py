"""Clarification through the services: who asks, who answers, deadlines, thread, e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.reviews.results_world import build
from thidua.campaigns.models import Deadline, Extension
from thidua.campaigns.phases import Phase
from thidua.reviews import clarify
from thidua.reviews.models import ClarificationStatus

pytestmark = pytest.mark.django_db

SELF = {"A": {"I.1": "8", "I.2": "9", "II.1": "7"}, "B": {"I.1": "10", "I.2": "6", "II.1": "5"}}
REVIEWS = {"A": [{"I.1": "6", "I.2": "9", "II.1": "7"}], "B": [{"I.1": "5", "I.2": "6", "II.1": "5"}]}


@pytest.fixture
def world():
    world = build(SELF, REVIEWS, phase=Phase.CLARIFICATION)
    Deadline.objects.create(
        campaign=world.campaign, phase=Phase.CLARIFICATION, due_at=timezone.now() + datetime.timedelta(days=3)
    )
    for user in world.officers:
        user.email = f"{user.username}@example.org"
        user.save()
    return world


def test_ask_answer_close_thread(world, django_capture_on_commit_callbacks):
    _a, b = world.schools
    reviewer_of_b = world.reviewers[1]
    with django_capture_on_commit_callbacks(execute=True):
        question = clarify.ask(actor=reviewer_of_b, campaign=world.campaign, school=b, node=world.node("I.1"),
                               question="Đề nghị bổ sung quyết định khen thưởng.")  # fmt: skip
    assert question.due_at == Deadline.objects.get(phase=Phase.CLARIFICATION).due_at
    with pytest.raises(PermissionDenied):  # a reviewer of A may not ask about B… (reviewer 0 reviews A)
        clarify.ask(actor=world.reviewers[0], campaign=world.campaign, school=b, node=world.node("I.1"), question="?")
    with pytest.raises(PermissionDenied):  # school A cannot answer for B
        clarify.answer(actor=world.officers[0], clarification=question, text="…")
    upload = SimpleUploadedFile(
        "qd.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    with django_capture_on_commit_callbacks(execute=True):
        message = clarify.answer(actor=world.officers[1], clarification=question, text="Đã bổ sung.", upload=upload)
    question.refresh_from_db()
    assert question.status == ClarificationStatus.ANSWERED
    assert message.attachment is not None
    clarify.close(actor=world.secretariat, clarification=question)
    question.refresh_from_db()
    assert question.status == ClarificationStatus.CLOSED
    with pytest.raises(ValidationError):
        clarify.answer(actor=world.officers[1], clarification=question, text="Thêm")


def test_notifications_sent(world):
    b = world.schools[1]
    question = clarify.ask(actor=world.secretariat, campaign=world.campaign, school=b, node=world.node("I.1"),
                           question="Giải trình số liệu.")  # fmt: skip
    assert clarify.send_notification(question, "asked") == 1
    assert mail.outbox[-1].to == [world.officers[1].email]
    assert "I.1" in mail.outbox[-1].subject
    assert clarify.send_notification(question, "answered") == 1
    assert mail.outbox[-1].to == [world.secretariat.email]


def test_deadline_and_extension(world):
    b = world.schools[1]
    question = clarify.ask(actor=world.secretariat, campaign=world.campaign, school=b, node=world.node("I.1"),
                           question="Giải trình.")  # fmt: skip
    late = timezone.now() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError, match="quá hạn"):
        clarify.answer(actor=world.officers[1], clarification=question, text="Muộn", now=late)
    Extension.objects.create(campaign=world.campaign, organization=b, phase=Phase.CLARIFICATION,
                             until=late + datetime.timedelta(days=1), reason="Bão lụt")  # fmt: skip
    clarify.answer(actor=world.officers[1], clarification=question, text="Trong hạn gia hạn", now=late)


def test_pages(world, client):
    from django.urls import reverse

    b = world.schools[1]
    question = clarify.ask(actor=world.secretariat, campaign=world.campaign, school=b, node=world.node("I.1"),
                           question="Giải trình tiêu chí I.1.")  # fmt: skip
    args = [world.campaign.cluster_year.cluster.code, 2020]
    client.force_login(world.officers[1])
    page = client.get(reverse("reviews:clarifications", args=args)).content.decode()
    assert "Giải trình tiêu chí I.1." in page
    assert "Gửi giải trình" in page
    response = client.post(reverse("reviews:clarification_answer", args=[*args, question.pk]), {"text": "Đã rõ."})
    assert response.status_code == 302
    detail = client.get(reverse("reviews:clarification", args=[*args, question.pk])).content.decode()
    assert "Đã rõ." in detail
    assert world.secretariat.get_full_name() not in detail  # the school does not see who asked
    client.force_login(world.officers[0])  # the secretariat (officer of the head school)
    page = client.get(reverse("reviews:clarifications", args=args)).content.decode()
    assert "Tất cả yêu cầu giải trình" in page
    reviewer = world.reviewers[1]  # reviews B
    client.force_login(reviewer)
    assert client.get(reverse("results:discrepancies", args=[*args, "B"])).status_code == 200
    assert client.get(reverse("results:discrepancies", args=[*args, "A"])).status_code == 404


def test_api(world, client):
    b = world.schools[1]
    client.force_login(world.secretariat)
    created = client.post(
        "/api/v1/clarifications/",
        {"campaign": world.campaign.pk, "school": "B", "node": "I.1", "question": "Giải trình qua API."},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    client.force_login(world.officers[0 if b.pk != world.schools[1].pk else 1])
    answered = client.post(f"/api/v1/clarifications/{pk}/answer/", {"text": "Trả lời qua API."})
    assert answered.status_code == 200
    assert answered.json()["status"] == "answered"
    client.force_login(world.officers[0])
    listed = client.get(f"/api/v1/clarifications/?campaign={world.campaign.pk}").json()
    assert [row["id"] for row in listed] == [pk]


def _ask_b(world, actor, **extra):
    return clarify.ask(actor=actor, campaign=world.campaign, school=world.schools[1], node=world.node("I.1"),
                       question="Đề nghị bổ sung minh chứng.", **extra)  # fmt: skip


def test_a_reviewer_cannot_close_what_the_secretariat_asked_and_shut_the_school_out(world):
    question = _ask_b(world, world.secretariat)

    with pytest.raises(PermissionDenied):
        clarify.close(actor=world.reviewers[1], clarification=question)
    question.refresh_from_db()
    assert question.status == ClarificationStatus.OPEN


def test_the_one_who_asked_and_the_secretariat_may_close(world):
    own = _ask_b(world, world.reviewers[1])
    other = _ask_b(world, world.reviewers[1])

    clarify.close(actor=world.reviewers[1], clarification=own)
    clarify.close(actor=world.secretariat, clarification=other)

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (ClarificationStatus.CLOSED, ClarificationStatus.CLOSED)


def test_a_due_date_in_the_past_is_refused_with_why(world):
    with pytest.raises(ValidationError) as refused:
        _ask_b(world, world.reviewers[1], due_at=timezone.now() - datetime.timedelta(hours=1))

    assert refused.value.messages == ["Hạn giải trình phải ở sau thời điểm hiện tại."]


def test_a_due_date_after_the_phase_deadline_is_refused_with_why(world):
    late = Deadline.objects.get(phase=Phase.CLARIFICATION).due_at + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        _ask_b(world, world.reviewers[1], due_at=late)

    assert refused.value.messages[0].startswith("Hạn giải trình không được sau hạn của giai đoạn giải trình (")


def test_a_due_date_without_a_time_zone_is_read_as_local_time(world):
    local = timezone.localtime() + datetime.timedelta(days=1)
    question = _ask_b(world, world.reviewers[1], due_at=local.replace(tzinfo=None))

    assert question.due_at == local.replace(microsecond=local.microsecond)


def test_the_close_button_is_offered_only_to_who_may_close_and_a_forged_post_is_refused(world, client):
    question = _ask_b(world, world.secretariat)
    url = f"/reviews/{world.campaign.cluster_year.cluster.code}/2020/clarifications/{question.pk}/"
    client.force_login(world.reviewers[1])

    page = client.get(url).content.decode()
    forged = client.post(url + "close/")

    assert "Đóng yêu cầu giải trình" not in page
    assert "Hỏi thêm" in page  # the reviewer may still ask a further question
    assert forged.status_code == 403
    question.refresh_from_db()
    assert question.status == ClarificationStatus.OPEN


@pytest.mark.parametrize("m", ["abc", "1.5", "-1", ""])
def test_a_bad_message_number_on_a_clarification_file_is_not_found_not_a_crash(world, client, m):
    question = _ask_b(world, world.secretariat)
    client.force_login(world.secretariat)

    code = world.campaign.cluster_year.cluster.code
    response = client.get(f"/reviews/{code}/2020/clarifications/{question.pk}/file/?m={m}")

    assert response.status_code == 404
