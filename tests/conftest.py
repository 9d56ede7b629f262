"""Shared fixtures: offscreen Qt, isolated user folders, fresh databases, the demo database.

With ``CCHC_TEST_PG_URL`` set, the whole suite runs against that PostgreSQL server instead of
SQLite files (see ``tests/helpers/pg_backend.py``); tests marked ``sqlite_only`` are skipped there.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import pg_backend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENPYXL_LXML", "False")  # as core/__init__.py: openpyxl never switches to lxml

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

if pg_backend.ENABLED:
    pg_backend.install()  # before any test module imports open_database


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): about SQLite files themselves; skipped when the suite runs on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not pg_backend.ENABLED:
        return
    for item in items:
        m = item.get_closest_marker("sqlite_only")
        if m is not None:
            why = m.kwargs.get("reason") or (m.args[0] if m.args else "about SQLite files")
            item.add_marker(pytest.mark.skip(reason=f"chỉ SQLite (sqlite_only): {why}"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if pg_backend.ENABLED:
        pg_backend.drop_all()


@pytest.fixture(autouse=True)
def _drop_test_databases(request: pytest.FixtureRequest):
    """On the PostgreSQL run, drop the server databases a test made under its tmp_path."""
    if not pg_backend.ENABLED:
        yield
        return
    folder = Path(request.getfixturevalue("tmp_path")).resolve()
    mark = pg_backend.mark()
    yield
    made = pg_backend.created_since(mark)
    if made:
        pg_backend.drop_owned_under(folder, made)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep tests away from the real per-user data folder and Qt settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("CCHC_USER", "kiem.thu")
    # Qt reads XDG_CONFIG_HOME once per process: each test's GUI preferences go to its own folder
    # explicitly, so a window closed in one test does not choose the unit, period or page of the next.
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qt"))
    yield


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "cchc.db"


def make_demo_db(folder: Path):  # noqa: ANN201 - db.engine.Database
    from core.app.demo import load_demo
    from db.engine import open_database

    db = open_database(folder / "demo.db")
    with db.transaction() as s:
        load_demo(s)
    return db


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once (migrations and the demo take about a second)."""
    folder = tmp_path_factory.mktemp("demo_template")
    make_demo_db(folder).close()
    return folder / "demo.db"


@pytest.fixture
def demo_db(demo_db_file: Path, tmp_path: Path):  # noqa: ANN201
    """A fresh copy of the demo database per test (tests may change it)."""
    from db.engine import open_database

    target = tmp_path / "demo.db"
    shutil.copy2(demo_db_file, target)
    db = open_database(target)
    yield db
    db.close()


@pytest.fixture
def province(demo_db_file: Path, tmp_path: Path):  # noqa: ANN201
    """The demo province twice: the units' PCs and the receiving office (``tests.helpers.consolidation_helpers``)."""
    from tests.helpers.consolidation_helpers import Province

    p = Province(demo_db_file, tmp_path / "p")
    yield p
    p.close()


def dump_tables(path) -> dict[str, list[tuple]]:  # noqa: ANN001 - a file path or an open Database
    """Every row of every table, sorted: for "the database is unchanged" checks."""
    target = getattr(path, "target", path)
    if "://" in str(target):
        return pg_backend.dump_url(str(target))
    path = Path(target)
    if pg_backend.ENABLED and pg_backend.marker_name(Path(path)):
        return pg_backend.dump_tables(Path(path))
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"'))) for n in names}
    finally:
        con.close()


class Backend:
    """One back-end, chosen explicitly (not by ``CCHC_TEST_PG_URL`` routing): ``new_target()`` gives
    a fresh database's file path (SQLite) or URL (PostgreSQL), ready for ``open_database``."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder
        self._n = 0

    @property
    def is_sqlite(self) -> bool:
        return self.name == "sqlite"

    def new_target(self, stem: str = "cchc", *, migrated: bool = True) -> str:
        self._n += 1
        if self.is_sqlite:
            return str(self.folder / f"{stem}{self._n}.db")
        return pg_backend.fresh_url() if migrated else pg_backend.empty_url()

    def __repr__(self) -> str:
        return self.name


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """Tests that must run on both back-ends in one run (concurrency, copying between them).

    The PostgreSQL case needs a server: it is skipped unless ``CCHC_TEST_PG_URL`` is set
    (``.ci/run`` starts one on loopback and runs the suite a second time with it).
    """
    if request.param == "postgresql" and not pg_backend.ENABLED:
        pytest.skip("no PostgreSQL server for this run (CCHC_TEST_PG_URL is not set; .ci/run sets it)")
    monkeypatch.setattr(pg_backend, "paused", True)
    return Backend(request.param, tmp_path)


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh PostgreSQL database migrated to head (skipped without a server); file paths in the
    test stay real SQLite files."""
    if not pg_backend.ENABLED:
        pytest.skip("no PostgreSQL server for this run (CCHC_TEST_PG_URL is not set; .ci/run sets it)")
    monkeypatch.setattr(pg_backend, "paused", True)
    return pg_backend.fresh_url()
