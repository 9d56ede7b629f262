"""Schema migrations (Alembic) run from inside the application."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from db.dialect import serialise_upgrades
from db.errors import DatabaseTooNewError


def _migrations_dir() -> Path:
    # Next to this file both from source and inside a PyInstaller bundle (shipped as data).
    return Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return heads[0]


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
