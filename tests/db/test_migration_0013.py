"""Migration 0013 (saved import mappings): one new table; a filled 0012 database keeps every row, and a downgrade
drops only the new table."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db import migrate
from db.engine import make_engine, open_database
from tests.conftest import dump_tables

pytestmark = pytest.mark.sqlite_only(reason="an old-schema SQLite file upgraded on opening")


def test_upgrade_from_0012_keeps_every_row_and_the_new_table_takes_rows(tmp_path: Path) -> None:
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0012")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'H', 'UBND huyện Thử', 'huyen')"))
        c.execute(text("INSERT INTO unit (id, code, name, level, parent_id) VALUES (2, 'H.X', 'UBND xã Ân', 'xa', 1)"))
        c.execute(text("INSERT INTO app_setting (key, value) VALUES ('demo', '1')"))
    engine.dispose()
    before = dump_tables(path)
    db = open_database(path)
    try:
        assert db.upgraded_from == "0012"
    finally:
        db.close()
    after = dump_tables(path)
    for table, rows in before.items():
        if table != "alembic_version":
            assert after[table] == rows, table
    assert after["saved_mapping"] == []
    engine = make_engine(path)
    try:
        with engine.begin() as c:
            c.execute(text("INSERT INTO saved_mapping (kind, signature, headers, mapping, created_at, use_count) "
                           "VALUES ('plan', 'ab', '[]', '{\"C\": \"lead\"}', '2026-12-04', 0)"))
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0012")
        with engine.connect() as c:
            tables = {r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            assert "saved_mapping" not in tables
            assert c.execute(text("SELECT count(*) FROM unit")).scalar() == 2
    finally:
        engine.dispose()
