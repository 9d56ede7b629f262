"""Points (điểm) as integer hundredths: "1,5" → 150. Scores are added and compared exactly, never as floats,
and printed the Vietnamese way ("1,5", "12", "-0,25")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from core.errors import Refused
from core.vnformat import format_number, nfc

__all__ = ["PointsError", "format_points", "parse_points"]


class PointsError(Refused):
    """Points that cannot be read."""


_POINTS_RE = re.compile(r"^([+-]?)\s*(\d{1,4}(?:[.,]\d{1,4})?)\s*(?:điểm|đ)?\.?$", re.I)


def parse_points(text: object, what: str = "Số điểm") -> int | None:
    """``"1,5"``, ``"1.5"``, ``"12 điểm"``, ``"-1,5"``, ``2``, ``0.75`` → hundredths; blank → None.

    A point has at most two decimals (0,25; 0,75); more is refused rather than rounded away."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise PointsError(f"{what} “{text}” không phải là số.")
    if isinstance(text, (int, float, Decimal)):
        raw = str(text)
        sign = "-" if raw.startswith("-") else ""
        body = raw.lstrip("+-")
    else:
        s = nfc(str(text)).strip()
        if not s:
            return None
        m = _POINTS_RE.match(s)
        if not m:
            raise PointsError(f"{what} “{s}” không phải là số (viết như 2; 1,5; 0,25).")
        sign, body = m.group(1), m.group(2).replace(",", ".")
    try:
        value = Decimal(body)
    except InvalidOperation:
        raise PointsError(f"{what} “{text}” không phải là số.") from None
    centi = value * 100
    if centi != centi.to_integral_value():
        raise PointsError(f"{what} “{text}” có quá hai chữ số thập phân.")
    return int(centi) * (-1 if sign == "-" else 1)


def format_points(centi: int | None, blank: str = "") -> str:
    """150 → "1,5"; 1200 → "12"; None → ``blank``."""
    if centi is None:
        return blank
    text = format_number(Decimal(centi) / 100, 2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def to_decimal(centi: int | None) -> Decimal | None:
    return None if centi is None else Decimal(centi) / 100
