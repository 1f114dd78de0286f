""" "Try it" (thử chấm) on bonus and penalty items (điểm thưởng, điểm trừ): a sample count,
level or points in, the engine's points out with its explanation and the item's cap; bad input
answered in Vietnamese; the same access rules as trying a criterion.

alice leads cluster K in 2020 (its secretariat that year); erin is an observer, who reads
published frameworks only.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.criteria import services
from thidua.criteria.models import CriterionNode, Framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
HX = {"HTTP_HX_REQUEST": "true"}


def document(name: str) -> dict:
    """One criterion, and bonus and penalty items of each rule the editor offers."""
    return {
        "framework": {"name": name, "total": 1, "bonus_cap": 5, "penalty_cap": 4},
        "groups": [
            {
                "code": "G1",
                "title": "Nhóm 1",
                "max": 1,
                "leaves": [{"code": "G1.1", "title": "Tiêu chí 1.1", "max": 1, "rule": "count", "points_each": "0.5"}],
            }
        ],
        "bonus": [
            {"code": "B.1", "title": "Khen thưởng đột xuất", "points_each": 2, "cap": 4},
            {
                "code": "B.2",
                "title": "Sáng kiến được công nhận",
                "rule": "levels",
                "levels": {"Cấp Học viện": 2, "Cấp tỉnh": 1},
                "cap": "1.5",
            },
            {"code": "B.3", "title": "Thành tích khác", "rule": "manual", "step": "0.5", "cap": 3},
        ],
        "penalty": [
            {"code": "P.1", "title": "Nộp báo cáo chậm", "points_each": "0.5", "cap": 3},
            {"code": "P.2", "title": "Vi phạm quy chế", "rule": "levels", "levels": {"Nặng": 2, "Nhẹ": 1}},
        ],
        "conditions": [{"code": "C.1", "title": "Không có kỷ luật", "blocks": ["Cờ thi đua"]}],
    }


def make(world, *, cluster=None, published: bool = True, name: str = "Bảng có điểm thưởng, điểm trừ") -> Framework:
    framework = services.create_from_document(
        actor=world.dave, document=document(name), cluster=cluster or world.cluster, year=2020
    )
    return services.publish_framework(actor=world.dave, framework=framework) if published else framework


def node(framework: Framework, code: str) -> CriterionNode:
    return CriterionNode.objects.get(framework=framework, code=code)


def try_url(framework: Framework, code: str) -> str:
    return f"/criteria/{framework.pk}/nodes/{node(framework, code).pk}/try/"


def try_item(client, framework: Framework, code: str, data: dict | None = None):
    url = try_url(framework, code)
    return client.post(url, data, **HX) if data is not None else client.get(url, **HX)


def box(html, response, framework: Framework, code: str) -> str:
    return html.text(response, f"try-box-{node(framework, code).pk}")


@pytest.fixture
def published(world) -> Framework:
    return make(world)


# --- the points, the explanation and the cap ----------------------------------------------


def test_a_bonus_item_counted_past_its_cap_gives_the_cap_and_says_so(world, client_for, html, published):
    response = try_item(client_for(world.erin), published, "B.1", {"count": "3"})

    assert box(html, response, published, "B.1").endswith(
        "Cộng 4 điểm / tối đa 4 cho mục này "
        "3 × 2 điểm = 6 điểm, vượt mức tối đa 4 → 4 điểm "
        "Tổng điểm thưởng của một trường không quá 5 điểm (mức tối đa chung của bảng)."
    )


def test_a_bonus_item_counted_under_its_cap_gives_every_occurrence(world, client_for, html, published):
    response = try_item(client_for(world.erin), published, "B.1", {"count": "1"})

    assert "Cộng 2 điểm / tối đa 4 cho mục này 1 × 2 điểm = 2 điểm Tổng điểm thưởng" in box(
        html, response, published, "B.1"
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("Cấp tỉnh", "Cộng 1 điểm / tối đa 1,5 cho mục này Mức «Cấp tỉnh» → 1 điểm"),
        (
            "Cấp Học viện",
            "Cộng 1,5 điểm / tối đa 1,5 cho mục này Mức «Cấp Học viện» → 2 điểm, vượt mức tối đa 1,5 → 1,5 điểm",
        ),
    ],
)
def test_a_bonus_item_by_levels_gives_the_points_of_the_level_within_the_cap(
    world, client_for, html, published, level, expected
):
    response = try_item(client_for(world.erin), published, "B.2", {"level": level})

    assert expected in box(html, response, published, "B.2")


def test_a_bonus_item_scored_directly_takes_points_on_its_step(world, client_for, html, published):
    response = try_item(client_for(world.erin), published, "B.3", {"points": "2,5"})

    assert "Cộng 2,5 điểm / tối đa 3 cho mục này Chấm trực tiếp 2,5 điểm" in box(html, response, published, "B.3")


def test_a_penalty_item_says_how_many_points_are_taken_off(world, client_for, html, published):
    response = try_item(client_for(world.erin), published, "P.1", {"count": "2"})

    assert box(html, response, published, "P.1").endswith(
        "Trừ 1 điểm / tối đa 3 cho mục này 2 × 0,5 điểm = 1 điểm "
        "Tổng điểm trừ của một trường không quá 4 điểm (mức tối đa chung của bảng)."
    )


def test_a_penalty_item_without_a_cap_says_it_has_none(world, client_for, html, published):
    response = try_item(client_for(world.erin), published, "P.2", {"level": "Nặng"})

    assert "Trừ 2 điểm / mục này không giới hạn điểm Mức «Nặng» → 2 điểm" in box(html, response, published, "P.2")


def test_the_form_asks_for_the_input_of_the_items_rule(world, client_for, published):
    client = client_for(world.erin)

    count = try_item(client, published, "B.1").content.decode()
    levels = try_item(client, published, "B.2").content.decode()
    manual = try_item(client, published, "B.3").content.decode()

    assert 'name="count"' in count
    assert re.search(r'<select name="level"[^>]*>\s*<option value="Cấp Học viện">', levels)
    assert 'name="points"' in manual
    assert "Thử chấm B.1" in count


def test_trying_an_item_without_javascript_is_a_page_of_its_own(world, client_for, html, published):
    response = client_for(world.erin).post(try_url(published, "P.1"), {"count": "8"})

    assert html.text(response, "main").startswith("Bảng tiêu chí")
    assert "Trừ 3 điểm / tối đa 3 cho mục này 8 × 0,5 điểm = 4 điểm, vượt mức tối đa 3 → 3 điểm" in html.text(response)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("B.1", {"count": "ba"}, "Số lần phải là một số nguyên, ví dụ 3."),
        ("B.1", {"count": "1,5"}, "Số lần phải là một số nguyên, ví dụ 3."),
        ("B.1", {"count": ""}, "Trường này là bắt buộc."),
        ("B.3", {"points": "hai"}, "“hai” không phải là một số. Hãy viết số như 3 hoặc 0,25."),
        ("B.3", {"points": "1" * 40}, "Số quá lớn (tối đa 99999)."),
        ("B.1", {"count": "2000000"}, "Số lần quá lớn (tối đa 1000000)."),
        (
            "B.2",
            {"level": "Cấp quốc gia"},
            "Mức «Cấp quốc gia» không có trong thang chấm (các mức: «Cấp Học viện», «Cấp tỉnh»).",
        ),
    ],
)
def test_input_the_form_cannot_read_is_refused_on_its_field(world, client_for, html, published, code, data, message):
    response = try_item(client_for(world.erin), published, code, data)

    assert response.status_code == 200
    text = box(html, response, published, code)
    assert message in text
    assert "điểm /" not in text


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("B.1", {"count": "-1"}, "Không tính được điểm: Số lần phải là số nguyên không âm, nhận được -1."),
        ("B.3", {"points": "-1"}, "Không tính được điểm: Điểm -1 không được âm."),
        (
            "B.3",
            {"points": "0,3"},
            "Không tính được điểm: Điểm 0,3 không đúng bước 0,5 (gần nhất: 0 hoặc 0,5); "
            "điểm không được làm tròn tự động.",
        ),
    ],
)
def test_input_the_engine_refuses_is_answered_with_its_message(world, client_for, html, published, code, data, message):
    response = try_item(client_for(world.erin), published, code, data)

    assert response.status_code == 200
    assert html.text(response, f"try-{node(published, code).pk}").endswith(message)


def test_an_item_with_errors_says_what_to_fix_before_it_can_be_tried(world, client_for, html):
    draft = make(world, published=False)
    services.update_node(actor=world.dave, node=node(draft, "B.1"), params={"rule": "count"})

    response = try_item(client_for(world.alice), draft, "B.1")

    assert box(html, response, draft, "B.1") == (
        "Mục này còn lỗi nên chưa thử chấm được: B.1 chấm theo số lần nhưng chưa có số điểm mỗi lần (points_each)."
    )


# --- where it is offered, who may ---------------------------------------------------------


def test_the_editor_offers_trying_bonus_and_penalty_items_but_not_conditions(world, client_for, published):
    body = client_for(world.erin).get(f"/criteria/{published.pk}/").content.decode()

    for code in ("G1.1", "B.1", "B.2", "B.3", "P.1", "P.2"):
        assert f'aria-label="Thử chấm {code}"' in body, code
        assert f'<tr id="try-{node(published, code).pk}" class="d-none"></tr>' in body, code
    assert 'aria-label="Thử chấm C.1"' not in body


def test_a_condition_cannot_be_tried(world, client_for, published):
    assert try_item(client_for(world.erin), published, "C.1").status_code == 404


@pytest.mark.parametrize("persona", ["alice", "bob", "erin"])
def test_an_item_of_a_draft_the_user_may_not_read_does_not_exist_for_them(world, client_for, persona):
    secret = make(world, cluster=world.other_cluster, published=False, name="Bảng nháp bí mật của Cụm L")
    client = client_for(getattr(world, persona))

    for code in ("B.1", "P.1"):
        for response in (try_item(client, secret, code), try_item(client, secret, code, {"count": "1"})):
            assert response.status_code == 404
            assert "bí mật" not in response.content.decode()
            assert "Khen thưởng" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world, published):
    url = try_url(published, "B.1")

    response = client.post(url, {"count": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_trying_an_item_costs_as_many_queries_as_trying_a_criterion(world, client_for, published):
    client = client_for(world.erin)
    leaf_url, item_url = try_url(published, "G1.1"), try_url(published, "B.1")
    client.post(leaf_url, {"count": "1"}, **HX)  # warm the session and the content types

    with CaptureQueriesContext(connection) as leaf_queries:
        client.post(leaf_url, {"count": "1"}, **HX)
    with CaptureQueriesContext(connection) as item_queries:
        response = client.post(item_url, {"count": "1"}, **HX)

    assert response.status_code == 200
    assert len(item_queries) == len(leaf_queries), [q["sql"][:120] for q in item_queries.captured_queries]
    assert len(item_queries) == 5, [q["sql"][:120] for q in item_queries.captured_queries]
