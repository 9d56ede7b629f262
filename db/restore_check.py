"""Whether a SQLite file may replace the live database (restore): the whole schema, not three names.

A file is restorable only if

1. it is a sound SQLite file (``PRAGMA integrity_check``, ``PRAGMA foreign_key_check``);
2. its ``alembic_version`` names a revision this program knows (a newer one is refused with
   ``DatabaseTooNewError``);
3. it has every table and every column that revision implies — the expected schema is built by
   running the program's own migrations up to that revision in an in-memory database and reading
   ``PRAGMA table_info`` of each table (cached per revision);
4. a copy of it upgrades to the current schema (the trial upgrade), and the result again has the
   whole current schema.

Anything else is refused with ``NotABackupError`` and a Vietnamese message; the live
database is not touched by any of this (the checks read the file read-only and upgrade a copy
in a temporary folder).
"""

from __future__ import annotations

import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from db import migrate
from db.backup import copy_into
from db.errors import NotABackupError

__all__ = ["MAX_BACKUP_BYTES", "check_restorable", "expected_schema", "schema_of"]

# A province's ten years (about a million values) is a few hundred MB; reading a file far larger
# (integrity check, trial copy) would hold the program for many minutes.
MAX_BACKUP_BYTES = 4 * 1024 * 1024 * 1024
MAX_TABLES = 500  # this program has a few dozen

# table -> column -> (declared type, not null, primary-key position)
Schema = dict[str, dict[str, tuple[str, int, int]]]


def schema_of(con: sqlite3.Connection) -> Schema:
    """The tables (SQLite's own left out) and their columns, as ``PRAGMA table_info`` gives them."""
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    out: Schema = {}
    for table in tables:
        quoted = table.replace('"', '""')
        out[table] = {r[1]: (str(r[2] or "").upper(), int(r[3]), int(r[5]))
                      for r in con.execute(f'PRAGMA table_info("{quoted}")')}
    return out


@lru_cache(maxsize=16)
def _expected(revision: str) -> tuple[tuple[str, tuple[tuple[str, tuple[str, int, int]], ...]], ...]:
    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        migrate.upgrade(engine, revision)
        raw = engine.raw_connection()
        try:
            schema = schema_of(raw.driver_connection)
        finally:
            raw.close()
    finally:
        engine.dispose()
    return tuple((t, tuple(sorted(cols.items()))) for t, cols in sorted(schema.items()))


def expected_schema(revision: str) -> Schema:
    """The schema the program's migrations build up to ``revision`` (a known revision)."""
    return {t: dict(cols) for t, cols in _expected(revision)}


def _differences(found: Schema, expected: Schema) -> list[str]:
    problems = []
    for table, columns in expected.items():
        have = found.get(table)
        if have is None:
            problems.append(f"thiếu bảng “{table}”")
            continue
        for column, spec in columns.items():
            if column not in have:
                problems.append(f"bảng “{table}” thiếu cột “{column}”")
            elif have[column] != spec:
                problems.append(f"cột “{table}.{column}” khác kiểu")
        for column, spec in have.items():
            if column not in columns and spec[1] and spec[2] == 0:
                problems.append(f"bảng “{table}” có cột lạ “{column}”")
    for table in found:
        if table not in expected:
            problems.append(f"có bảng lạ “{table}”")
    return problems


def _refuse(name: str, problems: list[str]) -> NotABackupError:
    listed = "; ".join(problems[:6]) + (f"; và {len(problems) - 6} chỗ khác" if len(problems) > 6 else "")
    return NotABackupError(
        f"Tệp “{name}” không phải là bản sao lưu đầy đủ của chương trình ({listed}). Không phục hồi từ tệp này; "
        "cơ sở dữ liệu đang dùng không bị thay đổi."
    )


def _damaged(name: str) -> NotABackupError:
    return NotABackupError(
        f"Tệp “{name}” bị hỏng hoặc không đọc được, không dùng để phục hồi được. Cơ sở dữ liệu đang dùng không bị "
        "thay đổi; hãy chọn một bản sao lưu khác."
    )


def _sound_header(path: Path) -> bool:
    """The 100-byte SQLite header as SQLite writes it for our files: SQLite reads some damaged
    fields (the text encoding, for one) without complaint, and the copy would carry them over."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return False
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return False
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    return (page >= 512 and page & (page - 1) == 0
            and head[18] in (1, 2) and head[19] in (1, 2)
            and head[21:24] == bytes((64, 32, 32))
            and int.from_bytes(head[56:60], "big") == 1  # UTF-8, as every database of ours
            and head[72:92] == bytes(20))


def check_restorable(path: Path, uri: str) -> str | None:
    """The revision of a backup file after checking it may replace the live database (see the module).

    ``uri`` opens ``path`` read-only. Raises ``NotABackupError`` (Vietnamese message) or
    ``DatabaseTooNewError``.
    """
    name = Path(path).name
    size = Path(path).stat().st_size
    if size > MAX_BACKUP_BYTES:
        raise NotABackupError(
            f"Tệp “{name}” quá lớn ({size // 2**30} GB; giới hạn đọc tệp sao lưu là {MAX_BACKUP_BYTES // 2**30} GB), "
            "không phải một bản sao lưu của chương trình. Cơ sở dữ liệu đang dùng không bị thay đổi.")
    if not _sound_header(Path(path)):
        raise _damaged(name)
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            tables = con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables > MAX_TABLES:
                raise _refuse(name, [f"có {tables} bảng, vượt giới hạn {MAX_TABLES} bảng"])
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise _damaged(name)
            if con.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise _refuse(name, ["có dòng dữ liệu tham chiếu tới dòng không tồn tại"])
            found = schema_of(con)
            if "alembic_version" not in found:
                raise NotABackupError(
                    f"Tệp “{name}” là cơ sở dữ liệu SQLite nhưng không phải của chương trình này. Không phục hồi "
                    "từ tệp này; cơ sở dữ liệu đang dùng không bị thay đổi.")
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError, TypeError):
        raise _damaged(name) from None
    if len(rows) != 1 or not isinstance(rows[0][0], str):
        raise _refuse(name, ["không ghi rõ phiên bản lược đồ"])
    revision = rows[0][0]
    migrate.check_not_newer(revision)
    problems = _differences(found, expected_schema(revision))
    if problems:
        raise _refuse(name, problems)
    _trial_upgrade(path, name)
    return revision


def _trial_upgrade(path: Path, name: str) -> None:
    """Upgrade a copy of the file to the current schema and check the result."""
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as folder:
        copy = Path(folder) / "thu.db"
        try:
            copy_into(Path(path), copy)
        except sqlite3.DatabaseError:
            raise _damaged(name) from None
        engine = create_engine(f"sqlite:///{copy}")
        try:
            migrate.upgrade(engine)
        except Exception:  # noqa: BLE001 - whatever the migrations stumble on, the file is not restorable
            raise _refuse(name, ["không nâng cấp được lên phiên bản hiện tại của chương trình"]) from None
        finally:
            engine.dispose()
        try:
            con = sqlite3.connect(copy)
            try:
                upgraded = schema_of(con)
                sound = con.execute("PRAGMA foreign_key_check").fetchone() is None
            finally:
                con.close()
        except (sqlite3.DatabaseError, UnicodeDecodeError):
            raise _damaged(name) from None
        problems = _differences(upgraded, expected_schema(migrate.head_revision()))
        if not sound:
            problems.append("sau khi nâng cấp có dòng dữ liệu tham chiếu tới dòng không tồn tại")
        if problems:
            raise _refuse(name, problems)
