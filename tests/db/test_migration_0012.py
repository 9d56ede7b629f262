"""Migration 0012 (plan targets): a filled 0011 database keeps every row; the new table and column take data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db import migrate
from db.engine import make_engine, open_database
from tests.conftest import dump_tables

pytestmark = pytest.mark.sqlite_only(reason="an old-schema SQLite file upgraded on opening")


def test_upgrade_from_0011_keeps_every_row_and_takes_targets(tmp_path: Path) -> None:
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0011")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'T', 'UBND tỉnh Thử', 'tinh')"))
        c.execute(text("INSERT INTO plan (id, unit_id, year_from, year_to, title, created_at) "
                       "VALUES (1, 1, 2026, 2030, 'Kế hoạch CCHC giai đoạn 2026-2030', '2026-01-05')"))
        c.execute(text("INSERT INTO task (id, plan_id, sort_order, title, recurring, conditional, timeframe_flagged) "
                       "VALUES (1, 1, 0, 'Ban hành kế hoạch tuyên truyền', 0, 0, 0)"))
    engine.dispose()
    before = dump_tables(path)
    db = open_database(path)
    try:
        assert db.upgraded_from == "0011"
    finally:
        db.close()
    after = dump_tables(path)
    for table, rows in before.items():
        if table not in ("alembic_version", "plan"):
            assert after[table] == rows, table
    assert [r.replace(", None, None)", ")") for r in after["plan"]] == before["plan"]  # two NULL columns added
    assert after["plan_target"] == []
    engine = make_engine(path)
    try:
        with engine.begin() as c:
            c.execute(text("UPDATE plan SET document_text = '2.1. Mục tiêu\n- đạt 95%' WHERE id = 1"))
            c.execute(text("INSERT INTO plan_target (plan_id, unit_id, code, of_code, op, value, created_at) "
                           "VALUES (1, 1, '1.1.2', '1.1.1', 'ge', 95, '2026-01-06')"))
            assert c.execute(text("SELECT count(*) FROM plan_target")).scalar() == 1
        from alembic import command

        with engine.begin() as conn:  # and back: the plans and their tasks stay (no table rebuild)
            command.downgrade(migrate.alembic_config(conn), "0011")
        with engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM task")).scalar() == 1
            assert c.execute(text("SELECT count(*) FROM plan")).scalar() == 1
            tables = {r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            assert "plan_target" not in tables
    finally:
        engine.dispose()
