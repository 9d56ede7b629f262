"""Shared fixtures: offscreen Qt, isolated user folders, fresh databases, the demo database."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep tests away from the real per-user data folder and Qt settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("CCHC_USER", "kiem.thu")
    yield


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "cchc.db"


def make_demo_db(folder: Path):  # noqa: ANN201 - db.engine.Database
    from core.demo import load_demo
    from db.engine import open_database

    db = open_database(folder / "demo.db")
    with db.transaction() as s:
        load_demo(s)
    return db


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once (migrations and the demo take about a second)."""
    db = make_demo_db(tmp_path_factory.mktemp("demo_template"))
    path = Path(db.target)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_db_file: Path, tmp_path: Path):  # noqa: ANN201
    """A fresh copy of the demo database per test (tests may change it)."""
    from db.engine import open_database

    target = tmp_path / "demo.db"
    shutil.copy2(demo_db_file, target)
    db = open_database(target)
    yield db
    db.close()


def dump_tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: for "the database is unchanged" checks."""
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"'))) for n in names}
    finally:
        con.close()
