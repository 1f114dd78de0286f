"""What an import reports, and the record a file is read into (shared by both readers).

- ``ImportProblem`` / ``ImportProblems``: one problem at its sheet, row and column (for YAML its
  line and path in the document), and the refusal listing them all;
- ``Parsed`` / ``Where``: a file read into a reference document, with where each entry came
  from so that the engine's problems can be named at their place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an imported file: where (sheet, row, column — for YAML the line and the
    path in the document) and what, in Vietnamese."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = [f"Sheet {self.sheet}"] if self.sheet else []
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}" if self.sheet else self.column)
        where = ", ".join(parts)
        return f"{where[:1].upper()}{where[1:]}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


class ImportProblems(ValidationError):  # noqa: N818 -- named for what it carries, as the API documents it
    """The file was refused; ``problems`` lists every reason. Nothing was saved."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = list(problems)
        heading = _("Không nhập được tệp: %(n)s lỗi, chưa có gì được lưu.") % {"n": len(self.problems)}
        super().__init__([heading, *(str(p) for p in self.problems)], code="invalid")


# --- the record a file is read into -------------------------------------------------------


@dataclass
class Where:
    """Where an entry of the built document came from, to name its problems."""

    sheet: str | None
    row: int | None
    columns: dict[str, str] = field(default_factory=dict)  # key -> "E (max)" or a YAML path
    default: str | None = None


@dataclass
class Parsed:
    """A file read into a reference document, with the problems found on the way."""

    document: Any
    places: dict[str, Where] = field(default_factory=dict)  # document path -> where (XLSX)
    problems: list[ImportProblem] = field(default_factory=list)
    yaml_root: yaml.Node | None = None  # the composed YAML, to find a path's line
    missing: set[tuple[str, str]] = field(default_factory=set)  # (sheet, key) of missing columns
