"""The conference minutes and the tally minutes read back (python-docx, pdftotext): names,
numbers and diacritics right; counts only."""

from __future__ import annotations

import pytest

from tests.documents.readers import docx_text, open_docx
from tests.voting.conftest import candidate_ids, make_ballot
from thidua.voting import documents, services

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    from tests.documents import readers

    return readers.pdf_text(data)


@pytest.fixture
def closed(meeting, world):
    ballot = services.open_ballot(actor=world.alice, ballot=make_ballot(meeting, actor=world.alice))
    ids = candidate_ids(ballot)
    for i, code in enumerate(services.generate_codes(actor=world.alice, ballot=ballot, count=5)):
        services.cast_vote(code=code, candidate_ids=[ids["A"] if i < 4 else ids["D"]])
    return services.close_ballot(actor=world.alice, ballot=ballot)


def test_the_conference_minutes_carry_attendance_agenda_and_vote_results(meeting, closed):
    text = docx_text(open_docx(documents.conference_minutes_docx(meeting.conference)))
    assert "BIÊN BẢN" in text
    assert "Hội nghị tổng kết phong trào thi đua năm 2020" in text
    assert "Tiền Giang, ngày 09 tháng 11 năm 2020" in text
    assert "Số trường thành viên có mặt: 5/6." in text
    assert "Trường Chính trị tỉnh Kiên Giang" in text
    assert "Vắng" in text
    assert "Lê Khách Mời, Vụ trưởng" in text
    assert "Bỏ phiếu suy tôn đơn vị dẫn đầu" in text
    assert "Các đại biểu thống nhất đánh giá cao kết quả chấm chéo." in text
    assert "Suy tôn đơn vị dẫn đầu Cụm đề nghị Cờ thi đua của Học viện (vòng 1)" in text
    assert "66,67 %" in text  # 4 of 6 members
    assert "Kết quả: Trường Chính trị tỉnh Tiền Giang trúng." in text
    assert "Trần Thị Bưởi" in text


def test_the_tally_minutes_show_counts_threshold_and_quorum(meeting, closed):
    text = docx_text(open_docx(documents.tally_minutes_docx(closed)))
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Tổng số thành viên có quyền bỏ phiếu: 6; có mặt: 5" in text
    assert "Số mã phát ra: 5; số mã đã dùng: 5" in text
    assert "số phiếu hợp lệ: 5. Số phiếu cần để trúng: 4." in text
    assert "trúng khi đạt trên 50 % tổng số thành viên" in text
    assert "Trường Chính trị tỉnh Đồng Tháp" in text
    assert "16,67 %" in text


def test_the_pdfs_read_back_with_diacritics(meeting, closed):
    minutes = _pdf_text(documents.conference_minutes_pdf(meeting.conference))
    tally = _pdf_text(documents.tally_minutes_pdf(closed))
    assert "Trường Chính trị tỉnh Tiền Giang trúng" in " ".join(minutes.split())
    assert "BIÊN BẢN KIỂM PHIẾU" in tally
    assert "Trường Chính trị tỉnh Đồng Tháp" in " ".join(tally.split())


def test_the_minutes_carry_the_published_ranking(meeting, world, closed):
    from tests.factories.assessments import make_campaign
    from tests.factories.results import publish_snapshot

    publish_snapshot(
        make_campaign(world.year_2020),
        [{"code": "D", "total": "96.5", "rank": 1, "rank_label": "1", "eligible_titles": []}],
    )
    text = docx_text(open_docx(documents.conference_minutes_docx(meeting.conference)))
    assert "III. Kết quả chấm điểm, xếp hạng thi đua" in text
    assert "96,5" in text
