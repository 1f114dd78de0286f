"""Errors that services raise and views turn into clear messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StaleObjectError(ValidationError):
    """Someone saved the object after this form was opened; nothing was overwritten."""

    def __init__(self, obj: object) -> None:
        super().__init__(
            _(
                "“%(obj)s” đã được người khác sửa sau khi bạn mở biểu mẫu này. Thay đổi của bạn chưa được lưu; "
                "hãy tải lại trang để xem bản mới nhất rồi sửa lại."
            ),
            code="stale",
            params={"obj": obj},
        )
