"""PostgreSQL itself: the migrations run there as on SQLite and keep every row; two application
instances upgrading one server at once; the dialect switch.

The SQLite counterparts are tests/db/test_migrations.py and tests/test_migration_000x.py, which
build old-schema SQLite files and are marked sqlite_only.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, insert, select, text

from core.app.demo import load_demo
from db import migrate
from db.dialect import POSTGRESQL, SQLITE, UnsupportedDatabaseError, features_of
from db.engine import make_engine, open_database
from db.models import Base
from db.transfer import tables as ordered
from tests.helpers import pg_backend


@pytest.fixture
def empty_pg(monkeypatch) -> str:  # noqa: ANN001
    """A server database with no tables at all."""
    if not pg_backend.ENABLED:
        pytest.skip("no PostgreSQL server for this run (CCHC_TEST_PG_URL is not set; .ci/run sets it)")
    monkeypatch.setattr(pg_backend, "paused", True)
    return pg_backend.empty_url()


def test_the_dialect_switch() -> None:
    assert features_of("sqlite") is SQLITE and features_of("postgresql") is POSTGRESQL
    assert SQLITE.file_backups and SQLITE.wal and SQLITE.writer_lock and not SQLITE.row_locks
    assert not POSTGRESQL.file_backups and not POSTGRESQL.writer_lock and POSTGRESQL.row_locks
    with pytest.raises(UnsupportedDatabaseError, match="chỉ làm việc với SQLite hoặc PostgreSQL"):
        features_of("mysql")


def test_every_migration_runs_on_the_server_and_the_schema_matches_the_models(empty_pg: str) -> None:
    db = open_database(empty_pg)  # an empty server database gets the whole schema
    try:
        assert db.upgraded_from is None and migrate.current_revision(db.engine) == migrate.head_revision()
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata) == []
        migrate_down_and_up(db.engine)
    finally:
        db.close()


def migrate_down_and_up(engine) -> None:  # noqa: ANN001
    """Every downgrade runs on the server, and the upgrades again after it."""
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
    with engine.connect() as conn:
        assert migrate.current_revision(engine) is None
        assert conn.execute(text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                                 "AND table_name <> 'alembic_version'")).scalar() == 0
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_an_old_server_database_upgrades_keeping_every_row(empty_pg: str, tmp_path: Path) -> None:
    """Real content (the demo, made by the current code) in a database at the first migration,
    then upgraded to head on the server: every row and column of 0001 is still there."""
    source = open_database(tmp_path / "nguồn.db")
    with source.transaction() as s:
        load_demo(s)
    source.close()

    engine = make_engine(empty_pg)
    migrate.upgrade(engine, "0001")
    old = MetaData()
    old.reflect(engine)
    src = create_engine(f"sqlite:///{tmp_path / 'nguồn.db'}")
    src_meta = MetaData()
    src_meta.reflect(src)
    expected: dict[str, list] = {}
    with src.connect() as s, engine.begin() as c:
        for table in [old.tables[t.name] for t in ordered() if t.name in old.tables]:
            cols = [col.name for col in table.columns]
            rows = [dict(r._mapping) for r in s.execute(select(*[src_meta.tables[table.name].c[n] for n in cols]))]
            if rows:
                c.execute(insert(table), rows)
            expected[table.name] = sorted(repr(tuple(r[n] for n in cols)) for r in rows)
    src.dispose()
    assert sum(len(v) for v in expected.values()) > 300

    db = open_database(empty_pg)  # upgrades to head on opening
    try:
        assert db.upgraded_from == "0001" and migrate.current_revision(db.engine) == migrate.head_revision()
        with db.engine.connect() as c:
            for table, rows in expected.items():
                cols = [col.name for col in old.tables[table].columns]
                now = MetaData()
                now.reflect(c, only=[table])
                got = c.execute(select(*[now.tables[table].c[n] for n in cols]))
                assert sorted(repr(tuple(r)) for r in got) == rows, table
            # 0006: existing values start at version 1; the reserved names are quoted everywhere.
            assert set(c.execute(text('SELECT DISTINCT version FROM indicator_value')).scalars()) == {1}
            assert c.execute(text('SELECT count(*) FROM "return"')).scalar() == 2
            assert c.execute(text('SELECT count(DISTINCT "user") FROM audit_entry')).scalar() >= 1
    finally:
        db.close()
    engine.dispose()


def test_two_instances_upgrading_one_server_at_once(empty_pg: str) -> None:
    """Both start after an update and find an empty (or old) database: one upgrades, the other
    waits for it (an advisory lock) and finds nothing to do. Neither fails."""
    barrier = threading.Barrier(2)

    def start() -> str | None:
        barrier.wait()
        db = open_database(empty_pg)
        try:
            return migrate.current_revision(db.engine)
        finally:
            db.close()

    with ThreadPoolExecutor(2) as pool:
        revisions = [f.result() for f in [pool.submit(start), pool.submit(start)]]
    assert revisions == [migrate.head_revision()] * 2
    engine = make_engine(empty_pg)
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()
