"""One translation of the services' errors into API answers, for every endpoint.

The services speak Django: ``ValidationError`` for what they refuse (a lock, a closed phase, a
passed deadline, a stale version of a whole object) and ``PermissionDenied`` for who may not.
Endpoints call them without ``try``; this handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)
answers:

- a stale criterion of a self-assessment or a review → 409 with what the other person saved
  (``{"detail", "current": {...}}``), so the client can show it without reloading;
- a framework that cannot be published, a refused import → 400 ``{"detail", "problems"}``;
- any other ``ValidationError`` → 400 with the field errors, or ``{"non_field_errors": [...]}``;
- everything else (``PermissionDenied`` with its message, ``Http404``, DRF's own) as DRF does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from thidua.api.formats import entry_value
from thidua.assessments.services import StaleEntry
from thidua.criteria.importexport import ImportProblems
from thidua.criteria.services import PublishRefused
from thidua.reviews.services import StaleReviewEntry
from thidua.scoring.engine.errors import Problem


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        body = _special_body(exc)
        if body is not None:
            set_rollback()
            code = status.HTTP_409_CONFLICT if isinstance(exc, StaleEntry | StaleReviewEntry) else 400
            return Response(body, status=code)
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    return drf_exception_handler(exc, context)


def _special_body(exc: DjangoValidationError) -> dict[str, Any] | None:
    """The answer of the errors that carry more than their message; None for the others."""
    if isinstance(exc, StaleEntry):
        current, field = exc.current, exc.rule.field
        return {
            "detail": exc.messages[0],
            "current": {
                "value": entry_value(field, getattr(current, field)),
                "explanation": current.explanation,
                "version": current.version,
                "updated_by": exc.by,
                "updated_at": current.updated_at,
            },
        }
    if isinstance(exc, StaleReviewEntry):
        return {"detail": exc.messages[0], "current": {"version": exc.current.version}}
    if isinstance(exc, PublishRefused):
        return {"detail": exc.messages[0], "problems": [problem_json(p) for p in exc.problems]}
    if isinstance(exc, ImportProblems):
        return {"detail": exc.messages[0], "problems": [{**p.as_dict(), "text": str(p)} for p in exc.problems]}
    return None


def problem_json(problem: Problem) -> dict[str, str]:
    """One problem of a framework as the API shows it."""
    return {"code": problem.code, "node": problem.node, "message": problem.message, "severity": str(problem.severity)}
