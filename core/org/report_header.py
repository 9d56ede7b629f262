"""What the printed report says about who sends it: header, number, place, signer, recipients.

``ReportHeaderInfo`` is what the exports take. ``header_info_from_settings`` reads it
from the unit's ``UnitSetting`` rows (keys ``report.*``) and fills what is not set
with Vietnamese defaults derived from the unit tree. The settings screen (another
module) writes the same keys; when it lands, this reader is the one place to point
at it.

Defaults (a key that is absent; a key set to "" stays blank):

- issuing body: the unit's name, "UBND" written out ("ỦY BAN NHÂN DÂN TỈNH MINH HỌA");
- superior body: the parent unit's name ("UBND TỈNH MINH HỌA" over "SỞ NỘI VỤ");
- number: blank to fill in after registration, with the usual symbol ("     /BC-UBND");
- place: the province's name (the commune's for a commune), as Decree 30 asks;
- signer: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" for a People's Committee, "GIÁM ĐỐC"
  for a department, "TRƯỞNG PHÒNG" for a section; the name is left to the user;
- recipients: the parent unit, or "Bộ Nội vụ" at the top;
- distribution: "Như trên;" and "Lưu: VT.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from core.org.settings import report_header_for
from db.models import Unit

__all__ = ["ReportHeaderInfo", "header_info_from_settings", "full_unit_name", "BLANK_NUMBER"]

BLANK_NUMBER = "\u00a0" * 6  # "Số:       /BC-UBND": the number is written in on registration

@dataclass(frozen=True)
class ReportHeaderInfo:
    issuing_body: str  # "ỦY BAN NHÂN DÂN TỈNH MINH HỌA" (printed upper case, bold)
    superior_body: str = ""  # "" at the top of the tree
    document_number: str = f"{BLANK_NUMBER}/BC-UBND"  # printed after "Số: "
    place: str = ""  # "Gia Lai" → "Gia Lai, ngày … tháng … năm …"
    signer_name: str = ""
    authority_line: str = ""  # "TM. ỦY BAN NHÂN DÂN" (TM./KT./Q./TL./TUQ. line; may be "")
    acting_line: str = ""  # "KT. CHỦ TỊCH" (may be "")
    position: str = ""  # "PHÓ CHỦ TỊCH"
    recipients: list[str] = field(default_factory=list)  # "Kính gửi: …"
    distribution: list[str] = field(default_factory=list)  # "Nơi nhận: …"
    issue_date: date | None = None  # None: "ngày … tháng … năm 2022" left to fill in by hand

    @property
    def number_symbol(self) -> str:
        """The symbol after the slash: "BC-UBND"."""
        return self.document_number.rpartition("/")[2].strip()


# --------------------------------------------------------------------------- defaults

_UBND_RE = re.compile(r"^\s*(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)
_PLACE_PREFIXES = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "thị trấn", "xã", "phường", "đặc khu")


def _is_peoples_committee(name: str) -> bool:
    return bool(_UBND_RE.match(name))


def full_unit_name(name: str) -> str:
    """"UBND tỉnh Minh Họa" → "Ủy ban nhân dân tỉnh Minh Họa" (Decree 30 writes the name in full)."""
    return _UBND_RE.sub("Ủy ban nhân dân ", name.strip(), count=1)


def _place_of(name: str) -> str:
    """"UBND tỉnh Minh Họa" → "Minh Họa"; "UBND xã An Lạc" → "An Lạc"."""
    text = _UBND_RE.sub("", name.strip(), count=1)
    low = text.lower()
    for prefix in _PLACE_PREFIXES:
        if low.startswith(prefix + " "):
            return text[len(prefix) + 1:].strip()
    return text


def _abbreviation(unit: Unit) -> str:
    """The unit's symbol in a document number: "UBND", "SNV", "SGDĐT"."""
    if _is_peoples_committee(unit.name):
        return "UBND"
    words = [w for w in re.split(r"[\s,;/-]+", unit.name) if w and w.lower() not in ("và", "của")]
    return "".join(w[0].upper() for w in words) or "UBND"


def _default_position(unit: Unit) -> tuple[str, str, str]:
    """(authority_line, acting_line, position)."""
    name = unit.name.lower()
    if _is_peoples_committee(unit.name):
        return "TM. ỦY BAN NHÂN DÂN", "", "CHỦ TỊCH"
    if name.startswith("văn phòng"):
        return "", "", "CHÁNH VĂN PHÒNG"
    if name.startswith("ban "):
        return "", "", "TRƯỞNG BAN"
    if unit.level == "phong" or name.startswith("phòng"):
        return "", "", "TRƯỞNG PHÒNG"
    return "", "", "GIÁM ĐỐC"


def _root(unit: Unit) -> Unit:
    seen = set()
    while unit.parent is not None and unit.id not in seen:
        seen.add(unit.id)
        unit = unit.parent
    return unit


def _default_place(unit: Unit) -> str:
    if unit.level in ("xa", "huyen"):
        return _place_of(unit.name)
    return _place_of(_root(unit).name)


def header_info_from_settings(session: Session, unit: Unit) -> ReportHeaderInfo:
    """The unit's report header from its settings (core.org.settings), with defaults for what is not set."""
    h = report_header_for(session, unit)
    authority, acting, position = _default_position(unit)
    if h.title_prefix or h.collective_body or h.head_title:
        authority, acting, _, _ = h.signature_lines()
    parent = unit.parent
    return ReportHeaderInfo(
        issuing_body=(h.issuing_body or "").strip() or full_unit_name(unit.name).upper(),
        superior_body=(h.superior_body or "").strip() or (parent.name.upper() if parent is not None else ""),
        # Leading spaces of a number are the blank left for the registry ("   /BC-UBND").
        document_number=(h.document_number or "").rstrip() or f"{BLANK_NUMBER}/BC-{_abbreviation(unit)}",
        place=(h.place or "").strip() or _default_place(unit),
        signer_name=(h.signer_name or "").strip(),
        authority_line=authority,
        acting_line=acting,
        position=(h.position or "").strip().upper() or position,
        recipients=list(h.recipients) or ([full_unit_name(parent.name)] if parent is not None else ["Bộ Nội vụ"]),
        distribution=list(h.distribution) or ["Như trên;", "Lưu: VT."],
        issue_date=_parse_date(h.issue_date),
    )


def _parse_date(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date() if value else None
    except ValueError:
        return None
