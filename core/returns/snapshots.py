"""A submitted return is a frozen snapshot: what it showed when it was submitted, kept as it was.

Submitting ("Hoàn thành báo cáo") stores everything the report shows (``ReturnExport.snapshot``):
the values, the task states of the period (Phụ lục II), the narrative as printed, the header
(issuing and superior body, number, place and date), the signer, Kính gửi and Nơi nhận, the
data window, the form version and the rounding rule. Every later export of the return is built
from it — the same PDF text and the same data-sheet SHA-256, whatever the settings say later —
and the return screen shows it ("Nội dung báo cáo" shows the narrative the PDF prints).

"Mở lại báo cáo" (with a reason, ``core.returns.store.reopen``) releases the snapshot: the row
stays, with when, who and why, as history, and the return is read from the database and the settings as they are now
until it is submitted again, which takes a new snapshot.

A return submitted before snapshots existed is frozen the first time the program needs its
snapshot (``ensure_frozen``: the return screen, an export, its narrative, reopening), from the
database and settings of that moment, with an audit entry. Returns received from units below
(origin "imported") are their units' data, read from the files received, and are not frozen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.org.auth import can_write
from core.periods import window_words
from core.returns.narrative import SectionView
from core.returns.report_collect import live_export
from core.returns.report_model import ExportSection, ReturnExport, canonical_json
from core.vnformat import format_date
from db.models import Return, ReturnSnapshot, utcnow

__all__ = [
    "REOPEN_NOTICE",
    "FreezeInfo",
    "differences",
    "ensure_frozen",
    "freeze",
    "freeze_info",
    "frozen_export",
    "frozen_sections",
    "needs_freezing",
]

REOPEN_NOTICE = ("Khi mở lại, báo cáo lấy ngày chốt số liệu, số và ngày văn bản, người ký, Kính gửi, Nơi nhận, "
                 "tình hình nhiệm vụ và quy tắc làm tròn theo cài đặt và dữ liệu hiện tại; bản đã khóa được giữ "
                 "trong lịch sử.")

OCCASION_LABELS = {"submit": "khi hoàn thành báo cáo",
                   "upgrade": "lần đầu dùng sau khi nâng cấp chương trình (báo cáo hoàn thành trước đó)"}


def current_snapshot(session: Session, return_id: int) -> ReturnSnapshot | None:
    """The snapshot in force: the latest one not released."""
    return session.scalar(
        select(ReturnSnapshot)
        .where(ReturnSnapshot.return_id == return_id, ReturnSnapshot.released_at.is_(None))
        .order_by(ReturnSnapshot.id.desc()).limit(1))


def last_released(session: Session, return_id: int) -> ReturnSnapshot | None:
    return session.scalar(
        select(ReturnSnapshot)
        .where(ReturnSnapshot.return_id == return_id, ReturnSnapshot.released_at.is_not(None))
        .order_by(ReturnSnapshot.id.desc()).limit(1))


def _export_of(row: ReturnSnapshot) -> ReturnExport:
    return ReturnExport.from_snapshot(json.loads(row.document))


def freezable(ret: Return) -> bool:
    """This unit's own returns (entered or consolidated here), not the files received from below."""
    return ret.origin != "imported"


def freeze(session: Session, ret: Return, *, user: str | None = None, occasion: str = "submit") -> ReturnSnapshot:
    """Take the snapshot of a submitted return from the database and settings as they are now."""
    data = live_export(session, ret)
    document = canonical_json(data.snapshot())
    row = ReturnSnapshot(
        return_id=ret.id, taken_at=utcnow(), taken_by=audit.user_of(session, user), occasion=occasion,
        content_sha256=data.content_sha256(), document=document,
        document_sha256=hashlib.sha256(document.encode("utf-8")).hexdigest(),
    )
    session.add(row)
    session.flush()
    audit.record(session, "freeze", "return", ret.id, return_id=ret.id, field="snapshot", user=user,
                 new=f"mã kiểm tra nội dung {row.content_sha256}",
                 reason=f"Lưu bản khóa {OCCASION_LABELS.get(occasion, occasion)}")
    return row


def needs_freezing(session: Session, ret: Return) -> bool:
    """A submitted return of this unit that has no snapshot yet (submitted before snapshots existed)."""
    return ret.status == "submitted" and freezable(ret) and current_snapshot(session, ret.id) is None


def ensure_frozen(session: Session, ret: Return, user: str | None = None) -> ReturnSnapshot | None:
    """The snapshot in force of a submitted return, taken now if it has none (see the module text)."""
    if ret.status != "submitted" or not freezable(ret):
        return None
    found = current_snapshot(session, ret.id)
    if found is not None or not can_write(session):  # a viewer reads it as it is; an editor freezes it
        return found
    return freeze(session, ret, user=user, occasion="upgrade")


def frozen_export(session: Session, ret: Return) -> ReturnExport | None:
    """The report of a submitted return as frozen (None: not frozen)."""
    if ret.status != "submitted":
        return None
    row = current_snapshot(session, ret.id)
    return _export_of(row) if row is not None else None


def _view(s: ExportSection) -> SectionView:
    return SectionView(s.key, s.title, s.level, s.parent, s.draft, s.user_text, s.stale)


def frozen_sections(session: Session, ret: Return) -> list[SectionView] | None:
    """The narrative of a submitted return as frozen, section by section (None: not frozen)."""
    data = frozen_export(session, ret)
    return [_view(s) for s in data.sections] if data is not None else None


# --------------------------------------------------------------------------- what a screen says


@dataclass(frozen=True)
class FreezeInfo:
    """What the return screen says about the return's snapshot."""

    frozen: bool  # submitted and frozen: exports come from the snapshot
    taken_at: datetime | None = None  # UTC
    taken_by: str | None = None
    occasion: str | None = None
    content_sha256: str | None = None
    window_text: str = ""  # the frozen data window: "Từ ngày 15/12/2020 đến ngày 14/6/2021"
    released_at: datetime | None = None  # UTC, for a reopened return
    released_by: str | None = None
    release_reason: str | None = None
    changes: list[str] = field(default_factory=list)  # a reopened return: what differs now from the snapshot

    @property
    def reopened(self) -> bool:
        return not self.frozen and self.released_at is not None

    def as_dict(self) -> dict:
        return {"frozen": self.frozen,
                "taken_at": self.taken_at.isoformat(timespec="seconds") if self.taken_at else None,
                "taken_by": self.taken_by, "occasion": self.occasion, "content_sha256": self.content_sha256,
                "window": self.window_text,
                "released_at": self.released_at.isoformat(timespec="seconds") if self.released_at else None,
                "released_by": self.released_by, "release_reason": self.release_reason,
                "changes": list(self.changes)}


def window_text(data: ReturnExport) -> str:
    if data.window_start is None or data.cutoff is None:
        return ""
    return window_words(data.window_start, data.cutoff)


def freeze_info(session: Session, ret: Return) -> FreezeInfo | None:
    """The snapshot in force of a submitted return, or, for a reopened one, the last snapshot and
    what the return now says differently. None: never frozen (a draft never submitted, a return
    received from a unit below)."""
    if ret.status == "submitted":
        row = current_snapshot(session, ret.id)
        if row is None:
            return None
        return FreezeInfo(True, row.taken_at, row.taken_by, row.occasion, row.content_sha256,
                          window_text(_export_of(row)))
    row = last_released(session, ret.id)
    if row is None:
        return None
    return FreezeInfo(False, row.taken_at, row.taken_by, row.occasion, row.content_sha256,
                      window_text(_export_of(row)), row.released_at, row.released_by, row.release_reason,
                      differences(_export_of(row), live_export(session, ret)))


def _shown(value: object) -> str:
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value if str(v).strip())
    text = " ".join(str(value or "").split())
    return f"“{text}”" if text else "(trống)"


_HEADER_FIELDS = (
    ("document_number", "Số, ký hiệu văn bản"),
    ("issue_date", "Ngày ban hành"),
    ("place", "Địa danh"),
    ("issuing_body", "Cơ quan ban hành"),
    ("superior_body", "Cơ quan chủ quản"),
    ("authority_line", "Quyền hạn ký"),
    ("acting_line", "Ký thay"),
    ("position", "Chức vụ người ký"),
    ("signer_name", "Người ký"),
    ("recipients", "Kính gửi"),
    ("distribution", "Nơi nhận"),
)

_ROUNDING_LABELS = {"half_up": "làm tròn", "truncate": "cắt bớt"}


def differences(before: ReturnExport, now: ReturnExport) -> list[str]:
    """What ``now`` says differently from ``before``, in Vietnamese, one line per item."""
    out = []
    if window_text(before) != window_text(now):
        out.append(f"Kỳ số liệu: {window_text(before)} → {window_text(now)}")
    for name, label in _HEADER_FIELDS:
        a, b = getattr(before.header, name), getattr(now.header, name)
        if name == "issue_date":
            a, b = format_date(a), format_date(b)
        if a != b:
            out.append(f"{label}: {_shown(a)} → {_shown(b)}")
    if before.rounding != now.rounding:
        out.append(f"Quy tắc tỷ lệ phần trăm: {_ROUNDING_LABELS.get(before.rounding, before.rounding)} → "
                   f"{_ROUNDING_LABELS.get(now.rounding, now.rounding)}")
    if (before.template_code, before.template_version) != (now.template_code, now.template_version):
        out.append(f"Biểu mẫu: {before.template_code} phiên bản {before.template_version} → "
                   f"{now.template_code} phiên bản {now.template_version}")
    old_values = {r.code: (r.value, r.note) for r in before.value_rows}
    new_values = {r.code: (r.value, r.note) for r in now.value_rows}
    codes = [c for c in dict.fromkeys([*old_values, *new_values]) if old_values.get(c) != new_values.get(c)]
    if codes:
        shown = ", ".join(codes[:10]) + (", …" if len(codes) > 10 else "")
        out.append(f"Số liệu: {len(codes)} chỉ tiêu khác ({shown})")
    old_tasks = {(t.area_numeral, t.number, t.title): t for t in before.tasks}
    new_tasks = {(t.area_numeral, t.number, t.title): t for t in now.tasks}
    moved = [k for k in dict.fromkeys([*old_tasks, *new_tasks]) if old_tasks.get(k) != new_tasks.get(k)]
    if moved:
        out.append(f"Tình hình nhiệm vụ (Phụ lục II): {len(moved)} nhiệm vụ khác")
    old_text = {s.key: s.text for s in before.sections}
    changed = [s.title for s in now.sections if old_text.get(s.key) != s.text]
    if changed:
        out.append(f"Nội dung thuyết minh: {len(changed)} phần khác ({'; '.join(changed[:5])}"
                   f"{'; …' if len(changed) > 5 else ''})")
    return out
