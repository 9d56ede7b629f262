"""Consistent SQLite backups with rotation, and restore from a backup file.

Uses SQLite's online backup API, which copies a consistent snapshot even while
the database is in WAL mode and open. The attached files beside the database
(``<db>.attachments/``) go with every backup, as ``<backup>.attachments/``, and
are rotated with it (``db.attachments``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from db import attachments
from db.errors import NotABackupError
from db.files import replaced_atomically

AUTO_REASONS = ("startup", "exit", "pre-upgrade", "pre-restore", "pre-import")
KEEP_AUTOMATIC = 15
_NAME_RE = re.compile(r"^(?P<stem>.+)_(?P<ts>\d{8}-\d{6}(?:-\d+)?)_(?P<reason>[a-z-]+)\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str


SQLITE_MAGIC = b"SQLite format 3\x00"


def read_only_uri(path: Path) -> str:
    """A SQLite ``file:`` URI opening ``path`` read-only.

    The path is percent-encoded: a bare ``file:{path}`` cuts the name at ``#`` or ``?``
    and misreads ``%``, so a folder such as "Phòng #1" silently gave an empty backup.
    """
    return uri_from_posix(Path(path).resolve().as_posix())


def uri_from_posix(posix: str) -> str:
    """``/tmp/a b.db``, ``C:/Users/a.db`` or ``//server/share/a.db`` -> a read-only ``file:`` URI."""
    if not posix.startswith("/"):
        posix = "/" + posix  # a Windows drive: file:///C:/...
    return "file://" + quote(posix, safe="/:") + "?mode=ro"


def is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


def table_names(path: Path) -> set[str]:
    """Tables of a SQLite file, opened read-only; sqlite3.DatabaseError if it is damaged."""
    con = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a consistent snapshot with SQLite's online backup API (safe under WAL)."""
    src = sqlite3.connect(read_only_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def backup_dir_for(db_path: Path) -> Path:
    """Backups live beside the database, in ``<name>.backups/``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".backups")


def make_backup(db_path: Path, reason: str = "manual", target: Path | None = None) -> Path:
    """Copy a consistent snapshot of ``db_path``; rotate automatic backups."""
    db_path = Path(db_path)
    if target is None:
        folder = backup_dir_for(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{db_path.stem}_{stamp}_{reason}.db"
        n = 1
        while target.exists():
            target = folder / f"{db_path.stem}_{stamp}-{n}_{reason}.db"
            n += 1
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = next((b.path for b in list_backups(db_path) if b.path.parent == target.parent
                     and b.path != target and attachments.attachments_dir_for(b.path).is_dir()), None)
    with replaced_atomically(target) as tmp:
        _sqlite_copy(db_path, tmp)
    # The files after the rows: a file attached meanwhile is at worst copied without its row, never the reverse.
    attachments.copy_folder(db_path, target,
                            attachments.attachments_dir_for(previous) if previous is not None else None)
    if reason in AUTO_REASONS:
        rotate(db_path)
    return target


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this database, newest first."""
    folder = backup_dir_for(db_path)
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for p in folder.glob("*.db"):
        m = _NAME_RE.match(p.name)
        if not m:
            continue
        ts = m.group("ts")[:15]
        try:
            taken = datetime.strptime(ts, "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(BackupInfo(p, taken, m.group("reason")))
    found.sort(key=lambda b: (b.taken_at, b.path.stat().st_mtime_ns), reverse=True)
    return found


def rotate(db_path: Path, keep: int = KEEP_AUTOMATIC) -> None:
    """Keep the newest ``keep`` automatic backups; manual ones are never deleted."""
    auto = [b for b in list_backups(db_path) if b.reason in AUTO_REASONS]
    for old in auto[keep:]:
        old.path.unlink(missing_ok=True)
        attachments.remove_folder(old.path)


def check_backup_file(path: Path) -> str | None:
    """Return the file's schema revision after checking it is a sound, whole database of ours
    that upgrades to the current schema (``db.restore_check``).

    Raises NotABackupError (or DatabaseTooNewError) with a Vietnamese message otherwise.
    """
    from db.restore_check import check_restorable

    path = Path(path)
    if not path.is_file():
        raise NotABackupError(f"Không tìm thấy tệp “{path}”.")
    try:
        sqlite = is_sqlite_file(path)
    except OSError:
        raise NotABackupError(f"Không đọc được tệp “{path.name}”.") from None
    if not sqlite:
        raise NotABackupError(
            f"Tệp “{path.name}” không phải là tệp sao lưu cơ sở dữ liệu của chương trình."
        )
    return check_restorable(path, read_only_uri(path))


def copy_into(source: Path, db_path: Path) -> None:
    """Replace the content of ``db_path`` with ``source`` through the backup API (atomic for readers)."""
    _sqlite_copy(source, db_path)


def restore_attachments(source: Path, db_path: Path) -> int:
    """Put the backup's attached files back beside ``db_path`` (none is deleted); returns how many."""
    return attachments.put_back(Path(source), Path(db_path))
