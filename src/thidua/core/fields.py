"""Model fields shared by the apps."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderedJSONField(models.TextField):  # type: ignore[type-arg]
    """JSON kept as text, so that object keys keep the order they were written in.

    PostgreSQL's jsonb reorders object keys (by length, then bytes); a criterion's levels
    ("Tốt", "Khá", "Đạt", "Chưa đạt") must come back in the author's order on every
    database, for display, scoring messages and identical exports. Nothing queries inside
    these values, so text loses nothing.
    """

    description = _("JSON (giữ thứ tự khóa)")

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValidationError(_("Không phải JSON hợp lệ."), code="invalid") from exc
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
