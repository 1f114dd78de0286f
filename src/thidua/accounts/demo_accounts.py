"""The demo accounts listed on the login page when DEMO_MODE is on (one per role)."""

from __future__ import annotations

from typing import TypedDict

DEMO_PASSWORD = "thidua-demo-2026"  # noqa: S105 -- shown on the login page in demo mode only


class DemoAccount(TypedDict):
    username: str
    full_name: str
    role: str
    organization: str | None
    description: str


DEMO_ACCOUNTS: list[DemoAccount] = [
    {"username": "quantri", "full_name": "Nguyễn Văn Quản", "role": "admin", "organization": None,
     "description": "Quản trị hệ thống (Học viện)"},
    {"username": "hocvien", "full_name": "Trần Thị Hồng", "role": "academy_staff", "organization": None,
     "description": "Cán bộ Ban Thi đua – Khen thưởng, Học viện"},
    {"username": "thuongtruc.tg", "full_name": "Lê Minh Tâm", "role": "school_officer", "organization": "TG",
     "description": "Cán bộ thi đua Trường Chính trị tỉnh Tiền Giang — Thường trực Cụm 9 năm 2020 (cụm trưởng)"},
    {"username": "thuongtruc.bl", "full_name": "Phạm Thị Bích", "role": "school_officer", "organization": "BL",
     "description": "Cán bộ thi đua Trường Chính trị tỉnh Bạc Liêu — Thường trực Cụm 9 năm 2021 (cụm trưởng)"},
    {"username": "canbo.kg", "full_name": "Huỳnh Văn Kiên", "role": "school_officer", "organization": "KG",
     "description": "Cán bộ thi đua Trường Chính trị tỉnh Kiên Giang"},
    {"username": "hieutruong.kg", "full_name": "Đặng Quốc Hùng", "role": "school_leader", "organization": "KG",
     "description": "Hiệu trưởng Trường Chính trị tỉnh Kiên Giang"},
    {"username": "chamcheo.cm", "full_name": "Võ Thị Mai", "role": "reviewer", "organization": "CM",
     "description": "Người chấm chéo, Trường Chính trị tỉnh Cà Mau"},
    {"username": "daibieu.st", "full_name": "Lâm Văn Sơn", "role": "delegate", "organization": "ST",
     "description": "Đại biểu dự hội nghị, Trường Chính trị tỉnh Sóc Trăng"},
    {"username": "quansat", "full_name": "Bùi Đức Quang", "role": "observer", "organization": None,
     "description": "Quan sát viên (lãnh đạo Học viện)"},
]  # fmt: skip
