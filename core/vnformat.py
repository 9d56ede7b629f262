"""Vietnamese number, percentage and date formatting (decimal comma, thousands dot).

The only place that turns numbers and dates into text for people, and back.

Rates follow ONE rounding rule, passed as a plain string: ``"half_up"`` (the default: 25/35 →
71,43%, 11/38 → 28,95%) or ``"truncate"`` (a unit may choose to cut after two decimals: 71,42%,
28,94%, as some reports, e.g. seed 004, print). ``core.org.settings.rounding_rule`` says which one a unit
uses; every rate formatter here takes it as ``rule``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from core.errors import Refused

__all__ = [
    "HALF_UP",
    "TRUNCATE",
    "ROUNDING_RULES",
    "nfc",
    "format_number",
    "format_percent",
    "format_rate",
    "format_ratio_sentence",
    "round_rate",
    "format_fraction",
    "achievement_rate",
    "format_date",
    "format_date_long",
    "parse_number",
    "NumberParseError",
    "to_roman",
    "from_roman",
]


def nfc(text: str | None) -> str:
    """Return ``text`` in Unicode NFC; ``None`` becomes ``""``."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text))


HALF_UP = "half_up"
TRUNCATE = "truncate"
# The rules a unit can choose, with how they read in Vietnamese.
ROUNDING_RULES: dict[str, str] = {
    HALF_UP: "Làm tròn đến 2 chữ số thập phân (25/35 → 71,43%)",
    TRUNCATE: "Cắt bỏ sau 2 chữ số thập phân (25/35 → 71,42%)",
}
_DECIMAL_ROUNDING = {HALF_UP: ROUND_HALF_UP, TRUNCATE: ROUND_DOWN}


def _decimal_rounding(rule: str) -> str:
    try:
        return _DECIMAL_ROUNDING[rule]
    except KeyError:
        raise ValueError(f"unknown rounding rule {rule!r}; use {HALF_UP!r} or {TRUNCATE!r}") from None


def _group_thousands(digits: str) -> str:
    out = []
    for i, ch in enumerate(reversed(digits)):
        if i and i % 3 == 0:
            out.append(".")
        out.append(ch)
    return "".join(reversed(out))


def format_number(
    value: float | int | Decimal | None, decimals: int | None = None, rule: str = HALF_UP
) -> str:
    """``4156`` -> ``"4.156"``; ``72.8`` -> ``"72,8"``; ``None`` -> ``""``.

    With ``decimals=None`` trailing zeros are dropped (as the seed report prints
    "72,8" and "100"); otherwise exactly ``decimals`` places are shown, rounded by ``rule``.
    """
    if value is None:
        return ""
    d = Decimal(str(value))
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=_decimal_rounding(rule))
        text = f"{d:f}"
    else:
        text = f"{d.normalize():f}" if d != d.to_integral() else f"{d.to_integral():f}"
    neg = text.startswith("-")
    text = text.lstrip("-")
    int_part, _, frac = text.partition(".")
    result = _group_thousands(int_part) + ("," + frac if frac else "")
    return ("-" if neg and d != 0 else "") + result


def format_percent(
    value: float | Decimal | None, decimals: int = 2, strip: bool = True, rule: str = HALF_UP
) -> str:
    """``28.9473`` -> ``"28,95%"`` (``rule="truncate"``: ``"28,94%"``). With ``strip``, ``50.00``
    prints as ``"50%"`` the way the seed report writes whole percentages."""
    if value is None:
        return ""
    text = format_number(value, decimals, rule)
    if strip and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + "%"


def round_rate(value: float | Decimal, rule: str = HALF_UP, places: int = 2) -> Decimal:
    """A rate as stored or printed: ``71.428571…`` -> ``Decimal("71.43")`` (``truncate``: ``71.42``)."""
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-places), rounding=_decimal_rounding(rule))


def format_rate(done: float | int, total: float | int, rule: str = HALF_UP) -> str:
    """``25, 35`` -> ``"71,43%"``: ``done/total`` as a percentage; ``"0%"`` when there is no total."""
    return format_percent(achievement_rate(done, total), rule=rule)


def format_ratio_sentence(done: int, total: int, pad: bool = False, rule: str = HALF_UP) -> str:
    """``15, 17`` -> ``"15/17 (đạt 88,24%)"``; ``pad`` gives ``"07/14"`` as in the seed; thousands are
    grouped as everywhere else (``"1.000/1.234"``); the rate is rounded by ``rule``."""
    return f"{format_fraction(done, total, pad=pad)} (đạt {format_rate(done, total, rule)})"


def format_fraction(done: int, total: int, pad: bool = False) -> str:
    """``1, 1234`` -> ``"1/1.234"``; with ``pad`` a count under ten takes a leading zero (``"01/1.234"``),
    as the seed report writes "07/14". Both numbers use ``format_number``, as the appendix does."""
    d = f"{done:02d}" if pad and 0 <= done < 10 else format_number(done)
    return f"{d}/{format_number(total)}"


def achievement_rate(done: float | int, total: float | int) -> Decimal:
    """Percentage ``done/total*100`` (exact, not rounded); 0 when there is no total."""
    return (Decimal(str(done)) * 100 / Decimal(str(total))) if total else Decimal(0)


def format_date(value: date | None) -> str:
    """``dd/mm/yyyy``; ``None`` -> ``""``."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """``dd/mm/yyyy HH:MM`` (a wall-clock time, as given); ``None`` -> ``""``."""
    return f"{format_date(value.date())} {value:%H:%M}" if value else ""


def utc_to_local(utc: datetime | None) -> datetime | None:
    """A UTC time from the database (naive, or aware) as this PC's wall clock (naive)."""
    if utc is None:
        return None
    aware = utc.replace(tzinfo=UTC) if utc.tzinfo is None else utc
    return aware.astimezone().replace(tzinfo=None)


def format_date_long(value: date, place: str | None = None) -> str:
    """The Decree-30 date line: ``"Gia Lai, ngày 05 tháng 01 năm 2022"``, ``"ngày 15 tháng 6 năm 2021"``.

    Decree 30/2020/NĐ-CP (Phụ lục I): days under 10 and the months 1 and 2 take a leading zero,
    other months do not ("tháng 6", "tháng 12").
    """
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    text = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {text}" if place else text


class NumberParseError(Refused):
    """A text that is not a number in Vietnamese notation; message is Vietnamese."""


_NUMBER_RE = re.compile(r"^[+-]?[0-9.,]+$")


def parse_number(text: str | int | float | Decimal | None) -> Decimal | None:
    """Parse a number typed the Vietnamese way: ``"3.133"`` -> 3133, ``"72,8"`` -> 72.8.

    Blank -> ``None`` (no data, which is not 0). A single dot followed by exactly
    three digits is a thousands separator; a comma is the decimal mark. Numbers
    from Excel cells (int/float) pass through unchanged.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberParseError("Giá trị không phải là số.")
    if isinstance(text, (int, Decimal)):
        return _bounded(Decimal(text), text)
    if isinstance(text, float):
        return _bounded(Decimal(repr(text)), text)
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    if s == "":
        return None
    if not _NUMBER_RE.match(s):
        raise NumberParseError(f"“{_shown(text)}” không phải là số.")
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:]
    if "," in s:
        int_part, _, frac = s.rpartition(",")
        if "," in int_part or "." in frac:
            raise NumberParseError(f"“{_shown(text)}” không phải là số viết đúng cách (ví dụ 3.133 hoặc 72,8).")
        int_digits = _strip_thousands(int_part, text)
        s = f"{int_digits}.{frac}"
    else:
        s = _strip_thousands(s, text)
    try:
        return _bounded(Decimal(sign + s), text)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise NumberParseError(f"“{_shown(text)}” không phải là số.") from exc


def _shown(text: object) -> str:
    """The input as quoted in a message: a 200 KB cell is not printed whole."""
    if isinstance(text, int) and text.bit_length() > 160:
        return "(số có hơn 48 chữ số)"  # str() refuses ints past 4,300 digits
    shown = str(text).strip()
    return shown if len(shown) <= 40 else shown[:36] + "…"


# A stored number is a float: past 15 digits it is no longer exact, and a 400-digit "number" is an error.
MAX_MAGNITUDE = Decimal(10) ** 15


def _bounded(number: Decimal, original: object) -> Decimal:
    if number.is_finite() and abs(number) < MAX_MAGNITUDE:
        return number
    raise NumberParseError(f"“{_shown(original)}” không phải là số hợp lệ: quá lớn (số liệu có tối đa 15 chữ số).")


def _strip_thousands(part: str, original: object) -> str:
    if "." not in part:
        if part == "":
            raise NumberParseError(f"“{_shown(original)}” không phải là số.")
        return part
    groups = part.split(".")
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        raise NumberParseError(
            f"“{_shown(original)}” không phải là số viết đúng cách: dấu chấm là dấu phân cách hàng nghìn, "
            "dấu phẩy là dấu thập phân (ví dụ 3.133 hoặc 72,8)."
        )
    return "".join(groups)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    """``4`` -> ``"IV"``."""
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int | None:
    """``"IV"`` -> 4; not a Roman numeral -> ``None``."""
    s = text.strip().upper()
    if not s or not re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", s):
        return None
    total, prev = 0, 0
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    for ch in reversed(s):
        v = values[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


_DATE_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def date_problem(text: str) -> tuple[date | None, str | None]:
    """A typed ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``-`` or ``.``) → (date, None), or (None, what is wrong):
    a day that does not exist is named as such ("tháng 2 năm 2021 không có ngày 31"), not as a bad format."""
    m = _DATE_TEXT.match(text or "")
    if not m:
        return None, "không phải là ngày dạng dd/mm/yyyy"
    day, month, year = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return None, f"không có tháng {month}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return None, f"tháng {month} năm {year} không có ngày {day} (tháng này có {last} ngày)"
    return date(year, month, day), None


_SHORT_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")


def dates_in_full(text: str) -> str:
    """Every d/m/yyyy in ``text`` written dd/mm/yyyy, so that one line of a screen does not write dates two ways
    ("Từ ngày 15/6/2021 … hạn 20/09/2021"); the printed report keeps the seed's own phrase."""
    return _SHORT_DATE.sub(lambda m: f"{int(m[1]):02d}/{int(m[2]):02d}/{m[3]}", text)
