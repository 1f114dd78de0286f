"""The demo's criteria frameworks: the reference template and Cluster 9's frameworks for 2020
and 2021, loaded once however often the demo is loaded."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from thidua.criteria.builtin import reference_document
from thidua.criteria.importexport import canonical_document
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.demo import criteria, organizations

pytestmark = pytest.mark.django_db


def summary() -> list[tuple[object, ...]]:
    return [
        (f.name, f.cluster.code if f.cluster else None, f.year, f.edition, f.status, f.is_template, f.cloned_from_id)
        for f in Framework.objects.select_related("cluster").order_by("pk")
    ]


def test_the_demo_has_the_template_and_cluster_9_s_framework_for_each_year():
    loaded = organizations.load()

    template, year_2020, year_2021 = criteria.load(loaded)

    assert summary() == [
        (
            "Bảng tiêu chí chấm điểm thi đua Cụm các trường chính trị (mẫu tham khảo)",
            None,
            None,
            1,
            FrameworkStatus.PUBLISHED,
            True,
            None,
        ),
        ("Bảng tiêu chí chấm điểm thi đua Cụm thi đua số 9 năm 2020", "C9", 2020, 2, "published", False, template.pk),
        ("Bảng tiêu chí chấm điểm thi đua Cụm thi đua số 9 năm 2021", "C9", 2021, 3, "published", False, template.pk),
    ]
    assert canonical_document(year_2020)["groups"] == reference_document()["groups"]
    assert canonical_document(year_2021)["groups"] == reference_document()["groups"]


def test_loading_the_demo_again_creates_no_other_framework(capsys):
    call_command("load_demo", force=True)
    first = summary()

    call_command("load_demo", force=True)

    assert summary() == first
    assert len(first) == 3
