"""Demo criteria frameworks: the built-in reference template, and Cluster 9's framework for
each of its years 2020 and 2021 — cloned from the template and published, as a cluster does
at the start of a year."""

from __future__ import annotations

from typing import Any

from thidua.criteria import services
from thidua.criteria.builtin import ensure_reference_template
from thidua.criteria.models import Framework, FrameworkStatus
from thidua.demo.organizations import Loaded

YEARS = (2020, 2021)


def framework_name(year: int) -> str:
    return f"Bảng tiêu chí chấm điểm thi đua Cụm thi đua số 9 năm {year}"


def load(loaded: Loaded, actor: Any = None) -> list[Framework]:
    """The template and the cluster's frameworks (created once: loading again changes nothing)."""
    template = ensure_reference_template(actor)
    frameworks = [template]
    for year in YEARS:
        framework = Framework.objects.filter(cluster=loaded.cluster, year=year).order_by("-edition").first()
        if framework is None:
            framework = services.clone_framework(
                actor=actor, framework=template, name=framework_name(year), cluster=loaded.cluster, year=year
            )
        if framework.status == FrameworkStatus.DRAFT:
            framework = services.publish_framework(actor=actor, framework=framework)
        frameworks.append(framework)
    return frameworks
