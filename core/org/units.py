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
from core.errors import NotFound, Refused
from core.safe_files import UNITS_LIMITS, read_table
from core.vnformat import nfc
from db.models import Unit, UnitPredecessor

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
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
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


class UnitImportError(Refused):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Không nhập danh mục đơn vị vì tệp có lỗi:\n" + "\n".join(f"- {p}" for p in problems))

    def details(self) -> dict:
        return {"problems": self.problems}


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
            link_predecessors(session, by_code[r["code"]], [by_code[c] for c in r["predecessors"]],
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


def link_predecessors(session: Session, unit: Unit, olds: list[Unit], since: date,
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

    With a logged-in user (``core.org.auth``): only their unit and the units below it, their unit
    at depth 0."""
    from core.org.auth import visible_unit_ids

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
        raise NotFound(f"Không có đơn vị mã “{code}” trong danh mục.")
    return unit
