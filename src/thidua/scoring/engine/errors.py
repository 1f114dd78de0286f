"""Problems the engine reports, and the exceptions that carry them.

A `Problem` is one thing wrong (or worth knowing) with a framework, a document or a
cluster's inputs, explained in Vietnamese. Validation returns problems; computing refuses
bad data by raising an `EngineError` that carries every problem found, not just the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a problem is: an error blocks publishing/computing, a notice only informs."""

    ERROR = "error"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: a stable machine code, where it is, and a Vietnamese message.

    `node` is the criterion code (empty for the framework as a whole) or, for document
    format problems, the path inside the document ("groups[0].leaves[2].max").
    `school` is set for problems in one school's inputs.
    """

    code: str
    node: str
    message: str
    severity: Severity = Severity.ERROR
    school: str | None = None

    def __str__(self) -> str:
        where = " / ".join(part for part in (self.school, self.node) if part)
        return f"{where}: {self.message}" if where else self.message


class EngineError(Exception):
    """Base of the engine's refusals; `problems` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class FrameworkError(EngineError):
    """The framework has errors (see `validate_framework`); nothing can be computed on it."""


class InputError(EngineError):
    """Some inputs of the cluster are refused (off-step points, unknown level, no size …)."""


class FormatError(EngineError):
    """A document (JSON cluster input, reference YAML) does not have the expected shape."""
