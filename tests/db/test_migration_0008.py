"""Migration 0008 (signatures, files received in packages): two new tables; a filled 0007 database keeps
every row, and a downgrade drops only the new tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db import migrate
from db.engine import make_engine, open_database
from tests.conftest import dump_tables

pytestmark = pytest.mark.sqlite_only(reason="an old-schema SQLite file upgraded on opening")


def _filled_0007(path: Path) -> None:
    engine = make_engine(path)
    migrate.upgrade(engine, "0007")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (id, code, name, level) VALUES (1, 'H', 'UBND huyện Thử', 'huyen')"))
        c.execute(text("INSERT INTO unit (id, code, name, level, parent_id) VALUES (2, 'H.X', 'UBND xã Ân', 'xa', 1)"))
        c.execute(text("INSERT INTO imported_file (id, parent_unit_id, unit_id, unit_code, period_code, kind, "
                       "file_name, file_sha256, imported_at, outcome, reason, details) VALUES (1, 1, 2, 'H.X', "
                       "'2021-H1', 'product', 'Báo cáo xã.xlsx', 'ab', '2021-06-18', 'imported', 'Đã nhập', "
                       "'{\"status\": \"submitted\"}')"))
        c.execute(text("INSERT INTO evidence_content (id, file_name, sha256, file_size, content, added_at) "
                       "VALUES (1, 'Quyết định.pdf', 'cd', 3, X'010203', '2021-06-01')"))
    engine.dispose()


def test_upgrade_from_0007_keeps_every_row_and_the_new_tables_take_rows(tmp_path: Path) -> None:
    path = tmp_path / "cu.db"
    _filled_0007(path)
    before = dump_tables(path)
    db = open_database(path)
    try:
        assert db.upgraded_from == "0007"
    finally:
        db.close()
    after = dump_tables(path)
    for table, rows in before.items():
        if table != "alembic_version":
            assert after[table] == rows, table
    assert after["trusted_certificate"] == [] and after["received_file"] == []
    engine = make_engine(path)
    try:
        with engine.begin() as c:
            c.execute(text("INSERT INTO trusted_certificate (unit_id, kind, subject, sha256, der, added_at) "
                           "VALUES (1, 'cert', 'CA Thử nghiệm', 'ef', X'30', '2021-06-01')"))
            c.execute(text("INSERT INTO received_file (imported_file_id, unit_id, period_code, role, package_path, "
                           "file_name, sha256, file_size, stored_path, added_at) VALUES (1, 2, '2021-H1', 'evidence', "
                           "'TaiLieuKiemChung/QĐ.pdf', 'QĐ.pdf', 'cd', 3, 'db:1', '2021-06-18')"))
        from alembic import command

        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0007")
        with engine.connect() as c:
            tables = {r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            assert "trusted_certificate" not in tables and "received_file" not in tables
            assert c.execute(text("SELECT count(*) FROM imported_file")).scalar() == 1
            assert c.execute(text("SELECT count(*) FROM evidence_content")).scalar() == 1
    finally:
        engine.dispose()
