"""Changing the unit tree by hand (Cài đặt → Đơn vị, ``main.py units add|rename|move|close``): add a unit,
rename it, move it under another parent, close it from a date. Merging is ``unit_lifetimes.merge_units``.

Units are never deleted and a code is never re-used: a unit that ends is closed (``valid_to``), so its
returns keep their unit. Every change is audited (``core.audit``) in the caller's transaction; every "no"
is a ``UnitEditError`` with a Vietnamese sentence, raised before anything is written.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.org.units import LEVEL_LABELS, children_of, normalize_level
from core.vnformat import format_date, nfc
from db.models import Unit


class UnitEditError(Refused, ValueError):
    """A change to the unit tree that cannot be made; Vietnamese message."""


def _unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == nfc(code).strip()))
    if unit is None:
        raise UnitEditError(f"Không có đơn vị mã “{code}” trong danh mục.")
    return unit


def _name(name: str) -> str:
    name = " ".join(nfc(name or "").split())
    if not name:
        raise UnitEditError("Cần tên đơn vị, ví dụ “UBND xã Hòa Bình”.")
    if len(name) > 255:
        raise UnitEditError("Tên đơn vị dài quá 255 ký tự.")
    return name


def _level(level: str) -> str:
    found = normalize_level(level)
    if found is None:
        raise UnitEditError(f"Cấp “{level}” không hợp lệ; chọn một trong: {', '.join(LEVEL_LABELS.values())}.")
    return found


def _parent(session: Session, code: str | None, on: date | None) -> Unit | None:
    if not code:
        return None
    parent = _unit(session, code)
    if parent.valid_to is not None and (on is None or on > parent.valid_to):
        raise UnitEditError(f"Đơn vị cha {parent.name} ({parent.code}) đã thôi tồn tại từ sau ngày "
                            f"{format_date(parent.valid_to)}.")
    return parent


def add_unit(session: Session, code: str, name: str, level: str, parent_code: str | None = None,
             valid_from: date | None = None) -> Unit:
    """A new unit; its code must never have been used (units are closed, never deleted)."""
    code = nfc(code or "").strip()
    if not code or len(code) > 64 or any(ch.isspace() for ch in code):
        raise UnitEditError("Mã đơn vị cần từ 1 đến 64 ký tự, không có dấu cách, ví dụ “MH.XHB”.")
    if session.scalar(select(Unit).where(Unit.code == code)) is not None:
        raise UnitEditError(f"Mã “{code}” đã được dùng cho một đơn vị (kể cả đơn vị đã thôi tồn tại); mã đơn vị "
                            "không được dùng lại.")
    unit = Unit(code=code, name=_name(name), level=_level(level), parent=_parent(session, parent_code, valid_from),
                valid_from=valid_from)
    session.add(unit)
    session.flush()
    audit.record(session, "create", "unit", unit.id, new=f"{code} {unit.name}",
                 reason=f"thêm đơn vị{' từ ' + format_date(valid_from) if valid_from else ''}")
    return unit


def rename_unit(session: Session, code: str, name: str) -> Unit:
    unit = _unit(session, code)
    new = _name(name)
    if new == unit.name:
        raise UnitEditError(f"Tên mới trùng tên hiện tại của đơn vị {unit.code}.")
    audit.record(session, "update", "unit", unit.id, field="name", old=unit.name, new=new)
    unit.name = new
    session.flush()
    return unit


def _descendant_ids(session: Session, unit_id: int) -> set[int]:
    out: set[int] = set()
    todo = [unit_id]
    while todo:
        kids = [k.id for k in children_of(session, todo.pop())]
        out |= set(kids)
        todo += kids
    return out


def move_unit(session: Session, code: str, parent_code: str | None) -> Unit:
    """Put a unit under another parent (``None``: at the top of the tree)."""
    unit = _unit(session, code)
    parent = _parent(session, parent_code, date.today())
    if parent is not None and (parent.id == unit.id or parent.id in _descendant_ids(session, unit.id)):
        raise UnitEditError(f"Không thể chuyển {unit.name} vào chính nó hay một đơn vị trực thuộc nó.")
    if parent is unit.parent or (parent is not None and parent.id == unit.parent_id):
        raise UnitEditError(f"{unit.name} đã trực thuộc {parent.name if parent else 'cấp cao nhất'}.")
    audit.record(session, "update", "unit", unit.id, field="parent", old=unit.parent.code if unit.parent else None,
                 new=parent.code if parent else None)
    unit.parent = parent
    session.flush()
    return unit


def close_unit(session: Session, code: str, last_day: date) -> Unit:
    """The unit exists up to ``last_day`` (included); its data stays. Units under it must be closed or
    moved first."""
    unit = _unit(session, code)
    if unit.valid_to is not None:
        raise UnitEditError(f"{unit.name} ({unit.code}) đã thôi tồn tại từ sau ngày {format_date(unit.valid_to)}.")
    if unit.valid_from is not None and last_day < unit.valid_from:
        raise UnitEditError(f"Ngày cuối {format_date(last_day)} trước ngày {unit.name} bắt đầu "
                            f"({format_date(unit.valid_from)}).")
    open_kids = [k for k in children_of(session, unit.id) if k.valid_to is None or k.valid_to > last_day]
    if open_kids:
        raise UnitEditError(f"{unit.name} còn {len(open_kids)} đơn vị trực thuộc sau ngày {format_date(last_day)} "
                            f"({', '.join(k.code for k in open_kids[:5])}); hãy chuyển hoặc đóng các đơn vị đó trước.")
    audit.record(session, "update", "unit", unit.id, field="valid_to", old=None, new=last_day, reason="đóng đơn vị")
    unit.valid_to = last_day
    session.flush()
    return unit
