"""Running the whole suite against a real PostgreSQL server.

Set ``CCHC_TEST_PG_URL`` to the admin URL of a throwaway server, for example
``postgresql+psycopg://postgres@127.0.0.1:5544/postgres`` (``.ci/pg_test_server`` starts one on
loopback). Then every database a test opens is a PostgreSQL database of its own:

- ``open_database(path)`` on a path that does not exist creates a fresh database on the server
  (a copy of one migrated to head once per run) and writes a one-line *marker* at ``path``
  naming it. The application then opens the database's URL: the server code path, no lock,
  no backup files, many connections.
- Opening the same path again opens the same database. Copying the file (``shutil.copy``, as
  the fixtures do with the demo database) copies the marker; opening the copy clones the
  database on the server (``CREATE DATABASE … TEMPLATE``, or a row-by-row copy with
  ``db.transfer`` if the original is still open).
- A real SQLite file at ``path`` (made by a test before opening it) is copied into a new
  server database with ``db.transfer`` and replaced by a marker.
- ``dump_tables`` and ``dump_sql`` read the server database behind a marker; a test that reads
  "the file" with ``sqlite3.connect`` gets a read-only SQLite snapshot of the server database
  (copied with ``db.transfer``), so a write through ``sqlite3`` fails loudly instead of being lost.

Tests that are about SQLite files themselves (WAL, the lock file, backups and restore, killing
a writer, files of other programs) carry ``@pytest.mark.sqlite_only(reason=…)`` and are skipped
on this run with that reason. Tests that must see both back-ends in one run (concurrency, copying
between them) use ``backend_target`` and are not re-routed.

Each test's databases are dropped when it ends; anything left is dropped at the end of the run.
"""

from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Engine, make_url

PG_URL = os.environ.get("CCHC_TEST_PG_URL", "").strip()
ENABLED = bool(PG_URL)
MARKER = "cchc-test-pg:"

_counter = itertools.count(1)
_lock = threading.RLock()
_admin: Engine | None = None
_head_template: str | None = None
_owner: dict[str, Path] = {}  # database name → the path whose marker created it
_created: list[str] = []  # every database this run created, in order
_copied: dict[str, int] = {}
_real_open = None
paused = False  # explicit-backend tests switch the routing off


def admin() -> Engine:
    global _admin
    if _admin is None:
        _admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=2)
    return _admin


def url_for(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _new_name() -> str:
    return f"cchc_t{os.getpid()}_{next(_counter)}"


def _create(engine: Engine, template: str | None) -> str:
    name = _new_name()
    with engine.connect() as c:
        tpl = f' TEMPLATE "{template}"' if template else " TEMPLATE template0"
        c.execute(text(f'CREATE DATABASE "{name}"{tpl} ENCODING \'UTF8\''))
    return name


def create_database(template: str | None = None) -> str:
    """A new, empty (or cloned) database on the test server; returns its name.

    Copies of the two templates every test wants (the migrated head, the demo) are made ahead
    of time by a background thread: CREATE DATABASE takes a checkpoint and costs more than
    most tests, and the thread does it while the previous test runs.
    """
    name = _spares.take(template) if template in _spares.wanted else None
    if name is None:
        name = _create(admin(), template)
    _created.append(name)
    return name


def keep_spares(template: str) -> None:
    """Start keeping ready-made copies of ``template`` (never opened itself after this)."""
    _spares.want(template)


class _Spares:
    """Ready-made copies of a few templates, made by a daemon thread while tests run."""

    DEPTH = 3

    def __init__(self) -> None:
        self.wanted: dict[str, list[str]] = {}
        self.cond = threading.Condition()
        self.thread: threading.Thread | None = None
        self.stopped = False

    def want(self, template: str) -> None:
        with self.cond:
            self.wanted.setdefault(template, [])
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="pg-spares", daemon=True)
                self.thread.start()
            self.cond.notify_all()

    def take(self, template: str) -> str | None:
        with self.cond:
            ready = self.wanted.get(template) or []
            name = ready.pop(0) if ready else None
            self.cond.notify_all()
            return name

    def _run(self) -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
        try:
            while True:
                with self.cond:
                    todo = None
                    while not self.stopped:
                        todo = next((t for t, ready in self.wanted.items() if len(ready) < self.DEPTH), None)
                        if todo is not None:
                            break
                        self.cond.wait(timeout=1)
                    if self.stopped:
                        return
                try:
                    name = _create(engine, todo)
                except Exception:  # noqa: BLE001 - e.g. somebody opened the template: make copies on demand
                    with self.cond:
                        self.wanted.pop(todo, None)
                    continue
                with self.cond:
                    if self.stopped or todo not in self.wanted:
                        _leftover.append(name)
                    else:
                        self.wanted[todo].append(name)
        finally:
            engine.dispose()

    def stop(self) -> list[str]:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()
        if self.thread is not None:
            self.thread.join(timeout=30)
        return [n for ready in self.wanted.values() for n in ready]


_spares = _Spares()
_leftover: list[str] = []


def drop_database(name: str) -> None:
    with admin().connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    _owner.pop(name, None)
    if name in _created:
        _created.remove(name)


def fresh_url() -> str:
    """The URL of a new database migrated to head (a clone of one migrated once per run)."""
    return url_for(create_database(_head()))


def empty_url() -> str:
    """The URL of a new database with no tables at all (migrations have not run)."""
    return url_for(create_database())


def _head() -> str:
    global _head_template
    with _lock:
        if _head_template is None:
            name = create_database()
            db = _real_open(url_for(name))
            db.close()
            _head_template = name
            keep_spares(name)
        return _head_template


def _connections_to(name: str) -> int:
    with admin().connect() as c:
        return c.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n"), {"n": name}).scalar()


# --------------------------------------------------------------------------- markers


def marker_name(path: Path) -> str | None:
    """The database a marker file names, or None for anything else (a real file, nothing)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(MARKER) + 100)
    except OSError:
        return None
    if not head.startswith(MARKER.encode()):
        return None
    return head[len(MARKER):].decode().strip()


def _write_marker(path: Path, name: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MARKER + name + "\n", encoding="utf-8")
    _owner[name] = path


def url_of_path(path: Path | str) -> str | None:
    name = marker_name(Path(path))
    return url_for(name) if name else None


def _clone(source: str) -> str:
    if source in _spares.wanted:
        return create_database(source)
    if _connections_to(source) == 0:
        try:
            if _copied.get(source, 0) >= 1:
                keep_spares(source)  # copied twice: a template (the demo database); copy ahead
            _copied[source] = _copied.get(source, 0) + 1
            return create_database(source)
        except Exception:  # noqa: BLE001 - somebody connected in between: copy row by row instead
            pass
    from db.transfer import copy_database

    target = create_database(_head())
    copy_database(url_for(source), url_for(target), replace=True)
    return target


def _seed_from_sqlite(path: Path) -> str:
    """Copy a real SQLite file of ours into a new server database (the file is upgraded first)."""
    from db.transfer import copy_database

    db = _real_open(path)  # refuses files of other programs exactly as on SQLite
    db.close()
    target = create_database(_head())
    copy_database(str(path), url_for(target), replace=True)
    return target


def routed_open_database(target, **kwargs):  # noqa: ANN001, ANN201 - same signature as open_database
    from db.engine import is_url

    if paused or is_url(target):
        return _real_open(target, **kwargs)
    path = Path(target).expanduser().resolve()
    with _lock:
        name = marker_name(path)
        if name is not None and _owner.get(name) != path:
            name = _clone(name)  # the marker was copied from another database's file
            _write_marker(path, name)
        elif name is None and path.exists() and path.stat().st_size > 0:
            name = _seed_from_sqlite(path)
            for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                side.unlink(missing_ok=True)
            _write_marker(path, name)
        elif name is None:
            if not kwargs.get("write", True):
                return _real_open(path, **kwargs)  # "not found", as for a missing file
            name = create_database(_head())
            _write_marker(path, name)
    return _real_open(url_for(name), **kwargs)


def install() -> None:
    """Route ``db.engine.open_database`` (and every later ``from db.engine import open_database``),
    and ``sqlite3.connect`` on a marker file."""
    global _real_open, _real_sqlite_connect
    import sqlite3

    import db.engine

    if _real_open is None:
        _real_open = db.engine.open_database
        db.engine.open_database = routed_open_database
        _real_sqlite_connect = sqlite3.connect
        sqlite3.connect = _sqlite_connect


_real_sqlite_connect = None
_snapshots: Path | None = None  # SQLite snapshots of server databases, removed at the end of the run


def _sqlite_connect(database, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    if not paused and isinstance(database, (str, Path)) and not str(database).startswith("file:"):
        name = marker_name(Path(database))
        if name is not None:
            snapshot = sqlite_snapshot(Path(database))
            kwargs["uri"] = True
            return _real_sqlite_connect(f"file:{snapshot}?mode=ro", *args, **kwargs)
    return _real_sqlite_connect(database, *args, **kwargs)


def sqlite_snapshot(path: Path) -> Path:
    """A SQLite copy of the server database behind the marker at ``path`` (read it, never write it)."""
    import tempfile

    from db.transfer import copy_database

    global paused
    global _snapshots
    if _snapshots is None:
        _snapshots = Path(tempfile.mkdtemp(prefix="cchc-pg-snapshots-"))
    folder = Path(tempfile.mkdtemp(dir=_snapshots))
    target = folder / (path.stem + ".db")
    was, paused = paused, True
    try:
        copy_database(url_of_path(path), str(target))
    finally:
        paused = was
    return target


def real_open_database(target, **kwargs):  # noqa: ANN001, ANN201
    import db.engine

    return (_real_open or db.engine.open_database)(target, **kwargs)


def created_since(mark: int) -> list[str]:
    return _created[mark:]


def mark() -> int:
    return len(_created)


def drop_owned_under(folder: Path, names: list[str]) -> None:
    """Drop the databases in ``names`` whose marker lives under ``folder`` (a test's tmp_path)."""
    for name in names:
        owner = _owner.get(name)
        if owner is not None and folder in owner.parents:
            drop_database(name)
        elif owner is None and name != _head_template:
            drop_database(name)  # made by fresh_url()/empty_url() for this test


def drop_all() -> None:
    for name in _spares.stop() + _leftover + list(reversed(_created)):
        try:
            drop_database(name)
        except Exception:  # noqa: BLE001 - best effort at the end of the run
            pass
    if _admin is not None:
        _admin.dispose()
    if _snapshots is not None:
        import shutil

        shutil.rmtree(_snapshots, ignore_errors=True)


# --------------------------------------------------------------------------- reading a database back


def _pg_engine(path: Path) -> Engine:
    url = url_of_path(path)
    assert url is not None
    return create_engine(url, poolclass=__import__("sqlalchemy.pool", fromlist=["NullPool"]).NullPool)


def dump_tables(path: Path) -> dict[str, list[str]]:
    """Every row of every table of the server database behind a marker, sorted (cf. conftest)."""
    url = url_of_path(path)
    assert url is not None
    return dump_url(url)


def dump_url(url: str) -> dict[str, list[str]]:
    """Every row of every table of a server database, sorted."""
    from sqlalchemy import MetaData

    engine = create_engine(url, poolclass=__import__("sqlalchemy.pool", fromlist=["NullPool"]).NullPool)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as c:
            return {name: sorted(repr(tuple(r)) for r in c.execute(select(meta.tables[name])))
                    for name in sorted(meta.tables)}
    finally:
        engine.dispose()


def dump_sql(path: Path) -> list[str]:
    """Like ``sqlite3.iterdump``: one line per row, to prove that nothing changed."""
    return [f"{t}: {row}" for t, rows in dump_tables(path).items() for row in rows]


def table_names(path: Path) -> set[str]:
    engine = _pg_engine(path)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
