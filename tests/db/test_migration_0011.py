"""Migration 0011 (PAR-Index): six new tables; a filled 0010 database keeps every row, the new tables take
rows, and a downgrade drops only them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db import migrate
from db.engine import make_engine, open_database
from tests.conftest import dump_tables

pytestmark = pytest.mark.sqlite_only(reason="an old-schema SQLite file upgraded on opening")

NEW = {"index_criteria_set", "index_criterion", "index_assessment", "index_score", "index_evidence",
       "index_imported_file"}


def test_upgrade_from_0010_keeps_every_row_and_the_new_tables_take_rows(tmp_path: Path) -> None:
    path = tmp_path / "cu.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0010")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'H', 'UBND huyện Thử', 'huyen')"))
        c.execute(text("INSERT INTO unit (id, code, name, level, parent_id) VALUES (2, 'H.X', 'UBND xã Ân', 'xa', 1)"))
        c.execute(text("INSERT INTO unit_predecessor (unit_id, predecessor_id, since) VALUES (2, 1, '2025-07-01')"))
        c.execute(text("INSERT INTO audit_entry (at, user, action, entity) VALUES ('2025-01-01', 'nva', 'create', "
                       "'unit')"))
    engine.dispose()
    before = dump_tables(path)
    db = open_database(path)
    try:
        assert db.upgraded_from == "0010"
    finally:
        db.close()
    after = dump_tables(path)
    for table, rows in before.items():
        if table != "alembic_version":
            assert after[table] == rows, table
    assert all(after[t] == [] for t in NEW)
    engine = make_engine(path)
    try:
        with engine.begin() as c:
            c.execute(text("INSERT INTO index_criteria_set (id, year, level, version, title, content_sha256, content, "
                           "imported_at) VALUES (1, 2025, 'xa', 1, 'Bộ chỉ số', 'ab', '{}', '2025-08-01')"))
            c.execute(text("INSERT INTO index_criterion (id, set_id, code, stt, depth, sort_order, name, kind, "
                           "max_centi, is_leaf, may_not_apply) VALUES (1, 1, '1', '1', 1, 0, 'Kế hoạch', 'self', 200, "
                           "1, 1)"))
            c.execute(text("INSERT INTO index_assessment (id, unit_id, set_id, year, status, origin, created_at, "
                           "updated_at) VALUES (1, 2, 1, 2025, 'draft', 'entered', '2025-09-01', '2025-09-01')"))
            c.execute(text("INSERT INTO index_score (id, assessment_id, criterion_id, self_centi, not_applicable, "
                           "updated_at) VALUES (1, 1, 1, 150, 0, '2025-09-01')"))
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0010")
        with engine.connect() as c:
            tables = {r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
        assert not (tables & NEW) and {"unit", "unit_predecessor", "audit_entry"} <= tables
    finally:
        engine.dispose()
