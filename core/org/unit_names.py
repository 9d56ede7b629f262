"""Unit names as people write them: matching keys, lists of names in one cell, and matching the
units a plan names to the catalogue (creating the missing ones on request).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.org.units import fold
from core.vnformat import nfc
from db.models import Unit

_ABBREVIATIONS = [
    ("uy ban nhan dan", "ubnd"),
    ("hoi dong nhan dan", "hdnd"),
    ("van phong", "vp"),
    ("thong tin va truyen thong", "tt&tt"),
    ("khoa hoc va cong nghe", "kh&cn"),
    ("ke hoach va dau tu", "kh&dt"),
    ("giao duc va dao tao", "gd&dt"),
    ("tai nguyen va moi truong", "tn&mt"),
    ("nong nghiep va phat trien nong thon", "nn&ptnt"),
    ("lao dong-thuong binh va xa hoi", "ld-tb&xh"),
    ("lao dong thuong binh va xa hoi", "ld-tb&xh"),
    ("van hoa, the thao va du lich", "vh,tt&dl"),
    ("van hoa the thao va du lich", "vh,tt&dl"),
    ("giao thong van tai", "gtvt"),
]

# Abbreviations written without the "&" ("Sở GDĐT", "Sở TTTT") mean the same as with it.
_BARE_ABBREVIATIONS = {k.replace("&", "").replace("-", "").replace(",", ""): k for _, k in _ABBREVIATIONS if "&" in k}


def name_key(text: str) -> str:
    """A matching key: folded, abbreviations unified, a leading "sở " dropped, punctuation trimmed."""
    k = fold(text).strip(" .;:-–")
    for long, short in _ABBREVIATIONS:
        k = k.replace(long, short)
    k = k.replace(" - ", "-").replace(" & ", "&")
    for long, short in _ABBREVIATIONS:  # again: "lao dong - thuong binh" only matches once the dash is joined
        k = k.replace(long, short)
    if k.startswith("so "):
        k = k[3:]
    words = k.split(" ")
    words = [_BARE_ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(words)


_LIST_PREFIX_RE = re.compile(r"^\s*[-–•+]?\s*các\s+(sở|đơn vị|cơ quan|phòng)(?:\s*,\s*ngành)?\s*:\s*(.+)$", re.I | re.S)


def split_unit_list(text: str) -> list[str]:
    """``"Sở Nội vụ; Sở Tài chính"`` → two names. Commas stay: "Sở, ban, ngành tỉnh" is one name,
    except after "Các Sở: Tư pháp, Nội vụ; …" where they separate names ("Sở Tư pháp", "Sở Nội vụ")."""
    parts: list[str] = []
    for line in nfc(text).replace("\r", "\n").split("\n"):
        m = _LIST_PREFIX_RE.match(line)
        if m:
            kind = m.group(1).lower()
            for piece in re.split(r"[,;]", m.group(2)):
                piece = piece.strip().rstrip(".").strip()
                if not piece:
                    continue
                if kind in ("sở", "phòng") and not fold(piece).startswith(fold(kind) + " "):
                    piece = f"{kind.capitalize()} {piece}"
                parts.append(piece)
            continue
        for piece in line.split(";"):
            piece = piece.strip().lstrip("-–•+ ").strip().rstrip(".")
            if piece:
                parts.append(piece)
    return parts


# --- matching plan cells to the catalogue ---------------------------------------------------------

# Names that stand for a group of units ("Các Sở, ban, ngành có liên quan", "UBND cấp huyện"),
# not one unit: they are kept as text, never matched to a unit or offered for creation.
_GROUP_RE = re.compile(
    r"^(?:cac|tat ca|moi|toan bo|nhung)\b|^theo\b|so, ban, nganh|so ban nganh|co lien quan|lien quan$"
    r"|\bcap (?:tinh|huyen|xa)\b|\bcac (?:co quan|don vi|so|phong|huyen|xa|dia phuong|to chuc)\b"
    r"|\bdia phuong\b|\bva cac\b"
)

_PAREN_RE = re.compile(r"\s*\([^()]*\)")
_TRAILING_PLACE_RE = re.compile(r"\s+tinh$")


def is_unit_group(name: str) -> bool:
    """True for a name that means several units ("Sở, ban, ngành tỉnh", "Các phòng chuyên môn")."""
    key = fold(name)
    return len(key) > 120 or bool(_GROUP_RE.search(key))


def _key_variants(text: str) -> list[str]:
    """Matching keys from strictest to loosest: as written, without "(pháp chế)", without a trailing "tỉnh"."""
    key = name_key(text)
    out = [key]
    for k in (_PAREN_RE.sub("", key).strip(), _TRAILING_PLACE_RE.sub("", key)):
        if k and k not in out:
            out.append(k)
    no_paren = _PAREN_RE.sub("", key).strip()
    both = _TRAILING_PLACE_RE.sub("", no_paren)
    if both and both not in out:
        out.append(both)
    return out


class UnitMatcher:
    """Matches unit names written in plan cells to the catalogue; built once, used for many cells."""

    def __init__(self, session: Session) -> None:
        self._exact: dict[str, Unit] = {}
        self._loose: dict[str, Unit] = {}
        for u in session.scalars(select(Unit).order_by(Unit.id)):
            self.add(u)

    def add(self, unit: Unit) -> None:
        variants = _key_variants(unit.name)
        self._exact.setdefault(variants[0], unit)
        self._exact.setdefault(fold(unit.code), unit)
        for k in variants[1:]:
            self._loose.setdefault(k, unit)

    def match_name(self, name: str) -> Unit | None:
        """One name ("Sở Tư pháp tỉnh", "VP UBND tỉnh") → a unit, or None; groups never match."""
        if not name or is_unit_group(name):
            return None
        variants = _key_variants(name)
        for k in variants:
            if k in self._exact:
                return self._exact[k]
        for k in variants:
            if k in self._loose:
                return self._loose[k]
        return None

    def match(self, text: str | None) -> list[Unit]:
        """All units named in a cell, in the order written, without repeats."""
        found: list[Unit] = []
        for part in split_unit_list(text or ""):
            unit = self.match_name(part)
            if unit is not None and unit not in found:
                found.append(unit)
        return found

    def unknown(self, text: str | None) -> list[str]:
        """Names in a cell that are single units but not in the catalogue."""
        return [p for p in split_unit_list(text or "") if not is_unit_group(p) and self.match_name(p) is None]


def guess_level(name: str, parent: Unit | None = None) -> str:
    """The level a new unit most likely has, from its name ("Sở …", "Phòng …", "UBND xã …")."""
    key = fold(name)
    key = key.replace("uy ban nhan dan", "ubnd")
    if key.startswith("so "):
        return "so"
    if key.startswith(("phong ", "van phong")):
        return "phong" if parent is not None and parent.level != "tinh" else "so"
    if re.match(r"^ubnd (?:huyen|quan|thi xa|thanh pho)\b", key):
        return "huyen"
    if re.match(r"^ubnd (?:xa|phuong|thi tran|dac khu)\b", key):
        return "xa"
    if key.startswith("ubnd tinh"):
        return "tinh"
    below = {"tinh": "so", "so": "phong", "huyen": "phong", "xa": "phong", "phong": "phong"}
    return below.get(parent.level if parent is not None else "", "so")


_RANK = {"tinh": 0, "so": 1, "huyen": 1, "phong": 2, "xa": 2}


def fits_under(name: str, parent: Unit | None) -> bool:
    """Whether a unit named ``name`` can be created under ``parent``: never a body of the parent's level or
    above ("Sở Tư pháp" under a commune); a "phòng" fits under anything below the province."""
    if parent is None:
        return True
    level = guess_level(name, parent)
    return level == "phong" or _RANK.get(level, 1) > _RANK.get(parent.level, 1)


def _initials(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(name))
    return "".join(w if w.isdigit() else w[0] for w in words).upper()[:12] or "DV"


def create_units(session: Session, names: list[str], parent: Unit | None) -> list[Unit]:
    """Add units named in a plan but missing from the catalogue, under ``parent``; audited."""
    taken = set(session.scalars(select(Unit.code)))
    created: list[Unit] = []
    for name in names:
        clean = " ".join(nfc(name).split())
        base = f"{parent.code}.{_initials(clean)}" if parent is not None else _initials(clean)
        code, n = base, 2
        while code in taken:
            code, n = f"{base}{n}", n + 1
        taken.add(code)
        unit = Unit(code=code, name=clean, level=guess_level(clean, parent), parent=parent)
        session.add(unit)
        session.flush()
        audit.record(session, "create", "unit", unit.id, new=f"{code} {clean}", reason="tạo khi nhập kế hoạch")
        created.append(unit)
    return created
