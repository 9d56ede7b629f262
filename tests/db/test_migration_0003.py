"""Migration 0003 (plans and progress) keeps every row of a 0002 database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from db import migrate
from db.engine import make_engine, open_database


def _rows(path: Path, table: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    finally:
        con.close()


@pytest.mark.sqlite_only(reason="builds an old-schema SQLite file (PostgreSQL: tests/db/test_postgres.py)")
def test_upgrade_from_0002_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0002")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'MH', 'UBND tỉnh Minh Họa', 'tinh')"))
        c.execute(text("INSERT INTO plan (id, unit_id, year_from, year_to, title, created_at) "
                       "VALUES (1, 1, 2021, 2021, 'Kế hoạch CCHC năm 2021', '2021-01-01 00:00:00')"))
        c.execute(text("INSERT INTO task (id, plan_id, number, sort_order, title, recurring, conditional, "
                       "timeframe_flagged, due_date) VALUES (1, 1, '1', 1, 'Rà soát văn bản', 0, 0, 0, '2021-03-31')"))
        c.execute(text("INSERT INTO activity (id, task_id, sort_order, title) VALUES (1, 1, 0, 'Rà soát nghị quyết')"))
        c.execute(text("INSERT INTO period (id, code, kind, year, number, start_date, end_date) "
                       "VALUES (1, '2021-H1', 'half', 2021, 1, '2021-01-01', '2021-06-30')"))
        c.execute(text("INSERT INTO task_progress (id, task_id, period_id, status, percent_done, updated_at) "
                       "VALUES (1, 1, 1, 'done_on_time', 100, '2021-06-10 00:00:00')"))
        c.execute(text("INSERT INTO evidence (id, progress_id, document_number, summary) "
                       "VALUES (1, 1, 'Quyết định số 766/QĐ-UBND', 'Kế hoạch')"))
    engine.dispose()
    before = {t: _rows(path, t) for t in ("unit", "plan", "task", "activity", "period", "task_progress", "evidence")}

    db = open_database(path)
    try:
        assert db.upgraded_from == "0002"
        assert migrate.current_revision(db.engine) == migrate.head_revision()
    finally:
        db.close()
    for table, rows in before.items():
        after = _rows(path, table)
        assert len(after) == len(rows), table
        for old, new in zip(rows, after, strict=True):
            assert new[: len(old)] == old, table  # old columns unchanged, new ones appended
            assert all(v is None for v in new[len(old):]), table

    from core.plans.status import entered_status
    from db.models import TaskProgress

    db = open_database(path)
    try:
        with db.session() as s:
            assert entered_status(s.get(TaskProgress, 1)) == "done"  # read back from the old status
    finally:
        db.close()
