"""The revisions read from the migration files without Alembic (start-up speed) are Alembic's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db import migrate
from db.engine import open_database

ROOT = Path(__file__).resolve().parents[2]


def test_head_and_known_revisions_are_alembics() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert [migrate.head_revision()] == list(script.get_heads())
    assert migrate.known_revisions() == {r.revision for r in script.walk_revisions()}


def test_current_revision_is_alembics(tmp_path: Path) -> None:
    db = open_database(tmp_path / "mới.db")
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(db.engine) == MigrationContext.configure(conn).get_current_revision()
        assert migrate.current_revision(db.engine) == migrate.head_revision()
    finally:
        db.close()


@pytest.mark.sqlite_only(reason="a separate process opens the file")
def test_opening_a_database_at_the_head_does_not_load_alembic(tmp_path: Path) -> None:
    open_database(tmp_path / "ở đầu.db").close()
    code = ("import sys; from db.engine import open_database; "
            f"open_database({str(tmp_path / 'ở đầu.db')!r}).close(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
