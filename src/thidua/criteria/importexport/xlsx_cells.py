"""Reading one XLSX cell as its reference-format value: numbers ("0,5" or 0.5), identifiers,
choices (with their Vietnamese aliases), yes/no, levels, tiers, lists and the JSON column
"extra"; ``CellError`` says in Vietnamese why a cell cannot be read."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from thidua.core.text import search_key
from thidua.criteria.importexport.xlsx_layout import ALIASES, CHOICES, FALSE_WORDS, TRUE_WORDS, Column


class CellError(Exception):
    """A cell that cannot be read; the message says why, in Vietnamese."""


_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?")


def read_number(value: Any) -> Decimal:
    """A cell as a number: Excel numbers, or text like "2", "0,5", "0.5"."""
    if isinstance(value, bool):
        raise CellError(_("cần một số, không phải giá trị đúng/sai."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip()
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(text):
        return Decimal(text.replace(",", "."))
    if not isinstance(value, str):
        raise CellError(_("“%(v)s” là ngày tháng, không phải là số.") % {"v": value})
    raise CellError(_("“%(v)s” không phải là số.") % {"v": text})


def _number_text(value: Any) -> str:
    """A cell as an identifier: numbers typed as such (1, 1.5) read as "1", "1.5"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _pairs(text: str, separator: str, what: str) -> list[tuple[str, str]]:
    pairs = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        name, sep, number = part.rpartition(separator)
        if not sep or not name.strip():
            raise CellError(_("“%(p)s” không đúng dạng %(what)s.") % {"p": part.strip(), "what": what})
        pairs.append((name.strip(), number.strip()))
    return pairs


def read_cell(column: Column, value: Any) -> Any:
    """A non-empty cell as its reference-format value; raises ``CellError``."""
    if column.kind == "number":
        return read_number(value)
    if column.kind == "text":
        return value if isinstance(value, str) else _number_text(value)
    if column.kind == "ident":
        return _number_text(value)
    if column.kind == "choice":
        text = _number_text(value)
        key = search_key(text)
        for choice in CHOICES[column.key]:
            if key == search_key(choice):
                return choice
        return ALIASES[column.key].get(key, text)  # an unknown value is refused by the engine, named
    if column.kind == "bool":
        if isinstance(value, bool):
            return value
        word = search_key(_number_text(value))
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise CellError(_("“%(v)s” không phải là có/không.") % {"v": value})
    if column.kind == "levels":
        pairs = _pairs(str(value), "=", _("“Tên mức=điểm; …”"))
        return {name: _pair_number(number, name) for name, number in pairs}
    if column.kind == "tiers":
        pairs = _pairs(str(value), ":", _("“ngưỡng:điểm; …”"))
        return [[_pair_number(threshold, threshold), _pair_number(points, threshold)] for threshold, points in pairs]
    if column.kind == "list":
        return [part.strip() for part in re.split(r"[;\n]", str(value)) if part.strip()]
    return _read_extra(value)


def _pair_number(text: str, where: str) -> Decimal:
    try:
        return read_number(text)
    except CellError as exc:
        raise CellError(f"{where}: {exc}") from exc


def _read_extra(value: Any) -> dict[str, Any]:
    try:
        data = json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise CellError(_("không phải JSON hợp lệ (%(e)s).") % {"e": exc.msg}) from exc
    if not isinstance(data, dict):
        raise CellError(_('cần một đối tượng JSON {"khóa": giá trị}.'))
    return data
