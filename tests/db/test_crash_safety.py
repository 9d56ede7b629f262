"""Killing the process mid-write leaves a sound database with every committed row."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db.engine import open_database
from tests.conftest import REPO

pytestmark = pytest.mark.sqlite_only(reason="kills a writer process and reads the SQLite file back")

WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from db.engine import open_database
    from core import audit
    db = open_database({path!r})
    n = 0
    while True:
        with db.transaction() as s:
            for _ in range(20):
                audit.record(s, "update", "value", n, field="1.1.1", old=str(n), new=str(n + 1))
                n += 1
        print(n, flush=True)
""")


def test_kill_during_writes_keeps_committed_rows(db_path):
    open_database(db_path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(repo=str(REPO), path=str(db_path))],
        stdout=subprocess.PIPE, text=True,
    )
    committed = 0
    try:
        for line in proc.stdout:
            committed = int(line)
            if committed >= 400:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert committed >= 400
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = con.execute("SELECT COUNT(*) FROM audit_entry WHERE entity = 'value'").fetchone()[0]
    finally:
        con.close()
    assert rows >= committed  # every transaction reported as committed is there
    assert rows % 20 == 0  # and no transaction is half there
    # The killed writer's lock died with it: the database opens again for writing.
    open_database(db_path).close()


def test_a_creation_stopped_after_its_first_tables_leaves_no_table(db_path):
    """The first migration's CREATE TABLEs were autocommitted one by one: a stop half-way left tables
    without a version, and the file could never be opened again ("table area already exists")."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    created = []

    def stop_after_five(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            created.append(statement)
            if len(created) == 5:
                raise KeyboardInterrupt  # what a kill looks like from inside: nothing after this line runs

    event.listen(Engine, "after_cursor_execute", stop_after_five)
    try:
        with pytest.raises(KeyboardInterrupt):
            open_database(db_path)
    finally:
        event.remove(Engine, "after_cursor_execute", stop_after_five)
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0] == 0
    finally:
        con.close()
    db = open_database(db_path)  # created whole this time
    db.close()


KILL_MOMENTS = (0.02, 0.08, 0.15, 0.3)  # seconds after the writer lock: during the migrations and the demo load


@pytest.mark.parametrize("delay", KILL_MOMENTS)
def test_kill_during_first_creation_leaves_no_database_or_a_whole_one(tmp_path, delay):
    import random

    db = tmp_path / "moi.db"
    proc = subprocess.Popen([sys.executable, str(REPO / "main.py"), "--db", str(db), "demo"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    note = db.with_name(db.name + ".lock.info")
    while not note.exists() and proc.poll() is None:
        pass
    import time

    time.sleep(delay * random.Random(delay).uniform(0.8, 1.2))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if db.exists() and db.stat().st_size:
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = con.execute("SELECT version_num FROM alembic_version").fetchone() if tables else None
        finally:
            con.close()
        assert not tables or version is not None  # no tables, or every table and its version
    read = subprocess.run([sys.executable, str(REPO / "main.py"), "--db", str(db), "units", "list"], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8")
    assert "Traceback" not in read.stderr
    assert read.returncode == 0 or "chưa được tạo xong" in read.stderr or "Không tìm thấy" in read.stderr
    again = subprocess.run([sys.executable, str(REPO / "main.py"), "--db", str(db), "demo"], cwd=REPO,
                           capture_output=True, text=True, encoding="utf-8")
    assert again.returncode == 0, again.stderr


def test_a_batch_commits_each_transaction_and_syncs_once_at_the_end(tmp_path: Path) -> None:
    """Database.batch (an import of many files): each transaction is committed and seen by another
    connection at once; only the sync to disk waits for the end; afterwards commits sync again."""
    from sqlalchemy import text

    from db.models import Unit

    db = open_database(tmp_path / "b.db")
    try:
        def synchronous() -> int:
            with db.session() as s:
                return s.execute(text("PRAGMA synchronous")).scalar()

        assert synchronous() == 2  # FULL
        with db.batch():
            assert synchronous() == 1  # NORMAL: no sync per commit
            with db.transaction() as s:
                s.add(Unit(code="A", name="Đơn vị A", level="xa"))
            other = sqlite3.connect(tmp_path / "b.db")
            assert other.execute("SELECT name FROM unit WHERE code = 'A'").fetchall() == [("Đơn vị A",)]
            other.close()
            with pytest.raises(RuntimeError), db.transaction() as s:  # a failed one leaves nothing
                s.add(Unit(code="B", name="Đơn vị B", level="xa"))
                s.flush()
                raise RuntimeError
        assert synchronous() == 2
        with db.session() as s:
            assert s.execute(text("SELECT code FROM unit ORDER BY code")).scalars().all() == ["A"]
    finally:
        db.close()
