"""Migration 0005 (consolidation): two new tables; a filled 0004 database keeps every row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db import migrate
from db.engine import make_engine, open_database
from tests.conftest import dump_tables


def _filled_0004(path: Path) -> None:
    engine = make_engine(path)
    migrate.upgrade(engine, "0004")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'T', 'UBND tỉnh Thử', 'tinh')"))
        c.execute(text("INSERT INTO unit (id, code, name, level, parent_id, valid_to) "
                       "VALUES (2, 'T.H', 'UBND huyện Cũ', 'huyen', 1, '2025-06-30')"))
        c.execute(text("INSERT INTO form_template (id, code, version, title, content_sha256, rules, loaded_at) "
                       "VALUES (1, 'F', 1, 'Biểu', 'x', '[]', '2021-01-01')"))
        c.execute(text("INSERT INTO indicator (id, template_id, code, sort_order, name, kind, value_type, breakdown, "
                       "aggregation) VALUES (1, 1, '1.1.1', 0, 'Số nhiệm vụ', 'value', 'integer', 0, "
                       "'{\"method\": \"sum\"}')"))
        c.execute(text("INSERT INTO period (id, code, kind, year, number, start_date, end_date) "
                       "VALUES (1, '2021-H1', 'half', 2021, 1, '2021-01-01', '2021-06-30')"))
        for rid, unit, origin in ((1, 1, "entered"), (2, 2, "imported")):
            c.execute(text("INSERT INTO \"return\" (id, unit_id, period_id, template_id, status, origin, created_at, "
                           "updated_at, version) VALUES (:i, :u, 1, 1, 'submitted', :o, '2021-06-15', "
                           "'2021-06-15', 2)"), {"i": rid, "u": unit, "o": origin})
            c.execute(text("INSERT INTO indicator_value (id, return_id, indicator_id, value_num, note, source, "
                           "source_value, source_detail, updated_at) VALUES (:i, :i, 1, 38, 'Ghi chú có dấu', "
                           "'manual', NULL, NULL, '2021-06-15')"), {"i": rid})
        c.execute(text("INSERT INTO audit_entry (id, at, user, action, entity, entity_id, return_id, field, "
                       "old_value, new_value) VALUES (1, '2021-06-15', 'nva', 'update', 'value', 1, 1, '1.1.1', "
                       "'37', '38')"))
    engine.dispose()


@pytest.mark.sqlite_only(reason="an old-schema SQLite file upgraded on opening")
def test_upgrade_from_0004_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _filled_0004(path)
    before = _rows_by_column(path)
    db = open_database(path)
    try:
        assert db.upgraded_from == "0004"
        assert db.startup_backup is not None and db.startup_backup.exists()
    finally:
        db.close()
    after = _rows_by_column(path, {t: list(cols) for t, (cols, _) in before.items()})
    for table, (_, rows) in before.items():
        if table != "alembic_version":
            assert after[table][1] == rows, table  # later migrations may add columns; old ones keep their data
    full = dump_tables(path)
    assert full["imported_file"] == [] and full["consolidation_source"] == []


def _rows_by_column(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, tuple[list[str], list]]:
    """Each table's column names and its rows (only the given columns), sorted."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        out = {}
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in tables:
            cols = columns.get(t) if columns else [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            if not cols:
                continue
            col_list = ", ".join(f'"{c}"' for c in cols)
            out[t] = (cols, sorted(map(repr, con.execute(f'SELECT {col_list} FROM "{t}"'))))
        return out
    finally:
        con.close()


def test_new_tables_take_rows_and_downgrade_keeps_the_old_ones(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _filled_0004(path)
    engine = make_engine(path)
    try:
        migrate.upgrade(engine)
        with engine.begin() as c:
            c.execute(text("INSERT INTO imported_file (id, parent_unit_id, unit_id, unit_code, period_code, kind, "
                           "file_name, file_sha256, imported_at, outcome, reason, return_id) VALUES (1, 1, 2, 'T.H', "
                           "'2021-H1', 'product', 'Báo cáo huyện.xlsx', 'ab', '2021-06-18', 'imported', 'Đã nhập', 2)"))
            c.execute(text("INSERT INTO consolidation_source (return_id, indicator_id, unit_id, child_return_id, "
                           "imported_file_id, value_num, included) VALUES (1, 1, 2, 2, 1, 38, 1)"))
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0004")
        with engine.connect() as c:
            tables = {r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            assert "imported_file" not in tables and "consolidation_source" not in tables
            assert c.execute(text("SELECT count(*) FROM indicator_value")).scalar() == 2
    finally:
        engine.dispose()
