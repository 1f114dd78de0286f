"""The built-in template (bảng tiêu chí mẫu): the reference framework for a cluster of political
schools, shipped in ``builtin/criteria-political-schools.yaml`` and published once as an
Academy template (no cluster) that clusters clone for their years."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from thidua.criteria import services
from thidua.criteria.models import Framework

REFERENCE_PATH = Path(__file__).parent / "builtin" / "criteria-political-schools.yaml"


def reference_document() -> dict[str, Any]:
    """The reference framework as a parsed document."""
    with REFERENCE_PATH.open(encoding="utf-8") as fh:
        document: dict[str, Any] = yaml.safe_load(fh)
    return document


def find_reference_template() -> Framework | None:
    """The template made from the reference file, whatever its status now (an archived one is
    still it: it is not created again)."""
    name = reference_document()["framework"]["name"]
    return (
        Framework.objects.filter(is_template=True, cluster__isnull=True, cloned_from__isnull=True, name=name)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def ensure_reference_template(actor: Any = None) -> Framework:
    """The published reference template, created (and published) the first time only."""
    existing = find_reference_template()
    if existing is not None:
        return existing
    template = services.create_from_document(
        actor=actor, document=reference_document(), is_template=True, source=REFERENCE_PATH.name
    )
    return services.publish_framework(actor=actor, framework=template)
