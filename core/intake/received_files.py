"""The files a receiving unit keeps from the return packages of the units below: their signed PDF
reports and the evidence files of their tasks, stored when the package is imported and opened from
the "Tổng hợp" screen (``received_files`` lists them; ``open_received`` gives a path to open).

Each file was checked against the package's sealed list (``core.reports.package``) before it was kept;
it is stored like the unit's own attachments (``core.attachments``): beside a SQLite file under
``<db>.attachments/received/<imported file id>/``, in the database on a shared server.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.appdata import attachments_dir
from core.attachments import IN_DATABASE, open_stored, store_in_database, stored_path_beside
from core.errors import Refused
from core.filenames import safe_filename
from core.intake.packages import ReturnPackage
from core.reports.package import EVIDENCE_FOLDER, evidence_refs
from core.reports.seal import PackageFile
from core.vnformat import format_date, nfc
from db.files import sha256_of_file, write_atomically
from db.models import ImportedFile, ReceivedFile, Unit

ROLE_LABELS = {"report": "Báo cáo (PDF)", "evidence": "Tài liệu kiểm chứng"}


def store_received_files(session: Session, db_path: Path | None, imported: ImportedFile, package: ReturnPackage,
                         listed: list[PackageFile], content: dict) -> int:
    """Keep every file the seal lists (each checked again against its SHA-256); returns how many."""
    refs = evidence_refs(content)
    count = 0
    for item in listed:
        data = package.read(item.path)
        if len(data) != item.size or hashlib.sha256(data).hexdigest() != item.sha256:
            raise Refused(f"Tệp “{item.path}” trong gói đã thay đổi trong khi nhập; hãy nhập lại gói.")
        name = nfc(PurePosixPath(item.path).name)
        if db_path is not None:
            folder = attachments_dir(db_path) / "received" / str(imported.id)
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / safe_filename(name)
            n = 2
            while target.exists():  # two members of one name (in different folders of the package)
                target = folder / safe_filename(f"{Path(name).stem} ({n}){Path(name).suffix}")
                n += 1
            write_atomically(target, data)
            stored = stored_path_beside(db_path, target)
        else:
            stored = f"{IN_DATABASE}{store_in_database(session, data, name).id}"
        ref = refs.get(item.sha256)
        role = "evidence" if item.path.startswith(f"{EVIDENCE_FOLDER}/") or ref is not None else "report"
        session.add(ReceivedFile(
            imported_file_id=imported.id, unit_id=imported.unit_id, period_code=imported.period_code, role=role,
            package_path=item.path, file_name=ref.file_name if ref else name, sha256=item.sha256,
            file_size=item.size, task_area=ref.task_area if ref else None, task_number=ref.task_number if ref else None,
            task_title=ref.task_title if ref else None,
            document_number=(nfc(str(ref.document_number))[:128] if ref and ref.document_number else None),
            document_date=ref.document_date if ref else None, summary=ref.summary if ref else None,
            stored_path=stored))
        count += 1
    session.flush()
    return count


@dataclass(frozen=True)
class ReceivedRow:
    """A received file as the screen lists it."""

    id: int
    unit_code: str
    unit_name: str
    role: str
    file_name: str
    file_size: int
    task: str  # "II.3 – Ban hành kế hoạch tuyên truyền …"
    document: str  # "Quyết định số 766/QĐ-UBND ngày 26/12/2020: …"
    source_file: str  # the package it came in
    stored_path: str
    sha256: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def as_dict(self) -> dict:
        return {"id": self.id, "unit": self.unit_code, "unit_name": self.unit_name, "role": self.role,
                "file": self.file_name, "size": self.file_size, "task": self.task, "document": self.document,
                "package": self.source_file, "sha256": self.sha256}


def _document(number: str | None, day: date | None, summary: str | None) -> str:
    head = (number or "").strip()
    if day:
        head = f"{head} ngày {format_date(day)}".strip()
    parts = [p for p in (head, (summary or "").strip()) if p]
    return ": ".join(parts)


def received_files(session: Session, parent_unit_id: int, period_code: str,
                   unit_id: int | None = None) -> list[ReceivedRow]:
    """The files received for ``period_code`` with the returns that are in force (the accepted file of
    each unit, not the ones a newer version replaced), by unit then report first."""
    stmt = (select(ReceivedFile, ImportedFile.file_name, Unit.code, Unit.name)
            .join(ImportedFile, ImportedFile.id == ReceivedFile.imported_file_id)
            .outerjoin(Unit, Unit.id == ReceivedFile.unit_id)
            .where(ImportedFile.parent_unit_id == parent_unit_id, ImportedFile.period_code == period_code,
                   ImportedFile.superseded_by_id.is_(None), ImportedFile.outcome.in_(("imported", "replaced"))))
    if unit_id is not None:
        stmt = stmt.where(ReceivedFile.unit_id == unit_id)
    rows = []
    for rf, package_name, code, name in session.execute(stmt):
        task = ".".join(p for p in (rf.task_area, rf.task_number) if p)
        if rf.task_title:
            task = f"{task} – {rf.task_title}" if task else rf.task_title
        rows.append(ReceivedRow(rf.id, code or "", name or "", rf.role, rf.file_name, rf.file_size, task,
                                _document(rf.document_number, rf.document_date, rf.summary), package_name,
                                rf.stored_path, rf.sha256))
    rows.sort(key=lambda r: (r.unit_code, r.role != "report", r.task, r.file_name))
    return rows


def open_received(session: Session, received_id: int, db_path: Path | str | None) -> Path | None:
    """A path to open the received file with, checked against its SHA-256; None if it is gone."""
    row = session.get(ReceivedFile, received_id)
    if row is None:
        return None
    path = open_stored(session, row.stored_path, db_path)
    if path is None or not path.is_file():
        return None
    return path if sha256_of_file(path) == row.sha256 else None
