"""The XLSX layout shared by export and import: the sheets and their columns (Vietnamese label,
machine-readable key, how a cell is read), the rows of the sheet "Khung", the help sheet, and
the machine values of the choice columns with the Vietnamese aliases the import accepts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # the machine-readable header (a reference-format key)
    label: str  # the Vietnamese header above it
    kind: str  # how a cell is read: text, ident, choice, number, levels, tiers, bool, list, extra
    width: int = 12
    required: bool = False


@dataclass(frozen=True)
class SheetLayout:
    name: str
    columns: tuple[Column, ...]
    section: str  # framework | nodes | bonus | penalty | conditions

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


EXTRA = Column("extra", "Khóa khác (JSON)", "extra", 20)
FRAMEWORK_SHEET = SheetLayout(
    "Khung",
    (
        Column("label", "Thông tin", "text", 28),
        Column("value", "Giá trị", "text", 70, required=True),
        Column("key", "Khóa", "ident", 14, required=True),
    ),
    "framework",
)
NODE_SHEET = SheetLayout(
    "Tieu chi",
    (
        Column("code", "Mã", "ident", 9, required=True),
        Column("parent", "Mã nhóm cha", "ident", 9, required=True),
        Column("kind", "Loại (nhóm/tiêu chí)", "choice", 9),
        Column("title", "Nội dung", "text", 60, required=True),
        Column("max", "Điểm tối đa", "number", 9, required=True),
        Column("rule", "Cách chấm", "choice", 13, required=True),
        Column("formula", "Công thức", "choice", 17),
        Column("direction", "Chiều", "choice", 9),
        Column("step", "Bước chấm", "number", 8),
        Column("points_each", "Điểm mỗi lần", "number", 9),
        Column("levels", "Các mức (Tên=điểm; …)", "levels", 32),
        Column("tiers", "Các ngưỡng (ngưỡng:điểm; …)", "tiers", 22),
        Column("target_registered", "Có chỉ tiêu đăng ký", "bool", 10),
        Column("per_capita", "Bình quân theo", "ident", 12),
        Column("cap_ratio", "Tỷ lệ trần", "number", 8),
        Column("source", "Nguồn dữ liệu", "ident", 18),
        Column("guidance", "Hướng dẫn chấm", "text", 40),
        Column("evidence", "Minh chứng cần có", "text", 40),
        EXTRA,
    ),
    "nodes",
)
_ITEM_COLUMNS = (
    Column("code", "Mã", "ident", 9, required=True),
    Column("title", "Nội dung", "text", 60, required=True),
    Column("rule", "Cách chấm", "choice", 13),
    Column("levels", "Các mức (Tên=điểm; …)", "levels", 28),
    Column("step", "Bước chấm", "number", 8),
    Column("points_each", "Điểm mỗi lần", "number", 9),
    Column("cap", "Tối đa", "number", 8),
    Column("source", "Nguồn dữ liệu", "ident", 18),
    Column("guidance", "Hướng dẫn chấm", "text", 40),
    EXTRA,
)
BONUS_SHEET = SheetLayout("Diem thuong", _ITEM_COLUMNS, "bonus")
PENALTY_SHEET = SheetLayout("Diem tru", _ITEM_COLUMNS, "penalty")
CONDITION_SHEET = SheetLayout(
    "Dieu kien",
    (
        Column("code", "Mã", "ident", 9, required=True),
        Column("title", "Nội dung", "text", 60, required=True),
        Column("blocks", "Danh hiệu bị chặn (; …)", "list", 36, required=True),
        Column("guidance", "Hướng dẫn chấm", "text", 40),
        EXTRA,
    ),
    "conditions",
)
SHEETS = (FRAMEWORK_SHEET, NODE_SHEET, BONUS_SHEET, PENALTY_SHEET, CONDITION_SHEET)
COLUMN_KEYS = frozenset(c.key for layout in SHEETS for c in layout.columns)
REQUIRED_SHEETS = (FRAMEWORK_SHEET, NODE_SHEET)
FRAMEWORK_ROWS = {  # key: (label, is a number)
    "name": ("Tên bảng tiêu chí", False),
    "total": ("Tổng điểm", True),
    "bonus_cap": ("Điểm thưởng tối đa", True),
    "penalty_cap": ("Điểm trừ tối đa", True),
}
GROUP_COLUMNS = frozenset({"code", "parent", "kind", "title", "max", "guidance", "extra"})
HELP_SHEET = "Huong dan"
HELP_LINES = (
    "Cách điền tệp bảng tiêu chí (xem thêm docs/criteria-formats.md)",
    "",
    "• Dòng 1 của mỗi sheet là tên cột tiếng Việt; dòng 2 là tên cột máy đọc — đừng sửa hay xóa dòng 2.",
    "• Sheet Khung: tên bảng, tổng điểm, điểm thưởng tối đa, điểm trừ tối đa (cột Khóa giữ nguyên).",
    "• Sheet Tieu chi: mỗi dòng một nhóm (group) hoặc tiêu chí (leaf); nhóm lớn để trống «Mã nhóm cha»,",
    "  tiêu chí ghi mã nhóm chứa nó. Thứ tự các dòng là thứ tự trong bảng.",
    "• Cách chấm (rule): manual (chấm trực tiếp), pass_fail (đạt/không đạt), levels (theo mức),",
    "  count (chấm thẳng theo số lần), quantitative (định lượng, cần Công thức).",
    "• Công thức (formula): ratio, thresholds, relative_to_best, target_and_leader; Chiều: higher/lower.",
    "• Các mức: «Tốt=3; Khá=2; Đạt=1; Chưa đạt=0». Các ngưỡng: «80:4; 60:3; 40:2; 0:1».",
    "• Có chỉ tiêu đăng ký: «có» hoặc để trống. Số thập phân viết 0,5 hoặc 0.5.",
    "• Sheet Diem thuong, Diem tru: mỗi dòng một mục (Điểm mỗi lần, Tối đa). Sheet Dieu kien: danh hiệu",
    "  bị chặn cách nhau bằng dấu chấm phẩy.",
    "• Tệp có lỗi sẽ không được nhập; hệ thống liệt kê mọi lỗi kèm sheet, dòng và cột.",
)
CHOICES = {  # column key: machine values (the import also takes the Vietnamese aliases below)
    "kind": ("group", "leaf"),
    "rule": ("manual", "pass_fail", "levels", "count", "quantitative"),
    "formula": ("ratio", "thresholds", "relative_to_best", "target_and_leader"),
    "direction": ("higher", "lower"),
}
ITEM_RULES = ("count", "levels", "manual")
ALIASES = {
    "kind": {"nhom": "group", "nhom tieu chi": "group", "tieu chi": "leaf"},
    "rule": {
        "cham truc tiep": "manual",
        "dinh tinh": "pass_fail",
        "dat khong dat": "pass_fail",
        "theo muc": "levels",
        "muc": "levels",
        "cham thang": "count",
        "theo so lan": "count",
        "dinh luong": "quantitative",
    },
    "formula": {
        "ty le": "ratio",
        "theo nguong": "thresholds",
        "nguong": "thresholds",
        "so voi don vi cao nhat": "relative_to_best",
        "vuot chi tieu va dan dau": "target_and_leader",
    },
    "direction": {"cao hon la tot hon": "higher", "cao": "higher", "thap hon la tot hon": "lower", "thap": "lower"},
}
TRUE_WORDS = frozenset({"co", "x", "true", "1", "yes", "dung"})
FALSE_WORDS = frozenset({"khong", "false", "0", "no", "sai"})
