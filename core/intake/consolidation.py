"""Consolidation (Tổng hợp): the returns of the units below become the receiving unit's own return.

Rules come from each indicator's ``aggregation`` in the form template (computed by
``core.intake.aggregation``):

- ``{"method": "sum"}`` — counts are added;
- ``{"method": "ratio", "numerator": code, "denominator": code[, "scale": 100]}`` — a percentage
  recomputed from the units' numerators and denominators (only units giving both count);
- ``{"method": "mean"[, "weight": code]}`` — a percentage averaged over the units that gave it,
  weighted by the ``weight`` indicator when the form names one;
- ``{"method": "distribution", "summary": "min" | "max" | "mode"}`` — coded answers counted
  ("Hoàn thành: 12, Đang làm: 4, Chưa: 1", in the note) with one summary code as the value:
  the lowest answer, the highest, or the most frequent (ties: the lower);
- ``{"method": "concat"}`` — texts gathered per unit ("Xã A: …; Xã B: …").

Only returns the receiving unit accepted count (``core.intake.review``): a return pending review
(chờ xem xét) or sent back (trả lại) is left out and named, and a file refused at import never
counts. Every value is measured against the same units the completeness board counts
(``Board.scope_rows``): the expected units and any other unit whose file was taken in.

A unit's blank is not a 0: it is left out, and every value says how many units it covers
("13/17 đơn vị"). A unit's "Không phát sinh" is an answer that carries no number: the unit is
covered, nothing is added, averaged or counted for it; when every unit that answered says
"Không phát sinh", so does the consolidated value. The units' notes are gathered per unit
into the consolidated note.

The result is the receiving unit's return for the period (``origin="consolidated"``), a draft
that can still be edited, submitted and exported. Each value records where it came from
(``consolidation_source``: unit, return, file, the unit's value). Running again — after a
late return arrived — updates the values and writes every change to the audit log. A value
the user typed over a consolidated one (or any value not from consolidation) is never
overwritten: it is kept and reported as a conflict, unless the user asks for the
consolidated number (``take_computed``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.forms import current_template
from core.intake.aggregation import ConsolidatedValue, UnitValueSource, compute_value
from core.intake.completeness import Board, completeness, resolve_unit
from core.jobs import Progress, report
from core.org.auth import require_unit
from core.org.unit_lifetimes import require_unit_in_period
from core.periods import ensure_period, parse_period_code
from core.returns.entry import SOURCE_LABELS
from core.returns.store import find_return, store_value
from core.values import ParsedValue, format_value
from db.models import ConsolidationSource, Indicator, IndicatorValue, Return, Unit

__all__ = [
    "Conflict",
    "ConsolidationError",
    "ConsolidationResult",
    "consolidate",
]


class ConsolidationError(Refused):
    """Consolidation cannot run; the message is Vietnamese."""


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Conflict:
    code: str
    name: str
    kept: str  # the value kept (typed, imported or from the plan)
    kept_source: str
    computed: str  # what consolidation gives

    def line(self) -> str:
        return (f"{self.code} {self.name}: giữ {self.kept or '(trống)'} ({self.kept_source}), "
                f"số tổng hợp là {self.computed or '(trống)'}")

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "kept": self.kept, "kept_source": self.kept_source,
                "computed": self.computed}


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    old: str
    new: str

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "old": self.old, "new": self.new}


@dataclass
class ConsolidationResult:
    return_id: int
    parent_code: str
    parent_name: str
    period_code: str
    period_label: str
    board: Board
    values: list[ConsolidatedValue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # names of the units whose returns went in
    units_added: list[str] = field(default_factory=list)
    units_removed: list[str] = field(default_factory=list)
    files_changed: list[str] = field(default_factory=list)
    first_run: bool = True
    # Received but left out, and accepted with a note (draft, validation errors …): (code, name, text).
    pending: list[tuple[str, str]] = field(default_factory=list)
    sent_back: list[tuple[str, str, str]] = field(default_factory=list)
    accepted_notes: list[tuple[str, str, str]] = field(default_factory=list)

    def method_counts(self) -> dict[str, int]:
        return dict(Counter(v.method_label for v in self.values))

    def summary(self) -> str:
        c = self.board.counts()
        text = (f"Tổng hợp báo cáo {self.period_label} của {self.parent_name} từ {len(self.units)} đơn vị "
                f"đã chấp nhận; {self.board.sentence}.")
        left = []
        if self.pending:
            left.append(f"chờ xem xét {len(self.pending)} ({', '.join(n for _, n in self.pending)})")
        if self.sent_back:
            left.append(f"trả lại {len(self.sent_back)} ({', '.join(n for _, n, _ in self.sent_back)})")
        if left:
            text += " Chưa tính: " + "; ".join(left) + "."
        if not self.first_run:
            text += f" Chạy lại: {len(self.changes)} số liệu thay đổi."
        if self.conflicts:
            text += f" {len(self.conflicts)} số liệu do người dùng nhập được giữ nguyên, khác số tổng hợp."
        if c["missing"] or c["decision"]:
            text += f" Còn {c['missing'] + c['decision']} đơn vị chưa có báo cáo."
        return text

    def lines(self) -> list[str]:
        out = [self.summary()]
        if self.units_added:
            out.append("Thêm báo cáo của: " + ", ".join(self.units_added) + ".")
        if self.units_removed:
            out.append("Bớt báo cáo của: " + ", ".join(self.units_removed) + ".")
        if self.files_changed:
            out.append("Báo cáo thay bằng tệp mới: " + ", ".join(self.files_changed) + ".")
        if self.pending:
            out.append("Chưa tính, chờ xem xét: " + ", ".join(f"{n} ({c})" for c, n in self.pending) + ".")
        if self.sent_back:
            out.append("Chưa tính, đã trả lại: " + "; ".join(f"{n} ({c}): {why}" for c, n, why in self.sent_back)
                       + ".")
        if self.accepted_notes:
            out.append("Chấp nhận kèm ghi chú: " + "; ".join(f"{n} ({c}): {why}" for c, n, why in self.accepted_notes)
                       + ".")
        out.append("Cách tổng hợp:")
        out += [f"  - {label}: {n} chỉ tiêu" for label, n in sorted(self.method_counts().items())]
        if self.changes:
            out.append("Số liệu thay đổi:")
            out += [f"  {c.code}: {c.old or '(trống)'} → {c.new or '(trống)'}" for c in self.changes]
        if self.conflicts:
            out.append("Giữ số người dùng đã nhập (khác số tổng hợp):")
            out += [f"  {c.line()}" for c in self.conflicts]
        return out

    def as_dict(self) -> dict:
        return {
            "return_id": self.return_id, "unit": self.parent_code, "period": self.period_code,
            "summary": self.summary(), "units": self.units, "units_added": self.units_added,
            "units_removed": self.units_removed, "files_changed": self.files_changed, "first_run": self.first_run,
            "completeness": self.board.sentence, "review": self.board.review_sentence(),
            "accepted": [r.unit_code for r in self.board.accepted_rows],
            "pending": [{"unit": c, "unit_name": n} for c, n in self.pending],
            "sent_back": [{"unit": c, "unit_name": n, "reason": why} for c, n, why in self.sent_back],
            "accepted_notes": [{"unit": c, "unit_name": n, "note": why} for c, n, why in self.accepted_notes],
            "methods": self.method_counts(),
            "values": [{"code": v.code, "value": format_value(v.value_type, v.number, v.text), "number": v.number,
                        "text": v.text, "covered": v.covered, "expected": v.expected, "method": v.method,
                        "method_label": v.method_label, "note": v.note, "detail": v.detail} for v in self.values],
            "changes": [c.as_dict() for c in self.changes], "conflicts": [c.as_dict() for c in self.conflicts],
        }


def _same(a: tuple[float | None, str | None], b: tuple[float | None, str | None]) -> bool:
    if a[0] is not None and b[0] is not None:
        return math.isclose(a[0], b[0], rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def consolidate(
    session: Session,
    parent: str | int | Unit,
    period_code: str,
    *,
    take_computed: set[str] | frozenset[str] = frozenset(),
    user: str | None = None,
    progress: Progress | None = None,
) -> ConsolidationResult:
    """Consolidate the accepted returns of ``parent``'s units for ``period_code`` into its own return.

    Runs in the caller's transaction; ``progress`` (one step per indicator) may raise ``Cancelled``,
    which leaves that transaction to roll back. Raises ``ConsolidationError`` when the parent's return is
    already "Đã hoàn thành", no unit below has a return yet, or none was accepted.
    """
    report(progress, 0, 1, "Đang đọc các báo cáo đã nhận…")
    parent = resolve_unit(session, parent)
    require_unit(session, parent.id, write=True)  # on a shared server: only units in the user's reach
    spec = parse_period_code(period_code)
    board = completeness(session, parent, spec.code)
    rule = board.rounding  # the consolidating unit's rounding rule
    template = current_template(session)
    received = [r for r in board.scope_rows if r.has_return and r.return_id is not None]
    if not received:
        raise ConsolidationError(
            f"Chưa có báo cáo nào của các đơn vị trực thuộc {parent.name} kỳ {spec.label} để tổng hợp "
            f"({board.sentence}).")
    sources_rows = [r for r in board.accepted_rows if r.return_id is not None]
    if not sources_rows:
        raise ConsolidationError(
            f"Chưa có báo cáo nào được chấp nhận để tổng hợp kỳ {spec.label} của {parent.name} "
            f"({board.sentence}; {board.review_sentence()}). Hãy xem xét các báo cáo đã nhận: "
            "“Chấp nhận” hoặc “Trả lại” (dòng lệnh: review).")
    period = ensure_period(session, spec.code)
    ret = find_return(session, parent, period, template)
    if ret is not None and ret.status == "submitted":
        raise ConsolidationError(
            f"Báo cáo {spec.label} của {parent.name} đã ở trạng thái “Đã hoàn thành” nên không tổng hợp lại được. "
            "Hãy mở lại báo cáo (ghi rõ lý do) rồi tổng hợp.")
    first_run = ret is None or ret.origin != "consolidated"
    if ret is None:
        require_unit_in_period(session, parent, spec)
        ret = Return(unit=parent, period=period, template=template, status="draft", origin="consolidated")
        session.add(ret)
        session.flush()
        audit.record(session, "create", "return", ret.id, return_id=ret.id, user=user,
                     new=f"{parent.code} {spec.code} {template.code} v{template.version}", reason="Tạo khi tổng hợp")
    elif ret.origin != "consolidated":
        audit.record(session, "update", "return", ret.id, return_id=ret.id, field="origin", old=ret.origin,
                     new="consolidated", user=user, reason="Tổng hợp báo cáo của các đơn vị trực thuộc")
        ret.origin = "consolidated"

    sources = [UnitValueSource(r.unit_id, r.unit_name, r.return_id, r.imported_file_id) for r in sources_rows]
    expected = len(board.scope_rows)
    left_out = _left_out(board)
    inds = list(session.scalars(select(Indicator).where(Indicator.template_id == template.id)
                                .order_by(Indicator.sort_order)))
    by_code = {i.code: i for i in inds}
    vals: dict[int, dict[int, tuple]] = {}
    for rid, iid, num, txt, note in session.execute(
        select(IndicatorValue.return_id, IndicatorValue.indicator_id, IndicatorValue.value_num,
               IndicatorValue.value_text, IndicatorValue.note)
        .where(IndicatorValue.return_id.in_([s.return_id for s in sources]))
    ):
        vals.setdefault(rid, {})[iid] = (num, txt, note)

    # What the last run used, to say what changed.
    before = {(uid, fid) for uid, fid in session.execute(
        select(ConsolidationSource.unit_id, ConsolidationSource.imported_file_id)
        .where(ConsolidationSource.return_id == ret.id).distinct())}
    names = {s.unit_id: s.unit_name for s in sources}
    before_units = {uid for uid, _ in before}
    now_units = {s.unit_id for s in sources}
    removed_names = []
    if before_units - now_units:
        removed_names = [u.name for u in session.scalars(select(Unit).where(Unit.id.in_(before_units - now_units)))]

    result = ConsolidationResult(
        ret.id, parent.code, parent.name, spec.code, spec.label, board, units=[s.unit_name for s in sources],
        first_run=first_run, pending=[(r.unit_code, r.unit_name) for r in board.review_rows("pending")],
        sent_back=[(r.unit_code, r.unit_name, r.review_note or "") for r in board.review_rows("sent_back")],
        accepted_notes=[(r.unit_code, r.unit_name, r.review_note) for r in sources_rows if r.review_note])
    if not first_run:
        result.units_added = [names[u] for u in sorted(now_units - before_units, key=lambda u: names[u])]
        result.units_removed = sorted(removed_names)
        old_files = {uid: fid for uid, fid in before}
        result.files_changed = sorted(names[s.unit_id] for s in sources
                                      if s.unit_id in old_files and old_files[s.unit_id] != s.file_id)

    current = {v.indicator_id: v for v in session.scalars(
        select(IndicatorValue).where(IndicatorValue.return_id == ret.id))}
    provenance = []
    run_reason = _run_reason(result, board)
    label = f"Đang tổng hợp {len(sources)} báo cáo…"
    for step, ind in enumerate(inds):
        report(progress, step, len(inds) + 1, label)
        if ind.kind != "value":
            continue
        cv, included = compute_value(ind, sources, vals, by_code, expected, left_out, rule)
        if cv.method is None:
            continue
        result.values.append(cv)
        for s in sources:
            num, txt, note = vals.get(s.return_id, {}).get(ind.id, (None, None, None))
            provenance.append({"return_id": ret.id, "indicator_id": ind.id, "unit_id": s.unit_id,
                               "child_return_id": s.return_id, "imported_file_id": s.file_id, "value_num": num,
                               "value_text": txt, "note": note, "included": bool(included.get(s.unit_id))})
        _apply(session, ret, ind, cv, current.get(ind.id), take_computed, result, run_reason, user)
    session.execute(delete(ConsolidationSource).where(ConsolidationSource.return_id == ret.id))
    if provenance:  # one Core executemany: tens of thousands of rows for a province's communes
        session.connection().execute(insert(ConsolidationSource.__table__), provenance)
    audit.record(session, "consolidate", "return", ret.id, return_id=ret.id, user=user,
                 old=None if first_run else "lần trước", new=f"{len(sources)}/{expected} đơn vị",
                 reason=run_reason)
    session.flush()
    report(progress, len(inds) + 1, len(inds) + 1, label)
    return result


def _left_out(board: Board) -> str:
    """"1 đơn vị chờ xem xét, 1 đơn vị bị trả lại, 2 đơn vị chưa có báo cáo" (units in scope not counted)."""
    rows = [r for r in board.scope_rows if not r.counted]
    pending = sum(1 for r in rows if r.has_return and r.review == "pending")
    back = sum(1 for r in rows if r.has_return and r.review == "sent_back")
    missing = len(rows) - pending - back
    parts = [f"{pending} đơn vị chờ xem xét" if pending else "", f"{back} đơn vị bị trả lại" if back else "",
             f"{missing} đơn vị chưa có báo cáo" if missing else ""]
    return ", ".join(p for p in parts if p)


def _run_reason(result: ConsolidationResult, board: Board) -> str:
    parts = [f"Tổng hợp từ {len(result.units)} đơn vị đã chấp nhận; {board.sentence}"]
    if result.units_added:
        parts.append("thêm báo cáo của " + ", ".join(result.units_added))
    if result.units_removed:
        parts.append("bớt báo cáo của " + ", ".join(result.units_removed))
    if result.files_changed:
        parts.append("tệp mới của " + ", ".join(result.files_changed))
    return "; ".join(parts)


def _apply(session: Session, ret: Return, ind: Indicator, cv: ConsolidatedValue, row: IndicatorValue | None,
           take_computed, result: ConsolidationResult, reason: str, user: str | None) -> None:  # noqa: ANN001
    new = (cv.number, cv.text)
    shown_new = format_value(ind.value_type, cv.number, cv.text)
    if row is None:
        if cv.blank and not cv.note:
            return
        store_value(session, ret, ind, ParsedValue(*new), cv.note, source="consolidated", source_value=cv.number,
                    source_detail=cv.detail, reason=reason, user=user, current=row)
        if not result.first_run:
            result.changes.append(Change(ind.code, ind.name, "", shown_new))
        return
    old = (row.value_num, row.value_text)
    shown_old = format_value(ind.value_type, *old)
    has_value = old[0] is not None or (old[1] is not None and old[1] != "")
    ours = row.source == "consolidated" or not has_value or ind.code in take_computed
    if ours:
        changed_value = not _same(old, new)
        store_value(session, ret, ind, ParsedValue(*new), cv.note, source="consolidated", source_value=cv.number,
                    source_detail=cv.detail, reason=reason, user=user, current=row)
        if changed_value and (not result.first_run or has_value):
            result.changes.append(Change(ind.code, ind.name, shown_old, shown_new))
        return
    # A value that did not come from consolidation (typed over it, imported, from the plan): keep it.
    if cv.blank:
        return  # no unit gave this value: nothing to compare the user's number with
    if _same(old, new):
        store_value(session, ret, ind, ParsedValue(*new), keep_note=True, source="consolidated",
                    source_value=cv.number, source_detail=cv.detail, user=user, current=row)
        return
    store_value(session, ret, ind, ParsedValue(*old), keep_note=True, source=row.source, source_value=cv.number,
                source_detail=cv.detail, user=user, current=row)
    result.conflicts.append(Conflict(ind.code, ind.name, shown_old, SOURCE_LABELS.get(row.source, row.source),
                                     shown_new))
