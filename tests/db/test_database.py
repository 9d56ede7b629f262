"""Data safety: SQLite settings, the single-writer lock, refusing foreign or newer files, backups."""

from __future__ import annotations

import getpass
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from db import backup as backups
from db.engine import open_database
from db.errors import DatabaseBusyError, DatabaseTooNewError, NotOurDatabaseError
from tests.conftest import REPO, dump_tables

pytestmark = pytest.mark.sqlite_only(reason="SQLite settings, the lock file, foreign files and backup files")


def test_sqlite_safety_settings(db_path):
    db = open_database(db_path)
    try:
        with db.engine.connect() as c:
            assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        db.close()


def test_foreign_keys_are_enforced(db_path):
    db = open_database(db_path)
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"):
            with db.engine.begin() as c:
                c.execute(text("INSERT INTO unit (code, name, level, parent_id) VALUES ('X', 'X', 'xa', 999)"))
    finally:
        db.close()


def test_second_instance_in_another_process_is_told_clearly(db_path):
    db = open_database(db_path)
    try:
        script = textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(REPO)!r})
            from db.engine import open_database
            from db.errors import DatabaseBusyError
            try:
                open_database({str(db_path)!r})
            except DatabaseBusyError as exc:
                print(exc)
                sys.exit(7)
        """)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8")
        assert out.returncode == 7, out.stderr
        assert "đang được mở bởi một phiên làm việc khác" in out.stdout
        assert getpass.getuser() in out.stdout  # who holds it
    finally:
        db.close()
    # Once closed, the next instance opens normally.
    open_database(db_path).close()


def test_second_writer_in_same_process_is_refused(db_path):
    db = open_database(db_path)
    try:
        with pytest.raises(DatabaseBusyError):
            open_database(db_path)
        reader = open_database(db_path, write=False)  # reading needs no lock
        reader.close()
    finally:
        db.close()


def test_foreign_file_is_refused_and_left_untouched(tmp_path):
    foreign = tmp_path / "khác.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    before = foreign.read_bytes()
    with pytest.raises(NotOurDatabaseError, match="không phải của chương trình"):
        open_database(foreign)
    assert foreign.read_bytes() == before

    text_file = tmp_path / "ghi chú.db"
    text_file.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    with pytest.raises(NotOurDatabaseError, match="không phải là cơ sở dữ liệu"):
        open_database(text_file)


def test_database_from_a_newer_app_is_refused_unchanged(db_path):
    open_database(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = dump_tables(db_path)
    with pytest.raises(DatabaseTooNewError, match="phiên bản mới hơn"):
        open_database(db_path)
    assert dump_tables(db_path) == before


def test_backups_rotate_and_manual_ones_are_kept(db_path, monkeypatch):
    db = open_database(db_path)
    try:
        manual = db.backup("manual")
        for _ in range(backups.KEEP_AUTOMATIC + 4):
            db.backup("startup")
        found = backups.list_backups(db_path)
        assert sum(1 for b in found if b.reason == "startup") == backups.KEEP_AUTOMATIC
        assert manual in [b.path for b in found]
        assert backups.check_backup_file(manual) is not None
    finally:
        db.close(backup_on_exit=True)
    assert backups.list_backups(db_path)[0].reason == "exit"


def test_existing_database_is_backed_up_before_upgrade(db_path):
    from sqlalchemy import create_engine

    from db import migrate

    engine = create_engine(f"sqlite:///{db_path}")
    migrate.upgrade(engine, "0001")
    engine.dispose()
    db = open_database(db_path)
    try:
        assert db.upgraded_from == "0001"
        assert db.startup_backup is not None and db.startup_backup.exists()
        assert backups.check_backup_file(db.startup_backup) == "0001"
        assert migrate.current_revision(db.engine) == migrate.head_revision()
    finally:
        db.close()


def test_paths_with_vietnamese_diacritics(tmp_path):
    folder = tmp_path / "Dữ liệu CCHC" / "Phường Thành Hưng"
    db = open_database(folder / "báo cáo.db")
    try:
        path = db.backup("manual")
        assert path.exists() and "báo cáo" in path.name
    finally:
        db.close()
