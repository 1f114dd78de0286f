"""Analytics stored as JSON come back equal (published results keep them)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bench.engine import cluster_data
from thidua.scoring.engine import Policy, analyse_cluster
from thidua.scoring.engine.analytics.store import report_from_json, report_to_json


def test_a_report_survives_json_unchanged() -> None:
    framework, schools = cluster_data(2020)
    report = analyse_cluster(
        framework, schools, Policy.MEAN, share=Decimal("0.2"), seed=3, resamples=50, draws=50
    ).report()
    text = json.dumps(report_to_json(report))  # plain JSON: what a JSONField stores
    back = report_from_json(json.loads(text))
    assert back == report
    assert back.sensitivity.leader_stays_first == report.sensitivity.leader_stays_first
    assert isinstance(back.leniency[0].mean_deviation, Decimal)


@pytest.mark.parametrize("stored", [{}, {"format": 99}, {"format": 1, "leniency": []}])
def test_a_stored_shape_this_version_cannot_read_is_refused(stored) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        report_from_json(stored)
