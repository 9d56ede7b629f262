"""Indicator values: parse what a user typed for an indicator's value type, and format it back.

Blank is "no data" and is kept apart from 0 everywhere. "Không phát sinh" (KPS) is a third
answer: nothing happened in the period. It is not blank (the unit answered) and not 0 (no
number goes into a sum). It is typed as ``Không phát sinh`` or ``KPS`` (any case) in the grid,
in value files and in the CLI, and stored as the text ``KPS_TEXT`` with no number, for every
value type, so it travels through the database, the return workbook and imports unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.errors import Refused
from core.vnformat import NumberParseError, format_number, parse_number

KPS_TEXT = "Không phát sinh"
_KPS_WORDS = {"không phát sinh", "kps"}

_YES = {"có", "co", "yes", "x", "đã thực hiện", "hoàn thành"}
_NO = {"không", "khong", "no", "chưa", "chưa thực hiện"}


class InvalidValueError(Refused):
    """A typed value that does not fit its indicator; message names the code, in Vietnamese."""


@dataclass(frozen=True)
class ParsedValue:
    number: float | None
    text: str | None

    @property
    def blank(self) -> bool:
        return self.number is None and self.text is None

    @property
    def kps(self) -> bool:
        return is_kps(self.number, self.text)


BLANK = ParsedValue(None, None)
KPS = ParsedValue(None, KPS_TEXT)


def is_kps_text(raw: object) -> bool:
    """``"Không phát sinh"``, ``"KPS"``, ``"không  phát sinh"`` (any case, NFC) mark "nothing happened"."""
    if not isinstance(raw, str):
        return False
    return " ".join(raw.split()).casefold() in _KPS_WORDS


def is_kps(number: float | None, text: str | None) -> bool:
    """A stored value that says "Không phát sinh"."""
    return number is None and text == KPS_TEXT


def choice_labels(choices: list[dict] | None) -> str:
    """``"Chưa = 0 / Đang làm = 1 / Hoàn thành = 2"``."""
    return " / ".join(f"{c['label']} = {c['code']}" for c in (choices or []))


def parse_value(code: str, value_type: str | None, choices: list[dict] | None, raw: object) -> ParsedValue:
    """Turn raw input (text typed the Vietnamese way, or an Excel cell) into a stored value.

    Range checks that belong to the form (percent 0–100) are validation, not parsing,
    so an out-of-range number is stored and then reported, never silently dropped.
    """
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return BLANK
    if is_kps_text(raw):
        return KPS
    if value_type == "text":
        return ParsedValue(None, str(raw).strip())
    if value_type in ("choice", "yesno"):
        return ParsedValue(_parse_choice(code, value_type, choices or [], raw), None)
    try:
        num = parse_number(raw if not isinstance(raw, str) else raw.strip())
    except NumberParseError as exc:
        raise InvalidValueError(f"Chỉ tiêu {code}: {exc}") from None
    if num is None:
        return BLANK
    if value_type == "integer" and num != num.to_integral_value():
        raise InvalidValueError(f"Chỉ tiêu {code}: phải là số nguyên, không nhận “{raw}”.")
    if value_type == "integer" and num < 0:
        raise InvalidValueError(f"Chỉ tiêu {code}: số lượng không được âm (“{raw}”).")
    return ParsedValue(float(num), None)


def _parse_choice(code: str, value_type: str, choices: list[dict], raw: object) -> float:
    allowed = {int(c["code"]) for c in choices}
    label_to_code = {c["label"].lower(): int(c["code"]) for c in choices}
    if isinstance(raw, bool):
        n = int(raw)
    elif isinstance(raw, (int, float, Decimal)):
        n = int(raw) if float(raw).is_integer() else -1
    else:
        s = str(raw).strip().lower()
        if s in label_to_code:
            n = label_to_code[s]
        elif value_type == "yesno" and s in _YES:
            n = 1
        elif value_type == "yesno" and s in _NO:
            n = 0
        else:
            try:
                num = parse_number(s)
            except NumberParseError:
                num = None
            n = int(num) if num is not None and num == num.to_integral_value() else -1
    if n not in allowed:
        raise InvalidValueError(
            f"Chỉ tiêu {code}: “{raw}” không thuộc danh sách mã trả lời ({choice_labels(choices)})."
        )
    return float(n)


def format_value(value_type: str | None, number: float | None, text: str | None, choices: list[dict] | None = None,
                 with_label: bool = False) -> str:
    """Display text for a stored value: ``4.156``, ``72,8``, ``2`` (or ``2 – Hoàn thành``),
    ``Không phát sinh``; blank → ``""``."""
    if is_kps(number, text):
        return KPS_TEXT
    if value_type == "text":
        return text or ""
    if number is None:
        return ""
    if value_type in ("choice", "yesno"):
        code = int(number)
        if with_label:
            label = next((c["label"] for c in choices or [] if int(c["code"]) == code), "")
            return f"{code} – {label}" if label else str(code)
        return str(code)
    return format_number(number)


# --------------------------------------------------------------------------- footnote marks
#
# The official appendix marks some values with a footnote: "94(28)", "30 (32)", "516⁽³¹⁾", the
# footnote's text printed below the table. A value keeps only its number; the footnote travels in the
# value's note as "(28) Sở Thông tin và Truyền thông: 16 VB; …" (after any other note, joined by "; "),
# which is what a hand-made appendix imports to and what the exports print as a numbered note.

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MARK_TAIL_RE = re.compile(r"^(?P<value>.*?\d)\s*(?:<sup>)?\s*\(\s*(?P<mark>\d{1,3})\s*\)\s*(?:</sup>)?\s*$")
_SUPER_TAIL_RE = re.compile(r"^(?P<value>.*?\d)\s*(?P<mark>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")
_SUPER_PAREN_RE = re.compile(r"^(?P<value>.*?\d)\s*⁽(?P<mark>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾$")
_NOTE_FOOTNOTE_RE = re.compile(r"(?:^|;\s*)\((?P<mark>\d{1,3})\)(?:\s+(?P<text>.*))?$", re.S)


def split_footnote_mark(raw: object) -> tuple[object, str | None]:
    """A typed value and its footnote mark: "94(28)" → ("94", "28"); "30 (32)" → ("30", "32");
    "516⁽³¹⁾" → ("516", "31"); anything without a mark (or a number) comes back as it was."""
    if not isinstance(raw, str):
        return raw, None
    text = " ".join(raw.split())  # NFC already: normalised where it came in
    for pattern in (_SUPER_PAREN_RE, _SUPER_TAIL_RE, _MARK_TAIL_RE):
        m = pattern.match(text)
        if m:
            return m.group("value").strip(), m.group("mark").translate(_SUPERSCRIPTS).lstrip("0") or "0"
    return raw, None


def note_with_footnote(note: str | None, mark: str, footnote: str | None) -> str:
    """The stored note of a value with a footnote: "<note>; (28) <footnote text>"."""
    tail = f"({mark}) {footnote.strip()}" if footnote and footnote.strip() else f"({mark})"
    head = (note or "").strip()
    return f"{head}; {tail}" if head else tail


def split_footnote(note: str | None) -> tuple[str, str | None, str]:
    """A stored note as (the note proper, the footnote mark or None, the footnote text)."""
    text = (note or "").strip()
    m = _NOTE_FOOTNOTE_RE.search(text)
    if m is None:
        return text, None, ""
    return text[:m.start()].strip(), m.group("mark"), (m.group("text") or "").strip()
