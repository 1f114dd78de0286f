"""Award history across succession and the consecutive-years check."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories.organizations import OrganizationFactory
from thidua.awards import services
from thidua.awards.history import check_consecutive, records_of_lineage
from thidua.awards.models import AwardRecord, ProposalStatus
from thidua.organizations import services as org_services


@pytest.fixture
def merged(aw):
    """TG (A's predecessor… here a fresh TG) merged into DTM on 01/07/2025."""
    tg = OrganizationFactory(name="Trường Chính trị tỉnh Tiền Giang (cũ)", short_code="TG")
    dtm = OrganizationFactory(name="Trường Chính trị tỉnh Đồng Tháp (mới)", short_code="DTM")
    org_services.add_succession(actor=None, predecessor=tg, successor=dtm, effective_date=datetime.date(2025, 7, 1))
    return tg, dtm


def _record(org, award, year):
    return AwardRecord.objects.create(organization=org, award=award, year=year, decision_number=f"{year}-QĐ")


def test_a_predecessors_awards_are_in_the_successors_history(aw, merged, django_assert_num_queries):
    tg, dtm = merged
    _record(tg, aw.awards["co-hoc-vien"], 2019)
    _record(tg, aw.awards["bang-khen-ubnd-tinh"], 2020)
    _record(dtm, aw.awards["bang-khen-giam-doc"], 2026)

    with django_assert_num_queries(1):
        rows = [(r.year, r.organization.short_code, r.award.code) for r in records_of_lineage(dtm)]

    assert rows == [
        (2026, "DTM", "bang-khen-giam-doc"),
        (2020, "TG", "bang-khen-ubnd-tinh"),
        (2019, "TG", "co-hoc-vien"),
    ]
    assert [r.year for r in records_of_lineage(tg)] == [2020, 2019]


def test_the_predecessors_years_count_for_the_consecutive_rule(aw, merged):
    tg, dtm = merged
    provincial = aw.awards["bang-khen-ubnd-tinh"]
    _record(tg, provincial, 2024)
    _record(dtm, provincial, 2025)

    check = check_consecutive(nominee=dtm, award=aw.awards["bang-khen-thu-tuong"], year=2026)

    assert (check.met, check.years_needed, check.found_under) == (
        True,
        (2024, 2025),
        {2024: "Trường Chính trị tỉnh Tiền Giang (cũ)", 2025: "Trường Chính trị tỉnh Đồng Tháp (mới)"},
    )  # fmt: skip


def test_a_missing_year_is_named(aw, merged):
    tg, dtm = merged
    _record(tg, aw.awards["bang-khen-ubnd-tinh"], 2024)

    check = check_consecutive(nominee=dtm, award=aw.awards["bang-khen-thu-tuong"], year=2026)

    assert (check.met, check.years_found, check.years_missing) == (False, (2024,), (2025,))
    assert check.message() == (
        "Chưa đủ 2 năm liên tục có Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh (các năm 2024, 2025): "
        "đã có 2024; còn thiếu 2025."
    )


def test_submission_without_the_years_needs_a_reason(aw):
    a = aw.world.school_a
    _record(a, aw.awards["bang-khen-ubnd-tinh"], 2019)  # 2018 is missing
    proposal = aw.propose(code="bang-khen-thu-tuong")
    assert proposal.basis["history_check"]["years_missing"] == [2018]

    with pytest.raises(ValidationError) as info:
        services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    assert "còn thiếu 2018" in str(info.value)

    proposal = services.submit_proposal(
        actor=aw.world.alice,
        proposal=proposal,
        expected_version=None,
        override_reason="Năm 2018 trường được Cờ thi đua",
    )
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.basis["override_reason"] == "Năm 2018 trường được Cờ thi đua"


def test_submission_with_the_years_needs_no_reason(aw):
    a = aw.world.school_a
    _record(a, aw.awards["bang-khen-ubnd-tinh"], 2018)
    _record(a, aw.awards["bang-khen-ubnd-tinh"], 2019)
    proposal = aw.propose(code="bang-khen-thu-tuong")
    proposal = services.submit_proposal(actor=aw.world.alice, proposal=proposal, expected_version=None)
    assert proposal.basis["history_check"]["met"] is True
