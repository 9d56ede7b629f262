"""Migration 0004 (returns): new nullable columns; a database from before keeps every row."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from db import migrate
from db.engine import make_engine, open_database
from db.models import Base


def test_head_schema_matches_the_models(tmp_path):
    db = open_database(tmp_path / "fresh.db")
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata) == []
    finally:
        db.close()


def _old_database(path):
    engine = make_engine(path)
    migrate.upgrade(engine, "0002")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'T', 'UBND tỉnh Thử', 'tinh')"))
        c.execute(text("INSERT INTO form_template (id, code, version, title, content_sha256, rules, loaded_at) "
                       "VALUES (1, 'F', 1, 'Biểu', 'x', '[]', '2021-01-01')"))
        c.execute(text("INSERT INTO indicator (id, template_id, code, sort_order, name, kind, value_type, breakdown) "
                       "VALUES (1, 1, '1.1.1', 0, 'Số nhiệm vụ', 'value', 'integer', 0)"))
        c.execute(text("INSERT INTO period (id, code, kind, year, number, start_date, end_date) "
                       "VALUES (1, '2021-H1', 'half', 2021, 1, '2021-01-01', '2021-06-30')"))
        c.execute(text("INSERT INTO \"return\" (id, unit_id, period_id, template_id, status, origin, created_at, "
                       "updated_at, version) VALUES (1, 1, 1, 1, 'submitted', 'entered', '2021-06-15', "
                       "'2021-06-15', 3)"))
        c.execute(text("INSERT INTO indicator_value (id, return_id, indicator_id, value_num, note, source, updated_at) "
                       "VALUES (1, 1, 1, 38, 'Ghi chú có dấu', 'manual', '2021-06-15')"))
        c.execute(text("INSERT INTO return_section (id, return_id, key, sort_order, title, draft_text, user_text) "
                       "VALUES (1, 1, 'I.1', 1, '1. Về kế hoạch', 'nháp', 'Người dùng viết')"))
    engine.dispose()


@pytest.mark.sqlite_only(reason="an old-schema SQLite file and its backup (PostgreSQL: tests/db/test_postgres.py)")
def test_existing_rows_survive_the_upgrade(tmp_path):
    path = tmp_path / "old.db"
    _old_database(path)
    db = open_database(path)
    try:
        assert db.upgraded_from == "0002"
        assert db.startup_backup is not None and db.startup_backup.exists()
        with db.engine.connect() as c:
            value = c.execute(text("SELECT value_num, note, source, source_value, source_detail "
                                   "FROM indicator_value")).one()
            section = c.execute(text("SELECT draft_text, user_text, draft_basis FROM return_section")).one()
            ret = c.execute(text("SELECT status, version FROM \"return\"")).one()
    finally:
        db.close()
    assert tuple(value) == (38.0, "Ghi chú có dấu", "manual", None, None)
    assert tuple(section) == ("nháp", "Người dùng viết", None)
    assert tuple(ret) == ("submitted", 3)


def test_downgrade_keeps_rows(tmp_path):
    path = tmp_path / "old.db"
    _old_database(path)
    engine = make_engine(path)
    try:
        migrate.upgrade(engine)
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0002")
        with engine.connect() as c:
            assert c.execute(text("SELECT value_num, note FROM indicator_value")).one() == (38.0, "Ghi chú có dấu")
            cols = {r[1] for r in c.execute(text("PRAGMA table_info(indicator_value)"))}
            assert "source_value" not in cols
    finally:
        engine.dispose()
