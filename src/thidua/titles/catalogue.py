"""The default award list (danh mục hình thức khen thưởng) the Academy starts from.

Kept deliberately simple and editable by the Academy afterwards (the award pages and the API):
``consecutive_years`` N with ``prerequisite`` P means "the nominee (or a predecessor it
succeeded) received P in each of the N years just before the proposal year". The rules follow
the usual shape of the Law on Emulation and Commendation for collectives, simplified:

- Cờ thi đua / Bằng khen of the Academy and of the provincial People's Committee: no
  prerequisite (the cluster's result and vote are the basis).
- Bằng khen của Thủ tướng Chính phủ: 2 consecutive years of the provincial Bằng khen.
- Cờ thi đua của Chính phủ: 2 consecutive years of the provincial Cờ thi đua.
- Huân chương Lao động hạng Ba: 5 consecutive years of Bằng khen của Thủ tướng is not typical
  data a cluster holds; we ask for 2 consecutive years of the Government's Cờ thi đua's
  precursor (the provincial Cờ thi đua) — the Academy adjusts it to its own rule.

``framework_title`` is the title the criteria framework's eligibility conditions use for the
award (the reference framework's conditions block "Cờ thi đua" and "Bằng khen"): every Cờ thi
đua maps to "Cờ thi đua", every Bằng khen to "Bằng khen"; the Huân chương has no title in the
framework.
"""

from __future__ import annotations

from typing import TypedDict


class AwardSpec(TypedDict):
    code: str
    name: str
    level: str
    consecutive_years: int | None
    prerequisite: str | None
    framework_title: str


FLAG = "Cờ thi đua"
CERTIFICATE = "Bằng khen"

AWARD_LIST: tuple[AwardSpec, ...] = (
    {"code": "co-hoc-vien", "name": "Cờ thi đua của Học viện Chính trị quốc gia Hồ Chí Minh",
     "level": "academy", "consecutive_years": None, "prerequisite": None, "framework_title": FLAG},
    {"code": "bang-khen-giam-doc", "name": "Bằng khen của Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh",
     "level": "academy", "consecutive_years": None, "prerequisite": None, "framework_title": CERTIFICATE},
    {"code": "co-ubnd-tinh", "name": "Cờ thi đua của Ủy ban nhân dân tỉnh",
     "level": "province", "consecutive_years": None, "prerequisite": None, "framework_title": FLAG},
    {"code": "bang-khen-ubnd-tinh", "name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
     "level": "province", "consecutive_years": None, "prerequisite": None, "framework_title": CERTIFICATE},
    {"code": "bang-khen-thu-tuong", "name": "Bằng khen của Thủ tướng Chính phủ",
     "level": "government", "consecutive_years": 2, "prerequisite": "bang-khen-ubnd-tinh",
     "framework_title": CERTIFICATE},
    {"code": "co-chinh-phu", "name": "Cờ thi đua của Chính phủ",
     "level": "government", "consecutive_years": 2, "prerequisite": "co-ubnd-tinh", "framework_title": FLAG},
    {"code": "huan-chuong-lao-dong-3", "name": "Huân chương Lao động hạng Ba",
     "level": "government", "consecutive_years": 2, "prerequisite": "co-ubnd-tinh", "framework_title": ""},
)  # fmt: skip
