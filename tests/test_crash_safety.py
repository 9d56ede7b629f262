"""Killing the process mid-write leaves a sound database with every committed row."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap

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
