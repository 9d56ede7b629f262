"""A unit's life in time: it exists from ``valid_from`` to ``valid_to``, may be formed by merging
others (communes since 1/7/2025), and keeps the history of the returns of the units it came from.

Nothing is recorded for a unit in a period it did not exist in: ``require_unit_in_period`` refuses
with the unit's dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.org.units import children_of, get_unit, link_predecessors, normalize_level
from db.models import Return, Unit, UnitPredecessor

# --- validity in time: a unit exists from valid_from to valid_to ----------------------------------


class UnitPeriodError(Refused):
    """A unit used for a period (or plan years) in which it did not exist; Vietnamese message with the dates."""


class UnitMergeError(Refused):
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


def predecessors_of_units(session: Session, unit_ids: Iterable[int]) -> dict[int, list[tuple[Unit, date]]]:
    """``predecessors_of`` for many units in one query: unit id → its predecessors (only units that have any)."""
    ids = list(unit_ids)
    out: dict[int, list[tuple[Unit, date]]] = {}
    if not ids:
        return out
    for unit_id, u, since in session.execute(
            select(UnitPredecessor.unit_id, Unit, UnitPredecessor.since)
            .join(UnitPredecessor, UnitPredecessor.predecessor_id == Unit.id)
            .where(UnitPredecessor.unit_id.in_(ids)).order_by(Unit.code)):
        out.setdefault(unit_id, []).append((u, since))
    return out


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
    into = into.strip()
    name = " ".join(name.split())
    codes = list(dict.fromkeys(c.strip() for c in sources if c.strip()))
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
        parent = session.scalar(select(Unit).where(Unit.code == parent_code.strip()))
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
    link_predecessors(session, unit, olds, on)
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
