"""Export in the reference format: the canonical document of a framework (which the XLSX
export lays out too), the YAML written from it, and the file name of a download."""

from __future__ import annotations

from typing import Any

import yaml

from thidua.criteria.convert import framework_document
from thidua.criteria.models import Framework
from thidua.scoring.engine.errors import FormatError
from thidua.scoring.engine.reference_format import framework_from_reference, framework_to_reference

YAML_MEDIA_TYPE = "application/yaml"


def canonical_document(framework: Framework) -> dict[str, Any]:
    """The framework as a canonical reference document; a draft the engine cannot read yet
    (a criterion without a rule, say) is exported as stored, so that work is never lost."""
    document = framework_document(framework)
    try:
        return framework_to_reference(framework_from_reference(document))
    except FormatError:
        return document


class _Dumper(yaml.SafeDumper):
    """Multi-line texts (guidance) as literal blocks, everything else as PyYAML writes it; never
    an alias (the import refuses them)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not value.endswith(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def export_yaml(framework: Framework) -> bytes:
    """The framework as YAML in the reference format (canonical, UTF-8)."""
    header = f"# {framework} — {framework.get_status_display()}\n"
    body = yaml.dump(canonical_document(framework), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return (header + body).encode("utf-8")


def filename_for(framework: Framework, extension: str) -> str:
    """An ASCII file name for a download: "bang-tieu-chi-12-phien-ban-2.xlsx"."""
    return f"bang-tieu-chi-{framework.pk}-phien-ban-{framework.edition}.{extension}"
