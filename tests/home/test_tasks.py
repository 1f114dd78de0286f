"""What waits for the signed-in person on the home page ("Việc cần làm")."""

from __future__ import annotations

import pytest

from tests.factories.assessments import make_assessment, make_campaign
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
