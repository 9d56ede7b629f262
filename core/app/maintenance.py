"""Database maintenance shared by the CLI and the GUI: restore from a backup."""

from __future__ import annotations

from pathlib import Path

from core.errors import Refused
from core.forms import ensure_standard_content
from db import backup as backups
from db import migrate
from db.engine import Database


def restore_into(db: Database, source: Path) -> Path:
    """Replace the open database's content with a checked backup file.

    A safety backup of the current content is taken first and its path returned.
    Raises NotOurDatabaseError / DatabaseTooNewError before anything is touched.
    """
    if not db.is_sqlite:
        raise Refused("Phục hồi từ tệp chỉ áp dụng cho cơ sở dữ liệu SQLite trên máy.")
    revision = backups.check_backup_file(Path(source))
    migrate.check_not_newer(revision)
    safety = db.backup("pre-restore")
    db.engine.dispose()
    backups.copy_into(Path(source), Path(db.target))
    backups.restore_attachments(Path(source), Path(db.target))  # the rows' files come back with them
    if revision != migrate.head_revision():
        migrate.upgrade(db.engine)
    with db.transaction() as s:
        ensure_standard_content(s)
    assert safety is not None
    return safety
