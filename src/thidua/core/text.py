"""Vietnamese text keys: a sort key that orders names as a Vietnamese reader expects, and a
search key that lets "nang" find "Nẵng".

Both keys are plain lowercase ASCII ([0-9a-z] and spaces), computed in Python and stored beside
the name, so that ordering and searching behave identically on SQLite and PostgreSQL
whatever the database collation.

Order: the letters compare first, word by word (a < ă < â < b < c < d < đ < e < ê < … < o <
ô < ơ < … < u < ư …), case ignored; only when all letters are equal do the tones decide,
in dictionary order: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
"""

from __future__ import annotations

import re
import unicodedata

_ALPHABET = [
    *"0123456789",
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
# Two base-36 characters a letter; "01" separates words so that "An Giang" < "Anh".
_WORD_BREAK = "01"
_LETTER_TOKEN = {ch: _DIGITS36[(i + 10) // 36] + _DIGITS36[(i + 10) % 36] for i, ch in enumerate(_ALPHABET)}

_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_SHAPE = {  # (base letter, combining vowel mark) -> Vietnamese letter
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def _letters_and_tones(text: str) -> list[tuple[str, str]]:
    """Split text into (Vietnamese letter, tone digit) pairs; other characters become ' '."""
    out: list[tuple[str, str]] = []
    text = text.lower().replace("\u00f0", "đ")  # Ð/ð (eth) is a common mistyping of Đ
    for cluster in _clusters(unicodedata.normalize("NFD", text)):
        base, marks = cluster[0], cluster[1:]
        tone = "0"
        letter = base
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif (letter, mark) in _SHAPE:
                letter = _SHAPE[(letter, mark)]
        if letter in _LETTER_TOKEN:
            out.append((letter, tone))
        elif unicodedata.category(base)[0] in "LN":
            # A letter outside the Vietnamese alphabet: fold it to ASCII if it can be.
            ascii_form = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
            out.extend((ch, tone) for ch in ascii_form.lower() if ch in _LETTER_TOKEN)
        else:
            out.append((" ", "0"))
    return out


def _clusters(decomposed: str) -> list[str]:
    clusters: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def sort_key(text: str) -> str:
    """The key by which ``text`` sorts in Vietnamese order (ASCII, comparable byte-wise)."""
    pairs = _letters_and_tones(text)
    primary: list[str] = []
    tones: list[str] = []
    pending_break = False
    for letter, tone in pairs:
        if letter == " ":
            pending_break = bool(primary)
            continue
        if pending_break:
            primary.append(_WORD_BREAK)
            pending_break = False
        primary.append(_LETTER_TOKEN[letter])
        tones.append(tone)
    # "00" ends the letters: lower than any letter token, so "An" sorts before "Anh".
    return "".join(primary) + "00" + "".join(tones)


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Lowercase ASCII without diacritics, words separated by one space: "Đà Nẵng" -> "da nang"."""
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("\u00f0", "d"))
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", stripped).strip()
