"""The fonts that documents embed: Liberation Serif (metric-compatible with Times New Roman).

Administrative documents are set in Times New Roman. A DOCX names that font and lets Word
substitute where it is missing; a PDF must embed a real font, and the one we embed is
Liberation Serif 2.x, whose full TTF files cover Vietnamese (Latin Extended Additional:
"ỷ", "ộ", "Đ" …). Liberation 1.x (Debian's ``fonts-liberation``) has the same family name but
lacks most Vietnamese letters, so fontconfig is not asked for the family: the files are
looked up by path in the directory of Debian's ``fonts-liberation2`` package (installed by
``make install`` / ``.ci/run``), or in ``settings.DOCUMENT_FONT_DIR`` where a machine keeps
them elsewhere, and each file is checked for the Vietnamese letters before it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# fontTools (WeasyPrint's own dependency) ships no type information.
from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]

DEBIAN_PACKAGE = "fonts-liberation2"
DEBIAN_DIR = Path("/usr/share/fonts/truetype/liberation2")
SERIF_FAMILY = "Liberation Serif"
# The font a DOCX names; Liberation Serif has its metrics, so line breaks match.
WORD_FONT = "Times New Roman"
# Letters of every Vietnamese vowel shape and tone, in both cases, plus đ/Đ and the signs the
# documents print; a font lacking any would show boxes or fall back to another font.
REQUIRED_TEXT = "ĐđẢảẠạẮắẰằẲẳẴẵẶặẤấẦầẨẩẪẫẬậẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹƯưƠơ≥≤×–…"


class FontsMissingError(ImproperlyConfigured):
    """The TTF files are not where we look, or are not the Vietnamese-capable version."""


@dataclass(frozen=True, slots=True)
class FontFace:
    """One TTF file of a family: its weight and style as CSS names them."""

    path: Path
    weight: str  # "normal" | "bold"
    style: str  # "normal" | "italic"

    @property
    def uri(self) -> str:
        """The absolute file:// URL WeasyPrint loads (percent-encoded)."""
        return self.path.as_uri()


SERIF_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


def font_dir() -> Path:
    """Where the TTF files are: ``settings.DOCUMENT_FONT_DIR`` if set, else Debian's directory."""
    configured = getattr(settings, "DOCUMENT_FONT_DIR", "")
    return Path(configured) if configured else DEBIAN_DIR


def serif_faces() -> tuple[FontFace, ...]:
    """The four faces of Liberation Serif, checked; raises `FontsMissingError` naming the fix."""
    return _serif_faces(font_dir())


@cache
def _serif_faces(directory: Path) -> tuple[FontFace, ...]:
    faces: list[FontFace] = []
    for (weight, style), name in SERIF_FILES.items():
        path = directory / name
        if not path.is_file():
            raise FontsMissingError(
                f"Không tìm thấy phông chữ {path} để tạo văn bản PDF. Cài gói Debian "
                f"'{DEBIAN_PACKAGE}' (make install, hoặc: apt-get install {DEBIAN_PACKAGE}), "
                "hoặc đặt DOCUMENT_FONT_DIR là thư mục chứa các tệp LiberationSerif-*.ttf bản 2.x."
            )
        _check_vietnamese(path)
        faces.append(FontFace(path, weight, style))
    return tuple(faces)


def _check_vietnamese(path: Path) -> None:
    try:
        with path.open("rb") as handle:  # our handle: TTFont leaks its own when the file is bad
            cmap = TTFont(handle, lazy=True).getBestCmap() or {}
    except (OSError, TTLibError) as error:
        raise FontsMissingError(f"Tệp phông chữ {path} không đọc được: {error}") from error
    missing = "".join(ch for ch in REQUIRED_TEXT if ord(ch) not in cmap)
    if missing:
        raise FontsMissingError(
            f"Phông chữ {path} thiếu các chữ tiếng Việt «{missing}» (có lẽ là Liberation 1.x). "
            f"Cài gói Debian '{DEBIAN_PACKAGE}' (Liberation 2.x)."
        )
