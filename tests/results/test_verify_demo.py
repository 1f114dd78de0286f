"""`verify` on the demo's published 2020 results (the reference framework: every rule, bonus,
penalty, conditions, registered targets, cluster-relative formulas, an override): the export
recomputes identically, and each kind of altered input or result is named."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from thidua.campaigns.models import Campaign
from thidua.results.models import CampaignResults
from thidua.scoring.__main__ import main
from thidua.scoring.verify import fingerprint, input_digests, verify_export

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo up to published results, exported once with the command (rolled back after)."""
    path = tmp_path_factory.mktemp("verify") / "c9-2020.json"
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", force=True, stage="results", verbosity=0)
        call_command("export_results", "--cluster", "C9", "--year", "2020", "-o", str(path), verbosity=0)
        row = CampaignResults.objects.get(campaign=Campaign.objects.get(cluster_year__year=2020))
        stored = {"fingerprint": row.fingerprint, "analytics": row.analytics, "published": row.published_at}
        transaction.set_rollback(True)
    return json.loads(path.read_text(encoding="utf-8")), stored


@pytest.fixture
def document(exported):
    return copy.deepcopy(exported[0])


def school(document, code):
    return next(s for s in document["schools"] if s["code"] == code)


def leaf_of_rule(document, rule):
    for group in document["framework"]["groups"]:
        for leaf in group.get("leaves", ()):
            if leaf["rule"] == rule and not leaf.get("target_registered"):
                return leaf
    raise AssertionError(rule)


def test_the_published_export_recomputes_identically(exported, tmp_path, capsys):
    document, stored = exported
    assert stored["published"] is not None
    assert document["format"] == "thidua-results/2"
    assert verify_export(document) == []
    assert fingerprint(document) == stored["fingerprint"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(path), "--fingerprint", stored["fingerprint"]]) == 0
    assert stored["fingerprint"] in capsys.readouterr().out
    # The export carries every reviewer's entered values, pseudonymously.
    reviewers = school(document, "TG")["reviewer_inputs"]
    assert reviewers
    assert all(name.startswith("R") for name in reviewers)


def test_a_consistent_rewrite_is_caught_by_the_published_fingerprint(exported, tmp_path, capsys):
    document, stored = copy.deepcopy(exported[0]), exported[1]
    document["schools"][0]["name"] = document["schools"][0]["name"] + " "

    document["digests"] = input_digests(document)  # a forger who also rewrites the digests
    assert verify_export(document) == []
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert main(["verify", str(path), "--fingerprint", stored["fingerprint"]]) == 1
    assert "dấu vân tay" in capsys.readouterr().err


def test_an_altered_self_assessed_count_is_named(document):
    leaf = leaf_of_rule(document, "count")["code"]
    tg = school(document, "TG")
    before = tg["inputs"]["leaves"][leaf]["count"]
    tg["inputs"]["leaves"][leaf]["count"] = 0 if before else 3
    differences = verify_export(document)
    assert f"TG {leaf}: số liệu tự chấm: đã bị sửa sau khi xuất" in differences
    assert any(d.startswith(f"TG {leaf}: điểm tự chấm tính lại từ số liệu là") for d in differences)


def test_an_altered_input_that_moves_no_point_is_still_named(document):
    leaf = leaf_of_rule(document, "count")
    capped = Decimal(str(leaf["max"])) / Decimal(str(leaf["points_each"]))
    for entry in document["schools"]:
        given = entry["inputs"]["leaves"].get(leaf["code"])
        if given and Decimal(given["count"]) >= capped:
            given["count"] = int(given["count"]) + 1  # still above the cap: same points
            break
    else:
        tg = school(document, "TG")
        tg["inputs"]["leaves"][leaf["code"]]["target"] = "1"  # a count leaf ignores a target
        entry = tg
    differences = verify_export(document)
    assert differences == [f"{entry['code']} {leaf['code']}: số liệu tự chấm: đã bị sửa sau khi xuất"]


def test_an_altered_reviewer_input_is_named_with_the_points_it_changes(document):
    tg = school(document, "TG")
    levels = leaf_of_rule(document, "levels")
    reviewer, values = next((r, v) for r, v in tg["reviewer_inputs"].items() if levels["code"] in v)
    given = values[levels["code"]]["level"]
    other = next(name for name in levels["levels"] if name != given)
    values[levels["code"]]["level"] = other
    differences = verify_export(document)
    assert f"TG {levels['code']}: số liệu người chấm {reviewer} nhập: đã bị sửa sau khi xuất" in differences
    assert any(f"TG {levels['code']}: điểm của người chấm {reviewer} tính lại" in d for d in differences)


def test_an_altered_reviewer_point_is_named(document):
    tg = school(document, "TG")
    leaf, by_reviewer = next(iter(tg["reviews"].items()))
    reviewer = next(iter(by_reviewer))
    by_reviewer[reviewer] = str(Decimal(by_reviewer[reviewer]) + 1)
    differences = verify_export(document)
    assert any(d.startswith(f"TG {leaf}: điểm của người chấm {reviewer} tính lại") for d in differences)


def test_a_deleted_reviewer_input_is_named(document):
    tg = school(document, "TG")
    reviewer, values = next((r, v) for r, v in tg["reviewer_inputs"].items() if v)
    leaf = sorted(values)[0]
    del values[leaf]
    differences = verify_export(document)
    assert f"TG {leaf}: số liệu người chấm {reviewer} nhập: có lúc xuất nhưng đã bị xóa khỏi tệp" in differences


def test_altered_profile_conditions_bonus_and_framework_are_named(document):
    tg = school(document, "TG")
    measure = next(iter(tg["profile"]))
    tg["profile"][measure] = str(Decimal(tg["profile"][measure]) * 2)
    condition = next(iter(tg["inputs"]["conditions"]))
    tg["inputs"]["conditions"][condition] = not tg["inputs"]["conditions"][condition]
    document["framework"]["groups"][0]["leaves"][0]["max"] = 99
    differences = verify_export(document)
    assert "TG: số liệu quy mô: đã bị sửa sau khi xuất" in differences
    assert "TG: điều kiện xét danh hiệu: đã bị sửa sau khi xuất" in differences
    assert "bảng tiêu chí: đã bị sửa sau khi xuất" in differences
    assert any(d.startswith("TG: danh hiệu đủ điều kiện tính lại") for d in differences)


def test_an_altered_bonus_count_changes_the_total_and_is_named(document):
    bonus = next(item for item in document["framework"]["bonus"] if "points_each" in item)
    holder = next(s for s in document["schools"] if s["inputs"]["bonus"].get(bonus["code"], {}).get("count") == 0)
    holder["inputs"]["bonus"][bonus["code"]]["count"] = 1
    differences = verify_export(document)
    code = holder["code"]
    assert f"{code} {bonus['code']}: số liệu điểm thưởng: đã bị sửa sau khi xuất" in differences
    assert any(d.startswith(f"{code} {bonus['code']}: điểm thưởng tính lại từ số liệu là") for d in differences)
    assert any(d.startswith(f"{code}: tổng điểm tính lại là") for d in differences)


def test_an_altered_override_is_named(document):
    found = [
        (entry["code"], leaf, final)
        for entry in document["schools"]
        for leaf, final in entry["final"].items()
        if final["source"] != "policy"
    ]
    assert found, "the demo has an override with its reason"
    code, leaf, final = found[0]
    final["reason"] = ""
    differences = verify_export(document)
    assert f"{code} {leaf}: quyết định thống nhất điểm: đã bị sửa sau khi xuất" in differences
    assert f"{code} {leaf}: điểm quyết định lại không có lý do" in differences


def test_another_format_is_refused_with_a_message(document, tmp_path, capsys):
    document["format"] = "thidua-results/1"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    assert "thidua-results/2" in capsys.readouterr().err


def test_published_analytics_are_stored(exported):
    analytics = exported[1]["analytics"]
    assert analytics["format"] == 1
    assert analytics["confidence"]["resamples"] == 1000
    assert {entry["school"] for entry in analytics["confidence"]["schools"]} >= {"TG"}


def test_an_input_the_engine_refuses_is_named_once_without_a_cascade(document):
    levels = leaf_of_rule(document, "levels")["code"]
    school(document, "CM")["inputs"]["leaves"][levels] = {"level": "Xuất sắc lắm"}
    differences = verify_export(document)
    assert f"CM {levels}: số liệu tự chấm: đã bị sửa sau khi xuất" in differences
    assert any(d.startswith("số liệu tự chấm: CM / ") and "Xuất sắc lắm" in d for d in differences)
    assert any(d.startswith("không tính lại được điểm của người chấm") for d in differences)
    # one refusal does not turn every reviewer of every school into a difference
    assert len(differences) < 10


def test_reviewers_are_numbered_per_school_so_one_number_names_nobody_across_schools(exported):
    document, _stored = exported
    seen_orders = set()
    for entry in document["schools"]:
        names = set(entry["reviewer_inputs"])
        for points in entry["reviews"].values():
            names |= set(points)
        # Each school's reviewers are R1 … Rk of that school alone (three per school in the demo).
        assert names == {f"R{n}" for n in range(1, len(names) + 1)}, entry["code"]
        seen_orders.add(tuple(sorted(names)))
    assert seen_orders == {("R1", "R2", "R3")}


def test_the_order_within_a_school_is_drawn_with_the_servers_secret_not_account_order(settings):
    from thidua.results.pseudonyms import numbered

    reviewers = [str(n) for n in range(1, 13)]
    drawn = numbered(7, "TG", reviewers)

    assert sorted(drawn.values()) == list(range(1, 13))
    assert drawn != {r: int(r) for r in reviewers}  # not the accounts' order
    assert numbered(7, "TG", reversed(reviewers)) == drawn  # stable whatever order they come in
    assert numbered(7, "BL", reviewers) != drawn  # another school, another order
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789abcdefghijklmnopqrstuv"
    assert numbered(7, "TG", reviewers) != drawn  # without the key, the order cannot be redone
