"""Schema migrations (Alembic) run from inside the application.

Opening a database that is already at the head (every start but the first after an update) reads
the revisions from the migration files' ``revision = "…"`` lines and the database's from its
``alembic_version`` table: Alembic itself (half a second of imports) loads only to upgrade.
"""

from __future__ import annotations

import re
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from db.dialect import serialise_upgrades
from db.errors import DatabaseTooNewError

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"""^revision\b[^=\n]*=\s*["']([^"']+)["']""", re.M)
_DOWN_REVISION = re.compile(r"""^down_revision\b[^=\n]*=\s*(?:["']([^"']+)["']|None)""", re.M)


def _migrations_dir() -> Path:
    # Next to this file both from source and inside a PyInstaller bundle (shipped as data).
    return Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def _revision_graph() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files."""
    graph: dict[str, str | None] = {}
    for path in sorted((_migrations_dir() / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if rev is None or down is None:
            raise RuntimeError(f"migration without revision/down_revision: {path.name}")
        graph[rev.group(1)] = down.group(1)
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - set(graph.values())
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_not_newer(revision: str | None) -> None:
    """Refuse a database written by a newer application (unknown revision)."""
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNewError(
            "Cơ sở dữ liệu này được tạo hoặc nâng cấp bởi một phiên bản mới hơn của chương trình "
            f"(phiên bản lược đồ “{revision}”). Hãy cài phiên bản chương trình mới nhất để mở; "
            "dữ liệu không bị thay đổi."
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` in ONE transaction: all the migrations and the new
    ``alembic_version``, or nothing.

    PostgreSQL's DDL is transactional as it is. SQLite's is too, but Python's sqlite3 driver
    opens a transaction only before INSERT/UPDATE/DELETE: each CREATE/ALTER/DROP would commit on
    its own, and a kill during the first migration left tables without a version, a file that
    could never be opened again ("table area already exists"). So on SQLite the driver's own
    transaction handling is switched off for the upgrade and one ``BEGIN IMMEDIATE`` … ``COMMIT``
    encloses it: a kill at any moment leaves the schema as it was before.
    """
    from alembic import command

    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            serialise_upgrades(conn)
            command.upgrade(alembic_config(conn), revision)
        return
    with engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        saved = dbapi.isolation_level
        dbapi.isolation_level = None  # the driver leaves BEGIN/COMMIT to us
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            command.upgrade(alembic_config(conn), revision)
            conn.exec_driver_sql("COMMIT")
        except BaseException:
            with suppress(Exception):  # the connection may be gone already; SQLite then rolled back itself
                if dbapi.in_transaction:
                    dbapi.rollback()
            raise
        finally:
            with suppress(Exception):
                conn.rollback()  # SQLAlchemy's own bookkeeping; the database transaction is closed
                dbapi.isolation_level = saved
