"""What waits for the signed-in person on the home page ("Việc cần làm")."""

from __future__ import annotations

import datetime

import pytest

from tests.factories.assessments import make_assessment, make_campaign
from thidua.campaigns.models import Extension
from thidua.campaigns.phases import Phase
from thidua.home import tasks

pytestmark = pytest.mark.django_db


def test_an_officer_is_given_their_schools_draft_self_assessment_with_a_link_to_it(world):
    campaign = make_campaign(world.year_2021)
    make_assessment(campaign, world.school_a)
    make_assessment(campaign, world.school_b)  # another school's draft: not alice's work

    assert tasks.tasks_for(world.alice) == [
        tasks.Task(
            label="Bản tự chấm điểm cần hoàn thành",
            school="Trường Chính trị tỉnh Tiền Giang",
            cluster=world.year_2021.cluster.name,
            year=2021,
            url=f"/assessments/{world.year_2021.cluster.code}/2021/A/",
        )
    ]


def test_the_task_carries_the_schools_extension_when_it_is_later_than_the_deadline(world):
    due = datetime.datetime(2021, 10, 1, 10, 0, tzinfo=datetime.UTC)
    campaign = make_campaign(world.year_2021, due_at=due)
    make_assessment(campaign, world.school_a)
    assert [t.due_at for t in tasks.tasks_for(world.alice)] == [due]

    later = due + datetime.timedelta(days=5)
    Extension.objects.create(
        campaign=campaign, organization=world.school_a, phase=Phase.SELF_ASSESSMENT, until=later, reason="Ốm"
    )
    assert [t.due_at for t in tasks.tasks_for(world.alice)] == [later]


def test_a_submitted_self_assessment_no_longer_waits_for_the_officer(world):
    make_assessment(make_campaign(world.year_2021), world.school_a, submitted=True)

    assert tasks.tasks_for(world.alice) == []


def test_another_clusters_officer_is_given_nothing_from_this_cluster(world):
    make_assessment(make_campaign(world.year_2021), world.school_a)

    assert tasks.tasks_for(world.frank) == []


def test_the_home_page_links_the_work_and_says_when_nothing_waits(world, client_for, html):
    make_assessment(make_campaign(world.year_2021), world.school_a)

    assert "Việc cần làm Bản tự chấm điểm cần hoàn thành: Trường Chính trị tỉnh Tiền Giang" in html.text(
        client_for(world.alice).get("/")
    )
    assert "Việc cần làm Không có việc nào đang chờ bạn." in html.text(client_for(world.frank).get("/"))


def test_the_home_page_shows_the_deadline_of_the_work_in_local_time(world, client_for, html):
    due = datetime.datetime(2021, 10, 1, 10, 0, tzinfo=datetime.UTC)
    make_assessment(make_campaign(world.year_2021, due_at=due), world.school_a)

    assert "2021 — hạn chót 01/10/2021 17:00" in html.text(client_for(world.alice).get("/"))
