"""One-time vote codes (mã bỏ phiếu) and receipts (mã xác nhận).

A code is 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V), written in
four groups of four ("K7QM-3XHT-PW9C-ZR4D"): about 78 bits of entropy, easy to type on a
phone, and printed with a QR code. Only the SHA-256 of the normalised code is stored; with
that much entropy an unsalted hash cannot be reversed by trying codes.
"""

from __future__ import annotations

import hashlib
import io
import secrets

import qrcode
import qrcode.image.svg

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
GROUPS = 4
GROUP_SIZE = 4
RECEIPT_GROUPS = 3
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS))


def new_receipt() -> str:
    """A random receipt the voter keeps to find their ballot in the published list."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(RECEIPT_GROUPS))


def normalise(code: str) -> str:
    """Upper case, without spaces and dashes: what the voter typed, however they typed it."""
    return "".join(ch for ch in code.upper().translate(_FOLD) if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", errors="ignore")).hexdigest()


def looks_like_code(code: str) -> bool:
    plain = normalise(code)
    return len(plain) == GROUPS * GROUP_SIZE and all(ch in ALPHABET for ch in plain)


def qr_svg(text: str) -> str:
    """An SVG QR code as markup (paths only: no inline style attributes)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]
