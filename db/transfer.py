"""Copying a whole database between back-ends: a unit's SQLite file into the shared PostgreSQL
server, and back again (``python main.py migrate-db --from … --to …``).

Nothing is lost, and nothing is half done:

- the source is read in one consistent snapshot (a SQLite read transaction; REPEATABLE READ on a
  server) and, when it is a file, under its single-writer lock, so no one changes it meanwhile;
- the target is upgraded to the current schema first and must be empty, unless ``replace`` (a
  SQLite target is backed up before its rows are replaced);
- rows go in table by table in dependency order, parents before children inside a table that
  refers to itself (units, tasks), in batches, with their ids; sequences are moved on after;
- values a server would refuse (a text longer than its column, a NUL character) are listed in
  Vietnamese before anything is written;
- every table's row count and a content checksum are computed on both sides, and the copy is
  committed only if all of them agree. Otherwise the target is left as it was;
- attached files travel too (``carry_attachments``): into a server they go inside the database
  (``evidence_content``, each checked against the SHA-256 its row recorded), into a SQLite file
  they are copied into its attachment folder (``db.attachments``). Files kept in a server's
  database stay in the copied rows, which a SQLite file can open as they are.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import JSON, String, Table, Text, cast, delete, func, null, select, text
from sqlalchemy.engine import Connection

from db import attachments, migrate
from db.dialect import consistent_read, features_of, reset_sequences
from db.engine import display_target, open_database
from db.errors import DatabaseError
from db.models import Base

BATCH = 2000


class TransferError(DatabaseError):
    """The copy was refused or failed its check; the target is unchanged. Message in Vietnamese."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    exit_code = 1  # the copy is refused; the databases themselves are fine

    @property
    def payload(self) -> dict:
        return {"problems": self.problems}


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum

    def as_dict(self) -> dict:
        return {"table": self.table, "source_rows": self.source_rows, "target_rows": self.target_rows,
                "source_checksum": self.source_checksum, "target_checksum": self.target_checksum, "ok": self.ok}


@dataclass
class TransferReport:
    source: str
    target: str
    tables: list[TableCheck] = field(default_factory=list)
    seconds: float = 0.0
    replaced: bool = False
    target_backup: Path | None = None
    attachments_carried: int = 0  # files moved into the target (its folder or its database)
    attachments_missing: list[str] = field(default_factory=list)  # rows whose file the source did not have

    @property
    def total_rows(self) -> int:
        return sum(t.source_rows for t in self.tables)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "source": self.source, "target": self.target, "rows": self.total_rows,
                "seconds": round(self.seconds, 2), "replaced": self.replaced,
                "target_backup": str(self.target_backup) if self.target_backup else None,
                "attachments_carried": self.attachments_carried, "attachments_missing": self.attachments_missing,
                "tables": [t.as_dict() for t in self.tables]}


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(Base.metadata.sorted_tables)


# --------------------------------------------------------------------------- checksums


def _canon(value: object) -> str:
    """One spelling of a value whatever the back-end returned it as."""
    if value is None:
        return "\x00N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "B" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def _json_positions(table: Table) -> list[int]:
    return [i for i, c in enumerate(table.columns) if isinstance(c.type, JSON)]


def _row_hash(row: Iterable[object], json_at: list[int]) -> int:
    parts = []
    for i, v in enumerate(row):
        if i in json_at and v is not None:
            # JSON as stored text: parsed, so that key order and spacing do not count; "J" keeps a
            # JSON null apart from SQL NULL.
            parts.append("J" + json.dumps(json.loads(v), ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        else:
            parts.append(_canon(v))
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return int.from_bytes(h.digest(), "big")


def _rows(conn: Connection, table: Table) -> Iterator[tuple]:
    """Every row of ``table`` (columns in the model's order), streamed; JSON columns as their stored
    text, so that SQL NULL and a JSON ``null`` stay apart."""
    cols = [cast(c, Text).label(c.name) if isinstance(c.type, JSON) else c for c in table.columns]
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(select(*cols))
    for part in result.partitions(BATCH):
        yield from (tuple(r) for r in part)


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """(row count, checksum) of a table, independent of row order and of the back-end.

    The checksum is the sum of the rows' SHA-256 modulo 2^256 (a multiset hash), so neither
    the order the server returns rows in nor its collation matters.
    """
    count, total = 0, 0
    json_at = _json_positions(table)
    for row in _rows(conn, table):
        count += 1
        total = (total + _row_hash(row, json_at)) % (1 << 256)
    return count, f"{total:064x}"


def database_checksums(target: str | Path) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table of a database (for "identical content" checks)."""
    db = open_database(target, write=False)
    try:
        with db.engine.connect() as conn:
            with consistent_read(conn):
                return {t.name: table_checksum(conn, t) for t in tables()}
    finally:
        db.close()


# --------------------------------------------------------------------------- copying


def _self_refs(table: Table) -> list[int]:
    """Positions of the columns by which ``table`` refers to its own rows (unit.parent_id …)."""
    cols = list(table.columns)
    return [cols.index(fk.parent) for fk in table.foreign_keys if fk.column.table is table]


def _parents_first(table: Table, rows: list[tuple]) -> list[tuple]:
    refs = _self_refs(table)
    if not refs:
        return rows
    pk = [list(table.columns).index(c) for c in table.primary_key.columns][0]
    by_id = {r[pk]: r for r in rows}
    done: set = set()
    out: list[tuple] = []

    def visit(row: tuple, trail: set) -> None:
        key = row[pk]
        if key in done:
            return
        trail.add(key)
        for i in refs:
            parent = by_id.get(row[i])
            if parent is not None and parent[pk] not in done and parent[pk] not in trail:
                visit(parent, trail)
        done.add(key)
        out.append(row)

    for r in rows:
        visit(r, set())
    return out


def _check_fits(table: Table, row: tuple, problems: list[str], server: bool) -> None:
    if not server:
        return  # SQLite keeps any length; the server refuses a longer text or a NUL character
    for col, value in zip(table.columns, row, strict=True):
        if not isinstance(value, str):
            continue
        where = f"bảng {table.name}, dòng id={row[0]}, cột {col.name}"
        if isinstance(col.type, String) and col.type.length and len(value) > col.type.length:
            problems.append(f"{where}: dài {len(value)} ký tự, quá giới hạn {col.type.length}.")
        if "\x00" in value:
            problems.append(f"{where}: có ký tự NUL (mã 0), máy chủ PostgreSQL không lưu được.")


def _is_empty(conn: Connection) -> bool:
    return all(conn.execute(select(func.count()).select_from(t)).scalar() == 0 for t in tables())


def copy_database(
    source: str | Path,
    target: str | Path,
    *,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> TransferReport:
    """Copy every row of ``source`` into ``target`` (each a file path or a URL) and check it.

    Raises ``TransferError`` (target unchanged) when the target holds data and ``replace`` is
    not given, when a value would not fit, or when counts or checksums differ after the copy.
    """
    started = time.perf_counter()
    if str(source) == str(target):
        raise TransferError("Nguồn và đích là cùng một cơ sở dữ liệu.")
    src = open_database(source)  # a file: its writer lock keeps others out during the copy
    try:
        dst = open_database(target)
        try:
            if migrate.current_revision(src.engine) != migrate.current_revision(dst.engine):
                raise TransferError("Nguồn và đích không cùng phiên bản lược đồ; hãy mở cả hai bằng phiên bản "
                                    "chương trình này trước khi chép.")
            report = TransferReport(display_target(src.target), display_target(dst.target))
            server_target = not features_of(dst.engine).embedded
            with src.engine.connect() as sconn, dst.engine.connect() as dconn:
                with consistent_read(sconn), dconn.begin():
                    if not _is_empty(dconn):
                        if not replace:
                            raise TransferError(
                                f"Cơ sở dữ liệu đích “{report.target}” đã có dữ liệu. Dùng --replace để thay toàn bộ "
                                "(dữ liệu cũ ở đích sẽ bị xóa; với tệp SQLite, một bản sao lưu được tạo trước)."
                            )
                        report.replaced = True
                        report.target_backup = dst.backup("pre-import")
                        for t in reversed(tables()):
                            dconn.execute(delete(t))
                    problems: list[str] = []
                    for t in tables():
                        _copy_table(sconn, dconn, t, problems, server_target, progress)
                    if problems:
                        shown = "\n".join(f"- {p}" for p in problems[:20])
                        more = f"\n(và {len(problems) - 20} chỗ khác)" if len(problems) > 20 else ""
                        raise TransferError(
                            f"Không chép được: {len(problems)} giá trị không lưu được ở đích. "
                            f"Hãy sửa chúng ở nguồn rồi chép lại; đích không thay đổi.\n{shown}{more}",
                            problems,
                        )
                    reset_sequences(dconn, tables())
                    for t in tables():
                        n_src, sum_src = table_checksum(sconn, t)
                        n_dst, sum_dst = table_checksum(dconn, t)
                        report.tables.append(TableCheck(t.name, n_src, n_dst, sum_src, sum_dst))
                    if not report.ok:
                        bad = ", ".join(f"{c.table} ({c.source_rows} → {c.target_rows})"
                                        for c in report.tables if not c.ok)
                        raise TransferError(f"Kiểm tra sau khi chép không khớp ở các bảng: {bad}. Đích không thay đổi.")
                    carry_attachments(dconn, src.path, dst.path, report)
            if server_target:
                with dst.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(text("ANALYZE"))  # fresh planner statistics after a bulk load
        finally:
            dst.close()
    finally:
        src.close()
    report.seconds = time.perf_counter() - started
    return report


def _copy_table(sconn: Connection, dconn: Connection, table: Table, problems: list[str], server: bool,
                progress: Callable[[str, int], None] | None) -> None:
    names = [c.name for c in table.columns]
    json_at = _json_positions(table)
    rows: Iterable[tuple] = _rows(sconn, table)
    if _self_refs(table):
        rows = _parents_first(table, list(rows))
    batch: list[dict] = []
    copied = 0
    for row in rows:
        _check_fits(table, row, problems, server)
        values = dict(zip(names, row, strict=True))
        for i in json_at:  # stored text back to the value; null() writes SQL NULL, None a JSON null
            values[names[i]] = null() if row[i] is None else json.loads(row[i])
        batch.append(values)
        if len(batch) >= BATCH:
            if not problems:
                dconn.execute(table.insert(), batch)
            copied += len(batch)
            batch = []
    if batch and not problems:
        dconn.execute(table.insert(), batch)
    copied += len(batch)
    if progress is not None:
        progress(table.name, copied)


# --------------------------------------------------------------------------- attached files

_FILE_TABLES = ("evidence", "received_file")  # the tables whose rows point to an attached file


def carry_attachments(dconn: Connection, source_file: Path | None, target_file: Path | None,
                      report: TransferReport) -> None:
    """Bring the attached files the copied rows point to (inside the target's transaction).

    - into a SQLite file from a SQLite file: the source's attachment folder is copied into the
      target's (no file is deleted there);
    - into a server: each file kept beside the source goes into ``evidence_content`` (once per
      content), checked against the row's SHA-256, and the row then points to it (``db:<id>``);
    - files already inside the source database travel with its rows.
    A row whose file the source does not have is listed in ``attachments_missing``.
    """
    by_name = {t.name: t for t in tables()}
    # The checksums left this connection streaming through a server-side cursor, which cannot run an INSERT.
    dconn = dconn.execution_options(stream_results=False, yield_per=None)
    rows = []
    for name in _FILE_TABLES:
        t = by_name[name]
        for rid, stored, sha in dconn.execute(select(t.c.id, t.c.stored_path, t.c.sha256)
                                              .where(t.c.stored_path.is_not(None))):
            if stored and not stored.startswith(attachments.IN_DATABASE):
                rows.append((name, rid, stored, sha))
    if target_file is not None:
        if source_file is not None:
            report.attachments_carried = attachments.put_back(source_file, target_file)
        for name, rid, stored, _sha in rows:
            if not attachments.path_beside(target_file, stored).is_file():
                report.attachments_missing.append(f"{name} {rid}: {stored}")
        return
    content = by_name["evidence_content"]
    for name, rid, stored, sha in rows:
        path = attachments.path_beside(source_file, stored) if source_file is not None else None
        if path is None or not path.is_file():
            report.attachments_missing.append(f"{name} {rid}: {stored}")
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if sha and digest != sha:
            report.attachments_missing.append(f"{name} {rid}: {stored} (nội dung khác mã SHA-256 đã ghi)")
            continue
        cid = dconn.execute(select(content.c.id).where(content.c.sha256 == digest).limit(1)).scalar()
        if cid is None:
            cid = dconn.execute(content.insert().values(
                evidence_id=rid if name == "evidence" else None, file_name=Path(stored).name, sha256=digest,
                file_size=len(data), content=data, added_at=datetime.now(UTC).replace(tzinfo=None),
            ).returning(content.c.id)).scalar_one()
            report.attachments_carried += 1
        t = by_name[name]
        dconn.execute(t.update().where(t.c.id == rid).values(stored_path=f"{attachments.IN_DATABASE}{cid}"))
