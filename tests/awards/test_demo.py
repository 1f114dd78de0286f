"""The demo's awards: the list, Tiền Giang's past awards, Cluster 9's two 2020 proposals (one
approved with its decision number); loading again changes nothing. (One test: the demo is slow.)"""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
import pytest
from django.core.management import call_command

from thidua.awards.documents import achievement_report_docx
from thidua.awards.models import AwardRecord, Proposal, ProposalStatus
from thidua.demo import organizations
from thidua.demo.awards import load_awards
from thidua.titles.models import Award

pytestmark = pytest.mark.django_db


def test_the_demo_awards_and_proposals_load_once(tmp_path):
    call_command("load_demo", force=True, verbosity=0)
    loaded = organizations.load()

    load_awards(loaded)
    load_awards(loaded)

    assert Award.objects.count() == 7
    proposals = {(p.nominee.short_code, p.award.code): p for p in Proposal.objects.select_related("nominee", "award")}
    assert set(proposals) == {("TG", "co-hoc-vien"), ("BL", "bang-khen-giam-doc")}
    approved = proposals[("TG", "co-hoc-vien")]
    assert (approved.status, approved.decision_number, approved.decision_date) == (
        ProposalStatus.APPROVED, "1234-QĐ/HVCTQG", datetime.date(2020, 12, 15),
    )  # fmt: skip
    assert proposals[("BL", "bang-khen-giam-doc")].status == ProposalStatus.SUBMITTED
    # The conference's ballot was for this award: the approved proposal cites it, and its
    # candidates were the schools eligible for the Academy's flag.
    assert approved.ballot is not None
    assert approved.ballot.award == approved.award
    assert approved.ballot.candidates.filter(organization__short_code="TG").exists()
    tg_years = sorted(AwardRecord.objects.filter(organization__short_code="TG").values_list("year", "award__code"))
    assert tg_years == [
        (2018, "bang-khen-ubnd-tinh"),
        (2019, "bang-khen-ubnd-tinh"),
        (2019, "co-hoc-vien"),
        (2020, "co-hoc-vien"),
    ]

    report = _text(achievement_report_docx(approved))
    assert "Trường Chính trị tỉnh Tiền Giang" in report
    assert "Quyết định số 1789-QĐ/HVCTQG ngày 20/12/2019" in report
    assert "Quyết định số 1234-QĐ/HVCTQG ngày 15/12/2020" in report

    out = tmp_path / "c9-2020.zip"
    call_command("build_dossier", "--cluster", "C9", "--year", "2020", "-o", str(out))
    names = zipfile.ZipFile(out).namelist()
    assert "tg-co-hoc-vien/bao-cao-thanh-tich-tg-co-hoc-vien.docx" in names
    assert "bl-bang-khen-giam-doc/bao-cao-thanh-tich-bl-bang-khen-giam-doc.pdf" in names


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)
