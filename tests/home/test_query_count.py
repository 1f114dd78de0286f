"""The home page costs the same number of queries whatever the number of clusters and years."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.assessments import make_assessment, make_campaign
from tests.factories.organizations import ClusterFactory, make_cluster_year

pytestmark = pytest.mark.django_db


def _queries_of_home(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_clusters_of(school, count: int) -> None:
    """``count`` more clusters, each with two years in which the school is a member and has a
    draft self-assessment (a task on the home page)."""
    for _ in range(count):
        cluster = ClusterFactory()
        for year in (2022, 2023):
            cluster_year = make_cluster_year([school], head=school, cluster=cluster, year=year)
            make_assessment(make_campaign(cluster_year), school)


def test_the_home_page_of_an_officer_costs_the_same_queries_for_one_or_five_more_clusters(world, client_for, html):
    client = client_for(world.alice)
    _add_clusters_of(world.school_a, 1)
    small = _queries_of_home(client)

    _add_clusters_of(world.school_a, 4)
    large = _queries_of_home(client)

    assert large == small
    assert html.text(client.get("/")).count("Bản tự chấm điểm cần hoàn thành") == 10


def test_the_home_page_of_the_admin_costs_the_same_queries_for_one_or_five_more_clusters(world, client_for):
    client = client_for(world.carol)
    _add_clusters_of(world.school_b, 1)
    small = _queries_of_home(client)

    _add_clusters_of(world.school_b, 4)
    large = _queries_of_home(client)

    assert large == small
