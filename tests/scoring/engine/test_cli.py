"""`python -m thidua.scoring`: JSON out on good input, exit code 2 and messages on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.scoring.engine.builders import DATA
from thidua.scoring.__main__ import main

SAMPLE = DATA / "cluster-sample.json"
EXPECTED = DATA / "cluster-sample.expected.json"
SRC = Path(__file__).resolve().parents[3] / "src"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, document: Any) -> str:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def sample() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return loaded


def test_compute_prints_the_expected_json_for_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compute", str(SAMPLE))

    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_compute_on_the_sample_gives_the_hand_computed_totals_and_ranks(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "compute", str(SAMPLE))

    schools = json.loads(out)["schools"]
    assert [(s["code"], s["rank_label"], s["total"]["exact"], s["total"]["display"]) for s in schools] == [
        ("TG", "1", "30.7", "30.70"),  # 9.45 + 12 (capped from 13.5) + 7.75 + 2 − 0.5
        ("VL", "2", "27.6", "27.60"),  # ties DT on total and group II; group I 9.5 > 9
        ("DT", "3", "27.6", "27.60"),
        ("BL", "4", "10.4", "10.40"),  # 13.4 − 3 (penalty 4 capped at 3)
    ]
    dt = schools[2]
    assert [blocked["title"] for blocked in dt["eligibility"]["blocked_titles"]] == ["Cờ thi đua"]
    assert dt["eligibility"]["eligible_titles"] == ["Bằng khen"]


def test_compute_without_explanations_leaves_them_empty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compute", str(SAMPLE), "--no-explanations")

    assert code == 0
    assert json.loads(out)["schools"][0]["leaves"]["I.3"]["explanation"] == ""


def test_compute_exits_2_on_a_file_that_is_not_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"framework": {', encoding="utf-8")

    code, out, err = run(capsys, "compute", str(path))

    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "Dữ liệu không hợp lệ (1 lỗi):",
        "  - không đọc được JSON: Expecting property name enclosed in double quotes (dòng 1, cột 16).",
    ]


def test_compute_exits_2_on_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "compute", str(tmp_path / "none.json"))

    assert code == 2
    assert "không đọc được tệp" in err


def test_compute_exits_2_listing_every_malformed_part(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document = sample()
    document["groups"][0]["max"] = "mười"
    document["schools"][0]["leaves"]["I.2"] = {"passed": "yes"}

    code, out, err = run(capsys, "compute", write(tmp_path, document))

    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "Dữ liệu không hợp lệ (2 lỗi):",
        "  - groups[0].max: không phải là số (viết dạng 12 hoặc 12.5): 'mười'.",
        "  - schools[0].leaves.I.2.passed: cần true hoặc false, nhận được chuỗi 'yes'.",
    ]


def test_compute_exits_2_on_refused_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document = sample()
    document["schools"][0]["leaves"]["I.4"] = {"points": "1.3"}
    document["schools"][2]["profile"]["lecturers"] = 0

    code, _, err = run(capsys, "compute", write(tmp_path, document))

    assert code == 2
    assert err.splitlines() == [
        "Dữ liệu không hợp lệ (2 lỗi):",
        "  - TG / I.4: Điểm 1,3 không đúng bước 0,25 (gần nhất: 1,25 hoặc 1,5); điểm không được làm tròn tự động.",
        "  - BL / III.1: Số đo quy mô 'lecturers' (giảng viên) bằng 0; không thể chia bình quân.",
    ]


def test_compute_exits_2_on_a_framework_with_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document = sample()
    document["framework"]["total"] = 100

    code, _, err = run(capsys, "compute", write(tmp_path, document))

    assert code == 2
    assert "Điểm tối đa của các nhóm cộng lại là 30, khác tổng điểm 100 của bảng tiêu chí." in err


def test_validate_prints_the_frameworks_problems(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(SAMPLE))

    assert code == 0
    assert [(p["code"], p["node"], p["severity"]) for p in json.loads(out)] == [
        ("children_exceed_group", "II", "notice")
    ]


def test_the_module_runs_as_a_program() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}

    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "thidua.scoring", "compute", str(SAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert completed.returncode == 0
    assert json.loads(completed.stdout) == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_the_json_example_of_the_engine_docs_computes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    docs = (SRC.parent / "docs" / "engine.md").read_text(encoding="utf-8")
    example = docs.split("```json\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.json"
    path.write_text(example, encoding="utf-8")

    code, out, err = run(capsys, "compute", str(path))

    assert (code, err) == (0, "")
    [school] = json.loads(out)["schools"]
    # I.1 Tốt 3 + I.2 3·45/50 = 2,7 + I.3 best of one school 4 = 9,7; + bonus 2 − penalty 1
    assert school["total"] == {"exact": "10.7", "display": "10.70"}


# --- a reviewed cluster: reviewers' entries, reconciliation, finals, ranks, agreement -----------

REVIEWED = DATA / "reviewed-cluster-sample.json"
REVIEWED_EXPECTED = DATA / "reviewed-cluster-sample.expected.json"


def reviewed() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(REVIEWED.read_text(encoding="utf-8"))
    return loaded


def test_compute_recomputes_a_reviewed_cluster_as_a_program() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "thidua.scoring", "compute", str(REVIEWED)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == json.loads(REVIEWED_EXPECTED.read_text(encoding="utf-8"))


def test_a_reviewed_cluster_gives_reviewers_points_finals_totals_ranks_and_agreement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "compute", str(REVIEWED))
    assert code == 0
    data = json.loads(out)
    schools = {school["code"]: school for school in data["schools"]}
    assert [(s["code"], s["rank_label"]) for s in data["schools"]] == [("TG", "1"), ("BL", "2"), ("VL", "3")]
    tg = schools["TG"]
    # pass/fail: pass, pass, fail → pass (the median level, not a mean of 1,33)
    assert tg["review"]["I.1"]["rule"] == "median_level"
    assert tg["review"]["I.1"]["final"]["exact"] == "2"
    # manual under the mean: (1.5 + 2 + 1.5)/3 = 5/3, exact
    assert tg["review"]["I.4"]["final"] == {"exact": "1.66666666666666666667", "display": "1.67", "fraction": "5/3"}
    assert tg["total"] == {"exact": "8.66666666666666666667", "display": "8.67", "fraction": "26/3"}
    assert tg["self_total"]["exact"] == "10"
    # Bạc Liêu has no target on the ratio leaf I.3: against the best (TG's 100), by self and reviewers alike
    bl = schools["BL"]["review"]["I.3"]
    assert bl["self"]["exact"] == "2.1"
    assert {reviewer: points["exact"] for reviewer, points in bl["reviewers"].items()} == {
        "R1": "2.1",
        "R2": "2.1",
        "R4": "1.8",
    }
    assert bl["final"]["exact"] == "2"
    # levels, two reviewers (Khá, Đạt): the lower middle, Đạt
    assert schools["VL"]["review"]["I.2"]["final"]["exact"] == "1"
    assert data["review"]["policy"] == "mean"
    assert data["review"]["agreement"]["I.3"]["status"] == "ok"
    assert data["review"]["agreement"]["I.4"]["flagged"] is True


def test_decisions_replace_the_proposal_and_the_panel_needs_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = reviewed()
    document["review"] = {"policy": "panel"}
    code, _, err = run(capsys, "compute", write(tmp_path, document))
    assert code == 2
    assert "TG / I.3: Chưa có điểm cuối cùng" in err
    assert "I.1: Chưa có điểm cuối cùng" not in err  # a level has its median level under every policy
    decisions = {school: {"I.3": "3", "I.4": "2"} for school in ("TG", "BL", "VL")}
    document["review"] = {"policy": "panel", "decisions": decisions}
    code, out, _ = run(capsys, "compute", write(tmp_path, document))
    assert code == 0
    tg = next(school for school in json.loads(out)["schools"] if school["code"] == "TG")
    assert (tg["review"]["I.4"]["source"], tg["review"]["I.4"]["final"]["exact"]) == ("decision", "2")
    assert tg["total"]["exact"] == "9"  # 2 + 2 + 3 + 2


def test_reviewers_without_a_review_section_or_with_refused_entries_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = reviewed()
    del document["review"]
    code, _, err = run(capsys, "compute", write(tmp_path, document))
    assert (code, "thiếu mục 'review'" in err) == (2, True)
    document = reviewed()
    document["schools"][0]["reviewers"]["R1"]["I.2"] = {"level": "Xuất sắc"}
    document["review"]["policy"] = "best"
    code, _, err = run(capsys, "compute", write(tmp_path, document))
    assert code == 2
    assert "review.policy" in err
