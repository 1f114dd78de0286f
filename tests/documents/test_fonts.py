from __future__ import annotations

from pathlib import Path

import pytest
from fontTools import subset  # type: ignore[import-untyped]

from thidua.documents.fonts import DEBIAN_DIR, SERIF_FILES, FontsMissingError, serif_faces


def test_it_finds_the_four_faces_of_liberation_serif_2_in_debians_directory():
    faces = serif_faces()

    assert [(f.weight, f.style, f.path.name) for f in faces] == [
        ("normal", "normal", "LiberationSerif-Regular.ttf"),
        ("bold", "normal", "LiberationSerif-Bold.ttf"),
        ("normal", "italic", "LiberationSerif-Italic.ttf"),
        ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
    ]
    assert all(face.path.parent == DEBIAN_DIR for face in faces)
    assert faces[0].uri == "file:///usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def test_it_names_the_package_to_install_when_the_files_are_missing(settings, tmp_path):
    settings.DOCUMENT_FONT_DIR = str(tmp_path)

    with pytest.raises(FontsMissingError, match="fonts-liberation2") as raised:
        serif_faces()

    assert str(tmp_path / "LiberationSerif-Regular.ttf") in str(raised.value)


def test_it_refuses_a_liberation_serif_without_vietnamese_letters(settings, tmp_path):
    for name in SERIF_FILES.values():  # Latin-only copies, as Liberation 1.x is
        options = subset.Options()
        font = subset.load_font(str(DEBIAN_DIR / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        subsetter.subset(font)
        subset.save_font(font, str(tmp_path / name), options)
        font.close()
    settings.DOCUMENT_FONT_DIR = str(tmp_path)

    with pytest.raises(FontsMissingError, match="thiếu các chữ tiếng Việt «Đđ"):
        serif_faces()


def test_it_refuses_a_file_that_is_not_a_font(settings, tmp_path):
    for name in SERIF_FILES.values():
        Path(tmp_path / name).write_bytes(b"not a font")
    settings.DOCUMENT_FONT_DIR = str(tmp_path)

    with pytest.raises(FontsMissingError, match="không đọc được"):
        serif_faces()
