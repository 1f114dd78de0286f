"""Model fields shared by the apps."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderedJSONField(models.JSONField):
    """JSON kept as text, so that object keys keep the order they were written in.

    PostgreSQL's jsonb reorders object keys (by length, then bytes); a criterion's levels
    ("Tốt", "Khá", "Đạt", "Chưa đạt") must come back in the author's order on every
    database, for display, scoring messages and identical exports. Nothing queries inside
    these values, so a text column loses nothing.
    """

    description = _("JSON (giữ thứ tự khóa)")

    def db_type(self, connection: Any) -> str:
        return "text"

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        return json.loads(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False)
