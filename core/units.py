"""The unit tree (Đơn vị): import from a code,name,level,parent_code file, and listing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.safe_files import UNITS_LIMITS, read_table
from core.vnformat import nfc
from db.models import Return, Unit, UnitPredecessor

LEVEL_LABELS = {
    "tinh": "Tỉnh",
    "so": "Sở, ban, ngành",
    "huyen": "Huyện",
    "xa": "Xã, phường, đặc khu",
    "phong": "Phòng",
}


@lru_cache(maxsize=8192)  # the same unit names come back on every row of a plan
def fold(text: str) -> str:
    """Lower-case, no diacritics, single spaces: for matching names typed many ways."""
    t = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Mn")
    return " ".join(t.lower().split())


_LEVEL_WORDS = {
    "tinh": "tinh", "thanh pho truc thuoc trung uong": "tinh",
    "huyen": "huyen", "quan": "huyen", "thi xa": "huyen", "cap huyen": "huyen",
    "xa": "xa", "phuong": "xa", "dac khu": "xa", "thi tran": "xa", "xa/phuong/dac khu": "xa",
    "xa, phuong, dac khu": "xa", "cap xa": "xa",
    "so": "so", "ban": "so", "nganh": "so", "so/ban/nganh": "so", "so, ban, nganh": "so",
    "phong": "phong", "phong ban": "phong",
}


def normalize_level(text: str) -> str | None:
    """``"xã/phường/đặc khu"`` → ``"xa"``; unknown → None."""
    return _LEVEL_WORDS.get(fold(str(text or "")))


class UnitImportError(Refused, ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Không nhập danh mục đơn vị vì tệp có lỗi:\n" + "\n".join(f"- {p}" for p in problems))


@dataclass
class UnitImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


_HEADERS = {
    "code": {"code", "ma", "ma don vi"},
    "name": {"name", "ten", "ten don vi"},
    "level": {"level", "cap", "loai", "cap don vi"},
    "parent_code": {"parent_code", "parent", "ma don vi cha", "ma cha", "don vi cha"},
    "valid_from": {"valid_from", "hieu luc tu", "tu ngay"},
    "valid_to": {"valid_to", "hieu luc den", "den ngay"},
    # A unit formed by merging others (communes since 1/7/2025): their codes, separated by ";" or "|".
    "predecessors": {"predecessors", "predecessor_codes", "sap nhap tu", "don vi tien than", "tien than",
                     "ma don vi cu", "don vi cu"},
}
_CODE_LIST_RE = re.compile(r"[;|,\s]+")


def _parse_date(value: object, row_no: int, problems: list[str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    problems.append(f"dòng {row_no}: ngày “{value}” không hợp lệ (dùng dd/mm/yyyy)")
    return None


def read_unit_file(path: Path) -> list[dict]:
    rows = read_table(Path(path), UNITS_LIMITS)
    if not rows:
        raise UnitImportError(["tệp không có dòng nào"])
    header = [fold(str(c or "")) for c in rows[0]]
    cols: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                cols[key] = i
                break
    missing = [k for k in ("code", "name", "level") if k not in cols]
    if missing:
        raise UnitImportError(
            [f"thiếu cột {', '.join(missing)}; dòng đầu phải có các cột code,name,level,parent_code"]
        )
    records, problems = [], []
    for n, row in enumerate(rows[1:], start=2):
        def cell(k: str, row: list = row) -> object:
            return row[cols[k]] if k in cols and cols[k] < len(row) else None

        if all(c in (None, "") for c in row):
            continue
        code = nfc(str(cell("code") or "")).strip()
        name = " ".join(nfc(str(cell("name") or "")).split())
        level_raw = cell("level")
        level = normalize_level(str(level_raw or ""))
        if not code:
            problems.append(f"dòng {n}: thiếu mã đơn vị")
        if not name:
            problems.append(f"dòng {n}: thiếu tên đơn vị")
        if level is None:
            problems.append(
                f"dòng {n}: cấp “{level_raw}” không hợp lệ (dùng tinh, so, huyen, xa, phong "
                "hoặc tỉnh, sở/ban/ngành, huyện, xã/phường/đặc khu, phòng)"
            )
        records.append(
            {
                "row": n,
                "code": code,
                "name": name,
                "level": level,
                "parent_code": nfc(str(cell("parent_code") or "")).strip() or None,
                "valid_from": _parse_date(cell("valid_from"), n, problems),
                "valid_to": _parse_date(cell("valid_to"), n, problems),
                "predecessors": [c for c in _CODE_LIST_RE.split(nfc(str(cell("predecessors") or "")).strip()) if c],
            }
        )
    seen: dict[str, int] = {}
    for r in records:
        if r["code"] and r["code"] in seen:
            problems.append(f"dòng {r['row']}: mã “{r['code']}” trùng với dòng {seen[r['code']]}")
        seen.setdefault(r["code"], r["row"])
    if problems:
        raise UnitImportError(problems)
    if not records:
        raise UnitImportError(["tệp không có dòng đơn vị nào dưới dòng tiêu đề"])
    return records


def import_units(session: Session, source: Path | list[dict]) -> UnitImportResult:
    """Create or update units from a file, or from the records ``read_unit_file`` read from it
    (the CLI reads the file before it takes the writer lock); all or nothing (caller's transaction)."""
    records = source if isinstance(source, list) else read_unit_file(source)
    existing = {u.code: u for u in session.scalars(select(Unit))}
    in_file = {r["code"] for r in records}
    problems = []
    for r in records:
        pc = r["parent_code"]
        if pc and pc not in in_file and pc not in existing:
            problems.append(f"dòng {r['row']}: đơn vị cha “{pc}” không có trong tệp hay trong danh mục")
        if pc == r["code"]:
            problems.append(f"dòng {r['row']}: đơn vị không thể là cha của chính nó")
    # A cycle would make the tree endless; check with the parents as they will be after import.
    parent_of = {code: (u.parent.code if u.parent else None) for code, u in existing.items()}
    parent_of.update({r["code"]: r["parent_code"] for r in records})
    for r in records:
        seen, cur = set(), r["code"]
        while cur:
            if cur in seen:
                problems.append(f"dòng {r['row']}: quan hệ cha–con của “{r['code']}” tạo thành vòng lặp")
                break
            seen.add(cur)
            cur = parent_of.get(cur)
    problems += _predecessor_problems(records, existing)
    if problems:
        raise UnitImportError(problems)
    in_file = {r["code"]: r for r in records}
    for r in records:  # an old unit listed without an end date closes the day before the merge
        for code in r.get("predecessors") or []:
            if code in in_file and in_file[code]["valid_to"] is None:
                in_file[code]["valid_to"] = r["valid_from"] - timedelta(days=1)

    result = UnitImportResult()
    by_code = dict(existing)
    for r in records:
        unit = by_code.get(r["code"])
        if unit is None:
            unit = Unit(code=r["code"], name=r["name"], level=r["level"],
                        valid_from=r["valid_from"], valid_to=r["valid_to"])
            session.add(unit)
            by_code[r["code"]] = unit
            result.created.append(r["code"])
            audit.record(session, "create", "unit", None, new=f"{r['code']} {r['name']}")
        else:
            changes = []
            for attr in ("name", "level", "valid_from", "valid_to"):
                if getattr(unit, attr) != r[attr]:
                    changes.append((attr, getattr(unit, attr), r[attr]))
                    setattr(unit, attr, r[attr])
            if changes:
                result.updated.append(r["code"])
                for attr, old, new in changes:
                    audit.record(session, "update", "unit", unit.id, field=attr, old=old, new=new)
            else:
                result.unchanged.append(r["code"])
    session.flush()
    for r in records:
        unit = by_code[r["code"]]
        parent = by_code.get(r["parent_code"]) if r["parent_code"] else None
        if unit.parent_id != (parent.id if parent else None):
            if r["code"] not in result.created and r["code"] not in result.updated:
                result.unchanged.remove(r["code"])
                result.updated.append(r["code"])
            unit.parent = parent
    session.flush()
    for r in records:
        if r.get("predecessors"):
            _link_predecessors(session, by_code[r["code"]], [by_code[c] for c in r["predecessors"]],
                               r["valid_from"], result)
    session.flush()
    return result


def _predecessor_problems(records: list[dict], existing: dict[str, Unit]) -> list[str]:
    in_file = {r["code"]: r for r in records}
    problems = []
    for r in records:
        if not r.get("predecessors"):
            continue
        if r["valid_from"] is None:
            problems.append(f"dòng {r['row']}: đơn vị “{r['code']}” sáp nhập từ đơn vị khác cần có ngày hiệu lực "
                            "(cột valid_from), là ngày sáp nhập")
            continue
        for code in r["predecessors"]:
            if code == r["code"]:
                problems.append(f"dòng {r['row']}: đơn vị không thể sáp nhập từ chính nó")
                continue
            old = in_file.get(code)
            valid_to = old["valid_to"] if old is not None else (existing[code].valid_to if code in existing else None)
            if old is None and code not in existing:
                problems.append(f"dòng {r['row']}: đơn vị cũ “{code}” không có trong tệp hay trong danh mục")
            elif valid_to is not None and valid_to >= r["valid_from"]:
                problems.append(f"dòng {r['row']}: đơn vị cũ “{code}” còn hiệu lực đến {valid_to:%d/%m/%Y}, không "
                                f"trước ngày sáp nhập {r['valid_from']:%d/%m/%Y}")
    return problems


def _link_predecessors(session: Session, unit: Unit, olds: list[Unit], since: date,
                       result: UnitImportResult | None = None) -> None:
    """Record that ``unit`` was formed from ``olds`` on ``since``; each old unit closes the day before."""
    current = {p.predecessor_id: p for p in session.scalars(
        select(UnitPredecessor).where(UnitPredecessor.unit_id == unit.id))}
    wanted = {u.id for u in olds}
    for pid, link in current.items():
        if pid not in wanted:
            session.delete(link)
    for old in olds:
        link = current.get(old.id)
        if link is None:
            session.add(UnitPredecessor(unit_id=unit.id, predecessor_id=old.id, since=since))
            audit.record(session, "create", "unit", unit.id, field="predecessor", new=f"{old.code} ({since:%d/%m/%Y})")
        elif link.since != since:
            link.since = since
        closes = since - timedelta(days=1)
        if old.valid_to is None or old.valid_to > closes:
            audit.record(session, "update", "unit", old.id, field="valid_to", old=old.valid_to, new=closes,
                         reason=f"sáp nhập vào {unit.code}")
            old.valid_to = closes
            if result is not None and old.code not in result.created and old.code not in result.updated:
                if old.code in result.unchanged:
                    result.unchanged.remove(old.code)
                result.updated.append(old.code)


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None
    depth: int
    valid_from: date | None
    valid_to: date | None

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    def active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def unit_tree(session: Session) -> list[UnitRow]:
    """All units in tree order (parents before their children, siblings by code).

    With a logged-in user (``core.auth``): only their unit and the units below it, their unit
    at depth 0."""
    from core.auth import visible_unit_ids

    units = list(session.scalars(select(Unit)))
    visible = visible_unit_ids(session)
    if visible is not None:
        units = [u for u in units if u.id in visible]
    by_parent: dict[int | None, list[Unit]] = {}
    shown = {u.id for u in units}
    for u in units:
        by_parent.setdefault(u.parent_id if u.parent_id in shown else None, []).append(u)
    code_of = {u.id: u.code for u in units}
    out: list[UnitRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for u in sorted(by_parent.get(parent_id, []), key=lambda x: x.code):
            out.append(UnitRow(u.id, u.code, u.name, u.level, code_of.get(u.parent_id), depth,
                               u.valid_from, u.valid_to))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def children_of(session: Session, unit_id: int, on: date | None = None) -> list[Unit]:
    """Direct children of a unit, optionally only those in effect on a date."""
    kids = list(session.scalars(select(Unit).where(Unit.parent_id == unit_id).order_by(Unit.code)))
    if on is None:
        return kids
    return [
        u for u in kids
        if (u.valid_from is None or u.valid_from <= on) and (u.valid_to is None or on <= u.valid_to)
    ]


def get_unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise LookupError(f"Không có đơn vị mã “{code}” trong danh mục.")
    return unit


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


# --- validity in time: a unit exists from valid_from to valid_to ----------------------------------


class UnitPeriodError(Refused, ValueError):
    """A unit used for a period (or plan years) in which it did not exist; Vietnamese message with the dates."""


class UnitMergeError(Refused, ValueError):
    """A merge that cannot be recorded; Vietnamese message."""


def existence_text(unit: Unit) -> str:
    """"từ 01/07/2025", "đến 30/06/2025", "từ 01/01/2020 đến 30/06/2025"."""
    parts = []
    if unit.valid_from is not None:
        parts.append(f"từ {unit.valid_from:%d/%m/%Y}")
    if unit.valid_to is not None:
        parts.append(f"đến {unit.valid_to:%d/%m/%Y}")
    return " ".join(parts)


def existed_between(unit: Unit, start: date, end: date) -> bool:
    """Whether the unit existed on at least one day from ``start`` to ``end``."""
    return (unit.valid_from is None or unit.valid_from <= end) and (unit.valid_to is None or start <= unit.valid_to)


def require_unit_between(session: Session, unit: Unit, start: date, end: date, what: str) -> None:
    """Refuse (``UnitPeriodError``) to record ``what`` for a unit that did not exist from ``start`` to ``end``.

    ``what`` completes the sentence: "báo cáo kỳ Quý I/2025 (01/01/2025 – 31/03/2025)".
    """
    if existed_between(unit, start, end):
        return
    message = (f"Đơn vị {unit.name} ({unit.code}) chỉ tồn tại {existence_text(unit)}, nên không có {what}.")
    after = successor_of(session, unit.id)
    if after is not None and unit.valid_to is not None and end > unit.valid_to:
        message += f" Từ {after[1]:%d/%m/%Y} đơn vị đã sáp nhập vào {after[0].name} ({after[0].code})."
    olds = predecessors_of(session, unit.id)
    if olds and unit.valid_from is not None and start < unit.valid_from:
        names = ", ".join(f"{u.name} ({u.code})" for u, _ in olds)
        message += f" Số liệu trước ngày {unit.valid_from:%d/%m/%Y} thuộc các đơn vị cũ: {names}."
    raise UnitPeriodError(message)


def require_unit_in_period(session: Session, unit: Unit, spec, what: str = "báo cáo") -> None:  # noqa: ANN001
    """``require_unit_between`` for a period (a ``core.periods.PeriodSpec``)."""
    require_unit_between(session, unit, spec.start_date, spec.end_date,
                         f"{what} kỳ {spec.label} ({spec.start_date:%d/%m/%Y} – {spec.end_date:%d/%m/%Y})")


def require_unit_in_years(session: Session, unit: Unit, year_from: int, year_to: int, what: str = "kế hoạch") -> None:
    years = f"năm {year_from}" if year_from == year_to else f"giai đoạn {year_from}–{year_to}"
    require_unit_between(session, unit, date(year_from, 1, 1), date(year_to, 12, 31), f"{what} {years}")


# --- merged units: predecessors and successors ---------------------------------------------------


def predecessors_of(session: Session, unit_id: int) -> list[tuple[Unit, date]]:
    """The units this one was formed from, with the merge date."""
    rows = session.execute(select(Unit, UnitPredecessor.since).join(
        UnitPredecessor, UnitPredecessor.predecessor_id == Unit.id).where(UnitPredecessor.unit_id == unit_id)
        .order_by(Unit.code))
    return [(u, since) for u, since in rows]


def successor_of(session: Session, unit_id: int) -> tuple[Unit, date] | None:
    """The unit this one was merged into, with the date; None if it was not merged."""
    row = session.execute(select(Unit, UnitPredecessor.since).join(
        UnitPredecessor, UnitPredecessor.unit_id == Unit.id).where(UnitPredecessor.predecessor_id == unit_id)
        .limit(1)).first()
    return (row[0], row[1]) if row else None


def lineage(session: Session, unit_id: int) -> list[Unit]:
    """The unit and every unit it was formed from, however many merges back (the unit first)."""
    seen: dict[int, Unit] = {}
    todo = [session.get(Unit, unit_id)]
    while todo:
        u = todo.pop(0)
        if u is None or u.id in seen:
            continue
        seen[u.id] = u
        todo.extend(old for old, _ in predecessors_of(session, u.id))
    return list(seen.values())


def merge_map(session: Session) -> tuple[dict[int, list[tuple[str, date]]], dict[int, tuple[str, date]]]:
    """For listing the tree: unit id → its predecessors' (code, date); unit id → its successor's (code, date)."""
    olds: dict[int, list[tuple[str, date]]] = {}
    new: dict[int, tuple[str, date]] = {}
    code_of = dict(session.execute(select(Unit.id, Unit.code)).all())
    for link in session.scalars(select(UnitPredecessor).order_by(UnitPredecessor.id)):
        olds.setdefault(link.unit_id, []).append((code_of[link.predecessor_id], link.since))
        new[link.predecessor_id] = (code_of[link.unit_id], link.since)
    return olds, new


def merge_units(session: Session, into: str, name: str, sources: list[str], on: date, *,
                parent_code: str | None = None, level: str | None = None) -> Unit:
    """Record that units ``sources`` merged into a new unit ``into`` on ``on`` (caller's transaction).

    The new unit exists from ``on``; each source closes the day before and keeps its data, which is
    shown under the new unit (its history, the parent's completeness board). Codes are never
    re-used: ``into`` must be a new code. The new unit's parent and level are the sources' own
    (when they differ, ``parent_code``/``level`` must say which).
    """
    into = nfc(into).strip()
    name = " ".join(nfc(name).split())
    codes = list(dict.fromkeys(nfc(c).strip() for c in sources if nfc(c).strip()))
    if not into or not name:
        raise UnitMergeError("Cần mã và tên của đơn vị mới (--into, --name).")
    if not codes:
        raise UnitMergeError("Cần ít nhất một đơn vị cũ (--from MÃ,MÃ).")
    if session.scalar(select(Unit).where(Unit.code == into)) is not None:
        raise UnitMergeError(f"Mã “{into}” đã có trong danh mục; đơn vị mới sau sáp nhập cần một mã mới (mã cũ không "
                             "được dùng lại).")
    olds = []
    for code in codes:
        unit = session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            raise UnitMergeError(f"Không có đơn vị mã “{code}” trong danh mục.")
        olds.append(unit)
    closes = on - timedelta(days=1)
    for u in olds:
        if u.valid_from is not None and u.valid_from > closes:
            raise UnitMergeError(f"Đơn vị {u.name} ({u.code}) bắt đầu từ {u.valid_from:%d/%m/%Y}, không trước ngày "
                                 f"sáp nhập {on:%d/%m/%Y}.")
        if u.valid_to is not None and u.valid_to < closes:
            raise UnitMergeError(f"Đơn vị {u.name} ({u.code}) đã thôi tồn tại từ sau ngày {u.valid_to:%d/%m/%Y}, "
                                 f"trước ngày sáp nhập {on:%d/%m/%Y}.")
        after = successor_of(session, u.id)
        if after is not None:
            raise UnitMergeError(f"Đơn vị {u.name} ({u.code}) đã sáp nhập vào {after[0].code} từ "
                                 f"{after[1]:%d/%m/%Y}.")
        kids = [k for k in children_of(session, u.id, on=on)]
        if kids:
            raise UnitMergeError(f"Đơn vị {u.name} ({u.code}) còn {len(kids)} đơn vị trực thuộc sau ngày "
                                 f"{on:%d/%m/%Y} ({', '.join(k.code for k in kids[:5])}); hãy chuyển các đơn vị đó "
                                 "trước khi sáp nhập.")
    if parent_code is not None:
        parent = session.scalar(select(Unit).where(Unit.code == nfc(parent_code).strip()))
        if parent is None:
            raise UnitMergeError(f"Không có đơn vị cha mã “{parent_code}” trong danh mục.")
    else:
        parents = {u.parent_id for u in olds}
        if len(parents) != 1:
            raise UnitMergeError("Các đơn vị cũ thuộc những đơn vị cha khác nhau; hãy chỉ rõ đơn vị cha của đơn vị "
                                 "mới (--parent MÃ).")
        parent = olds[0].parent
    if parent is not None and not existed_between(parent, on, on):
        raise UnitMergeError(f"Đơn vị cha {parent.name} ({parent.code}) không còn tồn tại vào ngày {on:%d/%m/%Y}.")
    if level is not None:
        new_level = normalize_level(level)
        if new_level is None:
            raise UnitMergeError(f"Cấp “{level}” không hợp lệ (tinh, so, huyen, xa, phong).")
    else:
        levels = {u.level for u in olds}
        if len(levels) != 1:
            raise UnitMergeError("Các đơn vị cũ khác cấp nhau; hãy chỉ rõ cấp của đơn vị mới (--level).")
        new_level = olds[0].level
    unit = Unit(code=into, name=name, level=new_level, parent=parent, valid_from=on)
    session.add(unit)
    session.flush()
    audit.record(session, "create", "unit", unit.id, new=f"{into} {name}",
                 reason="sáp nhập từ " + ", ".join(u.code for u in olds) + f" ngày {on:%d/%m/%Y}")
    _link_predecessors(session, unit, olds, on)
    session.flush()
    return unit


@dataclass(frozen=True)
class HistoryRow:
    """One return in a unit's history: its own, or one of a unit it was formed from."""

    period_code: str
    period_label: str
    unit_code: str
    unit_name: str
    own: bool
    status: str
    origin: str

    def as_dict(self) -> dict:
        return {"period": self.period_code, "period_label": self.period_label, "unit": self.unit_code,
                "unit_name": self.unit_name, "own": self.own, "status": self.status, "origin": self.origin}


def unit_history(session: Session, code: str) -> tuple[Unit, list[HistoryRow]]:
    """The returns of a unit and of the units it was formed from, oldest period first: a commune
    formed on 1/7/2025 shows the returns its predecessors sent before."""
    from db.models import Period

    unit = get_unit(session, code)
    units = {u.id: u for u in lineage(session, unit.id)}
    rows = session.execute(select(Return, Period).join(Period, Period.id == Return.period_id)
                           .where(Return.unit_id.in_(units)))
    from core.periods import parse_period_code

    ordered = sorted(rows, key=lambda rp: (rp[1].end_date, rp[1].code, units[rp[0].unit_id].code))
    out = [HistoryRow(p.code, parse_period_code(p.code).label, units[r.unit_id].code, units[r.unit_id].name,
                      r.unit_id == unit.id, r.status, r.origin) for r, p in ordered]
    return unit, out
