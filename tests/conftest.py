"""Shared fixtures: GUI tests run offscreen; a demo database (province MH, 2021 plan, 2021-H1 return)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
