"""Opening a database: engine and sessions, SQLite safety settings, lock, backup, upgrade.

``open_database`` is the one way the GUI, the CLI and the tests get a database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from db import backup as backups
from db import migrate
from db.errors import NotOurDatabaseError
from db.lock import WriterLock


def is_url(target: str | Path) -> bool:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) rather than a file path."""
    return "://" in str(target)


def _sqlite_pragmas(dbapi_con, _record) -> None:
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed edit survives a power cut, not just a crash of the app.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(target: str | Path) -> Engine:
    if is_url(target):
        return create_engine(str(target), pool_pre_ping=True)
    path = Path(target)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 5})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@dataclass
class Database:
    """An open database. SQLite-only behaviour (lock, backups) sits behind ``is_sqlite``."""

    target: str
    engine: Engine
    session_factory: sessionmaker[Session]
    lock: WriterLock | None = None
    upgraded_from: str | None = None
    startup_backup: Path | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return None if not self.is_sqlite else Path(self.target)

    def session(self) -> Session:
        return self.session_factory()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back whole on error."""
        with self.session_factory() as s:
            with s.begin():
                yield s

    def backup(self, reason: str = "manual", target: Path | None = None) -> Path | None:
        if not self.is_sqlite:
            return None  # a server database is backed up by the server's own tools
        return backups.make_backup(Path(self.target), reason, target)

    def last_backup(self) -> backups.BackupInfo | None:
        if not self.is_sqlite:
            return None
        found = backups.list_backups(Path(self.target))
        return found[0] if found else None

    def close(self, backup_on_exit: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if backup_on_exit and self.is_sqlite and self.lock is not None:
                with self.engine.connect() as conn:
                    conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
                self.backup("exit")
        finally:
            self.engine.dispose()
            if self.lock is not None:
                self.lock.release()


def _check_sqlite_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    if not backups.is_sqlite_file(path):
        raise NotOurDatabaseError(
            f"Tệp “{path}” không phải là cơ sở dữ liệu của chương trình (không phải tệp SQLite)."
        )
    try:
        tables = backups.table_names(path)
    except sqlite3.DatabaseError as exc:
        raise NotOurDatabaseError(f"Tệp “{path}” bị hỏng hoặc không đọc được ({exc}).") from exc
    if tables and "alembic_version" not in tables:
        raise NotOurDatabaseError(
            f"Tệp “{path}” là một cơ sở dữ liệu SQLite khác, không phải của chương trình này."
        )


def open_database(
    target: str | Path,
    *,
    write: bool = True,
    backup_on_start: bool = False,
) -> Database:
    """Open (creating if needed) and upgrade a database.

    With ``write`` the single-writer lock is taken first. An existing database that
    needs a schema upgrade is backed up before the upgrade. A database from a newer
    application is refused without being touched.
    """
    if is_url(target):
        engine = make_engine(target)
        rev = migrate.current_revision(engine)
        migrate.check_not_newer(rev)
        if write and rev != migrate.head_revision():
            migrate.upgrade(engine)
        return Database(str(target), engine, sessionmaker(engine, expire_on_commit=False), upgraded_from=rev)

    path = Path(target).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_sqlite_file(path)
    lock = WriterLock(path) if write else None
    if lock is not None:
        lock.acquire()
    try:
        existed = path.exists() and path.stat().st_size > 0
        engine = make_engine(path)
        rev = migrate.current_revision(engine) if existed else None
        migrate.check_not_newer(rev)
        db = Database(str(path), engine, sessionmaker(engine, expire_on_commit=False), lock=lock)
        head = migrate.head_revision()
        if rev != head:
            if not write:
                if existed:
                    return db  # reading an older file is allowed; upgrading needs the lock
                raise NotOurDatabaseError(f"Không tìm thấy cơ sở dữ liệu “{path}”.")
            if existed:
                db.startup_backup = db.backup("pre-upgrade")
            migrate.upgrade(engine)
            db.upgraded_from = rev
        elif backup_on_start and existed:
            db.startup_backup = db.backup("startup")
        return db
    except BaseException:
        if lock is not None:
            lock.release()
        raise
