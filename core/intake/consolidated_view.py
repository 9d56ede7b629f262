"""The consolidated return as the "Tổng hợp" screen and the CLI read it back: each value with how it
was consolidated and how many units it covers, the accepted returns that changed since the last run,
and for one value the units, returns and files it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.forms import current_template
from core.intake.aggregation import method_label
from core.intake.completeness import DECISION_SHORT, Board, completeness, resolve_unit
from core.periods import parse_period_code
from core.returns.store import find_return
from core.values import format_value
from core.vnformat import format_date
from db.models import ConsolidationSource, ImportedFile, Indicator, IndicatorValue, Return, Unit

__all__ = [
    "GridValue",
    "SOURCE_STATE_LABELS",
    "SourceRow",
    "changed_since_run",
    "consolidated_grid",
    "value_sources",
]


# --------------------------------------------------------------------------- reading back


@dataclass(frozen=True)
class GridValue:
    """One row of the consolidated grid."""

    indicator_id: int
    code: str
    name: str
    unit_label: str
    kind: str
    value_type: str | None
    breakdown: bool
    value_display: str
    note: str
    covered: int | None  # units behind the value (None: not consolidated)
    expected: int
    method_label: str
    source: str | None
    conflict: bool  # the value kept differs from what consolidation gives
    computed_display: str  # what consolidation gives, when it differs
    detail: str

    @property
    def coverage_text(self) -> str:
        return "" if self.covered is None or self.kind != "value" else f"{self.covered}/{self.expected}"


def consolidated_grid(session: Session, parent: str | int | Unit, period_code: str) -> tuple[Return | None,
                                                                                               list[GridValue]]:
    """The parent's return for the period with, per value, the units behind it and how it was consolidated."""
    parent = resolve_unit(session, parent)
    spec = parse_period_code(period_code)
    template = current_template(session)
    from db.models import Period

    period = session.scalar(select(Period).where(Period.code == spec.code))
    ret = find_return(session, parent, period, template) if period is not None else None
    values = {}
    covered: dict[int, int] = {}
    if ret is not None:
        values = {v.indicator_id: v for v in session.scalars(
            select(IndicatorValue).where(IndicatorValue.return_id == ret.id))}
        for iid, inc in session.execute(select(ConsolidationSource.indicator_id, ConsolidationSource.included)
                                        .where(ConsolidationSource.return_id == ret.id)):
            covered[iid] = covered.get(iid, 0) + (1 if inc else 0)
    board = completeness(session, parent, spec.code)
    expected = len(_measured_units(session, ret, board))
    rows = []
    for ind in session.scalars(select(Indicator).where(Indicator.template_id == template.id)
                               .order_by(Indicator.sort_order)):
        v = values.get(ind.id)
        num, txt = (v.value_num, v.value_text) if v else (None, None)
        computed = v.source_value if v is not None else None
        conflict = (v is not None and v.source not in ("consolidated", None) and ind.id in covered
                    and computed is not None and (num is None or abs(num - computed) > 1e-9))
        rows.append(GridValue(
            indicator_id=ind.id, code=ind.code, name=ind.name, unit_label=ind.unit_label or "", kind=ind.kind,
            value_type=ind.value_type, breakdown=ind.breakdown,
            value_display=format_value(ind.value_type, num, txt, ind.choices, with_label=True),
            note=(v.note or "") if v else "", covered=covered.get(ind.id) if ind.id in covered else None,
            expected=expected,
            method_label=method_label(ind.aggregation, ind.value_type) if ind.kind == "value" else "",
            source=v.source if v else None, conflict=conflict,
            computed_display=format_value(ind.value_type, computed, None) if conflict else "",
            detail=(v.source_detail or "") if v else "",
        ))
    return ret, rows


def _measured_units(session: Session, ret: Return | None, board: Board) -> list[int]:
    """The units a consolidated value is measured against — the board's scope and any unit the last
    run took — so the grid's "x/y", the sources window and the board count the same units."""
    units = [r.unit_id for r in board.scope_rows]
    if ret is not None:
        seen = set(units)
        for uid in session.scalars(select(ConsolidationSource.unit_id).where(ConsolidationSource.return_id == ret.id)
                                   .distinct()):
            if uid not in seen:
                seen.add(uid)
                units.append(uid)
    return units


def changed_since_run(session: Session, ret: Return | None, board: Board) -> list[str]:
    """Units whose accepted return differs from what the last consolidation took (accepted since,
    a newer version, no longer accepted): the figures need running again."""
    if ret is None or ret.origin != "consolidated":
        return []
    used = {uid: (fid, rid) for uid, fid, rid in session.execute(
        select(ConsolidationSource.unit_id, ConsolidationSource.imported_file_id, ConsolidationSource.child_return_id)
        .where(ConsolidationSource.return_id == ret.id).distinct())}
    if not used:
        return []
    now = {r.unit_id: (r.imported_file_id, r.return_id) for r in board.accepted_rows}
    names = {r.unit_id: r.unit_name for r in board.rows}
    changed = [uid for uid in set(used) | set(now) if used.get(uid) != now.get(uid)]
    return sorted(names.get(uid, str(uid)) for uid in changed)


SOURCE_STATE_LABELS = {
    "included": "Có số liệu",
    "blank": "Để trống",
    "pending": "Chờ xem xét, chưa tính",
    "sent_back": "Trả lại, chưa tính",
    "accepted_later": "Đã chấp nhận sau lần tổng hợp",
    "decision": "Cần quyết định",
    "missing": "Chưa có báo cáo",
}


@dataclass(frozen=True)
class SourceRow:
    """A unit behind a consolidated value (drill-down), or a unit counted against it without a value."""

    unit_code: str
    unit_name: str
    state: str  # see SOURCE_STATE_LABELS
    value_display: str
    note: str
    file_name: str
    exported_at: str  # dd/mm/yyyy HH:MM
    return_id: int | None

    @property
    def state_label(self) -> str:
        return SOURCE_STATE_LABELS[self.state]

    def as_dict(self) -> dict:
        return {"unit": self.unit_code, "unit_name": self.unit_name, "state": self.state, "value": self.value_display,
                "note": self.note, "file": self.file_name, "exported_at": self.exported_at}


def value_sources(session: Session, return_id: int, code: str) -> tuple[GridValue | None, list[SourceRow]]:
    """The units and files behind one value of a consolidated return, then the units without a return."""
    ret = session.get(Return, return_id)
    if ret is None:
        raise NotFound(f"Không có báo cáo số {return_id}.")
    ind = session.scalar(select(Indicator).where(Indicator.template_id == ret.template_id,
                                                 Indicator.code == code.strip()))
    if ind is None:
        raise NotFound(f"Biểu mẫu không có chỉ tiêu mã “{code}”.")
    board = completeness(session, ret.unit_id, ret.period.code)
    board_row = {r.unit_id: r for r in board.rows}
    rows: list[SourceRow] = []
    seen: set[int] = set()
    for src, unit, f in session.execute(
        select(ConsolidationSource, Unit, ImportedFile)
        .join(Unit, Unit.id == ConsolidationSource.unit_id)
        .outerjoin(ImportedFile, ImportedFile.id == ConsolidationSource.imported_file_id)
        .where(ConsolidationSource.return_id == ret.id, ConsolidationSource.indicator_id == ind.id)
        .order_by(Unit.code)
    ):
        seen.add(unit.id)
        shown = format_value(ind.value_type, src.value_num, src.value_text, ind.choices, with_label=True)
        when = ""
        if f is not None and f.exported_at is not None:
            when = f"{format_date(f.exported_at.date())} {f.exported_at:%H:%M}"
        note = src.note or ""
        now = board_row.get(unit.id)
        if now is None or not now.counted or (now.imported_file_id, now.return_id) != (src.imported_file_id,
                                                                                       src.child_return_id):
            what = now.review_text if now is not None and now.has_return else "không còn được tính"
            stale = f"Đã thay đổi sau lần tổng hợp này ({what}): bấm “Tổng hợp số liệu” để cập nhật."
            note = f"{note}. {stale}" if note else stale
        rows.append(SourceRow(unit.code, unit.name, "included" if src.included else "blank", shown, note,
                              f.file_name if f is not None else "(nhập trên máy này)", when, src.child_return_id))
    for r in board.scope_rows:
        if r.unit_id in seen:
            continue
        if r.has_return:
            state = {"pending": "pending", "sent_back": "sent_back"}.get(r.review or "", "accepted_later")
            rows.append(SourceRow(r.unit_code, r.unit_name, state, "", r.review_text, r.file_name or "",
                                  r.received_text, r.return_id))
        else:
            state = "decision" if r.state == "decision" else "missing"
            note = DECISION_SHORT.get(r.decision_code or "", r.decision_reason or "") if state == "decision" \
                else r.note
            rows.append(SourceRow(r.unit_code, r.unit_name, state, "", note, r.decision_file or "", "", None))
    _, grid = consolidated_grid(session, ret.unit_id, ret.period.code)
    head = next((g for g in grid if g.code == ind.code), None)
    return head, rows
