"""Opening a database: engine and sessions, SQLite safety settings, lock, backup, upgrade.

``open_database`` is the one way the GUI, the CLI and the tests get a database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.orm import Session, sessionmaker

from db import backup as backups
from db import migrate
from db.dialect import DialectFeatures, checkpoint, configure_engine, durable_at_end, features_of
from db.errors import DatabaseBusyError, NotOurDatabaseError, ServerUnavailableError
from db.lock import WriterLock


def is_url(target: str | Path) -> bool:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) rather than a file path."""
    return "://" in str(target)


def sqlite_url_path(target: str | Path) -> Path | None:
    """The file of a ``sqlite:///…`` URL (it gets the file treatment: lock, backups); else None."""
    if not is_url(target) or not str(target).startswith("sqlite"):
        return None
    database = make_url(str(target)).database
    return Path(database) if database and database != ":memory:" else None


def display_target(target: str | Path) -> str:
    """The database as shown to people and stored in settings: a URL never shows its password."""
    if not is_url(target):
        return str(target)
    try:
        return make_url(str(target)).render_as_string(hide_password=True)
    except ArgumentError:
        return str(target)


def without_password(target: str | Path) -> str:
    """The URL with no password in it (what settings store; the password comes from a prompt,
    ``PGPASSWORD`` or the server's password file)."""
    if not is_url(target):
        return str(target)
    url = make_url(str(target))
    # Not url.set(password=None): ``set`` leaves a field alone when given None.
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


_PASSWORD_WORDS = ("no password supplied", "password authentication failed", "fe_sendauth")


def _server_error(target: str | Path, exc: OperationalError) -> ServerUnavailableError:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    needs_password = any(w in detail for w in _PASSWORD_WORDS)
    hint = ("Hãy nhập đúng mật khẩu (hoặc đặt biến môi trường PGPASSWORD, hay tệp mật khẩu .pgpass của PostgreSQL)."
            if needs_password else
            "Hãy kiểm tra máy chủ đang chạy, địa chỉ, cổng, tên cơ sở dữ liệu và quyền truy cập của tài khoản.")
    return ServerUnavailableError(
        f"Không kết nối được cơ sở dữ liệu “{display_target(target)}”: {detail}. {hint}",
        needs_password=needs_password)


def make_engine(target: str | Path) -> Engine:
    if is_url(target):
        url = make_url(str(target))
        kwargs: dict = {"pool_pre_ping": True}
        if url.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 10, "application_name": "cchc"}
        engine = create_engine(url, **kwargs)
    else:
        engine = create_engine(f"sqlite:///{Path(target)}", connect_args={"timeout": 5})
    features_of(engine)  # refuses a product other than SQLite or PostgreSQL
    return configure_engine(engine)


@dataclass
class Database:
    """An open database. What differs between a SQLite file and a server is in ``features``
    (``db.dialect``): the lock, backups and WAL exist only for a file.

    ``principal`` is whoever logged in (``core.org.auth``); every session carries it in
    ``session.info["principal"]`` so the services can limit what it sees and the audit log
    names it. ``None``: single-user mode on a file, unrestricted.
    """

    target: str
    engine: Engine
    session_factory: sessionmaker[Session]
    lock: WriterLock | None = None
    upgraded_from: str | None = None
    startup_backup: Path | None = None
    principal: object | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def features(self) -> DialectFeatures:
        return features_of(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return self.features.embedded

    @property
    def path(self) -> Path | None:
        return Path(self.target) if self.features.embedded else None

    def session(self) -> Session:
        return self.session_factory(info={"principal": self.principal})

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back whole on error."""
        with self.session() as s:
            with s.begin():
                yield s

    def batch(self):  # noqa: ANN201 - a context manager
        """Many small transactions in a row, each whole, made durable together at the end
        (``db.dialect.durable_at_end``): an import of hundreds of files."""
        return durable_at_end(self.engine)

    def backup(self, reason: str = "manual", target: Path | None = None) -> Path | None:
        if not self.features.file_backups:
            return None  # a server database is backed up by the server's own tools (pg_dump)
        return backups.make_backup(Path(self.target), reason, target)

    def last_backup(self) -> backups.BackupInfo | None:
        if not self.features.file_backups:
            return None
        found = backups.list_backups(Path(self.target))
        return found[0] if found else None

    def close(self, backup_on_exit: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if backup_on_exit and self.features.file_backups and self.lock is not None:
                checkpoint(self.engine)
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
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        raise NotOurDatabaseError(
            f"Tệp “{path}” bị hỏng hoặc không đọc được. Hãy phục hồi từ một bản sao lưu (lệnh restore)."
        ) from None
    if tables and "alembic_version" not in tables:
        raise NotOurDatabaseError(
            f"Tệp “{path}” là một cơ sở dữ liệu SQLite khác, không phải của chương trình này."
        )


def _upgrade_for_reading(db: Database, rev: str) -> None:
    """A file of an older version opened only to read: upgrade it first (after a backup) when the
    writer lock is free, so that the queries of this version find their tables. When another
    instance holds the lock it has upgraded the file already, or is doing so: read as it is."""
    lock = WriterLock(Path(db.target))
    try:
        lock.acquire()
    except DatabaseBusyError:
        return
    try:
        if migrate.current_revision(db.engine) == rev:
            db.startup_backup = db.backup("pre-upgrade")
            migrate.upgrade(db.engine)
            db.upgraded_from = rev
    finally:
        lock.release()


# Called with every database ``open_database`` returns (the CLI logs the user in here); a hook
# that raises closes the database again and the error reaches the caller.
_open_hooks: list[Callable[[Database], None]] = []


@contextmanager
def open_hook(hook: Callable[[Database], None]) -> Iterator[None]:
    """Run ``hook(db)`` on every database opened inside the ``with`` block."""
    _open_hooks.append(hook)
    try:
        yield
    finally:
        _open_hooks.remove(hook)


def open_database(
    target: str | Path,
    *,
    write: bool = True,
    backup_on_start: bool = False,
) -> Database:
    """Open (creating if needed) and upgrade a database: a file path or a SQLAlchemy URL.

    A file: with ``write`` the single-writer lock is taken first; an existing database that
    needs a schema upgrade is backed up before the upgrade. A server (PostgreSQL URL): many
    users write at once, so there is no lock and no backup file; the upgrade runs in one
    transaction. A database from a newer application is refused without being touched.
    """
    db = _open(target, write=write, backup_on_start=backup_on_start)
    try:
        for hook in list(_open_hooks):
            hook(db)
    except BaseException:
        db.close()
        raise
    return db


def _open(target: str | Path, *, write: bool, backup_on_start: bool) -> Database:
    file_of_url = sqlite_url_path(target)
    if file_of_url is not None:
        target = file_of_url
    if is_url(target):
        engine = make_engine(target)
        try:
            rev = migrate.current_revision(engine)
        except OperationalError as exc:
            engine.dispose()
            raise _server_error(target, exc) from None
        migrate.check_not_newer(rev)
        if write and rev != migrate.head_revision():
            migrate.upgrade(engine)
        return Database(display_target(target), engine, sessionmaker(engine, expire_on_commit=False),
                        upgraded_from=rev)

    path = Path(target).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_sqlite_file(path)
    lock = WriterLock(path) if write else None
    if lock is not None:
        lock.acquire()
    try:
        existed = path.exists() and path.stat().st_size > 0
        engine = make_engine(path)
        try:
            rev = migrate.current_revision(engine) if existed else None
        except (SQLAlchemyDatabaseError, UnicodeDecodeError):
            engine.dispose()
            raise NotOurDatabaseError(
                f"Tệp “{path}” bị hỏng hoặc không đọc được. Hãy phục hồi từ một bản sao lưu (lệnh restore)."
            ) from None
        migrate.check_not_newer(rev)
        db = Database(str(path), engine, sessionmaker(engine, expire_on_commit=False), lock=lock)
        head = migrate.head_revision()
        if rev != head:
            if not write:
                if existed and rev is not None:
                    _upgrade_for_reading(db, rev)
                    return db
                engine.dispose()
                if existed:  # a file whose creation was cut short (the upgrade is one transaction)
                    raise NotOurDatabaseError(
                        f"Cơ sở dữ liệu “{path}” chưa được tạo xong (tệp chưa có bảng nào; có thể lần tạo trước bị "
                        "ngắt giữa chừng) nên chưa có gì để xem. Mở chương trình hoặc chạy một lệnh ghi, ví dụ "
                        "“units import”, để tạo lại cơ sở dữ liệu; không có dữ liệu nào bị mất.")
                raise NotOurDatabaseError(f"Không tìm thấy cơ sở dữ liệu “{path}”.")
            if existed and rev is not None:  # an empty file has nothing to keep
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
