"""Export → verify round trip, and a tampered export named difference by difference."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.results.test_services import finalise
from tests.reviews.results_world import build
from thidua.results import reconcile
from thidua.scoring.__main__ import main, verify_export

pytestmark = pytest.mark.django_db

SELF = {
    "A": {"I.1": "9", "I.2": "8", "II.1": "6"},
    "B": {"I.1": "10", "I.2": "7", "II.1": "6"},
    "C": {"I.1": "5", "I.2": "5", "II.1": "4"},
}
REVIEWS = {
    "A": [
        {"I.1": "9", "I.2": "8", "II.1": "6"},
        {"I.1": "8", "I.2": "8", "II.1": "5"},
        {"I.1": "8", "I.2": "7", "II.1": "6"},
    ],
    "B": [
        {"I.1": "5", "I.2": "7", "II.1": "6"},
        {"I.1": "6", "I.2": "7", "II.1": "6"},
        {"I.1": "6", "I.2": "6", "II.1": "6"},
    ],
    "C": [
        {"I.1": "5", "I.2": "5", "II.1": "4"},
        {"I.1": "5", "I.2": "5", "II.1": "4"},
        {"I.1": "4", "I.2": "5", "II.1": "4"},
    ],
}


@pytest.fixture
def exported(tmp_path):
    world = build(SELF, REVIEWS, cluster_code="C9")
    reconcile.override(
        actor=world.secretariat, campaign=world.campaign, school=world.schools[1], node=world.node("I.1"),
        points=__import__("decimal").Decimal(7), reason="Giải trình bổ sung quyết định khen thưởng",
    )  # fmt: skip
    finalise(world)
    path = tmp_path / "export.json"
    call_command("export_results", "--cluster", "C9", "--year", "2020", "-o", str(path))
    return path


def test_round_trip_is_identical(exported, capsys):
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert verify_export(document) == []
    school_b = next(s for s in document["schools"] if s["code"] == "B")
    assert school_b["final"]["I.1"]["source"] == "override"
    assert set(school_b["reviews"]["I.1"]) <= {f"R{n}" for n in range(1, 10)}
    assert "Giám khảo Nguyễn" not in exported.read_text(encoding="utf-8")
    assert main(["verify", str(exported)]) == 0


def test_tampered_final_point_is_named(exported, capsys):
    document = json.loads(exported.read_text(encoding="utf-8"))
    school_a = next(s for s in document["schools"] if s["code"] == "A")
    school_a["final"]["I.2"]["points"] = "8"
    exported.write_text(json.dumps(document), encoding="utf-8")
    assert main(["verify", str(exported)]) == 1
    err = capsys.readouterr().err
    assert "A I.2" in err
    assert "7.66666666666666666667" in err
    # group I is capped at 15 either way: only the final point itself differs
    assert "A: tổng điểm" not in err


def test_tampered_total_is_named(exported, capsys):
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["results"][0]["total"] = "99"
    exported.write_text(json.dumps(document), encoding="utf-8")
    code = document["results"][0]["code"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "thidua.scoring", "verify", str(exported)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert f"{code}: tổng điểm" in result.stderr
    assert "99" in result.stderr
