"""Schema upgrades keep every row: a database at the first migration, filled with data, upgrades to head."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine

from core.app.demo import load_demo
from db import migrate
from db.engine import open_database


@pytest.mark.sqlite_only(reason="builds an old-schema SQLite file (PostgreSQL: tests/db/test_postgres.py)")
def test_first_migration_with_data_upgrades_to_head_keeping_every_row(tmp_path):
    # Real content, made by the current code, to copy into an old-schema file.
    source = open_database(tmp_path / "nguon.db")
    with source.transaction() as s:
        load_demo(s)
    source.close()

    old = tmp_path / "cu.db"
    engine = create_engine(f"sqlite:///{old}")
    migrate.upgrade(engine, "0001")
    engine.dispose()

    con = sqlite3.connect(old)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("ATTACH DATABASE ? AS src", (str(tmp_path / "nguon.db"),))
    old_tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'")]
    expected: dict[str, list] = {}
    for table in old_tables:
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        col_list = ", ".join(f'"{c}"' for c in cols)
        con.execute(f'INSERT INTO "{table}" ({col_list}) SELECT {col_list} FROM src."{table}"')
        expected[table] = sorted(map(repr, con.execute(f'SELECT {col_list} FROM "{table}"')))
    con.commit()
    con.execute("DETACH DATABASE src")
    con.close()
    assert sum(len(v) for v in expected.values()) > 300  # the copy really carries data

    db = open_database(old)  # upgrades to head, after a backup
    try:
        assert db.upgraded_from == "0001"
        assert migrate.current_revision(db.engine) == migrate.head_revision()
    finally:
        db.close()
    con = sqlite3.connect(old)
    try:
        for table, rows in expected.items():
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            kept = [c for c in cols if c in _columns_at_0001(tmp_path, table)]
            col_list = ", ".join(f'"{c}"' for c in kept)
            assert sorted(map(repr, con.execute(f'SELECT {col_list} FROM "{table}"'))) == rows, table
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def _columns_at_0001(tmp_path, table: str) -> list[str]:
    probe = tmp_path / "probe.db"
    if not probe.exists():
        engine = create_engine(f"sqlite:///{probe}")
        migrate.upgrade(engine, "0001")
        engine.dispose()
    con = sqlite3.connect(probe)
    try:
        return [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    finally:
        con.close()


def test_migrations_match_the_models(tmp_path):
    """Autogenerate finds nothing to do: the migrations create exactly what the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from db.models import Base

    db = open_database(tmp_path / "khop.db")
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        db.close()
    assert diff == []
