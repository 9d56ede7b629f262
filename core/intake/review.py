"""Review of received returns (Xem xét): chờ xem xét → đã chấp nhận, or trả lại with a reason.

Receiving a return is not accepting it. The receiving unit reviews every return it received
— an imported file, or on a shared database a return the unit below typed in and declared
"Đã hoàn thành" — and consolidation (``core.intake.consolidation``) sums accepted returns only.

A review belongs to (receiving unit, unit below, period, version): the version is the current
file, or the submission of a typed-in return. A newer file or a new submission is a new version
and starts pending again; earlier reviews stay as history (``db.models.ReturnReview``). A file
refused at import is never a version and never counts.

- ``accept_return``: a draft, or a return with validation errors (``core.returns.validation``), is
  refused unless a note says why it is accepted anyway.
- ``send_back_return``: needs a reason; ``send_back_note`` is the short note the clerk sends
  down: unit, period, reason and the validation problems of that return.
- ``accept_valid``: accepts every pending return that needs no note (a province with hundreds
  of returns), and lists the ones left for a person.

Every decision is written to the audit log of the unit's return.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Refused
from core.intake.completeness import (
    REVIEW_LABELS,
    Board,
    BoardRow,
    completeness,
    resolve_unit,
    review_version,
    submission_key,
)
from core.org.auth import require_unit
from core.periods import parse_period_code
from core.returns.store import lock_return
from core.returns.validation import ValidationReport, validate_return
from core.vnformat import format_date, utc_to_local
from db.models import ImportedFile, Return, ReturnReview, Unit, utcnow

__all__ = [
    "REVIEW_LABELS",
    "ReviewInfo",
    "ReviewRefused",
    "accept_return",
    "accept_valid",
    "note_file_name",
    "review_info",
    "save_note",
    "send_back_note",
    "send_back_return",
    "upper_review_text",
]


class ReviewRefused(Refused):
    """A review that cannot be made as asked; the message is Vietnamese."""


@dataclass(frozen=True)
class ReviewInfo:
    """One received return as its reviewer sees it: its state, what was received, its problems."""

    parent_code: str
    parent_name: str
    unit_code: str
    unit_name: str
    period_code: str
    period_label: str
    state: str  # pending | accepted | sent_back
    note: str | None  # sent back: the reason; accepted: the note
    decided_by: str | None
    decided_at: datetime | None  # local time
    previous: str | None  # a newer version: what became of the one before
    draft: bool
    file_name: str | None  # None: typed in on this database
    received_text: str  # "18/06/2021 09:30" or "… (ngày hoàn thành)"
    return_id: int
    version: str
    problems: ValidationReport = field(default_factory=ValidationReport)

    @property
    def state_label(self) -> str:
        return REVIEW_LABELS[self.state]

    @property
    def needs_note(self) -> bool:
        """Accepting this return needs a note: it is a draft, or it has validation errors."""
        return self.draft or self.problems.has_errors

    @property
    def why_note(self) -> str:
        """"là bản Nháp và có 1 lỗi" ("" when no note is needed)."""
        parts = []
        if self.draft:
            parts.append("là bản Nháp")
        if self.problems.has_errors:
            parts.append(f"có {len(self.problems.errors)} lỗi")
        return " và ".join(parts)

    @property
    def source_text(self) -> str:
        """"tệp “BaoCao_….xlsx” (xuất lúc 18/06/2021 09:30)" or "báo cáo lập trên cơ sở dữ liệu này"."""
        if self.file_name:
            return f"tệp “{self.file_name}”" + (f" (xuất lúc {self.received_text})" if self.received_text else "")
        return "báo cáo lập trên cơ sở dữ liệu này" + (f", hoàn thành lúc {self.received_text.split(' (')[0]}"
                                                       if self.received_text else "")

    @property
    def state_text(self) -> str:
        text = self.state_label
        if self.decided_at is not None:
            text += f" ngày {format_date(self.decided_at.date())}"
        if self.decided_by:
            text += f" ({self.decided_by})"
        if self.note:
            text += (": " if self.state == "sent_back" else " — ghi chú: ") + self.note
        if self.state == "pending" and self.previous:
            text += f" ({self.previous})"
        return text

    def lines(self) -> list[str]:
        out = [f"Báo cáo {self.period_label} của {self.unit_name} ({self.unit_code}) gửi {self.parent_name}: "
               f"{self.source_text}" + (", bản Nháp" if self.draft else "") + ".",
               f"Xem xét: {self.state_text}."]
        if self.problems.problems:
            out.append(f"Kiểm tra số liệu: {self.problems.summary()}")
            out += [f"  {p.line()}" for p in self.problems.problems]
        else:
            out.append("Kiểm tra số liệu: không có lỗi hay cảnh báo nào.")
        if self.state == "pending" and self.needs_note:
            out.append(f"Báo cáo {self.why_note}: chỉ chấp nhận được khi ghi chú lý do (--note); "
                       "nếu không, hãy trả lại (--send-back \"lý do\").")
        return out

    def as_dict(self) -> dict:
        return {
            "unit": self.parent_code, "unit_name": self.parent_name, "child": self.unit_code,
            "child_name": self.unit_name, "period": self.period_code, "period_label": self.period_label,
            "state": self.state, "state_label": self.state_label, "note": self.note, "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(timespec="minutes") if self.decided_at else None,
            "previous": self.previous, "draft": self.draft, "file": self.file_name, "received": self.received_text,
            "needs_note": self.needs_note, "validation": self.problems.as_dict(),
        }


# --------------------------------------------------------------------------- reading


def _row(session: Session, board: Board, child: str | int | Unit) -> BoardRow:
    unit = resolve_unit(session, child)
    row = next((r for r in board.rows if r.unit_id == unit.id), None)
    if row is None:
        raise ReviewRefused(f"{unit.name} ({unit.code}) không phải đơn vị trực thuộc {board.parent_name} trong kỳ "
                            f"{board.period_label} và không có báo cáo nào của đơn vị này đã được nhận.")
    if not row.has_return:
        if row.state == "decision":
            raise ReviewRefused(f"Tệp báo cáo {board.period_label} của {row.unit_name} đang cần quyết định "
                                f"({row.decision_reason or row.state_label}). "
                                "Hãy quyết định nhận tệp trước khi xem xét.")
        extra = " Đơn vị đang lập báo cáo, chưa hoàn thành." if row.note else ""
        raise ReviewRefused(f"Chưa nhận báo cáo {board.period_label} của {row.unit_name} nên chưa có gì để xem xét."
                            + extra)
    return row


def _info(session: Session, board: Board, row: BoardRow) -> ReviewInfo:
    ret = session.get(Return, row.return_id)
    return ReviewInfo(
        board.parent_code, board.parent_name, row.unit_code, row.unit_name, board.period_code, board.period_label,
        row.review or "pending", row.review_note, row.reviewed_by, row.reviewed_at, row.previous_review, row.draft,
        row.file_name if row.origin == "imported" else None, row.received_text, row.return_id, row.version or "",
        validate_return(session, ret),
    )


def review_info(session: Session, parent: str | int | Unit, child: str | int | Unit, period_code: str) -> ReviewInfo:
    """The received return of ``child`` for the period, as ``parent`` reviews it (refused when
    nothing was received: ``ReviewRefused``)."""
    parent = resolve_unit(session, parent)
    require_unit(session, parent.id)
    board = completeness(session, parent, parse_period_code(period_code).code)
    return _info(session, board, _row(session, board, child))


# --------------------------------------------------------------------------- deciding


def _still_current(session: Session, row: BoardRow, ret: Return) -> bool:
    """Whether the version the board showed is still the one received (read under the return's lock)."""
    version = row.version or ""
    if version.startswith("tệp:"):
        superseded = session.execute(select(ImportedFile.superseded_by_id)
                                     .where(ImportedFile.id == int(version.split(":")[1]))).first()
        return superseded is not None and superseded[0] is None and ret.origin == "imported"
    return ret.status == "submitted" and version == submission_key(ret)


def _decide(session: Session, parent: str | int | Unit, child: str | int | Unit, period_code: str, state: str,
            text: str | None, user: str | None, seen_version: str | None, *, board: Board | None = None,
            info: ReviewInfo | None = None) -> ReviewInfo:
    parent = resolve_unit(session, parent)
    require_unit(session, parent.id, write=True)  # on a shared server: only units in the user's reach
    spec = parse_period_code(period_code)
    board = board or completeness(session, parent, spec.code)
    row = _row(session, board, child)
    ret = lock_return(session, row.return_id)  # two reviewers, or a new version meanwhile: one at a time
    if not _still_current(session, row, ret):  # a newer version came in before the lock: read again
        board = completeness(session, parent, spec.code)
        row, info = _row(session, board, child), None
    if seen_version is not None and row.version != seen_version:
        raise ReviewRefused(f"Báo cáo {spec.label} của {row.unit_name} vừa có bản mới; hãy xem lại trước khi "
                            f"{'chấp nhận' if state == 'accepted' else 'trả lại'}.")
    info = info or _info(session, board, row)
    text = " ".join((text or "").split()) or None
    if state == "sent_back" and not text:
        raise ReviewRefused("Cần ghi lý do trả lại báo cáo để đơn vị biết phải sửa gì.")
    if state == "accepted" and info.needs_note and not text:
        listing = "; ".join(p.message.rstrip(". ") for p in info.problems.errors[:5])
        more = f" và {len(info.problems.errors) - 5} lỗi khác" if len(info.problems.errors) > 5 else ""
        raise ReviewRefused(
            f"Báo cáo {spec.label} của {row.unit_name} {info.why_note}"
            + (f" ({listing}{more})" if listing else "")
            + ": chỉ chấp nhận được khi ghi chú lý do chấp nhận. Nếu không, hãy trả lại để đơn vị sửa.")
    who = audit.user_of(session, user)
    existing = session.scalar(select(ReturnReview).where(ReturnReview.parent_unit_id == parent.id,
                                                         ReturnReview.period_code == spec.code,
                                                         ReturnReview.unit_id == row.unit_id)
                              .order_by(ReturnReview.decided_at.desc(), ReturnReview.id.desc()).limit(1))
    same = existing is not None and review_version(existing) == row.version
    if same and existing.state == state and (existing.reason or None) == text:
        return info  # nothing to change
    old_label = REVIEW_LABELS[existing.state] if same else REVIEW_LABELS["pending"]
    now = utcnow()
    if same:
        existing.state, existing.reason, existing.decided_by, existing.decided_at = state, text, who, now
    else:
        file_id = int(row.version.split(":")[1]) if row.version and row.version.startswith("tệp:") else None
        session.add(ReturnReview(parent_unit_id=parent.id, unit_id=row.unit_id, period_code=spec.code,
                                 return_id=row.return_id, imported_file_id=file_id,
                                 submitted_at=ret.submitted_at if file_id is None else None,
                                 state=state, reason=text, decided_by=who, decided_at=now))
    audit.record(session, "review", "return", row.return_id, return_id=row.return_id, field="review",
                 old=old_label, new=REVIEW_LABELS[state], user=user,
                 reason=f"{parent.name}: {text}" if text else parent.name)
    session.flush()
    return dataclasses.replace(info, state=state, note=text, decided_by=who, decided_at=utc_to_local(now),
                               previous=None)


def accept_return(session: Session, parent: str | int | Unit, child: str | int | Unit, period_code: str, *,
                  note: str | None = None, user: str | None = None, seen_version: str | None = None) -> ReviewInfo:
    """Accept the received return of ``child``: consolidation will count it.

    Refused (``ReviewRefused``) for a draft or a return with validation errors unless ``note`` says
    why, and when ``seen_version`` (``BoardRow.version`` as the screen showed it) is no longer the
    version received. Runs in the caller's transaction.
    """
    return _decide(session, parent, child, period_code, "accepted", note, user, seen_version)


def send_back_return(session: Session, parent: str | int | Unit, child: str | int | Unit, period_code: str,
                     reason: str, *, user: str | None = None, seen_version: str | None = None) -> ReviewInfo:
    """Send the received return of ``child`` back with ``reason`` (required): consolidation leaves it
    out until a newer version comes and is accepted."""
    return _decide(session, parent, child, period_code, "sent_back", reason, user, seen_version)


def accept_valid(session: Session, parent: str | int | Unit, period_code: str, *,
                 user: str | None = None) -> tuple[list[ReviewInfo], list[ReviewInfo]]:
    """Accept every pending return that needs no note (not a draft, no validation error).
    Returns (accepted, left for a person)."""
    parent = resolve_unit(session, parent)
    spec = parse_period_code(period_code)
    board = completeness(session, parent, spec.code)  # once: each decision checks its own version under lock
    accepted, left = [], []
    for row in board.review_rows("pending"):
        info = _info(session, board, row)
        if info.needs_note:
            left.append(info)
        else:
            accepted.append(_decide(session, parent, row.unit_id, spec.code, "accepted", None, user, row.version,
                                    board=board, info=info))
    return accepted, left


# --------------------------------------------------------------------------- the note sent down


def send_back_note(info: ReviewInfo) -> str:
    """The short note a clerk sends down with a return sent back: unit, period, what was received,
    the reason, and every validation problem of that return (codes and messages)."""
    when = format_date(info.decided_at.date()) if info.decided_at else format_date(datetime.now().date())
    lines = [
        f"THÔNG BÁO TRẢ LẠI BÁO CÁO CCHC {info.period_label.upper()}",
        f"Kính gửi: {info.unit_name} ({info.unit_code})",
        f"{info.parent_name} trả lại báo cáo {info.period_label} của đơn vị ({info.source_text}"
        + (", bản Nháp" if info.draft else "") + f") ngày {when} để chỉnh sửa.",
        f"Lý do: {info.note or '(chưa ghi)'}",
    ]
    problems = info.problems.problems
    if problems:
        lines.append(f"Kết quả kiểm tra số liệu của báo cáo ({info.problems.summary().rstrip('.')}):")
        lines += [f"{i}. {p.line()}" for i, p in enumerate(problems, start=1)]
    else:
        lines.append("Kiểm tra số liệu của báo cáo: không có lỗi hay cảnh báo nào.")
    if info.draft:
        lines.append("Báo cáo gửi lên còn ở trạng thái Nháp: cần “Hoàn thành báo cáo” trước khi xuất gửi lại.")
    lines.append("Đề nghị đơn vị mở lại báo cáo, chỉnh sửa, hoàn thành và gửi lại tệp báo cáo mới.")
    if info.decided_by:
        lines.append(f"Người trả lại: {info.decided_by}")
    return "\n".join(lines)


def note_file_name(info: ReviewInfo) -> str:
    """``TraLai_<mã đơn vị>_<kỳ>.txt``, safe on Windows."""
    from core.filenames import export_file_stem

    return export_file_stem(info.unit_code, parse_period_code(info.period_code), prefix="TraLai") + ".txt"


def save_note(text: str, path: Path | str) -> Path:
    """Write the note as a text file Notepad opens with its diacritics (UTF-8 with BOM, CRLF)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig", newline="\r\n") as fh:
        fh.write(text + "\n")
    return path


def upper_review_text(session: Session, ret: Return) -> str | None:
    """What the unit above decided about this return, for the unit's own screen on a shared database
    (its return typed in there): "Cấp trên (UBND huyện An Bình) đã trả lại báo cáo ngày 21/06/2021:
    thiếu 1.1.3. …", "… đã chấp nhận …", "Đã gửi, chờ cấp trên xem xét."; None when there is nothing to say."""
    if ret.origin != "entered":
        return None
    rv = session.scalar(select(ReturnReview).where(ReturnReview.return_id == ret.id,
                                                   ReturnReview.imported_file_id.is_(None))
                        .order_by(ReturnReview.decided_at.desc(), ReturnReview.id.desc()).limit(1))
    current = rv is not None and ret.status == "submitted" and rv.submitted_at == ret.submitted_at
    if rv is not None and (current or (ret.status == "draft" and rv.state == "sent_back")):
        who = session.get(Unit, rv.parent_unit_id)
        when = format_date(rv.decided_at.date())
        if rv.state == "accepted":
            return f"Cấp trên ({who.name}) đã chấp nhận báo cáo ngày {when}."
        text = f"Cấp trên ({who.name}) đã trả lại báo cáo ngày {when}: {rv.reason}."
        return text + (" Hãy mở lại báo cáo để sửa." if ret.status == "submitted"
                       else " Sửa xong, hãy hoàn thành báo cáo để gửi lại.")
    if ret.status == "submitted" and ret.unit.parent_id is not None:
        return "Đã hoàn thành, chờ cấp trên xem xét."
    return None
