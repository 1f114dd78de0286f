from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import thidua.criteria
from tests.documents.readers import docx_runs, open_docx, pdf_fonts, pdf_info, pdf_text
from tests.factories.organizations import ClusterFactory, OrganizationFactory
from thidua.criteria import services
from thidua.criteria.documents import (
    adjustment_text,
    criteria_table,
    criteria_table_docx,
    criteria_table_pdf,
    scoring_text,
)
from thidua.criteria.models import CriterionNode, Framework, FrameworkStatus

REFERENCE = Path(thidua.criteria.__file__).parent / "builtin" / "criteria-political-schools.yaml"


def reference_document() -> dict:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


def leaf_entries(document: dict) -> list[dict]:
    return [leaf for group in document["groups"] for leaf in group["leaves"]]


@pytest.fixture
def framework(db) -> Framework:
    return services.create_from_document(actor=None, document=reference_document())


@pytest.fixture
def cluster_framework(db) -> Framework:
    academy = OrganizationFactory(
        kind="academy", name="Học viện Chính trị quốc gia Hồ Chí Minh", short_code="HV", province="Hà Nội"
    )
    cluster = ClusterFactory(name="Cụm thi đua số 9", coordinator=academy)
    framework = services.create_from_document(actor=None, document=reference_document(), cluster=cluster, year=2024)
    Framework.objects.filter(pk=framework.pk).update(
        status=FrameworkStatus.PUBLISHED,
        published_at=dt.datetime(2024, 1, 8, 20, 0, tzinfo=dt.UTC),  # 03:00 on 9 January in Hà Nội
    )
    return Framework.objects.get(pk=framework.pk)


# ---- DOCX --------------------------------------------------------------------------------


def test_the_docx_has_the_party_header_and_the_title(framework):
    document = open_docx(criteria_table_docx(framework))
    letterhead = document.tables[0]

    assert letterhead.cell(0, 0).paragraphs[0].text == "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH"
    assert letterhead.cell(0, 1).text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert letterhead.cell(1, 1).text == "…………, ngày … tháng … năm …"
    assert [p.text for p in document.paragraphs if p.text][:3] == [
        "BẢNG TIÊU CHÍ CHẤM ĐIỂM THI ĐUA",
        "Cụm các trường chính trị (mẫu tham khảo)",
        "(Phiên bản 1, dự thảo)",
    ]


def test_the_docx_lists_every_criterion_with_its_code_title_maximum_and_scoring(framework):
    table = open_docx(criteria_table_docx(framework)).tables[1]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}

    assert [c.text for c in table.rows[0].cells] == ["Mã", "Nội dung tiêu chí", "Điểm tối đa", "Cách chấm điểm"]
    for group in reference_document()["groups"]:
        assert rows[group["code"]][:3] == [group["code"], group["title"], str(group["max"])]
        for leaf in group["leaves"]:
            assert rows[leaf["code"]] == [
                leaf["code"],
                leaf["title"],
                str(leaf["max"]).replace(".", ","),
                scoring_text(leaf),
            ]
    assert rows["II"][1] == "Đào tạo, bồi dưỡng"
    assert rows["II.4"][1] == "Tỷ lệ học viên tốt nghiệp loại khá, giỏi (%)"
    assert rows["Tổng cộng"] == ["Tổng cộng", "Tổng cộng", "100", ""]


def test_the_docx_has_the_bonus_penalty_and_conditions_sections_and_the_total(framework):
    document = open_docx(criteria_table_docx(framework))
    bonus, penalty, conditions = ([[c.text for c in row.cells] for row in t.rows[1:]] for t in document.tables[2:5])
    paragraphs = [p.text for p in document.paragraphs]

    assert "B. Điểm thưởng (tối đa 10 điểm)" in paragraphs
    assert bonus[0] == [
        "B.1",
        "Được khen thưởng đột xuất, chuyên đề từ cấp tỉnh trở lên (2 điểm/lần)",
        "4",
        "Cộng 2 điểm/lần, tối đa 4 điểm",
    ]
    assert bonus[2][3] == "Cộng theo mức: Mức 2: 3 điểm; Mức 1: 2 điểm, tối đa 3 điểm"
    assert "C. Điểm trừ (tối đa 10 điểm)" in paragraphs
    assert penalty[0][3] == "Trừ 0,5 điểm/lần, tối đa 3 điểm"
    assert "D. Điều kiện xét danh hiệu (không tính điểm)" in paragraphs
    assert conditions[0] == [
        "C.1",
        "Không có cán bộ, viên chức bị kỷ luật từ khiển trách trở lên",
        "Không được xét: Cờ thi đua, Bằng khen",
    ]
    assert any(
        p.startswith("Tổng điểm = điểm các nhóm tiêu chí (tối đa 100 điểm) + điểm thưởng (tối đa 10")
        for p in paragraphs
    )


def test_the_docx_is_a4_in_times_new_roman_13_to_14_pt(framework):
    document = open_docx(criteria_table_docx(framework))
    section = document.sections[0]
    table_runs = [
        run
        for table in document.tables[1:]
        for row in table.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
    ]

    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    assert {run.font.name for run in docx_runs(document)} == {"Times New Roman"}
    assert {run.font.size.pt for run in table_runs} == {13}


def test_a_cluster_framework_is_issued_by_the_cluster_dated_and_signed(cluster_framework):
    document = open_docx(criteria_table_docx(cluster_framework))
    letterhead = document.tables[0]
    signature = document.tables[-1]

    assert [p.text for p in letterhead.cell(0, 0).paragraphs] == [
        "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH",
        "CỤM THI ĐUA SỐ 9",
        "*",
    ]
    assert letterhead.cell(1, 1).text == "Hà Nội, ngày 09 tháng 01 năm 2024"
    assert "(Phiên bản 1, áp dụng năm 2024)" in [p.text for p in document.paragraphs]
    assert [p.text for p in signature.cell(0, 1).paragraphs if p.text] == ["T/M THƯỜNG TRỰC CỤM", "TRƯỞNG CỤM"]
    assert signature.cell(0, 0).paragraphs[0].text == "Nơi nhận:"


def test_evidence_and_guidance_are_printed_with_their_criterion(framework):
    CriterionNode.objects.filter(framework=framework, code="I.1").update(
        evidence="Kế hoạch công tác năm; quy chế làm việc đã ban hành", guidance="Tốt: ban hành trước ngày 31/01"
    )
    CriterionNode.objects.filter(framework=framework, code="B.1").update(guidance="Tính theo quyết định khen thưởng")
    document = open_docx(criteria_table_docx(framework))
    row = next(r for r in document.tables[1].rows if r.cells[0].text == "I.1")
    bonus = next(r for r in document.tables[2].rows if r.cells[0].text == "B.1")

    assert [p.text for p in row.cells[1].paragraphs] == [
        "Xây dựng và thực hiện kế hoạch công tác năm, quy chế làm việc",
        "Minh chứng: Kế hoạch công tác năm; quy chế làm việc đã ban hành",
    ]
    assert [p.text for p in row.cells[3].paragraphs][1] == "Hướng dẫn: Tốt: ban hành trước ngày 31/01"
    assert [p.text for p in bonus.cells[3].paragraphs][1] == "Hướng dẫn: Tính theo quyết định khen thưởng"


def test_a_group_whose_criteria_add_up_to_more_than_its_maximum_says_the_cap_binds(framework):
    CriterionNode.objects.filter(framework=framework, code="I.4").update(max_points=4)
    document = open_docx(criteria_table_docx(framework))
    row = next(r for r in document.tables[1].rows if r.cells[0].text == "I")

    assert row.cells[3].text == "Các tiêu chí cộng lại 12 điểm; nhóm được tính tối đa 10 điểm."


def test_a_draft_with_a_criterion_still_missing_its_rule_still_prints(framework):
    CriterionNode.objects.filter(framework=framework, code="I.3").update(params={}, max_points=None)
    document = open_docx(criteria_table_docx(framework))
    row = next(r for r in document.tables[1].rows if r.cells[0].text == "I.3")

    assert [c.text for c in row.cells][2:] == ["…", ""]


def test_building_the_table_reads_the_nodes_in_one_query(cluster_framework, django_assert_num_queries):
    framework = Framework.objects.select_related("cluster__coordinator").get(pk=cluster_framework.pk)

    with django_assert_num_queries(1):
        criteria_table(framework)


# ---- PDF ---------------------------------------------------------------------------------


def test_the_pdf_has_every_text_with_its_diacritics_and_liberation_serif_embedded(framework):
    data = criteria_table_pdf(framework)
    text = pdf_text(data)
    document = reference_document()

    for expected in (
        "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BẢNG TIÊU CHÍ CHẤM ĐIỂM THI ĐUA",
        "Đào tạo, bồi dưỡng",
        "Tỷ lệ học viên tốt nghiệp loại khá, giỏi (%)",
        "Theo ngưỡng: ≥ 80 %: 4 điểm; ≥ 60 %: 3; ≥ 40 %: 2; dưới 40 %: 1",
        "1 điểm/hoạt động, tối đa 3 điểm",
        "Cộng 2 điểm/lần, tối đa 4 điểm",
        "Không được xét: Cờ thi đua, Bằng khen",
    ):
        assert expected in text
    for entry in [*document["groups"], *leaf_entries(document), *document["bonus"], *document["penalty"]]:
        assert entry["code"] in text
        assert entry["title"] in text
    assert {name.split("+", 1)[1] for name, embedded in pdf_fonts(data) if embedded == "yes"} >= {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
    }
    assert {embedded for _, embedded in pdf_fonts(data)} == {"yes"}
    assert pdf_info(data)["Page size"] == "595.276 x 841.89 pts (A4)"


# ---- scoring rules in words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {"max": 3, "rule": "levels", "levels": {"Tốt": 3, "Khá": 2, "Đạt": 1, "Chưa đạt": 0}},
            "Theo mức: Tốt: 3 điểm; Khá: 2 điểm; Đạt: 1 điểm; Chưa đạt: 0 điểm",
        ),
        ({"max": 2, "rule": "pass_fail"}, "Đạt: 2 điểm; không đạt: 0 điểm"),
        ({"max": 2, "rule": "manual", "step": 0.25}, "Chấm trực tiếp từ 0 đến 2 điểm, bước 0,25 điểm"),
        ({"max": 2, "rule": "manual"}, "Chấm trực tiếp từ 0 đến 2 điểm"),
        (
            {"title": "Đề tài (2 điểm/đề tài)", "max": 4, "rule": "count", "points_each": 2},
            "2 điểm/đề tài, tối đa 4 điểm",
        ),
        ({"title": "Hội thao", "max": 3, "rule": "count", "points_each": 1}, "1 điểm/lần, tối đa 3 điểm"),
        (
            {"max": 3, "rule": "quantitative", "formula": "ratio", "cap_ratio": 1.2},
            "Tỷ lệ thực hiện so với chỉ tiêu đăng ký × 3 điểm, tính tối đa 120 %. "
            "Trường không đăng ký chỉ tiêu: so với trường cao nhất Cụm.",
        ),
        (
            {"max": 3, "rule": "quantitative", "formula": "ratio", "direction": "lower"},
            "Chỉ tiêu đăng ký chia cho số thực hiện × 3 điểm (chỉ số càng thấp càng tốt), tính tối đa 100 %. "
            "Trường không đăng ký chỉ tiêu: so với trường thấp nhất Cụm.",
        ),
        (
            {
                "title": "Tỷ lệ (%)",
                "max": 4,
                "rule": "quantitative",
                "formula": "thresholds",
                "tiers": [[90, 4], [60, 2]],
            },
            "Theo ngưỡng: ≥ 90 %: 4 điểm; ≥ 60 %: 2; dưới 60 %: 0",
        ),
        (
            {
                "max": 4,
                "rule": "quantitative",
                "formula": "thresholds",
                "direction": "lower",
                "tiers": [[5, 4], [10, 2]],
            },
            "Theo ngưỡng: ≤ 5: 4 điểm; ≤ 10: 2; trên 10: 0 (chỉ số càng thấp càng tốt)",
        ),
        (
            {"max": 4, "rule": "quantitative", "formula": "relative_to_best", "per_capita": "trainees"},
            "Tính bình quân mỗi học viên. Số liệu của trường so với trường cao nhất Cụm × 4 điểm",
        ),
        (
            {"max": 4, "rule": "quantitative", "formula": "relative_to_best", "direction": "lower"},
            "Số liệu thấp nhất Cụm chia cho số liệu của trường × 4 điểm (chỉ số càng thấp càng tốt)",
        ),
        (
            {"max": 8, "rule": "quantitative", "formula": "target_and_leader"},
            "Chưa đạt chỉ tiêu đăng ký: 4 điểm × tỷ lệ thực hiện; đạt chỉ tiêu: 4 điểm; "
            "vượt chỉ tiêu: 4 + 4 × mức vượt ÷ mức vượt của trường dẫn đầu; "
            "trường dẫn đầu (vượt chỉ tiêu nhiều nhất Cụm): 8 điểm. "
            "Trường không đăng ký chỉ tiêu: so với trường cao nhất Cụm.",
        ),
        ({"max": 1, "rule": "unknown"}, ""),
    ],
)
def test_a_scoring_rule_reads_in_plain_vietnamese(entry, expected):
    assert scoring_text(entry) == expected


def test_a_manual_penalty_without_a_cap_reads_in_plain_vietnamese():
    assert adjustment_text({"rule": "manual", "step": 0.5}, bonus=False) == "Trừ trực tiếp theo mức độ, bước 0,5 điểm"
