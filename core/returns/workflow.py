"""The return's workflow — Nháp (draft) → Đã hoàn thành (submitted, frozen) — and its audit log.

``submit_return`` is refused while an error exists, a warning lacks a note, an applicable row
is blank, or a hand-written narrative section is out of date with the figures and not
confirmed (the refusal lists them); it then takes the return's snapshot (``core.returns.snapshots``).
``reopen_return`` needs a reason and releases the snapshot (kept as history). Every value
change, note change, narrative edit, submit, snapshot and reopen is in the audit log, which
``audit_for_return`` and ``audit_for_value`` read back for a screen or a command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.returns.narrative import regenerate_drafts, stale_sections
from core.returns.plan_values import refresh_plan_values
from core.returns.snapshots import ensure_frozen, freeze
from core.returns.store import (
    STATUS_LABELS,
    ConcurrentEditError,
    SubmitRefusedError,
    lock_return,
    reopen,
    stale_writes_refused,
    submit,
)
from core.returns.validation import ValidationReport
from db.models import AuditEntry, Return

ACTION_LABELS = {
    ("create", "return"): "Tạo báo cáo",
    ("update", "value"): "Sửa số liệu",
    ("update", "note"): "Sửa ghi chú",
    ("update", "section"): "Sửa phần thuyết minh",
    ("submit", "return"): "Hoàn thành báo cáo",
    ("reopen", "return"): "Mở lại báo cáo",
    ("import", "return"): "Nhập báo cáo từ tệp",
    ("import", "value"): "Số liệu thay bằng tệp mới",
    ("import", "note"): "Ghi chú thay bằng tệp mới",
    ("consolidate", "return"): "Tổng hợp",
    ("review", "return"): "Cấp trên xem xét báo cáo",
    ("update", "return"): "Sửa báo cáo",
    ("freeze", "return"): "Lưu bản khóa",
}


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    user: str
    action: str
    entity: str
    code: str | None  # the indicator code of a value/note, the section key of a section
    old: str | None
    new: str | None
    reason: str | None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get((self.action, self.entity), f"{self.action} {self.entity}")

    def line(self) -> str:
        """``"05/01/2022 08:30 nva — Sửa số liệu 1.1.2: 10 → 11"``."""
        what = self.action_label + (f" {self.code}" if self.code and self.entity != "return" else "")
        old = self.old if self.old is not None else "(trống)"
        new = self.new if self.new is not None else "(trống)"
        change = f": {old} → {new}"
        reason = f" (lý do: {self.reason})" if self.reason else ""
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} — {what}{change}{reason}"

    def as_dict(self) -> dict:
        return {"at": self.at.isoformat(timespec="seconds"), "user": self.user, "action": self.action,
                "entity": self.entity, "label": self.action_label, "code": self.code, "old": self.old,
                "new": self.new, "reason": self.reason}


def _rows(entries) -> list[AuditRow]:
    return [AuditRow(e.at, e.user, e.action, e.entity, e.field, e.old_value, e.new_value, e.reason) for e in entries]


def audit_for_return(session: Session, return_id: int) -> list[AuditRow]:
    """Everything that happened to a return, oldest first."""
    return _rows(session.scalars(
        select(AuditEntry)
        .where(or_(AuditEntry.return_id == return_id,
                   (AuditEntry.entity == "return") & (AuditEntry.entity_id == return_id)))
        .order_by(AuditEntry.at, AuditEntry.id)
    ))


def audit_for_value(session: Session, return_id: int, code: str) -> list[AuditRow]:
    """The history of one value of a return (its number and its note), oldest first."""
    return _rows(session.scalars(
        select(AuditEntry)
        .where(AuditEntry.return_id == return_id, AuditEntry.field == code,
               AuditEntry.entity.in_(("value", "note")))
        .order_by(AuditEntry.at, AuditEntry.id)
    ))


def _get(session: Session, return_id: int, seen_version: int | None) -> Return:
    """The return, locked for this transaction (``lock_return``), checked against what the user saw."""
    from core.org.auth import require_unit

    ret = lock_return(session, return_id)
    require_unit(session, ret.unit_id, write=True)
    if seen_version is not None and ret.version != seen_version:
        raise ConcurrentEditError.for_return(return_id, what=" kể từ khi bạn mở nó")
    return ret


def submit_return(session: Session, return_id: int, user: str | None = None, *,
                  seen_version: int | None = None, confirm_stale: bool = False) -> ValidationReport:
    """Declare the return finished (locked) and freeze it. The plan's task counts are brought up
    to date first, so a stale plan figure cannot be locked in, and the narrative is drafted from
    the figures being locked. Raises ``SubmitRefusedError`` listing what blocks it; hand-written
    narrative sections whose figures changed since they were written block it unless
    ``confirm_stale`` (the user has seen them named and keeps them).

    Safe with several users: the return is locked first, so a value being saved at the same
    moment is either in what is validated and locked, or refused afterwards (the return is
    then submitted). ``seen_version`` (``Return.version`` as the screen showed it) refuses the
    submit with ``ConcurrentEditError`` if anyone changed the return since.
    """
    ret = _get(session, return_id, seen_version)
    with stale_writes_refused(return_id):
        if ret.status == "draft":
            refresh_plan_values(session, ret)
            regenerate_drafts(session, ret)
        stale = [] if confirm_stale or ret.status != "draft" else stale_sections(session, ret)
        report = submit(session, ret, user=user, stale=stale)
        session.flush()
        freeze(session, ret, user=user)
    return report


def reopen_return(session: Session, return_id: int, reason: str, user: str | None = None, *,
                  seen_version: int | None = None) -> None:
    """Unlock a finished return for editing; ``reason`` is required and logged. Its snapshot is
    released and kept as history (a return frozen before snapshots existed is frozen first, so
    what it said stays on record)."""
    ret = _get(session, return_id, seen_version)
    with stale_writes_refused(return_id):
        if ret.status == "submitted" and (reason or "").strip():  # a refusal below changes nothing
            ensure_frozen(session, ret, user=user)
        reopen(session, ret, reason, user=user)
        session.flush()


__all__ = [
    "ACTION_LABELS",
    "AuditRow",
    "STATUS_LABELS",
    "SubmitRefusedError",
    "audit_for_return",
    "audit_for_value",
    "reopen_return",
    "submit_return",
]
