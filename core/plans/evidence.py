"""Evidence (tài liệu kiểm chứng) of a task's progress in a period: attaching a document and its file,
finding the file's copy to open, and removing a document from a period's state.

A file is copied beside a SQLite database (``core.attachments``) or kept in a server's database;
each change is audited and belongs to the period's own progress record (``core.plans.progress``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, object_session

from core import audit
from core.appdata import attachments_dir
from core.attachments import IN_DATABASE, copy_into, open_stored, store_in_database, stored_path_beside
from core.periods import spec_of
from core.plans.progress import ProgressError, clean_text, get_period, get_task, own_record, parse_day
from core.plans.task_state import evidence_key, task_state
from core.vnformat import format_date, nfc
from db.dialect import features_of
from db.models import Evidence

__all__ = [
    "add_evidence",
    "evidence_file",
    "remove_evidence",
]


MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


# --- evidence -------------------------------------------------------------------------------------

def add_evidence(
    session: Session,
    task_id: int,
    period_id: int,
    *,
    document_number: str | None = None,
    document_date: date | str | None = None,
    summary: str | None = None,
    file: Path | str | None = None,
    db_path: Path | str | None = None,
    user: str | None = None,
) -> Evidence:
    """Attach a document (e.g. "Quyết định số 766/QĐ-UBND") to a task's progress in a period.

    A ``file`` is copied into the app's data folder beside the database
    (``attachments_dir(db_path)/<task id>/<original name>``) with its SHA-256. On a shared server
    (no ``db_path``) the file goes into the database itself (``EvidenceContent``), so every user
    can open it; ``stored_path`` is then ``db:<content id>``.
    """
    task = get_task(session, task_id)
    period = get_period(session, period_id)
    number = clean_text(document_number)
    day = parse_day(document_date, "Ngày văn bản")
    text = clean_text(summary)
    src = Path(file) if file else None
    if not (number or text or src):
        raise ProgressError("Tài liệu kiểm chứng cần có số/ký hiệu văn bản, trích yếu hoặc tệp đính kèm.")
    if number and len(number) > 128:
        raise ProgressError("Số/ký hiệu văn bản quá dài (tối đa 128 ký tự).")
    in_database = db_path is None and not features_of(session).embedded
    if src is not None:
        if db_path is None and not in_database:
            raise ProgressError("Không đính kèm được tệp: chưa biết thư mục dữ liệu của chương trình.")
        if not src.is_file():
            raise ProgressError(f"Không tìm thấy tệp “{src}”.")
        if src.stat().st_size > MAX_EVIDENCE_BYTES:
            raise ProgressError(
                f"Tệp “{src.name}” quá lớn ({src.stat().st_size // (1024 * 1024)} MB); "
                f"giới hạn là {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB."
            )
    progress, _ = own_record(session, task, period, task_state(session, task, period), user)
    evidence = Evidence(progress=progress, document_number=number, document_date=day, summary=text)
    copied: Path | None = None
    try:
        if src is not None and in_database:
            session.add(evidence)
            content = store_in_database(session, src.read_bytes(), src.name)
            evidence.file_name = content.file_name
            evidence.sha256, evidence.file_size = content.sha256, content.file_size
            if content.evidence_id is None:
                content.evidence_id = evidence.id
            evidence.stored_path = f"{IN_DATABASE}{content.id}"
        elif src is not None:
            base = attachments_dir(Path(db_path))  # type: ignore[arg-type]
            copied, sha, size = copy_into(src, base / str(task.id))
            evidence.file_name = nfc(src.name)
            evidence.stored_path = stored_path_beside(Path(db_path), copied)  # type: ignore[arg-type]
            evidence.sha256 = sha
            evidence.file_size = size
        session.add(evidence)
        session.flush()
    except OSError as exc:  # its English text stays out of the message
        raise ProgressError(f"Không sao chép được tệp “{src.name if src else ''}”: tệp không đọc được, đang bị chương "
                            "trình khác khóa, hoặc ổ đĩa đầy hay không cho ghi.") from exc
    audit.record(session, "create", "evidence", evidence.id, user=user,
                 new="; ".join(filter(None, [number, format_date(day) if day else None, text, evidence.file_name])))
    return evidence


def evidence_file(evidence: Evidence, db_path: Path | str | None) -> Path | None:
    """Where an evidence's attached copy is on disk (``core.attachments.open_stored``). ``evidence`` may be a
    row the screens hold (only ``stored_path`` is read) unless its file is kept in the database."""
    stored = evidence.stored_path
    session = object_session(evidence) if stored and stored.startswith(IN_DATABASE) else None
    return open_stored(session, stored, db_path)


def remove_evidence(session: Session, evidence_id: int, *, period_id: int | None = None,
                    user: str | None = None) -> None:
    """Remove an evidence row; the copied file stays (nothing is lost, a backup may need it).

    With ``period_id``, the evidence is removed from the task's state in that period: one carried
    from an earlier period stays in that period's record, and this period gets its own record
    (the carried state without that document).
    """
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise ProgressError(f"Không tìm thấy tài liệu kiểm chứng (mã {evidence_id}).")
    if period_id is not None and evidence.progress.period_id != period_id:
        task, period = evidence.progress.task, get_period(session, period_id)
        state = task_state(session, task, period)
        # The document as the period shows it: this id, or its copy in the period's own record.
        match = (next((e for e in state.evidence if e.id == evidence_id), None)
                 or next((e for e in state.evidence if evidence_key(e) == evidence_key(evidence)), None))
        if match is None:
            raise ProgressError(f"Tài liệu kiểm chứng này không thuộc tiến độ của nhiệm vụ kỳ {spec_of(period).label}.")
        _, copies = own_record(session, task, period, state, user)
        evidence = copies.get(match.id) or session.get(Evidence, match.id)
    audit.record(session, "delete", "evidence", evidence.id, user=user,
                 old="; ".join(filter(None, [evidence.document_number, evidence.summary, evidence.file_name])))
    evidence.progress.evidence.remove(evidence)  # delete-orphan: the row goes at flush
    session.flush()
