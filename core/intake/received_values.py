"""Writing the values of a return received from a unit below (an imported workbook or a hand-typed
appendix): one bulk insert, and one audit row per value that changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from core import audit
from core.values import format_value
from db.models import AuditEntry, IndicatorValue, Return, utcnow

__all__ = [
    "store_return_values",
]


# --------------------------------------------------------------------------- writing a return's values


@dataclass(frozen=True)
class StoredValues:
    return_id: int
    stored: int  # values with data
    changed: int  # codes whose value or note differ from before


def store_return_values(
    s: Session, *, unit_id: int, period_id: int, template_id: int, ret: Return | None, values: dict,
    indicators: dict, file_name: str, exported_at: datetime | None, user: str, draft: bool = False,
) -> StoredValues:
    """Replace a unit's return for a period by the values of a received file (bulk, no per-value queries).

    The return becomes ``origin="imported"`` and locked ("Đã hoàn thành"): it is the unit's data,
    not the receiving unit's. On a replacement every changed value is written to the audit log.
    A new return is written with Core statements (a province receives hundreds in one import);
    an existing one (``ret``, loaded by the caller) is updated through the ORM, which keeps its version.
    """
    now = utcnow()
    by = f"tệp {file_name}"[:128] if not draft else f"tệp {file_name} (bản Nháp)"[:128]
    conn = s.connection()
    name = audit.user_of(s, user)
    audits: list[dict] = []
    if ret is None:
        ret_id = conn.execute(insert(Return.__table__), {
            "unit_id": unit_id, "period_id": period_id, "template_id": template_id, "status": "submitted",
            "origin": "imported", "submitted_at": exported_at, "submitted_by": by, "created_at": now,
            "updated_at": now, "version": 1,
        }).inserted_primary_key[0]
        audits.append({"at": now, "user": name, "action": "create", "entity": "return", "entity_id": ret_id,
                       "return_id": ret_id, "field": None, "old_value": None, "new_value": file_name,
                       "reason": "Tạo từ tệp báo cáo nhận được"})
        old: dict[int, tuple] = {}
    else:
        ret_id = ret.id
        old = {r.indicator_id: (r.value_num, r.value_text, r.note) for r in s.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.value_num, IndicatorValue.value_text,
                   IndicatorValue.note).where(IndicatorValue.return_id == ret_id))}
        s.execute(delete(IndicatorValue).where(IndicatorValue.return_id == ret_id))
    rows, changed = [], 0
    for code, (num, text, note) in values.items():
        if num is None and text is None and note is None:
            continue
        rows.append({"return_id": ret_id, "indicator_id": indicators[code].id, "value_num": num, "value_text": text,
                     "note": note, "source": "import", "source_value": None, "source_detail": None,
                     "updated_at": now})
    if old:
        new_state = {r["indicator_id"]: (r["value_num"], r["value_text"], r["note"]) for r in rows}
        all_ids = set(old) | set(new_state)
        ind_by_id = {i.id: i for i in indicators.values()}
        for iid in sorted(all_ids):
            before, after = old.get(iid, (None, None, None)), new_state.get(iid, (None, None, None))
            if before == after:
                continue
            changed += 1
            ind = ind_by_id.get(iid)
            if ind is None:
                continue
            if before[:2] != after[:2]:
                audits.append(_audit_row(now, name, "value", iid, ret_id, ind.code,
                                         format_value(ind.value_type, *before[:2]) or "(trống)",
                                         format_value(ind.value_type, *after[:2]) or "(trống)", file_name))
            if before[2] != after[2]:
                audits.append(_audit_row(now, name, "note", iid, ret_id, ind.code, before[2], after[2], file_name))
    # Core inserts of the tables (one executemany each, rows in order): the ORM's bulk path would
    # still walk every row through its unit of work.
    if rows:
        conn.execute(insert(IndicatorValue.__table__), rows)
    if audits:
        conn.execute(insert(AuditEntry.__table__), audits)
    if ret is not None:
        ret.origin = "imported"
        ret.status = "submitted"
        ret.submitted_at = exported_at
        ret.submitted_by = by
        ret.updated_at = now
        s.flush()
    return StoredValues(ret_id, len(rows), changed if old else len(rows))


def _audit_row(at: datetime, user: str, entity: str, entity_id: int, return_id: int, code: str,
               old: object, new: object, file_name: str) -> dict:
    return {"at": at, "user": user, "action": "import", "entity": entity, "entity_id": entity_id,
            "return_id": return_id, "field": code, "old_value": None if old is None else str(old),
            "new_value": None if new is None else str(new), "reason": f"Thay bằng tệp {file_name}"}
