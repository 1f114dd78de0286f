"""The live computation: the engine's points for this school only, other schools' current
inputs used only where the rule compares schools, and never shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.assessments.conftest import register, save
from thidua.assessments import services
from thidua.organizations.models import OrganizationProfile

pytestmark = pytest.mark.django_db


def test_the_total_is_the_engines_groups_plus_bonus_minus_penalty(sheet):
    bob = sheet.world.bob
    save(bob, sheet.entry("I.1"), level="Tốt")
    save(bob, sheet.entry("I.2"), passed=True)
    save(bob, sheet.entry("I.4"), points=Decimal("1.5"))
    save(bob, sheet.entry("II.3"), count=10)  # 10 × 0,5 = 5, capped at 4
    save(bob, sheet.entry("B.1"), count=3)  # 3 × 2 = 6, capped at 4
    save(bob, sheet.entry("P.1"), count=2)  # 2 × 0,5 = 1

    result = services.compute(sheet.assessment_b)

    assert result.ok
    assert result.groups["I"].points == Decimal("6.5")
    assert result.groups["II"].points == Decimal("4")
    assert (result.bonus_points, result.penalty_points) == (Decimal("4"), Decimal("1"))
    assert result.total == Decimal("13.5")
    assert result.scores["II.3"].explanation == "10 × 0,5 điểm = 5 điểm, vượt mức tối đa 4 → 4 điểm"
    assert result.scores["I.3"].missing


def test_a_target_comes_from_the_schools_submitted_registration(sheet):
    register(sheet.campaign, sheet.world.school_b, {"II.1": "10"})
    save(sheet.world.bob, sheet.entry("II.1"), actual=Decimal("8"))

    score = services.compute(sheet.assessment_b).scores["II.1"]

    assert score.points == Decimal("3.2")  # ½ × 8 × 8/10: below its own target, no one else counts
    assert score.explanation == "Thực hiện 8/10 = 80 % chỉ tiêu (chưa đạt) → ½ × 8 × 0,8 = 3,2 điểm"


def test_a_target_of_a_registration_not_yet_signed_off_is_not_used(sheet):
    register(sheet.campaign, sheet.world.school_b, {"II.1": "10"}, submitted=False)
    save(sheet.world.bob, sheet.entry("II.1"), actual=Decimal("8"))

    score = services.compute(sheet.assessment_b).scores["II.1"]

    assert score.depends_on_cluster
    assert score.points == Decimal("8")  # alone, relative to the best: its own 8
    assert score.explanation.startswith("Không đăng ký chỉ tiêu → so với kết quả tốt nhất cụm")


def test_relative_to_best_uses_another_schools_current_draft_but_never_shows_its_value(sheet):
    assessment_a = sheet.assessment(sheet.world.school_a)
    save(sheet.world.alice, sheet.entry("III.3", assessment_a), actual=Decimal("150"))  # 150/48 = 3,125
    save(sheet.world.bob, sheet.entry("III.3"), actual=Decimal("96"))  # 96/48 = 2

    result = services.compute(sheet.assessment_b)

    score = result.scores["III.3"]
    assert score.points == Decimal("2.56")  # 4 × 2 / 3,125
    assert score.depends_on_cluster
    assert "3,13" not in score.explanation
    assert "150" not in score.explanation
    assert score.explanation.startswith("Điểm tính so với kết quả tốt nhất của các trường trong cụm")
    assert result.explanation.count("150") == 0


def test_target_and_leader_compares_with_the_leader_without_naming_its_share(sheet):
    register(sheet.campaign, sheet.world.school_a, {"II.1": "10"})
    register(sheet.campaign, sheet.world.school_b, {"II.1": "10"})
    assessment_a = sheet.assessment(sheet.world.school_a)
    save(sheet.world.alice, sheet.entry("II.1", assessment_a), actual=Decimal("15"))  # e = 50 %
    save(sheet.world.bob, sheet.entry("II.1"), actual=Decimal("12"))  # e = 20 %

    score = services.compute(sheet.assessment_b).scores["II.1"]

    assert score.points == Decimal("5.6")  # 4 + 4 × 0,2/0,5
    assert "50" not in score.explanation
    assert score.explanation.startswith("Trường vượt chỉ tiêu: điểm tính so với mức vượt chỉ tiêu của trường dẫn đầu")


def test_the_leader_sees_its_own_explanation(sheet):
    register(sheet.campaign, sheet.world.school_a, {"II.1": "10"})
    register(sheet.campaign, sheet.world.school_b, {"II.1": "10"})
    assessment_a = sheet.assessment(sheet.world.school_a)
    save(sheet.world.alice, sheet.entry("II.1", assessment_a), actual=Decimal("11"))
    save(sheet.world.bob, sheet.entry("II.1"), actual=Decimal("12"))

    score = services.compute(sheet.assessment_b).scores["II.1"]

    assert score.points == Decimal("8")
    assert score.explanation == "Vượt chỉ tiêu 20 % (12/10), dẫn đầu cụm → 8 điểm (tối đa)"


def test_another_schools_input_the_engine_refuses_is_left_out(sheet):
    assessment_a = sheet.assessment(sheet.world.school_a)
    save(sheet.world.alice, sheet.entry("III.3", assessment_a), actual=Decimal("150"))
    OrganizationProfile.objects.filter(organization=sheet.world.school_a).delete()
    save(sheet.world.bob, sheet.entry("III.3"), actual=Decimal("96"))

    result = services.compute(sheet.assessment_b)

    assert result.ok
    assert result.scores["III.3"].points == Decimal("4")
    assert result.scores["III.3"].problem == ""


def test_this_schools_refused_input_is_reported_on_its_leaf_and_the_rest_is_computed(sheet):
    OrganizationProfile.objects.filter(organization=sheet.world.school_b).delete()
    save(sheet.world.bob, sheet.entry("III.3"), actual=Decimal("96"))
    save(sheet.world.bob, sheet.entry("I.1"), level="Khá")

    result = services.compute(sheet.assessment_b)

    assert result.ok
    assert result.scores["III.3"].points == Decimal("0")
    assert result.scores["III.3"].problem == (
        "Hồ sơ năm của trường thiếu số đo quy mô 'lecturers' (giảng viên) để tính bình quân."
    )
    assert result.total == Decimal("2")


def test_a_failed_condition_blocks_its_titles(sheet):
    save(sheet.world.bob, sheet.entry("C.1"), passed=False)
    save(sheet.world.bob, sheet.entry("C.2"), passed=True)

    result = services.compute(sheet.assessment_b)

    assert [blocked.title for blocked in result.eligibility.blocked] == ["Cờ thi đua", "Bằng khen"]
    assert result.scores["C.1"].condition == "not_met"
    assert result.scores["C.2"].condition == "met"
