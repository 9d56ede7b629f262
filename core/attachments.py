"""Where attached files live: the unit's own evidence (``Evidence``) and the files received in a
return package (``ReceivedFile``) are stored the same way.

- On a SQLite file, beside the database: ``<db>.attachments/<folder>/<name>``; the row's
  ``stored_path`` is relative to the database's folder ("cchc.attachments/12/QĐ 766.pdf"). The
  first part names the attachment folder of the database the file was added to; the file is looked
  for in *this* database's folder (``attachments_dir``), so a database copied under another name
  (``migrate-db``, a restore) with its folder finds its files.
- On a shared server (no folder every user can open), inside the database: ``evidence_content``,
  ``stored_path`` = ``db:<id>``; the same bytes are kept once.

Backups (``db.backup``) and ``migrate-db`` (``db.transfer``) carry both kinds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.appdata import attachments_dir, data_dir
from core.vnformat import nfc
from db.attachments import IN_DATABASE, path_beside
from db.files import sha256_of_file, write_atomically
from db.models import EvidenceContent

__all__ = ["IN_DATABASE", "copy_into", "open_stored", "path_beside", "read_stored", "store_in_database",
           "stored_path_beside"]


def copy_into(src: Path, folder: Path) -> tuple[Path, str, int]:
    """Copy ``src`` into ``folder`` keeping its name (NFC); a different file of the same name gets " (2)".

    Returns (the copy, its SHA-256, its size); the same bytes already there under that name are reused.
    """
    digest = hashlib.sha256()
    size = 0
    folder.mkdir(parents=True, exist_ok=True)
    name = nfc(src.name)
    tmp = folder / f".{name}.partial"
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        while chunk := fin.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
            fout.write(chunk)
        fout.flush()
    sha = digest.hexdigest()
    target = folder / name
    n = 2
    while target.exists():
        if sha256_of_file(target) == sha:
            tmp.unlink()
            return target, sha, size
        target = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
        n += 1
    tmp.replace(target)
    return target, sha, size


def store_in_database(session: Session, data: bytes, name: str) -> EvidenceContent:
    """The bytes kept in the database (``evidence_content``); the same bytes already there are reused."""
    sha = hashlib.sha256(data).hexdigest()
    found = session.scalar(select(EvidenceContent).where(EvidenceContent.sha256 == sha).limit(1))
    if found is not None:
        return found
    content = EvidenceContent(file_name=nfc(name), sha256=sha, file_size=len(data), content=data)
    session.add(content)
    session.flush()
    return content


def stored_path_beside(db_path: Path, copy: Path) -> str:
    """``stored_path`` of a file copied into the attachment folder of ``db_path``."""
    base = attachments_dir(Path(db_path))
    return copy.relative_to(base.parent).as_posix()


def content_id(stored_path: str | None) -> int | None:
    if stored_path and stored_path.startswith(IN_DATABASE):
        try:
            return int(stored_path[len(IN_DATABASE):])
        except ValueError:
            return None
    return None


def open_stored(session: Session | None, stored_path: str | None, db_path: Path | str | None) -> Path | None:
    """A file on disk with the attachment's bytes, or None when there is none to open.

    One kept in the database is written out to this user's data folder first
    (``…/attachments-cache/<id>/<name>``) and checked against its SHA-256.
    """
    if not stored_path:
        return None
    cid = content_id(stored_path)
    if cid is not None:
        content = session.get(EvidenceContent, cid) if session is not None else None
        if content is None:
            return None
        target = data_dir() / "attachments-cache" / str(content.id) / content.file_name
        if not target.exists() or sha256_of_file(target) != content.sha256:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, content.content)
        return target
    if db_path is None:
        return None
    return path_beside(db_path, stored_path)


def read_stored(session: Session | None, stored_path: str | None, db_path: Path | str | None) -> bytes | None:
    """The attachment's bytes, or None when they are missing."""
    cid = content_id(stored_path)
    if cid is not None:
        content = session.get(EvidenceContent, cid) if session is not None else None
        return bytes(content.content) if content is not None else None
    path = open_stored(session, stored_path, db_path)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()
