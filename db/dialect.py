"""The one dialect switch: what an embedded SQLite file and a PostgreSQL server each need.

Everything in ``db/`` and ``core/`` that behaves differently on the two back-ends asks
``features_of(...)`` here instead of testing the dialect name itself:

- SQLite is a file on this PC: connection pragmas (foreign keys, WAL, ``synchronous=FULL``),
  one writer process at a time (a lock file beside the database), rotating backup files and
  restore from a file. Inside the process, a writer takes the file's write lock up front
  (``BEGIN IMMEDIATE``) and a reader that needs one snapshot opens a read transaction
  (``BEGIN``): the Python driver would otherwise start a transaction only at the first write.
- PostgreSQL is a shared server: many writers at once, so a return being changed is locked
  with ``SELECT … FOR UPDATE``; backups are the server's own business (``pg_dump``); ids come
  from sequences, which must be moved on after rows are copied in with their ids; a read that
  has to see one consistent state (consolidation) runs at REPEATABLE READ.

Only these two dialects are supported; any other URL is refused with a Vietnamese message.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Table, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from db.errors import DatabaseError


class UnsupportedDatabaseError(DatabaseError):
    """A URL for a database product other than SQLite or PostgreSQL."""


@dataclass(frozen=True)
class DialectFeatures:
    name: str
    embedded: bool  # a file on this PC rather than a server
    file_backups: bool  # rotating backup files beside the database, restore from a file
    wal: bool  # per-connection pragmas: foreign keys, WAL journal, synchronous=FULL
    writer_lock: bool  # one writing process at a time (lock file beside the database)
    row_locks: bool  # SELECT … FOR UPDATE serialises writers of one row
    begin_immediate: bool  # a writer takes the whole database's write lock at the start instead
    sequences: bool  # id sequences to move on after rows are inserted with explicit ids
    snapshot_isolation: str | None  # isolation level for a consistent multi-statement read

    @property
    def label(self) -> str:
        return "SQLite (tệp trên máy)" if self.embedded else "PostgreSQL (máy chủ dùng chung)"


SQLITE = DialectFeatures("sqlite", embedded=True, file_backups=True, wal=True, writer_lock=True,
                         row_locks=False, begin_immediate=True, sequences=False, snapshot_isolation=None)
POSTGRESQL = DialectFeatures("postgresql", embedded=False, file_backups=False, wal=False, writer_lock=False,
                             row_locks=True, begin_immediate=False, sequences=True,
                             snapshot_isolation="REPEATABLE READ")
_BY_NAME = {f.name: f for f in (SQLITE, POSTGRESQL)}


def features_of(thing: Engine | Connection | Session | str) -> DialectFeatures:
    """The features of an engine, a connection, a session (its bind) or a dialect name."""
    if isinstance(thing, str):
        name = thing
    elif isinstance(thing, Session):
        name = thing.get_bind().dialect.name
    else:
        name = thing.dialect.name
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnsupportedDatabaseError(
            f"Chương trình chỉ làm việc với SQLite hoặc PostgreSQL, không hỗ trợ cơ sở dữ liệu “{name}”."
        ) from None


# --------------------------------------------------------------------------- engine set-up


def _sqlite_pragmas(dbapi_con, _record) -> None:
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed edit survives a power cut, not just a crash of the app.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


# Engines inside ``durable_at_end`` (how many nested), whose SQLite commits skip the sync to disk.
_deferred: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()


def _sync_on_checkout(engine: Engine):  # noqa: ANN202 - a pool event listener
    def checkout(dbapi_con, record, _proxy) -> None:  # noqa: ANN001
        want = "NORMAL" if _deferred.get(engine) else "FULL"
        if record.info.get("synchronous", "FULL") != want:
            cur = dbapi_con.cursor()
            cur.execute(f"PRAGMA synchronous={want}")
            cur.close()
            record.info["synchronous"] = want
    return checkout


def configure_engine(engine: Engine) -> Engine:
    """Per-connection settings the back-end needs (SQLite's pragmas; nothing for a server)."""
    if features_of(engine).wal:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkout", _sync_on_checkout(engine))
    return engine


@contextmanager
def durable_at_end(engine: Engine) -> Iterator[None]:
    """Many small transactions in a row (an import of hundreds of files), made durable together.

    Each transaction stays whole or absent and is seen at once by other connections; on a SQLite file
    its commit just does not wait for the disk (``synchronous=NORMAL``: in WAL mode a power cut can
    lose the last commits, never corrupt the file or keep half of one). At the end the write-ahead log
    is synced once (a passive checkpoint), so what the block committed survives a power cut from then
    on. A sync per commit costs more than all the rest of a small import. No-op on a server."""
    if not features_of(engine).wal:
        yield
        return
    _deferred[engine] = _deferred.get(engine, 0) + 1
    try:
        yield
    finally:
        left = _deferred.pop(engine) - 1
        if left:
            _deferred[engine] = left
        else:
            with engine.connect() as conn:  # checked out with synchronous=FULL again
                conn.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))


def checkpoint(engine: Engine) -> None:
    """Fold SQLite's WAL into the main file (before a backup copy on exit); no-op on a server."""
    if features_of(engine).wal:
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def session_user(session: Session) -> str | None:
    """The server role this connection logged in as; None for a file (nobody logs in to SQLite)."""
    if features_of(session).embedded:
        return None
    return session.execute(text("SELECT session_user")).scalar()


# --------------------------------------------------------------------------- concurrency


def serialise_upgrades(conn: Connection) -> None:
    """Inside an upgrade's transaction: on a server, two application instances started at once
    after an update must not both run the migrations; the second waits and then finds nothing
    to do. A SQLite file is upgraded only under the single-writer lock."""
    if not features_of(conn).embedded:
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('cchc schema upgrade'))"))


LOCK_WAIT_SECONDS = 15  # SQLite's busy timeout is 5 s (connection pragma)


def _begin(conn: Connection, sql: str) -> None:
    """Open the SQLite transaction explicitly unless the driver has one open already."""
    if not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql(sql)


def lock_for_write(session: Session, stmt: Select) -> Select:
    """``stmt`` (a select of the row about to be changed), locking it for this transaction.

    PostgreSQL: ``FOR UPDATE``; a second writer of the same row waits until the first commits
    and then reads the committed row. SQLite: the transaction takes the file's write lock now
    (``BEGIN IMMEDIATE``), so a second writer waits here too and then reads fresh data, instead
    of failing later on a snapshot that moved on.
    """
    features = features_of(session)
    if features.row_locks:
        # Never wait for ever behind a transaction left open: give up with a message instead.
        session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
        return stmt.with_for_update()
    if features.begin_immediate:
        _begin(session.connection(), "BEGIN IMMEDIATE")
    return stmt


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A SAVEPOINT for a write that may collide with another user's (a unique key), inside the
    session's transaction.

    On SQLite the Python driver begins a transaction only at the first write, and a SAVEPOINT
    outside a transaction is committed by itself when released: the rest of the transaction could
    then no longer roll it back. So the transaction is begun first (as a writer).
    """
    if features_of(session).begin_immediate:
        _begin(session.connection(), "BEGIN IMMEDIATE")
    with session.begin_nested():
        yield


def begin_consistent_read(session: Session) -> None:
    """Make the session's transaction, about to start, see one snapshot across all its statements.

    Call before its first statement. PostgreSQL's default (READ COMMITTED) gives each statement
    its own snapshot, so a consolidation could see a child's status before a submit and its
    values after: REPEATABLE READ fixes one. SQLite under WAL keeps one snapshot per read
    transaction, which is opened explicitly (``BEGIN``).
    """
    level = features_of(session).snapshot_isolation
    if level:
        session.connection(execution_options={"isolation_level": level})
    else:
        _begin(session.connection(), "BEGIN")


@contextmanager
def consistent_read(conn: Connection) -> Iterator[None]:
    """A transaction on ``conn`` whose statements all see one snapshot (cf. ``begin_consistent_read``)."""
    level = features_of(conn).snapshot_isolation
    if level:
        conn.execution_options(isolation_level=level)
    with conn.begin():
        if not level:
            _begin(conn, "BEGIN")
        yield


# PostgreSQL SQLSTATEs meaning "another transaction got there first": serialization failure,
# deadlock, lock not available.
_PG_CONFLICT_STATES = {"40001", "40P01", "55P03"}


def is_write_conflict(exc: BaseException) -> bool:
    """Whether a database error means a concurrent writer, not bad data or a broken server."""
    if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
        return True  # SQLite: another connection holds the write lock or moved the snapshot on
    if isinstance(exc, DBAPIError):
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        return state in _PG_CONFLICT_STATES
    return False


# --------------------------------------------------------------------------- copying rows in


def reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """After rows were inserted with their ids, move each id sequence past the largest id."""
    if not features_of(conn).sequences:
        return  # SQLite's INTEGER PRIMARY KEY continues from the largest id by itself
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        quoted = conn.dialect.identifier_preparer.format_table(table)
        col = pk[0].name
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quoted, "c": col}).scalar()
        if seq:
            conn.execute(
                text(f"SELECT setval(:seq, COALESCE((SELECT MAX({conn.dialect.identifier_preparer.quote(col)}) "
                     f"FROM {quoted}), 0) + 1, false)"),
                {"seq": seq},
            )
